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
from cxresearch.report.figures import (forest_plot, gap_chart, journey_curve, theme_moment_heatmap, trend_plot,
                                       unit_scatter)
from cxresearch.report.tables import show_figure, show_heading, show_list, show_table, show_text, show_toc

results = stages.load_results()
sections = dict(stages.report_sections(language))
words = stages.report_words(language)
show_text(title, tag="h1")

# %%
show_toc(stages.report_sections(language), label=words["contents"])

# %%
show_heading(sections["summary"], anchor="summary")

# %%
show_list(stages.summary_sentences(results, journey, language=language))

# %%
show_heading(sections["journey"], anchor="journey")

# %%
show_figure(journey_curve(results["moment_metrics"], journey, language=language, title=sections["journey"]),
            alt=stages.figure_alt("journey", results, journey, language))

# %%
show_heading(sections["ex-effect"], anchor="ex-effect")

# %%
show_figure(forest_plot(results["ex_effects"], journey, language=language, title=sections["ex-effect"]),
            alt=stages.figure_alt("ex_effect", results, journey, language))

# %%
show_heading(sections["units"], anchor="units")

# %%
show_figure(unit_scatter(results["unit_moment"], journey, language=language, title=sections["units"]),
            alt=stages.figure_alt("units", results, journey, language))

# %%
show_heading(sections["gap"], anchor="gap")

# %%
show_figure(gap_chart(results["moment_metrics"], journey, language=language, title=sections["gap"]),
            alt=stages.figure_alt("gap", results, journey, language))

# %%
show_heading(sections["themes"], anchor="themes")

# %%
show_figure(theme_moment_heatmap(results["theme_moment"], journey, language=language, title=sections["themes"]),
            alt=stages.figure_alt("themes", results, journey, language))

# %%
show_heading(sections["trends"], anchor="trends")

# %%
show_figure(trend_plot(results["period_metrics"], journey, language=language, title=sections["trends"]),
            alt=stages.figure_alt("trends", results, journey, language))

# %%
show_heading(sections["moments"], anchor="moments")

# %%
show_table(stages.joint_display_view(results["joint_display"], language=language, journey=journey),
           caption=words["joint_caption"])

# %%
show_heading(sections["methods"], anchor="methods")

# %%
show_table(stages.methods_table(results, privacy_min_group_size, language=language), caption=words["methods_caption"])
