"""The user cache folder: derived files that are slow to make and cheap to make again.

The learned coder's fitted models and the stage notebooks converted from
py:percent live here, each under a name that hashes what it was made from, so a
stale file is never read. ``CXRESEARCH_LEMMA_CACHE`` moves the folder, and then
the lemmatiser's dictionaries go there too (otherwise simplemma keeps them in its
own cache folder); without it the folder is ``$XDG_CACHE_HOME/cxresearch`` or
``~/.cache/cxresearch``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


def cache_dir() -> Path:
    """The cache folder (not created here)."""
    base = os.environ.get("CXRESEARCH_LEMMA_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cxresearch"


@contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; it replaces ``target`` only when the block succeeds, so a
    process reading the cache never sees half a file. Not :func:`cxresearch.store.atomic_path`: cache files are
    not stage outputs and must not go to a stage's staging folder."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
