"""Find and read the input tables of a data folder as they came: every cell a string, nothing changed on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from cxresearch.io.readers import RawTable, read_raw_table

#: File names a data folder may hold, by table (the CSV form; see :data:`TABLE_STEMS` for the others).
TABLE_FILES = {
    "customers": "customer_responses.csv",
    "employees": "employee_responses.csv",
    "units": "units.csv",
    "codings": "codings.csv",
}
#: The name of each table's file without its extension.
TABLE_STEMS = {table: Path(name).stem for table, name in TABLE_FILES.items()}
#: Extensions a table may have, in the order a folder holding several is read.
TABLE_SUFFIXES = (".csv", ".xlsx", ".sav", ".tsv", ".txt")
#: How SPSS writes a missing value when it exports CSV.
SPSS_CSV_MISSING = "#NULL!"


def find_table(data_dir: str | Path, table: str) -> tuple[Path | None, list[Path]]:
    """The file holding ``table`` in ``data_dir`` (any supported format) and any others left unread."""
    found = [Path(data_dir) / f"{TABLE_STEMS[table]}{s}" for s in TABLE_SUFFIXES
             if (Path(data_dir) / f"{TABLE_STEMS[table]}{s}").is_file()]
    return (found[0] if found else None), found[1:]


def read_input(path: str | Path, column_map: dict[str, str] | None = None) -> RawTable:
    """Read one input table (CSV in any common dialect and encoding, Excel, SPSS or a Qualtrics export).

    The frame's index is the row of the file each record came from (the header being row 1, or the case number
    for SPSS), so every later message can name it. SPSS's CSV missing marker ``#NULL!`` reads as missing.
    """
    table = read_raw_table(path, column_map=column_map)
    frame = table.frame
    marker = frame.isin([SPSS_CSV_MISSING])
    if marker.to_numpy().any():
        frame = frame.mask(marker)
        table.notes.append(f"{Path(path).name}: {int(marker.to_numpy().sum())} cell(s) '{SPSS_CSV_MISSING}' "
                           "(SPSS's missing value) read as missing")
    frame.index = pd.RangeIndex(table.first_data_row, table.first_data_row + len(frame))
    table.frame = frame
    return table


def read_table(path: str | Path) -> pd.DataFrame:
    """Read an input table with every cell as a string (empty cells → ``NA``), indexed from 0.

    Raises
    ------
    ValidationError
        When the file is missing, empty, or not readable as a table.
    """
    frame = read_raw_table(path).frame
    return frame.reset_index(drop=True)


__all__ = ["TABLE_FILES", "TABLE_STEMS", "find_table", "read_input", "read_table"]


def per_distinct(values, fn: Callable[[Any], Any], fill) -> np.ndarray:
    """``fn`` applied once to the distinct non-missing values of ``values`` and spread back over every row.

    A million survey rows carry a handful of answer texts, a few hundred dates or a few thousand comments, so the
    work is done per distinct value. ``fn`` gets those values (in first-seen order) and returns one result each;
    rows whose value is missing get ``fill`` (a scalar, or an array as long as ``values``)."""
    codes, distinct = pd.factorize(values)
    if not len(distinct):
        return np.broadcast_to(np.asarray(fill), len(codes)).copy()
    mapped = np.asarray(fn(distinct))
    return np.where(codes >= 0, mapped[np.maximum(codes, 0)], fill)
