"""Safe tables: respondent text never becomes markup."""

import pandas as pd

from cxresearch.report.tables import table_html


def test_markup_in_cells_and_headers_is_escaped():
    """A comment carrying <script> must appear as text (DESIGN §8 privacy/safety bar)."""
    df = pd.DataFrame({"<b>col</b>": ['<script>alert("x")</script>', "ok"], "n": [1, 2]})
    out = table_html(df, caption="<i>cap</i>")
    assert "<script>alert" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out
    assert "&lt;b&gt;col&lt;/b&gt;" in out
    assert "&lt;i&gt;cap&lt;/i&gt;" in out


def test_numbers_are_formatted_and_missing_shown_as_dash():
    """Expected text follows the formatting rule: 2 decimals, thin-space thousands, '–' for missing."""
    df = pd.DataFrame({"x": [1234.5678, float("nan")], "k": [12000, 3]})
    out = table_html(df)
    assert "1\u2009234.57" in out
    assert "<td>–</td>" in out
    assert "12\u2009000" in out
