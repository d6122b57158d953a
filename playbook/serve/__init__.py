"""Serve: edits -> fresh pages, on a local development server.

In: a content folder being edited. Out: a site served on 127.0.0.1 that is rebuilt by the build's
own load, model and link stages after every save, with the browser reloaded.
"""
