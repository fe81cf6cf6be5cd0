"""Read an input table as it came: every cell a string, nothing changed on disk."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cxresearch.exceptions import ValidationError

#: File names a data folder may hold, by table.
TABLE_FILES = {
    "customers": "customer_responses.csv",
    "employees": "employee_responses.csv",
    "units": "units.csv",
    "codings": "codings.csv",
}


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV input table with every cell as a string (empty cells → ``NA``).

    The file is opened read-only; column names are stripped of surrounding white
    space and a UTF-8 byte-order mark. Types are coerced later, by the schema, so
    that a bad value is reported with its row and column instead of silently
    becoming missing.

    Raises
    ------
    ValidationError
        When the file is missing, empty, or not parseable as CSV.
    """
    path = Path(path)
    if not path.exists():
        raise ValidationError([f"{path}: file not found — expected a CSV table"])
    if path.stat().st_size == 0:
        raise ValidationError([f"{path}:1: empty file — expected a header row and data rows"])
    try:
        with open(path, "r", encoding="utf-8-sig", newline="") as fh:
            frame = pd.read_csv(fh, dtype="string", keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ValidationError([f"{path}: cannot read as UTF-8 CSV ({exc}) — expected a comma-separated UTF-8 file"]) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame
