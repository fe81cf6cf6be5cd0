"""Agreement between coders: the auto-coder against a human, and human against human.

The unit of agreement is a *turn × code* pair. A code either was or was not
applied to a turn by a coder. Two consequences, chosen on purpose:

* Precision/recall of the auto-coder against a human reference count only the
  codes someone applied; turns nobody coded do not inflate them.
* Cohen's kappa between two humans needs the *absent* decisions too: a turn
  that neither coder gave the code is agreement that the code is absent. So the
  full universe of respondent turns of the coded interviews is passed in, and
  kappa is reported **per code** (a pooled kappa over many rare codes is
  dominated by the easy "absent" agreements and flatters the coders). Per-code
  kappa and Krippendorff's alpha on segments are
  :func:`cxresearch.qual.reliability.per_code_reliability`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _pairs(frame: pd.DataFrame) -> set[tuple[str, int, str]]:
    return set(zip(frame["interview_id"].astype(str), frame["turn"].astype(int), frame["code"].astype(str)))


def compare_to_reference(auto: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 of ``auto`` against ``reference`` per code, plus a pooled ``__all__`` row.

    Both tables need ``interview_id, turn, code``. Only interviews present in the
    reference are compared (the reference may have coded a subset).

    Returns
    -------
    DataFrame
        ``code, n_reference, n_auto, n_both, precision, recall, f1``.
    """
    coded_interviews = set(reference["interview_id"].astype(str))
    auto = auto[auto["interview_id"].astype(str).isin(coded_interviews)]
    a, r = _pairs(auto), _pairs(reference)
    codes = sorted({c for *_, c in a | r})
    rows = []
    for code in [*codes, "__all__"]:
        aa = a if code == "__all__" else {p for p in a if p[2] == code}
        rr = r if code == "__all__" else {p for p in r if p[2] == code}
        both = len(aa & rr)
        precision = both / len(aa) if aa else np.nan
        recall = both / len(rr) if rr else np.nan
        f1 = 2 * precision * recall / (precision + recall) if aa and rr and (precision + recall) else np.nan
        rows.append({"code": code, "n_reference": len(rr), "n_auto": len(aa), "n_both": both,
                     "precision": precision, "recall": recall, "f1": f1})
    return pd.DataFrame(rows)


def cohen_kappa(a, b) -> float:
    """Cohen's kappa for two raters' labels on the same items (unweighted).

    Notes
    -----
    ``κ = (p_o − p_e) / (1 − p_e)`` with ``p_o`` the observed agreement and
    ``p_e = Σ_k p_a(k)·p_b(k)`` the agreement expected from the raters' marginals
    (Cohen 1960). Returns NaN when ``p_e = 1`` (both raters constant and equal).
    R: ``irr::kappa2(cbind(a, b))``.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("cohen_kappa: two equally long, non-empty label sequences are needed")
    categories = np.union1d(a, b)
    p_o = float(np.mean(a == b))
    p_e = float(sum(np.mean(a == k) * np.mean(b == k) for k in categories))
    if p_e == 1.0:
        return float("nan")
    return (p_o - p_e) / (1 - p_e)
