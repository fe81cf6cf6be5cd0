"""The joint display and the moments-that-matter ranking, on three-moment fixtures."""

import pandas as pd
import pytest

from cxresearch.link import joint_display, ranking

JOURNEY = [{"id": "a", "en": "Alpha", "fi": "Alfa"}, {"id": "b", "en": "Beta", "fi": "Beeta"},
           {"id": "c", "en": "Gamma", "fi": "Gamma"}]


def _inputs():
    metrics = pd.DataFrame({
        "moment": ["a", "b", "c"], "n": [100, 100, 100], "csat_mean": [4.0, 3.5, 3.0],
        "csat_low": [3.9, 3.4, 2.9], "csat_high": [4.1, 3.6, 3.1],
        "gap": [0.1, -0.5, -0.05], "gap_low": [0.0, -0.7, -0.2], "gap_high": [0.2, -0.3, 0.1],
    })
    effects = pd.DataFrame({
        "moment": ["a", "b", "c"], "estimate": [0.05, 0.6, 0.3],
        "ci_low": [-0.1, 0.4, 0.05], "ci_high": [0.2, 0.8, 0.55],
    })
    coded = pd.DataFrame({
        "source": ["interview"] * 5, "segment_id": ["i#1", "i#2", "i#3", "i#4", "i#5"],
        "role": ["customer", "customer", "customer", "employee", "customer"],
        "moment": ["b", "b", "a", "b", "c"],
        "code": ["staffing", "empathy", "price_value", "leadership", "hygiene_delivery"],
        "theme": ["employee_experience", "emotion", "value", "employee_experience", "hygiene"],
        "valence": ["negative", "positive", "negative", "positive", "negative"],
        "score": [0.9, 0.8, 0.5, 0.7, 0.6],
        "text": ["Too few staff", "She listened", "Too pricey", "Our lead backs us", "Parcel was late"],
    })
    return metrics, effects, coded


def test_rows_follow_the_journey_and_rank_by_conservative_leverage():
    """Ranking rule (cxresearch.link docstring): by the EX effect's lower 95% bound: b (0.4) > c (0.05) > a (−0.1)."""
    table = joint_display(*_inputs(), JOURNEY)
    assert list(table["moment"]) == ["a", "b", "c"]
    assert list(table.sort_values("rank")["moment"]) == ["b", "c", "a"]
    assert list(table["ex_driven"]) == [False, True, True]
    assert list(table["promise_gap"]) == [False, True, False]
    assert [r["moment"] for r in ranking(table)] == ["b", "c", "a"]


def test_codes_quotes_and_convergence():
    """At b both customer segments speak of staff (share 1.0 ≥ median) and b is EX-driven: converge.
    At c the only segment is about delivery (share 0 < median) yet c is EX-driven: diverge."""
    table = joint_display(*_inputs(), JOURNEY).set_index("moment")
    assert table.loc["b", "staff_share"] == pytest.approx(1.0)
    assert table.loc["b", "convergence"] == "converge"
    assert table.loc["c", "convergence"] == "diverge"
    assert table.loc["a", "convergence"] == "converge"
    assert "staffing (−) ×1" in table.loc["b", "customer_codes"]
    assert "leadership (+) ×1" in table.loc["b", "employee_codes"]
    assert table.loc["b", "quotes"][:2] == ["Too few staff", "She listened"]
    assert table.loc["b", "label"] == "Beta"


def test_ranking_sentences_in_finnish_give_the_interval():
    """The Finnish summary names each EX-driven moment with its effect and 95% interval (values planted here:
    0.65 within 0.49…0.82), written with true minus signs and '…'; it once raised NameError."""
    import pandas as pd

    from cxresearch.stages import ranking_sentences

    joint = pd.DataFrame({"rank": [1, 2], "label": ["Osto", "Käyttö"], "ex_effect": [0.653, -0.1],
                          "ex_low": [0.489, -0.35], "ex_high": [0.817, 0.15], "ex_driven": [True, False],
                          "promise_gap": [False, False], "gap": [0.1, 0.0], "convergence": ["converge", "quiet"]})
    text = " ".join(ranking_sentences(joint, "fi"))
    assert "Osto (0.65 CSAT-pistettä EX-pistettä kohden, 95 %:n luottamusväli 0.49…0.82)" in text
    assert "Käyttö" not in text  # not EX-driven, no promise gap: not named
