# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Model the surveys: does employee experience move customer satisfaction, and where?
#
# Employee survey items are scored into the eight driver scales and an overall
# EX index per unit and wave. Customer satisfaction is then modelled with
# customers nested in units: CSAT on the unit's EX index in the same period, with
# a separate EX effect for every moment of the journey.

# %% tags=["parameters"]
journey: list = [  # ordered journey moments (params.yaml journey)
    {"id": "discover", "en": "Discover", "fi": "Löytäminen"},
    {"id": "choose", "en": "Choose", "fi": "Valinta"},
    {"id": "buy", "en": "Buy", "fi": "Ostaminen"},
    {"id": "receive", "en": "Receive", "fi": "Vastaanotto"},
    {"id": "use", "en": "Use", "fi": "Käyttö"},
    {"id": "get_help", "en": "Get help", "fi": "Avun saaminen"},
]
privacy_min_group_size: int = 5  # smallest employee group whose figures are shown
outcome: str = "csat"  # customer outcome modelled on unit EX
controls: list = ["segment", "channel", "period"]  # categorical controls, used when present
level: float = 0.95  # confidence level of intervals
margins: dict = {}  # population shares to rake customer metrics to, e.g. {"segment": {"price": 0.5, ...}}

# %%
from cxresearch import stages
from cxresearch.report.figures import (driver_importance_heatmap, forest_plot, gap_chart, journey_curve,
                                       model_diagnostics, penalty_reward_chart, trend_plot)
from cxresearch.report.tables import show_figure, show_list, show_table
from cxresearch.survey.models import effect_sentence

result = stages.model_survey(journey, min_group_size=privacy_min_group_size, outcome=outcome,
                             controls=controls, level=level, margins=margins)
model = result.extra["model"]

# %% [markdown]
# ## The EX effect at each moment

# %%
show_figure(forest_plot(result.tables["ex_effects"], journey),
            alt=stages.figure_alt("ex_effect", result.tables, journey))

# %%
show_list(stages.effect_sentences(result.tables["ex_effects"], journey))

# %%
show_table(stages.ex_effects_view(result.tables["ex_effects"], journey, level),
           caption=f"Per-moment EX effect on {outcome.upper()} ({level:.0%} interval)", digits=3)

# %% [markdown]
# **Model.** The statement below is what was fitted (statsmodels MixedLM, REML),
# with one random intercept per unit. The unit EX index is a mean over a sample of
# employees; its sampling error pulls the effects slightly towards zero.

# %%
show_table(stages.model_table(model), caption="Model statement and fit")

# %% [markdown]
# **Assumptions.** The model assumes residuals centred on zero with similar
# spread across the range of fitted values (CSAT is a 1–5 rating, so the
# spread narrows near the ends; the ordinal model below does not assume an
# interval scale), and unit intercepts drawn from a normal distribution. The
# unit intercept variance is in the table above: at zero the model would be
# plain OLS, which the fit reports and handles.

# %%
show_figure(model_diagnostics(model), alt=stages.figure_alt("diagnostics", {"diagnostics": model.diagnostics}, journey))

# %% [markdown]
# Unit EX is itself an estimate from a sample of employees, so its sampling
# error pulls the effects towards zero by the reliability of the unit means.
# The corrected effects divide by that reliability (the classical
# errors-in-variables correction).

# %%
show_list([stages.reliability_sentence(result.metrics)])

# %% [markdown]
# ## Do other models say the same?
#
# The mixed model treats CSAT as an interval scale. Beside it: OLS with
# standard errors clustered by unit (no random intercept), and an ordinal logit
# that treats CSAT as ordered answer categories; its slope is on the log-odds
# scale, so it is also shown as the average change in expected CSAT per EX
# point. Both are fitted on exact cell totals (same estimates as a fit on every
# response). A moment is marked as agreeing when all three have the same sign
# (or all intervals include zero) and both alternatives fall near the mixed
# model's interval.

# %%
show_table(stages.robustness_view(result.tables["robustness"], journey, level),
           caption="EX effect per moment by three models", digits=3)

# %% [markdown]
# ## Which way does the link run?
#
# With two or more survey waves, cross-lagged models ask whether a unit's EX
# predicts its *later* CSAT beyond the CSAT it already had, and the reverse.

# %%
show_table(stages.lagged_view(result.tables["lagged"], outcome, level),
           caption=f"Cross-lagged unit-level models (unit-clustered {level:.0%} intervals)", digits=3)

# %%
show_list(stages.robustness_sentences(result.tables["robustness"], result.tables["lagged"], journey, outcome))

# %% [markdown]
# ## Which drivers matter at each moment?
#
# The explained variance (R²) of each moment's unit-level CSAT on the eight
# driver scales is split among the drivers by Johnson's relative weights, which
# handle correlated drivers; intervals come from resampling units (200 times).
# With few units the split is uncertain: read the intervals in the table, not
# only the colours.

# %%
show_figure(driver_importance_heatmap(result.tables["driver_importance"], journey),
            alt=stages.figure_alt("drivers", result.tables, journey))

# %%
show_table(stages.driver_importance_view(result.tables["driver_importance"], journey, level),
           caption=f"Driver importance per moment (relative weights, bootstrap {level:.0%} CI)", digits=3)

# %% [markdown]
# ## Hygiene or wow?
#
# Penalty–reward analysis: per moment, how much lower a customer's NPS answer is
# when that moment's CSAT is 1–2 (penalty) and how much higher at 5 (reward),
# against 3–4. A moment whose penalty clearly outweighs its reward is
# **hygiene** (it must not fail), one whose reward clearly outweighs its penalty
# is **wow** (worth making shine); otherwise **linear**.

# %%
show_figure(penalty_reward_chart(result.tables["penalty_reward"], journey),
            alt=stages.figure_alt("penalty_reward", result.tables, journey))

# %%
show_table(stages.penalty_reward_view(result.tables["penalty_reward"], journey, level),
           caption=f"Penalty, reward and asymmetry per moment (HC1 {level:.0%} CI)", digits=2)

# %% [markdown]
# ## Customer metrics along the journey

# %%
show_figure(journey_curve(result.tables["moment_metrics"], journey),
            alt=stages.figure_alt("journey", result.tables, journey))

# %%
show_table(stages.moment_metrics_display(result.tables["moment_metrics"], journey),
           caption="Customer metrics per moment (95% intervals: CSAT t, top-2-box Wilson, NPS adjusted Wald)")

# %% [markdown]
# When `margins` are set, the customer metrics above are weighted by raking to
# those population shares, and their intervals use the effective sample size.

# %%
show_list([stages.weighting_sentence(result.metrics)])

# %% [markdown]
# ## Promise versus delivery

# %%
show_figure(gap_chart(result.tables["moment_metrics"], journey),
            alt=stages.figure_alt("gap", result.tables, journey))

# %% [markdown]
# ## Trends over survey periods

# %%
show_figure(trend_plot(result.tables["period_metrics"], journey),
            alt=stages.figure_alt("trends", result.tables, journey))

# %% [markdown]
# Change between consecutive periods per moment: CSAT (Welch interval and
# test), top-2-box share (Newcombe's interval) and NPS (normal interval). A
# p-value is shown only beside the change it tests.

# %%
show_table(stages.period_change_view(result.tables["period_change"], journey),
           caption="Change between periods per moment (95% intervals)", digits=2)

# %% [markdown]
# ## Are the employee scales fit to use, and may they be averaged per unit?
#
# Each driver is a short scale. Cronbach's alpha and McDonald's omega say how
# consistently its items measure one thing (about 0.7 or more is usual); the
# corrected item–total (item–rest) correlation flags an item that runs against the rest.
# A unit's mean stands for the unit only if people in a unit answer alike and
# units differ: ICC(1) is the share of variance between units, ICC(2) the
# reliability of a unit mean (0.7 or more), and r_wg(j) the agreement within a
# unit (0.7 or more; groups under the anonymity threshold are left out). A low
# ICC(2) means the unit EX is measured with error, which pulls the EX effects
# towards zero.

# %%
show_table(stages.scale_checks_view(result.tables["scale_checks"]), caption="Scale reliability and aggregation checks",
           digits=2)

# %% [markdown]
# ## Employee experience per unit and wave
#
# Groups with fewer than the minimum group size are suppressed: their figures are
# not shown anywhere.

# %%
show_table(stages.unit_ex_display(result.tables["unit_ex"], privacy_min_group_size),
           caption="Employee experience per unit and wave (driver means 1–5)")
