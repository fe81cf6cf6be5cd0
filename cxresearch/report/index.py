"""``reports/index.html``: one page linking every report with a one-line summary.

Self-contained (inline CSS, no script). Every piece of text is HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from cxresearch.config import paths
from cxresearch.store import read_json, write_text

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 46rem; margin: 0 auto;
  padding: 1.5rem 1.25rem 3rem; line-height: 1.5; color: #1f2937; }}
h1 {{ font-size: 1.7rem; margin-bottom: 0.2rem; }}
.meta {{ color: #6b7280; margin-top: 0; }}
ul.reports {{ list-style: none; padding: 0; }}
ul.reports li {{ border: 1px solid #e5e7eb; border-radius: 0.5rem; padding: 0.8rem 1rem; margin: 0.8rem 0; }}
ul.reports a {{ font-weight: 600; font-size: 1.08rem; color: #1d4ed8; }}
ul.reports p {{ margin: 0.3rem 0 0; }}
li.primary {{ border-color: #2563eb !important; border-width: 2px !important; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="meta">Built {built_at} from <code>{built_from}</code></p>
<ul class="reports">
{items}
</ul>
</main>
</body>
</html>
"""


def build_index(entries: list[dict[str, Any]], out_html: str | Path, *, title: str, built_from: str,
                built_at: str) -> Path:
    """Write the index page. ``entries``: dicts with ``stage, title, href, summary`` (and optional ``primary``)."""
    items = []
    for entry in entries:
        cls = ' class="primary"' if entry.get("primary") else ""
        items.append(
            f'<li{cls}><a href="{html.escape(entry["href"], quote=True)}">{html.escape(entry["title"])}</a>'
            f"<p>{html.escape(entry['summary'])}</p></li>"
        )
    page = PAGE.format(title=html.escape(title), built_from=html.escape(built_from), built_at=html.escape(built_at),
                       items="\n".join(items))
    return write_text(page, out_html)


def _summary(stage: str, metrics: dict[str, Any]) -> str:
    m = metrics.get(stage) or {}
    if stage == "prepare" and m:
        return (f"{m['customer_responses']:,} customer and {m['employee_responses']:,} employee responses from "
                f"{m['units']} units, {m['interviews']} interviews; {m['n_warnings']} validation warnings.")
    if stage == "code_interviews" and m:
        cov = m.get("segment_coverage")
        cov_text = f"{cov:.0%}" if cov is not None else "no respondent turns"
        coded = m.get("n_coded_segments")
        turns = (f"{coded:,} of {m['n_segments']:,} respondent turns" if coded is not None
                 else f"{m['n_segments']:,} respondent turns")
        return f"{m['n_codes_applied']:,} codes on {turns} ({cov_text}); {m['n_comments']:,} survey comments coded."
    if stage == "model_survey" and m:
        eff = m["ex_effect"]
        top = max(eff, key=lambda k: eff[k]["estimate"]) if eff else None
        if top:
            e = eff[top]
            return (f"Largest EX effect at {top}: {e['estimate']:.2f} CSAT points per EX point "
                    f"(95% CI {e['ci_low']:.2f} to {e['ci_high']:.2f}); {m['n_responses']:,} responses, {m['n_units']} units.")
    if stage == "link_moments" and m:
        return (f"Top moment: {m['top_moment']}; {m['n_ex_driven']} EX-driven moments, "
                f"{m['n_promise_gaps']} where delivery lags the promise.")
    if stage == "report":
        return "Findings in plain language, the journey at a glance, methods and data quality."
    return ""


def write_index(root: str | Path | None = None, title: str = "Moments that matter — reports") -> Path:
    """Write ``reports/index.html`` for every stage report present under ``root``."""
    from cxresearch.config import STAGE_NOTEBOOKS
    from cxresearch.pipeline import STAGE_TITLES, stage_html

    p = paths(root)
    metrics = {}
    for stage in STAGE_NOTEBOOKS:
        f = p["metrics"] / f"{stage}.json"
        if f.exists():
            metrics[stage] = read_json(f)
    validation = p["interim"] / "validation.json"
    built_from = read_json(validation)["data_dir"] if validation.exists() else "unknown data"
    order = ["report", *[s for s in STAGE_NOTEBOOKS if s != "report"]]
    entries = [
        {"stage": s, "title": STAGE_TITLES[s], "href": stage_html(s), "summary": _summary(s, metrics),
         "primary": s == "report"}
        for s in order
        if (p["reports"] / stage_html(s)).exists()
    ]
    built_at = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return build_index(entries, p["reports"] / "index.html", title=title, built_from=built_from, built_at=built_at)
