"""Render: the linked site -> HTML pages and generated files.

In: a :class:`~playbook.link.site.Site` and its :class:`~playbook.urls.Urls`. Out: (site path, text)
for every page, made by Jinja2 layouts (autoescape, StrictUndefined) with content text sanitised,
and the files Python draws (the artifact flow picture).
"""
