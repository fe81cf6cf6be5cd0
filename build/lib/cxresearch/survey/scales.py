"""Employee scales: item → driver scale scores → the EX index, and unit × wave means."""

from __future__ import annotations

import pandas as pd

from cxresearch.config import DRIVERS, ITEMS_PER_DRIVER


def driver_items(driver: str, columns) -> list[str]:
    """The item columns of ``driver`` present in ``columns`` (``<driver>_1`` …)."""
    return [f"{driver}_{k}" for k in range(1, ITEMS_PER_DRIVER + 1) if f"{driver}_{k}" in columns]


def scale_scores(employees: pd.DataFrame, drivers=DRIVERS) -> pd.DataFrame:
    """Score each employee response on each driver and on the overall EX index.

    A driver score is the mean of the employee's answered items of that driver
    (1–5); the **EX index** is the mean of the driver scores the employee has.

    Returns
    -------
    DataFrame
        ``response_id, unit_id, wave``, one column per driver, ``ex_index``, ``enps``.
    """
    out = employees[["response_id", "unit_id", "wave"]].copy()
    for driver in drivers:
        items = driver_items(driver, employees.columns)
        out[driver] = employees[items].astype("float64").mean(axis=1, skipna=True)
    out["ex_index"] = out[list(drivers)].mean(axis=1, skipna=True)
    if "enps" in employees:
        out["enps"] = employees["enps"].astype("float64")
    return out


def unit_ex(scores: pd.DataFrame, min_group_size: int = 5, drivers=DRIVERS) -> pd.DataFrame:
    """Aggregate employee scale scores to unit × wave.

    Returns one row per unit × wave with ``n_employees``, the mean of each driver
    and of ``ex_index``, ``enps`` (share of promoters 9–10 minus detractors 0–6, in
    points −100…100) and ``suppressed`` — True when fewer than ``min_group_size``
    employees answered. Suppressed rows keep their means for internal modelling
    only; anything shown to people must drop them (see ``publishable``).
    """
    grouped = scores.groupby(["unit_id", "wave"], observed=True)
    means = grouped[[*drivers, "ex_index"]].mean()
    means.insert(0, "n_employees", grouped.size())
    if "enps" in scores:
        enps = scores.dropna(subset=["enps"]).groupby(["unit_id", "wave"], observed=True)["enps"].agg(
            lambda s: 100.0 * ((s >= 9).mean() - (s <= 6).mean())
        )
        means["enps"] = enps
    means["suppressed"] = means["n_employees"] < min_group_size
    return means.reset_index()


def publishable(unit_table: pd.DataFrame, min_group_size: int = 5, n_col: str = "n_employees") -> pd.DataFrame:
    """Blank every figure of groups smaller than ``min_group_size``; keep a note why.

    All numeric columns except the group size itself become missing for small
    groups and ``note`` says ``suppressed: n < 5``. The size is shown as ``<5``.
    """
    out = unit_table.copy()
    small = out[n_col] < min_group_size
    numeric = [c for c in out.columns if c != n_col and pd.api.types.is_numeric_dtype(out[c]) and out[c].dtype != bool]
    out[numeric] = out[numeric].astype("float64")
    out.loc[small, numeric] = float("nan")
    out[n_col] = out[n_col].astype("object")
    out.loc[small, n_col] = f"<{min_group_size}"
    out["note"] = ""
    out.loc[small, "note"] = f"suppressed: fewer than {min_group_size} respondents"
    return out.drop(columns=[c for c in ["suppressed"] if c in out.columns])
