"""Where numbers and voices meet: one joint-display row per journey moment.

The joint display puts, for each moment in journey order, the customer numbers
(CSAT, NPS with intervals), the EX effect from the multilevel model, the promise–
delivery gap, the codes customers and employees used most (with valence) and
exemplar quotes side by side, and says whether numbers and voices converge.

**Moments that matter — the ranking rule.** Moments are ranked by the lower end
of the 95 % interval of their EX effect (the *conservative* leverage: how much
CSAT at least moves per EX point), highest first; ties by the estimate. A
moment is flagged ``ex_driven`` when that interval lies above zero, and
``promise_gap`` when the gap's interval lies below zero (delivery lags the
promise). Both rules are simple on purpose: a stakeholder can check them by
eye against the forest plot and the gap chart.

**Convergence.** ``staff_share`` is the share of customer-coded segments at the
moment that carry a code about staff (the employee-experience theme or
``empathy``). Numbers and voices *converge* when an EX-driven moment has a staff
share at or above the pooled share over all moments, or a moment with no clear
EX effect has a share below it; otherwise they *diverge*, which is worth a
closer look.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Codes that speak of the staff a customer met (besides the EX theme).
STAFF_CODES = {"empathy"}
STAFF_THEMES = {"employee_experience"}


def _top_codes(coded: pd.DataFrame, n: int) -> str:
    if coded.empty:
        return ""
    counts = coded.groupby(["code", "valence"], observed=True).size().sort_values(ascending=False, kind="stable")
    sign = {"positive": "+", "negative": "−", "neutral": "·"}
    return "; ".join(f"{code} ({sign.get(val, val)}) ×{k}" for (code, val), k in counts.head(n).items())


def _quotes(coded: pd.DataFrame, n: int, max_chars: int = 220) -> list[str]:
    if "quotable" in coded:  # the small-group rule of the coding stage (cxresearch.privacy.mark_quotable)
        coded = coded[coded["quotable"].astype(bool)]
    if coded.empty:
        return []
    seg_key = [c for c in ("source_id", "interview_id", "turn", "response_id") if c in coded.columns]
    best = (
        coded.sort_values(["score", *seg_key], ascending=[False, *([True] * len(seg_key))], kind="stable")
        .drop_duplicates("text")
        .head(n)
    )
    from cxresearch.privacy import redact_text

    texts = [redact_text(t) for t in best["text"].astype(str)]
    return [t if len(t) <= max_chars else t[: max_chars - 1].rstrip() + "…" for t in texts]


def joint_display(
    metrics: pd.DataFrame,
    effects: pd.DataFrame,
    coded: pd.DataFrame,
    journey: list[dict[str, str]],
    top_codes: int = 3,
    n_quotes: int = 2,
    language: str = "en",
) -> pd.DataFrame:
    """One row per moment in journey order: numbers, EX effect, gap, codes, quotes, convergence, rank.

    Parameters
    ----------
    metrics : DataFrame
        :func:`cxresearch.survey.customer_metrics` by moment.
    effects : DataFrame
        ``ExModelResult.effects`` (moment, estimate, ci_low, ci_high …).
    coded : DataFrame
        Coded segments with ``role`` (customer/employee), ``moment``, ``code``,
        ``theme``, ``valence``, ``score``, ``text`` — interview turns and survey
        comments alike (comments have role ``customer``).
    journey : list of dict
        The journey (``id`` and labels per language).

    Returns
    -------
    DataFrame
        ``order, moment, label, n, csat_mean, csat_low, csat_high, nps, nps_low,
        nps_high, ex_effect, ex_low, ex_high, gap, gap_low, gap_high,
        customer_codes, employee_codes, quotes, staff_share, ex_driven,
        promise_gap, convergence, rank``.
    """
    rows = []
    metrics = metrics.set_index("moment")
    effects = effects.set_index("moment")
    for order, moment in enumerate(journey):
        mid = moment["id"]
        row = {"order": order + 1, "moment": mid, "label": moment.get(language, mid)}
        if mid in metrics.index:
            m = metrics.loc[mid]
            for col in ("n", "csat_mean", "csat_low", "csat_high", "nps", "nps_low", "nps_high", "gap", "gap_low", "gap_high"):
                row[col] = m.get(col, np.nan)
        if mid in effects.index:
            e = effects.loc[mid]
            row.update(ex_effect=e["estimate"], ex_low=e["ci_low"], ex_high=e["ci_high"])
        here = coded[coded["moment"] == mid] if not coded.empty else coded
        cust = here[here["role"] == "customer"] if not here.empty else here
        emp = here[here["role"] == "employee"] if not here.empty else here
        row["customer_codes"] = _top_codes(cust, top_codes)
        row["employee_codes"] = _top_codes(emp, top_codes)
        row["quotes"] = _quotes(cust, n_quotes) + _quotes(emp, max(0, n_quotes - 1))
        n_segments = cust.drop_duplicates(["source", "segment_id"]).shape[0] if not cust.empty else 0
        staff = cust[cust["theme"].isin(STAFF_THEMES) | cust["code"].isin(STAFF_CODES)] if not cust.empty else cust
        n_staff = staff.drop_duplicates(["source", "segment_id"]).shape[0] if not staff.empty else 0
        row["n_customer_segments"] = n_segments
        row["n_staff_segments"] = n_staff
        row["staff_share"] = n_staff / n_segments if n_segments else np.nan
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in ("ex_effect", "ex_low", "ex_high", "gap", "gap_low", "gap_high", "staff_share"):
        if col not in table:
            table[col] = np.nan
    table["ex_driven"] = table["ex_low"] > 0
    table["promise_gap"] = table["gap_high"] < 0
    total = table["n_customer_segments"].sum()
    pooled_share = table["n_staff_segments"].sum() / total if total else float("nan")
    high_share = table["staff_share"] >= pooled_share
    table["convergence"] = np.where(
        table["staff_share"].isna(),
        "no voices",
        np.where(table["ex_driven"] == high_share, "converge", "diverge"),
    )
    ranked = table.sort_values(["ex_low", "ex_effect"], ascending=False, kind="stable", na_position="last")
    table["rank"] = pd.Series(range(1, len(table) + 1), index=ranked.index)
    return table


def ranking(table: pd.DataFrame) -> list[dict]:
    """The moments-that-matter ranking as plain records for ``link_moments.json``."""
    out = []
    for r in table.sort_values("rank").itertuples():
        out.append(
            {
                "rank": int(r.rank),
                "moment": r.moment,
                "ex_effect": None if pd.isna(r.ex_effect) else round(float(r.ex_effect), 6),
                "ex_low": None if pd.isna(r.ex_low) else round(float(r.ex_low), 6),
                "ex_driven": bool(r.ex_driven),
                "gap": None if pd.isna(r.gap) else round(float(r.gap), 6),
                "promise_gap": bool(r.promise_gap),
                "convergence": r.convergence,
            }
        )
    return out
