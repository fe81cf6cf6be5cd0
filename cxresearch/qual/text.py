"""Text handling for Finnish and English: sentences, tokens, lemmas, language, negation.

Lemmas come from simplemma (rule- and dictionary-based, no model download),
cached per word so that coding stays fast on large corpora. Language is
detected per segment by a small scorer of function words and Finnish letter
patterns — transparent and fast; its accuracy is measured in the tests.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ÿ0-9]+)*|n't|[.,!?;:]")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\"“])")

FI_FUNCTION = frozenset(
    "ja on ei oli se että kun mutta niin kuin myös vain jo sitten minä minun minua sinä hän me meidän he tämä "
    "tuo mitä mikä joka jos eikä eivät en et olla oli ollut ovat siellä täällä aivan tosi ihan vähän paljon "
    "koska vaikka miten mutta kanssa ilman jälkeen ennen aina koskaan nyt heti sen sitä siitä heti myös kyllä".split()
)
EN_FUNCTION = frozenset(
    "the and is was were are be been to of in on at for with it that this they we you i he she my our "
    "not no never but so as from by an a have has had do did does there their what when which who would "
    "could should will can very really just all any some".split()
)
FI_NEGATORS = frozenset("ei en et emme ette eivät eikä ettei jottei ilman älä tuskin".split())
EN_NEGATORS = frozenset("not no never n't nobody nothing none without hardly barely scarcely neither nor cannot".split())
#: How many tokens after a negator its scope reaches (within the clause).
NEGATION_SCOPE = 4
CLAUSE_BREAK = frozenset(",.;:!?") | frozenset({"but", "mutta", "vaikka", "although", "though"})


def sentences(text: str) -> list[str]:
    """Split a segment into sentences (on . ! ? followed by a capital)."""
    parts = [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
    return parts or ([text.strip()] if text.strip() else [])


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens and punctuation; English ``n't`` becomes its own token."""
    text = text.replace("’", "'")
    text = re.sub(r"(\w)n't\b", r"\1 n't", text)
    return [t.lower() for t in _TOKEN.findall(text)]


@lru_cache(maxsize=1)
def _lemmatizer():
    """simplemma with its dictionaries as MARISA tries cached on disk.

    simplemma's default loader decodes the Finnish dictionary (3.5 million
    forms) in pure Python on every start, about 4 s per process; the trie is
    built once (about 8 s) into the user cache folder and then opens in about
    0.01 s. The lemmas are the same: the same dictionary, another container.
    ``CXRESEARCH_LEMMA_CACHE`` moves the cache folder.
    """
    import os

    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    class _AtomicTrieFactory(TrieDictionaryFactory):
        """Writes the cached trie to a temporary name first, so a concurrent reader never sees half a file."""

        __slots__ = ()

        def _write_trie_to_disk(self, lang, trie) -> None:
            from cxresearch.cache import replacing

            with replacing(self._cache_dir / f"{lang}.dic") as tmp:
                trie.save(str(tmp))

    factory = _AtomicTrieFactory(disk_cache_dir=os.environ.get("CXRESEARCH_LEMMA_CACHE") or None)
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


@lru_cache(maxsize=200_000)
def lemma(token: str, lang: str) -> str:
    """simplemma's lemma of one lower-cased token (cached)."""
    if not token[:1].isalnum():
        return token
    if token == "n't":
        return "not"
    return _lemmatizer().lemmatize(token, lang=lang).lower()


def lemmas(tokens: list[str], lang: str) -> list[str]:
    """Lemmas of ``tokens`` in ``lang``."""
    return [lemma(t, lang) for t in tokens]


_FI_ENDING = re.compile(r"(ssa|ssä|sta|stä|lla|llä|lta|ltä|aan|ään|een|iin|oon|uun|yyn|öön|ksi|tta|ttä|nen)$")
_FI_DOUBLE = re.compile(r"(aa|ee|ii|oo|uu|yy|kk|tt|pp)")
_EN_SHAPE = re.compile(r"(th|w|ing$|tion$|ed$)")


@lru_cache(maxsize=200_000)
def _language_score(token: str) -> tuple[float, float]:
    """(Finnish, English) evidence of one lower-cased word."""
    fi = float(token in FI_FUNCTION)
    en = float(token in EN_FUNCTION)
    if "ä" in token or "ö" in token:
        fi += 1
    if _FI_ENDING.search(token):
        fi += 0.5
    if _FI_DOUBLE.search(token):
        fi += 0.3
    if _EN_SHAPE.search(token):
        en += 0.7
    return fi, en


def detect_language(text: str, default: str = "fi", tokens: list[str] | None = None) -> str:
    """``fi`` or ``en``: function words and Finnish letters (ä, ö, doubled vowels, case endings) score.

    Returns ``default`` when nothing decides (empty text, numbers only). ``tokens``: ``tokenize(text)``, when the
    caller has it already.
    """
    fi = en = 0.0
    seen = False
    for t in tokenize(text) if tokens is None else tokens:
        if t[:1].isalpha():
            seen = True
            a, b = _language_score(t)
            fi += a
            en += b
    if not seen or fi == en:
        return default
    return "fi" if fi > en else "en"


def negated_positions(tokens: list[str], lang: str) -> set[int]:
    """Token positions inside a negation's scope.

    English: the ``NEGATION_SCOPE`` tokens after ``not``/``never``/``nobody``/``n't`` …
    up to a clause break. Finnish: the same after ``ei``/``en``/``eivät``/``ilman`` …,
    and also the two tokens before the negation verb, because Finnish puts the
    object or subject first (*henkilökuntaa ei ole tarpeeksi*).
    """
    negators = FI_NEGATORS if lang == "fi" else EN_NEGATORS
    scoped: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok not in negators:
            continue
        for j in range(i + 1, min(len(tokens), i + 1 + NEGATION_SCOPE)):
            if tokens[j] in CLAUSE_BREAK:
                break
            scoped.add(j)
        if lang == "fi":
            for j in range(i - 1, max(-1, i - 3), -1):
                if tokens[j] in CLAUSE_BREAK:
                    break
                scoped.add(j)
    return scoped
