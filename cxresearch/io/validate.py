"""Check every input of a data folder against its contract and load it typed.

Every problem is reported at once, one line each, formatted
``file:row:column: value — expected …`` where *row* is the row as a spreadsheet
shows it (the header is row 1). Warnings (e.g. a unit with few responses) are
collected separately and never stop a run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from cxresearch.config import DEFAULT_JOURNEY, DRIVERS, ITEMS_PER_DRIVER, journey_ids
from cxresearch.exceptions import ValidationError
from cxresearch.io.tables import TABLE_FILES, find_table, per_distinct, read_input

WAVE_PATTERN = r"^\d{4}-H[12]$"
#: Fewer customer responses than this for a unit gives a warning.
FEW_RESPONSES = 30


@dataclass(frozen=True)
class ColumnSpec:
    """What one column must hold."""

    name: str
    kind: str  # "str", "int", "date", "wave"
    required: bool = True  # the column must be present
    nullable: bool = False  # empty cells allowed
    low: float | None = None
    high: float | None = None
    unique: bool = False
    allowed: tuple[str, ...] | None = None

    def expected(self) -> str:
        if self.kind == "int" and self.low is not None:
            return f"an integer {self.low:g}–{self.high:g}"
        if self.kind == "date":
            return "a date YYYY-MM-DD or D.M.YYYY"
        if self.kind == "wave":
            return "a wave YYYY-H1 or YYYY-H2"
        if self.allowed is not None:
            return "one of " + ", ".join(self.allowed)
        return "a non-empty value"


def customer_columns(moments: list[str]) -> list[ColumnSpec]:
    """The contract of ``customer_responses.csv`` for a journey of ``moments``."""
    return [
        ColumnSpec("response_id", "str", unique=True),
        ColumnSpec("unit_id", "str"),
        ColumnSpec("moment", "str", allowed=tuple(moments)),
        ColumnSpec("responded_at", "date"),
        ColumnSpec("csat", "int", low=1, high=5),
        ColumnSpec("nps", "int", required=False, nullable=True, low=0, high=10),
        ColumnSpec("effort", "int", required=False, nullable=True, low=1, high=7),
        ColumnSpec("expectation", "int", required=False, nullable=True, low=1, high=5),
        ColumnSpec("delivery", "int", required=False, nullable=True, low=1, high=5),
        ColumnSpec("segment", "str", required=False, nullable=True),
        ColumnSpec("channel", "str", required=False, nullable=True),
        ColumnSpec("lang", "str", required=False, nullable=True, allowed=("fi", "en")),
        ColumnSpec("comment", "str", required=False, nullable=True),
    ]


def employee_columns() -> list[ColumnSpec]:
    """The contract of ``employee_responses.csv``: ids, wave, 3 items per driver, eNPS."""
    items = [
        ColumnSpec(f"{d}_{k}", "int", nullable=True, low=1, high=5)
        for d in DRIVERS
        for k in range(1, ITEMS_PER_DRIVER + 1)
    ]
    return [
        ColumnSpec("response_id", "str", unique=True),
        ColumnSpec("unit_id", "str"),
        ColumnSpec("wave", "wave"),
        *items,
        ColumnSpec("enps", "int", nullable=True, low=0, high=10),
    ]


def unit_columns() -> list[ColumnSpec]:
    """The contract of ``units.csv``."""
    return [
        ColumnSpec("unit_id", "str", unique=True),
        ColumnSpec("name", "str"),
        ColumnSpec("region", "str", required=False, nullable=True),
    ]


def codings_from_refi(path: Path, turns: pd.DataFrame | None, codebook, report: "ValidationReport") -> pd.DataFrame:
    """Human codings from a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder) in the ``codings.csv`` shape.

    A text source is matched to an interview by name (the interview id or the
    transcript's file stem); a selection belongs to the respondent turn that
    contains its start; the code is the last part of its path and must be a
    code id of the codebook. Anything that does not fit is a problem naming the
    source and span; missing source texts are notes (the spans still count).
    """
    from cxresearch.qual.refi import read_project

    project = read_project(path)
    fname = path.name
    report.notes.extend(f"{fname}: {p}" for p in project.problems)
    cols = [c.name for c in coding_columns()]
    if turns is None or project.codings.empty:
        return pd.DataFrame(columns=cols)
    respondent = turns[~turns["is_interviewer"].astype(bool)]
    by_interview = {iid: grp.sort_values("start") for iid, grp in respondent.groupby("interview_id")}
    known_codes = set(codebook.code_ids) if codebook is not None else None
    rows = []
    for k, c in enumerate(project.codings.itertuples(index=False), start=1):
        where = f"{fname}:coding {k}:"
        source = str(c.source)
        grp = by_interview.get(source)
        if grp is None:
            report.problems.append(f"{where}source: '{source}' — expected the id of an interview in interviews/")
            continue
        inside = grp[(grp["start"] <= c.start) & (c.start < grp["end"])]
        if inside.empty:
            report.problems.append(f"{where}start: {c.start} in '{source}' — expected a position inside a respondent "
                                   "turn")
            continue
        code = str(c.code_name if isinstance(c.code_name, str) and c.code_name else c.code).split("/")[-1]
        if known_codes is not None and code not in known_codes:
            report.problems.append(f"{where}code: '{c.code}' — expected a code id of the codebook")
            continue
        valence = c.valence if c.valence in ("positive", "negative", "neutral") else "neutral"
        rows.append({"interview_id": source, "turn": int(inside.iloc[0]["turn"]), "start": int(c.start),
                     "end": int(c.end), "code": code, "valence": valence, "coder": str(c.coder)})
    return pd.DataFrame(rows, columns=cols)


def coding_columns() -> list[ColumnSpec]:
    """The contract of ``codings.csv`` (human codings)."""
    return [
        ColumnSpec("interview_id", "str"),
        ColumnSpec("turn", "int", low=0, high=1e9),
        ColumnSpec("start", "int", low=0, high=1e12),
        ColumnSpec("end", "int", low=0, high=1e12),
        ColumnSpec("code", "str"),
        ColumnSpec("valence", "str", allowed=("positive", "negative", "neutral")),
        ColumnSpec("coder", "str"),
    ]


@dataclass
class ValidationReport:
    """The outcome of validating a data folder."""

    data_dir: Path
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_if_problems(self) -> None:
        if self.problems:
            raise ValidationError(self.problems, self.warnings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "data_dir": str(self.data_dir),
            "ok": self.ok,
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.notes,
            "counts": self.counts,
        }


def _row(index: Any) -> int:
    """The row of the file a record came from: tables are indexed by it (:func:`cxresearch.io.tables.read_input`)."""
    return int(index)


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates as written by people and tools: ISO ``2026-11-22`` (a time after it is allowed, as Qualtrics and
    Excel write it) or Finnish ``22.11.2026`` / ``1.2.2026``. Anything else, or an impossible date, is ``NaT``.

    Each distinct text is parsed once (a million responses carry a few hundred dates)."""
    values = per_distinct(text, lambda d: _parse_distinct_dates(pd.Series(d, dtype="string")).to_numpy(),
                          np.datetime64("NaT", "us"))
    return pd.Series(values.astype("datetime64[us]"), index=text.index)


def _parse_distinct_dates(text: pd.Series) -> pd.Series:
    text = text.str.strip()
    iso = pd.to_datetime(text.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")[0],
                         format="%Y-%m-%d", errors="coerce")
    fi = text.str.extract(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
    finnish = pd.to_datetime(fi[2] + "-" + fi[1].str.zfill(2) + "-" + fi[0].str.zfill(2), format="%Y-%m-%d",
                             errors="coerce")
    return iso.astype("datetime64[us]").fillna(finnish.astype("datetime64[us]"))


def _check_columns(frame: pd.DataFrame, specs: list[ColumnSpec], fname: str) -> list[str]:
    problems = []
    present = list(frame.columns)
    for spec in specs:
        if spec.required and spec.name not in present:
            close = difflib.get_close_matches(spec.name, present, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{fname}:1:{spec.name}: column missing{hint} — expected {spec.expected()}")
    return problems


def _coerce(frame: pd.DataFrame, specs: list[ColumnSpec], fname: str) -> tuple[pd.DataFrame, list[str], set]:
    """Turn string columns into their contract types, reporting values that do not parse.

    Also returns the (row index, column) cells already reported, so the schema
    check does not report them a second time as empty.
    """
    problems: list[str] = []
    reported: set[tuple[int, str]] = set()
    out = frame.copy()
    for spec in specs:
        if spec.name not in out.columns:
            continue
        raw = out[spec.name]
        if spec.kind == "int":
            # each distinct text parsed once: a million answers on a 1–5 scale are a handful of texts
            num = pd.Series(per_distinct(raw, lambda d: pd.to_numeric(
                pd.Series(d, dtype="string").str.strip().str.replace(",", ".", regex=False),
                errors="coerce").to_numpy(dtype="float64", na_value=np.nan), np.nan), index=raw.index)
            bad = raw.notna() & (num.isna() | (num != num.round()))
            for idx in raw.index[bad]:
                problems.append(f"{fname}:{_row(idx)}:{spec.name}: '{raw[idx]}' — expected {spec.expected()}")
                reported.add((int(idx), spec.name))
            num = num.where(~bad)
            out[spec.name] = num.astype("Int64")
        elif spec.kind == "date":
            text = raw.str.strip()
            parsed = parse_dates(text)
            bad = text.notna() & parsed.isna()
            for idx in raw.index[bad]:
                problems.append(f"{fname}:{_row(idx)}:{spec.name}: '{raw[idx]}' — expected {spec.expected()}")
                reported.add((int(idx), spec.name))
            out[spec.name] = parsed
        else:
            out[spec.name] = raw.str.strip().astype("string")
    return out, problems, reported


def _schema(specs: list[ColumnSpec], present: list[str]) -> pa.DataFrameSchema:
    columns = {}
    for spec in specs:
        if spec.name not in present:
            continue
        checks = []
        if spec.kind == "int" and spec.low is not None:
            checks.append(pa.Check.in_range(spec.low, spec.high))
        if spec.kind == "wave":
            checks.append(pa.Check.str_matches(WAVE_PATTERN))
        if spec.allowed is not None:
            checks.append(pa.Check.isin(list(spec.allowed)))
        columns[spec.name] = pa.Column(
            nullable=spec.nullable, unique=spec.unique, checks=checks, required=spec.required
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=False)


def _schema_problems(frame: pd.DataFrame, specs: list[ColumnSpec], fname: str,
                     already: set[tuple[int, str]] = frozenset()) -> list[str]:
    by_name = {s.name: s for s in specs}
    schema = _schema(specs, list(frame.columns))
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems = []
        cases = err.failure_cases
        for rec in cases.itertuples(index=False):
            col = rec.column
            spec = by_name.get(col)
            if spec is None:
                continue
            idx = rec.index
            value = rec.failure_case
            check = str(rec.check)
            if idx is None or (isinstance(idx, float) and pd.isna(idx)) or (int(idx), col) in already:
                continue
            if check == "field_uniqueness":
                expected = "a unique value (this one is a duplicate)"
            elif "not_nullable" in check:
                value, expected = "", spec.expected() + " (cell is empty)"
            else:
                expected = spec.expected()
            problems.append((int(idx), col, f"{fname}:{_row(idx)}:{col}: '{value}' — expected {expected}"))
        problems.sort()
        return [p[2] for p in problems]
    return []


def _check_table(path: Path, specs: list[ColumnSpec], notes: list[str] | None = None,
                 column_map: dict[str, str] | None = None) -> tuple[pd.DataFrame | None, list[str]]:
    try:
        table = read_input(path, column_map=column_map)
    except ValidationError as err:
        return None, err.problems
    if notes is not None:
        notes.extend(table.notes)
    raw = table.frame
    # SPSS value labels stand for text categories (moment, segment…): use the label; scales keep their codes
    for spec in specs:
        labels = table.value_labels.get(spec.name)
        if labels and spec.kind == "str" and spec.name in raw:
            raw[spec.name] = raw[spec.name].map(lambda v: labels.get(v, v) if isinstance(v, str) else v
                                                ).astype("string")
            if notes is not None:
                notes.append(f"{path.name}: {spec.name} read as its SPSS value labels")
    fname = path.name
    problems = _check_columns(raw, specs, fname)
    typed, coerce_problems, reported = _coerce(raw, specs, fname)
    cell_problems = coerce_problems + _schema_problems(typed, specs, fname, reported)
    order = {s.name: i for i, s in enumerate(specs)}
    # only the contract's columns go on: a column no stage reads (an e-mail, a phone number, a customer's name
    # exported along with the answers) must not ride into data/interim
    extra = [c for c in typed.columns if c not in order]
    if extra:
        typed = typed.drop(columns=extra)
        if notes is not None:
            shown = ", ".join(map(str, extra[:12])) + (f" and {len(extra) - 12} more" if len(extra) > 12 else "")
            notes.append(f"{fname}: {len(extra)} column(s) outside the data contract left out, not carried into the "
                         f"pipeline: {shown}")

    def key(problem: str) -> tuple[int, int]:
        _, row, column, _ = problem.split(":", 3)
        return int(row), order.get(column, len(order))

    return typed, problems + sorted(cell_problems, key=key)


def _foreign_key(frame, column, known: set[str], fname: str, what: str) -> list[str]:
    if frame is None or column not in frame.columns or not known:
        return []
    values = frame[column]
    bad = values.notna() & ~values.isin(sorted(known))
    return [f"{fname}:{_row(i)}:{column}: '{values[i]}' — expected {what}" for i in values.index[bad]]


def period_of(dates: pd.Series) -> pd.Series:
    """The survey period (wave label ``YYYY-H1``/``YYYY-H2``) a date falls in."""
    half = (dates.dt.month > 6).map({False: "H1", True: "H2"})
    return (dates.dt.year.astype("Int64").astype("string") + "-" + half.astype("string")).astype("string")


def load_data_dir(
    data_dir: str | Path,
    journey: list[dict[str, str]] | None = None,
    min_group_size: int = 5,
    columns: dict[str, dict[str, str]] | None = None,
) -> tuple[dict[str, Any], ValidationReport]:
    """Validate every input of ``data_dir`` and return the typed tables.

    Each table may be CSV (any common dialect and encoding), Excel, SPSS or a Qualtrics export
    (:mod:`cxresearch.io.readers`). ``columns`` maps, per table (``customers``, ``employees``, ``units``,
    ``codings``), our column names to the file's (``{"customers": {"csat": "Q1"}}``).

    Returns ``(tables, report)``; ``tables`` has ``customers``, ``employees``,
    ``units``, ``turns`` (interview turns), ``transcripts`` (``interview_id, lang, body``),
    ``codebook`` and, when present, ``codings``. When ``report.problems`` is non-empty the tables are not fit for
    use: call ``report.raise_if_problems()``.
    """
    from cxresearch.exceptions import CodebookError, TranscriptError
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.transcripts import read_interview_folder

    data_dir = Path(data_dir)
    report = ValidationReport(data_dir=data_dir)
    if not data_dir.is_dir():
        report.problems.append(f"{data_dir}: not a folder — expected a data folder (see docs/data-contract.md)")
        return {}, report
    moments = journey_ids(journey or DEFAULT_JOURNEY)
    tables: dict[str, Any] = {}

    columns = columns or {}
    names: dict[str, str] = {}

    def check(table: str, specs: list[ColumnSpec]):
        path, others = find_table(data_dir, table)
        if path is None:
            report.problems.append(f"{data_dir / TABLE_FILES[table]}: file not found — expected a CSV, Excel or SPSS "
                                   "table")
            return None
        names[table] = path.name
        if others:
            report.notes.append(f"{path.name}: read; {', '.join(o.name for o in others)} left unread (one file "
                                "per table)")
        source_of = columns.get(table) or {}
        frame, probs = _check_table(path, specs, report.notes, {src: ours for ours, src in source_of.items()})
        report.problems.extend(probs)
        if frame is not None and len(frame) == 0 and table != "codings":
            # a header and no rows: nothing to analyse, and nothing to check the other tables' ids against
            report.problems.append(f"{path.name}:2:-: no data rows — expected a header row and data rows")
        return frame

    units = check("units", unit_columns())
    customers = check("customers", customer_columns(moments))
    employees = check("employees", employee_columns())

    known_units = set(units["unit_id"].dropna()) if units is not None and "unit_id" in units else set()
    units_file = names.get("units", TABLE_FILES["units"])
    report.problems += _foreign_key(customers, "unit_id", known_units, names.get("customers", ""),
                                    f"a unit_id listed in {units_file}")
    report.problems += _foreign_key(employees, "unit_id", known_units, names.get("employees", ""),
                                    f"a unit_id listed in {units_file}")

    codebook_path = data_dir / "codebook.yaml"
    try:
        codebook = load_codebook(codebook_path if codebook_path.exists() else None)
        if not codebook_path.exists():
            report.notes.append("no codebook.yaml in the data folder: using the default codebook")
    except CodebookError as err:
        codebook = None
        report.problems += err.problems

    interview_dir = data_dir / "interviews"
    turns = bodies = None
    files: dict[str, str] = {}  # interview id -> its transcript's path under interviews/
    if interview_dir.is_dir():
        try:
            turns, bodies = read_interview_folder(interview_dir, report.notes, files)
        except TranscriptError as err:
            report.problems += err.problems
            checked = getattr(err, "turns", None)  # the transcripts that read: their units are checked all the same
        else:
            checked = turns
        if checked is not None and known_units:
            # one line per transcript, naming its file (row 1: the front matter's unit_id)
            first = checked.drop_duplicates("interview_id")
            for iid, unit in zip(first["interview_id"], first["unit_id"]):
                if unit not in known_units:
                    report.problems.append(f"interviews/{files.get(str(iid), iid)}:1:unit_id: '{unit}' — expected "
                                           f"a unit_id listed in {units_file}")
    else:
        report.notes.append("no interviews/ folder: the qualitative stages will have no transcripts")

    codings = None
    codings_path, _ = find_table(data_dir, "codings")
    refi_files = sorted([*data_dir.glob("*.qdpx"), *data_dir.glob("*.qde")])
    if codings_path is None and refi_files:
        codings = codings_from_refi(refi_files[0], turns, codebook, report)
        if len(refi_files) > 1:
            report.notes.append(f"{refi_files[0].name}: human codings read from it; "
                                f"{', '.join(f.name for f in refi_files[1:])} left unread")
    if codings_path is not None:
        codings = check("codings", coding_columns())
        if codebook is not None:
            report.problems += _foreign_key(codings, "code", set(codebook.code_ids), codings_path.name, "a code id of the codebook")
        if turns is not None:
            report.problems += _foreign_key(codings, "interview_id", set(turns["interview_id"]), codings_path.name,
                                            "an interview id of interviews/")
        elif not interview_dir.is_dir() and codings is not None and len(codings):
            report.problems.append(f"{codings_path.name}:2:interview_id: '{codings['interview_id'].iloc[0]}' — "
                                   f"expected the transcripts of interviews/ it codes (no interviews/ folder)")

    if customers is not None and "responded_at" in customers:
        customers["period"] = period_of(customers["responded_at"])
    # Warnings: thin data that does not stop the run.
    if customers is not None and "unit_id" in customers:
        counts = customers["unit_id"].value_counts()
        for unit, n in counts.items():
            if n < FEW_RESPONSES:
                report.warnings.append(f"{names['customers']}: unit {unit} has only {n} responses — estimates for it are imprecise")
    if employees is not None and {"unit_id", "wave"} <= set(employees.columns):
        sizes = employees.groupby(["unit_id", "wave"], observed=True).size()
        for (unit, wave), n in sizes.items():
            if n < min_group_size:
                report.warnings.append(
                    f"{names['employees']}: unit {unit} wave {wave} has {n} respondents (< {min_group_size}) — its employee figures will be suppressed"
                )

    # from here on rows are counted from 0 again (the file rows were for the messages)
    units, customers, employees, codings = (f.reset_index(drop=True) if isinstance(f, pd.DataFrame) else f
                                            for f in (units, customers, employees, codings))
    tables.update(units=units, customers=customers, employees=employees, turns=turns, transcripts=bodies,
                  codebook=codebook, codings=codings)
    report.counts = {
        "customer_responses": 0 if customers is None else len(customers),
        "employee_responses": 0 if employees is None else len(employees),
        "units": 0 if units is None else len(units),
        "interviews": 0 if turns is None else int(turns["interview_id"].nunique()),
        "interview_turns": 0 if turns is None else len(turns),
        "human_codings": 0 if codings is None else len(codings),
    }
    return tables, report


def validate_data_dir(data_dir, journey=None, min_group_size: int = 5, columns=None) -> ValidationReport:
    """Validate ``data_dir``; returns the report (problems, warnings, counts) without raising."""
    _, report = load_data_dir(data_dir, journey=journey, min_group_size=min_group_size, columns=columns)
    return report
