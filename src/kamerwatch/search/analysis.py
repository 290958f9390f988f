"""Text analysis shared by the index and the queries: the same words, folded the way the
FTS5 ``unicode61 remove_diacritics 2`` tokenizer folds them, and their Dutch stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("dutch")


def fold(text: str) -> str:
    """Lower case without diacritics ("Één" → "een")."""
    if text.isascii():  # most words: nothing to decompose
        return text.lower()
    # compatibility forms may decompose to capitals ("ℐ" → "I"): fold case again after
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words, split like the index splits them (letters and digits; "_" too)."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


def stemmed(text: str | None) -> str:
    """The stem of every word, space separated (the ``stem`` column of the index)."""
    if not text:
        return ""
    return " ".join(stem(w) for w in words(text))
