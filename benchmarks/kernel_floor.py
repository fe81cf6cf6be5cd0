"""The floor under every stage: start a python3 kernel, import what the stage notebooks import, stop it.

Run as a child process by ``benchmarks/pipeline.py`` (its wall time is the floor); nothing here is ours but the
import list, so the difference between a stage's overhead and this is what our own machinery costs.
"""

from jupyter_client.manager import start_new_kernel

km, kc = start_new_kernel(kernel_name="python3", extra_arguments=["--HistoryManager.hist_file=:memory:"])
try:
    reply = kc.execute_interactive("import pandas, matplotlib.pyplot\nfrom cxresearch import stages\n"
                                   "import cxresearch.report.figures, cxresearch.report.tables", timeout=120)
    assert reply["content"]["status"] == "ok", reply["content"]
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
