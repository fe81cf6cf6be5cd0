"""The command-line contract on bad input (DESIGN §7): exit non-zero with one line per problem on stderr, never a
traceback; machine output on stdout only when the command succeeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxresearch.cli import main

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "cxresearch"]
EXAMPLE = ROOT / "data" / "example"
TRANSCRIPT = EXAMPLE / "interviews" / "int_001.md"


def _run(*args, stdin: bytes | None = None):
    out = subprocess.run([*CLI, *map(str, args)], input=stdin, capture_output=True, cwd=ROOT, check=False)
    return out.returncode, out.stdout.decode("utf-8"), out.stderr.decode("utf-8")


def _one_line_error(rc: int, err: str, *needles: str) -> str:
    """Assert the contract for a failure: exit 1, one line on stderr holding every needle, no traceback."""
    assert rc == 1, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], err
    return lines[0]


def _cli(capsys, *args) -> tuple[int, str, str]:
    rc = main([str(a) for a in args])
    out = capsys.readouterr()
    return rc, out.out, out.err


# --------------------------------------------------------------------------- reliability


def _table(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_reliability_empty_file_is_one_line(tmp_path, capsys):
    """An empty CSV is a one-line error naming the file, not csv's 'Could not determine delimiter' traceback."""
    path = _table(tmp_path, "empty.csv", b"")
    rc, out, err = _cli(capsys, "reliability", path)
    _one_line_error(rc, err, "empty.csv", "empty")
    assert out == ""


def test_reliability_reads_latin1_and_bom(tmp_path, capsys):
    """A Latin-1 table is decoded (with a note) and a UTF-8 BOM (Excel) does not hide the column 'unit'."""
    latin = _table(tmp_path, "lat.csv", "unit,coder,value\nu1,A,hyvä\nu1,B,hyvä\nu2,A,tyly\nu2,B,hyvä\n"
                                        "u3,A,tyly\nu3,B,tyly\n".encode("latin-1"))
    rc, out, err = _cli(capsys, "reliability", latin, "--bootstrap", "20")
    assert rc == 0, err
    assert json.loads(out)["n_units"] == 3
    assert "lat.csv" in err and "cp1252" in err
    bom = _table(tmp_path, "bom.csv", "unit,coder,value\nu1,A,a\nu1,B,a\nu2,A,b\nu2,B,b\n".encode("utf-8-sig"))
    rc, out, err = _cli(capsys, "reliability", bom, "--bootstrap", "20")
    assert rc == 0, err
    assert json.loads(out)["n_units"] == 2 and json.loads(out)["alpha"] == 1.0


def test_reliability_na_like_labels_are_categories(tmp_path, capsys):
    """NA, null, None and N/A are nominal category labels; only an empty cell is missing."""
    path = _table(tmp_path, "na.csv", b"unit,coder,value\nu1,A,NA\nu1,B,NA\nu2,A,null\nu2,B,null\n"
                                      b"u3,A,None\nu3,B,None\nu4,A,N/A\nu4,B,N/A\nu5,A,x\nu5,B,\n")
    rc, out, err = _cli(capsys, "reliability", path, "--bootstrap", "20")
    assert rc == 0, err
    report = json.loads(out)
    assert (report["n_units"], report["n_units_total"], report["alpha"]) == (4, 5, 1.0)


def test_reliability_ragged_rows_and_text_under_a_numeric_level(tmp_path, capsys):
    """A row wider or narrower than the header is one line per row (not silently shifted); text such as NA under
    --level interval is one line naming it."""
    path = _table(tmp_path, "rag.csv", b"unit,coder,value\nu1,A,1,2\nu1,B,1\nu2,A\n")
    rc, out, err = _cli(capsys, "reliability", path)
    assert rc == 1 and "Traceback" not in err and "Warning" not in err
    assert err.strip().splitlines() == [f"{path}:2: 4 cell(s) — expected 3, as in the header",
                                        f"{path}:4: 2 cell(s) — expected 3, as in the header"]
    path = _table(tmp_path, "num.csv", b"unit,coder,value\nu1,A,1\nu1,B,NA\nu2,A,2\nu2,B,2\n")
    rc, out, err = _cli(capsys, "reliability", path, "--level", "interval")
    _one_line_error(rc, err, "num.csv", "'NA'", "interval")


def test_reliability_folder_and_missing_file(tmp_path, capsys):
    """A folder is 'is a folder — expected a CSV file'; a missing file is still 'not found'."""
    rc, out, err = _cli(capsys, "reliability", tmp_path)
    _one_line_error(rc, err, str(tmp_path), "is a folder — expected a CSV file")
    rc, out, err = _cli(capsys, "reliability", tmp_path / "nope.csv")
    _one_line_error(rc, err, "nope.csv", "not found")


def test_reliability_help_has_no_doubled_percent(capsys):
    """The --help description says '95%', not argparse's unformatted '95%%', and documents NA labels."""
    with pytest.raises(SystemExit):
        main(["reliability", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "95%" in text and "%%" not in text
    assert "N/A" in text and "empty" in text


# --------------------------------------------------------------------------- code


def test_code_latin1_file_is_decoded_with_a_note(tmp_path):
    """A cp1252/Latin-1 text file is coded (not a UnicodeDecodeError), with a note naming the encoding."""
    path = tmp_path / "lat.txt"
    path.write_bytes("Henkilökuntaa ei ole tarpeeksi iltaisin.\n".encode("latin-1"))
    rc, out, err = _run("code", path, "--format", "json")
    assert rc == 0, err
    rows = json.loads(out)
    assert any(r["code"] == "staffing" for r in rows)
    assert "Henkilökuntaa" in rows[0]["text"]
    assert "lat.txt" in err and "cp1252" in err and "Traceback" not in err


def test_code_non_utf8_stdin_is_decoded():
    """Non-UTF-8 bytes on stdin are read as bytes and decoded like a file, not a UnicodeEncodeError."""
    rc, out, err = _run("code", "-", stdin="Henkilökuntaa ei ole tarpeeksi iltaisin.\n".encode("cp1252"))
    assert rc == 0, err
    rows = json.loads(out)
    assert rows and rows[0]["text"].startswith("Henkilökuntaa")
    assert "stdin" in err and "cp1252" in err


def test_code_transcript_on_stdin_is_a_transcript():
    """A transcript on stdin (front matter '---') is coded as a transcript: respondent turns, its id as source."""
    rc, out, err = _run("code", "-", stdin=TRANSCRIPT.read_bytes())
    assert rc == 0, err
    from_stdin = json.loads(out)
    rc, out, err = _run("code", TRANSCRIPT)
    assert rc == 0, err
    assert from_stdin == json.loads(out)
    assert from_stdin and {r["source"] for r in from_stdin} == {"int_001"}


def test_code_broken_transcript_on_stdin_names_stdin():
    """A broken transcript on stdin is one problem line naming stdin, not a TypeError."""
    text = ("---\nid: x\nrole: customer\nunit_id: U01\nlang: fi\ndate: 2026-01-01\n"
            "speakers: [Haastattelija, Asiakas]\n---\nAsikas: Jono oli pitkä.\n")
    rc, out, err = _run("code", "-", stdin=text.encode("utf-8"))
    _one_line_error(rc, err, "stdin:9:speaker: 'Asikas'")
    assert out == ""


def test_code_codebook_that_is_a_folder(tmp_path, capsys):
    """--codebook naming a folder (or a codebook.yaml that is one) is a one-line problem, not IsADirectoryError."""
    text = tmp_path / "en.txt"
    text.write_text("The queue took ages.\n", encoding="utf-8")
    rc, out, err = _cli(capsys, "code", text, "--codebook", tmp_path)
    _one_line_error(rc, err, str(tmp_path), "folder")
    (tmp_path / "codebook.yaml").mkdir()
    rc, out, err = _cli(capsys, "code", text, "--codebook", tmp_path / "codebook.yaml")
    _one_line_error(rc, err, "codebook.yaml", "folder")


def test_codebook_yaml_error_is_one_line_with_position(tmp_path, capsys):
    """A YAML syntax error in a codebook is FILE:LINE:COLUMN: not valid YAML (problem), 1-based, on one line."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - id: x\n    label: {fi: a, en: b\ncodes: []\n", encoding="utf-8")
    text = tmp_path / "en.txt"
    text.write_text("The queue took ages.\n", encoding="utf-8")
    rc, out, err = _cli(capsys, "code", text, "--codebook", bad)
    line = _one_line_error(rc, err, "not valid YAML (")
    import yaml

    from cxresearch.config import YAML_LOADER

    with pytest.raises(yaml.YAMLError) as info:
        yaml.load(bad.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    mark = info.value.problem_mark
    assert line == f"bad.yaml:{mark.line + 1}:{mark.column + 1}: not valid YAML ({info.value.problem})"


# --------------------------------------------------------------------------- validate --params


def test_validate_named_params_that_does_not_exist(tmp_path, capsys):
    """An explicitly named --params file that does not exist is an error, not silently ignored."""
    rc, out, err = _cli(capsys, "validate", EXAMPLE, "--params", tmp_path / "nope.yaml")
    _one_line_error(rc, err, "nope.yaml", "not found")


def test_validate_params_yaml_error_and_folder(tmp_path, capsys):
    """--params with a YAML syntax error, or naming a folder, is one line naming the file."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("journey: [a\n", encoding="utf-8")
    rc, out, err = _cli(capsys, "validate", EXAMPLE, "--params", bad)
    _one_line_error(rc, err, "bad.yaml:", "not valid YAML")
    rc, out, err = _cli(capsys, "validate", EXAMPLE, "--params", tmp_path)
    _one_line_error(rc, err, str(tmp_path), "folder")


# --------------------------------------------------------------------------- synth

SMALL = ("--units", "2", "--customers", "10", "--interviews", "0")


def test_synth_onto_a_file_or_an_unwritable_place(tmp_path, capsys):
    """synth onto an existing regular file, or somewhere it cannot write, is a one-line error."""
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    rc, out, err = _cli(capsys, "synth", afile, *SMALL)
    _one_line_error(rc, err, "afile")
    assert afile.read_text(encoding="utf-8") == "x"
    rc, out, err = _cli(capsys, "synth", afile / "sub", *SMALL)  # a folder under a file: cannot be created
    _one_line_error(rc, err, "afile")
    rc, out, err = _run("synth", "/proc/nope", *SMALL)
    _one_line_error(rc, err, "/proc")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_synth_rejects_a_non_finite_effect(tmp_path, capsys, value):
    """--ex-effect nan/inf/-inf is rejected with one line; nothing is written and stdout stays empty."""
    rc, out, err = _cli(capsys, "synth", tmp_path / "s", f"--ex-effect={value}", "--json", *SMALL)
    _one_line_error(rc, err, "ex-effect")
    assert out == "" and not (tmp_path / "s").exists()


def test_synth_rejects_a_negative_seed(tmp_path, capsys):
    """--seed -1 is a one-line argument error before any work is done."""
    rc, out, err = _cli(capsys, "synth", tmp_path / "s", "--seed", "-1", *SMALL)
    _one_line_error(rc, err, "seed")
    assert not (tmp_path / "s").exists()


# --------------------------------------------------------------------------- the last line of defence


def test_main_turns_an_uncaught_oserror_into_one_line(monkeypatch, capsys):
    """An OSError or UnicodeError nothing else caught is one line 'error: …' with exit 1."""
    import cxresearch.cli as cli

    def boom(args):
        raise PermissionError(13, "Permission denied", "/some/file")

    def bad_text(args):
        b"\xff".decode("utf-8")

    for func in (boom, bad_text):
        monkeypatch.setattr(cli, "_reliability", func)  # build_parser() binds the handler when main() calls it
        rc = main(["reliability", "x.csv"])
        line = _one_line_error(rc, capsys.readouterr().err, "error: ")
        if func is boom:
            assert "/some/file" in line and "Permission denied" in line
