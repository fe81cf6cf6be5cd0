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
# The summary for stakeholders: findings in plain language, the journey at a
# glance, and the methods and data quality at the back.

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
language: str = "en"  # en or fi: labels, headings, generated sentences
title: str = "Moments that matter"  # title of the stakeholder report

# %%
from cxresearch import stages
from cxresearch.report.figures import forest_plot, gap_chart, journey_curve
from cxresearch.report.tables import show_list, show_table, show_text

results = stages.load_results()
summary = stages.summary_sentences(results, journey, language=language)
show_text(title, tag="h1")

# %% [markdown]
# ## In short

# %%
show_list(summary)

# %% [markdown]
# ## Satisfaction along the journey

# %%
journey_curve(results["moment_metrics"], journey, language=language);

# %% [markdown]
# ## Where employee experience moves satisfaction

# %%
forest_plot(results["ex_effects"], journey, language=language);

# %% [markdown]
# ## Where the promise outruns delivery

# %%
gap_chart(results["moment_metrics"], journey, language=language);

# %% [markdown]
# ## Moments side by side

# %%
show_table(stages.joint_display_view(results["joint_display"], language=language), caption="Numbers and voices per moment")

# %% [markdown]
# ## Methods and data quality
#
# Sample sizes, validation warnings, model statement and coder agreement.

# %%
show_table(stages.methods_table(results, privacy_min_group_size), caption="Methods and data quality")
