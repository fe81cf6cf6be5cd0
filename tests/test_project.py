"""Project-level promises: pinned set-up, notebooks in git, params and notebooks agree."""

import ast
import re
import subprocess
from pathlib import Path

import yaml

from cxresearch.config import STAGE_NOTEBOOKS, STAGE_SECTIONS, stage_parameters

ROOT = Path(__file__).resolve().parents[1]


def _lock_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_environment_yml_pins_the_same_versions_as_the_lock():
    """conda users get exactly the versions `make` installs (issue 2, item 1)."""
    lock = _lock_pins(ROOT / "requirements.lock")
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    env_pins = {}
    for pin in pip_section:
        name, version = pin.split("==")
        env_pins[name.lower().replace("_", "-")] = version
    assert env_pins == lock
    assert "python=3.11" in env["dependencies"]


def test_every_direct_dependency_is_pinned():
    """Everything pyproject asks for (and the dev tools `make test` uses) is in the lock."""
    lock = _lock_pins(ROOT / "requirements.lock")
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    names = {re.split(r"[<>=\[ ]", w)[0].lower().replace("_", "-") for w in wanted}
    assert names - set(lock) == set()


def _tracked(pattern: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", pattern], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / line for line in out.stdout.splitlines()]


def test_notebooks_in_git_carry_no_outputs():
    """Notebooks are jupytext py:percent files; any .ipynb committed under notebooks/ must be stripped."""
    import nbformat

    for path in _tracked("notebooks/*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name} has outputs: run `make strip`"
                assert cell.execution_count is None, f"{path.name} has execution counts"
    for path in _tracked("notebooks/*.py"):
        text = path.read_text()
        assert "format_name: percent" in text, f"{path.name} is not a py:percent notebook"


def _parameters_cell(path: Path) -> dict:
    text = path.read_text()
    match = re.search(r'# %% tags=\["parameters"\]\n(.*?)\n# %%', text, re.S)
    assert match, f"{path.name}: no cell tagged parameters"
    values = {}
    for node in ast.parse(match.group(1)).body:
        assert isinstance(node, ast.AnnAssign), f"{path.name}: parameters must be annotated assignments"
        values[node.target.id] = ast.literal_eval(node.value)
    return values


def test_parameters_cells_equal_params_yaml():
    """Each notebook's parameters cell holds exactly the flattened params.yaml sections of its stage."""
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    for stage, notebook in STAGE_NOTEBOOKS.items():
        defaults = _parameters_cell(ROOT / "notebooks" / notebook)
        assert defaults == stage_parameters(stage, params), stage


def test_dvc_yaml_declares_each_stage_with_its_params_and_metrics():
    """dvc.yaml stages match the package's stage list; each names the params sections it reads."""
    dvc = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    assert list(dvc) == list(STAGE_NOTEBOOKS)
    for stage, spec in dvc.items():
        assert spec["cmd"] == f"python -m cxresearch run {stage}"
        assert sorted(spec["params"]) == sorted(STAGE_SECTIONS[stage])
        assert f"notebooks/{STAGE_NOTEBOOKS[stage]}" in spec["deps"]
        if stage != "report":
            assert any(f"reports/metrics/{stage}.json" in m for m in spec["metrics"])



def test_metrics_and_plot_data_are_kept_in_git_beside_dvc_lock():
    """`dvc metrics diff` and `dvc plots diff` compare the workspace with the last commit, and DVC keeps no copy of
    a `cache: false` output: every metrics and plots file dvc.yaml declares must be one git keeps (not ignored),
    and committed, so that the comparison has a side to compare with."""
    dvc = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    declared = [next(iter(entry)) if isinstance(entry, dict) else entry
                for spec in dvc.values() for key in ("metrics", "plots") for entry in spec.get(key, [])]
    assert len(declared) >= 6
    ignored = subprocess.run(["git", "check-ignore", *declared], cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == []
    tracked = subprocess.run(["git", "ls-files", *declared], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    assert sorted(tracked) == sorted(declared)
    # the rest of reports/ stays generated-only
    assert subprocess.run(["git", "check-ignore", "-q", "reports/index.html"], cwd=ROOT).returncode == 0

def test_no_function_definitions_in_pipeline_notebooks():
    """Notebooks are thin: logic lives in the package (DESIGN §5)."""
    for path in sorted((ROOT / "notebooks").glob("*.py")):
        tree = ast.parse(path.read_text())
        defs = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))
                and hasattr(n, "name")]
        assert not defs, f"{path.name} defines {defs}"


def test_make_help_lists_the_two_commands():
    """`make help` is self-documenting (STYLE: cookiecutter-data-science)."""
    out = subprocess.run(["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for target in ("report", "test", "lab", "clean"):
        assert f"make {target}" in out


def test_a_stage_run_by_another_python_says_which_package_is_missing(tmp_path):
    """A dvc.yaml stage command is ``python -m cxresearch run STAGE``, run with the ``python`` the shell finds: one
    without our dependencies (here ours with ``-S``, no site-packages) gets one line naming the missing package and
    the environment to use, exit status 1, instead of a traceback, and the stage writes nothing."""
    import sys

    before = sorted(p.relative_to(ROOT) for p in (ROOT / "reports").rglob("*")) if (ROOT / "reports").exists() else []
    done = subprocess.run([sys.executable, "-S", "-m", "cxresearch", "run", "prepare"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, done.stderr
    assert "needs the package 'yaml'" in lines[0] and "source .venv/bin/activate" in lines[0]
    assert "Traceback" not in done.stderr
    after = sorted(p.relative_to(ROOT) for p in (ROOT / "reports").rglob("*")) if (ROOT / "reports").exists() else []
    assert after == before
