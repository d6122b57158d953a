"""Load: content files -> raw documents.

In: a content folder. Out: one :class:`~playbook.load.documents.RawDoc` per file (its front matter as
plain values, the line of every field, its Markdown body), and the git date of each file. Every
problem with a file as a file (unreadable, not UTF-8, no front matter, invalid YAML) becomes a
diagnostic; nothing here judges what the fields mean.
"""
