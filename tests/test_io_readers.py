"""Reading input tables as they arrive from real tools (cxresearch.io.readers).

Real files only, no mocks: the Qualtrics and SPSS samples under tests/fixtures (copied from ../shared/fixtures)
(see its README for their sources), and CSV/Excel files written here the way
Finnish Excel, UTF-8 editors and openpyxl write them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.exceptions import ValidationError
from cxresearch.io.readers import PERSONAL_METADATA, RawTable, read_raw_table

ROOT = Path(__file__).resolve().parents[1]

FIXTURES = Path(__file__).resolve().parent / "fixtures"  # copies of ../shared/fixtures, sources in its README
QUALTRICS = FIXTURES / "qualtrics"
SPSS = FIXTURES / "spss"


def _all_text(table: RawTable) -> None:
    for name, dtype in table.frame.dtypes.items():
        assert isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA, (name, dtype)


def _frame(data: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.array(v, dtype="string") for k, v in data.items()})


def test_fixtures_are_the_shared_real_files():
    """The copies in tests/fixtures are byte for byte the files in ../shared/fixtures (when that folder is
    present, as on the development machine)."""
    shared = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
    copies = sorted(QUALTRICS.glob("*")) + sorted(SPSS.glob("*"))
    assert len(copies) == 9
    if shared.is_dir():
        for f in copies:
            assert f.read_bytes() == (shared / f.parent.name / f.name).read_bytes(), f


# --------------------------------------------------------------------------- Qualtrics


def test_qualtrics_export_three_header_rows_and_personal_metadata_dropped():
    """Expected values are the cells of qualtRics_sample.csv (ropensci/qualtRics' test file): row 1 names,
    row 4 the one response R_2YPOQ602ER1jkf1 with Q1 = 2 and Q2 = "Hello World!", and an IP address,
    latitude/longitude and empty recipient fields that must not survive the import."""
    table = read_raw_table(QUALTRICS / "qualtRics_sample.csv")
    _all_text(table)
    assert table.format == "qualtrics"
    assert table.first_data_row == 4
    assert len(table.frame) == 1
    row = table.frame.iloc[0]
    assert row["ResponseId"] == "R_2YPOQ602ER1jkf1"
    assert row["Q1"] == "2"
    assert row["Q2"] == "Hello World!"
    assert row["StartDate"] == "2017-07-18 08:28:09"
    assert pd.isna(row["Q2 - Topics"])
    gone = {"IPAddress", "LocationLatitude", "LocationLongitude", "RecipientLastName", "RecipientFirstName",
            "RecipientEmail", "ExternalReference"}
    assert not gone & set(table.frame.columns)
    assert "130.92.34.66" not in table.frame.to_string()
    assert table.frame.shape == (1, 20 - len(gone))
    assert table.value_labels == {}
    (note,) = [n for n in table.notes if "Qualtrics" in n]
    assert note.startswith("qualtRics_sample.csv: Qualtrics export (3 header rows); personal metadata columns dropped:")
    assert "IPAddress" in note and "LocationLatitude" in note


def test_qualtrics_keep_personal_keeps_the_ip_column():
    """Same file; the IP address 130.92.34.66 is the sample's own value on row 4."""
    table = read_raw_table(QUALTRICS / "qualtRics_sample.csv", keep_personal=True)
    assert table.frame.shape == (1, 20)
    assert table.frame.loc[0, "IPAddress"] == "130.92.34.66"
    assert table.frame.loc[0, "LocationLatitude"] == "47.115097045898"
    assert any("kept (keep_personal=True)" in n for n in table.notes)


def test_qualtrics_legacy_export_two_header_rows():
    """Expected values come from qualtRics_sample_legacy.csv: row 1 is V1…V10, Q1, Q2, Location*, row 2 holds
    ResponseID, ResponseSet, Name, …; row 3 is the response. Every line ends with a comma (an empty 16th
    column) and the file starts with a UTF-8 BOM."""
    table = read_raw_table(QUALTRICS / "qualtRics_sample_legacy.csv")
    _all_text(table)
    assert table.format == "qualtrics-legacy"
    assert table.first_data_row == 3
    assert list(table.frame.columns) == ["ResponseID", "ResponseSet", "Status", "StartDate", "EndDate",
                                         "Finished", "Q1", "Q2"]
    row = table.frame.iloc[0]
    assert row["ResponseID"] == "R_2YPOQ602ER1jkf1"
    assert row["Q1"] == "2" and row["Q2"] == "Hello World!"
    assert not {"IPAddress", "LocationLatitude", "LocationLongitude", "LocationAccuracy", "Name",
                "EmailAddress", "ExternalDataReference"} & set(table.frame.columns)
    assert "" not in table.frame.columns and not any(c.startswith("Unnamed") for c in table.frame.columns)

    kept = read_raw_table(QUALTRICS / "qualtRics_sample_legacy.csv", keep_personal=True)
    assert kept.frame.shape == (1, 15)
    assert kept.frame.loc[0, "IPAddress"] == "130.92.34.66"
    assert kept.frame.loc[0, "Name"] == "Anonym"


def test_column_map_renames_after_the_qualtrics_headers():
    """Names are the sample's row-1 names; a key the file lacks (nps) is ignored, the validator reports it."""
    table = read_raw_table(
        QUALTRICS / "qualtRics_sample.csv",
        column_map={"ResponseId": "response_id", "Q1": "csat", "Q2": "comment", "NPS_1": "nps",
                    "IPAddress": "ip"},
    )
    assert {"response_id", "csat", "comment"} <= set(table.frame.columns)
    assert not {"ResponseId", "Q1", "Q2", "nps", "ip", "IPAddress"} & set(table.frame.columns)
    assert table.frame.loc[0, "csat"] == "2"


def test_column_map_that_merges_two_columns_is_an_error(tmp_path):
    """A map sending Q1 to a name the file already has would make two 'csat' columns."""
    path = tmp_path / "customer_responses.csv"
    path.write_text("Q1,csat\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_raw_table(path, column_map={"Q1": "csat"})
    assert err.value.problems == ["customer_responses.csv: column_map gives 'Q1' and 'csat' the same name 'csat' — "
                                  "expected one source column per name (the file already has it)"]


def test_personal_columns_are_only_dropped_from_qualtrics_exports(tmp_path):
    """A plain CSV with a column called Name keeps it: only Qualtrics metadata are recognised as such."""
    path = tmp_path / "units.csv"
    path.write_text("unit_id,Name\nU01,Kauppa A\n", encoding="utf-8")
    table = read_raw_table(path)
    assert table.format == "csv" and list(table.frame.columns) == ["unit_id", "Name"]
    assert "Name" in PERSONAL_METADATA


# --------------------------------------------------------------------------- SPSS


def test_spss_sample_equals_its_csv_twin():
    """The reference is pyreadstat_sample.csv, the same data as pyreadstat_sample.sav written as CSV by
    pyreadstat's authors; read as text, numbers are compared numerically and dates/times as parsed ISO values
    (the CSV writes 2018-05-06T10:10:10.000000 where we write 2018-05-06 10:10:10). The labels 1 Male /
    2 Female and 1 low / 2 medium / 3 high are the file's SPSS value labels."""
    table = read_raw_table(SPSS / "pyreadstat_sample.sav")
    _all_text(table)
    assert table.format == "sav" and table.first_data_row == 1
    assert table.frame.shape == (5, 7)
    assert table.value_labels == {"mylabl": {"1": "Male", "2": "Female"},
                                  "myord": {"1": "low", "2": "medium", "3": "high"}}
    assert table.frame["mylabl"].tolist() == ["1", "2", "1", "2", "1"]  # codes, not labels

    ref = read_raw_table(SPSS / "pyreadstat_sample.csv").frame
    ours = table.frame
    assert list(ours.columns) == list(ref.columns)
    pd.testing.assert_series_equal(ours["mychar"], ref["mychar"])
    pd.testing.assert_series_equal(ours["mydate"], ref["mydate"])
    for col in ("mynum", "mylabl", "myord"):
        pd.testing.assert_series_equal(pd.to_numeric(ours[col]), pd.to_numeric(ref[col]))
    parse = lambda s: [None if pd.isna(v) else dt.datetime.fromisoformat(v) for v in s]  # noqa: E731
    assert parse(ours["dtime"]) == parse(ref["dtime"])
    pd.testing.assert_series_equal(pd.to_timedelta(ours["mytime"]), pd.to_timedelta(ref["mytime"]))
    assert ours["mynum"].tolist() == ["1.1", "1.2", "-1000.3", "-1.4", "1000.3"]


def test_spss_user_missing_values_read_as_missing():
    """Reference 1: pyreadstat's own read with user_missing=False, which turns SPSS user-missing values into
    NaN. Reference 2: pyreadstat_sample_missing.csv, SPSS' export of the same file, which writes #NULL! for
    every missing cell. pyreadstat_sample_missing_user.csv shows the user-missing codes themselves: mynum
    -1 and 2500 (range 2000–3000), mylabl -1, myord -1 and -3."""
    import pyreadstat

    table = read_raw_table(SPSS / "pyreadstat_sample_missing.sav")
    _all_text(table)
    ours = table.frame
    assert ours.shape == (7, 7)

    ref, _ = pyreadstat.read_sav(str(SPSS / "pyreadstat_sample_missing.sav"), user_missing=False)
    ref_missing = ref.isna() | ref.eq("")
    pd.testing.assert_frame_equal(ours.isna(), ref_missing, check_dtype=False)
    for col in ("mynum", "mylabl", "myord"):
        got = pd.to_numeric(ours[col]).astype("float64").to_numpy(na_value=float("nan"))
        assert got.tolist() == pytest.approx(ref[col].tolist(), nan_ok=True)

    spss_csv = read_raw_table(SPSS / "pyreadstat_sample_missing.csv").frame
    numeric = ["mynum", "mydate", "dtime", "mylabl", "myord", "mytime"]
    pd.testing.assert_frame_equal(ours[numeric].isna(), spss_csv[numeric].eq("#NULL!"), check_dtype=False)

    for count, col in ((2, "mynum"), (1, "mylabl"), (2, "myord")):
        value = "values" if count > 1 else "value"
        verb = "are" if count > 1 else "is"
        assert (f"pyreadstat_sample_missing.sav: {count} {value} of '{col}' {verb} SPSS user-missing and read "
                "as missing") in table.notes
    assert table.value_labels["mylabl"] == {"-1": "undetermined", "1": "Male", "2": "Female"}


def test_spss_missing_test_var1_value_1_is_user_missing():
    """pyreadstat_missing_test.sav holds var1 = 1, 2 with 1 declared user-missing (label 'missing')."""
    table = read_raw_table(SPSS / "pyreadstat_missing_test.sav")
    assert pd.isna(table.frame.loc[0, "var1"])
    assert table.frame.loc[1, "var1"] == "2"
    assert table.value_labels == {"var1": {"1": "missing"}}
    assert "pyreadstat_missing_test.sav: 1 value of 'var1' is SPSS user-missing and read as missing" in table.notes


def test_spss_missing_ranges_and_discrete_values():
    """pyreadstat_mr_simple_alltypes.sav declares x ∈ {7, 8, 99} and z ∈ [-999, 0] ∪ {999} user-missing; its
    values are x = 1, 2, 3, 4, 8, 9 and z = -9, NaN, 1.234, 999, 3.14159, NaN (pyreadstat, user_missing=True).
    The text 'NA' in column str is a real string and stays one."""
    table = read_raw_table(SPSS / "pyreadstat_mr_simple_alltypes.sav")
    assert table.frame["x"].tolist() == ["1", "2", "3", "4", pd.NA, "9"]
    assert table.frame["z"].tolist() == [pd.NA, pd.NA, "1.234", pd.NA, "3.14159", pd.NA]
    assert table.frame.loc[3, "str"] == "NA"
    assert table.frame["y"].tolist()[:4] == ["2000-01-01", "2000-01-02", "1950-12-24", "1776-07-04"]


# --------------------------------------------------------------------------- delimited text

ROWS = [
    ["response_id", "unit_id", "csat", "score", "comment", "amount"],
    ["C1", "U01", "5", "4,5", "Hyvä palvelu; nopea kassa", "12,50 €"],
    ["C2", "U02", "3", "-0,25", 'Jono oli pitkä, mutta "ystävällinen" myyjä\nja öljy löytyi', "versio 2,3"],
    ["C3", "U01", "", "7", "", "1,0"],
]


def _twin(rows: list[list[str]]) -> list[list[str]]:
    """The rows as a UTF-8 comma CSV holds them: decimal point in the number-only cells."""
    import re

    return [rows[0]] + [[re.sub(r"^(-?\d+),(\d+)$", r"\1.\2", c) for c in r] for r in rows[1:]]


def _csv_text(rows: list[list[str]], delimiter: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def test_finnish_excel_csv_reads_like_its_utf8_twin(tmp_path):
    """Expected frame: the same rows written as a UTF-8 comma CSV with 4.5 / -0.25 / 1.0 — what Finnish Excel's
    "CSV (semicolon delimited)" (cp1252, ';', decimal comma) must read to. Text cells holding a comma
    ('12,50 €', 'versio 2,3') and a quoted ';' or line break are left exactly as written."""
    fi = tmp_path / "customer_responses.csv"
    fi.write_bytes(_csv_text(ROWS, ";").encode("cp1252"))
    en = tmp_path / "customer_responses_utf8.csv"
    en.write_bytes(_csv_text(_twin(ROWS), ",").encode("utf-8"))

    a, b = read_raw_table(fi), read_raw_table(en)
    _all_text(a)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert a.frame.loc[0, "score"] == "4.5" and a.frame.loc[1, "score"] == "-0.25"
    assert a.frame.loc[0, "comment"] == "Hyvä palvelu; nopea kassa"
    assert a.frame.loc[0, "amount"] == "12,50 €" and a.frame.loc[1, "amount"] == "versio 2,3"
    assert a.frame.loc[1, "comment"].endswith("ja öljy löytyi")
    assert pd.isna(a.frame.loc[2, "csat"])
    assert a.format == b.format == "csv" and a.first_data_row == b.first_data_row == 2
    joined = " | ".join(a.notes)
    assert "customer_responses.csv: read as cp1252 (not UTF-8)" in a.notes
    assert "semicolon-delimited" in joined and "decimal comma" in joined
    assert all(n.startswith("customer_responses.csv: ") for n in a.notes)
    assert b.notes == []


def test_utf8_bom_is_stripped(tmp_path):
    """Expected: the file without a BOM; a BOM must not end up in the first column's name."""
    text = _csv_text(_twin(ROWS), ",")
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    plain.write_bytes(text.encode("utf-8"))
    bom.write_bytes(text.encode("utf-8-sig"))
    a, b = read_raw_table(plain), read_raw_table(bom)
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert b.frame.columns[0] == "response_id"
    assert b.notes == []


def test_latin1_tab_delimited_and_rows_numbered_by_record(tmp_path):
    """Byte 0x81 is undefined in cp1252, so only latin-1 decodes it; a quoted line break stays inside one
    record, and a row with too many cells is reported with its record number (row 4 of the file)."""
    path = tmp_path / "units.tsv"
    path.write_bytes(b"unit_id\tname\r\nU01\t\"Kauppa\r\nA\x81\"\r\nU02\tB\r\n")
    table = read_raw_table(path)
    assert table.frame["name"].tolist() == ["Kauppa\r\nA\x81", "B"]
    assert "units.tsv: read as latin-1 (not UTF-8 or cp1252)" in table.notes
    assert "units.tsv: tab-delimited" in table.notes

    bad = tmp_path / "units.csv"
    bad.write_text('unit_id,name\nU01,"Kauppa, A"\nU02,Kauppa, B\nU03,C,\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_raw_table(bad)
    assert err.value.problems == ["units.csv:3: 3 cells where the header has 2 — expected one cell per header "
                                  "column (quote cells that contain the delimiter)"]


def test_excel_sep_line_empty_middle_row_and_trailing_rows(tmp_path):
    """A file as Excel writes with a 'sep=;' hint line: the header is row 2, data from row 3; an empty row in
    the middle stays (so row numbers match) and ';;' rows at the end are ignored."""
    path = tmp_path / "units.csv"
    path.write_text("sep=;\nunit_id;name\nU01;A\n;\nU02;B\n;\n;\n", encoding="utf-8")
    table = read_raw_table(path)
    assert table.first_data_row == 3
    assert table.frame["unit_id"].tolist() == ["U01", pd.NA, "U02"]
    assert any("row 4 is empty" in n for n in table.notes)


# --------------------------------------------------------------------------- Excel


def test_xlsx_cells_as_text(tmp_path):
    """Expected strings are what the cells hold as Excel shows them: 42 not 42.0, 4.5, 0.1+0.2 shown at 15
    significant digits (0.3), a date as 2024-03-01, a datetime column with a non-midnight time in full, an
    empty cell as <NA>; the header is row 1 so data start on row 2."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["response_id", "csat", "score", "visited", "answered_at", "comment", "lang"])
    ws.append(["C1", 5, 4.5, dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 14, 30), "Hyvä", "fi"])
    ws.append(["C2", 3.0, 0.1 + 0.2, dt.datetime(2024, 3, 2), dt.datetime(2024, 3, 2), None, "en"])
    ws.append(["C3", -2, 1e-4, None, None, "ok", None])
    wb.create_sheet("notes")["A1"] = "ignored"
    path = tmp_path / "customer_responses.xlsx"
    wb.save(path)

    table = read_raw_table(path)
    _all_text(table)
    expected = _frame({
        "response_id": ["C1", "C2", "C3"],
        "csat": ["5", "3", "-2"],
        "score": ["4.5", "0.3", "0.0001"],
        "visited": ["2024-03-01", "2024-03-02", None],
        "answered_at": ["2024-03-01 14:30:00", "2024-03-02 00:00:00", None],
        "comment": ["Hyvä", None, "ok"],
        "lang": ["fi", "en", None],
    })
    pd.testing.assert_frame_equal(table.frame, expected)
    assert table.format == "xlsx" and table.first_data_row == 2
    assert "customer_responses.xlsx: read the first sheet 'Sheet' of 2 (the others are ignored)" in table.notes


# --------------------------------------------------------------------------- errors


def test_empty_files_are_errors(tmp_path):
    """Message format from the brief: '{name}:1: empty file — expected a header row and data rows'."""
    for name, content in (("customer_responses.csv", b""), ("units.csv", b"\r\n\r\n"), ("x.sav", b"")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ValidationError) as err:
            read_raw_table(path)
        assert err.value.problems == [f"{name}:1: empty file — expected a header row and data rows"]

    import openpyxl

    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ValidationError) as err:
        read_raw_table(path)
    assert err.value.problems == ["empty.xlsx:1: empty file — expected a header row and data rows"]


def test_unknown_extension_and_missing_file(tmp_path):
    """Message formats from the brief."""
    pdf = tmp_path / "customer_responses.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValidationError) as err:
        read_raw_table(pdf)
    assert err.value.problems == [f"{pdf}: unsupported file type '.pdf' — expected .csv, .xlsx or .sav"]

    missing = tmp_path / "nope.csv"
    with pytest.raises(ValidationError) as err:
        read_raw_table(missing)
    assert err.value.problems == [f"{missing}: file not found — expected a CSV, Excel or SPSS table"]


def test_unreadable_excel_and_spss_files(tmp_path):
    """A text file renamed .xlsx/.sav is not a workbook/SPSS file: one 'cannot read' message naming it."""
    for name, expected in (("a.xlsx", "expected an Excel .xlsx workbook"), ("a.sav", "expected an SPSS .sav file")):
        path = tmp_path / name
        path.write_text("response_id,csat\nC1,5\n", encoding="utf-8")
        with pytest.raises(ValidationError) as err:
            read_raw_table(path)
        (problem,) = err.value.problems
        assert problem.startswith(f"{name}: cannot read (") and problem.endswith(expected)


# --------------------------------------------------------------------------- read-only


def test_raw_files_are_unchanged_and_nothing_is_written(tmp_path):
    """Bytes, modification times and the folder listings before and after reading are the reference."""
    fi = tmp_path / "customer_responses.csv"
    fi.write_bytes(_csv_text(ROWS, ";").encode("cp1252"))
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.active.append([1, 2])
    wb.save(tmp_path / "units.xlsx")
    files = [fi, tmp_path / "units.xlsx"]
    files += sorted(QUALTRICS.glob("*.csv")) + sorted(SPSS.glob("*.sav"))

    folders = {f.parent for f in files}
    before = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files}
    listing = {d: sorted(p.name for p in d.iterdir()) for d in folders}
    for f in files:
        read_raw_table(f)
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in files} == before
    assert {d: sorted(p.name for p in d.iterdir()) for d in folders} == listing


def test_spss_user_missing_dates_and_strings(tmp_path):
    """A .sav written here by pyreadstat (ReadStat) with user-missing values declared on a date column (a
    range 1994-09-26…2001-01-27 in SPSS seconds), a string column ('zz') and a number (99): the expected
    values are the written ones with exactly those cells missing."""
    import pyreadstat

    df = pd.DataFrame({"visited": [dt.date(2020, 1, 1), dt.date(1999, 9, 9), None],
                       "segment": ["a", "zz", "b"], "csat": [1.0, 99.0, 2.5]})
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(df, str(path), missing_ranges={
        "segment": ["zz"], "csat": [99], "visited": [{"lo": 13_000_000_000.0, "hi": 13_200_000_000.0}]})
    table = read_raw_table(path)
    pd.testing.assert_frame_equal(table.frame, _frame({
        "visited": ["2020-01-01", None, None], "segment": ["a", None, "b"], "csat": ["1", None, "2.5"]}))
    assert [n for n in table.notes if "user-missing" in n] == [
        f"survey.sav: 1 value of '{c}' is SPSS user-missing and read as missing"
        for c in ("visited", "segment", "csat")]


def test_utf16_text_with_bom(tmp_path):
    """Excel's "Unicode text" is tab-delimited UTF-16 with a BOM; expected: the same frame as the UTF-8 twin."""
    text = _csv_text(_twin(ROWS), "\t")
    path = tmp_path / "customer_responses.txt"
    path.write_bytes(text.encode("utf-16"))
    twin = tmp_path / "twin.csv"
    twin.write_bytes(_csv_text(_twin(ROWS), ",").encode("utf-8"))
    table = read_raw_table(path)
    pd.testing.assert_frame_equal(table.frame, read_raw_table(twin).frame)
    assert "customer_responses.txt: read as UTF-16 (not UTF-8)" in table.notes


def test_unclosed_quote_is_an_error_not_a_giant_cell(tmp_path):
    """Row 2 opens a quote that never closes: without a check the rest of the file would become one cell.
    A stray quote after a closing one ('"a"b') is read leniently, as Excel does."""
    path = tmp_path / "units.csv"
    path.write_text('unit_id,name\nU01,"Kauppa A\nU02,B\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_raw_table(path)
    assert err.value.problems == ["units.csv:2: cannot read (a quoted cell that starts on this row never closes) — "
                                  "expected a comma-delimited text table; end every quoted cell with a quote"]
    path.write_text('unit_id,name\nU01,"Kauppa"A\nU02,5" screen\n', encoding="utf-8")
    assert read_raw_table(path).frame["name"].tolist() == ["KauppaA", '5" screen']


# --------------------------------------------------------------------------- Arrow fast path

_TRICKY = {
    "quotes_and_delimiters.csv": 'id,comment,score\n1,"a, b",3\n2,"she said ""hi""",4\n3,,5\n',
    "crlf.csv": "id,comment\r\n1,hello\r\n2,\r\n",
    "no_final_newline.csv": "id,x\n1,a\n2,b",
    "semicolon_decimal_comma.csv": "id;x;y\n1;4,5;a\n2;3;b\n",
    "quoted_newline.csv": 'id,comment\n1,"two\nlines"\n2,ok\n',
    "blank_row.csv": "id,x\n1,a\n,\n2,b\n",
    "trailing_empty_rows.csv": "id,x\n1,a\n,\n,\n",
    "short_row.csv": "id,x,y\n1,a\n2,b,c\n",
    "long_row.csv": "id,x\n1,a,zz\n",
    "repeated_names.csv": "id,x,x\n1,a,b\n",
    "nameless_column.csv": "id,,x\n1,,a\n",
    "header_only.csv": "id,x\n",
    "na_words_are_text.csv": "id,x\n1,NA\n2,null\n3,N/A\n",
    "spaces_kept.csv": "id,x\n1, a \n",
    "tab.csv": "id\tx\n1\ta\n",
}


def _both_ways(path):
    from cxresearch.io.readers import _read_delimited

    out = []
    for fast in (True, False):
        try:
            t = _read_delimited(path, keep_personal=False, fast=fast)
            out.append((t.frame, t.notes, t.first_data_row, t.format))
        except ValidationError as err:
            out.append(("error", err.problems))
    return out


def test_arrow_fast_path_reads_every_table_exactly_as_the_row_by_row_path(tmp_path):
    """The reference is our own row-by-row reader (csv module; its behaviour is what the other tests in this file
    pin). On the bundled example, every CSV in the bad-input corpus and the fixtures, and tables written to hit
    each rule (quotes, CRLF, decimal commas, quoted newlines, blank, short and long rows, repeated and missing
    names, NA-like words), the fast path gives the same frame, notes, first data row and format — or the same
    errors — and it is really taken for plain tables such as the example's."""
    from cxresearch.io.readers import decode_text, _fast_frame

    paths = sorted(ROOT.joinpath("data", "example").glob("*.csv"))
    paths += sorted(ROOT.joinpath("tests", "bad_inputs").rglob("*.csv"))
    paths += sorted(ROOT.joinpath("tests", "fixtures").rglob("*.csv"))
    for fname, text in _TRICKY.items():
        (tmp_path / fname).write_text(text, encoding="utf-8", newline="")
        paths.append(tmp_path / fname)
    assert len(paths) >= 30
    for path in paths:
        fast, slow = _both_ways(path)
        if isinstance(slow[0], str):
            assert isinstance(fast[0], str) and fast[1] == slow[1], path
            continue
        assert not isinstance(fast[0], str), (path, fast[1])
        pd.testing.assert_frame_equal(fast[0], slow[0], obj=str(path))
        assert fast[1:] == slow[1:], path
    taken = [p.name for p in paths if _fast_frame(decode_text(p.read_bytes(), p.name)[0], ",") is not None]
    assert {"customer_responses.csv", "employee_responses.csv", "units.csv", "quotes_and_delimiters.csv", "crlf.csv", "no_final_newline.csv",
            "na_words_are_text.csv"} <= set(taken)
    for fallback in ("quoted_newline.csv", "blank_row.csv", "short_row.csv", "repeated_names.csv",
                     "nameless_column.csv", "header_only.csv"):
        assert fallback not in taken


def test_per_distinct_spreads_one_result_per_distinct_value_and_fills_missing_rows():
    """The expected values are written out by hand: ``fn`` sees each distinct value once, in first-seen order;
    missing rows take ``fill`` (a scalar or a row-aligned array); an all-missing input never calls ``fn``."""
    import numpy as np

    from cxresearch.io.tables import per_distinct

    seen = []

    def double(values):
        seen.append(list(values))
        return [2 * int(v) for v in values]

    values = pd.Series(["3", None, "1", "3", "1"], dtype="string")
    assert per_distinct(values, double, -1).tolist() == [6, -1, 2, 6, 2]
    assert seen == [["3", "1"]]
    rows = np.array(["a", "b", "c", "d", "e"], dtype=object)
    assert per_distinct(values, double, rows).tolist() == [6, "b", 2, 6, 2]
    assert per_distinct(pd.Series([None, None], dtype="string"), double, 0.5).tolist() == [0.5, 0.5]
    assert len(seen) == 2
