"""Which items are new for a monitor: each distinct query evaluated once per window.

The window of a monitor runs from the sync position it saw last (its ``cursor``, one
feed position per category) to the current sync position. Monitors with the same kind,
value and cursor share one evaluation, however many users follow them.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from kamerwatch.search.engine import matching_documents
from kamerwatch.search.query import QueryError, parse
from kamerwatch.store import alert_matches as m
from kamerwatch.store import woo as woo_store
from kamerwatch.store.alert_matches import MatchRow, Window
from kamerwatch.store.db import Connection

from .models import QUESTION_TERM

log = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_OPERATORS = {"and", "or", "en", "of", "not", "niet"}


def tokens(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _parse_query(query: str) -> tuple[list[list[str]], list[list[str]]]:
    """(required, excluded) phrases, each a list of tokens; bare words are one-word phrases."""
    required: list[list[str]] = []
    excluded: list[list[str]] = []
    for neg_phrase, phrase, neg_word, word in _TERM.findall(query):
        words = tokens(phrase if phrase or neg_phrase else word)
        if not words or (not phrase and words[0] in _OPERATORS and len(words) == 1):
            continue
        (excluded if (neg_phrase or neg_word) else required).append(words)
    return required, excluded


def _contains(haystack: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(haystack[i : i + n] == phrase for i in range(len(haystack) - n + 1))


class _SearchCache:
    """The new documents of a window, tokenised once per run for every ``zoek`` monitor."""

    def __init__(self) -> None:
        self._docs: dict[str, list[tuple[MatchRow, list[str], frozenset[str]]]] = {}

    def documents(
        self, conn: Connection, window: Window
    ) -> list[tuple[MatchRow, list[str], frozenset[str]]]:
        key = repr(sorted(window.bounds("Document")))
        if key not in self._docs:
            found = [(row, tokens(text)) for row, text in m.documents_in_window(conn, window)]
            self._docs[key] = [(row, words, frozenset(words)) for row, words in found]
        return self._docs[key]


_CACHE = _SearchCache()


_TAG = re.compile(r"<[^>]*>")


def snippet_text(snippet: str) -> str:
    """The search page's snippet (escaped HTML with ``<mark>``) as plain text: the mail and
    the RSS escape it once themselves."""
    return html.unescape(_TAG.sub("", snippet))


def match_search(conn: Connection, query: str, since: Window) -> list[MatchRow]:
    """New documents matching a ``zoek`` query, with the search page's query language and
    full-text index (so also the converted text). Documents the index does not know yet
    (no ``kamerwatch index`` since they arrived) are judged by their onderwerp, titel and
    number with :func:`_match_titles`, so nothing new is missed."""
    try:
        node = parse(query)
    except QueryError:
        return []
    rows = [row for row, _words, _vocabulary in _CACHE.documents(conn, since)]
    refs = [row.item_key.split(":", 1)[1] for row in rows]
    found, indexed = matching_documents(conn, node, refs)
    why = f"past bij de zoekopdracht {query}"
    hits = [
        MatchRow(row.item_key, row.kind, row.nummer, row.onderwerp, snippet_text(found[ref]), why)
        for row, ref in zip(rows, refs, strict=True)
        if ref in found
    ]
    if len(indexed) < len(refs):
        hits += [
            h
            for h in _match_titles(conn, query, since)
            if h.item_key.split(":", 1)[1] not in indexed
        ]
    return hits + _match_woo(conn, node, query, since, why)


def _woo_bounds(window: Window) -> tuple[int, int] | None:
    """The Woo positions of a window; None for a monitor made before Woo was harvested
    (it starts following Woo from now on, not with everything ever published)."""
    if "Woo" not in window.lo:
        return None
    return window.bounds("Woo")


def _woo_row(c: woo_store.Changed, why: str, snippet: str = "") -> MatchRow:
    plain = " · ".join(p for p in (c.organisatie, c.soort, c.datum[:10]) if p)
    return MatchRow(f"woo:{c.id}", "woo", c.id, c.titel, snippet or plain, why)


def _match_woo(
    conn: Connection, node: object, query: str, since: Window, why: str
) -> list[MatchRow]:
    """New or changed Woo publications matching a ``zoek`` query: through the index (also
    their files' text); not yet indexed ones by their title, descriptions and organisation."""
    bounds = _woo_bounds(since)
    if bounds is None:
        return []
    changed = woo_store.changed_between(conn, *bounds)
    found, indexed = matching_documents(conn, node, [c.id for c in changed], kind="woo")  # type: ignore[arg-type]
    required, excluded = _parse_query(query)
    hits = []
    for c in changed:
        if c.id in found:
            hits.append(_woo_row(c, why, found[c.id]))
        elif c.id not in indexed and required:
            words = tokens(c.text)
            if all(_contains(words, p) for p in required) and not any(
                _contains(words, p) for p in excluded
            ):
                hits.append(_woo_row(c, why))
    return hits


def _organisatie(conn: Connection, value: str, window: Window) -> list[MatchRow]:
    bounds = _woo_bounds(window)
    if bounds is None:
        return []
    return [
        _woo_row(c, f"Woo-publicatie van {c.organisatie}")
        for c in woo_store.changed_between(conn, *bounds, organisatie=value)
    ]


def _match_titles(conn: Connection, query: str, since: Window) -> list[MatchRow]:
    """Every word (or "quoted phrase") of the query in the onderwerp, titel, citeertitel or
    number of the document, as whole tokens; ``-word`` excludes."""
    required, excluded = _parse_query(query)
    if not required:
        return []
    why = f"bevat {' '.join(' '.join(p) for p in required)}"
    needed = frozenset(w for p in required for w in p)
    hits = []
    for row, words, vocabulary in _CACHE.documents(conn, since):
        if not needed <= vocabulary:
            continue
        if all(_contains(words, p) for p in required) and not any(
            _contains(words, p) for p in excluded
        ):
            hits.append(
                MatchRow(row.item_key, row.kind, row.nummer, row.onderwerp, row.snippet, why)
            )
    return hits


def _ksd(conn: Connection, value: str, window: Window) -> list[MatchRow]:
    nummer, _, toevoeging = value.partition("-")
    return m.kamerstukdossier_documents(conn, int(nummer), toevoeging, window)


def _toezeggingen(conn: Connection, value: str, window: Window) -> list[MatchRow]:
    scope, _, rest = value.partition(":")
    return m.toezegging_items(conn, scope, rest, window)


def _vraag(
    conn: Connection, value: str, window: Window, created: str, now: datetime
) -> list[MatchRow]:
    found = m.question(conn, value)
    if found is None:
        return []
    ident, datum, onderwerp = found
    rows = m.question_replies(conn, ident, window)
    if rows or not datum:
        return rows
    due = date.fromisoformat(datum[:10]) + QUESTION_TERM
    if created[:10] < due.isoformat() <= now.date().isoformat() and not m.question_has_reply(
        conn, ident
    ):
        why = f"termijn van drie weken verstreken op {due.isoformat()} zonder antwoord of uitstel"
        rows.append(MatchRow(f"termijn:{ident}", "termijn", value, onderwerp, "", why))
    return rows


_SIMPLE: dict[str, Callable[[Connection, str, Window], list[MatchRow]]] = {
    "zoek": match_search,
    "zaak": m.zaak_documents,
    "persoon": m.persoon_items,
    "commissie": m.commissie_items,
    "activiteit": m.activiteit_items,
    "kamerstukdossier": _ksd,
    "toezeggingen": _toezeggingen,
    "organisatie": _organisatie,
}


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _agenda(
    conn: Connection, value: str, window: Window, now: datetime, reminder_days: int
) -> list[MatchRow]:
    """Placed on an agenda, the reminder before the debate, a debate moved or cancelled
    (``value``: a zaak number, or a dossier number with its optional toevoeging)."""
    kind = "zaak" if "Z" in value else "kamerstukdossier"
    if kind == "zaak":
        args: tuple[object, ...] = (value,)
        label = f"zaak {value}"
    else:
        nummer, _, toevoeging = value.partition("-")
        args = (int(nummer), toevoeging)
        label = f"kamerstukdossier {value}"
    today = now.astimezone(AMSTERDAM).date()
    until = today + timedelta(days=max(0, reminder_days))
    return m.agenda_items(conn, kind, args, label, window, today.isoformat(), until.isoformat())


def evaluate(
    conn: Connection,
    kind: str,
    value: str,
    window: Window,
    created: str,
    now: datetime,
    reminder_days: int = 1,
) -> list[MatchRow]:
    """The items of one distinct query in one window (deduplicated by item)."""
    if kind == "vraag":
        rows = _vraag(conn, value, window, created, now)
    elif kind == "agenda":
        rows = _agenda(conn, value, window, now, reminder_days)
    else:
        rows = _SIMPLE[kind](conn, value, window)
    seen: set[str] = set()
    out = []
    for row in rows:
        if row.item_key not in seen:
            seen.add(row.item_key)
            out.append(row)
    return out


def reset_cache() -> None:
    """Forget tokenised windows (once per run)."""
    _CACHE._docs.clear()
