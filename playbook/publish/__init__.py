"""Publish: pages and files -> the site folder.

In: what render makes. Out: a site folder swapped in atomically, with the design-system assets,
the published template files, the downloads (JSON, CSV, XLSX, PDF), the search index, and every
internal link checked.
"""
