"""Model: raw documents -> the typed, checked playbook.

In: :class:`~playbook.load.documents.RawDoc` objects. Out: a :class:`~playbook.model.types.Playbook` of
frozen objects (key tasks, phases, glossary, pages, artifact registry) and a diagnostic for every
field that breaks the schema. The same schema writes the JSON Schema files for editors.
"""
