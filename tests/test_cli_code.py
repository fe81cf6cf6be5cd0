"""``cxresearch code``: the command-line face of the auto-coder (DESIGN §7)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from cxresearch.qual.transcripts import read_transcript

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "cxresearch"]
TRANSCRIPT = ROOT / "data" / "example" / "interviews" / "int_001.md"


def _run(*args, stdin: str | None = None):
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False)


def test_code_a_transcript_as_json():
    out = _run("code", str(TRANSCRIPT), "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows, "the example transcript carries planted codes"
    _, body, turns = read_transcript(TRANSCRIPT)
    respondent = set(turns.loc[~turns["is_interviewer"], "turn"])
    for row in rows:
        assert {"segment_id", "code", "valence", "lang", "text", "cue", "start", "end"} <= set(row)
        assert row["segment_id"] == f"int_001#{row['turn']}"
        assert row["turn"] in respondent  # interviewer questions are never coded
        assert body[row["start"]:row["end"]] == row["text"]
        assert row["lang"] == "fi"
        assert row["valence"] in {"positive", "negative", "neutral"}
    assert "coded segment(s)" in out.stderr


def test_code_plain_text_from_stdin_as_csv():
    text = "Meillä ei ole tarpeeksi henkilökuntaa iltaisin.\n\nThe queue at the till took ages.\n\nNice weather.\n"
    out = _run("code", "-", "--format", "csv", stdin=text)
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout))
    got = set(zip(table["segment_id"], table["code"], table["valence"], table["lang"]))
    assert ("stdin#0", "staffing", "negative", "fi") in got
    assert ("stdin#1", "hygiene_checkout", "negative", "en") in got
    assert "stdin#2" not in set(table["segment_id"])  # nothing said about any code
    for row in table.itertuples():
        assert text[row.start:row.end] == row.text


def test_code_a_folder_and_a_forced_language():
    out = _run("code", str(TRANSCRIPT.parent), "--lang", "en", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len({r["source"] for r in rows}) > 10
    assert {r["lang"] for r in rows} == {"en"}


def test_code_reports_a_missing_path_and_a_broken_transcript(tmp_path):
    out = _run("code", str(tmp_path / "nope.md"))
    assert out.returncode == 1
    assert "nope.md: not found" in out.stderr
    bad = tmp_path / "bad.md"
    bad.write_text("---\nid: x\nrole: customer\nunit_id: U01\nlang: fi\ndate: 2026-01-01\n"
                   "speakers: [Haastattelija, Asiakas]\n---\nAsikas: Jono oli pitkä.\n", encoding="utf-8")
    out = _run("code", str(bad))
    assert out.returncode == 1
    assert "bad.md:9:speaker: 'Asikas' — expected one of Haastattelija, Asiakas" in out.stderr
    assert out.stdout == ""


def test_codings_lists_a_refi_qda_project_and_reports_missing_texts():
    """The NVivo 12.6 project (tests/fixtures/refi_qda): 330 text selections, both source texts absent."""
    out = _run("codings", str(ROOT / "tests" / "fixtures" / "refi_qda" / "nvivo_12.6_project.qde"), "--format", "csv")
    assert out.returncode == 0, out.stderr
    table = pd.read_csv(io.StringIO(out.stdout))
    assert len(table) == 330
    assert {"source", "start", "end", "code", "coder"} <= set(table.columns)
    assert (table["start"] < table["end"]).all()
    assert table["code"].str.contains("/").any()  # full path in the code hierarchy
    assert out.stderr.count("not found") == 2


def test_codings_lists_our_csv_as_json():
    out = _run("codings", str(ROOT / "data" / "example" / "codings.csv"))
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    csv = pd.read_csv(ROOT / "data" / "example" / "codings.csv")
    assert len(rows) == len(csv)
    assert {r["coder"] for r in rows} == set(csv["coder"])
