"""The work of each pipeline stage, as functions the stage notebooks call.

Each function reads the previous layer (``data/interim`` or ``data/processed``),
does the stage's work through the package, writes its outputs atomically and
its metrics to ``reports/metrics/<stage>.json``, and returns what the notebook
shows. Nothing here prints; notebooks show and explain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxresearch.config import journey_ids, paths
from cxresearch.store import read_json, read_parquet, write_json, write_parquet, write_text

CODING_COLUMNS = ["interview_id", "turn", "start", "end", "code", "valence", "coder"]


@dataclass
class StageResult:
    """What a stage produced: named tables, its metrics and notes for the reader."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- prepare
def prepare(data_dir: str | Path, journey: list[dict], min_group_size: int = 5,
            fail_on_warnings: bool = False, root: Path | None = None,
            columns: dict[str, dict[str, str]] | None = None) -> StageResult:
    """Validate the data folder and write typed Parquet tables to ``data/interim``.

    Tables may be CSV, Excel, SPSS or Qualtrics exports; ``columns`` maps our column names to a file's
    (params.yaml ``data.columns``). Raises ``ValidationError`` listing every problem (and, with
    ``fail_on_warnings``, every warning) — in that case nothing is written.
    Writes ``customers, employees, units, turns, codings`` (``.parquet``),
    ``codebook.yaml`` and ``validation.json``; metrics ``prepare.json`` with the
    counts.
    """
    from cxresearch.exceptions import ValidationError
    from cxresearch.io.validate import load_data_dir

    p = paths(root)
    data_dir = Path(data_dir)
    if not data_dir.is_absolute():
        data_dir = p["root"] / data_dir
    tables, report = load_data_dir(data_dir, journey=journey, min_group_size=min_group_size, columns=columns)
    report.raise_if_problems()
    if fail_on_warnings and report.warnings:
        raise ValidationError(report.warnings)
    interim = p["interim"]
    codings = tables["codings"]
    if codings is None:
        codings = pd.DataFrame({c: pd.Series(dtype="string") for c in CODING_COLUMNS})
    turns = tables["turns"]
    if turns is None:
        turns = pd.DataFrame({c: pd.Series(dtype="string") for c in ("interview_id", "turn", "speaker", "role", "text")})
    # personal data stays in data/raw: free text redacted, respondent ids pseudonymised (DESIGN §8)
    from cxresearch.privacy import pseudonym_key, pseudonymise, read_roster, redact_text, redact_transcripts

    from cxresearch.qual.transcripts import BODY_COLUMNS

    roster = read_roster(data_dir)
    bodies = tables["transcripts"] if tables["transcripts"] is not None else pd.DataFrame(columns=BODY_COLUMNS)
    turns, bodies, codings, n_transcript = redact_transcripts(turns, bodies, codings, roster)
    customers = tables["customers"].copy()
    n_comment = 0
    if "comment" in customers:
        from cxresearch.io.tables import per_distinct

        original = customers["comment"].tolist()
        # each distinct comment text is redacted once (short comments repeat a lot)
        redacted = per_distinct(customers["comment"], lambda d: [redact_text(t, roster) for t in d],
                                np.asarray(original, dtype=object)).tolist()
        n_comment = int(sum(a != b for a, b in zip(redacted, original) if isinstance(a, str)))
        customers["comment"] = pd.Series(redacted, index=customers.index, dtype="string")
    key, key_source = pseudonym_key(p["root"])
    employees = tables["employees"].copy()
    customers["response_id"] = pd.Series(pseudonymise(customers["response_id"], key, "C"), index=customers.index,
                                         dtype="string")
    employees["response_id"] = pd.Series(pseudonymise(employees["response_id"], key, "E"), index=employees.index,
                                         dtype="string")
    report.notes.append(f"personal data: {n_transcript} piece(s) redacted in transcripts, {n_comment} comment(s) "
                        f"redacted{' (roster.txt names included)' if roster else ''}; respondent ids pseudonymised "
                        f"with a keyed hash (key from {key_source})")
    for name, frame in (("customers", customers), ("employees", employees),
                        ("units", tables["units"]), ("turns", turns), ("codings", codings)):
        write_parquet(frame, interim / f"{name}.parquet")
    codebook_src = data_dir / "codebook.yaml"
    if not codebook_src.exists():
        from cxresearch.qual.codebook import DEFAULT_CODEBOOK

        codebook_src = Path(DEFAULT_CODEBOOK)
    write_text(codebook_src.read_text(encoding="utf-8"), interim / "codebook.yaml")
    write_parquet(planted_codes(data_dir), interim / "planted_codes.parquet")
    write_parquet(bodies, interim / "transcripts.parquet")
    write_json(report.to_dict() | {"data_dir": _display_path(data_dir, p["root"])}, interim / "validation.json")
    metrics = {
        **report.counts,
        "n_problems": len(report.problems),
        "n_warnings": len(report.warnings),
        "moments_seen": int(tables["customers"]["moment"].nunique()),
        "moments_in_journey": len(journey_ids(journey)),
    }
    write_json(metrics, p["metrics"] / "prepare.json")
    protected = {"customers": customers, "employees": employees, "units": tables["units"], "turns": turns,
                 "codings": codings}
    return StageResult(tables=protected, metrics=metrics, notes=report.notes, extra={"report": report})


def planted_codes(data_dir: Path) -> pd.DataFrame:
    """The codes ``cxresearch synth`` wrote each interview turn to carry (empty unless ``truth.json`` is synth's).

    Columns ``interview_id, turn, code, valence``: the known answer the auto-coder is measured against.
    """
    import json

    cols = ["interview_id", "turn", "code", "valence"]
    truth_file = Path(data_dir) / "truth.json"
    rows = []
    if truth_file.exists():
        try:
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
        except ValueError:
            truth = {}
        if isinstance(truth, dict) and truth.get("generator") == "cxresearch.synth":
            for iid, turns in (truth.get("interviews") or {}).items():
                for t in turns:
                    for c in t.get("codes", []):
                        rows.append({"interview_id": str(iid), "turn": int(t["turn"]), "code": c["code"],
                                     "valence": c["valence"]})
    return pd.DataFrame(rows, columns=cols).astype({"turn": "int64"})


def _display_path(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- code_interviews
def code_interviews(lang: str = "auto", code_comments: bool = True, journey: list[dict] | None = None,
                    root: Path | None = None, learned: bool = True, min_group_size: int = 5) -> StageResult:
    """Code interview turns (and survey comments) with the codebook's cues, and with the learned model where
    ``learned`` (codes no cue found; their ``cue`` starts with ``≈``).

    Writes ``data/processed/coded_segments.parquet`` — one row per segment × code
    with ``source`` (interview/comment), ``segment_id``, ``interview_id``, ``turn``,
    the span ``start``/``end`` in the transcript body, ``speaker``, ``response_id``,
    ``role``, ``unit_id``, ``moment``, ``code``, ``theme``, ``valence``, ``score``,
    ``cue``, ``lang``, ``text`` — ``theme_moment.parquet``; the summaries
    ``code_moment``, ``valence_balance``, ``cooccurrence``, ``quotes``; the
    auto-coding as ``auto_coding.qdpx``; and, when human codings exist,
    ``agreement.parquet`` (auto-coder vs each human coder per code),
    ``human_agreement.parquet`` and ``reliability.parquet`` (alpha and kappa per
    code, human–human and human–auto), and ``auto_vs_planted.parquet`` when the
    data came from ``synth``.
    """
    from cxresearch.qual.agreement import compare_to_reference
    from cxresearch.qual.reliability import per_code_reliability
    from cxresearch.qual.codebook import load_codebook
    from cxresearch.qual.coding import code_segments
    from cxresearch.qual.summaries import code_moment_matrix, cooccurrence, exemplar_quotes, valence_balance

    p = paths(root)
    interim, processed = p["interim"], p["processed"]
    codebook = load_codebook(interim / "codebook.yaml")
    turns = read_parquet(interim / "turns.parquet")
    respondent = turns[~turns["is_interviewer"].astype(bool)] if "is_interviewer" in turns else turns
    coded_turns = code_segments(respondent, codebook, lang=lang, learned=learned)
    coded_turns = coded_turns.assign(
        source="interview",
        segment_id=coded_turns["interview_id"].astype(str) + "#" + coded_turns["turn"].astype(str),
    )
    frames = [coded_turns]
    n_comments = 0
    customers = None
    if code_comments:
        customers = read_parquet(interim / "customers.parquet")
        if "comment" in customers:
            comments = customers.dropna(subset=["comment"])
            comments = comments[comments["comment"].str.strip() != ""]
            n_comments = len(comments)
            seg = comments[["response_id", "unit_id", "moment", "comment", *(["lang"] if "lang" in comments else [])]]
            seg = seg.rename(columns={"comment": "text"}).assign(role="customer")
            coded_comments = code_segments(seg, codebook, lang=lang, learned=learned)
            customers = comments
            coded_comments = coded_comments.assign(source="comment", segment_id=coded_comments["response_id"])
            frames.append(coded_comments)
    keep = ["source", "segment_id", "interview_id", "turn", "start", "end", "speaker", "response_id", "role",
            "unit_id", "moment", "code", "theme", "valence", "score", "cue", "lang", "text"]
    coded = pd.concat([f.reindex(columns=keep) for f in frames], ignore_index=True)
    coded = coded.astype({"turn": "Int64", "start": "Int64", "end": "Int64"})  # comments have no turn or span
    coded = coded.sort_values(["source", "segment_id", "code"], kind="stable").reset_index(drop=True)
    # one small-group rule (DESIGN §8): no quote of employees of a unit whose employee group is under the minimum
    from cxresearch.privacy import mark_quotable, small_employee_groups

    employees = read_parquet(interim / "employees.parquet", columns=["unit_id", "wave"])
    coded = mark_quotable(coded, small_employee_groups(employees, min_group_size),
                          units_surveyed={str(u) for u in employees["unit_id"].dropna().unique()})
    write_parquet(coded, processed / "coded_segments.parquet")

    theme_moment = (
        coded.dropna(subset=["moment"])
        .drop_duplicates(["source", "segment_id", "theme"])
        .groupby(["theme", "moment", "role"], observed=True).size().rename("segments").reset_index()
    )
    write_parquet(theme_moment, processed / "theme_moment.parquet")

    journey_order = journey_ids(journey) if journey else None
    segments = _segment_universe(respondent, customers if code_comments else None)
    summaries = {
        "code_moment": code_moment_matrix(coded, segments, journey_order),
        "valence_balance": valence_balance(coded, journey_order),
        "cooccurrence": cooccurrence(coded, min_count=2),
        "quotes": exemplar_quotes(coded[coded["quotable"]], per_cell=2),
    }
    for name, frame in summaries.items():
        write_parquet(frame, processed / f"{name}.parquet")
    export_auto_coding(coded_turns, codebook, interim, processed / "auto_coding.qdpx")

    codings = read_parquet(interim / "codings.parquet")
    agreement = pd.DataFrame()
    human = pd.DataFrame()
    reliability = pd.DataFrame()
    metrics: dict[str, Any] = {
        "n_interviews": int(turns["interview_id"].nunique()) if len(turns) else 0,
        "n_segments": int(len(respondent)),
        "n_coded_segments": int(coded_turns.drop_duplicates("segment_id").shape[0]),
        "n_codes_applied": int(len(coded_turns)),
        "n_comments": int(n_comments),
        "n_comment_codes": int(len(coded) - len(coded_turns)),
    }
    metrics["segment_coverage"] = round(metrics["n_coded_segments"] / metrics["n_segments"], 6) if metrics["n_segments"] else None
    if len(codings):
        parts = []
        for coder, own in codings.groupby("coder", observed=True):
            cmp = compare_to_reference(coded_turns, own).assign(reference=coder)
            parts.append(cmp)
        agreement = pd.concat(parts, ignore_index=True)
        micro = agreement[agreement["code"] == "__all__"]
        metrics["auto_vs_human"] = {
            r.reference: {"precision": round(float(r.precision), 6), "recall": round(float(r.recall), 6),
                          "f1": round(float(r.f1), 6)}
            for r in micro.itertuples()
        }
        coders = sorted(codings["coder"].dropna().unique())
        auto_rows = coded_turns[["interview_id", "turn", "code"]].assign(coder=AUTO_CODER)
        both = pd.concat([codings[["interview_id", "turn", "code", "coder"]], auto_rows], ignore_index=True)
        pairs = ([("human–human", coders[:2])] if len(coders) >= 2 else []) + [
            ("human–auto", [c, AUTO_CODER]) for c in coders]
        tables = []
        for kind, pair in pairs:
            tab = per_code_reliability(both, respondent, list(pair), n_boot=300, seed=1)
            tab = tab.drop(columns=[c for c in tab.columns if c.startswith("n_applied_")])  # `applied` says it
            tables.append(tab.assign(pair=kind, coders=" vs ".join(pair)))
        reliability = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()
        alpha_summary: dict[str, Any] = {}
        for (kind, names), tab in reliability.groupby(["pair", "coders"], sort=False):
            valid = tab["alpha"].dropna()
            alpha_summary.setdefault(kind.replace("–", "_"), {})[names] = (
                round(float(valid.median()), 6) if len(valid) else None)
        metrics["krippendorff_alpha"] = {
            "statistic": "median over codes of nominal alpha on respondent turns (applied / not applied)",
            **alpha_summary,
        }
        if len(coders) >= 2:
            human = reliability[reliability["pair"] == "human–human"].drop(columns=["pair"]).reset_index(drop=True)
            valid = human["kappa"].dropna()
            metrics["human_kappa_median"] = round(float(valid.median()), 6) if len(valid) else None
            metrics["human_coders"] = [str(c) for c in coders[:2]]
    planted = read_parquet(interim / "planted_codes.parquet") if (interim / "planted_codes.parquet").exists() else None
    truth_table = pd.DataFrame()
    if planted is not None and len(planted):
        truth_table = auto_vs_planted(coded_turns, planted, respondent)
        metrics["auto_vs_planted"] = {
            r.lang: {"precision": round(float(r.precision), 6), "recall": round(float(r.recall), 6),
                     "f1": round(float(r.f1), 6), "n_planted": int(r.n_reference)}
            for r in truth_table.itertuples()
        }
    write_parquet(truth_table, processed / "auto_vs_planted.parquet")
    write_parquet(agreement, processed / "agreement.parquet")
    write_parquet(human, processed / "human_agreement.parquet")
    write_parquet(reliability if len(codings) else pd.DataFrame(), processed / "reliability.parquet")
    write_json(metrics, p["metrics"] / "code_interviews.json")
    return StageResult(tables={"coded": coded, "theme_moment": theme_moment, "agreement": agreement,
                               "human_agreement": human, "reliability": reliability, "auto_vs_planted": truth_table,
                               **summaries},
                       metrics=metrics, extra={"codebook": codebook})


def export_auto_coding(coded_turns: pd.DataFrame, codebook, interim: Path, target: Path) -> Path:
    """The interview auto-coding as a REFI-QDA project, for review and correction in QualCoder, NVivo or ATLAS.ti.

    Each coded turn becomes a text selection over the turn's words in the
    transcript body, coded with its code under its theme; valence, cue and
    score go into the selection's memo.
    """
    from cxresearch.qual.refi import write_qdpx

    bodies = read_parquet(interim / "transcripts.parquet") if (interim / "transcripts.parquet").exists() else None
    sources = dict(zip(bodies["interview_id"].astype(str), bodies["body"])) if bodies is not None else {}
    codings = coded_turns.drop(columns=["source"], errors="ignore").rename(columns={"interview_id": "source"})
    codings = codings[codings["source"].astype(str).isin(sources)]
    codings = codings.assign(source=codings["source"].astype(str), coder="cxresearch auto-coder")
    return write_qdpx(target, codebook, sources, codings[["source", "start", "end", "code", "valence", "cue", "score",
                                                          "coder"]])


AUTO_CODER = "auto"


def _round(x, digits: int = 6):
    return None if x is None or pd.isna(x) else round(float(x), digits)


def _segment_universe(turns: pd.DataFrame, comments: pd.DataFrame | None) -> pd.DataFrame:
    """Every respondent segment (coded or not): ``segment_id, role, interview_id`` — the summaries' denominators."""
    parts = [pd.DataFrame({
        "segment_id": turns["interview_id"].astype(str) + "#" + turns["turn"].astype(str),
        "role": turns["role"].astype(str), "interview_id": turns["interview_id"].astype(str)})]
    if comments is not None and len(comments):
        parts.append(pd.DataFrame({"segment_id": comments["response_id"].astype(str), "role": "customer",
                                   "interview_id": None}))
    return pd.concat(parts, ignore_index=True)


def auto_vs_planted(coded_turns: pd.DataFrame, planted: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Precision, recall and F1 of the auto-coder against the codes synth planted, per interview language.

    Returns ``lang, n_reference, n_auto, n_both, precision, recall, f1`` (one row per language and ``all``).
    """
    from cxresearch.qual.agreement import compare_to_reference

    lang_of = turns.drop_duplicates("interview_id").set_index("interview_id")["lang"].astype(str)
    rows = []
    for lang in [*sorted(lang_of.unique()), "all"]:
        ids = set(lang_of.index) if lang == "all" else set(lang_of[lang_of == lang].index)
        ref = planted[planted["interview_id"].isin(ids)]
        auto = coded_turns[coded_turns["interview_id"].isin(ids)]
        if ref.empty:
            continue
        pooled = compare_to_reference(auto, ref).set_index("code").loc["__all__"]
        rows.append({"lang": lang, **{k: pooled[k] for k in ("n_reference", "n_auto", "n_both", "precision",
                                                              "recall", "f1")}})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- model_survey
def model_survey(journey: list[dict], min_group_size: int = 5, outcome: str = "csat",
                 controls: list[str] | tuple[str, ...] = ("segment", "channel", "period"),
                 level: float = 0.95, root: Path | None = None, margins: dict | None = None) -> StageResult:
    """Score the employee survey, compute customer metrics and fit the EX→CX model.

    ``margins`` (``{column: {level: share}}``) weights the customer metrics by raking to those population
    shares; the metrics then carry Kish's effective sample size ``n_eff``. The models stay unweighted (they
    condition on segment, channel and period instead).

    Writes to ``data/processed``: ``unit_ex.parquet`` (unit × wave, small groups
    flagged), ``moment_metrics.parquet``, ``period_metrics.parquet`` (moment ×
    period), ``ex_effects.parquet``; DVC plot data ``reports/plots/ex_effects.csv``
    and ``reports/plots/csat_trend.csv``; metrics ``model_survey.json`` with
    ``ex_effect`` per moment, ``n_responses``, ``n_units``.
    """
    from cxresearch.survey import customer_metrics, fit_ex_model, scale_scores, unit_ex

    p = paths(root)
    interim, processed = p["interim"], p["processed"]
    # the models need neither the free text nor the ids: leave them on disk, and read the grouping columns as
    # categoricals (at 1M rows this halves the stage)
    import pyarrow.parquet as pq

    wanted = [c for c in pq.read_schema(interim / "customers.parquet").names
              if c not in ("comment", "response_id", "responded_at")]
    customers = read_parquet(interim / "customers.parquet", columns=wanted,
                             categorical=("unit_id", "moment", "segment", "channel", "period", "lang"))
    employees = read_parquet(interim / "employees.parquet")
    scores = scale_scores(employees)
    units = unit_ex(scores, min_group_size=min_group_size)
    moments = journey_ids(journey)
    order = {m: i for i, m in enumerate(moments)}
    weight = None
    if margins:
        from cxresearch.survey.weighting import effective_sample_size, rake

        customers = customers.assign(weight=rake(customers, margins))
        weight = "weight"
    by_moment = customer_metrics(customers, by=("moment",), level=level, weight=weight)
    by_moment = by_moment.sort_values("moment", key=lambda s: s.map(order)).reset_index(drop=True)
    by_period = customer_metrics(customers, by=("moment", "period"), level=level, weight=weight)
    result = fit_ex_model(customers, units, moments, outcome=outcome, controls=tuple(controls), level=level)
    from cxresearch.config import DRIVERS
    from cxresearch.survey.psychometrics import scale_checks
    from cxresearch.survey.scales import driver_items

    checks = scale_checks(employees, scores, DRIVERS, driver_items, min_group_size=min_group_size)
    from cxresearch.survey.models import disattenuate, unit_mean_reliability

    reliability = unit_mean_reliability(scores, units)
    result.effects = disattenuate(result.effects, reliability)
    write_parquet(checks, processed / "scale_checks.parquet")
    robust, lagged = robustness_tables(result.frame, customers, units, result.effects, moments, outcome, controls,
                                       level)
    write_parquet(robust, processed / "robustness.parquet")
    write_parquet(lagged, processed / "lagged_effects.parquet")
    from cxresearch.survey.drivers import driver_importance, penalty_reward

    importance = driver_importance(customers, units, list(DRIVERS), moments, outcome=outcome, level=level)
    if "nps" in customers and customers["nps"].notna().any():
        asymmetry = penalty_reward(customers, moments, rating=outcome, outcome="nps", level=level)
    else:
        asymmetry = pd.DataFrame(columns=["moment", "class"])
    from cxresearch.survey.metrics import period_change

    changes = period_change(customers, level=level)
    write_parquet(changes, processed / "period_change.parquet")
    write_parquet(importance, processed / "driver_importance.parquet")
    write_parquet(asymmetry, processed / "penalty_reward.parquet")

    write_parquet(units, processed / "unit_ex.parquet")
    write_parquet(unit_moment_table(customers, units, outcome), processed / "unit_moment.parquet")
    write_parquet(by_moment, processed / "moment_metrics.parquet")
    write_parquet(by_period, processed / "period_metrics.parquet")
    write_parquet(result.effects, processed / "ex_effects.parquet")
    p["plots"].mkdir(parents=True, exist_ok=True)
    from cxresearch.store import atomic_path

    with atomic_path(p["plots"] / "ex_effects.csv", ".csv") as tmp:
        result.effects[["moment", "estimate", "ci_low", "ci_high"]].round(6).to_csv(tmp, index=False, lineterminator="\n")
    with atomic_path(p["plots"] / "csat_trend.csv", ".csv") as tmp:
        by_period[["moment", "period", "n", "csat_mean"]].round(6).to_csv(tmp, index=False, lineterminator="\n")
    metrics = result.to_metrics() | {
        "outcome": outcome,
        "metric": f"{outcome.upper()} points per one point of the unit's EX index (1–5) in the same period",
        "n_unit_waves": int(len(units)),
        "n_unit_waves_suppressed": int(units["suppressed"].sum()),
        "converged": result.converged,
        "ex_index_reliability": {k: _round(checks.set_index("scale").loc["ex_index", k])
                                 for k in ("alpha", "icc1", "icc2", "rwg_median")},
        "unit_ex_reliability": _round(reliability),
        "ex_effect_corrected": {
            r.moment: {"estimate": _round(r.estimate_corrected), "ci_low": _round(r.ci_low_corrected),
                       "ci_high": _round(r.ci_high_corrected)} for r in result.effects.itertuples()},
        "robustness": {r.moment: {"ols_cluster": _round(r.ols_cluster), "ordinal_ame": _round(r.ordinal_ame),
                                  "agree": bool(r.agree)} for r in robust.itertuples()},
        "lagged": {r.effect: {"estimate": _round(r.estimate), "ci_low": _round(r.ci_low), "ci_high": _round(r.ci_high)}
                   for r in lagged.itertuples()},
        "moment_class": {r["moment"]: r["class"] for r in asymmetry.to_dict("records")},
        "penalty_reward": {r["moment"]: {k: _round(r.get(k)) for k in ("penalty", "reward", "asymmetry")}
                           for r in asymmetry.to_dict("records") if r.get("class")},
        "weighting": ({"method": "raking", "margins": margins, "n": int(len(customers)),
                       "n_eff": _round(effective_sample_size(customers["weight"]), 1)} if weight else None),
        "period_change": {f"{r['moment']}:{r['from']}→{r['to']}": {
            "csat_change": _round(r["csat_change"]), "ci_low": _round(r["csat_low"]), "ci_high": _round(r["csat_high"]),
            "p": _round(r["csat_p"])} for r in changes.to_dict("records")},
        "top_driver": {m: g.sort_values("importance", ascending=False)["driver"].iloc[0]
                       for m, g in importance.groupby("moment", sort=False)},
    }
    write_json(metrics, p["metrics"] / "model_survey.json")
    return StageResult(
        tables={"unit_ex": units, "moment_metrics": by_moment, "period_metrics": by_period,
                "ex_effects": result.effects, "scores": scores, "scale_checks": checks, "robustness": robust,
                "lagged": lagged, "driver_importance": importance, "penalty_reward": asymmetry,
                "period_change": changes},
        metrics=metrics, notes=result.notes, extra={"model": result},
    )


def unit_moment_table(customers: pd.DataFrame, units: pd.DataFrame, outcome: str = "csat") -> pd.DataFrame:
    """Mean ``outcome`` per unit × period × moment beside the unit's EX index in that period, for the scatter of
    units. A unit × wave whose employee group is suppressed has no EX value here (no figure for small groups)."""
    cx = (customers.dropna(subset=[outcome]).groupby(["unit_id", "period", "moment"], observed=True)[outcome]
          .agg(n="size", mean="mean").reset_index().rename(columns={"mean": f"{outcome}_mean"})
          .astype({"unit_id": str, "period": str, "moment": str}))
    ex = units[["unit_id", "wave", "ex_index", "suppressed"]].rename(columns={"wave": "period"})
    ex = ex.assign(ex_index=ex["ex_index"].where(~ex["suppressed"].astype(bool))).drop(columns="suppressed")
    return cx.merge(ex.astype({"unit_id": str, "period": str}), on=["unit_id", "period"], how="left")


def robustness_tables(frame: pd.DataFrame, customers: pd.DataFrame, units: pd.DataFrame, effects: pd.DataFrame,
                      moments: list[str], outcome: str, controls, level: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mixed model's effects beside cluster-robust OLS and the ordinal logit (on the mixed model's ``frame``),
    and the cross-lagged models (on the unit means of ``customers`` and ``units``).

    The ordinal logit runs when the outcome is an integer rating with at most 11 answer categories (CSAT, NPS);
    otherwise its columns are empty."""
    from cxresearch.survey.robustness import cluster_robust_ols, compare_models, lagged_effects, ordinal_logit

    ols = cluster_robust_ols(frame, moments, outcome=outcome, controls=tuple(controls), level=level)
    values = frame[outcome].dropna()
    if len(values) and (values == values.round()).all() and values.nunique() <= 11:
        ordinal, _ = ordinal_logit(frame, moments, outcome=outcome, controls=tuple(controls), level=level)
    else:
        ordinal = pd.DataFrame({"moment": ols["moment"], "ame": float("nan"), "logit": float("nan"),
                                "ci_low": float("nan"), "ci_high": float("nan")})
    robust = compare_models(effects, ols, ordinal)
    lagged = lagged_effects(customers, units, moments, outcome=outcome, level=level)
    return robust, lagged


def robustness_sentences(robust: pd.DataFrame, lagged: pd.DataFrame, journey: list[dict], outcome: str = "csat",
                         language: str = "en") -> list[str]:
    """Where the three models agree and where they do not, and what the lagged models say, in sentences."""
    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    out = []
    differ = [labels.get(m, m) for m, a in zip(robust["moment"], robust["agree"]) if not a]
    if differ:
        out.append("The models disagree in sign or rough size at: " + ", ".join(differ) + ". Read those effects "
                   "with care: compare the columns in the table above.")
    else:
        out.append("At every moment the mixed model, cluster-robust OLS and the ordinal logit agree in sign and "
                   "rough size (the ordinal effect as its average marginal effect in CSAT points).")
    rows = lagged.set_index("effect") if len(lagged) else None
    if rows is not None and "ex_to_cx" in rows.index:
        r = rows.loc["ex_to_cx"]
        out.append(f"Looking forward ({r['periods']}): one point more unit EX goes with a change of {r['estimate']:+.2f} "
                   f"{outcome.upper()} points in the next period, beyond the {outcome.upper()} the unit already "
                   f"had (95% CI {r['ci_low']:.2f} to {r['ci_high']:.2f}; {int(r['n_units'])} units).")
    if rows is not None and "cx_to_ex" in rows.index:
        r = rows.loc["cx_to_ex"]
        out.append(f"The other way round, one {outcome.upper()} point more goes with a change of {r['estimate']:+.2f} "
                   f"EX points in the next period, beyond the unit's earlier EX (95% CI {r['ci_low']:.2f} to "
                   f"{r['ci_high']:.2f}). Lagged associations show order in time, not cause: the unit EX of one "
                   "period is measured with sampling error, so the earlier CSAT can still carry part of the "
                   "earlier true EX and predict later EX even where EX drives CSAT only.")
    return out


# --------------------------------------------------------------------------- link_moments
def link_moments(journey: list[dict], top_codes: int = 3, n_quotes: int = 2,
                 root: Path | None = None) -> StageResult:
    """Build the per-moment joint display and the moments-that-matter ranking.

    Writes ``data/processed/joint_display.parquet`` and metrics
    ``link_moments.json`` (``ranking``: moments in rank order with the EX effect,
    its lower bound, the gap and the flags; ``top_moment``).
    """
    from cxresearch.link import joint_display, ranking

    p = paths(root)
    processed = p["processed"]
    metrics_tab = read_parquet(processed / "moment_metrics.parquet")
    effects = read_parquet(processed / "ex_effects.parquet")
    coded = read_parquet(processed / "coded_segments.parquet")
    table = joint_display(metrics_tab, effects, coded, journey, top_codes=top_codes, n_quotes=n_quotes)
    # the hygiene / wow / linear class of each moment, from the penalty–reward analysis of the model stage
    classes = read_parquet(processed / "penalty_reward.parquet")
    table["class"] = table["moment"].map(dict(zip(classes.get("moment", []), classes.get("class", []))))
    write_parquet(table.assign(quotes=table["quotes"].map(list)), processed / "joint_display.parquet")
    ranks = ranking(table)
    metrics = {
        "ranking": ranks,
        "top_moment": ranks[0]["moment"] if ranks else None,
        "n_ex_driven": int(table["ex_driven"].sum()),
        "n_promise_gaps": int(table["promise_gap"].sum()),
        "n_diverging": int((table["convergence"] == "diverge").sum()),
    }
    write_json(metrics, p["metrics"] / "link_moments.json")
    return StageResult(tables={"joint": table}, metrics=metrics)


# --------------------------------------------------------------------------- report
def load_results(root: Path | None = None) -> dict[str, Any]:
    """Everything the report stage shows: processed tables, metrics and the validation log."""
    p = paths(root)
    processed = p["processed"]
    out: dict[str, Any] = {}
    for name in ("joint_display", "moment_metrics", "period_metrics", "ex_effects", "unit_ex", "unit_moment",
                 "theme_moment", "agreement", "human_agreement"):
        out[name] = read_parquet(processed / f"{name}.parquet")
    out["metrics"] = {s: read_json(p["metrics"] / f"{s}.json")
                      for s in ("prepare", "code_interviews", "model_survey", "link_moments")}
    out["validation"] = read_json(p["interim"] / "validation.json")
    return out



# --------------------------------------------------------------------------- small display tables
def counts_table(counts: dict[str, int]) -> pd.DataFrame:
    """The validation counts as a two-column table for the prepare report."""
    return pd.DataFrame({"input": [k.replace("_", " ") for k in counts], "count": [int(v) for v in counts.values()]})


def messages_table(report) -> pd.DataFrame:
    """Warnings and notes of a validation report as one table (kind, message)."""
    rows = [("warning", w) for w in report.warnings] + [("note", n) for n in report.notes]
    return pd.DataFrame(rows, columns=["kind", "message"])


def responses_by_moment(customers: pd.DataFrame, journey: list[dict], language: str = "en") -> pd.DataFrame:
    """Customer responses per moment (journey order) × period, with a total column."""
    ids = journey_ids(journey)
    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    table = customers.groupby(["moment", "period"], observed=True).size().unstack("period", fill_value=0)
    table = table.reindex(ids, fill_value=0)
    table["total"] = table.sum(axis=1)
    table = table.astype(int).reset_index()
    table.insert(0, "moment label", table["moment"].map(labels))
    table.columns.name = None
    return table


#: Reader labels of the metrics keys the stages write (``metrics_table``); a key not listed here is shown with
#: its underscores as spaces.
METRIC_LABELS = {
    "n_interviews": "interviews", "n_segments": "respondent turns", "n_coded_segments": "respondent turns coded",
    "n_codes_applied": "codes applied to interview turns", "n_comments": "survey comments",
    "n_comment_codes": "codes applied to survey comments", "segment_coverage": "share of respondent turns coded",
    "human_coders": "human coders", "human_kappa_median": "human coders' Cohen's kappa (median over codes)",
    "precision": "precision", "recall": "recall", "f1": "F1", "n_planted": "planted codes",
}
#: Entries of a metrics dict that describe another entry in words: they are not shown as a row of numbers.
METRIC_DESCRIPTIONS = {"statistic"}


def _metric_label(path: tuple[str, ...]) -> str:
    def word(key: str) -> str:
        return METRIC_LABELS.get(key, key.removeprefix("n_").replace("_", " "))

    head, rest = path[0], path[1:]
    if head == "auto_vs_human" and len(rest) == 2:
        return f"auto-coder vs {rest[0]}: {word(rest[1])}"
    if head == "auto_vs_planted" and len(rest) == 2:
        lang = "all languages" if rest[0] == "all" else rest[0]
        if rest[1] == "n_planted":
            return f"planted codes ({lang})"
        return f"auto-coder vs planted codes ({lang}): {word(rest[1])}"
    if head == "krippendorff_alpha" and len(rest) == 2:
        return f"Krippendorff's alpha, {rest[1]} (median over codes)"
    return ": ".join(word(k) for k in path)


def metrics_table(metrics: dict[str, Any]) -> pd.DataFrame:
    """A stage's metrics dict as (metric, value) rows for readers: nested keys become one readable label
    (``auto_vs_human › coder_a › precision`` → ``auto-coder vs coder_a: precision``), lists are joined, and entries
    that describe another in words (``statistic``) are left out, their sense carried by the labels."""
    rows = []

    def walk(path: tuple[str, ...], value: Any) -> None:
        if path and path[-1] in METRIC_DESCRIPTIONS:
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk((*path, str(k)), v)
        elif isinstance(value, list):
            rows.append((_metric_label(path), ", ".join(map(str, value))))
        else:
            rows.append((_metric_label(path), value))

    walk((), metrics)
    return pd.DataFrame(rows, columns=["metric", "value"]).astype({"value": "object"})


def valence_view(balance: pd.DataFrame, journey: list[dict], language: str = "en") -> pd.DataFrame:
    """The valence balance with moment labels."""
    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    return balance.assign(moment=balance["moment"].map(lambda m: labels.get(m, m)))


def reliability_sentence(metrics: dict[str, Any]) -> str:
    """One sentence on the reliability of unit EX means and what it does to the effects."""
    lam = metrics.get("unit_ex_reliability")
    if lam is None:
        return "The reliability of the unit EX means could not be estimated."
    return (f"The unit × wave EX means have a reliability of {lam:.2f} (true-score variance over observed variance); "
            f"the effects above are therefore about {100 * (1 - lam):.0f} % smaller than the effect of the units' "
            f"true EX, and the corrected estimates in the effects table divide by {lam:.2f}.")


def reliability_view(reliability: pd.DataFrame) -> pd.DataFrame:
    """The reliability table as a reader sees it: pair, code, segments, applied, alpha [interval], kappa."""
    if reliability.empty:
        return pd.DataFrame(columns=["coders", "code", "n_segments", "applied", "alpha", "95% interval", "kappa"])
    interval = [f"{lo:.2f} … {hi:.2f}" if pd.notna(lo) else "—"
                for lo, hi in zip(reliability["alpha_ci_low"], reliability["alpha_ci_high"])]
    return reliability.assign(**{"95% interval": interval})[
        ["coders", "code", "n_segments", "applied", "alpha", "95% interval", "kappa"]]


def quotes_view(quotes: pd.DataFrame, max_rows: int = 40) -> pd.DataFrame:
    """Quotes as a reader sees them: code, moment, who, valence, the words, and where they came from."""
    if quotes.empty:
        return pd.DataFrame(columns=["code", "moment", "role", "valence", "quote", "source"])
    source = quotes["segment_id"].astype(str)
    return quotes.assign(source=source)[["code", "moment", "role", "valence", "quote", "source"]].head(max_rows)


def code_frequency(coded: pd.DataFrame, codebook) -> pd.DataFrame:
    """Segments per code × role × valence, with the code's theme and English label."""
    if coded.empty:
        return pd.DataFrame(columns=["theme", "code", "label"])
    table = (
        coded.drop_duplicates(["source", "segment_id", "code"])
        .assign(column=lambda d: d["role"].astype(str) + " " + d["valence"].astype(str))
        .groupby(["code", "column"], observed=True).size().unstack("column", fill_value=0)
    )
    labels = codebook.to_frame().set_index("id")
    table.insert(0, "label", labels["label_en"].reindex(table.index))
    table.insert(0, "theme", labels["theme"].reindex(table.index))
    table["total"] = table.drop(columns=["theme", "label"]).sum(axis=1)
    return table.sort_values(["theme", "total"], ascending=[True, False]).reset_index()


def effect_sentences(effects: pd.DataFrame, journey: list[dict], language: str = "en") -> list[str]:
    """One plain-language sentence per moment's EX effect, in journey order."""
    from cxresearch.survey.models import effect_sentence

    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    eff = effects.set_index("moment")
    return [effect_sentence(eff.loc[m], labels[m], language) for m in journey_ids(journey) if m in eff.index]


def model_table(model) -> pd.DataFrame:
    """The fitted model's statement, sample and variance components as rows."""
    rows = [
        ("model", model.formula),
        ("estimator", "linear mixed model, REML on cell sufficient statistics (the likelihood of statsmodels MixedLM)"),
        ("customer responses", model.n_responses),
        ("units", model.n_units),
        ("EX index centred at", round(model.ex_centre, 3)),
        ("unit intercept variance", round(model.group_var, 4)),
        ("residual variance", round(model.residual_var, 4)),
        ("converged", model.converged),
    ]
    return pd.DataFrame(rows, columns=["item", "value"]).astype({"value": "object"})


def moment_metrics_display(metrics: pd.DataFrame, journey: list[dict], language: str = "en") -> pd.DataFrame:
    """Customer metrics per moment with intervals written as text (:func:`~cxresearch.report.tables.interval_text`)."""
    from cxresearch.report.tables import interval_text

    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    out = pd.DataFrame({"moment": metrics["moment"].map(labels), "responses": metrics["n"].astype(int)})
    out["CSAT"] = metrics["csat_mean"]
    out["CSAT 95% CI"] = [interval_text(a, b, language=language) for a, b in zip(metrics["csat_low"], metrics["csat_high"])]
    out["top-2-box %"] = 100 * metrics["top2"]
    out["top-2 95% CI"] = [interval_text(100 * a, 100 * b, "{:.1f}", language) for a, b in zip(metrics["top2_low"], metrics["top2_high"])]
    if "nps" in metrics:
        out["NPS"] = metrics["nps"]
        out["NPS 95% CI"] = [interval_text(a, b, "{:.1f}", language) for a, b in zip(metrics["nps_low"], metrics["nps_high"])]
    if "effort_mean" in metrics:
        out["effort (1–7)"] = metrics["effort_mean"]
    if "gap" in metrics:
        out["gap"] = metrics["gap"]
        out["gap 95% CI"] = [interval_text(a, b, language=language) for a, b in zip(metrics["gap_low"], metrics["gap_high"])]
    return out


def _words(name: Any) -> Any:
    """A driver or scale id as readers write it: ``product_belief`` → ``product belief``, ``ex_index`` → ``EX
    index``; anything else is kept."""
    if not isinstance(name, str):
        return name
    return "EX index" if name == "ex_index" else name.replace("_", " ")


def _ci(level: float) -> str:
    return f"{level:.0%} CI"


def ex_effects_view(effects: pd.DataFrame, journey: list[dict], level: float = 0.95,
                    language: str = "en") -> pd.DataFrame:
    """The per-moment EX effects as shown: moment labels, reader headers; ``ex_effects.parquet`` keeps its names."""
    from cxresearch.report.tables import reader_table

    ci = _ci(level)
    return reader_table(effects, {
        "moment": "moment", "estimate": "EX effect", "se": "standard error", "ci_low": f"{ci} low",
        "ci_high": f"{ci} high", "p": "p", "n": "responses",
        "estimate_corrected": "EX effect corrected for reliability", "ci_low_corrected": f"corrected {ci} low",
        "ci_high_corrected": f"corrected {ci} high"}, journey=journey, language=language, integers=["n"])


def robustness_view(robust: pd.DataFrame, journey: list[dict], level: float = 0.95,
                    language: str = "en") -> pd.DataFrame:
    """The three-model table as shown: moment labels and the models' names in words."""
    from cxresearch.report.tables import reader_table

    ci = _ci(level)
    return reader_table(robust, {
        "moment": "moment", "mixed": "mixed model", "mixed_low": f"mixed model {ci} low",
        "mixed_high": f"mixed model {ci} high", "ols_cluster": "clustered OLS", "ols_low": f"clustered OLS {ci} low",
        "ols_high": f"clustered OLS {ci} high", "ordinal_ame": "ordinal logit (AME)",
        "ordinal_logit": "ordinal logit (log-odds)", "ordinal_logit_low": f"log-odds {ci} low",
        "ordinal_logit_high": f"log-odds {ci} high", "agree": "models agree"}, journey=journey, language=language)


def lagged_view(lagged: pd.DataFrame, outcome: str = "csat", level: float = 0.95) -> pd.DataFrame:
    """The cross-lagged models as shown: the direction in words (``EX → later CSAT``), reader headers."""
    from cxresearch.report.tables import reader_table

    ci, out = _ci(level), outcome.upper()
    return reader_table(lagged, {
        "effect": "direction", "estimate": "estimate", "se": "standard error", "ci_low": f"{ci} low",
        "ci_high": f"{ci} high", "n_units": "units", "periods": "periods"},
        values={"effect": {"ex_to_cx": f"EX → later {out}", "cx_to_ex": f"{out} → later EX"}}, integers=["n_units"])


def driver_importance_view(importance: pd.DataFrame, journey: list[dict], level: float = 0.95,
                           language: str = "en") -> pd.DataFrame:
    """Driver importance as shown: moment labels, drivers in words, reader headers."""
    from cxresearch.report.tables import reader_table

    ci = _ci(level)
    view = reader_table(importance, {
        "moment": "moment", "driver": "driver", "importance": "relative weight", "ci_low": f"{ci} low",
        "ci_high": f"{ci} high", "share": "share of R²", "r2": "R²", "n_units": "units"},
        journey=journey, language=language, integers=["n_units"])
    return view.assign(driver=view["driver"].map(_words)) if "driver" in view else view


def penalty_reward_view(table: pd.DataFrame, journey: list[dict], level: float = 0.95,
                        language: str = "en") -> pd.DataFrame:
    """The penalty–reward table as shown: moment labels, reader headers (the group sizes say which answers)."""
    from cxresearch.report.tables import reader_table

    ci = _ci(level)
    return reader_table(table, {
        "moment": "moment", "n": "responses", "n_low": "of which CSAT 1–2", "n_high": "of which CSAT 5",
        "penalty": "penalty", "penalty_low": f"penalty {ci} low", "penalty_high": f"penalty {ci} high",
        "reward": "reward", "reward_low": f"reward {ci} low", "reward_high": f"reward {ci} high",
        "asymmetry": "asymmetry", "asymmetry_low": f"asymmetry {ci} low", "asymmetry_high": f"asymmetry {ci} high",
        "class": "class"}, journey=journey, language=language, integers=["n", "n_low", "n_high"])


def scale_checks_view(checks: pd.DataFrame) -> pd.DataFrame:
    """The scale checks as shown: scales and statistics by the names the text above the table uses."""
    from cxresearch.report.tables import reader_table

    view = reader_table(checks, {
        "scale": "scale", "n_items": "items", "n_respondents": "employees", "alpha": "Cronbach's alpha",
        "alpha_low": "alpha 95% CI low", "alpha_high": "alpha 95% CI high", "omega": "McDonald's omega",
        "omega_low": "omega 95% CI low", "omega_high": "omega 95% CI high",
        "min_item_total_r": "lowest item–rest r", "icc1": "ICC(1)", "icc2": "ICC(2)",
        "rwg_median": "median r_wg(j)", "rwg_share_ok": "share of unit × waves with r_wg(j) ≥ 0.7"},
        integers=["n_items", "n_respondents"])
    return view.assign(scale=view["scale"].map(_words)) if "scale" in view else view


def unit_ex_display(unit_table: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """Unit × wave EX means ready to show: small groups suppressed, numbers rounded, reader headers (``unit``,
    ``employees``, drivers in words, ``EX index``, ``eNPS``); ``unit_ex.parquet`` keeps its names."""
    from cxresearch.report.tables import reader_table
    from cxresearch.survey.scales import publishable

    shown = publishable(unit_table, min_group_size=min_group_size)
    names = {"unit_id": "unit", "wave": "wave", "n_employees": "employees", "ex_index": "EX index", "enps": "eNPS"}
    return reader_table(shown, {c: names.get(c, _words(c)) for c in shown.columns})


def ranking_display(joint: pd.DataFrame) -> pd.DataFrame:
    """The ranking columns of the joint display, in rank order, under reader headers (the names the joint
    display uses: ``EX effect``, ``numbers vs voices``); the joint table keeps its column names."""
    from cxresearch.report.tables import reader_table

    cols = {"rank": "rank", "label": "moment", "ex_effect": "EX effect", "ex_low": "EX effect 95% CI low",
            "ex_high": "EX effect 95% CI high", "ex_driven": "EX-driven", "gap": "gap", "promise_gap": "promise gap",
            "convergence": "numbers vs voices"}
    return reader_table(joint.sort_values("rank"), cols, keep_others=False)


def ranking_sentences(joint: pd.DataFrame, language: str = "en") -> list[str]:
    """Plain sentences on the moments that matter and the promise gaps."""
    from cxresearch.report.tables import interval_text

    ranked = joint.sort_values("rank")
    driven = ranked[ranked["ex_driven"]]
    gaps = ranked[ranked["promise_gap"]]
    out = []
    if language == "fi":
        if len(driven):
            out.append("Työntekijäkokemus liikuttaa asiakastyytyväisyyttä selvimmin näissä hetkissä: "
                       + ", ".join(f"{r.label} ({r.ex_effect:.2f} CSAT-pistettä EX-pistettä kohden, 95 %:n luottamusväli {interval_text(r.ex_low, r.ex_high, language='fi')})" for r in driven.itertuples()) + ".")
        else:
            out.append("Yhdessäkään hetkessä työntekijäkokemuksen vaikutus ei erotu nollasta luotettavasti.")
        if len(gaps):
            out.append("Lupaus ylittää toteutuksen: " + ", ".join(f"{r.label} ({r.gap:+.2f})" for r in gaps.itertuples()) + ".")
        return out
    if len(driven):
        out.append("Employee experience moves satisfaction most clearly at: "
                   + ", ".join(f"{r.label} ({r.ex_effect:.2f} CSAT points per EX point, 95% CI {r.ex_low:.2f} to {r.ex_high:.2f})"
                               for r in driven.itertuples()) + ".")
    else:
        out.append("At no moment is the effect of employee experience clearly different from zero.")
    if len(gaps):
        out.append("Delivery falls short of the promise at: "
                   + ", ".join(f"{r.label} (gap {r.gap:+.2f} points)" for r in gaps.itertuples()) + ".")
    else:
        out.append("At no moment does delivery clearly fall short of what customers were led to expect.")
    div = ranked[ranked["convergence"] == "diverge"]
    if len(div):
        out.append("Numbers and voices diverge at: " + ", ".join(div["label"]) + " — worth a closer look.")
    return out


#: Column names of the joint display in Finnish (the English ones are the keys).
JOINT_COLUMNS_FI = {"moment": "hetki", "CSAT 95% CI": "CSAT 95 %:n LV", "EX effect": "EX-vaikutus",
                    "EX effect 95% CI": "EX-vaikutus 95 %:n LV", "gap": "kuilu", "customers say": "asiakkaat sanovat",
                    "employees say": "työntekijät sanovat", "in their words": "omin sanoin",
                    "numbers vs voices": "luvut ja äänet", "rank": "sija", "hygiene / wow": "hygienia / wow"}


def joint_display_view(joint: pd.DataFrame, language: str = "en", journey: list[dict] | None = None) -> pd.DataFrame:
    """The joint display as people read it: intervals as text, quotes as a list; moment labels and column
    names in ``language`` (labels from ``journey`` when given)."""
    from cxresearch.report.tables import interval_text

    def ci(a, b, fmt="{:.2f}"):
        return [interval_text(x, y, fmt, language) for x, y in zip(a, b)]

    labels = joint["label"]
    if journey is not None:
        names = {m["id"]: m.get(language, m["id"]) for m in journey}
        labels = joint["moment"].map(names).fillna(joint["label"])
    view = pd.DataFrame(
        {
            "moment": labels,
            "CSAT": joint["csat_mean"],
            "CSAT 95% CI": ci(joint["csat_low"], joint["csat_high"]),
            "NPS": joint.get("nps"),
            "EX effect": joint["ex_effect"],
            "EX effect 95% CI": ci(joint["ex_low"], joint["ex_high"]),
            "gap": joint["gap"],
            "customers say": joint["customer_codes"],
            "employees say": joint["employee_codes"],
            "in their words": joint["quotes"].map(list),
            "hygiene / wow": joint["class"] if "class" in joint else None,
            "numbers vs voices": joint["convergence"],
            "rank": joint["rank"],
        }
    )
    return view.rename(columns=JOINT_COLUMNS_FI) if language == "fi" else view


#: Headings of the stakeholder report, by language: (anchor, text) per section in page order.
REPORT_SECTIONS = {
    "en": [("summary", "In short"), ("journey", "Satisfaction along the journey"),
           ("ex-effect", "Where employee experience moves satisfaction"),
           ("units", "Units: satisfaction against employee experience"),
           ("gap", "Where the promise outruns delivery"), ("themes", "What people talk about at each moment"),
           ("trends", "Trends over survey waves"), ("moments", "Moments side by side"),
           ("methods", "Methods and data quality")],
    "fi": [("summary", "Lyhyesti"), ("journey", "Tyytyväisyys asiakaspolun varrella"),
           ("ex-effect", "Missä työntekijäkokemus liikuttaa tyytyväisyyttä"),
           ("units", "Yksiköt: tyytyväisyys ja työntekijäkokemus"),
           ("gap", "Missä lupaus ylittää toteutuksen"), ("themes", "Mistä puhutaan missäkin hetkessä"),
           ("trends", "Kehitys kyselykierroksittain"), ("moments", "Hetket rinnakkain"),
           ("methods", "Menetelmät ja aineiston laatu")],
}
REPORT_WORDS = {
    "en": {"contents": "Contents", "joint_caption": "Numbers and voices per moment",
           "methods_caption": "Methods and data quality"},
    "fi": {"contents": "Sisällys", "joint_caption": "Luvut ja äänet hetkittäin",
           "methods_caption": "Menetelmät ja aineiston laatu"},
}


def report_sections(language: str = "en") -> list[tuple[str, str]]:
    """The stakeholder report's sections as ``(anchor, heading)`` in ``language`` (en or fi)."""
    return REPORT_SECTIONS.get(language, REPORT_SECTIONS["en"])


def report_words(language: str = "en") -> dict[str, str]:
    """Other fixed words of the stakeholder report in ``language``."""
    return REPORT_WORDS.get(language, REPORT_WORDS["en"])


def figure_alt(kind: str, results: dict[str, Any], journey: list[dict], language: str = "en") -> str:
    """Alt text for a report figure, written from the numbers it shows (moments in journey order).

    ``kind``: ``journey`` (CSAT by moment), ``ex_effect`` (EX effect per moment with intervals), ``units``
    (correlation of units' CSAT with their EX per moment), ``gap`` (delivery − expectation per moment),
    ``themes`` (coded segments per moment), ``trends`` (CSAT per moment over waves), ``codes`` (the most frequent
    code × moment cells per role), ``drivers`` (each moment's largest EX driver share), ``penalty_reward`` (penalty,
    reward and class per moment) or ``diagnostics`` (``results["diagnostics"]``: residual and intercept ranges)."""
    labels = {j["id"]: j.get(language, j["id"]) for j in journey}
    order = [j["id"] for j in journey]
    fi = language == "fi"

    def rows(frame, col):
        f = frame.set_index("moment")
        return [(labels[m], f.loc[m]) for m in order if m in f.index and pd.notna(f.loc[m].get(col))]

    if kind == "journey":
        parts = [f"{name} {r['csat_mean']:.2f}" for name, r in rows(results["moment_metrics"], "csat_mean")]
        head = ("Keskimääräinen asiakastyytyväisyys (1–5) hetkittäin asiakaspolun järjestyksessä: " if fi else
                "Mean customer satisfaction (1–5) by moment, in journey order: ")
    elif kind == "ex_effect":
        parts = [f"{name} {r['estimate']:.2f} ({r['ci_low']:.2f}…{r['ci_high']:.2f})"
                 for name, r in rows(results["ex_effects"], "estimate")]
        head = ("Työntekijäkokemuksen vaikutus tyytyväisyyteen hetkittäin, CSAT-pisteinä EX-pistettä kohti, "
                "95 %:n luottamusväleineen: " if fi else
                "Effect of employee experience on satisfaction per moment, CSAT points per EX point with 95% "
                "intervals: ")
    elif kind == "gap":
        parts = [f"{name} {r['gap']:+.2f}" for name, r in rows(results["moment_metrics"], "gap")]
        head = ("Toteutus miinus odotus hetkittäin (negatiivinen: lupaus ylittää toteutuksen): " if fi else
                "Delivery minus expectation per moment (negative: the promise outruns delivery): ")
    elif kind == "units":
        um = results["unit_moment"].dropna(subset=["ex_index"])
        parts = []
        for m in order:
            part = um[um["moment"] == m]
            if len(part) > 2:
                r = float(np.corrcoef(part["ex_index"], part["csat_mean"])[0, 1])
                parts.append(f"{labels[m]} r = {r:.2f} ({len(part)} {'yksikkö-kierrosta' if fi else 'unit-waves'})")
        head = ("Yksiköiden keskimääräinen tyytyväisyys niiden työntekijäkokemuksen mukaan, hetkittäin; korrelaatiot: "
                if fi else "Units' mean satisfaction against their employee experience, one panel per moment; "
                           "correlations: ")
    elif kind == "themes":
        tm = results["theme_moment"].groupby("moment")["segments"].sum()
        parts = [f"{labels[m]} {int(tm.get(m, 0))}" for m in order]
        head = ("Koodatut puheenvuorot teemoittain ja hetkittäin; puheenvuoroja hetkeä kohti: " if fi else
                "Coded segments by theme and moment; segments per moment: ")
    elif kind == "trends":
        pm = results["period_metrics"]
        periods = sorted(pm["period"].astype(str).unique())
        parts = []
        ci = {"csat_low", "csat_high"} <= set(pm.columns)  # trend_plot draws these intervals
        for m in order:
            part = pm[pm["moment"] == m].assign(period=lambda d: d["period"].astype(str)).set_index("period")
            vals = [f"{part.loc[p, 'csat_mean']:.2f}"
                    + (f" ({part.loc[p, 'csat_low']:.2f}…{part.loc[p, 'csat_high']:.2f})" if ci else "")
                    for p in periods if p in part.index]
            parts.append(f"{labels[m]} {' → '.join(vals)}")
        head = (f"Keskimääräinen tyytyväisyys (1–5) kierroksittain ({', '.join(periods)})"
                f"{' 95 %:n luottamusväleineen' if ci else ''}: " if fi else
                f"Mean satisfaction (1–5) by survey wave ({', '.join(periods)}){' with 95% intervals' if ci else ''}: ")
    elif kind == "codes":
        cm = results["code_moment"]
        parts = []
        for role, (en_role, fi_role) in (("customer", ("customers", "asiakkaat")),
                                         ("employee", ("employees", "työntekijät"))):
            top = cm[cm["role"] == role].sort_values("share_interviews", ascending=False, kind="stable").head(3)
            cells = [f"{r.code} / {labels.get(r.moment, r.moment)} {100 * r.share_interviews:.0f} %"
                     for r in top.itertuples() if r.share_interviews > 0]
            if cells:
                parts.append(f"{fi_role if fi else en_role}: " + ", ".join(cells))
        head = ("Osuus haastatteluista, joissa koodi mainittiin hetkessä; yleisimmät: " if fi else
                "Share of interviews in which each code was said at each moment; the most frequent: ")
    elif kind == "drivers":
        di = results["driver_importance"].dropna(subset=["share"])
        parts = []
        for m in order:
            part = di[di["moment"] == m]
            if len(part):
                top = part.loc[part["share"].idxmax()]
                parts.append(f"{labels[m]} {top['driver']} {100 * top['share']:.0f} %")
        head = ("Työntekijäkokemuksen ajurien osuus tyytyväisyyden selitetystä vaihtelusta hetkittäin; suurin: " if fi
                else "Share of each moment's explained CSAT variance per EX driver; the largest: ")
    elif kind == "penalty_reward":
        parts = [f"{name} {r['penalty']:+.2f} / {r['reward']:+.2f} ({r['class']})"
                 for name, r in rows(results["penalty_reward"], "penalty")]
        head = ("Rangaistus ja palkinto NPS-asteikolla hetkittäin (epäonnistuminen / loistaminen, luokka): " if fi else
                "Penalty and reward on the NPS answer per moment (failing / shining, class): ")
    elif kind == "diagnostics":
        diag = results.get("diagnostics") or {}
        res, u = diag.get("residuals"), diag.get("unit_effects")
        parts = []
        if res is not None and len(res):
            parts.append((f"keskiarvoresiduaalit {res['mean'].min():+.2f}…{res['mean'].max():+.2f} {len(res)} luokassa"
                          if fi else f"binned mean residuals from {res['mean'].min():+.2f} to {res['mean'].max():+.2f} "
                                     f"over {len(res)} bins"))
        if u is not None and len(u):
            parts.append((f"{len(u)} yksikön ennustetut vakiot {min(u):+.2f}…{max(u):+.2f}" if fi else
                          f"{len(u)} predicted unit intercepts from {min(u):+.2f} to {max(u):+.2f}"))
        head = ("Mallin oletusten tarkistus: residuaalit sovitteita vasten ja yksikkövakioiden normaalikvantiilikuvio; "
                if fi else "Checks of the model's assumptions, residuals against fitted values and a normal Q–Q plot "
                           "of the unit intercepts: ")
    else:
        raise ValueError(f"figure_alt: unknown kind '{kind}' — expected journey, ex_effect, units, gap, themes, "
                         "trends, codes, drivers, penalty_reward or diagnostics")
    return head + ("; ".join(parts) if parts else ("ei tietoja" if fi else "no data")) + "."


def summary_sentences(results: dict[str, Any], journey: list[dict], language: str = "en") -> list[str]:
    """The executive summary: sentences written from the results, numbers with uncertainty."""
    m = results["metrics"]
    joint = results["joint_display"]
    labels = {j["id"]: j.get(language, j["id"]) for j in journey}
    out = []
    prep = m["prepare"]
    if language == "fi":
        def n(v):  # Finnish groups thousands with a (no-break) space
            return f"{v:,}".replace(",", "\u202f")

        out.append(f"Aineisto: {n(prep['customer_responses'])} asiakasvastausta, {n(prep['employee_responses'])} "
                   f"työntekijävastausta {prep['units']} yksiköstä ja {prep['interviews']} haastattelua.")
    else:
        out.append(f"Evidence: {prep['customer_responses']:,} customer responses, {prep['employee_responses']:,} "
                   f"employee responses from {prep['units']} units, and {prep['interviews']} interviews.")
    out += ranking_sentences(joint, language)
    top = m["link_moments"]["top_moment"]
    if top:
        row = joint.set_index("moment").loc[top]
        if language == "fi":
            out.append(f"Eniten työntekijäkokemuksesta riippuva hetki on {labels[top]}: keskimääräinen tyytyväisyys "
                       f"{row['csat_mean']:.2f} (95 %:n luottamusväli {row['csat_low']:.2f}…{row['csat_high']:.2f}).")
        else:
            out.append(f"The moment that depends most on employee experience is {labels[top]}: mean CSAT there is "
                       f"{row['csat_mean']:.2f} (95% CI {row['csat_low']:.2f} to {row['csat_high']:.2f}).")
    return out


def methods_table(results: dict[str, Any], min_group_size: int, language: str = "en") -> pd.DataFrame:
    """Methods and data quality: sizes, warnings, the model and its fit, reliability of scales and codes, and what
    was suppressed for anonymity and why — in ``language`` (en or fi)."""
    m = results["metrics"]
    units = results["unit_ex"]
    ms = m["model_survey"]
    rel = ms.get("ex_index_reliability") or {}
    fi = language == "fi"

    def t(en: str, fin: str) -> str:
        return fin if fi else en

    rows = [
        (t("data folder", "aineistokansio"), results["validation"]["data_dir"]),
        (t("customer responses", "asiakasvastaukset"), m["prepare"]["customer_responses"]),
        (t("employee responses", "työntekijävastaukset"), m["prepare"]["employee_responses"]),
        (t("units", "yksiköt"), m["prepare"]["units"]),
        (t("interviews (respondent turns)", "haastattelut (vastaajan puheenvuorot)"),
         f"{m['prepare']['interviews']} ({m['code_interviews']['n_segments']})"),
        (t("validation warnings", "validoinnin varoitukset"), m["prepare"]["n_warnings"]),
        (t("EX→CX model", "EX→CX-malli"),
         t("CSAT = moment + EX index (centred) × moment + segment + channel + period + unit intercept; "
           "linear mixed model, REML, fitted on cell sufficient statistics",
           "CSAT = hetki + EX-indeksi (keskitetty) × hetki + segmentti + kanava + jakso + yksikön vakio; "
           "lineaarinen sekamalli, REML")),
        (t("model converged", "malli konvergoi"), t("yes", "kyllä") if ms.get("converged") else t("no", "ei")),
        (t("responses in the model", "vastauksia mallissa"), ms["n_responses"]),
        (t("EX index: Cronbach's alpha / ICC(1) / ICC(2) / median r_wg",
           "EX-indeksi: Cronbachin alfa / ICC(1) / ICC(2) / r_wg:n mediaani"),
         " / ".join(f"{rel[k]:.2f}" if rel.get(k) is not None else "–" for k in ("alpha", "icc1", "icc2", "rwg_median"))),
        (t(f"unit × waves suppressed (fewer than {min_group_size} employees: no EX figure, no employee quote)",
           f"piilotetut yksikkö × kierrokset (alle {min_group_size} työntekijää: ei EX-lukua, ei työntekijäsitaattia)"),
         int(units["suppressed"].sum())),
        (t("personal data", "henkilötiedot"),
         t("names, e-mails, phone numbers, identity codes, IBANs and addresses replaced in all text; respondent ids "
           "pseudonymised", "nimet, sähköpostit, puhelinnumerot, henkilötunnukset, tilinumerot ja osoitteet "
           "korvattu kaikesta tekstistä; vastaajatunnukset pseudonymisoitu")),
        (t("interview turns coded", "koodatut puheenvuorot"), f"{m['code_interviews']['segment_coverage']:.0%}"
         if m["code_interviews"].get("segment_coverage") is not None else "–"),
    ]
    for coder, vals in (m["code_interviews"].get("auto_vs_human") or {}).items():
        rows.append((t(f"auto-coder vs {coder} (precision / recall)", f"automaattikoodaus vs {coder} (tarkkuus / "
                       "kattavuus)"), f"{vals['precision']:.2f} / {vals['recall']:.2f}"))
    if m["code_interviews"].get("human_kappa_median") is not None:
        rows.append((t("human coders' Cohen's kappa (median over codes)", "koodaajien Cohenin kappa (mediaani)"),
                     f"{m['code_interviews']['human_kappa_median']:.2f}"))
    return pd.DataFrame(rows, columns=[t("item", "kohta"), t("value", "arvo")]).astype({t("value", "arvo"): "object"})


def period_change_view(changes: pd.DataFrame, journey: list[dict], language: str = "en") -> pd.DataFrame:
    """Period changes as a reader sees them: moment label, periods, changes with their intervals, p."""
    if changes.empty:
        return pd.DataFrame(columns=["moment", "periods", "CSAT change", "95% CI", "p", "top-2-box change (pp)",
                                     "NPS change"])
    labels = {m["id"]: m.get(language, m["id"]) for m in journey}
    order = {m: i for i, m in enumerate(journey_ids(journey))}
    c = changes.sort_values("moment", key=lambda s: s.map(order))
    out = pd.DataFrame({
        "moment": c["moment"].map(labels), "periods": c["from"] + " → " + c["to"],
        "CSAT change": c["csat_change"],
        "95% CI": [f"{a:.2f} … {b:.2f}" for a, b in zip(c["csat_low"], c["csat_high"])],
        "p": c["csat_p"],
        "top-2-box change (pp)": [f"{100*d:.1f} ({100*a:.1f} … {100*b:.1f})"
                                  for d, a, b in zip(c["top2_change"], c["top2_low"], c["top2_high"])],
    })
    if "nps_change" in c:
        out["NPS change"] = [f"{d:.1f} ({a:.1f} … {b:.1f})" for d, a, b in zip(c["nps_change"], c["nps_low"], c["nps_high"])]
    return out.reset_index(drop=True)


def weighting_sentence(metrics: dict[str, Any]) -> str:
    """What weighting was applied to the customer metrics, and what it cost in effective sample size."""
    w = metrics.get("weighting")
    if not w:
        return "The customer metrics are unweighted: every response counts once (no population margins were given)."
    margins = ", ".join(w["margins"])
    return (f"The customer metrics are weighted by raking to population shares of {margins}: the {w['n']:,} responses "
            f"weigh as much as {w['n_eff']:,.0f} unweighted ones (Kish's effective sample size), which the "
            "intervals take into account.")
