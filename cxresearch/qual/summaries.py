"""What the coded segments say, summarised for the link and report stages.

All summaries take the coded-segments table of :func:`cxresearch.qual.coding.code_segments`
(one row per segment × code, with ``segment_id``, ``role``, ``moment``, ``code``,
``valence``, ``score``, ``text`` and, for interviews, ``interview_id``) and, where a
share needs a denominator, the table of *all* respondent segments (coded or not),
so that "3 % of customer talk" means 3 % of everything customers said, not of what
happened to get coded.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ROLE_ORDER = ("customer", "employee")


def code_moment_matrix(coded: pd.DataFrame, segments: pd.DataFrame, journey: list[str] | None = None) -> pd.DataFrame:
    """Code × moment × role: how many segments and interviews carry the code at the moment, and their shares.

    Parameters
    ----------
    coded : DataFrame
        Coded segments with ``segment_id, role, moment, code`` (``interview_id`` for interview turns).
    segments : DataFrame
        Every respondent segment with ``segment_id, role`` (and ``interview_id``): the denominators.
    journey : list of str, optional
        Moment ids in journey order (the result is ordered by it).

    Returns
    -------
    DataFrame
        ``role, moment, code, n_segments, share_segments, n_interviews, share_interviews`` where
        ``share_segments`` = segments of the role carrying the code at the moment / all segments of the role, and
        ``share_interviews`` = interviews of the role in which the code was said at the moment / interviews of the
        role (NaN for survey comments, which belong to no interview).
    """
    cols = ["role", "moment", "code", "n_segments", "share_segments", "n_interviews", "share_interviews"]
    rows = coded.dropna(subset=["moment"]).drop_duplicates(["segment_id", "code"])
    if rows.empty:
        return pd.DataFrame(columns=cols)
    seg_total = segments.groupby("role", observed=True)["segment_id"].nunique()
    has_iv = "interview_id" in segments and segments["interview_id"].notna().any()
    iv_total = segments.dropna(subset=["interview_id"]).groupby("role", observed=True)["interview_id"].nunique() \
        if has_iv else pd.Series(dtype="int64")
    grouped = rows.groupby(["role", "moment", "code"], observed=True)
    out = grouped["segment_id"].nunique().rename("n_segments").reset_index()
    if "interview_id" in rows:
        n_iv = grouped["interview_id"].nunique().rename("n_interviews").reset_index()
        out = out.merge(n_iv, on=["role", "moment", "code"], how="left")
    else:
        out["n_interviews"] = 0
    out["share_segments"] = out["n_segments"] / out["role"].map(seg_total).astype("float64")
    denom = out["role"].map(iv_total).astype("float64")
    out["share_interviews"] = np.where(denom > 0, out["n_interviews"] / denom, np.nan)
    if journey:
        order = {m: i for i, m in enumerate(journey)}
        out = out.assign(_o=out["moment"].map(order).fillna(len(order))).sort_values(["role", "_o", "code"])
        out = out.drop(columns="_o")
    return out[cols].reset_index(drop=True)


def valence_balance(coded: pd.DataFrame, journey: list[str] | None = None) -> pd.DataFrame:
    """Per moment and role: positive, negative and neutral codings and the balance (pos − neg) / (pos + neg).

    The balance runs from −1 (everything said about the moment is negative) to +1;
    it is NaN where nothing valenced was said.
    """
    rows = coded.dropna(subset=["moment"])
    cols = ["role", "moment", "positive", "negative", "neutral", "balance"]
    if rows.empty:
        return pd.DataFrame(columns=cols)
    counts = (rows.groupby(["role", "moment", "valence"], observed=True).size().unstack("valence", fill_value=0)
              .reindex(columns=["positive", "negative", "neutral"], fill_value=0).reset_index())
    valenced = counts["positive"] + counts["negative"]
    counts["balance"] = np.where(valenced > 0, (counts["positive"] - counts["negative"]) / valenced.where(valenced > 0, 1),
                                 np.nan)
    if journey:
        order = {m: i for i, m in enumerate(journey)}
        counts = counts.assign(_o=counts["moment"].map(order).fillna(len(order))).sort_values(["role", "_o"])
        counts = counts.drop(columns="_o")
    return counts[cols].reset_index(drop=True)


def cooccurrence(coded: pd.DataFrame, min_count: int = 1) -> pd.DataFrame:
    """Pairs of codes said in the same segment: count and Jaccard index (both / either).

    Returns ``code_a, code_b, n_both, n_a, n_b, jaccard`` with ``code_a < code_b``,
    most frequent pairs first.
    """
    pairs = coded[["segment_id", "code"]].drop_duplicates()
    n_code = pairs.groupby("code").size()
    joined = pairs.merge(pairs, on="segment_id", suffixes=("_a", "_b"))
    joined = joined[joined["code_a"] < joined["code_b"]]
    cols = ["code_a", "code_b", "n_both", "n_a", "n_b", "jaccard"]
    if joined.empty:
        return pd.DataFrame(columns=cols)
    out = joined.groupby(["code_a", "code_b"]).size().rename("n_both").reset_index()
    out["n_a"] = out["code_a"].map(n_code)
    out["n_b"] = out["code_b"].map(n_code)
    out["jaccard"] = out["n_both"] / (out["n_a"] + out["n_b"] - out["n_both"])
    out = out[out["n_both"] >= min_count]
    return out.sort_values(["n_both", "jaccard"], ascending=False)[cols].reset_index(drop=True)


def exemplar_quotes(coded: pd.DataFrame, per_cell: int = 2, max_chars: int = 240, redact=None) -> pd.DataFrame:
    """Exemplar quotes per code × moment × role: the most clearly coded, short enough to quote.

    Candidates are ranked by score (more distinct cues first), then by being
    shorter. Each quote keeps where it came from (``segment_id``, and for
    interviews ``interview_id``, ``turn``, ``start``, ``end``) so a reader can
    trace it, and passes through ``redact`` (default: :func:`cxresearch.privacy.redact_text`)
    so that no personal data is quoted.

    Returns
    -------
    DataFrame
        ``code, moment, role, valence, lang, quote, segment_id, interview_id, turn, start, end, score``.
    """
    if redact is None:
        from cxresearch.privacy import redact_text as redact
    cols = ["code", "moment", "role", "valence", "lang", "quote", "segment_id", "interview_id", "turn", "start",
            "end", "score"]
    rows = coded.dropna(subset=["moment", "text"])
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows = rows.assign(_len=rows["text"].str.len()).sort_values(["score", "_len"], ascending=[False, True],
                                                                  kind="stable")
    rows = rows[rows["_len"] <= max_chars * 2]
    picked = rows.drop_duplicates(["code", "moment", "role", "text"]).groupby(
        ["code", "moment", "role"], observed=True, sort=True).head(per_cell)
    out = picked.reindex(columns=[c for c in cols if c != "quote"] + ["text"])
    out["quote"] = [_shorten(redact(t), max_chars) for t in out["text"]]
    return out[cols].reset_index(drop=True)


def _shorten(text: str, max_chars: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
