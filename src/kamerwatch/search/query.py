"""The query language (one parser, also used by the alert monitors).

    belasting toeslagen         both words (Dutch word forms: belastingen, toeslag …)
    "hoge belasting"            exactly this phrase
    belasting OR accijns        either
    belasting NOT auto          the first without the second
    NEAR(stikstof boeren 5)     within 5 words of each other (default 10)
    bouw*                       words starting with "bouw"
    (a OR b) c                  grouping
    F-35, 's-Gravenhage, 2023D03702   words with dashes, dots or apostrophes are quoted for you

Parsing gives a tree; :func:`to_fts` turns it into an FTS5 MATCH expression in which every
user word is a quoted string, so nothing the user types reaches FTS5 as syntax. Plain words
match the stemmed column (and, from ``HEAD_MIN`` letters, the compounds they head: a prefix
of the exact text), phrases, prefixes and NEAR the exact (folded) text.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator
from dataclasses import dataclass, replace

from .analysis import NOT_PARTS, stem, words

# A plain word of at least this many letters also finds the compounds it heads
# ("stikstof" → "stikstofdepositie"): its exact text as a prefix, next to its stem. Shorter
# words would find too much that is no compound ("stem" → "stemming", "water" → "waterstof").
HEAD_MIN = 6
# ... unless the word itself is found in at least this many sources: then the index knows it
# (the vocabulary of search/index.py), every compound it heads already has it as a part,
# and the prefix would only add derivations ("minister" → "ministerie") at the price of
# merging the lists of every word that starts with it (bench/compounds.py: 3–5× slower).
HEAD_FREQUENT = 1000

TYPOGRAPHIC = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'"}
)
_TOKEN = re.compile(
    r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<open>\()|(?P<close>\))|(?P<near>NEAR\()|(?P<word>[^\s()"]+))'
)
MAX_TERMS = 64
MAX_DEPTH = 16  # nested parentheses (a deeper query would exhaust Python's recursion limit)


class QueryError(ValueError):
    """A query that cannot be understood; the message is Dutch and shown to the user."""


@dataclass(frozen=True)
class Term:
    text: str  # one folded word
    prefix: bool = False
    heads: bool = True  # False: no prefix for the compounds it heads (see ``frequent_heads``)


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    words: tuple[str, ...]
    distance: int


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    keep: Node
    drop: Node


Node = Term | Phrase | Near | And | Or | Not


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.translate(TYPOGRAPHIC)
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip():
                raise QueryError(f"onverwacht teken bij “{text[pos : pos + 10]}”")
            break
        pos = m.end()
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.terms = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            raise QueryError("geef een zoekterm")
        node = self.or_expr()
        if self.peek() is not None:
            kind, value = self.peek()  # type: ignore[misc]
            if kind == "close":
                raise QueryError("er staat een haakje ) te veel")
            raise QueryError(f"onverwacht “{value}”")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self._is_word("OR"):
            self.take()
            if self.peek() is None:
                raise QueryError("na OR hoort nog een zoekterm")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while True:
            tok = self.peek()
            if tok is None or tok[0] == "close" or self._is_word("OR"):
                break
            if self._is_word("AND"):
                self.take()
                continue
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_expr(self) -> Node:
        if self._is_word("NOT"):
            raise QueryError(
                "NOT heeft iets nodig om van af te trekken, bijvoorbeeld: belasting NOT auto"
            )
        node = self.unary()
        while self._is_word("NOT"):
            self.take()
            if self.peek() is None:
                raise QueryError("na NOT hoort nog een zoekterm")
            node = Not(node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() is None:
            raise QueryError("de zoekvraag houdt te vroeg op")
        kind, value = self.take()
        if kind == "open":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"te veel haakjes in elkaar (meer dan {MAX_DEPTH})")
            node = self.or_expr()
            self.depth -= 1
            if self.peek() is None or self.peek()[0] != "close":  # type: ignore[index]
                raise QueryError("er mist een haakje )")
            self.take()
            return node
        if kind == "close":
            raise QueryError("er staat een haakje ) te veel")
        if kind == "phrase":
            if not value.endswith('"') or len(value) < 2:
                raise QueryError('er mist een afsluitend aanhalingsteken "')
            return self._count(Phrase(tuple(words(value[1:-1]))) if words(value[1:-1]) else None)
        if kind == "near":
            return self.near()
        return self.word(value)

    def near(self) -> Node:
        items: list[str] = []
        distance = 10
        while True:
            tok = self.peek()
            if tok is None:
                raise QueryError("NEAR( mist een haakje )")
            kind, value = self.take()
            if kind == "close":
                break
            if kind == "word" and value.isdigit() and items:
                distance = min(int(value), 100)
                continue
            if kind in ("word", "phrase"):
                items.extend(words(value.strip('"')))
                continue
            raise QueryError(
                "in NEAR(…) passen alleen woorden en een afstand, bijvoorbeeld NEAR(stikstof boeren 5)"
            )
        if len(items) < 2:
            raise QueryError("NEAR(…) heeft minstens twee woorden nodig")
        return self._count(Near(tuple(items), distance))

    def word(self, value: str) -> Node:
        prefix = value.endswith("*")
        parts = words(value.rstrip("*"))
        if not parts:
            raise QueryError(f"“{value}” bevat geen letters of cijfers")
        if len(parts) > 1:  # F-35, 's-Gravenhage, kst-36200-5: quoted as a phrase
            return self._count(Phrase(tuple(parts)))
        return self._count(Term(parts[0], prefix))

    def _count(self, node: Node | None) -> Node:
        if node is None:
            raise QueryError("lege aanhalingstekens")
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError(f"te veel zoektermen (meer dan {MAX_TERMS})")
        return node

    def _is_word(self, word: str) -> bool:
        tok = self.peek()
        return tok is not None and tok[0] == "word" and tok[1] == word


def parse(text: str) -> Node:
    """The tree of a query; raises :class:`QueryError` with a Dutch message."""
    if len(text) > 1000:
        raise QueryError("de zoekvraag is te lang (meer dan 1000 tekens)")
    return _Parser(_tokens(text)).parse()


def heads_compounds(node: Term) -> bool:
    """Whether a plain word also finds the compounds that start with it (``HEAD_MIN``)."""
    text = node.text
    return (
        node.heads
        and not node.prefix
        and len(text) >= HEAD_MIN
        and text.isalpha()
        and text not in NOT_PARTS
    )


def head_candidates(node: Node) -> list[Term]:
    """The plain words of a query that would also be looked up as heads of compounds."""
    found: list[Term] = []

    def walk(n: Node) -> None:
        if isinstance(n, Term):
            if heads_compounds(n) and n not in found:
                found.append(n)
        elif isinstance(n, And | Or):
            for part in n.parts:
                walk(part)
        elif isinstance(n, Not):
            walk(n.keep)
            walk(n.drop)

    walk(node)
    return found


def without_heads(node: Node, frequent: Container[str]) -> Node:
    """``node`` with the words in ``frequent`` (found in at least ``HEAD_FREQUENT`` sources,
    as the engine counted) looked up by their stem only, not as heads of compounds."""
    if isinstance(node, Term):
        return replace(node, heads=False) if node.text in frequent else node
    if isinstance(node, And):
        return And(tuple(without_heads(p, frequent) for p in node.parts))
    if isinstance(node, Or):
        return Or(tuple(without_heads(p, frequent) for p in node.parts))
    if isinstance(node, Not):
        return Not(without_heads(node.keep, frequent), without_heads(node.drop, frequent))
    return node


def _q(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def to_fts(node: Node) -> str:
    """The FTS5 MATCH expression over the columns ``body`` (exact), ``stem`` and ``parts``."""
    if isinstance(node, Term):
        if node.prefix:
            return f"body:{_q(node.text)}*"
        # the word's stem, also inside compounds (``parts``, ranked lower: search/index.py),
        # and at the head of a compound whose other part the corpus does not know
        own = f"{{stem parts}}:{_q(stem(node.text))}"
        return f"({own} OR body:{_q(node.text)}*)" if heads_compounds(node) else own
    if isinstance(node, Phrase):
        return f"body:{_q(' '.join(node.words))}"
    if isinstance(node, Near):
        return f"body:NEAR({' '.join(_q(w) for w in node.words)}, {node.distance})"
    if isinstance(node, And):
        return "(" + " AND ".join(to_fts(p) for p in node.parts) + ")"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts(p) for p in node.parts) + ")"
    return f"({to_fts(node.keep)} NOT {to_fts(node.drop)})"


def positive_leaves(node: Node) -> Iterator[Term | Phrase | Near]:
    """The words, phrases and NEAR groups of a query in order, except those after NOT."""
    if isinstance(node, Term | Phrase | Near):
        yield node
    elif isinstance(node, And | Or):
        for part in node.parts:
            yield from positive_leaves(part)
    else:
        yield from positive_leaves(node.keep)


def highlight_terms(node: Node) -> tuple[set[str], set[str], tuple[str, ...]]:
    """(stems, exact words, prefixes) that a snippet should mark (not those after NOT)."""
    stems: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    for n in positive_leaves(node):
        if isinstance(n, Term):
            if n.prefix:
                prefixes.append(n.text)
            else:
                stems.add(stem(n.text))
                if heads_compounds(n):
                    prefixes.append(n.text)
        else:
            exact.update(n.words)
    return stems, exact, tuple(prefixes)
