"""Deductive auto-coding: codebook cues, lemmas, compounds and negation.

For each segment (an interview turn or a survey comment), sentence by sentence:

1. tokens are lemmatised in the segment's language (detected when ``lang="auto"``);
2. a code fires when one of its cues matches — a lemma, a multi-word lemma
   sequence, or (Finnish) the last part of a compound (``asiakaspalvelussa`` →
   ``palvelu``) for cues of four or more letters;
3. a code fires only where something is *said* about it: one of its
   valence-carrying cues, or a topic cue in a sentence with a sentiment word or
   a negation (*at the till, …* alone codes nothing);
4. its valence is the sign of the valence-carrying cues and sentiment words in
   the sentence, each flipped when inside a negation's scope (*ei ole tarpeeksi
   henkilökuntaa* → staffing, negative); with no signal, a negated statement is
   negative (*the manager never asks*), otherwise the code's own valence
   (``neutral`` for codes that can go both ways);
5. the score grows with the number of distinct cues (``1 − 0.6^k``), and ``cue``
   lists the cues that fired — so a researcher sees why.

The segment's moment is kept when it has one (survey comments), otherwise it is
the journey moment whose cues occur most often (``None`` if none does).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import pandas as pd

from cxresearch.qual.codebook import Codebook, Cue
from cxresearch.qual.text import detect_language, lemma, lemmas, negated_positions, sentences, tokenize

POSITIVE_WORDS = {
    "fi": "hyvä erinomainen loistava mahtava ihana upea ystävällinen avulias nopea nopeasti helppo vaivaton sujuva "
          "sujuvasti tyytyväinen kiitos kiittää lämmin tarpeeksi riittävä riittävästi innostunut ylpeä arvostaa "
          "luottaa kannustaa tukea edullinen ajallaan kohdallaan toimiva kätevä mukava onnistua ilahtua".split(),
    "en": "good great excellent amazing wonderful lovely friendly helpful quick quickly easy easily effortless smooth "
          "smoothly happy satisfied thanks thank warm enough plenty proud appreciate appreciated trust encourage "
          "support fair affordable bargain reliable kind pleasant brilliant fantastic perfect".split(),
}
NEGATIVE_WORDS = {
    "fi": "huono hirveä kamala tyly töykeä hidas vaikea työläs monimutkainen pettymys pettynyt harmissaan paha "
          "myöhässä rikki rikkinäinen kallis liian valittaa välinpitämätön epäluotettava ärsyttää kiire ruuhka "
          "turhauttaa jonottaa ongelma virhe epäonnistua vähän".split(),
    "en": "bad terrible awful horrible rude slow difficult hard complicated disappointed disappointing disappointment "
          "upset late delayed damaged broken expensive overpriced too poor indifferent unreliable annoying busy "
          "frustrating problem mistake fail failed failing hassle ages worse worst".split(),
}


@lru_cache(maxsize=4)
def _sentiment(lang: str) -> dict[str, int]:
    out = {lemma(w, lang): 1 for w in POSITIVE_WORDS[lang]}
    out.update({lemma(w, lang): -1 for w in NEGATIVE_WORDS[lang]})
    return out


class _CueIndex:
    """Cues of one language, keyed by their first lemma; single-lemma Finnish cues also by compound tail."""

    def __init__(self, cues: list[Cue], lang: str):
        self.lang = lang
        self.by_first: dict[str, list[Cue]] = defaultdict(list)
        for cue in cues:
            self.by_first[cue.lemmas[0]].append(cue)
        self.tails = {c.lemmas[0] for c in cues if len(c.lemmas) == 1 and len(c.lemmas[0]) >= 4} if lang == "fi" else set()

    def matches(self, toks: list[str], lems: list[str]) -> list[tuple[Cue, int, int]]:
        found = []
        n = len(lems)
        for i in range(n):
            keys = {lems[i], toks[i]}
            if self.tails:
                word = lems[i]
                for k in range(1, len(word) - 3):
                    if word[k:] in self.tails:
                        keys.add(word[k:])
            for key in keys:
                for cue in self.by_first.get(key, ()):
                    m = len(cue.lemmas)
                    if m == 1 or (i + m <= n and all(
                            cue.lemmas[j] in (lems[i + j], toks[i + j]) for j in range(1, m))):
                        found.append((cue, i, i + m))
        return found


class Coder:
    """A compiled codebook: call :meth:`code_text` on one text, or use :func:`code_segments`."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.index = {lang: _CueIndex(cues, lang) for lang, cues in codebook.cues.items()}
        self.moment_index = {lang: _CueIndex(cues, lang) for lang, cues in codebook.moment_cues.items()}

    def code_text(self, text: str, lang: str) -> tuple[list[dict], str | None]:
        """Codes of one text in ``lang``: list of ``{code, theme, valence, score, cue}`` and the moment found."""
        per_code: dict[str, dict] = {}
        moment_hits: dict[str, int] = defaultdict(int)
        sentiment = _sentiment(lang)
        for sentence in sentences(text):
            toks = tokenize(sentence)
            lems = lemmas(toks, lang)
            negated = negated_positions(toks, lang)
            for cue, _, _ in self.moment_index[lang].matches(toks, lems):
                moment_hits[cue.code] += 1
            hits = self.index[lang].matches(toks, lems)
            if not hits:
                continue
            used = set()
            polarity: dict[str, int] = defaultdict(int)
            for cue, a, b in hits:
                if cue.valence:
                    sign = 1 if cue.valence == "positive" else -1
                    if any(p in negated for p in range(a, b)):
                        sign = -sign
                    polarity[cue.code] += 2 * sign
                    used.update(range(a, b))
            general = 0
            has_negation = bool(negated)
            for i, lem in enumerate(lems):
                if i in used:
                    continue
                s = sentiment.get(lem) or sentiment.get(toks[i], 0)
                if s:
                    general += -s if i in negated else s
            evaluative = {c.code for c, _, _ in hits if c.valence} if not (general or has_negation) else None
            for cue, a, b in hits:
                if evaluative is not None and cue.code not in evaluative:
                    continue  # a topic word alone, with nothing said about it, is not coded
                entry = per_code.setdefault(cue.code, {"cues": [], "polarity": 0, "negation": False})
                if cue.text not in entry["cues"]:
                    entry["cues"].append(cue.text)
            for code in {c.code for c, _, _ in hits}:
                if code in per_code:
                    per_code[code]["polarity"] += polarity.get(code, 0) + general
                    per_code[code]["negation"] |= has_negation
        rows = []
        for code_id, entry in per_code.items():
            code = self.codebook.codes[code_id]
            if entry["polarity"] > 0:
                valence = "positive"
            elif entry["polarity"] < 0:
                valence = "negative"
            elif code.valence in ("positive", "negative"):
                valence = code.valence
            else:
                valence = "negative" if entry["negation"] else "neutral"
            k = len(entry["cues"])
            rows.append({"code": code_id, "theme": code.theme, "valence": valence,
                         "score": round(1 - 0.6 ** k, 4), "cue": "; ".join(entry["cues"])})
        moment = max(moment_hits, key=lambda m: moment_hits[m]) if moment_hits else None
        return rows, moment


def code_segments(segments: pd.DataFrame, codebook: Codebook, lang: str = "auto", text_col: str = "text") -> pd.DataFrame:
    """Auto-code a table of segments.

    Parameters
    ----------
    segments : DataFrame
        One row per segment with a ``text_col``; any other columns (interview_id,
        turn, response_id, unit_id, role, moment, lang …) are carried through.
        Rows with ``is_interviewer`` True are skipped.
    codebook : Codebook
    lang : {"auto", "fi", "en"}
        ``auto`` detects the language of each segment (falling back to the
        segment's ``lang`` column when nothing decides).

    Returns
    -------
    DataFrame
        One row per segment × code: the carried columns, then ``code, theme,
        valence, score, cue, lang, moment`` and ``text_col``.
    """
    coder = Coder(codebook)
    if "is_interviewer" in segments:
        segments = segments[~segments["is_interviewer"].astype(bool)]
    carried = [c for c in segments.columns if c not in ("lang", "moment", text_col, "is_interviewer")]
    has_lang = "lang" in segments.columns
    has_moment = "moment" in segments.columns
    out = []
    records = segments.to_dict("records")
    for rec in records:
        text = rec.get(text_col)
        if not isinstance(text, str) or not text.strip():
            continue
        given = rec.get("lang") if has_lang and isinstance(rec.get("lang"), str) else None
        seg_lang = lang if lang in ("fi", "en") else detect_language(text, default=given or "fi")
        codes, found_moment = coder.code_text(text, seg_lang)
        moment = rec.get("moment") if has_moment and isinstance(rec.get("moment"), str) else found_moment
        for c in codes:
            out.append({**{k: rec[k] for k in carried}, **c, "lang": seg_lang, "moment": moment, text_col: text})
    columns = [*carried, "code", "theme", "valence", "score", "cue", "lang", "moment", text_col]
    return pd.DataFrame(out, columns=columns)
