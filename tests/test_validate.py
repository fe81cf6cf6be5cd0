"""Validation of a data folder: every problem at once, named by file, row and column."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cxresearch.config import DRIVERS
from cxresearch.io.validate import validate_data_dir

ITEMS = [f"{d}_{k}" for d in DRIVERS for k in (1, 2, 3)]

TRANSCRIPT = """---
id: int_001
role: customer
unit_id: U01
lang: en
date: 2026-03-14
speakers: [Interviewer, Customer]
---
Interviewer: Tell me about your last visit.
Customer: The staff were friendly but the queue at the checkout was long.
"""


def _write(folder: Path, customers: str | None = None, employees: str | None = None, units: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "units.csv").write_text(units or "unit_id,name\nU01,Kauppa A\nU02,Kauppa B\n", encoding="utf-8")
    (folder / "customer_responses.csv").write_text(
        customers
        or "response_id,unit_id,moment,responded_at,csat,nps,comment\n"
        "C1,U01,buy,2026-03-01,5,9,Great help\nC2,U02,use,2026-08-01,2,3,\nC3,U01,get_help,2026-09-10,4,,\n",
        encoding="utf-8",
    )
    row = lambda rid, unit, wave: ",".join([rid, unit, wave, *["4"] * len(ITEMS), "8"])  # noqa: E731
    (folder / "employee_responses.csv").write_text(
        employees
        or "\n".join([",".join(["response_id", "unit_id", "wave", *ITEMS, "enps"]),
                      row("E1", "U01", "2026-H1"), row("E2", "U02", "2026-H2"), row("E3", "U01", "2026-H2")]) + "\n",
        encoding="utf-8",
    )
    (folder / "interviews").mkdir(exist_ok=True)
    (folder / "interviews" / "int_001.md").write_text(TRANSCRIPT, encoding="utf-8")
    return folder


def test_a_valid_folder_passes_with_counts(tmp_path):
    """Three customer rows, three employee rows, two units, one interview, as written above."""
    report = validate_data_dir(_write(tmp_path / "d"))
    assert report.problems == []
    assert report.counts["customer_responses"] == 3
    assert report.counts["employee_responses"] == 3
    assert report.counts["units"] == 2
    assert report.counts["interviews"] == 1


def test_every_problem_is_listed_at_once_with_file_row_column(tmp_path):
    """Four planted problems in one file: all four are reported, each naming its row and column."""
    customers = (
        "response_id,unit_id,moment,responded_at,csat\n"
        "C1,U01,buy,2026-03-01,7\n"  # csat out of range (row 2)
        "C1,U09,buy,2026-03-01,3\n"  # duplicate id and unknown unit (row 3)
        "C3,U01,checkout,01/03/2026,4\n"  # unknown moment, bad date (row 4)
    )
    report = validate_data_dir(_write(tmp_path / "d", customers=customers))
    text = "\n".join(report.problems)
    assert "customer_responses.csv:2:csat: '7' — expected an integer 1–5" in text
    assert "customer_responses.csv:3:unit_id: 'U09' — expected a unit_id listed in units.csv" in text
    assert "customer_responses.csv:3:response_id: 'C1' — expected a unique value" in text
    assert "customer_responses.csv:4:moment: 'checkout' — expected one of discover, choose, buy" in text
    assert "customer_responses.csv:4:responded_at: '01/03/2026' — expected a date YYYY-MM-DD or D.M.YYYY" in text


def test_a_misspelled_column_gets_a_suggestion(tmp_path):
    """A header `csta` instead of `csat` is reported as missing with the close match named."""
    customers = "response_id,unit_id,moment,responded_at,csta\nC1,U01,buy,2026-03-01,4\n"
    report = validate_data_dir(_write(tmp_path / "d", customers=customers))
    assert any("customer_responses.csv:1:csat: column missing (did you mean 'csta'?)" in p for p in report.problems)


def test_small_employee_groups_are_a_warning_not_a_problem(tmp_path):
    """Each unit × wave has 1–2 respondents (< 5): warned, yet the folder is valid."""
    report = validate_data_dir(_write(tmp_path / "d"))
    assert report.ok
    assert any("U01 wave 2026-H1 has 1 respondents" in w for w in report.warnings)


def test_cli_validate_exits_non_zero_with_one_line_per_problem(tmp_path):
    """`cxresearch validate` prints each problem on stderr and exits 1 (DESIGN §7)."""
    customers = "response_id,unit_id,moment,responded_at,csat\nC1,U01,buy,2026-03-01,9\nC2,U01,buy,2026-13-01,3\n"
    folder = _write(tmp_path / "d", customers=customers)
    proc = subprocess.run([sys.executable, "-m", "cxresearch", "validate", str(folder)], capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 1
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("customer_responses.csv")]
    assert lines == [
        "customer_responses.csv:2:csat: '9' — expected an integer 1–5",
        "customer_responses.csv:3:responded_at: '2026-13-01' — expected a date YYYY-MM-DD or D.M.YYYY",
    ]
    ok = subprocess.run([sys.executable, "-m", "cxresearch", "validate", str(_write(tmp_path / "ok"))],
                        capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr


def test_raw_files_are_not_modified(tmp_path):
    """Validation reads only: every input file is byte-identical afterwards."""
    folder = _write(tmp_path / "d")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    validate_data_dir(folder)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_columns_outside_the_contract_never_reach_the_tables(tmp_path):
    """A customer export carrying e-mail, phone, identity-code and name columns: validation passes, the loaded
    table (what prepare writes to data/interim) holds only the contract's columns and none of the planted values,
    and a note names the columns left out."""
    from cxresearch.io.validate import load_data_dir

    customers = ("response_id,unit_id,moment,responded_at,csat,email,phone,hetu,customer_name\n"
                 "C1,U01,buy,2026-03-01,5,matti.virtanen@example.fi,040 123 4567,131052-308T,Matti Virtanen\n"
                 "C2,U02,use,2026-08-01,2,,,,\n")
    tables, report = load_data_dir(_write(tmp_path / "d", customers=customers))
    assert report.problems == []
    frame = tables["customers"]
    assert not {"email", "phone", "hetu", "customer_name"} & set(frame.columns)
    flat = frame.astype(str).to_numpy().ravel().tolist()
    assert not any(v in cell for v in ("matti.virtanen", "123 4567", "131052", "Virtanen") for cell in flat)
    assert any("4 column(s) outside the data contract left out" in n and "customer_name" in n for n in report.notes)


def test_transcripts_in_sub_folders_other_encodings_and_case_are_read(tmp_path):
    """A researcher's interviews/ folder: one transcript in wave2/, one ending .MD, one saved as cp1252 (Windows
    Notepad): all three read (3 interviews), the cp1252 one with a note; a checkpoint copy in a hidden folder is
    not a transcript."""
    folder = _write(tmp_path / "d")
    (folder / "interviews" / "wave2").mkdir()
    (folder / "interviews" / "wave2" / "int_002.md").write_text(TRANSCRIPT.replace("int_001", "int_002"), "utf-8")
    (folder / "interviews" / "INT_003.MD").write_bytes(
        TRANSCRIPT.replace("int_001", "int_003").replace("friendly", "ystävällisiä").encode("cp1252"))
    (folder / "interviews" / ".ipynb_checkpoints").mkdir()
    (folder / "interviews" / ".ipynb_checkpoints" / "int_001-checkpoint.md").write_text(TRANSCRIPT, "utf-8")
    report = validate_data_dir(folder)
    assert report.problems == []
    assert report.counts["interviews"] == 3
    assert any("INT_003.MD: read as cp1252" in n for n in report.notes)


def test_transcript_problems_name_their_file_and_line(tmp_path):
    """Planted: a unit the units table lacks (front matter, line 1 of that file), an impossible date, and a YAML
    error on the file's line 6 (the front matter's fifth line); each message names its own file and line."""
    folder = _write(tmp_path / "d")
    (folder / "interviews" / "int_001.md").write_text(TRANSCRIPT.replace("unit_id: U01", "unit_id: U77"), "utf-8")
    (folder / "interviews" / "int_002.md").write_text(
        TRANSCRIPT.replace("int_001", "int_002").replace("2026-03-14", "31.13.2026"), "utf-8")
    (folder / "interviews" / "int_003.md").write_text(
        TRANSCRIPT.replace("int_001", "int_003").replace("date: 2026-03-14", "date: [2026"), "utf-8")
    problems = validate_data_dir(folder).problems
    assert "interviews/int_001.md:1:unit_id: 'U77' — expected a unit_id listed in units.csv" in problems
    assert "interviews/int_002.md:1:date: '31.13.2026' — expected a date YYYY-MM-DD or D.M.YYYY" in problems
    assert any(p.startswith("interviews/int_003.md:6:front matter: not valid YAML") for p in problems)


def test_a_table_without_rows_is_a_problem_not_a_pass(tmp_path):
    """A units.csv with its header only used to pass and switch every unit_id check off; codings without any
    interviews/ folder used to pass unchecked."""
    folder = _write(tmp_path / "d", units="unit_id,name\n")
    (folder / "codings.csv").write_text("interview_id,turn,start,end,code,valence,coder\nint_009,1,0,5,staffing,"
                                        "negative,a\n", encoding="utf-8")
    import shutil

    shutil.rmtree(folder / "interviews")
    problems = validate_data_dir(folder).problems
    assert "units.csv:2:-: no data rows — expected a header row and data rows" in problems
    assert any(p.startswith("codings.csv:2:interview_id: 'int_009'") and "no interviews/ folder" in p
               for p in problems)
