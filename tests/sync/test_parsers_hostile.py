"""Hostile feed input: arbitrary and mutated page bytes, and entities with arbitrary values,
go through the real page parser and into a real mirror database. The outcome is always
rows in the database or a :class:`PageError` with a reason — never another exception."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.store.mirror import PageRows, write_page
from kamerwatch.store.rawlog import compress_entry
from kamerwatch.subsystems import open_migrated
from kamerwatch.sync.pages import (
    PageError,
    build_page_rows,
    changes_from_raw,
    content_only,
    entry_slices,
)
from kamerwatch.sync.parsers import all_specs, spec_for
from kamerwatch.sync.parsers.base import (
    KIND_REF,
    KIND_REFS,
    KIND_REFS_BIJGEWERKT,
    CategorySpec,
)

DATA = Path(__file__).parent.parent / "data" / "syncfeed"
PAGES = {
    "Activiteit": (DATA / "activiteit_page.xml").read_bytes(),
    "Besluit": (DATA / "besluit_page.xml").read_bytes(),
    "Stemming": (DATA / "stemming_page.xml").read_bytes(),
}
SPECS = {spec.name: spec for spec in all_specs()}
PROPS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("hostile-feed") / "kamerwatch.sqlite3"
    with open_migrated(f"sqlite:///{path}") as db:
        yield db.conn


def parse_and_store(conn: sqlite3.Connection, body: bytes, category: str) -> PageRows | None:
    """The sync's own steps for one page: parse, then write in a transaction (rolled back
    so every example starts from the same empty mirror). None = refused with a reason."""
    try:
        rows = build_page_rows(body, category, None)
    except PageError as exc:
        assert exc.category == category and exc.problem
        return None
    assert isinstance(rows, PageRows)
    conn.execute("BEGIN")
    try:
        write_page(conn, rows)
    finally:
        conn.execute("ROLLBACK")
    # the raw log is re-parsable (what `sync --reparse` does)
    stored = [(raw[0], raw[3], raw[4], raw[5]) for raw in rows.raw]
    try:
        changes, _ = changes_from_raw(category, stored)
    except PageError:
        pytest.fail("a page that parsed must re-parse from the raw log")
    # the same rows and links, although the re-parse reads only <content> of each entry
    # (compared as text: Decimal("NaN") is not equal to itself)
    assert [repr(tuple(c)) for c in changes] == [repr(tuple(c)) for c in rows.changes]
    return rows


# -- arbitrary and mutated bytes ---------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    category = draw(st.sampled_from(sorted(PAGES)))
    body = bytearray(PAGES[category])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(body)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "truncate"]))
        span = draw(st.integers(1, 200))
        if op == "delete":
            del body[at : at + span]
        elif op == "truncate":
            del body[at:]
        elif op == "duplicate":
            body[at:at] = body[at : at + span]
        else:
            piece = draw(
                st.one_of(
                    st.binary(max_size=20),
                    st.text(max_size=20).map(str.encode),
                    st.sampled_from(
                        [
                            b"<",
                            b">",
                            b"&amp;",
                            b"&bogus;",
                            b"]]>",
                            b"<![CDATA[x]]>",
                            b'"',
                            b'xsi:nil="true"',
                            b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
                            b"&e;",
                            b"</entry><entry>",
                            b"</content>",
                            b'<link rel="next" href="?skiptoken=99999999999999999999999"/>',
                            b"skiptoken=18446744073709551616",
                            b'tk:verwijderd="true"',
                            b'id=""',
                            b"9" * 30,
                            b"-",
                            b"\x00",
                            b"\xff\xfe",
                        ]
                    ),
                )
            )
            if op == "insert":
                body[at:at] = piece
            else:
                body[at : at + len(piece)] = piece
    return category, bytes(body)


@PROPS
@given(mutated())
def test_mutated_pages_are_stored_or_refused_with_a_reason(
    conn: sqlite3.Connection, case: tuple[str, bytes]
) -> None:
    category, body = case
    parse_and_store(conn, body, category)
    entry_slices(body)  # the byte-level splitter copes with anything too


@PROPS
@given(st.sampled_from(sorted(SPECS)), st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_with_a_reason(
    conn: sqlite3.Connection, category: str, body: bytes
) -> None:
    assume(b"<feed" not in body)
    assert parse_and_store(conn, body, category) is None


def test_external_entities_are_not_resolved(conn: sqlite3.Connection) -> None:
    page = (
        PAGES["Besluit"]
        .replace(
            b"<feed",
            b"<!DOCTYPE feed [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><feed",
            1,
        )
        .replace(b"<rights>", b"<rights>&e;", 1)
    )
    rows = parse_and_store(conn, page, "Besluit")
    if rows is not None:
        assert all(b"root:" not in raw[5] for raw in rows.raw)


# -- well-formed pages with arbitrary values ----------------------------------------------

XML_TEXT = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\ufffe\uffff",
    ),
    max_size=30,
)
ODD = (
    "",
    " ",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e999999",
    "NaN",
    "Infinity",
    "1_000",
    "٣",
    "2023-02-30",
    "0000-00-00T00:00:00",
    "2023-13-01T25:61:61.1234567+99:99",
    "true ",
    "ja",
    "<script>alert(1)</script>",
    "9" * 5000,
)
ODD_VALUES = st.sampled_from(ODD)


def guid(seed: int) -> str:
    return str(uuid.UUID(int=seed % (1 << 128)))


@st.composite
def values_for(draw: st.DrawFn, spec: CategorySpec) -> dict[str, object]:
    values: dict[str, object] = {}
    for field in spec.fields:
        if not draw(st.booleans()):
            continue
        if field.kind == KIND_REF:
            values[field.attr] = draw(st.one_of(st.none(), XML_TEXT, st.integers().map(guid)))
        elif field.kind in (KIND_REFS, KIND_REFS_BIJGEWERKT):
            values[field.attr] = draw(
                st.lists(st.one_of(XML_TEXT, st.integers().map(guid)), max_size=3)
            )
        else:
            values[field.attr] = draw(st.one_of(st.none(), XML_TEXT, ODD_VALUES))
    return values


@st.composite
def pages_with_odd_values(draw: st.DrawFn) -> tuple[str, bytes, bool]:
    """(category, page, whether the envelope is sane): entities of any category with any
    field values; sometimes also an odd id, bijgewerkt, updated or skiptoken."""
    spec = SPECS[draw(st.sampled_from(sorted(SPECS)))]
    odd_envelope = draw(st.booleans())
    entries = []
    for n in range(draw(st.integers(1, 3))):
        ident = (
            draw(XML_TEXT) if odd_envelope and draw(st.booleans()) else guid(draw(st.integers()))
        )
        bijgewerkt = (
            draw(st.one_of(XML_TEXT, ODD_VALUES))
            if odd_envelope and draw(st.booleans())
            else "2024-02-19T10:56:00"
        )
        body = entity_xml(
            spec,
            draw(values_for(spec)),
            id=ident,
            bijgewerkt=bijgewerkt,
            verwijderd=draw(st.booleans()) and draw(st.booleans()),
            content_type=draw(st.none() | XML_TEXT) if spec.download else None,
            content_length=draw(st.none() | st.integers(0, 2**40)) if spec.download else None,
        )
        token = draw(st.integers(0, 2**70)) if odd_envelope and draw(st.booleans()) else 1000 + n
        updated = (
            draw(st.one_of(XML_TEXT, ODD_VALUES))
            if odd_envelope and draw(st.booleans())
            else "2024-02-19T09:56:00.0000000Z"
        )
        entries.append(
            entry_xml(spec, body, token=token, updated=updated, enclosure=spec.download, id=ident)
        )
    return (
        spec.name,
        feed_page(None, entries, None, updated="2024-02-19T10:00:00+01:00"),
        not odd_envelope,
    )


@PROPS
@given(pages_with_odd_values())
def test_any_field_values_are_stored_or_refused_with_a_reason(
    conn: sqlite3.Connection, case: tuple[str, bytes, bool]
) -> None:
    category, page, sane_envelope = case
    rows = parse_and_store(conn, page, category)
    if sane_envelope:
        # odd values inside an entity are kept (raw where they do not fit), never fatal
        assert rows is not None and len(rows.raw) >= 1


@pytest.mark.parametrize("category", sorted(SPECS))
def test_every_category_takes_a_skiptoken_beyond_64_bits_cleanly(
    conn: sqlite3.Connection, category: str
) -> None:
    spec = spec_for(category)
    body = entity_xml(spec, {}, id=guid(1), bijgewerkt="2024-02-19T10:56:00")
    entry = entry_xml(spec, body, token=2**64, updated="2024-02-19T09:56:00Z", enclosure=False)
    assert parse_and_store(conn, feed_page(None, [entry], None), category) is None


@pytest.mark.parametrize("category", sorted(SPECS))
def test_every_field_takes_every_odd_value(conn: sqlite3.Connection, category: str) -> None:
    """Each odd value in every field at once (plus a huge contentLength): the entity is
    stored, with what does not fit kept raw — the sync does not stop."""
    spec = SPECS[category]
    entries = []
    for n, odd in enumerate(ODD):
        values: dict[str, object] = {}
        for field in spec.fields:
            if field.kind == KIND_REF:
                values[field.attr] = odd
            elif field.kind in (KIND_REFS, KIND_REFS_BIJGEWERKT):
                values[field.attr] = [odd]
            else:
                values[field.attr] = odd
        body = entity_xml(
            spec,
            values,
            id=guid(n + 1),
            bijgewerkt="2024-02-19T10:56:00",
            content_type=odd if spec.download else None,
            content_length=2**70 if spec.download else None,
        )
        entries.append(
            entry_xml(spec, body, token=1000 + n, updated="2024-02-19T09:56:00Z", enclosure=False)
        )
    rows = parse_and_store(conn, feed_page(None, entries, None), category)
    assert rows is not None and len(rows.changes) == len(entries)


@pytest.mark.parametrize(
    "entry",
    [
        b"<atom:entry xmlns:atom='http://www.w3.org/2005/Atom'><atom:content/></atom:entry>",
        b"<entry xmlns='http://www.w3.org/2005/Atom'/>",
        b"<entry xmlns='http://www.w3.org/2005/Atom'><title>t</title></entry>",
        b"<entry xmlns='http://www.w3.org/2005/Atom'><contents>x</contents></entry>",
    ],
)
def test_content_only_leaves_unusual_entries_whole(entry: bytes) -> None:
    assert content_only(entry) == entry


def test_content_only_keeps_start_tag_and_content() -> None:
    entry = (
        b'<entry xmlns="http://www.w3.org/2005/Atom" xmlns:tk="urn:tk"><title>x</title>'
        b'<link rel="next" href="h"/><content type="application/xml"><tk:zaak id="x">'
        b"<tk:content>inner</tk:content></tk:zaak></content><link rel='enclosure'/></entry>"
    )
    assert content_only(entry) == (
        b'<entry xmlns="http://www.w3.org/2005/Atom" xmlns:tk="urn:tk">'
        b'<content type="application/xml"><tk:zaak id="x"><tk:content>inner</tk:content>'
        b"</tk:zaak></content></entry>"
    )


def test_reparse_falls_back_to_whole_entries_when_a_slice_breaks() -> None:
    """A comment before <content> that mentions it: the slice is not XML, the whole is."""
    spec = spec_for("Zaak")
    stamp = "2024-01-02T06:00:16Z"
    entity = entity_xml(spec, {}, id=str(uuid.uuid4()), bijgewerkt=stamp)
    good = entry_xml(spec, entity, token=7, updated=stamp, enclosure=False)
    broken = good.replace(b"<title>", b"<!-- <content> --><title>", 1)
    assert broken != good and content_only(broken) != broken
    whole, _ = changes_from_raw("Zaak", [(7, stamp, None, compress_entry(good))])
    sliced, _ = changes_from_raw("Zaak", [(7, stamp, None, compress_entry(broken))])
    assert [tuple(c) for c in sliced] == [tuple(c) for c in whole]
