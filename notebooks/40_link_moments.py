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
# # Link moments: numbers and voices side by side
#
# For each moment of the journey, the customer numbers, the EX effect, the
# promise–delivery gap and what customers and employees said, with a ranking of
# the **moments that matter**: moments are ranked by the lower end of the 95%
# interval of their EX effect (how much satisfaction at least moves per point of
# employee experience); a moment is *EX-driven* when that interval lies above
# zero, and has a *promise gap* when delivery falls short of expectation beyond
# doubt.

# %% tags=["parameters"]
journey: list = [  # ordered journey moments (params.yaml journey)
    {"id": "discover", "en": "Discover", "fi": "Löytäminen"},
    {"id": "choose", "en": "Choose", "fi": "Valinta"},
    {"id": "buy", "en": "Buy", "fi": "Ostaminen"},
    {"id": "receive", "en": "Receive", "fi": "Vastaanotto"},
    {"id": "use", "en": "Use", "fi": "Käyttö"},
    {"id": "get_help", "en": "Get help", "fi": "Avun saaminen"},
]
top_codes: int = 3  # codes listed per moment and role
n_quotes: int = 2  # exemplar customer quotes per moment

# %%
from cxresearch import stages
from cxresearch.report.tables import show_list, show_table

result = stages.link_moments(journey, top_codes=top_codes, n_quotes=n_quotes)

# %% [markdown]
# ## Moments that matter

# %%
show_table(stages.ranking_display(result.tables["joint"]), caption="Moments ranked by conservative EX leverage", digits=2)

# %%
show_list(stages.ranking_sentences(result.tables["joint"]))

# %% [markdown]
# ## Joint display
#
# One row per moment in journey order. Quotes are shown as said.

# %%
show_table(stages.joint_display_view(result.tables["joint"]), caption="Joint display per moment", digits=2)
