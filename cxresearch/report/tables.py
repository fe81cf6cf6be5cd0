"""Safe tables for notebooks and reports: every cell is HTML-escaped.

Respondent text (comments, quotes) must never run as markup, so tables are
built here with :func:`html.escape` on every header and cell instead of
``DataFrame.to_html`` options a later edit could flip.
"""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

TABLE_CSS = (
    "<style>.cx-table{border-collapse:collapse;margin:0.5em 0 1.2em;font-size:0.92em}"
    ".cx-table caption{caption-side:top;text-align:left;font-weight:600;padding:0.3em 0}"
    ".cx-table th,.cx-table td{border-bottom:1px solid #ddd;padding:0.3em 0.6em;text-align:left !important;vertical-align:top}"
    ".cx-table td.num{text-align:right !important;font-variant-numeric:tabular-nums}"
    ".cx-table th{background:#f3f4f6}</style>"
)



def interval_text(low, high, fmt: str = "{:.2f}", language: str = "en") -> str:
    """An interval as a reader reads it: ``−12.9 to −4.8`` (``−12.9…−4.8`` in Finnish), with true minus signs;
    ``–`` when a bound is missing. An en dash between bounds (``-12.9–-4.8``) is unreadable once they are negative."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return "–"
    a, b = (fmt.format(v).replace("-", "\u2212") for v in (low, high))
    return f"{a}…{b}" if language == "fi" else f"{a} to {b}"

def _cell(value: Any, digits: int) -> tuple[str, bool]:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, float):
        return f"{value:,.{digits}f}".replace(",", "\u202f"), True
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f"), True
    if isinstance(value, (list, tuple)):
        return "\n".join(f"“{v}”" for v in value), False
    try:
        if pd.isna(value):
            return "–", False
    except (TypeError, ValueError):
        pass
    return str(value), False


def table_html(frame: pd.DataFrame, caption: str | None = None, digits: int = 2, max_rows: int = 200) -> str:
    """Render ``frame`` as an escaped HTML table (numbers right-aligned, ``digits`` decimals)."""
    parts = ['<table class="cx-table">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns) + "</tr></thead>")
    parts.append("<tbody>")
    for row in frame.head(max_rows).itertuples(index=False):
        cells = []
        for value in row:
            text, numeric = _cell(value, digits)
            body = html.escape(text).replace("\n", "<br>")
            cells.append(f'<td class="num">{body}</td>' if numeric else f"<td>{body}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody></table>")
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
