"""Safe tables: respondent text never becomes markup."""

import pandas as pd
import pytest

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


def test_p_values_below_a_thousandth_read_as_less_than_and_never_as_zero():
    """Expected strings written by hand from the rule: p < 0.001 shows as '<0.001' (never '0.000'), else 3 decimals."""
    from cxresearch.report.tables import is_p_column, p_text

    assert p_text(3.05e-08) == "<0.001" and p_text(0.0) == "<0.001"
    assert p_text(0.001) == "0.001" and p_text(0.017401) == "0.017" and p_text(0.5164669) == "0.516"
    assert p_text(float("nan")) == "–" and p_text(None) == "–"
    assert is_p_column("p") and is_p_column("p (CSAT change)") and not is_p_column("penalty")
    out = table_html(pd.DataFrame({"moment": ["Buy", "Use"], "p": [5.1e-15, 0.0174], "penalty": [0.0001, 1.0]}), digits=2)
    assert '<td class="num">&lt;0.001</td>' in out and '<td class="num">0.017</td>' in out
    assert '<td class="num">0.00</td>' in out and "0.000" not in out  # other columns keep their 2 decimals


def test_a_table_sits_in_a_box_that_scrolls_instead_of_clipping_and_shrinks_on_paper():
    """The review measured tables up to 1253 px in a 950 px box with the last column cut off: the table must sit in
    an overflow-x:auto box, headers wrap, numbers do not, and print CSS shrinks the type rather than scroll."""
    from cxresearch.report.tables import TABLE_CSS

    out = table_html(pd.DataFrame({"a": [1]}), caption="Wide")
    body = out[len(TABLE_CSS):]
    assert body.startswith('<div class="cx-table-wrap" tabindex="0" role="region" aria-label="Wide"><table class="cx-table">')
    assert body.endswith("</table></div>")
    css = TABLE_CSS.replace(" ", "")
    assert ".cx-table-wrap{max-width:100%;overflow-x:auto" in css
    assert ".cx-tableth{" in css and "white-space:normal" in css.split(".cx-tableth{", 1)[1].split("}", 1)[0]
    assert "td.num{" in css and "white-space:nowrap" in css.split("td.num{", 1)[1].split("}", 1)[0]
    printed = css.split("@mediaprint{", 1)[1]
    assert "overflow:visible" in printed and "font-size:0.68em" in printed


def test_reader_table_renames_for_display_and_leaves_the_data_alone():
    """Planted: float counts as synth's auto_vs_planted writes them (79.0), the agreement row '__all__' and the
    moment id 'get_help' of params.yaml's journey; expected the reader forms '79', 'all codes', 'Get help'."""
    from cxresearch.report.tables import reader_table

    journey = [{"id": "get_help", "en": "Get help", "fi": "Avun saaminen"}]
    data = pd.DataFrame({"code": ["__all__"], "moment": ["get_help"], "n_reference": [79.0], "f1": [0.98]})
    view = reader_table(data, {"code": "code", "n_reference": "planted codes", "f1": "F1"}, journey=journey,
                        values={"code": {"__all__": "all codes"}}, integers=["n_reference"])
    assert list(view.columns) == ["code", "planted codes", "F1", "moment"]
    assert view.iloc[0].tolist()[:1] == ["all codes"] and view["moment"].tolist() == ["Get help"]
    out = table_html(view, digits=3)
    assert '<td class="num">79</td>' in out and "79.000" not in out and "0.980" in out
    assert list(data.columns) == ["code", "moment", "n_reference", "f1"] and data["code"][0] == "__all__"
    fi = reader_table(data, journey=journey, language="fi")
    assert fi["moment"].tolist() == ["Avun saaminen"]
    assert reader_table(pd.DataFrame(), {"n_reference": "planted codes"}, integers=["n_reference"]).empty


def test_model_survey_and_ranking_tables_show_reader_headers_and_journey_labels():
    """Column names are those the stages write to Parquet (ranking: link_moments' joint table; robustness:
    compare_models; unit_ex: scales); expected headers are the reader words the review asked for."""
    from cxresearch.stages import (ex_effects_view, ranking_display, robustness_view, scale_checks_view,
                                   unit_ex_display)

    journey = [{"id": "buy", "en": "Buy", "fi": "Osto"}, {"id": "get_help", "en": "Get help", "fi": "Apu"}]
    joint = pd.DataFrame({"rank": [2, 1], "moment": ["buy", "get_help"], "label": ["Buy", "Get help"],
                          "ex_effect": [0.1, 0.6], "ex_low": [-0.1, 0.4], "ex_high": [0.3, 0.8],
                          "ex_driven": [False, True], "gap": [0.1, -0.5], "promise_gap": [False, True],
                          "convergence": ["converge", "diverge"]})
    ranking = ranking_display(joint)
    assert list(ranking.columns) == ["rank", "moment", "EX effect", "EX effect 95% CI low", "EX effect 95% CI high",
                                     "EX-driven", "gap", "promise gap", "numbers vs voices"]
    assert ranking["moment"].tolist() == ["Get help", "Buy"]
    robust = pd.DataFrame({"moment": ["get_help"], "mixed": [0.5], "mixed_low": [0.3], "mixed_high": [0.7],
                           "ols_cluster": [0.4], "ols_low": [0.2], "ols_high": [0.6], "ordinal_ame": [0.45],
                           "ordinal_logit": [1.0], "ordinal_logit_low": [0.6], "ordinal_logit_high": [1.4],
                           "agree": [True]})
    view = robustness_view(robust, journey)
    assert view["moment"].tolist() == ["Get help"]
    assert {"clustered OLS", "ordinal logit (AME)", "models agree"} <= set(view.columns)
    assert not any("_" in c for c in view.columns)
    effects = pd.DataFrame({"moment": ["buy"], "estimate": [0.65], "se": [0.08], "ci_low": [0.49], "ci_high": [0.82],
                            "p": [5e-15], "n": [1478], "estimate_corrected": [0.7], "ci_low_corrected": [0.52],
                            "ci_high_corrected": [0.88]})
    eff = ex_effects_view(effects, journey, level=0.9)
    assert {"EX effect", "90% CI low", "EX effect corrected for reliability"} <= set(eff.columns)
    assert "&lt;0.001" in table_html(eff, digits=3) and "0.650" in table_html(eff, digits=3)
    units = pd.DataFrame({"unit_id": ["U01", "U02"], "wave": ["2026-H1"] * 2, "n_employees": [20, 3],
                          "product_belief": [3.4, 4.0], "ex_index": [3.3, 3.9], "enps": [-30.0, 10.0],
                          "suppressed": [False, True]})
    shown = unit_ex_display(units, 5)
    assert list(shown.columns) == ["unit", "wave", "employees", "product belief", "EX index", "eNPS", "note"]
    assert shown["eNPS"].isna().tolist() == [False, True]  # the small group stays suppressed
    checks = pd.DataFrame({"scale": ["ex_index"], "n_items": [8], "icc1": [0.4], "rwg_median": [0.9]})
    assert scale_checks_view(checks).columns.tolist() == ["scale", "items", "ICC(1)", "median r_wg(j)"]
    assert scale_checks_view(checks)["scale"].tolist() == ["EX index"]


def test_coding_metrics_read_as_labels_without_dict_keys_or_descriptions():
    """Metrics shaped as code_interviews writes them (reports/metrics/code_interviews.json); expected labels are
    the reader words, and the 'statistic' description is no row of its own."""
    from cxresearch.stages import metrics_table

    metrics = {"n_interviews": 24, "n_comment_codes": 816, "segment_coverage": 0.9,
               "auto_vs_human": {"coder_a": {"precision": 0.85}},
               "auto_vs_planted": {"all": {"f1": 0.98, "n_planted": 147}},
               "krippendorff_alpha": {"statistic": "median over codes of nominal alpha", "human_human":
                                      {"coder_a vs coder_b": 0.79}}, "human_coders": ["coder_a", "coder_b"]}
    table = metrics_table(metrics)
    rows = dict(zip(table["metric"], table["value"]))
    assert rows == {"interviews": 24, "codes applied to survey comments": 816, "share of respondent turns coded": 0.9,
                    "auto-coder vs coder_a: precision": 0.85, "auto-coder vs planted codes (all languages): F1": 0.98,
                    "planted codes (all languages)": 147,
                    "Krippendorff's alpha, coder_a vs coder_b (median over codes)": 0.79,
                    "human coders": "coder_a, coder_b"}
    assert '<td class="num">24</td>' in table_html(table, digits=3)


def test_trend_plot_draws_the_intervals_on_an_axis_at_least_one_point_wide():
    """Planted: two waves whose CSAT moves by 0.02 with intervals of ±0.05 (customer_metrics' csat_low/csat_high);
    expected: one error bar per moment, a y-axis of 1 CSAT point centred on the drawn range (3.35–3.47 → 2.91–3.91),
    moved, not narrowed, when near the top of the 1–5 scale; the alt text gives the intervals."""
    import matplotlib.pyplot as plt
    from matplotlib.container import ErrorbarContainer

    from cxresearch.report.figures import trend_plot
    from cxresearch.stages import figure_alt

    journey = [{"id": "buy", "en": "Buy", "fi": "Osto"}, {"id": "use", "en": "Use", "fi": "Käyttö"}]
    pm = pd.DataFrame({"moment": ["buy", "buy", "use", "use"], "period": ["2026-H1", "2026-H2"] * 2,
                       "csat_mean": [3.40, 3.42, 3.41, 3.41], "csat_low": [3.35, 3.37, 3.36, 3.36],
                       "csat_high": [3.45, 3.47, 3.46, 3.46]})
    fig = trend_plot(pm, journey)
    ax = fig.axes[0]
    assert sum(isinstance(c, ErrorbarContainer) for c in ax.containers) == 2
    low, high = ax.get_ylim()
    assert abs((high - low) - 1.0) < 1e-9 and abs((low + high) / 2 - 3.41) < 1e-9
    plt.close(fig)
    top = pm.assign(csat_mean=4.9, csat_low=4.85, csat_high=4.95)
    fig = trend_plot(top, journey)
    assert fig.axes[0].get_ylim() == pytest.approx((4.0, 5.0))
    plt.close(fig)
    alt = figure_alt("trends", {"period_metrics": pm}, journey)
    assert "with 95% intervals" in alt and "Buy 3.40 (3.35…3.45) → 3.42 (3.37…3.47)" in alt
