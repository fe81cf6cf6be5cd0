"""The EX→CX model recovers what `cxresearch synth` planted."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from cxresearch.config import DEFAULT_JOURNEY, journey_ids
from cxresearch.io.validate import load_data_dir
from cxresearch.survey import fit_ex_model, scale_scores, unit_ex
from cxresearch.synth import synthesize


@pytest.fixture(scope="module")
def synth_set(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "data"
    synthesize(out, seed=5, units=24, customers=12000, interviews=4)
    tables, report = load_data_dir(out)
    report.raise_if_problems()
    return tables, json.loads((out / "truth.json").read_text())


def test_unit_ex_is_close_to_the_planted_unit_levels(synth_set):
    """Expected: truth.json unit_ex (the true EX index per unit × wave); the survey mean estimates it."""
    tables, truth = synth_set
    units = unit_ex(scale_scores(tables["employees"]))
    planted = pd.Series({(u, w): v for u, waves in truth["unit_ex"].items() for w, v in waves.items()})
    got = units.set_index(["unit_id", "wave"])["ex_index"]
    assert np.corrcoef(got.reindex(planted.index), planted)[0, 1] > 0.9


def test_per_moment_ex_effect_recovers_the_truth(synth_set):
    """Expected values: truth.json ex_effect (CSAT points per EX point); each lies in its 95% interval,
    and face-to-face moments are estimated clearly above zero."""
    tables, truth = synth_set
    units = unit_ex(scale_scores(tables["employees"]))
    result = fit_ex_model(tables["customers"], units, journey_ids(DEFAULT_JOURNEY))
    eff = result.effects.set_index("moment")
    for moment, planted in truth["ex_effect"].items():
        assert eff.loc[moment, "ci_low"] <= planted <= eff.loc[moment, "ci_high"], (moment, planted, eff.loc[moment].to_dict())
    strongest = max(truth["ex_effect"], key=truth["ex_effect"].get)
    assert eff.loc[strongest, "ci_low"] > 0
    assert result.n_units == 24
    metrics = result.to_metrics()
    assert set(metrics["ex_effect"]) == set(truth["ex_effect"])
