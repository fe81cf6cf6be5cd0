"""Stage runner and HTML rendering on a one-notebook fixture project (real papermill, real nbconvert)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from cxresearch.exceptions import ConfigError, StageError
from cxresearch.pipeline import notebook_parameters, run_stage
from cxresearch.report.index import build_index

NOTEBOOK = '''# %% [markdown]
# # Fixture report
# ## A section

# %% tags=["parameters"]
top_codes: int = 3  # a parameter
n_quotes: int = 2  # another
journey: list = []  # journey

# %%
import matplotlib.pyplot as plt
import pandas as pd
from cxresearch.report.tables import show_table
print(f"top_codes={top_codes}")
if top_codes < 0:
    raise ValueError("top_codes must not be negative")
fig, ax = plt.subplots()
ax.plot([1, 2, 3], [top_codes, 2, 1]);

# %%
show_table(pd.DataFrame({"comment": ["<script>window.pwned = 1</script>"]}))
'''


@pytest.fixture()
def project(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "40_link_moments.py").write_text(NOTEBOOK, encoding="utf-8")
    (tmp_path / "dvc.yaml").write_text("stages: {}\n")
    params = {"journey": [], "link_moments": {"top_codes": 3, "n_quotes": 2}}
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    return tmp_path


def test_parameters_are_read_and_injected(project):
    """The value printed by the executed notebook is the override passed in, not the cell default."""
    assert notebook_parameters(project / "notebooks" / "40_link_moments.py") == {"top_codes": 3, "n_quotes": 2, "journey": []}
    result = run_stage("link_moments", root=project, overrides={"top_codes": 7}, log=None)
    executed = result["executed"].read_text(encoding="utf-8")
    assert "top_codes=7" in executed
    html = result["html"].read_text(encoding="utf-8")
    assert "top_codes=7" in html
    assert "import matplotlib" not in html  # no code for stakeholders
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?https?:""", html)
    assert "&lt;script&gt;window.pwned" in html and "<script>window.pwned" not in html
    assert "<h2" in html and "A section" in html


def test_parameter_names_are_checked_both_ways(project):
    """A params.yaml key the notebook lacks, and a notebook parameter params.yaml lacks, are both named."""
    params = {"journey": [], "link_moments": {"top_codes": 3, "n_qotes": 2}}
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    with pytest.raises(ConfigError) as err:
        run_stage("link_moments", root=project, log=None)
    assert "'n_qotes' is given by params.yaml but not in the notebook" in str(err.value)
    assert "'n_quotes' of the notebook is not set by params.yaml" in str(err.value)


def test_failing_cell_names_the_error_and_keeps_previous_outputs(project):
    """A cell raising ValueError gives StageError with that error; last good outputs stay byte-identical."""
    good = run_stage("link_moments", root=project, log=None)
    before = {good["executed"]: good["executed"].read_bytes(), good["html"]: good["html"].read_bytes()}
    with pytest.raises(StageError) as err:
        run_stage("link_moments", root=project, overrides={"top_codes": -1}, log=None)
    assert "ValueError: top_codes must not be negative" in str(err.value)
    assert "link_moments" in str(err.value)
    assert {p: p.read_bytes() for p in before} == before
    leftovers = [p.name for p in (project / "reports").rglob(".*") if p.is_file()]
    assert leftovers == []


def test_index_escapes_text(tmp_path):
    """Summaries may carry respondent-originated text: it must be shown, never run."""
    out = build_index([{"stage": "x", "title": "X <b>", "href": "x.html", "summary": "<script>alert(1)</script>"}],
                      tmp_path / "index.html", title="T", built_from="data/<x>", built_at="2026-11-23")
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="x.html"' in page
