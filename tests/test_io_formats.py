"""One data folder, its customer table arriving in each format a fieldwork agency might send: every form
validates to the same typed table as the plain UTF-8 CSV (the reference), and the notes say how it was read."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cxresearch.io.validate import load_data_dir

BASE = Path(__file__).resolve().parent / "bad_inputs" / "_base"


@pytest.fixture(scope="module")
def reference():
    tables, report = load_data_dir(BASE)
    assert report.ok, report.problems
    return tables["customers"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    (folder / "customer_responses.csv").unlink()
    return folder


def _rows() -> list[dict[str, str]]:
    with open(BASE / "customer_responses.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _same(tables, report, reference):
    assert report.ok, report.problems
    pd.testing.assert_frame_equal(tables["customers"][list(reference.columns)], reference)


def test_finnish_excel_csv_semicolon_decimal_comma_cp1252_finnish_dates(tmp_path, reference):
    folder = _folder(tmp_path)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    rows = _rows()
    writer.writerow(rows[0].keys())
    for r in rows:
        y, m, d = r["responded_at"].split("-")
        r = r | {"responded_at": f"{int(d)}.{int(m)}.{y}", "csat": r["csat"] + ",0"}  # 5.2.2026; 4,0
        writer.writerow(r.values())
    (folder / "customer_responses.csv").write_bytes(out.getvalue().encode("cp1252"))
    tables, report = load_data_dir(folder)
    _same(tables, report, reference)
    notes = " ".join(report.notes)
    assert "cp1252" in notes and "semicolon" in notes and "decimal comma" in notes


def test_excel_workbook(tmp_path, reference):
    from openpyxl import Workbook

    folder = _folder(tmp_path)
    wb = Workbook()
    ws = wb.active
    rows = _rows()
    ws.append(list(rows[0].keys()))
    for r in rows:
        values = [int(v) if k in ("csat", "nps", "effort", "expectation", "delivery") and v else (v or None)
                  for k, v in r.items()]
        values[3] = pd.Timestamp(r["responded_at"]).to_pydatetime()
        ws.append(values)
    wb.save(folder / "customer_responses.xlsx")
    _same(*load_data_dir(folder), reference)


def test_spss_file_with_value_labels_and_user_missing(tmp_path, reference):
    """Moments stored as labelled codes (1 = discover …) read as their labels; an NPS of 99 declared
    user-missing reads as missing, as in the reference's empty cell."""
    import pyreadstat

    folder = _folder(tmp_path)
    frame = pd.read_csv(BASE / "customer_responses.csv", dtype=str, keep_default_na=False)
    moments = ["discover", "choose", "buy", "receive", "use", "get_help"]
    codes = {m: i + 1 for i, m in enumerate(moments)}
    out = frame.copy()
    out["moment"] = frame["moment"].map(codes).astype(float)
    for col in ("csat", "nps", "effort", "expectation", "delivery"):
        out[col] = pd.to_numeric(frame[col].replace("", None)).astype(float)
    blank = out["nps"].isna()
    out.loc[blank, "nps"] = 99.0
    out["responded_at"] = pd.to_datetime(frame["responded_at"]).dt.date
    path = folder / "customer_responses.sav"
    pyreadstat.write_sav(out, str(path), variable_value_labels={"moment": {float(v): k for k, v in codes.items()}},
                         missing_ranges={"nps": [99.0]})
    tables, report = load_data_dir(folder)
    _same(tables, report, reference)
    assert any("moment read as its SPSS value labels" in n for n in report.notes)


def test_qualtrics_export_with_a_column_map_and_its_personal_metadata_dropped(tmp_path, reference):
    """Three header rows as Qualtrics writes them, its own names for our columns (mapped in params), and the
    IP address and location it adds: dropped before anything else sees them."""
    folder = _folder(tmp_path)
    rows = _rows()
    ours = list(rows[0].keys())
    theirs = {"response_id": "ResponseId", "csat": "Q1", "nps": "Q2_NPS_GROUP", "comment": "Q3"}
    names = ["StartDate", "IPAddress", "LocationLatitude", "LocationLongitude"] + [theirs.get(c, c) for c in ours]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerow(["Start Date", "IP Address", "Location Latitude", "Location Longitude"] + names[4:])
    writer.writerow([json.dumps({"ImportId": n}) for n in names])
    for k, r in enumerate(rows):
        writer.writerow([f"2026-01-0{1 + k % 9} 10:00:00", f"10.0.0.{k}", "60.17", "24.94", *r.values()])
    (folder / "customer_responses.csv").write_text(out.getvalue(), encoding="utf-8")
    tables, report = load_data_dir(folder, columns={"customers": theirs})
    _same(tables, report, reference)
    assert not {"IPAddress", "LocationLatitude", "LocationLongitude"} & set(tables["customers"].columns)
    assert any("Qualtrics" in n and "IPAddress" in n for n in report.notes)


def test_a_qualtrics_row_problem_names_the_row_of_the_file(tmp_path):
    """Data start on row 4 of a three-header-row export, so the first response's problem is on row 4."""
    folder = _folder(tmp_path)
    rows = _rows()
    rows[0]["csat"] = "7"
    names = list(rows[0].keys())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerow(names)
    writer.writerow([json.dumps({"ImportId": n}) for n in names])
    for r in rows:
        writer.writerow(r.values())
    (folder / "customer_responses.csv").write_text(out.getvalue(), encoding="utf-8")
    _, report = load_data_dir(folder)
    assert report.problems == ["customer_responses.csv:4:csat: '7' — expected an integer 1–5"]
