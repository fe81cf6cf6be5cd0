"""Benchmark: the whole pipeline through DVC and papermill, per stage, on growing synthetic sets.

Usage: python benchmarks/pipeline.py [SET ...]   (sets: example, 100k, 1m; default all three)

For each set a temporary copy of the project (its tracked files, no outputs) is pointed at the data and
``dvc repro`` runs one stage at a time (``dvc repro --single-item STAGE``, in pipeline order), so that each
stage's wall time, CPU time (user + system) and peak memory (the largest summed resident set, sampled every 20 ms)
of its processes — its process tree and the kernel it claimed from the stage before (see :func:`measured`) — are
its own, and the seconds its notebook's cells took (papermill's
per-cell durations) split its wall time into work and overhead. Then a no-op ``dvc repro`` is timed. On the example
each stage also runs once without DVC (``python -m cxresearch run STAGE``: its own fixed cost), and the whole
pipeline runs in one ``dvc repro`` in a second copy, as a user runs it. Fixed costs are measured once: a bare
``python -c pass``, a papermill run of a one-cell notebook, the same notebook importing what our stages import, and
the floor under every stage: a kernel started directly that imports what the stages import
(``benchmarks/kernel_floor.py``). Coding throughput comes from ``benchmarks/coding.py``.

Prints a table and writes ``reports/bench.json``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STAGES = ["prepare", "code_interviews", "model_survey", "link_moments", "report"]
SETS = {
    "example": None,
    "100k": {"customers": 100_000, "units": 300, "interviews": 2000},
    "1m": {"customers": 1_000_000, "units": 300, "interviews": 2000},
}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["DVC_NO_ANALYTICS"] = "1"
    env.pop("CXRESEARCH_ROOT", None)
    return env


def measured(args, cwd) -> dict:
    """Run ``args``; wall seconds, CPU seconds and peak summed RSS (MiB) of its processes.

    Its processes: the process tree of ``args`` and any other process working in ``cwd`` — a stage's kernel is
    started by the stage before it (a spare kernel, :mod:`cxresearch.kernels`) and is nobody's child here. CPU
    is sampled with the memory (every 20 ms): for each process, its user + system seconds at the last sample
    minus what it had used when first seen (zero for a process born during the run), so a spare kernel's start
    counts for the stage that ran while it started and its work for the stage that claimed it."""
    t0 = time.perf_counter()
    started = time.time()
    proc = subprocess.Popen(args, cwd=cwd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    first: dict[tuple[int, float], float] = {}
    last: dict[tuple[int, float], float] = {}
    done = threading.Event()
    folder = str(Path(cwd).resolve())

    def project_processes() -> list:
        out = []
        for p in psutil.process_iter(["cwd"]):
            c = p.info.get("cwd") or ""
            if c == folder or c.startswith(folder + os.sep):
                out.append(p)
        return out

    def sample():
        root = psutil.Process(proc.pid)
        extra: list = []
        tick = 0
        while not done.is_set():
            try:
                if tick % 10 == 0:
                    extra = project_processes()
                procs = {p.pid: p for p in (root, *root.children(recursive=True), *extra)}.values()
                rss = 0
                for p in procs:
                    try:
                        with p.oneshot():
                            rss += p.memory_info().rss
                            t = p.cpu_times()
                            key = (p.pid, p.create_time())
                            used = t.user + t.system
                            first.setdefault(key, 0.0 if key[1] >= started - 0.05 else used)
                            last[key] = used
                    except psutil.Error:
                        continue
                peak[0] = max(peak[0], rss)
            except psutil.Error:
                pass
            tick += 1
            time.sleep(0.02)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    done.set()
    watcher.join()
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{out[-3000:]}")
    cpu = sum(last[k] - first[k] for k in last)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak[0] / 2**20, 1), "log": out}


def copy_project(dst: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for rel in files:
        src = ROOT / rel
        if rel.startswith(("data/example/", "reports/")) or not src.is_file():
            continue
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst / rel)


def run_set(name: str, spec: dict | None, tmp: Path, whole: bool = False) -> dict:
    proj = tmp / name
    copy_project(proj)
    data = proj / "data" / "bench"
    t0 = time.perf_counter()
    if spec is None:
        shutil.copytree(ROOT / "data" / "example", data)
    else:
        from cxresearch.synth import synthesize

        synthesize(data, seed=11, **spec)
    synth_s = time.perf_counter() - t0
    params = yaml.safe_load((proj / "params.yaml").read_text(encoding="utf-8"))
    params["data"]["dir"] = "data/bench"
    (proj / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=proj, check=True)
    stages = {}
    for stage in STAGES:
        r = measured([BIN / "dvc", "repro", "--single-item", stage], proj)
        cells = cell_seconds(proj / "reports" / "executed" / f"{stage}.ipynb")
        stages[stage] = {**{k: r[k] for k in ("wall_s", "cpu_s", "peak_mib")}, "cells_s": cells,
                         "overhead_s": round(r["wall_s"] - cells, 2)}
        print(f"  {name:8s} {stage:16s} {r['wall_s']:7.2f} s wall {r['cpu_s']:7.2f} s CPU {r['peak_mib']:8.1f} MiB"
              f"  (cells {cells:.2f} s)", file=sys.stderr)
    noop = measured([BIN / "dvc", "repro"], proj)
    counts = json.loads((proj / "reports" / "metrics" / "prepare.json").read_text())
    out = {
        "responses": counts["customer_responses"], "employee_responses": counts["employee_responses"],
        "interviews": counts["interviews"], "synth_s": round(synth_s, 1), "stages": stages,
        "total_wall_s": round(sum(s["wall_s"] for s in stages.values()), 2),
        "peak_mib": max(s["peak_mib"] for s in stages.values()), "noop_repro_s": noop["wall_s"],
    }
    if whole:
        # each stage once more without DVC: what the stage itself costs beyond its cells (process, kernel start,
        # imports, render, moving outputs into place), to set against the kernel-and-imports floor
        for stage in STAGES:
            r = measured([BIN / "python", "-m", "cxresearch", "run", stage], proj)
            cells = cell_seconds(proj / "reports" / "executed" / f"{stage}.ipynb")
            stages[stage]["direct_wall_s"] = r["wall_s"]
            stages[stage]["direct_overhead_s"] = round(r["wall_s"] - cells, 2)
        # what a user runs: one `dvc repro` of the whole pipeline, from nothing, in a second copy
        fresh = tmp / f"{name}-whole"
        copy_project(fresh)
        shutil.copytree(data, fresh / "data" / "bench")
        (fresh / "params.yaml").write_text((proj / "params.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        subprocess.run(["git", "init", "-q"], cwd=fresh, check=True)
        r = measured([BIN / "dvc", "repro"], fresh)
        out["whole_repro"] = {k: r[k] for k in ("wall_s", "cpu_s", "peak_mib")}
        print(f"  {name:8s} {'dvc repro':16s} {r['wall_s']:7.2f} s wall (the whole pipeline in one run)",
              file=sys.stderr)
    return out


def cell_seconds(executed: Path) -> float:
    """Seconds the kernel spent running a stage notebook's cells (papermill's per-cell durations)."""
    nb = json.loads(executed.read_text(encoding="utf-8"))
    return round(sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0 for c in nb["cells"]), 2)


def fixed_costs(tmp: Path) -> dict:
    """The floor a stage stands on: interpreter, a papermill kernel, and our stages' imports."""
    import nbformat

    out = {"python_pass_s": measured([sys.executable, "-c", "pass"], tmp)["wall_s"]}
    out["kernel_imports_s"] = measured([sys.executable, str(ROOT / "benchmarks" / "kernel_floor.py")], tmp)["wall_s"]
    for label, code in (("papermill_trivial_s", "x = 1"),
                        ("papermill_imports_s", "from cxresearch import stages\nimport cxresearch.report.figures")):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp / "nb.ipynb")
        out[label] = measured([sys.executable, "-m", "papermill", "-k", "python3", "--no-progress-bar",
                               str(tmp / "nb.ipynb"), str(tmp / "out.ipynb")], tmp)["wall_s"]
    return out


def main(names: list[str]) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import coding

    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "memory_gib": round(psutil.virtual_memory().total / 2**30, 1), "platform": platform.platform()},
              "sets": {}}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        result["fixed"] = fixed_costs(tmp)
        result["coding"] = coding.main(10_000)
        for name in names:
            result["sets"][name] = run_set(name, SETS[name], tmp, whole=name == "example")
    sets = result["sets"]
    if "100k" in sets and "1m" in sets:
        result["growth_1m_over_100k"] = round(sets["1m"]["total_wall_s"] / sets["100k"]["total_wall_s"], 2)
    out = ROOT / "reports" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    return result


def table(result: dict) -> str:
    lines = [f"{'set':8s} {'stage':16s} {'wall s':>8s} {'CPU s':>8s} {'peak MiB':>9s}"]
    for name, s in result["sets"].items():
        for stage, r in s["stages"].items():
            lines.append(f"{name:8s} {stage:16s} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['peak_mib']:9.1f}")
        lines.append(f"{name:8s} {'TOTAL':16s} {s['total_wall_s']:8.2f} {'':8s} {s['peak_mib']:9.1f}"
                     f"   no-op repro {s['noop_repro_s']:.2f} s")
    f = result["fixed"]
    lines.append(f"fixed: python -c pass {f['python_pass_s']:.2f} s; papermill trivial {f['papermill_trivial_s']:.2f} s;"
                 f" papermill + our imports {f['papermill_imports_s']:.2f} s; kernel start + our imports"
                 f" {f['kernel_imports_s']:.2f} s (the floor)")
    for name, s in result["sets"].items():
        over = {stage: r["overhead_s"] for stage, r in s["stages"].items()}
        lines.append(f"{name}: per-stage overhead (wall - cells) " + ", ".join(f"{k} {v:.2f} s" for k, v in over.items())
                     + f"; worst {max(over.values()) - f['kernel_imports_s']:+.2f} s over the floor")
        if all("direct_overhead_s" in r for r in s["stages"].values()):
            direct = {stage: r["direct_overhead_s"] for stage, r in s["stages"].items()}
            lines.append(f"{name}: per-stage fixed cost without DVC (stage process wall - cells) "
                         + ", ".join(f"{k} {v:.2f} s" for k, v in direct.items())
                         + f"; worst {max(direct.values()) - f['kernel_imports_s']:+.2f} s against the floor")
        if "whole_repro" in s:
            lines.append(f"{name}: the whole pipeline in one dvc repro {s['whole_repro']['wall_s']:.2f} s")
    c = result["coding"]
    lines.append(f"coding: {c['segments']} segments in {c['seconds']:.2f} s ({c['segments_per_second']:.0f}/s)")
    if "growth_1m_over_100k" in result:
        lines.append(f"growth 100k -> 1M: x{result['growth_1m_over_100k']} in total wall time (10x the data)")
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1:] or list(SETS))
