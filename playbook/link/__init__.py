"""Link: the playbook -> the linked site.

In: a :class:`~playbook.model.types.Playbook`. Out: a :class:`~playbook.link.site.Site`, where every
cross-reference that needs the whole playbook is resolved once: previous and next tasks, phase
listings, related pages, glossary terms, and which key tasks create, update and use each
artifact. Every rule that matches one name to another lives in :mod:`playbook.link.names`.
"""
