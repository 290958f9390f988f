"""Text analysis shared by the index and the queries: the same words, folded the way the
FTS5 ``unicode61 remove_diacritics 2`` tokenizer folds them, and their Dutch stems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import lru_cache

import Stemmer

# letters and digits: FTS5's unicode61 tokenizer also splits on "_" (a connector, not a
# letter), and PostgreSQL must see the very same words
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("dutch")

# The version of the rules below (words, stems, compound parts). The index stores the version
# it was built with; when the rules change, the next index run rebuilds it once by itself.
# 2: "_" separates words; a known head or tail of 6+ letters is a part (edge_parts).
RULES = 2


def fold(text: str) -> str:
    """Lower case without diacritics ("Één" → "een")."""
    if text.isascii():  # most words: nothing to decompose
        return text.lower()
    # compatibility forms may decompose to capitals ("ℐ" → "I"): fold case again after
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words, split like the index splits them (runs of letters and digits)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stemmed(text: str | None) -> str:
    """The stem of every word, space separated (the ``stem`` column of the index)."""
    if not text:
        return ""
    return " ".join(stem(w) for w in words(text))


# ----------------------------------------------------------------------------- compounds
# Dutch writes compounds as one word ("stikstofuitstoot"). The index adds the known words a
# compound is made of as extra, lower-weighted terms, so "stikstof" and "uitstoot" find it
# too (after the texts that have the word itself). "Known" means: the part occurs as a word
# of its own somewhere in the corpus (the vocabulary, table ``search_word``).

MIN_PART = 4  # letters of every part: no "bel" + "eid" out of "beleid"
MAX_WORD = 40  # longer "words" are codes or junk, never split and not kept in the vocabulary
LINKS = ("", "s", "e", "en")  # the Dutch linking sounds between parts (arbeid-s-markt)
INFLECTIONS = ("en", "s", "e", "n")  # woning-en, akkoord-en, regeling-en, ministerie-s
# never a part: prepositions and particles that make words of their own ("onderwijs" is no
# "onder" + "wijs", "voorstel" no "voor" + "stel") and suffixes that are also words
NOT_PARTS = frozenset(
    [
        "aan",
        "achter",
        "binnen",
        "boven",
        "buiten",
        "door",
        "over",
        "onder",
        "tegen",
        "voor",
        "naar",
        "mede",
        "samen",
        "rond",
        "toe",
        "weder",
        "weer",
        "heid",
        "schap",
        "lijk",
        "baar",
        "loos",
        "ling",
        "matig",
        "waardig",
    ]
)


def vocabulary_words(text_words: list[str]) -> set[str]:
    """The words of a text that may be the part of a compound: letters only, 4-40 long."""
    return {w for w in text_words if MIN_PART <= len(w) <= MAX_WORD and w.isalpha()}


def split_compound(word: str, vocabulary: Container[str]) -> tuple[str, ...]:
    """The known words ``word`` is made of (fewest parts; among those the longest first
    part), each at least ``MIN_PART`` letters and in ``vocabulary``, joined directly or by a
    linking -s-, -e- or -en-, none of them in ``NOT_PARTS``; ``()`` when it is no such
    compound."""
    if not (2 * MIN_PART <= len(word) <= MAX_WORD and word.isalpha()):
        return ()
    memo: dict[str, tuple[str, ...] | None] = {}

    def best(rest: str, whole_allowed: bool) -> tuple[str, ...] | None:
        if whole_allowed and rest in vocabulary and rest not in NOT_PARTS:
            return (rest,)
        if whole_allowed and rest in memo:
            return memo[rest]
        found: tuple[str, ...] | None = None
        for i in range(len(rest) - MIN_PART, MIN_PART - 1, -1):
            head = rest[:i]
            if head not in vocabulary or head in NOT_PARTS:
                continue
            for link in LINKS:
                if not rest.startswith(link, i):
                    continue
                tail = rest[i + len(link) :]
                if len(tail) < MIN_PART:
                    continue
                sub = best(tail, True)
                if sub is not None and (found is None or len(sub) + 1 < len(found)):
                    found = (head, *sub)
        if whole_allowed:
            memo[rest] = found
        return found

    return best(word, False) or ()


# A compound whose other part is not (yet) a word of its own in the corpus still has a known
# head or tail: "stikstofdepositie" starts with "stikstof" even when "depositie" never stands
# alone. Such one-sided parts must be longer (EDGE_MIN letters), and the rest must be no
# suffix that makes a derived word rather than a compound ("duurzaam-heid", "minister-iele").
EDGE_MIN = 6
SUFFIXES = frozenset(
    [
        "heid",
        "heden",
        "lijk",
        "lijke",
        "elijk",
        "elijke",
        "baar",
        "bare",
        "schap",
        "isch",
        "ische",
        "iele",
        "ieel",
        "ling",
        "lingen",
        "ingen",
        "tjes",
        "achtig",
        "achtige",
        "loos",
        "loze",
        "matig",
        "matige",
        "waardig",
        "waardige",
        "ster",
        "sters",
        "erij",
        "ering",
        "eringen",
        "ende",
        "enden",
        "tie",
        "ties",
    ]
)


DERIVING = tuple(sorted(SUFFIXES))  # "verantwoord-elijkheid" is no compound either


def edge_parts(word: str, vocabulary: Container[str]) -> tuple[str, ...]:
    """The longest known word of at least ``EDGE_MIN`` letters that ``word`` starts with,
    and the longest it ends with, when the rest (after a linking -s-, -e- or -en-) is at
    least ``MIN_PART`` letters, does not start with one of the ``SUFFIXES`` and is no
    ``NOT_PARTS``; ``()`` when neither.
    For compounds that :func:`split_compound` cannot split for want of the other part."""
    if not (EDGE_MIN + MIN_PART <= len(word) <= MAX_WORD and word.isalpha()):
        return ()
    found: list[str] = []
    for i in range(len(word) - MIN_PART, EDGE_MIN - 1, -1):
        head = word[:i]
        if head in NOT_PARTS or head not in vocabulary:
            continue
        rests = (word[i + len(link) :] for link in LINKS if word.startswith(link, i))
        if any(len(r) >= MIN_PART and not r.startswith(DERIVING) for r in rests):
            found.append(head)
            break
    for i in range(MIN_PART, len(word) - EDGE_MIN + 1):
        tail = word[i:]
        if tail in NOT_PARTS or tail not in vocabulary:
            continue
        fronts = (word[: i - len(link)] for link in LINKS if word[:i].endswith(link))
        if any(len(f) >= MIN_PART and f not in NOT_PARTS for f in fronts):
            if tail not in found:
                found.append(tail)
            break
    return tuple(found)


class Decompounder:
    """:func:`split_compound` (else :func:`edge_parts`) over one vocabulary, where a word is also known when its
    plural or inflected form occurs (``INFLECTIONS``), with every word's parts kept: what a compound
    adds to the index is its parts and, recursively, the parts of those."""

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = vocabulary
        self._parts: dict[str, tuple[str, ...]] = {}

    def __contains__(self, word: object) -> bool:
        """A known word: in the vocabulary, or its plural or inflected form is ("woning"
        when only "woningen" occurs)."""
        vocabulary = self.vocabulary
        return word in vocabulary or (
            isinstance(word, str) and any(word + end in vocabulary for end in INFLECTIONS)
        )

    def add(self, words: set[str]) -> None:
        new = words - self.vocabulary
        if new:
            self.vocabulary |= new
            self._parts.clear()  # a new word may split a compound that did not split before

    def parts(self, word: str) -> tuple[str, ...]:
        """Every known word inside ``word`` (its parts and theirs), in order, no repeats."""
        found = self._parts.get(word)
        if found is None:
            out: list[str] = []
            for part in split_compound(word, self) or edge_parts(word, self):
                for w in (part, *self.parts(part)):
                    if w not in out:
                        out.append(w)
            found = self._parts[word] = tuple(out)
        return found
