"""Render an executed notebook to a self-contained, offline, code-free HTML page.

nbconvert's lab template loads require.js and MathJax from a CDN; our ``cx``
template (``templates/cx``) extends it with those blocks emptied, so the page
requests nothing from the network. Input cells and prompts are excluded (the
stakeholder sees prose, tables and figures only); cells tagged ``remove_cell``
are dropped; images stay embedded as ``data:`` URIs. A last check refuses to
write a page that still references an external script or stylesheet.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
_EXTERNAL = re.compile(r"""<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def render_notebook_html(executed_nb: str | Path, out_html: str | Path, title: str, footer: str = "",
                         language: str = "en") -> Path:
    """Render ``executed_nb`` to ``out_html`` (no code, images embedded, offline).

    Raises
    ------
    StageError
        If the rendered page would reference anything on the network.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from cxresearch.exceptions import StageError

    nb = nbformat.read(str(executed_nb), as_version=4)
    nb.metadata["title"] = title
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = ("remove_cell",)
    exporter = HTMLExporter(
        config=config,
        template_name="cx",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    exporter.language_code = language  # <html lang="…">: screen readers pronounce the page in its language
    body, _ = exporter.from_notebook_node(nb, resources={"cx_footer": footer, "language_code": language})
    external = _EXTERNAL.search(body)
    if external:
        raise StageError(f"{out_html}: rendered page references the network ({external.group(0)[:80]}…)")
    out_html = Path(out_html)
    out_html.write_text(body, encoding="utf-8")
    return out_html
