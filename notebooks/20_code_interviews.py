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
# # Code interviews: what people say, in their own words
#
# Every respondent turn of every interview (and every survey comment) is coded
# against the codebook: a code fires when one of its Finnish or English cue
# lemmas occurs in the segment, negation flips its valence, and the cue that
# fired is kept so a researcher can see *why*. A learned model (fitted on
# example passages written for each code, never on the data it codes) then
# reads each segment a second time, knowing which cues fired: it drops a cue
# word used in another sense (*a voice like a phone book* is no phone line),
# and finds codes said in words no cue lists — their evidence is marked `≈`
# with the words that weighed most. Scores are its probabilities. Where two human coders coded the
# same interviews, their agreement with each other and with this coder is
# measured below.

# %% tags=["parameters"]
journey: list = [  # ordered journey moments (params.yaml journey)
    {"id": "discover", "en": "Discover", "fi": "Löytäminen"},
    {"id": "choose", "en": "Choose", "fi": "Valinta"},
    {"id": "buy", "en": "Buy", "fi": "Ostaminen"},
    {"id": "receive", "en": "Receive", "fi": "Vastaanotto"},
    {"id": "use", "en": "Use", "fi": "Käyttö"},
    {"id": "get_help", "en": "Get help", "fi": "Avun saaminen"},
]
lang: str = "auto"  # fi, en, or auto (detect per segment)
code_comments: bool = True  # run survey comments through the same coder
learned: bool = True  # a learned model checks the cue hits and adds codes said in other words
privacy_min_group_size: int = 5  # no employee quote from a unit whose employee group is smaller

# %%
from cxresearch import stages
from cxresearch.report.figures import code_moment_heatmaps, theme_moment_heatmap
from cxresearch.report.tables import reader_table, show_figure, show_table

result = stages.code_interviews(lang=lang, code_comments=code_comments, journey=journey, learned=learned,
                                min_group_size=privacy_min_group_size)

# %% [markdown]
# ## How much was coded

# %%
show_table(stages.metrics_table(result.metrics), caption="Coding at a glance", digits=3)

# %% [markdown]
# ## Codes by role and valence
#
# How often each code was applied to interview turns and comments, split by
# who spoke and whether they spoke well or badly of it.

# %%
show_table(stages.code_frequency(result.tables["coded"], result.extra["codebook"]), caption="Code frequency by role and valence")

# %% [markdown]
# ## Themes along the journey
#
# Segments tied to a moment (by the moment the survey comment was about, or by
# moment cues in the interview turn), counted per theme.

# %%
show_figure(theme_moment_heatmap(result.tables["theme_moment"], journey),
            alt=stages.figure_alt("themes", result.tables, journey))

# %% [markdown]
# ## Codes at each moment, customers and employees
#
# The share of interviews in which a code was said about a moment. Employees'
# and customers' interviews are counted separately, each against its own total.

# %%
show_figure(code_moment_heatmaps(result.tables["code_moment"], journey, result.extra["codebook"]),
            alt=stages.figure_alt("codes", result.tables, journey))

# %% [markdown]
# ## Valence by moment
#
# Positive, negative and neutral codings per moment, and the balance
# (positive − negative) / (positive + negative), from −1 to +1.

# %%
show_table(stages.valence_view(result.tables["valence_balance"], journey), caption="Valence balance by moment", digits=2)

# %% [markdown]
# ## Codes said together
#
# Pairs of codes applied to the same segment (at least twice), with the Jaccard
# index (segments with both / segments with either).

# %%
show_table(reader_table(result.tables["cooccurrence"].head(15),
                        {"code_a": "code", "code_b": "with code", "n_both": "segments with both",
                         "n_a": "segments with the first", "n_b": "segments with the second", "jaccard": "Jaccard index"}),
           caption="Most frequent code pairs", digits=2)

# %% [markdown]
# ## In their own words
#
# Exemplar quotes per code and moment: the most clearly coded passages, short,
# with personal data replaced by placeholders, each traceable to its interview
# turn or survey response.

# %%
show_table(reader_table(stages.quotes_view(result.tables["quotes"]), journey=journey),
           caption="Exemplar quotes (two per code × moment × role at most)")

# %% [markdown]
# ## The auto-coder against the codes synth planted
#
# When the data came from `cxresearch synth`, every interview turn was written
# to carry known codes: precision, recall and F1 per interview language.

# %%
show_table(reader_table(result.tables["auto_vs_planted"],
                        {"lang": "language", "n_reference": "planted codes", "n_auto": "auto-coder's codes",
                         "n_both": "in both", "precision": "precision", "recall": "recall", "f1": "F1"},
                        values={"lang": {"all": "all languages"}}, integers=["n_reference", "n_auto", "n_both"]),
           caption="Auto-coder vs planted codes, per language", digits=3)

# %% [markdown]
# ## Agreement: the auto-coder against each human coder
#
# A turn × code pair is the unit: precision is the share of the auto-coder's
# codes that the human also applied, recall the share of the human's codes the
# auto-coder found. The row *all codes* pools every code.

# %%
show_table(reader_table(result.tables["agreement"],
                        {"reference": "human coder", "code": "code", "n_reference": "human's codes",
                         "n_auto": "auto-coder's codes", "n_both": "in both", "precision": "precision",
                         "recall": "recall", "f1": "F1"},
                        values={"code": {"__all__": "all codes"}}, integers=["n_reference", "n_auto", "n_both"]),
           caption="Auto-coder vs human coders, per code", digits=2)

# %% [markdown]
# ## Reliability: Krippendorff's alpha and Cohen's kappa per code
#
# For each code, each coder either applied it to a respondent turn or did not.
# Alpha (nominal) and kappa are computed over all respondent turns of the
# interviews both coders coded — a turn neither gave the code is agreement that
# it is absent — with a 95 % bootstrap interval over turns. Human–human rows say
# how reliable the codebook is in people's hands; human–auto rows say how close
# the auto-coder comes to each person. Codes are reported one by one: a pooled
# figure over many rare codes would be flattered by the easy "absent" turns.

# %%
show_table(stages.reliability_view(result.tables["reliability"]).rename(columns={"n_segments": "turns"}),
           caption="Reliability per code and coder pair", digits=2)
