"""A started kernel left by one stage for the next: its start and imports off the next stage's critical path.

Starting a python3 kernel and importing what the notebooks import (pandas, matplotlib, our package) takes
1.5–2 s, and a pipeline does it once per stage. So as a stage's cells begin, it starts a *spare* kernel for
the next stage of the same project (:func:`leave_spare`), which imports those modules on the other core while
the cells run. The next stage claims it (:func:`claim_spare`) instead of starting its own. Each kernel still
runs exactly one notebook: no state passes between stages.

A spare is only claimed by a stage that would have started the very same kernel:

* the same project folder, the same Python, the same environment (aside from :data:`PER_STAGE_ENV`, the
  staging folder and DVC's stage name, which the claiming stage sets in the kernel before any cell runs);
* the same package source: the key covers the size and modification time of every module of ``cxresearch``,
  so a spare that imported code since edited is never used.

A spare nobody claims exits by itself (:func:`spare_watch`) :data:`SPARE_TTL` seconds after the stage that
started it has ended, or :data:`SPARE_MAX_AGE` seconds after it started. A claim is a rename of the spare's
registry file, so a spare is claimed once, or expires, never both. Set ``CXRESEARCH_SPARE_KERNEL=0`` to start
every stage's kernel afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from cxresearch.store import STAGING_ENV

#: An unclaimed spare kernel exits this many seconds after the stage that started it has ended ...
SPARE_TTL = 30.0
#: ... and at the latest this many seconds after it started (a stage run in a long-lived process, or a stage
#: whose cells run longer than this, leaves a spare nobody may claim: the next stage then starts its own).
SPARE_MAX_AGE = 180.0
#: A spare whose registry file has not appeared this many seconds after it started exits (nobody can claim it).
REGISTER_WITHIN = 10.0
#: Set to ``0`` to turn spare kernels off.
SPARE_ENV = "CXRESEARCH_SPARE_KERNEL"
#: Environment variables that differ from stage to stage: left out of the key, and set in a claimed kernel to
#: the claiming stage's values (the staging folder; the stage name DVC gives each command).
PER_STAGE_ENV = (STAGING_ENV, "DVC_STAGE")
#: As nbclient does: no history database; figures are sent as drawn (each figure sizes itself with
#: tight_layout), not trimmed by bbox_inches="tight", which draws every figure twice.
KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:", "--InlineBackend.print_figure_kwargs={'bbox_inches': None}"]


def enabled() -> bool:
    return os.environ.get(SPARE_ENV, "1") != "0"


def _best_effort(fn):
    """Spares only save time: a cache folder that cannot be written, or a kernel that cannot be spawned, means
    no spare (None), never a failed stage."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OSError:
            return None

    return wrapper


def preload_line(modules: list[str]) -> str:
    """The ``exec_lines`` entry that imports ``modules`` in a kernel as it starts."""
    return f"__import__('cxresearch.pipeline', fromlist=['preload']).preload({modules!r})"


def _folder() -> Path:
    from cxresearch.cache import cache_dir

    folder = cache_dir() / "kernels"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def spare_key(root: Path) -> str:
    """What a spare must share with the stage that claims it: project, Python, environment and package source."""
    package = Path(__file__).parent
    source = sorted((str(f.relative_to(package)), f.stat().st_size, f.stat().st_mtime_ns)
                    for f in package.rglob("*.py"))
    env = sorted((k, v) for k, v in os.environ.items() if k not in PER_STAGE_ENV)
    blob = json.dumps([str(Path(root).resolve()), sys.executable, env, source])
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def _registry(root: Path) -> Path:
    return _folder() / f"spare-{spare_key(root)}.json"


@_best_effort
def leave_spare(root: Path, modules: list[str], ttl: float = SPARE_TTL, max_age: float = SPARE_MAX_AGE) -> Path | None:
    """Start a spare kernel for the next stage of ``root``, importing ``modules``; returns its registry file, or
    None when spares are off or one is already waiting. ``ttl``, ``max_age``: see :func:`spare_watch`."""
    from jupyter_client.connect import write_connection_file

    if not enabled():
        return None
    registry = _registry(root)
    if registry.exists():
        return None
    connection = registry.with_name(f"kernel-{uuid.uuid4().hex}.json")
    write_connection_file(str(connection), ip="127.0.0.1", key=uuid.uuid4().hex.encode())
    lines = [f"__import__('cxresearch.kernels', fromlist=['spare_watch']).spare_watch("
             f"{str(registry)!r}, {str(connection)!r}, {os.getpid()}, {float(ttl)!r}, {float(max_age)!r})"]
    if modules:
        lines.append(preload_line(modules))
    env = {k: v for k, v in os.environ.items() if k not in (*PER_STAGE_ENV, "JPY_PARENT_PID")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection), *KERNEL_ARGS,
         "--IPKernelApp.exec_lines=" + json.dumps(lines)],
        cwd=str(root), env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,  # outlives this stage's process; holds none of its pipes
    )
    from cxresearch.cache import replacing

    with replacing(registry) as tmp:
        tmp.write_text(json.dumps({"pid": proc.pid, "connection_file": str(connection)}), encoding="utf-8")
    return registry


def spare_watch(registry: str, connection: str, starter: int, ttl: float, max_age: float) -> None:
    """Run inside a spare kernel as it starts: exit ``ttl`` seconds after process ``starter`` has ended, or
    ``max_age`` seconds from now, unless a stage has claimed it by then."""
    import threading
    import time

    def expire() -> None:
        born = time.monotonic()
        ended = None
        seen = False  # the registry file is written just after this process starts
        while time.monotonic() - born < max_age:
            if os.path.exists(registry):
                seen = True
            elif seen:
                return  # claimed
            elif time.monotonic() - born > REGISTER_WITHIN:
                break  # never registered (its starter failed to write the file): nobody can claim it
            if ended is None and not pid_alive(starter):
                ended = time.monotonic()
            if ended is not None and time.monotonic() - ended >= ttl:
                break
            time.sleep(0.25)
        try:
            os.rename(registry, registry + ".expired")  # fails once a stage has claimed the spare
        except OSError:
            if seen:
                return
        for f in (registry + ".expired", connection):
            try:
                os.unlink(f)
            except OSError:
                pass
        os._exit(0)

    threading.Thread(target=expire, name="spare-watch", daemon=True).start()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


@_best_effort
def claim_spare(root: Path):
    """The spare kernel waiting for a stage of ``root``, claimed for this one; None when there is none (or it
    has died). Before it runs a notebook, :func:`make_ready` sets this stage's environment in it."""
    if not enabled():
        return None
    registry = _registry(root)
    mine = registry.with_name(f"{registry.name}.claimed-{os.getpid()}")
    try:
        os.rename(registry, mine)
    except OSError:
        return None
    try:
        info = json.loads(mine.read_text(encoding="utf-8"))
    finally:
        mine.unlink()
    km = _claimed_kernel_class()(info["pid"], connection_file=info["connection_file"])
    if not pid_alive(info["pid"]):
        km.remove_connection_file()
        return None
    km.load_connection_file()
    return km


def make_ready(km) -> bool:
    """Set this stage's :data:`PER_STAGE_ENV` in a claimed kernel, waiting until it answers (its imports done).
    False, and the kernel stopped, when it does not answer: the stage then starts its own."""
    for _attempt in range(2):  # a new client once more: jupyter_client's blocking client fails now and then
        try:
            _set_stage_env(km)
            return True
        except Exception:
            if not pid_alive(km.spare_pid):
                break
    from jupyter_core.utils import run_sync

    run_sync(km.shutdown_kernel)(now=True)
    return False


def is_claimed(km) -> bool:
    return hasattr(km, "spare_pid")


def _set_stage_env(km, timeout: float = 60.0) -> None:
    """Set this stage's :data:`PER_STAGE_ENV` in the claimed kernel (it was started before the staging folder
    existed); waits until the kernel answers, i.e. until its imports are done. ``silent``: no execution count,
    no history."""
    values = {k: os.environ.get(k) for k in PER_STAGE_ENV}
    code = (f"__import__('os').environ.update({ {k: v for k, v in values.items() if v is not None}!r}); "
            f"[__import__('os').environ.pop(k, None) for k in {[k for k, v in values.items() if v is None]!r}]")
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        reply = kc.execute_interactive(code, silent=True, store_history=False, timeout=timeout)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"spare kernel: {reply['content']}")
    finally:
        kc.stop_channels()


@functools.cache
def _claimed_kernel_class():
    """The kernel manager class of a claimed spare (built on first use: jupyter_client is imported only then)."""
    from jupyter_client.manager import AsyncKernelManager

    class ClaimedKernel(AsyncKernelManager):
        """A kernel another process started: reached through its connection file, stopped through its pid."""

        def __init__(self, pid: int, **kwargs):
            super().__init__(**kwargs)
            self.spare_pid = pid

        @property
        def has_kernel(self) -> bool:
            return pid_alive(self.spare_pid)

        async def is_alive(self) -> bool:  # type: ignore[override]
            return pid_alive(self.spare_pid)

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:  # type: ignore[override]
            import signal

            try:
                os.kill(self.spare_pid, signal.SIGKILL)
            except OSError:
                pass
            self.remove_connection_file()

        def remove_connection_file(self) -> None:
            try:
                os.unlink(self.connection_file)
            except OSError:
                pass

    return ClaimedKernel
