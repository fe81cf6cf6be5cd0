"""Spare kernels: a stage leaves a started kernel for the next stage of the same project (cxresearch.kernels).

Real kernels throughout (each takes a second or two to start); the pipeline's own use of them is exercised by
the end-to-end DVC runs in test_pipeline_e2e."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxresearch import kernels
from cxresearch.store import STAGING_ENV


@pytest.fixture()
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("CXRESEARCH_LEMMA_CACHE", str(tmp_path / "cache"))  # our registry folder, not the user's
    monkeypatch.setenv(kernels.SPARE_ENV, "1")
    root = tmp_path / "project"
    root.mkdir()
    return root


def _wait_dead(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not kernels.pid_alive(pid):
            return True
        time.sleep(0.1)
    return False


def _run(km, code: str) -> dict:
    try:
        return _run_once(km, code)
    except AssertionError:  # jupyter_client's blocking client fails now and then (see kernels.make_ready)
        return _run_once(km, code)


def _run_once(km, code: str) -> dict:
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out = []
        reply = kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m))
        assert reply["content"]["status"] == "ok", reply["content"]
        return next(json.loads(m["content"]["text"]) for m in out if m["msg_type"] == "stream")
    finally:
        kc.stop_channels()


def test_a_spare_is_claimed_once_with_this_stages_environment(project, monkeypatch):
    """The claimed kernel is the spare's process, already holding the modules it was asked to import, in the
    project folder, with the claiming stage's staging folder and DVC stage name (expected: the values set here,
    not the leaving stage's); a second claim finds nothing; stopping it ends the process."""
    from jupyter_core.utils import run_sync

    monkeypatch.setenv(STAGING_ENV, "/leaving/stage")
    monkeypatch.setenv("DVC_STAGE", "prepare")
    registry = kernels.leave_spare(project, ["json", "cxresearch.dist"])
    pid = json.loads(registry.read_text())["pid"]
    monkeypatch.setenv(STAGING_ENV, str(project / ".staging-next"))
    monkeypatch.setenv("DVC_STAGE", "code_interviews")
    km = kernels.claim_spare(project)
    assert km is not None and km.spare_pid == pid and not registry.exists()
    assert kernels.claim_spare(project) is None
    try:
        assert kernels.make_ready(km)
        seen = _run(km, "import os, sys, json; print(json.dumps([os.getpid(), os.getcwd(), "
                        f"os.environ.get({STAGING_ENV!r}), os.environ.get('DVC_STAGE'), 'cxresearch.dist' in sys.modules]))")
        assert seen == [pid, str(project), str(project / ".staging-next"), "code_interviews", True]
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert _wait_dead(pid, 10)
    assert not Path(km.connection_file).exists()


def test_a_spare_is_not_claimed_by_another_environment_or_project(project, tmp_path, monkeypatch):
    """The key covers the environment and the project: a stage with another environment variable, or in another
    folder, starts its own kernel rather than run in one started for different conditions."""
    registry = kernels.leave_spare(project, [], max_age=20)
    pid = json.loads(registry.read_text())["pid"]
    try:
        other = tmp_path / "other"
        other.mkdir()
        assert kernels.claim_spare(other) is None
        monkeypatch.setenv("CXRESEARCH_SOMETHING_ELSE", "1")
        assert kernels.claim_spare(project) is None
        monkeypatch.delenv("CXRESEARCH_SOMETHING_ELSE")
        assert registry.exists()
    finally:
        os.kill(pid, 9)


def test_the_key_changes_when_package_source_changes(project):
    """A spare that imported our modules must not serve a stage after any of them changed: the key covers each
    module's size and modification time (touched here, then set back)."""
    module = Path(kernels.__file__).with_name("dist.py")
    before = kernels.spare_key(project)
    st = module.stat()
    try:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
        assert kernels.spare_key(project) != before
    finally:
        os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert kernels.spare_key(project) == before


def test_an_unclaimed_spare_exits_after_its_starter_has_ended(project):
    """Left by a stage process that then ends, a spare waits ``ttl`` seconds (1 s here) for a claim and exits,
    removing its registry and connection files; it outlives its starter until then."""
    code = ("import sys, json; from cxresearch.kernels import leave_spare; "
            "r = leave_spare(sys.argv[1], [], ttl=1.0); print(r.read_text())")
    out = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, check=True,
                         env=dict(os.environ), timeout=60)
    info = json.loads(out.stdout)
    assert kernels.pid_alive(info["pid"])  # the starter is gone, the spare is not
    assert _wait_dead(info["pid"], 30)
    assert not Path(info["connection_file"]).exists()
    assert not list(Path(info["connection_file"]).parent.glob("spare-*"))


def test_spares_can_be_turned_off(project, monkeypatch):
    monkeypatch.setenv(kernels.SPARE_ENV, "0")
    assert kernels.leave_spare(project, []) is None
    assert kernels.claim_spare(project) is None


def test_an_unwritable_cache_folder_means_no_spare_not_a_failed_stage(tmp_path, monkeypatch):
    """Spares only save time: where the registry folder cannot be created (here a file stands in its way), both
    leaving and claiming give None."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CXRESEARCH_LEMMA_CACHE", str(blocker))
    monkeypatch.setenv(kernels.SPARE_ENV, "1")
    assert kernels.leave_spare(tmp_path, []) is None
    assert kernels.claim_spare(tmp_path) is None


def test_what_a_spare_imports_in_advance_all_imports(tmp_path):
    """Every module a spare kernel is told to import for running the stages exists (``preload`` skips a name that
    does not import — the notebooks' ``from a import b`` gives names that are not modules — so a renamed module
    would otherwise silently stop being imported in advance); checked in a fresh interpreter."""
    from cxresearch.config import STAGE_RUN_IMPORTS
    from cxresearch.pipeline import pipeline_imports

    root = Path(__file__).resolve().parents[1]
    names = pipeline_imports(root)
    assert set(STAGE_RUN_IMPORTS) <= set(names) and "cxresearch.stages" in names
    code = "import importlib, sys; [importlib.import_module(n) for n in sys.argv[1:]]"
    subprocess.run([sys.executable, "-c", code, *STAGE_RUN_IMPORTS], check=True, timeout=120)


def test_a_spare_that_was_never_registered_exits(project, tmp_path):
    """A spare whose starter failed to write its registry file cannot be claimed; it exits once
    ``REGISTER_WITHIN`` seconds have passed without the file (expected: the process gone within a few seconds
    more, its connection file removed), even while its starter lives."""
    from jupyter_client.connect import write_connection_file

    connection = tmp_path / "kernel-test.json"
    write_connection_file(str(connection), ip="127.0.0.1", key=b"k")
    registry = tmp_path / "spare-never-written.json"
    line = (f"__import__('cxresearch.kernels', fromlist=['spare_watch']).spare_watch("
            f"{str(registry)!r}, {str(connection)!r}, {os.getpid()}, 60.0, 120.0)")
    code = f"import cxresearch.kernels as k; k.REGISTER_WITHIN = 1.0; {line}; import time; time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    assert not connection.exists()
