"""Fewer garbage collections while a build or rebuild makes objects that live until it ends.

CPython runs its cycle collector after every 700 new container objects, and a
full collection walks every object alive. A build makes millions that all
stay alive (the loaded files, the model, the cross-links), so those walks
were a tenth to a fifth of reading and linking a big playbook, and most of
linking it again in ``serve``. Our objects hold no reference cycles worth
collecting early; with a higher threshold cycles are still collected, just
less often, and peak memory stayed the same (copies-100 benchmark).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

THRESHOLDS = (100_000, 50, 100)
"""New container objects before a young collection, then young collections per older one, twice."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds for the duration of the block, then put back the caller's."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
