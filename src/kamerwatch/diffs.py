"""Word-by-word differences between two texts (pure): the version diffs of issue #27.

Bounded cost on huge texts: the texts are compared sentence by sentence (and line by line) first (``difflib`` on
hashed lines is close to linear), and only the changed blocks are compared word by word —
each at most :data:`BLOCK_WORDS` words a side; a larger changed block is shown as deleted
and inserted whole. Texts beyond :data:`MAX_WORDS` words are cut (``cut`` says so)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

EQUAL, INSERT, DELETE = "gelijk", "erbij", "eraf"
MAX_WORDS = 200_000
BLOCK_WORDS = 4_000
MAX_SEGMENTS = 20_000  # sentences a side in the changed middle; more: replaced whole
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True, slots=True)
class Piece:
    op: str  # gelijk | erbij | eraf
    text: str


@dataclass(frozen=True, slots=True)
class WordDiff:
    pieces: list[Piece]
    inserted: int  # words
    deleted: int
    cut: bool  # a text was longer than MAX_WORDS words: only its start was compared

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


_SEGMENT = re.compile(r"[^\n.!?;]*(?:[.!?;]+\S*\s*|\n|$)")


def _lines(text: str) -> list[str]:
    """Sentences and lines (with their trailing space): the units compared first."""
    return [s for s in _SEGMENT.findall(text) if s]


def _count(tokens: list[str]) -> int:
    return sum(1 for t in tokens if not t.isspace())


def word_diff(old: str, new: str) -> WordDiff:
    cut = False
    a_lines, b_lines = _lines(old), _lines(new)
    if len(_words(old)) > MAX_WORDS or len(_words(new)) > MAX_WORDS:
        cut = True
        a_lines = _lines(" ".join(_words(old)[:MAX_WORDS]))
        b_lines = _lines(" ".join(_words(new)[:MAX_WORDS]))
    pieces: list[Piece] = []
    inserted = deleted = 0

    def add(op: str, text: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    head = 0  # common start and end: compared in linear time, the rest by difflib
    while head < min(len(a_lines), len(b_lines)) and a_lines[head] == b_lines[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(a_lines), len(b_lines)) - head
        and a_lines[len(a_lines) - 1 - tail] == b_lines[len(b_lines) - 1 - tail]
    ):
        tail += 1
    add(EQUAL, "".join(a_lines[:head]))
    a_mid = a_lines[head : len(a_lines) - tail]
    b_mid = b_lines[head : len(b_lines) - tail]
    opcodes: list[tuple[str, int, int, int, int]] = [("replace", 0, len(a_mid), 0, len(b_mid))]
    if len(a_mid) <= MAX_SEGMENTS and len(b_mid) <= MAX_SEGMENTS:
        matcher = difflib.SequenceMatcher(None, a_mid, b_mid, autojunk=False)
        opcodes = list(matcher.get_opcodes())
    a_end = a_lines[len(a_lines) - tail :] if tail else []
    a_lines, b_lines = a_mid, b_mid
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            add(EQUAL, "".join(a_lines[i1:i2]))
            continue
        a = _words("".join(a_lines[i1:i2]))
        b = _words("".join(b_lines[j1:j2]))
        if len(a) > BLOCK_WORDS or len(b) > BLOCK_WORDS or not a or not b:
            add(DELETE, "".join(a))
            add(INSERT, "".join(b))
            deleted += _count(a)
            inserted += _count(b)
            continue
        a_key = [t.strip() for t in a]
        b_key = [t.strip() for t in b]
        words = difflib.SequenceMatcher(None, a_key, b_key, autojunk=False)
        for wtag, k1, k2, m1, m2 in words.get_opcodes():
            if wtag == "equal":
                add(EQUAL, "".join(b[m1:m2]))
                continue
            add(DELETE, "".join(a[k1:k2]))
            add(INSERT, "".join(b[m1:m2]))
            deleted += _count(a[k1:k2])
            inserted += _count(b[m1:m2])
    add(EQUAL, "".join(a_end))
    return WordDiff(pieces, inserted, deleted, cut)


def excerpt(diff: WordDiff, limit: int = 400, context: int = 6) -> str:
    """A short plain-text "wat is er veranderd": the first changes with a few words of
    context, deletions as ``[-…-]`` and insertions as ``{+…+}`` (one line)."""
    parts: list[str] = []
    size = 0
    for n, piece in enumerate(diff.pieces):
        text = " ".join(piece.text.split())
        if not text:
            continue
        if piece.op == EQUAL:
            words = text.split(" ")
            before = n > 0
            after = n + 1 < len(diff.pieces)
            if before and after and len(words) > 2 * context:
                text = " ".join(words[:context]) + " … " + " ".join(words[-context:])
            elif after and len(words) > context:
                text = "… " + " ".join(words[-context:])
            elif before and len(words) > context:
                text = " ".join(words[:context]) + " …"
        elif piece.op == DELETE:
            text = f"[-{text}-]"
        else:
            text = f"{{+{text}+}}"
        parts.append(text)
        size += len(text) + 1
        if size >= limit:
            break
    out = " ".join(parts)
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"
