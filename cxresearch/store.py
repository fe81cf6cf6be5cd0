"""Write outputs so that a failed run never leaves anything half-written.

Every writer writes to a temporary file in the target folder and renames it
into place (``os.replace`` is atomic on one file system). A pipeline stage goes
further: all its outputs go to a staging folder and move into the project only
when the whole stage has succeeded, so a stage that fails (bad input, a failing
cell, a failed render) leaves the previous run's outputs byte for byte.
Readers select columns so large tables load only what a stage needs.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:  # pandas is imported where it is used: a stage's own process does not need it
    import pandas as pd


#: Set by :func:`cxresearch.pipeline.run_stage` while a stage runs: the folder its outputs are written to, moved
#: into the project only when the whole stage (every cell, the HTML render) has succeeded.
STAGING_ENV = "CXRESEARCH_STAGING"


def staged(target: str | Path) -> Path:
    """Where ``target`` is written now: inside the running stage's staging folder when there is one and
    ``target`` lies in the project, else ``target`` itself."""
    target = Path(target)
    staging = os.environ.get(STAGING_ENV)
    if not staging:
        return target
    project = Path(os.environ.get("CXRESEARCH_ROOT") or ".").resolve()
    try:
        rel = target.resolve().relative_to(project)
    except ValueError:
        return target
    return Path(staging) / rel


def current(path: str | Path) -> Path:
    """Where to read ``path`` from: the running stage's own newer copy when it has written one, else ``path``."""
    s = staged(path)
    return s if s != Path(path) and s.exists() else Path(path)


def commit_staged(staging: Path, root: Path, replace_dirs: tuple[str, ...] = ()) -> list[Path]:
    """Move every file of ``staging`` to the same place under ``root`` (``os.replace`` each, same file system).

    ``replace_dirs`` (project-relative folders the stage owns whole, e.g. ``data/interim``) end up holding only
    what this run wrote: files a previous run left there and this one did not write are removed."""
    moved = []
    for src in sorted(p for p in Path(staging).rglob("*") if p.is_file()):
        target = Path(root) / src.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, target)
        moved.append(target)
    written = {m.resolve() for m in moved}
    for d in replace_dirs:
        folder = Path(root) / d
        if not (Path(staging) / d).is_dir() or not folder.is_dir():
            continue
        for old in folder.rglob("*"):
            if old.is_file() and old.resolve() not in written:
                old.unlink()
    return moved


@contextmanager
def atomic_path(target: str | Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it into place only if the block succeeds.

    While a stage runs, "into place" is the stage's staging folder (see :data:`STAGING_ENV`)."""
    target = staged(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_parquet(frame: pd.DataFrame, target: str | Path) -> Path:
    """Write ``frame`` as Parquet atomically (no index)."""
    with atomic_path(target, ".parquet") as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(target)


def read_parquet(path: str | Path, columns: list[str] | None = None, categorical: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a Parquet table (optionally only ``columns``; names in ``columns`` the file lacks are skipped).

    ``categorical`` names low-cardinality text columns (unit, moment, segment…) to read as pandas categoricals
    straight from Parquet's dictionary encoding: at a million rows, grouping and comparing by them is then
    integer work instead of string work.
    """
    import pandas as pd

    path = current(path)
    if columns is None and not categorical:
        return pd.read_parquet(path)
    import pyarrow.parquet as pq

    names = pq.read_schema(path).names
    cols = [c for c in columns if c in names] if columns is not None else None
    keep = set(cols if cols is not None else names)
    dictionary = [c for c in categorical if c in keep]
    frame = pq.read_table(path, columns=cols, read_dictionary=dictionary).to_pandas()
    for c in dictionary:  # categories in sorted order, whatever order the file's dictionary had
        frame[c] = frame[c].cat.reorder_categories(sorted(frame[c].cat.categories))
    return frame


def _default(obj: Any):
    import numpy as np

    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return None if np.isnan(obj) else float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def write_json(data: Any, target: str | Path) -> Path:
    """Write ``data`` as pretty, key-sorted UTF-8 JSON atomically."""
    with atomic_path(target, ".json") as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, sort_keys=True, ensure_ascii=False, default=_default)
            fh.write("\n")
    return Path(target)


def write_text(text: str, target: str | Path) -> Path:
    """Write UTF-8 text atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def read_json(path: str | Path) -> Any:
    with open(current(path), encoding="utf-8") as fh:
        return json.load(fh)
