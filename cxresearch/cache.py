"""The user cache folder: derived files that are slow to make and cheap to make again.

The learned coder's fitted model, the lemmatiser's dictionaries and the stage
notebooks converted from py:percent live here, each under a name that hashes
what it was made from, so a stale file is never read. ``CXRESEARCH_LEMMA_CACHE``
moves the folder (tests point it into a temporary folder); otherwise it is
``$XDG_CACHE_HOME/cxresearch`` or ``~/.cache/cxresearch``.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache folder (not created here)."""
    base = os.environ.get("CXRESEARCH_LEMMA_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cxresearch"
