"""Safe tables for notebooks and reports: every cell is HTML-escaped.

Respondent text (comments, quotes) must never run as markup, so tables are
built here with :func:`html.escape` on every header and cell instead of
``DataFrame.to_html`` options a later edit could flip.
"""

from __future__ import annotations

import html
import math
import numbers
from typing import Any

import numpy as np
import pandas as pd

TABLE_CSS = (
    "<style>"
    # The box scrolls sideways when a table is wider than the page, so that no column is ever cut off; shadows at
    # its edges, drawn only while there is more to scroll to, show that it does (also where scroll bars hide).
    ".cx-table-wrap{max-width:100%;overflow-x:auto;margin:0.5em 0 1.2em;"
    "background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)),"
    "linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) 100% 0,"
    "radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.28),rgba(0,0,0,0)),"
    "radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.28),rgba(0,0,0,0)) 100% 0;"
    "background-repeat:no-repeat;background-size:40px 100%,40px 100%,16px 100%,16px 100%;"
    "background-attachment:local,local,scroll,scroll}"
    ".cx-table-wrap:focus-visible{outline:2px solid #2563eb;outline-offset:2px}"
    # `table.cx-table` outranks the notebook theme's `.jp-RenderedHTMLCommon table` (fixed layout, striped rows
    # that would hide the scroll shadows)
    "table.cx-table{border-collapse:collapse;margin:0;font-size:0.92em;table-layout:auto}"
    ".cx-table caption{caption-side:top;text-align:left;font-weight:600;padding:0.3em 0}"
    ".cx-table th,.cx-table td{border-bottom:1px solid #ddd;padding:0.3em 0.4em;text-align:left !important;"
    "vertical-align:top}"
    ".cx-table-wrap table.cx-table tbody tr{background:transparent}"
    ".cx-table-wrap table.cx-table tbody tr:hover{background:rgba(37,99,235,.06)}"
    # headers wrap between words, so a long header does not widen its column; numbers never wrap
    ".cx-table th{background:rgba(17,24,39,.05);white-space:normal;vertical-align:bottom}"
    ".cx-table td{overflow-wrap:break-word}"
    ".cx-table td.num{text-align:right !important;font-variant-numeric:tabular-nums;white-space:nowrap}"
    # on paper nothing scrolls: the table shrinks to the page (smaller type, tighter cells) instead of being cut
    "@media print{.cx-table-wrap{overflow:visible;background:none}"
    "table.cx-table{font-size:0.68em;width:100%}"
    # a header breaks inside a word rather than push the table past the page (never narrower than a short word)
    ".cx-table th,.cx-table td{padding:0.15em 0.3em}.cx-table th{overflow-wrap:anywhere;min-width:2.8em}"
    ".cx-table tr{break-inside:avoid}}"
    "</style>"
)

#: Values shown as ``<0.001`` below this (a p-value is never shown as ``0.000``).
P_FLOOR = 0.001


def p_text(p, digits: int = 3) -> str:
    """A p-value as a reader reads it: ``<0.001`` when below 0.001 (never ``0.000``), else ``digits`` decimals;
    ``–`` when missing."""
    if p is None or p is pd.NA or (isinstance(p, numbers.Real) and math.isnan(p)):
        return "–"
    p = float(p)
    if p < P_FLOOR:
        return "<0.001"
    return f"{p:.{digits}f}"


def is_p_column(name: Any) -> bool:
    """Whether a displayed column holds p-values: it is headed ``p``, ``p-value`` / ``p value``, or ``p (…)``.
    :func:`table_html` writes those cells with :func:`p_text`."""
    text = str(name).strip().lower()
    return text in {"p", "p-value", "p value", "p-arvo"} or text.startswith("p (")


def moment_labels(moments: pd.Series, journey: list[dict] | None, language: str = "en") -> pd.Series:
    """Moment ids (``get_help``) as the journey labels readers see elsewhere (``Get help``); an id the journey
    lacks is kept as it is."""
    if not journey:
        return moments
    names = {m["id"]: m.get(language, m.get("en", m["id"])) for m in journey}
    return moments.map(lambda m: names.get(m, m))


def reader_table(frame: pd.DataFrame, columns: dict[str, str] | None = None, journey: list[dict] | None = None,
                 language: str = "en", values: dict[str, dict] | None = None, integers: list[str] | tuple = (),
                 keep_others: bool = True) -> pd.DataFrame:
    """A copy of ``frame`` to show: the ``moment`` column as journey labels (when ``journey`` is given), cell values
    replaced per column (``values={"code": {"__all__": "all codes"}}``), count columns in ``integers`` as whole
    numbers (``79``, not ``79.000``), and columns renamed to reader words by ``columns`` (in that order; other
    columns follow unless ``keep_others`` is false). Columns ``columns`` names that ``frame`` lacks are skipped,
    so an empty table stays an empty table. ``frame`` (and any Parquet it came from) is untouched."""
    out = frame.copy()
    if journey is not None and "moment" in out:
        out["moment"] = moment_labels(out["moment"], journey, language)
    for col, mapping in (values or {}).items():
        if col in out:
            out[col] = out[col].map(lambda v, m=mapping: m.get(v, v))
    for col in integers:
        if col in out and pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            vals = out[col].dropna()
            if (vals == vals.round()).all():
                out[col] = out[col].round().astype("Int64")
    if columns:
        order = [c for c in columns if c in out.columns]
        if keep_others:
            order += [c for c in out.columns if c not in columns]
        out = out[order].rename(columns=columns)
    return out


def interval_text(low, high, fmt: str = "{:.2f}", language: str = "en") -> str:
    """An interval as a reader reads it: ``−12.9 to −4.8`` (``−12.9…−4.8`` in Finnish), with true minus signs;
    ``–`` when a bound is missing. An en dash between bounds (``-12.9–-4.8``) is unreadable once they are negative."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    a, b = (fmt.format(v).replace("-", "\u2212") for v in (low, high))
    return f"{a}…{b}" if language == "fi" else f"{a} to {b}"

def _cell(value: Any, digits: int) -> tuple[str, bool]:
    if value is None or value is pd.NA or (isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral)
                                           and math.isnan(value)):
        return "–", False
    if isinstance(value, (bool, np.bool_)):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):  # Python and NumPy integers (an Int64 column gives NumPy's)
        return f"{int(value):,}".replace(",", "\u202f"), True
    if isinstance(value, numbers.Real):
        return f"{float(value):,.{digits}f}".replace(",", "\u202f"), True
    if isinstance(value, (list, tuple)):
        return "\n".join(f"“{v}”" for v in value), False
    try:
        if pd.isna(value):
            return "–", False
    except (TypeError, ValueError):
        pass
    return str(value), False


def table_html(frame: pd.DataFrame, caption: str | None = None, digits: int = 2, max_rows: int = 200) -> str:
    """Render ``frame`` as an escaped HTML table (numbers right-aligned, ``digits`` decimals; p-value columns, see
    :func:`is_p_column`, as :func:`p_text`), inside a box that scrolls sideways when the table is wider than the
    page (a keyboard can focus it to scroll), so that no column is ever cut off."""
    p_cols = [is_p_column(c) for c in frame.columns]
    region = f' role="region" aria-label="{html.escape(caption, quote=True)}"' if caption else ""
    parts = [f'<div class="cx-table-wrap" tabindex="0"{region}><table class="cx-table">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns) + "</tr></thead>")
    parts.append("<tbody>")
    for row in frame.head(max_rows).itertuples(index=False):
        cells = []
        for value, is_p in zip(row, p_cols):
            if is_p and isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
                text, numeric = p_text(value), not math.isnan(value)
            else:
                text, numeric = _cell(value, digits)
            body = html.escape(text).replace("\n", "<br>")
            cells.append(f'<td class="num">{body}</td>' if numeric else f"<td>{body}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table></div>")
    if len(frame) > max_rows:
        parts.append(f"<p><em>{len(frame) - max_rows} more rows not shown.</em></p>")
    return TABLE_CSS + "".join(parts)


def show_table(frame: pd.DataFrame, caption: str | None = None, digits: int = 2, max_rows: int = 200):
    """An IPython HTML object of :func:`table_html`, for the last line of a notebook cell."""
    from IPython.display import HTML

    if frame is None or len(frame) == 0:
        return HTML(f"<p><em>{html.escape(caption or 'Table')}: nothing to show.</em></p>")
    return HTML(table_html(frame, caption=caption, digits=digits, max_rows=max_rows))


def show_text(text: str, tag: str = "p"):
    """Show generated text (which may quote respondents) escaped, as one HTML element."""
    from IPython.display import HTML

    return HTML(f"<{tag}>{html.escape(text)}</{tag}>")


def show_list(items: list[str]):
    """Show generated sentences as an escaped bullet list."""
    from IPython.display import HTML

    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def show_heading(text: str, level: int = 2, anchor: str | None = None):
    """A section heading (escaped) with an ``id`` the table of contents links to."""
    from IPython.display import HTML

    ident = f' id="{html.escape(anchor, quote=True)}"' if anchor else ""
    return HTML(f"<h{level}{ident}>{html.escape(text)}</h{level}>")


def show_toc(sections: list[tuple[str, str]], label: str = "Contents"):
    """A table of contents: ``sections`` are ``(anchor, heading)`` pairs, in page order."""
    from IPython.display import HTML

    items = "".join(f'<li><a href="#{html.escape(a, quote=True)}">{html.escape(t)}</a></li>' for a, t in sections)
    return HTML(f'<nav class="cx-toc" aria-label="{html.escape(label, quote=True)}"><p class="cx-toc-label">'
                f"{html.escape(label)}</p><ol>{items}</ol></nav>")


def figure_html(fig, alt: str, caption: str | None = None) -> str:
    """A matplotlib figure as an HTML ``<figure>``: the PNG embedded, ``alt`` text for screen readers and for
    when images are off, and an optional caption. The figure is closed (it is not drawn a second time)."""
    import base64
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png")  # our figures size themselves (tight_layout): no second drawing to trim them
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (f'<figure class="cx-figure"><img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}">'
            f"{cap}</figure>")


def show_figure(fig, alt: str, caption: str | None = None):
    """Show :func:`figure_html` as the output of a notebook cell."""
    from IPython.display import HTML

    return HTML(figure_html(fig, alt, caption))
