"""Run one pipeline stage: papermill executes its notebook, nbconvert renders it.

``run_stage("model_survey")`` reads ``params.yaml``, flattens the sections the
stage reads into notebook parameters (checking every name both ways — papermill
itself only warns about unknown names), converts ``notebooks/30_model_survey.py``
(jupytext py:percent) to a notebook, executes it with papermill in the project
root, and renders ``reports/model_survey.html`` (no code, images embedded,
nothing fetched from the network). The executed notebook lands in
``reports/executed/``. Both are written atomically: a failing stage leaves the
previous good outputs as they were.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

from cxresearch.config import STAGE_NOTEBOOKS, load_params, paths, project_root, stage_parameters
from cxresearch.exceptions import ConfigError, StageError
from cxresearch.store import STAGING_ENV, atomic_path, commit_staged

#: Titles of the stage reports (index and <title>).
STAGE_TITLES = {
    "prepare": "Prepare: is the data fit to use?",
    "code_interviews": "Code interviews: what people say",
    "model_survey": "Model the surveys: EX and CX by moment",
    "link_moments": "Link moments: numbers and voices side by side",
    "report": "Moments that matter — summary for stakeholders",
}


def _parameters_source(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell.source
    raise ConfigError("notebook has no cell tagged 'parameters'")


def read_notebook(nb_path: str | Path):
    """Read a jupytext py:percent notebook (or an .ipynb) as an nbformat notebook.

    jupytext's conversion of a ``.py`` notebook is kept in the user cache folder under a hash of the source and
    of jupytext's version, so a stage whose notebook did not change reads JSON instead of importing jupytext and
    parsing (0.4 s of every stage)."""
    import nbformat

    nb_path = Path(nb_path)
    cached = None
    if nb_path.suffix == ".py":
        from importlib.metadata import version

        from cxresearch.cache import cache_dir

        source = nb_path.read_bytes()
        key = hashlib.sha256(source + b"\0jupytext " + version("jupytext").encode()).hexdigest()[:20]
        cached = cache_dir() / "notebooks" / f"{nb_path.stem}-{key}.ipynb"
        try:
            nb = nbformat.reads(cached.read_text(encoding="utf-8"), as_version=4)
        except (OSError, ValueError):
            nb = None
        if nb is not None:
            return nb
    import jupytext

    nb = jupytext.read(nb_path)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if cached is not None:
        from cxresearch.cache import replacing

        try:
            with replacing(cached) as tmp:
                tmp.write_text(nbformat.writes(nb), encoding="utf-8")
        except OSError:
            pass  # a read-only cache only costs the conversion next time
    return nb


def notebook_parameters(nb_path: str | Path) -> dict[str, Any]:
    """Names and literal defaults of the notebook's ``parameters`` cell."""
    return _declared_parameters(read_notebook(nb_path), nb_path)


def _declared_parameters(nb, nb_path: str | Path) -> dict[str, Any]:
    try:
        source = _parameters_source(nb)
    except ConfigError as err:
        raise ConfigError(f"{nb_path}: {err}") from None
    out: dict[str, Any] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = ast.literal_eval(node.value) if node.value is not None else None
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = ast.literal_eval(node.value)
    return out


def notebook_imports(nb_path: str | Path) -> list[str]:
    """The modules a py:percent notebook imports at its top level, in order (``from a import b`` gives ``a`` and
    ``a.b``, which may be a submodule). An ``.ipynb`` or a source that is not plain Python gives none."""
    path = Path(nb_path)
    if path.suffix != ".py":
        return []
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return []
    out: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out += [node.module] + [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
    return list(dict.fromkeys(out))


def _start_kernel(root: Path, preload: list[str]):
    """Start the stage's python3 kernel now, while this process still has its own imports and reading to do.

    The kernel imports the notebook's modules while it starts (``exec_lines``; module cache only, no names in the
    notebook's namespace: the notebook's own import cell still binds them) and answers papermill only once that
    is done. Started first, the kernel's start and imports run on the other core while this process imports
    papermill and nbconvert and reads the notebook, instead of one after the other."""
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_core.utils import run_sync

    from cxresearch.kernels import KERNEL_ARGS, preload_line

    km = AsyncKernelManager(kernel_name="python3")
    args = list(KERNEL_ARGS)
    if preload:
        args.append("--IPKernelApp.exec_lines=" + json.dumps([preload_line(preload)]))
    run_sync(km.start_kernel)(extra_arguments=args, cwd=str(root))
    return km


def pipeline_imports(root: Path) -> list[str]:
    """What a spare kernel imports for the next stage: the modules any stage notebook imports at its top level,
    then what running the stages imports (:data:`cxresearch.config.STAGE_RUN_IMPORTS`)."""
    from cxresearch.config import STAGE_RUN_IMPORTS

    folder = paths(root)["notebooks"]
    return list(dict.fromkeys([*(m for nb in STAGE_NOTEBOOKS.values() for m in notebook_imports(folder / nb)),
                               *STAGE_RUN_IMPORTS]))


def _stop_kernel(km) -> None:
    """Stop the stage's kernel (its outputs are all in by now: no need to wait 0.2 s for a polite exit) and
    release its ports and connection file."""
    from jupyter_core.utils import run_sync

    if run_sync(km.is_alive)():
        run_sync(km.shutdown_kernel)(now=True)


def preload(modules: list[str]) -> None:
    """Import ``modules`` into the module cache, skipping any that do not import (names that are not modules;
    a real import error is then raised by the notebook's own import cell, where it belongs)."""
    import importlib

    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _check_names(stage: str, nb_path: Path, given: dict[str, Any], declared: dict[str, Any]) -> None:
    unknown = sorted(set(given) - set(declared))
    missing = sorted(set(declared) - set(given))
    problems = [f"{nb_path.name}: parameter '{n}' is given by params.yaml but not in the notebook's parameters cell"
                for n in unknown]
    problems += [f"{nb_path.name}: parameter '{n}' of the notebook is not set by params.yaml (stage {stage})"
                 for n in missing]
    if problems:
        raise ConfigError("\n".join(problems))


def _relative_papermill_paths(nb, notebook: Path, output: Path, source: Path) -> None:
    """Record project-relative paths in papermill's metadata of the executed ``nb`` (no temporary names, no
    machine paths) and write it to ``notebook``."""
    import nbformat

    meta = nb.metadata.setdefault("papermill", {})
    meta["input_path"] = str(source)
    meta["output_path"] = str(output)
    nbformat.write(nb, notebook)


def stage_html(stage: str) -> str:
    """The file name of a stage's HTML report under ``reports/``: ``cx_report.html`` for the stakeholder
    report, ``<stage>.html`` for the technical ones."""
    return "cx_report.html" if stage == "report" else f"{stage}.html"


def _directory_outs(root: Path, stage: str) -> tuple[str, ...]:
    """The folders ``dvc.yaml`` declares as whole outputs of ``stage`` (e.g. ``data/interim``)."""
    import yaml

    try:
        spec = yaml.safe_load((root / "dvc.yaml").read_text(encoding="utf-8"))["stages"][stage]
    except (OSError, KeyError, TypeError, yaml.YAMLError):
        return ()
    outs = [next(iter(o)) if isinstance(o, dict) else str(o) for o in spec.get("outs", [])]
    return tuple(o for o in outs if not Path(o).suffix)


def _skip_slow_iri_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process.

    papermill imports nbformat, nbformat imports jsonschema, and jsonschema's format checkers import
    ``rfc3987_syntax`` when it is installed (JupyterLab's jupyter-events pulls it in), which compiles an
    Earley grammar at import: 1.4 s of every stage, for an IRI format that no notebook schema uses
    (python-jsonschema/jsonschema#1392). With the module marked absent, jsonschema skips that one checker.
    Only our own stage process is affected, never a kernel or JupyterLab.
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]


def _import_papermill():
    """``import papermill`` without the filesystem backends it never uses here: papermill.iorw tries
    ``pyarrow.fs`` for HDFS notebooks, which imports pyarrow and numpy into the stage process (0.1 s of every
    stage; cells run in the kernel, this process never touches data). Marked absent only during the import,
    so that anything in this process that imports ``pyarrow.fs`` afterwards gets it."""
    blocked = "pyarrow.fs" not in sys.modules
    if blocked:
        sys.modules["pyarrow.fs"] = None  # type: ignore[assignment]
    try:
        import papermill
    finally:
        if blocked and sys.modules.get("pyarrow.fs", 0) is None:
            del sys.modules["pyarrow.fs"]
    return papermill


def run_stage(stage: str, root: str | Path | None = None, overrides: dict[str, Any] | None = None,
              log: TextIO = sys.stderr) -> dict[str, Any]:
    """Execute one stage notebook with its parameters and render its HTML report.

    Returns a dict with the paths written and the seconds spent executing and rendering.

    Raises
    ------
    ConfigError
        Unknown stage, or parameter names that do not match the notebook's ``parameters`` cell.
    StageError
        A notebook cell failed; the message names the stage and the cell's error.
    """
    _skip_slow_iri_checker()
    if stage not in STAGE_NOTEBOOKS:
        raise ConfigError(f"unknown stage '{stage}' — expected one of {', '.join(STAGE_NOTEBOOKS)}")
    root = Path(root).resolve() if root is not None else project_root()
    p = paths(root)
    nb_path = p["notebooks"] / STAGE_NOTEBOOKS[stage]
    params = stage_parameters(stage, load_params(root))
    unknown_overrides = sorted(set(overrides or {}) - set(params))
    if unknown_overrides:
        raise ConfigError(f"--set: unknown parameter(s) {', '.join(unknown_overrides)} for stage {stage} "
                          f"— expected one of {', '.join(sorted(params))}")
    params.update(overrides or {})
    language = str(params.get("language", "en")) if stage == "report" else "en"

    executed = p["executed"] / f"{stage}.ipynb"
    html_out = p["reports"] / stage_html(stage)
    env_before = os.environ.get("CXRESEARCH_ROOT")
    os.environ["CXRESEARCH_ROOT"] = str(root)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{stage}-", dir=root))
    os.environ[STAGING_ENV] = str(staging)
    started = time.perf_counter()
    from concurrent.futures import ThreadPoolExecutor

    warming = ThreadPoolExecutor(max_workers=1)
    km = None
    try:
        from cxresearch import kernels

        # the kernel the previous stage left ready for this one, else our own, started now (after the
        # environment is set: the kernel inherits it)
        km = kernels.claim_spare(root)
        print(f"[{stage}] executing {nb_path.relative_to(root)}"
              + (" (in the kernel the previous stage started)" if km is not None else ""), file=log)
        km = km or _start_kernel(root, notebook_imports(nb_path))
        papermill = _import_papermill()
        from papermill.exceptions import PapermillExecutionError

        nb = read_notebook(nb_path)
        _check_names(stage, nb_path, params, _declared_parameters(nb, nb_path))
        # nbconvert's exporter is built and its templates compiled on a thread while the kernel works (started
        # only now: earlier it would compete with this thread's own imports for the interpreter)
        from cxresearch.report.render import HtmlRenderer

        renderer = warming.submit(HtmlRenderer.warmed, language)
        if kernels.is_claimed(km) and not kernels.make_ready(km):
            km = _start_kernel(root, notebook_imports(nb_path))
        if stage != list(STAGE_NOTEBOOKS)[-1]:
            # the next stage's kernel starts and imports on the other core while this stage's cells run
            kernels.leave_spare(root, pipeline_imports(root))
        with atomic_path(executed, ".ipynb") as tmp_nb:
            try:
                done = papermill.execute_notebook(
                    nb, str(tmp_nb), parameters=params, kernel_name="python3", cwd=str(root), km=km,
                    # the notebook is written once at the end (and on an error), not twice per cell: it goes to a
                    # temporary path nobody watches, and each write serialised every figure again
                    request_save_on_cell_execute=False,
                    progress_bar={"file": log, "desc": stage} if log is not None else False,
                    log_output=False,
                )
            except PapermillExecutionError as err:
                raise StageError(
                    f"stage {stage} failed in {nb_path.name}, cell {err.exec_count}: {err.ename}: {err.evalue}"
                ) from None
            run_seconds = time.perf_counter() - started
            # papermill returns the notebook it wrote: fixed and written once more, rendered without re-reading
            _relative_papermill_paths(done, tmp_nb, executed.relative_to(root), nb_path.relative_to(root))
            render_started = time.perf_counter()
            with atomic_path(html_out, ".html") as tmp_html:
                renderer.result().render(done, tmp_html, title=STAGE_TITLES[stage])
            render_seconds = time.perf_counter() - render_started
        # every output of the stage is written: move them into the project together
        commit_staged(staging, root, replace_dirs=_directory_outs(root, stage))
    finally:
        if km is not None:
            _stop_kernel(km)  # nbclient leaves a kernel it did not start running
        warming.shutdown(wait=True)
        os.environ.pop(STAGING_ENV, None)
        shutil.rmtree(staging, ignore_errors=True)
        if env_before is None:
            os.environ.pop("CXRESEARCH_ROOT", None)
        else:
            os.environ["CXRESEARCH_ROOT"] = env_before
    result = {"stage": stage, "executed": executed, "html": html_out,
              "run_seconds": round(run_seconds, 3), "render_seconds": round(render_seconds, 3)}
    if stage == "report":
        from cxresearch.report.index import write_index

        result["index"] = write_index(root)
    print(f"[{stage}] done in {run_seconds:.1f} s (render {render_seconds:.2f} s) → {html_out.relative_to(root)}",
          file=log)
    return result
