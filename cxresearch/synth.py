"""Synthetic data with known truth: the service-profit chain, simulated.

``synthesize(out_dir, seed=...)`` writes a complete data folder (see
``docs/data-contract.md``) and ``truth.json`` with everything it planted.

The chain
---------
* **Units** have a true level on each of the eight employee-experience drivers
  per wave (a common unit factor plus driver-specific deviations, drifting a
  little between the waves ``2026-H1`` and ``2026-H2``). The unit's **true EX
  index** is the mean of its eight driver levels.
* **Employees** answer three 1–5 items per driver: the unit's driver level plus a
  person effect plus item noise, rounded and kept within 1–5; eNPS 0–10 rises
  with EX.
* **Customers** answer about one moment of the journey at one unit on one date;
  their period is the wave the date falls in. Their expected CSAT is *exactly*
  linear in the unit's true EX in that period, with a different slope per moment::

      mu   = base[moment] + effect[moment] · (EX[unit, period] − mean EX)
             + unit intercept + segment shift + channel shift      (kept in 2.1…3.9)
      csat = randomised rounding of (mu + e),  e ∈ {−1, 0, +1} with P = ¼, ½, ¼

  Randomised rounding (``floor(x) + Bernoulli(x − floor(x))``) keeps
  ``E[csat | mu] = mu`` and the answer within 1…5, so the planted
  ``effect[moment]`` — CSAT points per one point of true unit EX — is what a
  linear model of CSAT on unit EX recovers. NPS (0–10) and effort (1–7, higher
  is harder) are made the same way with their own slopes; the NPS answer also
  shifts by the moment's planted ``penalty_reward`` when that moment's CSAT is
  low (1–2) or top-box (5), so each moment is a hygiene, wow or linear moment
  (``moment_class`` in ``truth.json``). ``expectation``
  and ``delivery`` (1–5) so that the mean of ``delivery − expectation`` at each
  moment equals the planted ``gap[moment]``.
* **Interviews** (Finnish and English, customers and employees) are built turn
  by turn from phrase banks in which every sentence carries one known code and
  valence (``cxresearch._synth_text``); staff-related passages lean positive in
  high-EX units. ``truth.json`` records the codes of every respondent turn.
* **Two human coders** start from the truth and disagree realistically: each
  misses some codes, adds a neighbouring code now and then, and rarely flips a
  valence.

The same seed gives byte-identical files.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from cxresearch import _synth_text as T
from cxresearch.config import DEFAULT_JOURNEY, DRIVERS, ITEMS_PER_DRIVER
from cxresearch.exceptions import CxResearchError

WAVES = ("2026-H1", "2026-H2")
MOMENTS = [m["id"] for m in DEFAULT_JOURNEY]
#: Share of the strongest EX effect at each moment: strong face to face, near zero elsewhere.
EFFECT_WEIGHTS = {"discover": 0.05, "choose": 0.75, "buy": 1.0, "receive": 0.15, "use": 0.1, "get_help": 0.9}
BASE_CSAT = {"discover": 3.35, "choose": 3.25, "buy": 3.15, "receive": 3.0, "use": 3.2, "get_help": 2.95}
GAP = {"discover": 0.1, "choose": 0.0, "buy": 0.1, "receive": -0.4, "use": -0.15, "get_help": -0.6}
MOMENT_SHARE = {"discover": 0.14, "choose": 0.2, "buy": 0.22, "receive": 0.16, "use": 0.13, "get_help": 0.15}
CHANNELS = ("store", "web", "phone")
CHANNEL_P = {
    "discover": (0.3, 0.6, 0.1), "choose": (0.7, 0.3, 0.0), "buy": (0.6, 0.4, 0.0),
    "receive": (0.5, 0.5, 0.0), "use": (0.2, 0.8, 0.0), "get_help": (0.3, 0.2, 0.5),
}
#: Asymmetric impact of a moment's CSAT on the customer's NPS answer (points on 0–10): ``(penalty, reward)`` is the
#: shift when the moment's CSAT is low (1–2) and when it is top-box (5), against the middle (3–4). Hygiene moments
#: hurt when they fail and add little when they shine; wow moments the reverse; linear ones both alike.
PENALTY_REWARD = {"discover": (-1.0, 1.0), "choose": (-0.4, 2.0), "buy": (-1.0, 1.0), "receive": (-2.2, 0.2),
                  "use": (-0.4, 2.0), "get_help": (-2.2, 0.2)}
MOMENT_CLASS = {"discover": "linear", "choose": "wow", "buy": "linear", "receive": "hygiene", "use": "wow",
                "get_help": "hygiene"}
SEGMENTS = ("price", "reliability", "service")
SEGMENT_SHIFT = {"price": -0.05, "reliability": 0.0, "service": 0.08}
CHANNEL_SHIFT = {"store": 0.05, "web": 0.0, "phone": -0.05}
EX_CODES = set(DRIVERS) | {"empathy"}
CUSTOMER_CODES = ["empathy", "expectation", "effort", "hygiene_delivery", "hygiene_checkout", "hygiene_availability",
                  "hygiene_reachability", "wow", "price_value", "delivery_reliability", "core_skills", "adaptability",
                  "staffing", "passion"]
CUSTOMER_CODES_BY_MOMENT = {
    "discover": ["expectation", "price_value", "passion", "empathy"],
    "choose": ["adaptability", "core_skills", "passion", "product_belief", "empathy", "hygiene_availability", "staffing"],
    "buy": ["hygiene_checkout", "staffing", "empathy", "effort", "wow", "price_value"],
    "receive": ["hygiene_delivery", "delivery_reliability", "expectation", "effort"],
    "use": ["expectation", "price_value", "wow", "core_skills"],
    "get_help": ["hygiene_reachability", "empathy", "effort", "core_skills", "adaptability", "wow"],
}
#: Plausible confusions of a human coder (code → a neighbour it may be mistaken for).
NEIGHBOURS = {"empathy": "adaptability", "adaptability": "empathy", "staffing": "hygiene_checkout",
              "hygiene_checkout": "staffing", "expectation": "delivery_reliability",
              "delivery_reliability": "hygiene_delivery", "hygiene_delivery": "delivery_reliability",
              "passion": "valued", "valued": "passion", "core_skills": "adaptability", "leadership": "valued",
              "autonomy": "leadership", "wow": "empathy", "effort": "hygiene_reachability",
              "hygiene_reachability": "effort", "price_value": "expectation", "product_belief": "passion",
              "hygiene_availability": "staffing"}


def _randomised_round(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    low = np.floor(x)
    return (low + (rng.random(x.shape) < (x - low))).astype(np.int64)


def _units(rng, n_units):
    ids = [f"U{i + 1:02d}" for i in range(n_units)]
    names = [f"Kauppa {T.UNIT_NAMES[i % len(T.UNIT_NAMES)]}" + (f" {i // len(T.UNIT_NAMES) + 1}" if i >= len(T.UNIT_NAMES) else "")
             for i in range(n_units)]
    regions = [T.REGIONS[i] for i in rng.integers(0, len(T.REGIONS), n_units)]
    common = rng.normal(0, 0.4, n_units)
    drift = rng.normal(0, 0.3, n_units)
    offsets = rng.normal(0, 0.15, len(DRIVERS))
    levels = {}
    for w, wave in enumerate(WAVES):
        specific = rng.normal(0, 0.22, (n_units, len(DRIVERS)))
        lv = 3.3 + offsets[None, :] + common[:, None] + w * drift[:, None] + specific
        levels[wave] = np.clip(lv, 1.8, 4.5)
    return pd.DataFrame({"unit_id": ids, "name": names, "region": regions}), levels


def _employees(rng, unit_ids, levels, per_unit_wave):
    rows = []
    k = 0
    for wave in WAVES:
        for u, unit in enumerate(unit_ids):
            n = per_unit_wave
            person = rng.normal(0, 0.3, n)
            items = levels[wave][u][None, :, None] + person[:, None, None] + rng.normal(0, 0.5, (n, len(DRIVERS), ITEMS_PER_DRIVER))
            items = np.clip(np.rint(items), 1, 5).astype(int)
            ex = levels[wave][u].mean() + person
            enps = np.clip(np.rint(6.5 + 2.2 * (ex - 3.3) + rng.normal(0, 1.6, n)), 0, 10).astype(int)
            for i in range(n):
                k += 1
                row = {"response_id": f"E{k:05d}", "unit_id": unit, "wave": wave}
                for d, driver in enumerate(DRIVERS):
                    for j in range(ITEMS_PER_DRIVER):
                        row[f"{driver}_{j + 1}"] = int(items[i, d, j])
                row["enps"] = int(enps[i])
                rows.append(row)
    return pd.DataFrame(rows)


def _customers(rng, n, unit_ids, unit_ex_arr, centre, intercepts, effects, nps_effects, effort_effects):
    n_units = len(unit_ids)
    weights = rng.lognormal(0, 0.35, n_units)
    unit_idx = rng.choice(n_units, n, p=weights / weights.sum())
    moment_idx = rng.choice(len(MOMENTS), n, p=np.array([MOMENT_SHARE[m] for m in MOMENTS]))
    day = rng.integers(0, 365, n)
    dates = np.datetime64("2026-01-01") + day.astype("timedelta64[D]")
    month = dates.astype("datetime64[M]").astype(int) % 12 + 1
    wave_idx = (month > 6).astype(int)
    seg_idx = rng.choice(len(SEGMENTS), n, p=[0.4, 0.35, 0.25])
    channel_idx = np.empty(n, dtype=int)
    for m, moment in enumerate(MOMENTS):
        mask = moment_idx == m
        channel_idx[mask] = rng.choice(len(CHANNELS), mask.sum(), p=CHANNEL_P[moment])
    ex_dev = unit_ex_arr[unit_idx, wave_idx] - centre
    eff = np.array([effects[m] for m in MOMENTS])[moment_idx]
    base = np.array([BASE_CSAT[m] for m in MOMENTS])[moment_idx]
    shift = np.array([SEGMENT_SHIFT[s] for s in SEGMENTS])[seg_idx] + np.array([CHANNEL_SHIFT[c] for c in CHANNELS])[channel_idx]
    mu = np.clip(base + eff * ex_dev + intercepts[unit_idx] + shift, 2.1, 3.9)
    csat = _randomised_round(rng, mu + rng.choice([-1, 0, 1], n, p=[0.25, 0.5, 0.25]))

    nps_eff = np.array([nps_effects[m] for m in MOMENTS])[moment_idx]
    mu_nps = np.clip(7.3 + nps_eff * ex_dev + 2.0 * (intercepts[unit_idx] + shift), 3.0, 8.0)
    penalty = np.array([PENALTY_REWARD[m][0] for m in MOMENTS])[moment_idx]
    reward = np.array([PENALTY_REWARD[m][1] for m in MOMENTS])[moment_idx]
    mu_nps = mu_nps + penalty * (csat <= 2) + reward * (csat == 5)
    nps = _randomised_round(rng, np.clip(mu_nps + rng.choice([-2, -1, 0, 1, 2], n, p=[0.1, 0.2, 0.4, 0.2, 0.1]), 0, 10))
    eff_eff = np.array([effort_effects[m] for m in MOMENTS])[moment_idx]
    mu_effort = np.clip(3.6 + eff_eff * ex_dev, 2.5, 5.5)
    effort = _randomised_round(rng, mu_effort + rng.choice([-1, 0, 1], n, p=[0.25, 0.5, 0.25]))

    gap = np.array([GAP[m] for m in MOMENTS])[moment_idx]
    mu_exp = 3.5 + rng.normal(0, 0.15, n)
    dev = mu - base
    for m in range(len(MOMENTS)):  # centre within moment so the mean gap is exactly the planted one
        mask = moment_idx == m
        if mask.any():
            dev[mask] -= dev[mask].mean()
    mu_del = mu_exp + gap + 0.5 * dev
    expectation = _randomised_round(rng, np.clip(mu_exp, 2.0, 4.0) + rng.choice([-1, 0, 1], n, p=[0.2, 0.6, 0.2]))
    delivery = _randomised_round(rng, np.clip(mu_del, 2.0, 4.0) + rng.choice([-1, 0, 1], n, p=[0.2, 0.6, 0.2]))

    lang_fi = rng.random(n) < 0.7
    has_comment = rng.random(n) < 0.3
    tone = np.where(csat >= 4, "positive", np.where(csat <= 2, "negative", "neutral"))
    pick = rng.random(n)
    comments = np.full(n, "", dtype=object)
    for i in np.flatnonzero(has_comment):
        lang = "fi" if lang_fi[i] else "en"
        if tone[i] == "neutral":
            bank = T.COMMENT_TONE["neutral"][lang]
        else:
            bank = T.MOMENT_COMMENTS[MOMENTS[moment_idx[i]]][tone[i]][lang]
        comments[i] = bank[int(pick[i] * len(bank))]
    frame = pd.DataFrame({
        "response_id": [f"C{i + 1:07d}" for i in range(n)],
        "unit_id": np.array(unit_ids)[unit_idx],
        "moment": np.array(MOMENTS)[moment_idx],
        "responded_at": pd.to_datetime(dates).strftime("%Y-%m-%d"),
        "csat": csat, "nps": nps, "effort": effort, "expectation": expectation, "delivery": delivery,
        "segment": np.array(SEGMENTS)[seg_idx], "channel": np.array(CHANNELS)[channel_idx],
        "lang": np.where(lang_fi, "fi", "en"), "comment": comments,
    })
    return frame.sort_values(["responded_at", "response_id"], kind="stable").reset_index(drop=True)


def _lower_first(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if first in ("I", "I'm") or (len(first) > 1 and first.isupper()):
        return sentence
    return sentence[0].lower() + sentence[1:]


def _compose(context: str, opener: str, sentence: str) -> str:
    """Context clause or sentence, then the coded sentence (with an optional opener)."""
    if context.endswith(","):
        return f"{context} {_lower_first(sentence)}"
    if opener:
        sentence = opener + _lower_first(sentence)
    return f"{context} {sentence}"


def _heldout_sentences(code: str, valence: str, lang: str, role: str) -> list[str]:
    """Sentences of the held-out bank (written from the code definitions alone) for one code, valence and voice."""
    from cxresearch._synth_heldout import HELDOUT_SENTENCES

    return [e[lang] for e in HELDOUT_SENTENCES.get((code, valence), []) if e["role"] == role]


def _interview(rng, iid, role, lang, unit, unit_ex_dev, date, phrasing: str = "dev"):
    interviewer = "Haastattelija" if lang == "fi" else "Interviewer"
    speaker = {("customer", "fi"): "Asiakas", ("customer", "en"): "Customer",
               ("employee", "fi"): "Työntekijä", ("employee", "en"): "Employee"}[(role, lang)]
    n_pairs = int(rng.integers(4, 8))
    questions = list(T.QUESTIONS[role][lang])
    order = rng.permutation(len(questions))[:n_pairs]
    lines, truth_turns = [], []
    p_pos_ex = 1 / (1 + np.exp(-3.0 * unit_ex_dev))
    for q in order:
        lines.append((interviewer, questions[q]))
        turn_no = len(lines)
        if rng.random() < 0.12:
            lines.append((speaker, T.SMALL_TALK[lang][int(rng.integers(len(T.SMALL_TALK[lang])))]))
            truth_turns.append({"turn": turn_no, "moment": None, "codes": []})
            continue
        if role == "customer":
            moment = MOMENTS[int(rng.choice(len(MOMENTS), p=[0.1, 0.2, 0.25, 0.17, 0.1, 0.18]))]
            pool = CUSTOMER_CODES_BY_MOMENT[moment]
            context_bank = T.MOMENT_CONTEXT[moment][lang]
        else:
            moment = MOMENTS[int(rng.choice(len(MOMENTS), p=[0.05, 0.3, 0.3, 0.1, 0.05, 0.2]))]
            pool = list(DRIVERS)
            context_bank = T.EMPLOYEE_CONTEXT[moment][lang]
        n_codes = 1 if rng.random() < 0.75 else 2
        codes = list(dict.fromkeys(pool[int(i)] for i in rng.integers(0, len(pool), n_codes)))
        sentences, coded = [], []
        for code in codes:
            p_pos = p_pos_ex if code in EX_CODES else 0.35
            valence = "positive" if rng.random() < p_pos else "negative"
            if code == "wow":
                valence = "positive"
            bank_of = T.sentences_for if phrasing == "dev" else _heldout_sentences
            if not bank_of(code, valence, lang, role):
                valence = "negative" if valence == "positive" else "positive"
            bank = bank_of(code, valence, lang, role)
            if not bank:
                continue  # no sentence in this voice for the code: the turn carries the other codes only
            sentences.append(bank[int(rng.integers(len(bank)))])
            coded.append({"code": code, "valence": valence})
        context = context_bank[int(rng.integers(len(context_bank)))]
        opener = T.OPENERS[lang][int(rng.integers(len(T.OPENERS[lang])))]
        if not sentences:  # (held-out bank only) nothing in this voice: the answer is small talk
            lines.append((speaker, T.SMALL_TALK[lang][0]))
            truth_turns.append({"turn": turn_no, "moment": None, "codes": []})
            continue
        text = " ".join([_compose(context, opener, sentences[0]), *sentences[1:]])
        lines.append((speaker, text))
        truth_turns.append({"turn": turn_no, "moment": moment, "codes": coded})
    header = (f"---\nid: {iid}\nrole: {role}\nunit_id: {unit}\nlang: {lang}\ndate: {date}\n"
              f"speakers: [{interviewer}, {speaker}]\n---\n")
    body_lines, spans, offset = [], {}, 0
    for turn, (who, text) in enumerate(lines):
        prefix = f"{who}: "
        spans[turn] = (offset + len(prefix), offset + len(prefix) + len(text))
        body_lines.append(prefix + text)
        offset += len(prefix) + len(text) + 1
    return header + "\n".join(body_lines) + "\n", truth_turns, spans


def _human_codings(rng, truth_interviews, spans):
    rows = []
    for iid in sorted(truth_interviews):
        for t in truth_interviews[iid]:
            for coder in ("coder_a", "coder_b"):
                applied = []
                for c in t["codes"]:
                    if rng.random() < 0.12:
                        continue  # missed
                    valence = c["valence"]
                    if rng.random() < 0.03:
                        valence = "positive" if valence == "negative" else "negative"
                    applied.append((c["code"], valence))
                if t["codes"] and rng.random() < 0.06:
                    first = t["codes"][0]
                    applied.append((NEIGHBOURS.get(first["code"], "expectation"), first["valence"]))
                start, end = spans[iid][t["turn"]]
                for code, valence in dict.fromkeys(applied):
                    rows.append({"interview_id": iid, "turn": t["turn"], "start": start, "end": end,
                                 "code": code, "valence": valence, "coder": coder})
    frame = pd.DataFrame(rows, columns=["interview_id", "turn", "start", "end", "code", "valence", "coder"])
    return frame.drop_duplicates(["interview_id", "turn", "code", "coder"]).reset_index(drop=True)


def _is_previous_output(out_dir: Path) -> bool:
    truth = out_dir / "truth.json"
    if not truth.exists():
        return False
    try:
        return json.loads(truth.read_text(encoding="utf-8")).get("generator") == "cxresearch.synth"
    except (ValueError, OSError):
        return False


def synthesize(out_dir: str | Path, *, seed: int = 1, units: int = 12, customers: int = 7000, interviews: int = 24,
               ex_effect: float = 0.6, employees_per_unit_wave: int = 20, codebook_path: str | Path | None = None,
               phrasing: str = "dev") -> dict:
    """Write a complete synthetic data folder to ``out_dir`` and return the truth it planted.

    Parameters
    ----------
    out_dir : path
        Folder to write. Must be absent, empty, or a previous ``synthesize`` output.
    seed : int
        Seed of the random generator; the same seed gives byte-identical files.
    units, customers, interviews : int
        Numbers of units, customer survey responses and interview transcripts.
    ex_effect : float
        CSAT points per one point of true unit EX at the strongest moment (``buy``);
        the other moments get ``ex_effect × EFFECT_WEIGHTS[moment]``.
    employees_per_unit_wave : int
        Employee survey responses per unit and wave.
    codebook_path : path, optional
        Codebook to copy into the folder (default: the package's default codebook).
    phrasing : {"dev", "heldout"}
        Which phrase bank the interview sentences come from: ``dev`` (the bank the
        default codebook's cues were refined on) or ``heldout`` (parallel
        Finnish/English sentences written from the code definitions alone, never
        used to refine cues) — to measure the auto-coder on phrasing it was not built from.

    Returns
    -------
    dict
        The content of ``truth.json``.
    """
    out_dir = Path(out_dir)
    if units < 2 or customers < 10 or interviews < 0:
        raise CxResearchError("synth: need at least 2 units and 10 customers, and interviews ≥ 0")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise CxResearchError(f"synth: --seed {seed!r} — expected an integer ≥ 0")
    if isinstance(ex_effect, bool) or not isinstance(ex_effect, (int, float, np.number)) or not math.isfinite(ex_effect):
        raise CxResearchError(f"synth: --ex-effect {ex_effect!r} — expected a finite number (CSAT points per EX point)")
    if out_dir.exists() and not out_dir.is_dir():
        raise CxResearchError(f"{out_dir}: exists and is not a folder — expected a folder to write (absent, empty "
                              "or a previous synth output)")
    if out_dir.exists() and any(out_dir.iterdir()) and not _is_previous_output(out_dir):
        raise CxResearchError(f"{out_dir}: folder exists and is not a previous synth output — refusing to overwrite it")
    if phrasing not in ("dev", "heldout"):
        raise CxResearchError(f"synth: phrasing '{phrasing}' — expected dev or heldout")
    rng = np.random.default_rng(np.random.PCG64(seed))
    unit_table, levels = _units(rng, units)
    unit_ids = list(unit_table["unit_id"])
    unit_ex_arr = np.stack([levels[w].mean(axis=1) for w in WAVES], axis=1)
    centre = float(unit_ex_arr.mean())
    intercepts = rng.normal(0, 0.12, units)
    effects = {m: round(ex_effect * EFFECT_WEIGHTS[m], 6) for m in MOMENTS}
    nps_effects = {m: round(2.0 * effects[m], 6) for m in MOMENTS}
    effort_effects = {m: round(-0.8 * effects[m], 6) for m in MOMENTS}

    employees = _employees(rng, unit_ids, levels, employees_per_unit_wave)
    customer_table = _customers(rng, customers, unit_ids, unit_ex_arr, centre, intercepts, effects, nps_effects,
                                effort_effects)

    transcripts, truth_interviews, spans = {}, {}, {}
    for k in range(interviews):
        iid = f"int_{k + 1:03d}"
        role = "employee" if rng.random() < 0.4 else "customer"
        lang = "fi" if k % 2 == 0 else "en"
        u = int(rng.integers(units))
        w = int(rng.integers(2))
        date = (np.datetime64("2026-02-01") + int(rng.integers(0, 120)) + 182 * w).astype(str)
        text, turns, sp = _interview(rng, iid, role, lang, unit_ids[u], unit_ex_arr[u, w] - centre, date, phrasing)
        transcripts[iid], truth_interviews[iid], spans[iid] = text, turns, sp
    codings = _human_codings(rng, truth_interviews, spans)

    if codebook_path is None:
        codebook_path = Path(__file__).parent / "qual" / "default_codebook.yaml"
    truth = {
        "generator": "cxresearch.synth",
        "version": 1,
        "seed": seed,
        "parameters": {"units": units, "customers": customers, "interviews": interviews, "ex_effect": ex_effect,
                       "employees_per_unit_wave": employees_per_unit_wave,
                       **({"phrasing": phrasing} if phrasing != "dev" else {})},
        "metric": {
            "ex_effect": "CSAT points (1–5) per one point of the unit's true EX index (mean of the eight driver "
                         "levels, 1–5) in the same period, at each moment, holding unit, segment and channel fixed",
            "nps_ex_effect": "NPS answer points (0–10) per one point of true unit EX, directly (beyond the penalty "
                             "or reward of the moment's CSAT band)",
            "penalty_reward": "shift of the NPS answer (0–10 points) when the moment's CSAT is 1–2 (penalty) and "
                              "when it is 5 (reward), against CSAT 3–4",
            "effort_ex_effect": "effort points (1–7, higher = harder) per one point of true unit EX",
            "gap": "mean of delivery − expectation (points on 1–5) at each moment",
        },
        "ex_effect": effects,
        "nps_ex_effect": nps_effects,
        "effort_ex_effect": effort_effects,
        "gap": {m: GAP[m] for m in MOMENTS},
        "penalty_reward": {m: {"penalty": PENALTY_REWARD[m][0], "reward": PENALTY_REWARD[m][1]} for m in MOMENTS},
        "moment_class": dict(MOMENT_CLASS),
        "base_csat": {m: BASE_CSAT[m] for m in MOMENTS},
        "ex_centre": round(centre, 6),
        "unit_ex": {u: {w: round(float(unit_ex_arr[i, j]), 6) for j, w in enumerate(WAVES)} for i, u in enumerate(unit_ids)},
        "drivers": {u: {w: {d: round(float(levels[w][i, k]), 6) for k, d in enumerate(DRIVERS)} for w in WAVES}
                    for i, u in enumerate(unit_ids)},
        "unit_intercepts": {u: round(float(intercepts[i]), 6) for i, u in enumerate(unit_ids)},
        "interviews": truth_interviews,
    }

    tmp = out_dir.with_name(f".{out_dir.name}.synth-tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "interviews").mkdir(parents=True)
    unit_table.to_csv(tmp / "units.csv", index=False, lineterminator="\n")
    employees.to_csv(tmp / "employee_responses.csv", index=False, lineterminator="\n")
    customer_table.to_csv(tmp / "customer_responses.csv", index=False, lineterminator="\n")
    codings.to_csv(tmp / "codings.csv", index=False, lineterminator="\n")
    for iid, text in transcripts.items():
        (tmp / "interviews" / f"{iid}.md").write_text(text, encoding="utf-8")
    if Path(codebook_path).exists():
        shutil.copyfile(codebook_path, tmp / "codebook.yaml")
    (tmp / "truth.json").write_text(json.dumps(truth, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tmp.rename(out_dir)
    return truth
