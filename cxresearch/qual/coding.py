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
   lists the cues that fired — so a researcher sees why;
6. with the learned model (:mod:`cxresearch.qual.learned`, on by default) the
   passage is read a second time: a cue hit the model finds implausible in its
   context is dropped (*in the same line of business* is no queue), a kept one
   takes the model's probability as its score, and codes said in words no cue
   lists are added with ``≈`` and the words that weigh most for them.

The segment's moment is kept when it has one (survey comments), otherwise it is
the journey moment whose cues occur most often (``None`` if none does).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cxresearch.qual.codebook import Codebook, Cue
from cxresearch.qual.text import (CLAUSE_BREAK, FI_NEGATORS, EN_NEGATORS, detect_language, lemma, lemmas,
                                  negated_positions, sentences, tokenize)

NEGATORS = {"fi": FI_NEGATORS, "en": EN_NEGATORS}

POSITIVE_WORDS = {
    "fi": "hyvä erinomainen loistava mahtava ihana upea ystävällinen avulias nopea nopeasti helppo vaivaton sujuva "
          "sujuvasti tyytyväinen kiitos kiittää lämmin tarpeeksi riittävä riittävästi innostunut ylpeä arvostaa "
          "luottaa kannustaa tukea edullinen ajallaan kohdallaan toimiva kätevä mukava onnistua ilahtua "
          "moitteeton moitteettomasti täydellinen täydellisesti kiva hienosti hieno iloinen kohtuullinen heti "
          "tehokas tehokkaasti kärsivällinen huomaavainen kattava täynnä selkeä selkeästi mielellään toimia "
          "ilo onnellinen innolla reilu luotettava ammattimainen vaivattomasti jouheva mielelläni".split(),
    "en": "good great excellent amazing wonderful lovely friendly helpful quick quickly easy easily effortless smooth "
          "smoothly happy satisfied thanks thank warm enough plenty proud appreciate appreciated trust encourage "
          "support fair affordable bargain reliable kind pleasant brilliant fantastic perfect "
          "flawless flawlessly perfectly superb glad pleased impressed reasonable immediately instantly promptly "
          "efficient efficiently patient attentive comprehensive full clear clearly like love enjoy nice "
          "spot-on delighted grateful generous honest openly".split(),
}
NEGATIVE_WORDS = {
    "fi": "huono hirveä kamala tyly töykeä hidas vaikea työläs monimutkainen pettymys pettynyt harmissaan paha "
          "myöhässä rikki rikkinäinen kallis liian valittaa välinpitämätön epäluotettava ärsyttää kiire ruuhka "
          "turhauttaa jonottaa ongelma virhe epäonnistua vähän "
          "kohtuuton ryöstö jumittua revetä tyhjä puuttua turha hyödytön sekava kaoottinen stressaava uuvuttava "
          "väsynyt vähätellä ohittaa olankohautus kohauttaa katketa sotku ärsyttävä turhauttava kurja surkea "
          "ilmeetön tuijottaa nauraa hädissään joutua kadota hukata unohtaa".split(),
    "en": "bad terrible awful horrible rude slow difficult hard complicated disappointed disappointing disappointment "
          "upset late delayed damaged broken expensive overpriced too poor indifferent unreliable annoying busy "
          "frustrating problem mistake fail failed failing hassle ages worse worst "
          "curt unreasonable ridiculous outrageous froze frozen torn empty gaping missing useless pointless "
          "shrug shrugged ignored ignore stuck wasted waste mess messy chaotic confusing unhelpful impatient "
          "stressful exhausting tired belittled laughed stared awful nowhere just only whatever "
          "lost forgot forgotten cut".split(),
}


@lru_cache(maxsize=4)
def _sentiment(lang: str) -> dict[str, int]:
    out = {lemma(w, lang): 1 for w in POSITIVE_WORDS[lang]}
    out.update({lemma(w, lang): -1 for w in NEGATIVE_WORDS[lang]})
    return out


class _CueIndex:
    """Cues of one language.

    Lemma cues are keyed by their first lemma (single-lemma Finnish cues of four or
    more letters also by compound tail: ``asiakaspalvelussa`` → ``palvelu``); form
    cues (see :class:`~cxresearch.qual.codebook.Cue`) match the written form —
    Finnish words beginning with it, English words equal to it.
    """

    def __init__(self, cues: list[Cue], lang: str):
        self.lang = lang
        self.by_first: dict[str, list[Cue]] = defaultdict(list)
        self.forms: dict[str, list[Cue]] = defaultdict(list)
        for cue in cues:
            if cue.form:
                self.forms[cue.form].append(cue)
            else:
                self.by_first[cue.lemmas[0]].append(cue)
        self.tails = ({c.lemmas[0] for c in cues if not c.form and len(c.lemmas) == 1 and len(c.lemmas[0]) >= 4}
                      if lang == "fi" else set())
        self.form_prefixes = sorted({len(f) for f in self.forms}) if lang == "fi" else []
        # Finnish: a one-word base-form cue also matches words that begin with its stem (the cue without its
        # final vowels, five letters or more), for the forms the lemmatiser gets wrong (passives such as
        # *arvosteta* → not *arvostaa*) and consonant gradation (*henkilökunta* → *henkilökunnan*)
        self.stems: dict[str, list[Cue]] = defaultdict(list)
        if lang == "fi":
            for cue in cues:
                if cue.form or len(cue.lemmas) != 1:
                    continue
                stem = cue.lemmas[0].rstrip("aeiouyäö")
                if len(stem) >= 5:
                    self.stems[stem].append(cue)
        self.stem_lengths = sorted({len(k) for k in self.stems})
        self._cache: dict[str, tuple[Cue, ...]] = {}

    def _candidates(self, tok: str, word: str) -> tuple[Cue, ...]:
        """Cues that can start at a token (by lemma ``word``, written form, compound tail or stem); cached per
        token (an index is of one language, where a token's lemma is always the same)."""
        got = self._cache.get(tok)
        if got is not None:
            return got
        out: dict[int, Cue] = {}
        keys = dict.fromkeys((word, tok))  # ordered: the cue order must not depend on string hashing
        if self.tails:
            for k in range(1, len(word) - 3):
                if word[k:] in self.tails:
                    keys[word[k:]] = None
        for k in keys:
            for cue in self.by_first.get(k, ()):
                out[id(cue)] = cue
        for length in self.stem_lengths:
            if length > len(tok):
                break
            for cue in self.stems.get(tok[:length], ()):
                out[id(cue)] = cue
        if self.form_prefixes:
            for length in self.form_prefixes:
                if length > len(tok):
                    break
                for cue in self.forms.get(tok[:length], ()):
                    out[id(cue)] = cue
        else:
            for cue in self.forms.get(tok, ()):
                out[id(cue)] = cue
        got = tuple(out.values())
        if len(self._cache) < 500_000:
            self._cache[tok] = got
        return got

    def matches(self, toks: list[str], lems: list[str]) -> list[tuple[Cue, int, int]]:
        """``(cue, start, end)`` of each cue found in a sentence's tokens and their lemmas."""
        found = []
        n = len(lems)
        cache = self._cache
        for i, tok in enumerate(toks):
            cands = cache.get(tok)
            if cands is None:
                cands = self._candidates(tok, lems[i])
            for cue in cands:
                m = len(cue.lemmas)
                if m == 1 or (i + m <= n and all(
                        cue.lemmas[j] in (lems[i + j], toks[i + j]) for j in range(1, m))):
                    found.append((cue, i, i + m))
        return found


def _clauses(toks: list[str]) -> list[int]:
    """Clause number of each token: clauses end at commas, semicolons, colons and contrastive conjunctions."""
    out, k = [], 0
    for tok in toks:
        if tok in CLAUSE_BREAK:
            k += 1
            out.append(-1)  # the break itself belongs to no clause
        else:
            out.append(k)
    return out


class Coder:
    """A compiled codebook: call :meth:`code_text` on one text, or use :func:`code_segments`."""

    #: Texts :func:`code_segments` codes together (their analysed sentences are held until the learned model has
    #: scored them all)
    CHUNK = 2000

    def __init__(self, codebook: Codebook, learned: bool = True):
        """``learned`` adds the codes the learned model (:mod:`cxresearch.qual.learned`) finds beyond the cues."""
        self.codebook = codebook
        self.index = {lang: _CueIndex(cues, lang) for lang, cues in codebook.cues.items()}
        self.moment_index = {lang: _CueIndex(cues, lang) for lang, cues in codebook.moment_cues.items()}
        self.roles = {cid: set(code.roles) for cid, code in codebook.codes.items() if code.roles}
        self.overrides = {cid: set(code.overrides) for cid, code in codebook.codes.items() if code.overrides}
        self.learned = None
        if learned:
            from cxresearch.qual.learned import learned_coder_for

            # while ``self.learned`` is None, code_text is the cue coder alone: the fit's threshold search uses it
            self.learned = learned_coder_for(
                codebook, cue_codes=lambda text, lang, role: {r["code"] for r in self.code_text(text, lang, role)[0]})

    def code_text(self, text: str, lang: str, role: str | None = None,
                  tokenized: list[tuple[str, list[str]]] | None = None) -> tuple[list[dict], str | None]:
        """Codes of one text in ``lang``: list of ``{code, theme, valence, score, cue}`` and the moment found.

        ``role`` (``customer``/``employee``) leaves out codes the codebook reserves for the other role.
        ``tokenized``: the text's sentences with their tokens, ``[(sentence, tokens), …]``, when the caller has
        them already (see :func:`tokenized_sentences`).
        """
        return self.code_texts([(text, lang, role, tokenized)])[0]

    def code_texts(self, items) -> list[tuple[list[dict], str | None]]:
        """:meth:`code_text` of many texts, ``[(text, lang, role, tokenized), …]``, in the same order: the cues
        of each, then the learned model on all of them together (:meth:`LearnedCoder.predict_many`)."""
        cued = [self._cue_coding(*item) for item in items]
        if self.learned is None:
            return [self._rows(per_code, None, moment) for per_code, moment, _ in cued]
        decided = self.learned.predict_many(
            [(text, lang, set(per_code), None if role is None else self._allowed(role), analysed)
             for (text, lang, role, _), (per_code, _, analysed) in zip(items, cued)])
        return [self._rows(per_code, d, moment) for (per_code, moment, _), d in zip(cued, decided)]

    def _allowed(self, role: str):
        """``code -> bool``: whether a code may be given to a text in ``role``'s voice."""
        return lambda c: role in self.roles.get(c, (role,))

    def _cue_coding(self, text: str, lang: str, role: str | None, tokenized=None):
        """The cue coder's codes of a text (``{code: evidence}``), the moment its cues name, and the text's
        sentences analysed (``[(tokens, lemmas, negated positions), …]``, for the learned model)."""
        per_code: dict[str, dict] = {}
        moment_hits: dict[str, int] = defaultdict(int)
        sentiment = _sentiment(lang)
        analysed = []
        for sentence, toks in tokenized if tokenized is not None else tokenized_sentences(text):
            lems = lemmas(toks, lang)
            negated = negated_positions(toks, lang)
            analysed.append((toks, lems, negated))
            for cue, _, _ in self.moment_index[lang].matches(toks, lems):
                moment_hits[cue.code] += 1
            hits = self.index[lang].matches(toks, lems)
            if role is not None and self.roles:
                hits = [h for h in hits if role in self.roles.get(h[0].code, (role,))]
            if not hits:
                continue
            clause_of = _clauses(toks)
            n_clauses = max(clause_of) + 1
            # what is said in each clause: valence-carrying cues per code, sentiment words, negation
            cue_polarity: list[dict[str, int]] = [defaultdict(int) for _ in range(n_clauses)]
            flipped: list[set[str]] = [set() for _ in range(n_clauses)]  # codes whose cue a negation turned round
            used: set[int] = set()
            for cue, a, b in hits:
                if cue.valence:
                    sign = 1 if cue.valence == "positive" else -1
                    scope = negated
                    if any(toks[p] in NEGATORS[lang] for p in range(a, b)):
                        # a cue that holds its own negator (*no idea*, *ei ehdi*) is flipped only by another one
                        scope = negated_positions([t if not a <= i < b else "" for i, t in enumerate(toks)], lang)
                    if any(p in scope for p in range(a, b)):
                        sign = -sign
                        flipped[clause_of[a]].add(cue.code)
                    cue_polarity[clause_of[a]][cue.code] += 2 * sign
                    used.update(range(a, b))
            general = [0] * n_clauses
            said = [False] * n_clauses  # the clause evaluates something (sentiment, valence cue or negation)
            negation = [False] * n_clauses  # the clause holds a negator or a word in a negation's scope
            for i, lem in enumerate(lems):
                c = clause_of[i]
                if c < 0:
                    continue
                if i in negated or toks[i] in NEGATORS[lang]:
                    said[c] = negation[c] = True
                if i in used:
                    said[c] = True
                    continue
                sgn = sentiment.get(lem) or sentiment.get(toks[i], 0)
                if sgn:
                    general[c] += -sgn if i in negated else sgn
                    said[c] = True
            topic_clauses = sorted({clause_of[a] for _, a, _ in hits if clause_of[a] >= 0})
            # an evaluation in a clause without cues of its own speaks of the nearest earlier clause that has some
            # (*the staff, honestly, were great*), or the next one when none precedes
            target = list(range(n_clauses))
            for c in range(n_clauses):
                if c in topic_clauses or not said[c] or not topic_clauses:
                    continue
                before = [t for t in topic_clauses if t < c]
                target[c] = before[-1] if before else topic_clauses[0]
            evaluation = [{"said": False, "general": 0, "negation": False} for _ in range(n_clauses)]
            for c in range(n_clauses):
                t = target[c]
                evaluation[t]["said"] |= said[c]
                evaluation[t]["general"] += general[c]
                evaluation[t]["negation"] |= negation[c]
            in_clause: dict[int, set[str]] = defaultdict(set)
            for cue, a, _ in hits:
                in_clause[clause_of[a]].add(cue.code)
            for cue, a, b in hits:
                c = clause_of[a]
                if c < 0 or not evaluation[c]["said"]:
                    continue  # a topic word alone, with nothing said about it, is not coded
                if any(cue.code in self.overrides.get(other, ()) for other in in_clause[c]):
                    continue  # a more specific code of the same clause takes precedence (codebook `overrides`)
                entry = per_code.setdefault(cue.code, {"cues": [], "polarity": 0, "negation": False, "flipped": False,
                                                       "clauses": set()})
                entry["flipped"] |= cue.code in flipped[c]
                if cue.text not in entry["cues"]:
                    entry["cues"].append(cue.text)
                if (sentence, c) not in entry["clauses"]:
                    entry["clauses"].add((sentence, c))
                    entry["polarity"] += cue_polarity[c].get(cue.code, 0) + evaluation[c]["general"]
                    entry["negation"] |= evaluation[c]["negation"]
        moment = max(moment_hits, key=lambda m: moment_hits[m]) if moment_hits else None
        return per_code, moment, analysed

    def _rows(self, per_code: dict[str, dict], decided: list[dict] | None, moment: str | None):
        """A text's output rows from its cue codes and what the learned model ``decided`` about them (``None``:
        the cue coder alone)."""
        learned_rows: list[dict] = []
        if decided is not None:
            kept = {h["code"]: h for h in decided if h["cued"]}
            per_code = {c: e for c, e in per_code.items() if c in kept}  # cue hits the model finds implausible go
            learned_rows = [h for h in decided if not h["cued"]]
        rows = []
        for code_id, entry in per_code.items():
            code = self.codebook.codes[code_id]
            if decided is not None and kept[code_id]["valence"] is not None and not entry["flipped"]:
                # the learned valence model where it is sure, unless a negation turned one of the code's cues round
                # (the cue coder's negation scope reads *ei ollut yhtään ystävällinen* better than ¬lemma features)
                valence = kept[code_id]["valence"]
            elif entry["polarity"] > 0:
                valence = "positive"
            elif entry["polarity"] < 0:
                valence = "negative"
            elif code.valence in ("positive", "negative"):
                valence = code.valence
            else:
                valence = "negative" if entry["negation"] else "neutral"
            k = len(entry["cues"])
            score = kept[code_id]["score"] if decided is not None else None
            rows.append({"code": code_id, "theme": code.theme, "valence": valence,
                         "score": score if score is not None else round(1 - 0.6 ** k, 4),
                         "cue": "; ".join(entry["cues"])})
        for hit in learned_rows:
            rows.append({"code": hit["code"], "theme": self.codebook.codes[hit["code"]].theme,
                         "valence": hit["valence"], "score": hit["score"], "cue": hit["cue"]})
        return rows, moment


def tokenized_sentences(text: str) -> list[tuple[str, list[str]]]:
    """A text's sentences, each with its tokens (together, the tokens of the whole text: sentences split at
    white space)."""
    return [(sentence, tokenize(sentence)) for sentence in sentences(text)]


def coder_for(codebook: Codebook, learned: bool = True) -> Coder:
    """The compiled :class:`Coder` of ``codebook``, built once per codebook object (compiling the cue index and
    loading the learned model cost 0.3 s; a stage codes interview turns and survey comments with the same one)."""
    coders = codebook.__dict__.setdefault("_coders", {})
    if learned not in coders:
        coders[learned] = Coder(codebook, learned=learned)
    return coders[learned]


def code_segments(segments: pd.DataFrame, codebook: Codebook, lang: str = "auto", text_col: str = "text",
                  learned: bool = True) -> pd.DataFrame:
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
    learned : bool
        Also add the codes the learned model finds where no cue fired (``cue`` starts with ``≈``).

    Returns
    -------
    DataFrame
        One row per segment × code: the carried columns, then ``code, theme,
        valence, score, cue, lang, moment`` and ``text_col``.
    """
    coder = coder_for(codebook, learned)
    if "is_interviewer" in segments:
        segments = segments[~segments["is_interviewer"].astype(bool)]
    carried = [c for c in segments.columns if c not in ("lang", "moment", text_col, "is_interviewer")]
    has_lang = "lang" in segments.columns
    has_moment = "moment" in segments.columns
    n = len(segments)

    def column(name: str) -> list:
        return segments[name].tolist() if name in segments.columns else [None] * n

    texts, given_langs, roles, moments = column(text_col), column("lang"), column("role"), column("moment")
    keys: list[tuple | None] = []  # per segment: its words, language hint and voice, which decide its coding
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            keys.append(None)
            continue
        given = given_langs[i] if has_lang and isinstance(given_langs[i], str) else None
        keys.append((text, given, roles[i] if isinstance(roles[i], str) else None))
    distinct = [k for k in dict.fromkeys(keys) if k is not None]
    seen: dict[tuple, tuple[str, list[dict], str | None]] = {}
    for a in range(0, len(distinct), coder.CHUNK):  # coded a chunk at a time: its analysed text is then let go
        items, langs = [], []
        for text, given, role in distinct[a:a + coder.CHUNK]:
            tokenized = tokenized_sentences(text)
            seg_lang = lang if lang in ("fi", "en") else detect_language(
                text, default=given or "fi", tokens=[t for _, toks in tokenized for t in toks])
            items.append((text, seg_lang, role, tokenized))
            langs.append(seg_lang)
        for key, seg_lang, coded in zip(distinct[a:a + coder.CHUNK], langs, coder.code_texts(items)):
            seen[key] = (seg_lang, *coded)
    positions: list[int] = []  # the segment each output row came from
    added: list[dict] = []  # what coding adds to it
    for i, key in enumerate(keys):
        if key is None:
            continue
        text = key[0]
        seg_lang, codes, found_moment = seen[key]
        moment = moments[i] if has_moment and isinstance(moments[i], str) else found_moment
        for c in codes:
            positions.append(i)
            added.append({**c, "lang": seg_lang, "moment": moment, text_col: text})
    columns = [*carried, "code", "theme", "valence", "score", "cue", "lang", "moment", text_col]
    # the carried columns are taken from the segments in one go (dtypes kept), not copied row by row
    base = segments[carried].iloc[positions].reset_index(drop=True)
    coded = pd.DataFrame(added, columns=columns[len(carried):])
    return pd.concat([base, coded], axis=1)[columns]


def plain_text_segments(text: str, source: str) -> pd.DataFrame:
    """Paragraphs (blank-line separated) of a plain text as segments with character spans."""
    import re

    rows = []
    for k, m in enumerate(re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, flags=re.S)):
        rows.append({"source": source, "segment_id": f"{source}#{k}", "turn": k, "start": m.start(), "end": m.end(),
                     "speaker": None, "role": None, "text": m.group(0)})
    return pd.DataFrame(rows, columns=["source", "segment_id", "turn", "start", "end", "speaker", "role", "text"])


def _read_text_source(f: Path | None, name: str) -> tuple[str, str | None]:
    """The text of a file (``None``: standard input, read as bytes) decoded as the table readers do — UTF-8 with
    its byte-order mark removed, else UTF-16 with a BOM, cp1252 or latin-1 — and a note when it was not UTF-8."""
    import sys

    from cxresearch.io.readers import decode_text

    if f is None:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream put in place of stdin (tests, notebooks): already text
            return sys.stdin.read(), None
        raw = stream.read()
    else:
        raw = f.read_bytes()
    return decode_text(raw, name)


def code_path(path: str | Path, codebook: Codebook, lang: str = "auto",
              notes: list[str] | None = None) -> pd.DataFrame:
    """Code a transcript, a plain-text file, or every ``.md``/``.txt`` file of a folder.

    A file that starts with YAML front matter is read as a transcript (its
    respondent turns are the segments; interviewer turns are skipped); any other
    file is plain text whose paragraphs are the segments. ``path`` ``-`` reads
    standard input, a transcript or plain text alike. Text that is not UTF-8 is
    read as UTF-16 (with a BOM), cp1252 or latin-1, with a line in ``notes`` saying so.

    Returns
    -------
    DataFrame
        One row per segment × code: ``source, segment_id, turn, start, end, speaker, role, unit_id, lang,
        moment, code, theme, valence, score, cue, text`` (``start``/``end`` are character offsets into the
        transcript body or the plain text).

    Raises
    ------
    TranscriptError
        Listing every broken transcript and unreadable file, one line each.
    """
    from cxresearch.exceptions import CxResearchError, TranscriptError
    from cxresearch.qual.transcripts import TURN_COLUMNS, parse_transcript

    path_str = str(path)
    if path_str == "-":
        files = [None]
    else:
        p = Path(path)
        if p.is_dir():
            files = sorted(f for f in [*p.glob("*.md"), *p.glob("*.txt")] if f.is_file())
            if not files:
                raise CxResearchError(f"{p}: no .md or .txt files to code")
        elif p.is_file():
            files = [p]
        elif p.exists():
            raise CxResearchError(f"{p}: not a regular file — expected a transcript, a text file or a folder of them")
        else:
            raise CxResearchError(f"{p}: not found — expected a transcript, a text file or a folder of them")
    frames, problems = [], []
    for f in files:
        name = "stdin" if f is None else f.name
        try:
            raw, note = _read_text_source(f, name)
        except OSError as err:
            problems.append(f"{name}: cannot be read ({err.strerror or err}) — expected a text file")
            continue
        if note and notes is not None:
            notes.append(note)
        source = "stdin" if f is None else f.stem
        if raw.lstrip("\ufeff").startswith("---"):
            try:
                meta, _, rows = parse_transcript(raw, name)
            except TranscriptError as err:
                problems.extend(err.problems)
                continue
            turns = pd.DataFrame(rows, columns=TURN_COLUMNS)
            turns = turns[~turns["is_interviewer"]].rename(columns={"interview_id": "source"})
            turns = turns.assign(segment_id=turns["source"].astype(str) + "#" + turns["turn"].astype(str))
            frames.append(turns.drop(columns=["is_interviewer", "date"]))
        else:
            frames.append(plain_text_segments(raw, source))
    if problems:
        raise TranscriptError(problems)
    segments = pd.concat(frames, ignore_index=True) if frames else plain_text_segments("", "")
    coded = code_segments(segments, codebook, lang=lang)
    cols = ["source", "segment_id", "turn", "start", "end", "speaker", "role", "unit_id", "lang", "moment", "code",
            "theme", "valence", "score", "cue", "text"]
    return coded.reindex(columns=cols)
