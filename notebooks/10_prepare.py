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
# # Prepare: is the data fit to use?
#
# This stage checks every input of the data folder against its contract
# (customer and employee surveys, units, interview transcripts, codebook, human
# codings) and writes typed tables to `data/interim`. If anything breaks the
# contract, the run stops here with one line per problem; nothing is written.

# %% tags=["parameters"]
data_dir: str = "data/example"  # the data folder (params.yaml data.dir)
data_columns: dict = {}  # per table, our column name -> the file's (e.g. a Qualtrics export's Q1)
journey: list = [  # ordered journey moments (params.yaml journey)
    {"id": "discover", "en": "Discover", "fi": "Löytäminen"},
    {"id": "choose", "en": "Choose", "fi": "Valinta"},
    {"id": "buy", "en": "Buy", "fi": "Ostaminen"},
    {"id": "receive", "en": "Receive", "fi": "Vastaanotto"},
    {"id": "use", "en": "Use", "fi": "Käyttö"},
    {"id": "get_help", "en": "Get help", "fi": "Avun saaminen"},
]
privacy_min_group_size: int = 5  # smallest employee group whose figures are shown
fail_on_warnings: bool = False  # stop on warnings too

# %%
from cxresearch import stages
from cxresearch.report.tables import show_table

result = stages.prepare(data_dir, journey, min_group_size=privacy_min_group_size, fail_on_warnings=fail_on_warnings,
                        columns=data_columns)
report = result.extra["report"]

# %% [markdown]
# ## What arrived
#
# Counts of each input after validation. Every table met its contract.

# %%
show_table(stages.counts_table(report.counts), caption="Inputs read from the data folder")

# %% [markdown]
# ## Warnings and notes
#
# Warnings do not stop the run but say where the data are thin — for example a
# unit with few customer responses, or an employee group too small to show.

# %%
show_table(stages.messages_table(report), caption="Warnings and notes from validation")

# %% [markdown]
# ## Responses per moment and period
#
# How the customer responses spread over the journey and over the survey periods.

# %%
show_table(stages.responses_by_moment(result.tables["customers"], journey), caption="Customer responses per moment and period")
