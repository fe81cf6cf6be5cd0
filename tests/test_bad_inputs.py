"""The corpus of bad inputs: every problem gets its exact message, a non-zero exit, and costs no good output.

``tests/bad_inputs/_base/`` is a small valid data folder. Each other folder there is one case: the files that
differ from the base (``remove.txt`` lists base files to delete), a ``README`` saying what is wrong, and
``expected.txt`` with the exact problem lines ``cxresearch validate`` must print, in order.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "bad_inputs"
CASES = sorted(d.name for d in CORPUS.iterdir() if d.is_dir() and not d.name.startswith("_"))
CASE_FILES = {"README", "expected.txt", "remove.txt"}


def assemble(case: str, target: Path) -> Path:
    """The base data folder with the case's files laid over it, at ``target``."""
    shutil.copytree(CORPUS / "_base", target)
    src = CORPUS / case
    for path in src.rglob("*"):
        rel = path.relative_to(src)
        if path.is_file() and str(rel) not in CASE_FILES:
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / rel)
    if (src / "remove.txt").exists():
        for rel in (src / "remove.txt").read_text(encoding="utf-8").split():
            (target / rel).unlink()
    return target


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.pop("CXRESEARCH_ROOT", None)
    return env


def _problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if line and not line.startswith(("warning: ", "note: ")) and " problem(s) in " not in line]


def test_the_base_folder_is_valid():
    """Each case differs from a valid folder only by what its README says."""
    proc = subprocess.run([sys.executable, "-m", "cxresearch", "validate", str(CORPUS / "_base")],
                          capture_output=True, text=True, env=_env())
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("case", CASES)
def test_each_bad_input_gets_its_exact_message_and_a_non_zero_exit(case, tmp_path):
    data = assemble(case, tmp_path / "data")
    proc = subprocess.run([sys.executable, "-m", "cxresearch", "validate", str(data)], capture_output=True,
                          text=True, env=_env())
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert proc.returncode != 0
    assert _problem_lines(proc.stderr) == expected
    assert f"{len(expected)} problem(s) in {data}" in proc.stderr


def _snapshot(root: Path) -> dict[str, str]:
    out = {}
    for folder in ("data/interim", "reports"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def stage_project(tmp_path_factory):
    """A project folder with the notebooks, params and dvc.yaml, whose prepare stage has run once on good data."""
    root = tmp_path_factory.mktemp("proj")
    for rel in ("params.yaml", "dvc.yaml"):
        shutil.copy(ROOT / rel, root / rel)
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns("*.ipynb", ".*"))
    shutil.copytree(CORPUS / "_base", root / "data" / "good")
    _point_at(root, "data/good")
    proc = subprocess.run([sys.executable, "-m", "cxresearch", "run", "prepare"], cwd=root, capture_output=True,
                          text=True, env=_env())
    assert proc.returncode == 0, proc.stderr
    return root


def _point_at(root: Path, data_dir: str) -> None:
    params = yaml.safe_load((root / "params.yaml").read_text(encoding="utf-8"))
    params["data"]["dir"] = data_dir
    (root / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_a_stage_that_fails_on_bad_input_leaves_the_last_good_outputs_byte_identical(stage_project, case):
    root = stage_project
    before = _snapshot(root)
    assert any(k.startswith("data/interim/") for k in before) and "reports/prepare.html" in before
    assemble(case, root / "data" / case)
    _point_at(root, f"data/{case}")
    try:
        proc = subprocess.run([sys.executable, "-m", "cxresearch", "run", "prepare"], cwd=root,
                              capture_output=True, text=True, env=_env())
    finally:
        _point_at(root, "data/good")
    assert proc.returncode != 0
    expected = (CORPUS / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected[0] in proc.stderr
    assert _snapshot(root) == before
    assert not list(root.glob(".staging-*"))


def test_a_stage_failing_after_its_data_are_written_leaves_them_unchanged_too(stage_project):
    """The prepare function succeeds and writes every table, then a later cell fails (a cell appended to this
    copy's notebook): the stage's outputs are moved into the project only when the whole stage succeeds."""
    root = stage_project
    before = _snapshot(root)
    nb = root / "notebooks" / "10_prepare.py"
    original = nb.read_text(encoding="utf-8")
    (root / "data" / "good" / "customer_responses.csv").touch()
    try:
        nb.write_text(original + "\n# %%\nraise RuntimeError('a later cell fails')\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "cxresearch", "run", "prepare"], cwd=root,
                              capture_output=True, text=True, env=_env())
    finally:
        nb.write_text(original, encoding="utf-8")
    assert proc.returncode != 0 and "a later cell fails" in proc.stderr
    assert _snapshot(root) == before
    assert not list(root.glob(".staging-*"))
