"""Benchmark: the model_survey stage on N customer responses, the way `dvc repro` runs it.

Usage: python benchmarks/model_stage.py [N_RESPONSES] [UNITS]   (default 1,000,000 and 300)

A fresh ``cxresearch synth`` set (employees in proportion: 20 per unit and wave) is prepared into a
temporary project with the repository's notebooks and params; then ``python -m cxresearch run
model_survey`` runs in a child process, so the figure includes interpreter start, the papermill kernel
start, every cell and the HTML render. Peak memory is the largest resident set of that process tree
(the kernel). Prints one JSON line.
"""

from __future__ import annotations

import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(n_responses: int = 1_000_000, units: int = 300) -> dict:
    from cxresearch import stages
    from cxresearch.config import load_params
    from cxresearch.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        proj = Path(tmp) / "proj"
        (proj / "notebooks").mkdir(parents=True)
        for nb in (ROOT / "notebooks").glob("*.py"):
            shutil.copy(nb, proj / "notebooks" / nb.name)
        shutil.copy(ROOT / "params.yaml", proj / "params.yaml")
        t0 = time.perf_counter()
        synthesize(proj / "data" / "raw", seed=11, units=units, customers=n_responses, interviews=0)
        synth_s = time.perf_counter() - t0
        params = load_params(ROOT)
        t0 = time.perf_counter()
        stages.prepare(proj / "data" / "raw", params["journey"], root=proj)
        prepare_s = time.perf_counter() - t0
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "cxresearch", "run", "model_survey"], cwd=proj,
                             capture_output=True, text=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode:
            raise SystemExit(run.stderr[-2000:])
        done = [line for line in run.stderr.splitlines() if "done in" in line]
        metrics = json.loads((proj / "reports" / "metrics" / "model_survey.json").read_text())
    return {
        "benchmark": "model_stage",
        "n_responses": metrics["n_responses"],
        "n_units": metrics["n_units"],
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 2),
        "peak_memory_mib": round(after.ru_maxrss / 1024, 1),  # Linux: KiB; largest child process waited for
        "stage_log": done[-1].strip() if done else None,
        "synth_seconds": round(synth_s, 1),
        "prepare_seconds": round(prepare_s, 1),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    u = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    print(json.dumps(main(n, u)))
