"""The bundled example is exactly `cxresearch synth data/example --seed 2026` output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_bundled_example_regenerates_byte_for_byte(tmp_path):
    """Regenerating with the documented command gives the committed files, byte for byte."""
    out = tmp_path / "example"
    subprocess.run([sys.executable, "-m", "cxresearch", "synth", str(out), "--seed", "2026"], check=True,
                   capture_output=True, text=True)
    regenerated, bundled = _files(out), _files(EXAMPLE)
    assert sorted(regenerated) == sorted(bundled)
    changed = [name for name in bundled if bundled[name] != regenerated[name]]
    assert changed == []


def test_bundled_example_has_the_promised_size():
    """Issue 2: about 12 units, 6 moments, 5–10k customer responses, 300+ employee responses over 2 waves,
    20+ interviews in both languages."""
    import pandas as pd

    customers = pd.read_csv(EXAMPLE / "customer_responses.csv")
    employees = pd.read_csv(EXAMPLE / "employee_responses.csv")
    units = pd.read_csv(EXAMPLE / "units.csv")
    assert 10 <= len(units) <= 14
    assert customers["moment"].nunique() == 6
    assert 5000 <= len(customers) <= 10000
    assert len(employees) >= 300 and employees["wave"].nunique() == 2
    interviews = list((EXAMPLE / "interviews").glob("*.md"))
    assert len(interviews) >= 20
    langs = {line.split(":", 1)[1].strip() for p in interviews for line in p.read_text(encoding="utf-8").splitlines()
             if line.startswith("lang:")}
    assert langs == {"fi", "en"}
