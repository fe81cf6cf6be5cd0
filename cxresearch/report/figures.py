"""Figures in one house style, drawn from aggregates (never from raw rows).

Each function returns a matplotlib ``Figure``; notebooks show it. Moments are
always in journey order, intervals are always drawn, and the zero line is
drawn where a sign matters.
"""

from __future__ import annotations

import matplotlib

matplotlib.rcParams.update(
    {
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "font.size": 10,
    }
)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

INK = "#1f2937"
ACCENT = "#2563eb"
WARN = "#dc2626"
MUTED = "#9ca3af"


def _labels(journey, language):
    return {m["id"]: m.get(language, m["id"]) for m in journey}


def _ordered(frame: pd.DataFrame, journey, col: str = "moment") -> pd.DataFrame:
    order = {m["id"]: i for i, m in enumerate(journey)}
    return frame[frame[col].isin(order)].sort_values(col, key=lambda s: s.map(order)).reset_index(drop=True)


def annotated_heatmap(ax, table: pd.DataFrame, fmt: str = ".0f", cmap: str = "Blues", vmin: float | None = None,
                      vmax: float | None = None) -> None:
    """A table as coloured cells with its values written in them (rows top to bottom, as in the table).

    The look of ``seaborn.heatmap(annot=True, cbar=False, linewidths=0.5)`` (white cell borders, text white on
    dark cells by relative luminance below 0.408), drawn with matplotlib alone: importing seaborn cost a stage
    about a second. Missing values are left blank."""
    from matplotlib.colors import Normalize

    values = table.to_numpy(dtype=float)
    n_rows, n_cols = values.shape
    finite = values[np.isfinite(values)]
    lo = vmin if vmin is not None else (float(finite.min()) if finite.size else 0.0)
    hi = vmax if vmax is not None else (float(finite.max()) if finite.size else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    norm = Normalize(lo, hi)
    colours = plt.get_cmap(cmap)
    ax.pcolormesh(np.ma.masked_invalid(values), cmap=colours, norm=norm, edgecolors="white", linewidth=0.5)
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks(np.arange(n_cols) + 0.5, [str(c) for c in table.columns])
    ax.set_yticks(np.arange(n_rows) + 0.5, [str(i) for i in table.index], rotation=0)
    if any(len(str(c)) > 7 for c in table.columns):
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for i in range(n_rows):
        for j in range(n_cols):
            v = values[i, j]
            if not np.isfinite(v):
                continue
            r, g, b, _ = colours(norm(v))
            lum = 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)
            ax.text(j + 0.5, i + 0.5, format(v, fmt), ha="center", va="center",
                    color="white" if lum < 0.408 else INK, fontsize=9)


def _linear(c: float) -> float:
    """An sRGB channel in linear light (for relative luminance, WCAG 2)."""
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def forest_plot(effects: pd.DataFrame, journey, language: str = "en", title: str | None = None,
                xlabel: str | None = None, truth: dict | None = None):
    """Per-moment EX effect with its 95 % interval (journey order top to bottom)."""
    eff = _ordered(effects, journey)
    labels = _labels(journey, language)
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(eff) + 1.4))
    y = np.arange(len(eff))[::-1]
    clear = (eff["ci_low"] > 0) | (eff["ci_high"] < 0)
    colors = np.where(clear, ACCENT, MUTED)
    ax.hlines(y, eff["ci_low"], eff["ci_high"], color=colors, lw=2.5)
    ax.scatter(eff["estimate"], y, color=colors, zorder=3, s=40)
    if truth:
        ax.scatter([truth.get(m, np.nan) for m in eff["moment"]], y, marker="x", color=INK, zorder=4,
                   label="planted (synthetic truth)")
        ax.legend(loc="lower right", frameon=False)
    ax.axvline(0, color=INK, lw=0.8)
    ax.set_yticks(y, [labels[m] for m in eff["moment"]])
    ax.set_xlabel(xlabel or ("CSAT-pisteitä yksikön EX-pistettä kohti (95 %:n LV)" if language == "fi" else
                           "CSAT points per one point of unit EX (95% CI)"))
    ax.set_title(title or "How much employee experience moves satisfaction, by moment")
    fig.tight_layout()
    return fig


def journey_curve(metrics: pd.DataFrame, journey, language: str = "en", title: str | None = None,
                  ylabel: str | None = None):
    """Mean CSAT with its 95 % interval along the journey."""
    met = _ordered(metrics, journey)
    labels = _labels(journey, language)
    fig, ax = plt.subplots(figsize=(7, 3.4))
    x = np.arange(len(met))
    ax.fill_between(x, met["csat_low"], met["csat_high"], color=ACCENT, alpha=0.15, lw=0)
    ax.plot(x, met["csat_mean"], marker="o", color=ACCENT)
    ax.set_xticks(x, [labels[m] for m in met["moment"]])
    ax.set_ylim(1, 5)
    ax.set_ylabel(ylabel or ("CSAT-keskiarvo (1–5), 95 %:n LV" if language == "fi" else "Mean CSAT (1–5), 95% CI"))
    ax.set_title(title or "Satisfaction along the customer journey")
    fig.tight_layout()
    return fig


def gap_chart(metrics: pd.DataFrame, journey, language: str = "en", title: str | None = None,
              xlabel: str | None = None):
    """Delivery − expectation per moment with its 95 % interval; red where delivery lags."""
    met = _ordered(metrics, journey)
    labels = _labels(journey, language)
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(met) + 1.4))
    y = np.arange(len(met))[::-1]
    lag = met["gap_high"] < 0
    ax.barh(y, met["gap"], color=np.where(lag, WARN, MUTED), height=0.6)
    ax.errorbar(met["gap"], y, xerr=[met["gap"] - met["gap_low"], met["gap_high"] - met["gap"]],
                fmt="none", ecolor=INK, lw=1)
    ax.axvline(0, color=INK, lw=0.8)
    ax.set_yticks(y, [labels[m] for m in met["moment"]])
    ax.set_xlabel(xlabel or ("Toteutus − odotus (pistettä asteikolla 1–5), 95 %:n LV" if language == "fi" else
                           "Delivery − expectation (points on 1–5), 95% CI"))
    ax.set_title(title or "Where the promise outruns delivery")
    fig.tight_layout()
    return fig


def theme_moment_heatmap(theme_moment: pd.DataFrame, journey, language: str = "en", title: str | None = None):
    """Coded segments per theme × moment (both roles)."""
    labels = _labels(journey, language)
    table = theme_moment.groupby(["theme", "moment"], observed=True)["segments"].sum().unstack("moment", fill_value=0)
    table = table.reindex(columns=[m["id"] for m in journey], fill_value=0)
    table.columns = [labels[m] for m in table.columns]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(len(table), 2) + 1.6))
    annotated_heatmap(ax, table, fmt=".0f")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title or "What people talk about, by moment (coded segments)")
    fig.tight_layout()
    return fig


def code_moment_heatmaps(code_moment: pd.DataFrame, journey, codebook=None, language: str = "en",
                         value: str = "share_interviews", title: str | None = None):
    """Code × moment heatmaps side by side for customers and employees (share of interviews, in %)."""
    labels = _labels(journey, language)
    roles = [r for r in ("customer", "employee") if r in set(code_moment["role"])]
    fig, axes = plt.subplots(1, max(len(roles), 1), figsize=(6.2 * max(len(roles), 1), 0.38 * 18 + 1.8),
                             squeeze=False)
    for ax, role in zip(axes[0], roles):
        part = code_moment[code_moment["role"] == role]
        table = part.pivot_table(index="code", columns="moment", values=value, aggfunc="sum", fill_value=0.0)
        table = table.reindex(columns=[m["id"] for m in journey], fill_value=0.0) * 100
        if codebook is not None:
            table.index = [codebook.codes[c].label.get(language, c) if c in codebook.codes else c for c in table.index]
        table.columns = [labels[m] for m in table.columns]
        annotated_heatmap(ax, table, fmt=".0f", vmin=0)
        who = {"customer": ("Customers", "Asiakkaat"), "employee": ("Employees", "Työntekijät")}[role]
        ax.set_title(who[0] if language == "en" else who[1])
        ax.set_xlabel("")
        ax.set_ylabel("")
    fig.suptitle(title or ("Share of interviews (%) in which a code was said at a moment" if language == "en"
                           else "Osuus haastatteluista (%), joissa koodi mainittiin hetkessä"), fontweight="bold")
    fig.tight_layout()
    return fig


#: The y-axis of :func:`trend_plot` spans at least this many CSAT points.
TREND_MIN_SPAN = 1.0


def trend_plot(period_metrics: pd.DataFrame, journey, language: str = "en", title: str | None = None):
    """Mean CSAT per moment across survey periods, each mean with its 95 % interval (``csat_low`` / ``csat_high``
    of :func:`~cxresearch.survey.metrics.customer_metrics`; moments side by side at each period so that their
    bars do not hide each other).

    The y-axis spans at least :data:`TREND_MIN_SPAN` CSAT point, centred on the means and intervals drawn (kept
    within the 1–5 scale): on an axis fitted tightly to the data a change of a few hundredths looks like a fall."""
    missing = {"csat_mean", "csat_low", "csat_high"} - set(period_metrics.columns)
    if missing:
        raise ValueError(f"trend_plot: period_metrics lacks {sorted(missing)} — expected customer_metrics' table "
                         "(the intervals are always drawn)")
    labels = _labels(journey, language)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    periods = sorted(period_metrics["period"].astype(str).unique())
    x = np.arange(len(periods), dtype=float)
    ids = [m["id"] for m in journey]
    offsets = np.linspace(-0.18, 0.18, len(ids)) if len(ids) > 1 else np.zeros(1)
    drawn = []
    for off, moment in zip(offsets, ids):
        part = (period_metrics[period_metrics["moment"] == moment].assign(period=lambda d: d["period"].astype(str))
                .set_index("period").reindex(periods))
        mean, low, high = (part[c].to_numpy(dtype=float) for c in ("csat_mean", "csat_low", "csat_high"))
        ax.errorbar(x + off, mean, yerr=[mean - low, high - mean], marker="o", markersize=4, lw=1.5, elinewidth=1,
                    capsize=2, label=labels[moment])
        drawn += [low, high, mean]
    values = np.concatenate(drawn) if drawn else np.array([])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (1.0, 5.0)
    half = max(TREND_MIN_SPAN, 1.1 * (hi - lo)) / 2
    bottom, top = (lo + hi) / 2 - half, (lo + hi) / 2 + half
    if top - bottom <= 4:  # keep the window on the 1–5 scale, moving it (never narrowing it)
        shift = max(0.0, 1 - bottom) - max(0.0, top - 5)
        bottom, top = bottom + shift, top + shift
    ax.set_ylim(bottom, top)
    ax.set_xticks(x, periods)
    ax.set_xlim(-0.5, len(periods) - 0.5)
    ax.set_ylabel("CSAT-keskiarvo (1–5), 95 %:n LV" if language == "fi" else "Mean CSAT (1–5), 95% CI")
    ax.set_title(title or "Satisfaction over survey periods")
    ax.legend(ncol=3, frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12))
    fig.tight_layout()
    return fig


def penalty_reward_chart(table: pd.DataFrame, journey, language: str = "en", title: str | None = None):
    """Penalty (left, when the moment fails) and reward (right, when it shines) per moment with 95 % intervals;
    the class (hygiene / wow / linear) labelled at the right."""
    met = _ordered(table.dropna(subset=["penalty"]), journey)
    labels = _labels(journey, language)
    fig, ax = plt.subplots(figsize=(7, 0.55 * max(len(met), 1) + 1.4))
    y = np.arange(len(met))[::-1]
    ax.barh(y, met["penalty"], color=WARN, height=0.6, label="penalty (CSAT 1–2)")
    ax.barh(y, met["reward"], color=MUTED, height=0.6, label="reward (CSAT 5)")
    for col in ("penalty", "reward"):
        ax.errorbar(met[col], y, xerr=[met[col] - met[f"{col}_low"], met[f"{col}_high"] - met[col]],
                    fmt="none", ecolor=INK, lw=1)
    ax.axvline(0, color=INK, lw=0.8)
    ax.set_yticks(y, [labels[m] for m in met["moment"]])
    right = float(np.nanmax(np.abs(met[["penalty_low", "reward_high"]].to_numpy()))) * 1.15 if len(met) else 1.0
    for yy, cls in zip(y, met["class"]):
        ax.text(right, yy, str(cls), va="center", ha="left", fontsize=9)
    ax.set_xlim(-right, right)
    ax.set_xlabel("Change in the NPS answer (0–10 points) against CSAT 3–4, 95% CI")
    ax.set_title(title or "Hygiene or wow: what failing and shining at each moment does to NPS")
    # below the axes, where it can hide no bar
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def driver_importance_heatmap(importance: pd.DataFrame, journey, language: str = "en", title: str | None = None):
    """Share of each moment's explained CSAT variance per EX driver (relative weights)."""
    labels = _labels(journey, language)
    table = importance.pivot(index="driver", columns="moment", values="share")
    table = table.reindex(columns=[m["id"] for m in journey if m["id"] in table.columns])
    table.columns = [labels[m] for m in table.columns]
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(len(table), 2) + 1.6))
    annotated_heatmap(ax, 100 * table, fmt=".0f")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title or "EX drivers behind CSAT at each moment\n(% of explained variance, relative weights)")
    fig.tight_layout()
    return fig


def model_diagnostics(result, title: str | None = None):
    """Assumption checks of the mixed model: binned residuals against fitted values (mean ± SD per bin; a flat band
    around zero is what the model assumes) and a normal Q–Q plot of the predicted unit intercepts."""
    from cxresearch.dist import normal_probplot

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    diag = getattr(result, "diagnostics", None) or {}
    res = diag.get("residuals")
    ax = axes[0]
    if res is not None and len(res):
        ax.errorbar(res["fitted"], res["mean"], yerr=res["sd"], fmt="o", color=INK, ecolor=MUTED, ms=4, lw=1)
        ax.axhline(0, color=INK, lw=0.8)
    ax.set_xlabel("Fitted CSAT (20 bins)")
    ax.set_ylabel("Residual, mean ± SD")
    ax.set_title("Residuals against fitted values")
    ax = axes[1]
    u = diag.get("unit_effects")
    if u is not None and len(u) > 2:
        (osm, osr), (slope, intercept, _) = normal_probplot(u)
        ax.plot(osm, osr, "o", color=INK, ms=4)
        ax.plot(osm, slope * np.asarray(osm) + intercept, color=MUTED, lw=1)
    ax.set_xlabel("Normal quantile")
    ax.set_ylabel("Predicted unit intercept (CSAT points)")
    ax.set_title("Unit intercepts: normal Q–Q")
    fig.suptitle(title or "Are the model's assumptions reasonable?")
    fig.tight_layout()
    return fig


def unit_scatter(unit_moment: pd.DataFrame, journey, language: str = "en", outcome: str = "csat",
                 title: str | None = None):
    """One panel per moment (journey order): each unit × wave's mean ``outcome`` against its EX index, point area
    by responses, with the response-weighted least-squares line. Suppressed unit × waves (small employee groups)
    carry no EX value and are not drawn."""
    labels = _labels(journey, language)
    data = unit_moment.dropna(subset=["ex_index", f"{outcome}_mean"])
    moments = [m["id"] for m in journey]
    cols = 3
    rows = max(1, -(-len(moments) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.7 * rows + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, m in zip(axes.ravel(), moments):
        part = data[data["moment"] == m]
        ax.set_title(labels[m], fontsize=10)
        if part.empty:
            continue
        ax.scatter(part["ex_index"], part[f"{outcome}_mean"], s=8 + 60 * part["n"] / data["n"].max(), alpha=0.5,
                   color=ACCENT, edgecolor="none")
        if len(part) > 2 and part["ex_index"].nunique() > 1:
            slope, icept = np.polyfit(part["ex_index"], part[f"{outcome}_mean"], 1, w=np.sqrt(part["n"]))
            xs = np.linspace(part["ex_index"].min(), part["ex_index"].max(), 20)
            ax.plot(xs, icept + slope * xs, color=INK, linewidth=1.2)
    for ax in axes.ravel()[len(moments):]:
        ax.set_visible(False)
    fi = language == "fi"
    fig.supxlabel("Yksikön työntekijäkokemus (1–5)" if fi else "Unit EX index (1–5)")
    fig.supylabel(f"{outcome.upper()} {'keskiarvo' if fi else 'mean'}")
    fig.suptitle(title or ("Yksiköt: tyytyväisyys ja työntekijäkokemus hetkittäin" if fi else
                           "Units: satisfaction against employee experience, by moment"), fontweight="bold")
    fig.tight_layout()
    return fig
