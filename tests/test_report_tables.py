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
    """Expected text follows the formatting rule: 2 decimals, thousands apart by a narrow no-break space (U+202F,
    so that 1 052 never wraps as "1 / 052" in a narrow column), '–' for missing."""
    df = pd.DataFrame({"x": [1234.5678, float("nan")], "k": [12000, 3]})
    out = table_html(df)
    assert "1\u202f234.57" in out
    assert "<td>–</td>" in out
    assert "12\u202f000" in out


def test_figure_alt_for_the_stage_figures_reads_the_numbers_shown():
    """Alt text of the technical pages' figures is written from the tables they draw: the expected values are the
    tables' own numbers, planted here (largest driver share per moment, penalty / reward / class, the top code ×
    moment cells per role, the residual and intercept ranges)."""
    import pandas as pd

    from cxresearch.stages import figure_alt

    journey = [{"id": "buy", "en": "Buy", "fi": "Osto"}, {"id": "use", "en": "Use", "fi": "Käyttö"}]
    tables = {
        "driver_importance": pd.DataFrame({"moment": ["buy", "buy", "use"], "driver": ["staffing", "valued", "autonomy"],
                                           "share": [0.25, 0.6, 0.4]}),
        "penalty_reward": pd.DataFrame({"moment": ["use", "buy"], "penalty": [-1.5, -0.2], "reward": [0.3, 1.4],
                                        "class": ["hygiene", "wow"]}),
        "code_moment": pd.DataFrame({"role": ["customer", "customer", "employee"], "moment": ["buy", "use", "buy"],
                                     "code": ["effort", "wow", "staffing"], "share_interviews": [0.5, 0.0, 0.25]}),
    }
    drivers = figure_alt("drivers", tables, journey)
    assert "Buy valued 60 %" in drivers and "Use autonomy 40 %" in drivers and drivers.index("Buy") < drivers.index("Use")
    pr = figure_alt("penalty_reward", tables, journey, "fi")
    assert "Osto -0.20 / +1.40 (wow)" in pr and "Käyttö -1.50 / +0.30 (hygiene)" in pr
    codes = figure_alt("codes", tables, journey)
    assert "customers: effort / Buy 50 %" in codes and "employees: staffing / Buy 25 %" in codes and "wow" not in codes
    diag = figure_alt("diagnostics", {"diagnostics": {
        "residuals": pd.DataFrame({"mean": [-0.1, 0.05, 0.2]}), "unit_effects": [-0.3, 0.1, 0.25]}}, journey)
    assert "from -0.10 to +0.20 over 3 bins" in diag and "3 predicted unit intercepts from -0.30 to +0.25" in diag
    assert figure_alt("diagnostics", {"diagnostics": {}}, journey).endswith("no data.")


def test_intervals_read_as_text_with_true_minus_signs():
    """Expected strings written by hand: negative bounds keep their sign readable ('−12.9 to −4.8', never
    '-12.9–-4.8'), Finnish writes the range with '…', a missing bound gives '–'."""
    from cxresearch.report.tables import interval_text

    assert interval_text(-12.94, -4.81, "{:.1f}") == "\u221212.9 to \u22124.8"
    assert interval_text(0.489, 0.817) == "0.49 to 0.82"
    assert interval_text(-0.25, 0.13, language="fi") == "\u22120.25…0.13"
    assert interval_text(float("nan"), 1.0) == "–" and interval_text(None, 1.0) == "–"
