"""Read an input table as it arrived from a real tool: every cell as text, nothing changed on disk.

DESIGN §4 says tables arrive as CSV written by many hands, as Excel workbooks, as
SPSS ``.sav`` files or as Qualtrics exports. :func:`read_raw_table` turns any of
them into a :class:`RawTable`: a :class:`pandas.DataFrame` whose every column has
the ``"string"`` dtype (empty cells are ``<NA>``), plus what was learnt on the way
(plain-sentence ``notes`` for the validation log, the row of the file that holds
the first data row, SPSS value labels). Types are *not* coerced here — the
validator does that, so that a bad value is reported with its file, row and
column instead of silently turning into a missing value.

Formats
-------
Delimited text (``.csv``, ``.tsv``, ``.txt``)
    *Encoding*: UTF-8 (a byte-order mark is removed), else cp1252 (what Excel on
    Windows writes with "CSV (semicolon delimited)"), else latin-1. A UTF-16 file
    with a byte-order mark (Excel's "Unicode text", Qualtrics' TSV) is read as
    UTF-16. *Delimiter*: the most frequent of ``;``, ``,`` and tab on the first
    line, counted outside quotes (ties go to the comma); an Excel ``sep=;`` first
    line is honoured and skipped. *Decimal comma*: in a semicolon-delimited file
    (Finnish/German Excel) a cell that is entirely a number with a comma
    (``-?\\d+,\\d+``, e.g. ``4,5``) is rewritten with a dot (``4.5``); text cells
    are never touched. Quoted cells may hold the delimiter, quotes (doubled) and
    line breaks. Row numbers count records, so a quoted line break does not shift
    them.
Qualtrics exports (delimited text only)
    The current export has three header rows: names (``ResponseId``, ``Q1``, …),
    question texts, and ``{"ImportId":"…"}`` JSON; row 1 gives the column names,
    rows 2–3 are dropped and data start on row 4 (``format="qualtrics"``). The
    legacy export has two: row 1 holds ``V1, V2, …`` for the metadata plus question
    ids (``Q1``), row 2 the metadata names (``ResponseID``, ``IPAddress``, …) and
    question texts; a column is named by row 2 where row 1 is ``V<n>`` and by row 1
    otherwise, and data start on row 3 (``format="qualtrics-legacy"``). The
    personal metadata Qualtrics adds (IP address, location, recipient name and
    e-mail, external reference) are dropped unless ``keep_personal=True``.
Excel (``.xlsx``)
    The first sheet, through openpyxl (cached values of formulas). The first
    non-empty row is the header. Numbers are written as text without a trailing
    ``.0`` when integral (and at Excel's 15 significant digits otherwise);
    date/datetime cells as ISO ``YYYY-MM-DD``, or ``YYYY-MM-DD HH:MM:SS`` for a
    column in which some time is not midnight; times as ``HH:MM:SS``; booleans as
    ``TRUE``/``FALSE``.
SPSS (``.sav``)
    Through pyreadstat with ``user_missing=True``; every value within the file's
    user-defined missing values or ranges is then set to missing and counted in a
    note. Numbers and dates are written as for Excel; the frame keeps the codes and
    the value labels are returned separately in ``value_labels`` (code as it
    appears in the frame → label). Cases are numbered from 1.

For every tabular format: column names are stripped of surrounding white space;
columns without a name that hold no value are dropped; a nameless column with
values is called ``Unnamed: <i>`` (0-based position, as pandas does) and a repeated
name gets ``.1``, ``.2``… — both noted. Rows with fewer cells than the header are
padded with ``<NA>`` (noted); more cells than the header is an error unless the
extra cells are empty. Empty rows at the end are ignored; an empty row in the
middle is kept as an all-``<NA>`` row so that row numbers keep matching the file.

Files are opened read-only and nothing is written anywhere.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cxresearch.exceptions import ValidationError

__all__ = ["RawTable", "read_raw_table", "PERSONAL_METADATA", "DELIMITED_SUFFIXES"]

#: Extensions read as delimited text.
DELIMITED_SUFFIXES = (".csv", ".tsv", ".txt")

#: Metadata columns Qualtrics adds that identify or locate a respondent; dropped by default.
PERSONAL_METADATA = (
    "IPAddress",
    "LocationLatitude",
    "LocationLongitude",
    "LocationAccuracy",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "ExternalDataReference",
    "Name",
    "EmailAddress",
)

_DELIMITER_NAMES = {";": "semicolon", "\t": "tab", ",": "comma"}
_DECIMAL_COMMA = r"-?\d+,\d+"
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
_LEGACY_V = re.compile(r"^V\d+$")
_SEP_LINE = re.compile(r'^"?sep=(.)"?[ \t]*(\r\n|\n|\r)')
_MAX_LISTED = 10


@dataclass
class RawTable:
    """One input table as read, before any type coercion.

    Attributes
    ----------
    frame
        Every column of dtype ``"string"``; empty cells are ``<NA>``; names stripped.
    source
        The file read.
    format
        ``"csv"``, ``"qualtrics"``, ``"qualtrics-legacy"``, ``"xlsx"`` or ``"sav"``.
    first_data_row
        1-based row of the file (or sheet) holding ``frame``'s first row: row
        ``first_data_row + i`` of the file is ``frame.iloc[i]``. For ``.sav`` 1
        (cases are numbered from 1).
    notes
        Plain sentences for the validation log, each starting with the file name.
    value_labels
        SPSS value labels per column (code as text, as in ``frame`` → label);
        empty for other formats.
    """

    frame: pd.DataFrame
    source: Path
    format: str
    first_data_row: int
    notes: list[str] = field(default_factory=list)
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)


def read_raw_table(
    path: str | Path,
    *,
    column_map: dict[str, str] | None = None,
    keep_personal: bool = False,
) -> RawTable:
    """Read a CSV/TSV, Excel, SPSS or Qualtrics table with every cell as text.

    Parameters
    ----------
    path
        The file; its extension picks the reader (``.csv``/``.tsv``/``.txt``,
        ``.xlsx``, ``.sav``).
    column_map
        Source column name → our name, applied last by renaming (after the
        Qualtrics header handling). Keys absent from the file are ignored here;
        the validator reports missing columns.
    keep_personal
        Keep the personal metadata columns of a Qualtrics export
        (:data:`PERSONAL_METADATA`) instead of dropping them.

    Raises
    ------
    ValidationError
        For an unsupported extension, a missing, empty or unreadable file, rows
        with more cells than the header, or a ``column_map`` that would make two
        columns share a name — one message per problem.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*DELIMITED_SUFFIXES, ".xlsx", ".sav"):
        raise ValidationError([f"{path}: unsupported file type '{path.suffix}' — expected .csv, .xlsx or .sav"])
    if not path.exists():
        raise ValidationError([f"{path}: file not found — expected a CSV, Excel or SPSS table"])
    if not path.is_file():
        raise ValidationError([f"{path.name}: cannot read (not a regular file) — expected a CSV, Excel or SPSS "
                               "table"])
    if path.stat().st_size == 0:
        raise ValidationError([_empty_message(path)])

    if suffix in DELIMITED_SUFFIXES:
        table = _read_delimited(path, keep_personal=keep_personal)
    elif suffix == ".xlsx":
        table = _read_xlsx(path)
    else:
        table = _read_sav(path)

    if column_map:
        _apply_column_map(table, column_map)
    return table


# --------------------------------------------------------------------------- helpers


def _empty_message(path: Path) -> str:
    return f"{path.name}:1: empty file — expected a header row and data rows"


def _listed(items: list, limit: int = _MAX_LISTED) -> str:
    """``a, b, c`` — or the first ``limit`` and ``… (N in all)``."""
    shown = ", ".join(str(i) for i in items[:limit])
    return shown if len(items) <= limit else f"{shown}, … ({len(items)} in all)"


def _number_text(value: float) -> str | None:
    """A float as text: ``3`` not ``3.0``; otherwise at most 15 significant digits (as Excel shows)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".15g")


def _format_column(values: list) -> list[str | None]:
    """Typed cell values of one column (Excel or SPSS) as text; see the module docstring.

    Datetimes are written with their time only when some value of the column has a
    time other than midnight, so one column has one format.
    """
    stamps = [v for v in values if isinstance(v, _dt.datetime) and v is not pd.NaT]
    with_time = any(v.time() != _dt.time(0) for v in stamps)
    micro = any(v.microsecond for v in stamps) or any(
        isinstance(v, _dt.time) and v.microsecond for v in values
    )
    spec = "microseconds" if micro else "seconds"
    out: list[str | None] = []
    for v in values:
        if v is None or v is pd.NaT or v is pd.NA:
            out.append(None)
        elif isinstance(v, bool):
            out.append("TRUE" if v else "FALSE")
        elif isinstance(v, int):
            out.append(str(v))
        elif isinstance(v, float):
            out.append(_number_text(v))
        elif isinstance(v, _dt.datetime):  # before date: datetime is a date
            out.append(v.isoformat(sep=" ", timespec=spec) if with_time else v.date().isoformat())
        elif isinstance(v, _dt.date):
            out.append(v.isoformat())
        elif isinstance(v, _dt.time):
            out.append(v.isoformat(timespec=spec))
        elif isinstance(v, str):
            out.append(v if v != "" else None)
        else:  # numpy scalars, Decimal, timedelta …
            try:
                out.append(_number_text(float(v)))
            except (TypeError, ValueError):
                text = str(v)
                out.append(text if text != "" else None)
    return out


def _grid_to_frame(
    name: str,
    header: list[str | None],
    records: list[list[str | None]],
    first_data_row: int,
) -> tuple[pd.DataFrame, list[str]]:
    """Header cells + data records (text or None) → a ``string`` frame and notes.

    ``first_data_row`` is the 1-based file row of ``records[0]``; problems name
    file rows.
    """
    notes: list[str] = []
    names = [(h or "").strip() for h in header]
    width = len(names)

    # Empty rows at the end are not data.
    end = len(records)
    while end > 0 and not any(c is not None for c in records[end - 1]):
        end -= 1
    if end < len(records):
        trailing = len(records) - end
        if any(records[end:]):  # only note rows that had delimiters/cells, not bare blank lines
            notes.append(f"{name}: {trailing} empty row{'s' if trailing > 1 else ''} at the end ignored")
        records = records[:end]

    too_long, short, blank = [], [], []
    for i, rec in enumerate(records):
        row_no = first_data_row + i
        if len(rec) > width:
            extra = rec[width:]
            if any(c is not None for c in extra):
                too_long.append(f"{name}:{row_no}: {len(rec)} cells where the header has {width} — expected one "
                                "cell per header column (quote cells that contain the delimiter)")
            rec = rec[:width]
        elif len(rec) < width and len(rec) > 0:
            short.append(row_no)
        if not any(c is not None for c in rec):
            blank.append(row_no)
        records[i] = list(rec) + [None] * (width - len(rec))
    if too_long:
        raise ValidationError(too_long)
    if short:
        notes.append(f"{name}: row{'s' if len(short) > 1 else ''} {_listed(short)} "
                     f"{'have' if len(short) > 1 else 'has'} fewer cells than the header; "
                     "the missing cells read as empty")
    if blank:
        notes.append(f"{name}: row{'s' if len(blank) > 1 else ''} {_listed(blank)} "
                     f"{'are' if len(blank) > 1 else 'is'} empty (kept, so that row numbers match the file)")

    columns = [[rec[j] for rec in records] for j in range(width)]

    # Nameless columns: drop when empty, name them otherwise.
    keep, dropped_empty, unnamed = [], 0, []
    for j, (col_name, values) in enumerate(zip(names, columns)):
        if col_name == "":
            if all(v is None for v in values):
                dropped_empty += 1
                continue
            col_name = f"Unnamed: {j}"
            unnamed.append(col_name)
        keep.append((col_name, values))
    if dropped_empty:
        notes.append(f"{name}: {dropped_empty} empty column{'s' if dropped_empty > 1 else ''} without a name ignored")
    if unnamed:
        notes.append(f"{name}: column{'s' if len(unnamed) > 1 else ''} without a name but with values "
                     f"called {_listed(unnamed)}")

    # Repeated names: pandas' convention, noted.
    seen: dict[str, int] = {}
    taken = {n for n, _ in keep}
    renamed = []
    final = []
    for col_name, values in keep:
        if col_name in seen:
            k = seen[col_name]
            new = f"{col_name}.{k}"
            while new in taken:
                k += 1
                new = f"{col_name}.{k}"
            seen[col_name] = k + 1
            taken.add(new)
            renamed.append(f"'{col_name}' → '{new}'")
            final.append((new, values))
        else:
            seen[col_name] = 1
            final.append((col_name, values))
    if renamed:
        notes.append(f"{name}: repeated column names renamed: {_listed(renamed)}")

    frame = pd.DataFrame(
        {n: pd.array(values, dtype="string") for n, values in final},
        index=pd.RangeIndex(len(records)),
    )
    if not final:
        frame = pd.DataFrame(index=pd.RangeIndex(len(records)))
    if not records:
        notes.append(f"{name}: no data rows, only a header")
    return frame, notes


def _apply_column_map(table: RawTable, column_map: dict[str, str]) -> None:
    """Rename source columns to ours; a key absent from the file is ignored."""
    mapping = {src: dst for src, dst in column_map.items() if src in table.frame.columns and src != dst}
    if not mapping:
        return
    untouched = [c for c in table.frame.columns if c not in mapping]
    new_names = [mapping.get(c, c) for c in table.frame.columns]
    problems = []
    for dst in sorted(set(new_names)):
        sources = [src for src, new in zip(table.frame.columns, new_names) if new == dst]
        if len(sources) > 1:
            how = " and ".join(f"'{s}'" for s in sources)
            problems.append(f"{table.source.name}: column_map gives {how} the same name '{dst}' — expected one "
                            "source column per name" + (" (the file already has it)" if dst in untouched else ""))
    if problems:
        raise ValidationError(problems)
    table.frame = table.frame.rename(columns=mapping)


# --------------------------------------------------------------------------- delimited text


def decode_text(raw: bytes, name: str) -> tuple[str, str | None]:
    """Bytes → ``(text, note)``, trying UTF-16 (with BOM), UTF-8 (BOM removed), cp1252, latin-1; ``note`` names
    ``name`` and the encoding used when it was not UTF-8 (None otherwise). Tables, transcripts and the command
    line's text inputs all decode through this."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), f"{name}: read as UTF-16 (not UTF-8)"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), f"{name}: read as cp1252 (not UTF-8)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), f"{name}: read as latin-1 (not UTF-8 or cp1252)"


def _sniff_delimiter(text: str) -> str:
    """The most frequent of ``;``, ``,`` and tab on the first line, outside quotes; ties → comma."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted  # a doubled quote toggles twice: no change
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(counts.values())
    if best == 0 or counts[","] == best:
        return ","
    return ";" if counts[";"] == best else "\t"


def _is_blank(record: list[str | None]) -> bool:
    return not any(c is not None for c in record)


def _parse_records(text: str, delimiter: str, name: str, row_offset: int) -> list[list[str | None]]:
    """Records of the text, '' → None. A quote left open at the end of the file is an error.

    The csv module's strict mode is what notices a quoted cell that never closes
    (without it the rest of the file silently becomes one cell); other strict-mode
    complaints, such as text after a closing quote (``"a"b``), are tolerated the
    way Excel reads them, by parsing again leniently.
    """
    expected = f"expected a {_DELIMITER_NAMES[delimiter]}-delimited text table"
    for strict in (True, False):
        records: list[list[str | None]] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"',
                            doublequote=True, strict=strict)
        try:
            for rec in reader:
                records.append([c if c != "" else None for c in rec])
            return records
        except csv.Error as exc:
            row = row_offset + len(records) + 1
            if "unexpected end of data" in str(exc) or "field larger than field limit" in str(exc):
                raise ValidationError([f"{name}:{row}: cannot read (a quoted cell that starts on this row never "
                                       f"closes) — {expected}; end every quoted cell with a quote"]) from exc
            if not strict:
                raise ValidationError([f"{name}:{row}: cannot read ({exc}) — {expected}"]) from exc
    raise AssertionError("unreachable")


def _fast_frame(text: str, delimiter: str) -> pd.DataFrame | None:
    """The common case read by Arrow's CSV reader: a plain table whose header is on row 1 with distinct,
    non-empty names, one record per line, every row as wide as the header, no empty rows, and nothing from
    Qualtrics. Returns the same ``string`` frame the row-by-row path builds, or None whenever any of that does
    not hold (that path then reads the file and words the notes). At a million rows it takes 1.5 s instead of
    15 s."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    first_end = text.find("\n")
    if first_end <= 0 or "\r" in text.replace("\r\n", "\n") or '"ImportId"' in text[:65536]:
        return None
    header = next(csv.reader([text[:first_end].rstrip("\r")], delimiter=delimiter, quotechar='"'), None)
    names = [(h or "").strip() for h in header or []]
    if not names or "" in names or len(set(names)) != len(names) or names[0] == "V1":
        return None
    n_rows = text.count("\n") - (1 if text.endswith("\n") else 0)  # physical lines after the header
    keys = [f"c{j}" for j in range(len(names))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text[first_end + 1:].encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=keys, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             escape_char=False, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={k: pa.string() for k in keys}, null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows != n_rows or n_rows == 0:
        return None  # a quoted cell spans lines (row numbers would drift), or no data rows
    frame = table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get, self_destruct=True)
    frame.columns = names
    if not frame.notna().any(axis=1).all():
        return None  # empty rows: the row-by-row path keeps and notes them
    return frame


def _read_delimited(path: Path, *, keep_personal: bool, fast: bool = True) -> RawTable:
    name = path.name
    with open(path, "rb") as fh:
        raw = fh.read()
    text, encoding_note = decode_text(raw, name)
    notes = [encoding_note] if encoding_note else []
    if not text.strip():
        raise ValidationError([_empty_message(path)])

    row_offset = 0  # file rows consumed before the csv text we parse
    sep_line = _SEP_LINE.match(text)
    if sep_line and sep_line.group(1) in _DELIMITER_NAMES:
        delimiter = sep_line.group(1)
        text = text[sep_line.end():]
        row_offset = 1
        notes.append(f"{name}: Excel 'sep={delimiter}' line on row 1 skipped")
    else:
        delimiter = _sniff_delimiter(text)

    frame = _fast_frame(text, delimiter) if fast and row_offset == 0 else None
    if frame is not None:
        return _finish_delimited(path, frame, delimiter, "csv", 2, notes, None, [], keep_personal)

    records = _parse_records(text, delimiter, name, row_offset)

    start = 0
    while start < len(records) and _is_blank(records[start]):
        start += 1
    if start == len(records):
        raise ValidationError([_empty_message(path)])
    header_row = row_offset + start + 1  # 1-based file row of the header

    fmt, header, data_start = "csv", records[start], start + 1
    qualtrics_note = None
    third = records[start + 2] if len(records) > start + 2 else None
    second = records[start + 1] if len(records) > start + 1 else None
    if third is not None and any(third) and all(c is None or _IMPORT_ID.match(c) for c in third):
        fmt, data_start = "qualtrics", start + 3
        qualtrics_note = f"{name}: Qualtrics export (3 header rows)"
    elif (
        second is not None
        and (header[0] or "").strip() == "V1"
        and sum(bool(c and _LEGACY_V.match(c.strip())) for c in header) >= 2
        and any((c or "").strip() in ("ResponseID", "ResponseId") for c in second)
    ):
        fmt, data_start = "qualtrics-legacy", start + 2
        header = [
            (second[j] if j < len(second) else None) if (c and _LEGACY_V.match(c.strip())) else c
            for j, c in enumerate(header)
        ]
        qualtrics_note = f"{name}: legacy Qualtrics export (2 header rows; V1, V2, … named from row 2)"
    first_data_row = row_offset + data_start + 1
    if start:
        notes.append(f"{name}: header found on row {header_row} (empty rows above it skipped)")

    frame, grid_notes = _grid_to_frame(name, header, records[data_start:], first_data_row)
    return _finish_delimited(path, frame, delimiter, fmt, first_data_row, notes, qualtrics_note, grid_notes,
                             keep_personal)


def _finish_delimited(path: Path, frame: pd.DataFrame, delimiter: str, fmt: str, first_data_row: int,
                      notes: list[str], qualtrics_note: str | None, grid_notes: list[str],
                      keep_personal: bool) -> RawTable:
    """Decimal commas, Qualtrics' personal metadata and the notes: the same for both ways of reading."""
    name = path.name
    delimiter_note = f"{name}: {_DELIMITER_NAMES[delimiter]}-delimited" if delimiter != "," else None
    if delimiter == ";":
        converted = 0
        for col in frame.columns:
            hit = frame[col].str.fullmatch(_DECIMAL_COMMA).fillna(False).astype(bool)
            n = int(hit.sum())
            if n:
                frame.loc[hit, col] = frame.loc[hit, col].str.replace(",", ".", regex=False)
                converted += n
        if converted:
            delimiter_note += (
                f", decimal comma ({converted} number cell{'s' if converted > 1 else ''} like '4,5' read as '4.5')"
            )
    if delimiter_note:
        notes.append(delimiter_note)

    if qualtrics_note:
        personal = [c for c in frame.columns if c in PERSONAL_METADATA]
        if personal and not keep_personal:
            frame = frame.drop(columns=personal)
            qualtrics_note += f"; personal metadata columns dropped: {', '.join(personal)}"
        elif personal:
            qualtrics_note += f"; personal metadata columns kept (keep_personal=True): {', '.join(personal)}"
        notes.append(qualtrics_note)

    notes.extend(grid_notes)
    return RawTable(frame=frame, source=path, format=fmt, first_data_row=first_data_row, notes=notes)


# --------------------------------------------------------------------------- Excel


def _read_xlsx(path: Path) -> RawTable:
    import openpyxl  # lazily: only Excel inputs need it

    name = path.name
    notes: list[str] = []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, key and value errors for a bad file
        raise ValidationError([f"{name}: cannot read ({type(exc).__name__}: {exc}) — expected an Excel .xlsx "
                               "workbook"]) from exc
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise ValidationError([_empty_message(path)])
        sheet = sheets[0]
        if len(sheets) > 1:
            notes.append(f"{name}: read the first sheet '{sheet.title}' of {len(sheets)} (the others are ignored)")
        if hasattr(sheet, "reset_dimensions"):  # read-only sheets trust a stored size some writers get wrong
            sheet.reset_dimensions()
        try:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        except Exception as exc:
            raise ValidationError([f"{name}: cannot read ({type(exc).__name__}: {exc}) — expected an Excel .xlsx "
                                   "workbook"]) from exc
    finally:
        workbook.close()

    def blank(row: list) -> bool:
        return all(v is None or (isinstance(v, str) and v == "") for v in row)

    start = 0
    while start < len(rows) and blank(rows[start]):
        start += 1
    if start == len(rows):
        raise ValidationError([_empty_message(path)])
    if start:
        notes.append(f"{name}: header found on row {start + 1} (empty rows above it skipped)")

    width = max(len(r) for r in rows[start:])
    grid = [r + [None] * (width - len(r)) for r in rows[start:]]
    header = _format_column([row for row in grid[0]])
    data = grid[1:]
    columns = [_format_column([row[j] for row in data]) for j in range(width)]
    records = [[columns[j][i] for j in range(width)] for i in range(len(data))]
    # Trailing cells beyond the header that are empty in every row are not columns.
    last = max((j for j in range(width) if header[j] is not None or any(c[j] is not None for c in records)),
               default=-1)
    header, records = header[: last + 1], [r[: last + 1] for r in records]

    frame, grid_notes = _grid_to_frame(name, header, records, start + 2)
    return RawTable(frame=frame, source=path, format="xlsx", first_data_row=start + 2, notes=notes + grid_notes)


# --------------------------------------------------------------------------- SPSS


def _user_missing_mask(values: pd.Series, ranges: list[dict]) -> pd.Series:
    """True where a value falls within one of SPSS' user-missing values/ranges."""
    mask = pd.Series(False, index=values.index)
    if pd.api.types.is_numeric_dtype(values.dtype):
        for r in ranges:
            lo, hi = float(r["lo"]), float(r["hi"])
            mask |= values.ge(lo).fillna(False).astype(bool) & values.le(hi).fillna(False).astype(bool)
    else:
        text = values.astype("string").str.rstrip()
        for r in ranges:
            lo, hi = str(r["lo"]).rstrip(), str(r["hi"]).rstrip()
            mask |= (text.ge(lo) & text.le(hi)).fillna(False).astype(bool)
    return mask


def _read_sav(path: Path) -> RawTable:
    import pyreadstat  # lazily: only SPSS inputs need it

    name = path.name
    notes: list[str] = []
    try:
        df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat.ReadstatError / PyreadstatError and friends
        raise ValidationError([f"{name}: cannot read ({type(exc).__name__}: {exc}) — expected an SPSS .sav "
                               "file"]) from exc

    # Dates, times and their missing ranges come back converted; they are compared as SPSS numbers
    # (seconds since 1582-10-14), from a second read made only when such a column has user-missing values.
    raw = None
    missing_ranges = getattr(meta, "missing_ranges", None) or {}
    for col, ranges in missing_ranges.items():
        if col not in df.columns or not ranges:
            continue
        values = df[col]
        is_plain = pd.api.types.is_numeric_dtype(values.dtype) or (
            pd.api.types.is_string_dtype(values.dtype) and all(isinstance(v, str) for v in values.dropna())
        )
        if not is_plain:
            if raw is None:
                raw = pyreadstat.read_sav(str(path), user_missing=True, disable_datetime_conversion=True)
            values, ranges = raw[0][col], raw[1].missing_ranges.get(col, [])
        mask = _user_missing_mask(values, ranges) & df[col].notna()
        count = int(mask.sum())
        if count:
            df[col] = df[col].astype(object).where(~mask, None)
            notes.append(f"{name}: {count} value{'s' if count > 1 else ''} of '{col}' "
                         f"{'are' if count > 1 else 'is'} SPSS user-missing and read as missing")

    columns = {}
    for col in df.columns:
        values = df[col].astype(object).where(df[col].notna(), None).tolist()
        if pd.api.types.is_datetime64_any_dtype(df[col].dtype):
            values = [None if v is None else pd.Timestamp(v).to_pydatetime() for v in values]
        columns[str(col).strip()] = pd.array(_format_column(values), dtype="string")
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(df)))

    value_labels: dict[str, dict[str, str]] = {}
    for col, labels in (getattr(meta, "variable_value_labels", None) or {}).items():
        value_labels[str(col).strip()] = {
            (_number_text(code) if isinstance(code, (int, float)) else str(code)): str(label)
            for code, label in labels.items()
        }
    if value_labels:
        notes.append(f"{name}: value labels for {_listed(sorted(value_labels))} kept apart; the table holds the codes")
    return RawTable(frame=frame, source=path, format="sav", first_data_row=1, notes=notes, value_labels=value_labels)
