"""The codebook: themes → codes with bilingual labels, definitions and cues.

``load_codebook(path)`` validates a YAML codebook (every problem at once) and
returns a :class:`Codebook` whose cues are lemmatised, so an inflected word in a
transcript matches the base form written in the codebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cxresearch.config import YAML_LOADER, yaml_problem
from cxresearch.exceptions import CodebookError

DEFAULT_CODEBOOK = Path(__file__).with_name("default_codebook.yaml")
LANGS = ("fi", "en")
ROLES = ("customer", "employee")
VALENCES = ("positive", "negative", "neutral", "both")


@dataclass(frozen=True)
class Cue:
    """One cue of a code: its lemma sequence, the words as written, and the valence it carries."""

    code: str
    lang: str
    lemmas: tuple[str, ...]
    text: str
    valence: str | None  # "positive", "negative" or None (carries none by itself)
    #: A one-word cue the lemmatiser does not return as its own base form (an inflected form such as
    #: ``saatavilla``, ``understaffed``, or a compound it mis-splits) matches by its written form instead:
    #: Finnish words that begin with it, English words equal to it. ``None`` for lemma-matched cues.
    form: str | None = None


@dataclass
class Code:
    """One code of the codebook."""

    id: str
    theme: str
    label: dict[str, str]
    definition: dict[str, str]
    valence: str
    moments: list[str] = field(default_factory=list)
    include: dict[str, str] = field(default_factory=dict)
    exclude: dict[str, str] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    #: Who the code is coded for (``customer``, ``employee``); empty = anyone. Customer-side codes such as
    #: checkout or delivery describe a customer's own experience; leadership or autonomy an employee's.
    roles: list[str] = field(default_factory=list)
    #: Codes this one takes precedence over where both fire in the same clause — the machine-readable side
    #: of an exclude note (*a broken delivery date as a pattern is delivery_reliability, not hygiene_delivery*).
    overrides: list[str] = field(default_factory=list)


@dataclass
class Codebook:
    """A validated codebook with its cue index per language."""

    path: Path
    themes: dict[str, dict[str, str]]
    codes: dict[str, Code]
    cues: dict[str, list[Cue]]  # lang -> cues
    moment_cues: dict[str, list[Cue]]  # lang -> cues whose ``code`` is the moment id

    @property
    def code_ids(self) -> list[str]:
        return list(self.codes)

    def to_frame(self) -> pd.DataFrame:
        """One row per code: ``id, theme, label_en, label_fi, valence, n_cues_fi, n_cues_en``."""
        rows = []
        for code in self.codes.values():
            rows.append({
                "id": code.id, "theme": code.theme, "label_en": code.label.get("en", code.id),
                "label_fi": code.label.get("fi", code.id), "valence": code.valence,
                "n_cues_fi": sum(c.code == code.id for c in self.cues["fi"]),
                "n_cues_en": sum(c.code == code.id for c in self.cues["en"]),
            })
        return pd.DataFrame(rows)


def _lemmatise_phrase(text: str, lang: str) -> tuple[str, ...]:
    from cxresearch.qual.text import lemmas, tokenize

    return tuple(lemmas(tokenize(text), lang))


def _cue(code: str, lang: str, lemmas_: tuple[str, ...], text: str, valence: str | None) -> Cue:
    written = text.strip().lower()
    if written.startswith("="):  # "=late": the written form only (not "later", which lemmatises to "late")
        form = written[1:].strip()
        return Cue(code=code, lang=lang, lemmas=(form,), text=form, valence=valence, form=form)
    form = written if len(lemmas_) == 1 and lemmas_[0] != written and written.replace("-", "").isalpha() else None
    return Cue(code=code, lang=lang, lemmas=lemmas_, text=text, valence=valence, form=form)


def _check_lang_map(value: Any, where: str, fname: str, problems: list[str], required: bool = True) -> dict:
    if value is None:
        if required:
            problems.append(f"{fname}: {where}: missing — expected a mapping with fi and en")
        return {}
    if not isinstance(value, dict):
        problems.append(f"{fname}: {where}: {value!r} — expected a mapping with fi and en")
        return {}
    for lang in LANGS:
        if required and lang not in value:
            problems.append(f"{fname}: {where}.{lang}: missing — expected text in {lang}")
    for key, text in value.items():
        if key not in LANGS:
            problems.append(f"{fname}: {where}.{key}: unknown language — expected fi or en "
                            "(quote text that contains commas or colons)")
        elif not isinstance(text, (str, list)) or not text:
            problems.append(f"{fname}: {where}.{key}: {text!r} — expected non-empty text")
    return value


def _check_cue_map(value: Any, where: str, fname: str, problems: list[str], required: bool) -> dict[str, list[str]]:
    if value is None:
        if required:
            problems.append(f"{fname}: {where}: missing — expected cue lists for fi and en")
        return {}
    if not isinstance(value, dict):
        problems.append(f"{fname}: {where}: {value!r} — expected a mapping fi/en → list of cues")
        return {}
    out = {}
    for lang in LANGS:
        cues = value.get(lang)
        if cues is None:
            if required:
                problems.append(f"{fname}: {where}.{lang}: missing — expected a list of cues in {lang}")
            continue
        if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
            problems.append(f"{fname}: {where}.{lang}: {cues!r} — expected a list of non-empty strings")
            continue
        out[lang] = cues
    return out


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook (``None``: the default codebook).

    Raises
    ------
    CodebookError
        Listing every problem as ``file: codes[3].valence: 'good' — expected …``.
    """
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    fname = path.name
    if path.is_dir():
        raise CodebookError([f"{path}: is a folder — expected a codebook YAML file"])
    if not path.exists():
        raise CodebookError([f"{path}: not found — expected a codebook YAML file"])
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CodebookError([f"{path}: cannot be read ({err.strerror or err}) — expected a codebook YAML file"]) from None
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise CodebookError([f"{fname}:{line}: byte 0x{raw[err.start]:02x} is not UTF-8 — expected a codebook YAML "
                             "file saved as UTF-8"]) from None
    try:
        data = yaml.load(source, Loader=YAML_LOADER)  # default codebook: 0.02 s, not 0.35
    except yaml.YAMLError as err:
        raise CodebookError([yaml_problem(fname, err)]) from None
    if not isinstance(data, dict):
        raise CodebookError([f"{fname}: {type(data).__name__} — expected a mapping with themes and codes"])
    problems: list[str] = []
    themes: dict[str, dict[str, str]] = {}
    for i, theme in enumerate(data.get("themes") or []):
        if not isinstance(theme, dict) or not theme.get("id"):
            problems.append(f"{fname}: themes[{i}]: {theme!r} — expected a mapping with id and label")
            continue
        if theme["id"] in themes:
            problems.append(f"{fname}: themes[{i}].id: '{theme['id']}' — expected a unique theme id (duplicate)")
        themes[theme["id"]] = _check_lang_map(theme.get("label"), f"themes[{i}].label", fname, problems)
    if not themes:
        problems.append(f"{fname}: themes: missing or empty — expected a list of themes")
    raw_codes = data.get("codes")
    if not isinstance(raw_codes, list) or not raw_codes:
        problems.append(f"{fname}: codes: missing or empty — expected a list of codes")
        raw_codes = []
    codes: dict[str, Code] = {}
    cues: dict[str, list[Cue]] = {lang: [] for lang in LANGS}
    for i, entry in enumerate(raw_codes):
        where = f"codes[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{fname}: {where}: {entry!r} — expected a mapping")
            continue
        cid = entry.get("id")
        if not cid or not isinstance(cid, str):
            problems.append(f"{fname}: {where}.id: {cid!r} — expected a code id")
            continue
        if cid in codes:
            problems.append(f"{fname}: {where}.id: '{cid}' — expected a unique code id (duplicate)")
        theme = entry.get("theme")
        if theme not in themes:
            problems.append(f"{fname}: {where}.theme: {theme!r} — expected one of {', '.join(themes)}")
        valence = entry.get("valence")
        if valence not in VALENCES:
            problems.append(f"{fname}: {where}.valence: {valence!r} — expected one of {', '.join(VALENCES)}")
        label = _check_lang_map(entry.get("label"), f"{where}.label", fname, problems)
        definition = _check_lang_map(entry.get("definition"), f"{where}.definition", fname, problems)
        cue_map = _check_cue_map(entry.get("cues"), f"{where}.cues", fname, problems, required=True)
        neg = _check_cue_map(entry.get("negative_cues"), f"{where}.negative_cues", fname, problems, required=False)
        pos = _check_cue_map(entry.get("positive_cues"), f"{where}.positive_cues", fname, problems, required=False)
        moments = entry.get("moments") or []
        if not isinstance(moments, list):
            problems.append(f"{fname}: {where}.moments: {moments!r} — expected a list of moment ids")
            moments = []
        overrides = entry.get("overrides") or []
        if not isinstance(overrides, list) or not all(isinstance(o, str) for o in overrides):
            problems.append(f"{fname}: {where}.overrides: {overrides!r} — expected a list of code ids")
            overrides = []
        roles = entry.get("roles") or []
        if not isinstance(roles, list) or not set(roles) <= set(ROLES):
            problems.append(f"{fname}: {where}.roles: {roles!r} — expected a list of {', '.join(ROLES)}")
            roles = []
        codes[cid] = Code(id=cid, theme=theme, label=label, definition=definition, valence=valence or "both",
                          moments=moments, include=entry.get("include") or {}, exclude=entry.get("exclude") or {},
                          examples=entry.get("examples") or {}, roles=list(roles), overrides=list(overrides))
        for lang in LANGS:
            seen: dict[tuple[str, ...], Cue] = {}
            for kind, lists in ((None, cue_map), ("negative", neg), ("positive", pos)):
                for text in lists.get(lang, []):
                    lemmas_ = _lemmatise_phrase(text, lang)
                    if not lemmas_:
                        continue
                    cue = _cue(cid, lang, lemmas_, text, kind)
                    key = (cue.form,) if cue.form else lemmas_
                    if key in seen and kind is None:
                        continue
                    seen[key] = cue
            cues[lang].extend(seen.values())
    for i, code in enumerate(codes.values()):
        for other in code.overrides:
            if other not in codes:
                problems.append(f"{fname}: codes[{i}].overrides: '{other}' — expected a code id of this codebook")
    moment_cues: dict[str, list[Cue]] = {lang: [] for lang in LANGS}
    for moment, mapping in (data.get("moment_cues") or {}).items():
        cue_map = _check_cue_map(mapping, f"moment_cues.{moment}", fname, problems, required=False)
        for lang, texts in cue_map.items():
            for text in texts:
                lemmas_ = _lemmatise_phrase(text, lang)
                if lemmas_:
                    moment_cues[lang].append(_cue(moment, lang, lemmas_, text, None))
    if problems:
        raise CodebookError(_with_lines(problems, fname, source))
    return Codebook(path=path, themes=themes, codes=codes, cues=cues, moment_cues=moment_cues)


def _yaml_lines(text: str) -> dict[str, int]:
    """The 1-based line of every node of a YAML document, by its path (``codes[3].valence``)."""
    lines: dict[str, int] = {}

    def walk(node, where: str) -> None:
        lines.setdefault(where, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{where}.{key.value}" if where else str(key.value)
                lines[name] = key.start_mark.line + 1
                walk(value, name)
                lines[name] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]")

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines
    if root is not None:
        walk(root, "")
    return lines


def _with_lines(problems: list[str], fname: str, text: str) -> list[str]:
    """``file: codes[3].valence: …`` → ``file:LINE:codes[3].valence: …`` with the line the field is on (or the
    nearest enclosing one that exists, for a field that is missing)."""
    lines = _yaml_lines(text)
    out = []
    for problem in problems:
        head = f"{fname}: "
        if not problem.startswith(head):
            out.append(problem)
            continue
        where, rest = problem[len(head):].split(": ", 1) if ": " in problem[len(head):] else ("", "")
        probe = where
        while probe and probe not in lines:
            probe = probe.rsplit(".", 1)[0] if "." in probe else (probe.rsplit("[", 1)[0] if "[" in probe else "")
        out.append(f"{fname}:{lines.get(probe, 1)}:{where}: {rest}" if where else problem)
    return out
