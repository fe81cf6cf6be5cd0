"""Weighting customer responses to known population margins by raking, and what it costs in precision.

Raking (iterative proportional fitting; Deming and Stephan 1940) adjusts each
response's weight so that the weighted shares of every margin — e.g. segment
and channel — equal target shares given in ``params.yaml``
(``model_survey.margins``). With one margin it is post-stratification. Weights
are scaled to mean 1, so a weighted count equals the number of responses.

Weighting makes the estimates represent the population and makes them less
precise: Kish's effective sample size ``n_eff = (Σw)² / Σw²`` is the number of
unweighted responses that would give the same precision, and the weighted
intervals use it in place of ``n``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxresearch.exceptions import CxResearchError


def validate_margins(frame: pd.DataFrame, margins: dict) -> list[str]:
    """Problems with the target margins against the data: unknown column, a level without target, shares not
    summing to 1, a target level absent from the data."""
    problems = []
    for col, targets in (margins or {}).items():
        if col not in frame:
            problems.append(f"model_survey.margins.{col}: no such column in customer responses")
            continue
        total = sum(float(v) for v in targets.values())
        if abs(total - 1) > 1e-6:
            problems.append(f"model_survey.margins.{col}: target shares sum to {total:.4f} — expected 1")
        present = set(frame[col].dropna().astype(str).unique())
        for lev in sorted(present - set(map(str, targets))):
            problems.append(f"model_survey.margins.{col}: level '{lev}' is in the data but has no target share")
        for lev in sorted(set(map(str, targets)) - present):
            if float(targets[lev]) > 0:
                problems.append(f"model_survey.margins.{col}: level '{lev}' has a target but no responses")
    return problems


def rake(frame: pd.DataFrame, margins: dict, max_iter: int = 200, tol: float = 1e-10) -> np.ndarray:
    """Raking weights (mean 1) so that the weighted share of every level of every margin equals its target."""
    problems = validate_margins(frame, margins)
    if problems:
        raise CxResearchError("\n".join(problems))
    w = np.ones(len(frame))
    if not margins:
        return w
    codes = {}
    for col, targets in margins.items():
        vals = frame[col].astype(str).to_numpy()
        levels = sorted(map(str, targets))
        idx = np.searchsorted(levels, vals)
        codes[col] = (idx, np.array([float(targets[lev]) for lev in levels]))
    for _ in range(max_iter):
        worst = 0.0
        for idx, target in codes.values():
            share = np.bincount(idx, weights=w, minlength=len(target)) / w.sum()
            with np.errstate(divide="ignore", invalid="ignore"):
                factor = np.where(share > 0, target / share, 1.0)
            w = w * factor[idx]
            worst = max(worst, float(np.max(np.abs(share - target))))
        if worst < tol:
            break
    else:
        raise CxResearchError(f"raking did not converge in {max_iter} iterations (largest margin error {worst:.2g}): "
                              "the margins may contradict each other or a cell may be empty")
    return w * len(w) / w.sum()


def effective_sample_size(weights) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²``."""
    w = np.asarray(weights, dtype="float64")
    return float(w.sum() ** 2 / np.sum(w**2)) if len(w) else 0.0
