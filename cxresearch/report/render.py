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
    return HtmlRenderer(language).render(executed_nb, out_html, title=title, footer=footer)


class HtmlRenderer:
    """nbconvert's HTML exporter with our ``cx`` template, built once for a page language.

    Building it and compiling its templates is most of a render's cost; :meth:`warmed` does both on a small
    notebook, so that a stage can do it on a thread while its kernel executes."""

    def __init__(self, language: str = "en"):
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = ("remove_cell",)
        self.language = language
        self.exporter = HTMLExporter(
            config=config,
            template_name="cx",
            extra_template_basedirs=[str(TEMPLATES)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
        )
        self.exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
        self.exporter.language_code = language  # <html lang="…">: screen readers pronounce the page in its language

    @classmethod
    def warmed(cls, language: str = "en") -> "HtmlRenderer":
        """A renderer that has exported one small notebook (templates loaded, markdown and filters compiled)."""
        import nbformat

        renderer = cls(language)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# *warm-up*"),
                                             nbformat.v4.new_code_cell("1", outputs=[nbformat.v4.new_output(
                                                 "execute_result", {"text/plain": "1"}, execution_count=1)])])
        renderer._export(nb, title="warm-up", footer="")
        return renderer

    def _export(self, nb, title: str, footer: str) -> str:
        nb.metadata["title"] = title
        body, _ = self.exporter.from_notebook_node(nb, resources={"cx_footer": footer, "language_code": self.language})
        return body

    def render(self, executed_nb, out_html: str | Path, title: str, footer: str = "") -> Path:
        """Render ``executed_nb`` (a path, or a notebook already in memory) to ``out_html``; refuses a page that
        references the network (``StageError``)."""
        import nbformat

        from cxresearch.exceptions import StageError

        nb = executed_nb if isinstance(executed_nb, dict) else nbformat.read(str(executed_nb), as_version=4)
        body = self._export(nb, title, footer)
        external = _EXTERNAL.search(body)
        if external:
            raise StageError(f"{out_html}: rendered page references the network ({external.group(0)[:80]}…)")
        out_html = Path(out_html)
        out_html.write_text(body, encoding="utf-8")
        return out_html
