"""The re-parse's fast path (:mod:`kamerwatch.sync.parsers.plain`) against the lxml walk:
for any entry it accepts, exactly the same result; anything unusual is left to lxml."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from kamerwatch.sample.xmlwriter import entity_xml, entry_xml
from kamerwatch.sync.parsers import all_specs, spec_for
from kamerwatch.sync.parsers.base import SAFE_PARSER, CategorySpec, extract, find_entity_element
from kamerwatch.sync.parsers.plain import extract_plain

from .test_parsers_hostile import PROPS, SPECS, XML_TEXT, guid, values_for

STAMP = "2024-02-19T10:56:00"


def lxml_result(spec: CategorySpec, entry: bytes) -> str:
    entity = find_entity_element(etree.fromstring(entry, parser=SAFE_PARSER))
    assert entity is not None
    return repr(extract(spec, entity))


def plain_entry(spec: CategorySpec, values: dict[str, object], **kw: object) -> bytes:
    entity = entity_xml(spec, values, id=str(kw.pop("id", guid(7))), bijgewerkt=STAMP, **kw)  # type: ignore[arg-type]
    return entry_xml(spec, entity, token=42, updated=STAMP + "Z", enclosure=spec.download)


@st.composite
def entries(draw: st.DrawFn) -> tuple[CategorySpec, bytes]:
    spec = SPECS[draw(st.sampled_from(sorted(SPECS)))]
    ident = draw(st.one_of(XML_TEXT, st.integers().map(guid)))
    body = entity_xml(
        spec,
        draw(values_for(spec)),
        id=ident,
        bijgewerkt=draw(st.one_of(st.just(STAMP), XML_TEXT)),
        verwijderd=draw(st.booleans()) and draw(st.booleans()),
        content_type=draw(st.none() | XML_TEXT) if spec.download else None,
        content_length=draw(st.none() | st.integers(0, 2**70)) if spec.download else None,
    )
    entry = entry_xml(spec, body, token=1, updated=STAMP + "Z", enclosure=spec.download, id=ident)
    return spec, entry


@PROPS
@given(entries())
def test_any_entity_reads_as_lxml_reads_it(case: tuple[CategorySpec, bytes]) -> None:
    spec, entry = case
    found = extract_plain(spec, entry)
    if found is not None:
        assert repr(found) == lxml_result(spec, entry)


@pytest.mark.parametrize("spec", all_specs(), ids=lambda s: s.name)
def test_the_live_shape_takes_the_fast_path(spec: CategorySpec) -> None:
    """One value in every field (a nil, a relation, an odd value), as the live feed writes."""
    values: dict[str, object] = {}
    for n, field in enumerate(spec.fields):
        if "/" in field.xml or field.kind == "refs_bijgewerkt":
            continue  # nested groups and stamped relations: lxml
        if field.kind == "ref":
            values[field.attr] = guid(n)
        elif field.kind == "refs":
            values[field.attr] = [guid(n), guid(n + 100)]
        else:
            values[field.attr] = (None, "ja", "2024-01-02T03:04:05", "12")[n % 4]
    entry = plain_entry(spec, values)
    found = extract_plain(spec, entry)
    assert found is not None
    assert repr(found) == lxml_result(spec, entry)
    tombstone = plain_entry(spec, {}, verwijderd=True)
    assert repr(extract_plain(spec, tombstone)) == lxml_result(spec, tombstone)


ZAAK = spec_for("Zaak")
GOOD = plain_entry(ZAAK, {"soort": "Motie", "nummer": None, "volgnummer": "3"})


@pytest.mark.parametrize(
    "before, after",
    [
        (b"<soort>Motie</soort>", b"<soort>Motie &amp; meer</soort>"),  # entity reference
        (b"<soort>Motie</soort>", b"<soort><![CDATA[Motie]]></soort>"),
        (b"<soort>Motie</soort>", b"<soort>Mo<!-- x -->tie</soort>"),
        (b"<soort>Motie</soort>", b"<soort>Mo\r\ntie</soort>"),  # XML normalises \r
        (b"<soort>Motie</soort>", b"<onbekend>x</onbekend><soort>Motie</soort>"),
        (b"<soort>Motie</soort>", b"<soort><b>Motie</b></soort>"),
        (b"<soort>Motie</soort>", b'<soort xmlns:p="urn:p" p:x="1">Motie</soort>'),
        (b"<soort>Motie</soort>", b"<soort>Motie</soort><soort x='1'>Brief</soort>"),
        (b"<soort>Motie</soort>", b"<q:soort>Motie</q:soort>"),  # unbound prefix
        (b'<content type="application/xml">', b'<!-- <content> --><content type="a">'),
        (b"</content></entry>", b"</content><link rel='x'/></entry>"),
        (b"<title>", b"<title>content "),  # another "content" before <content>
    ],
)
def test_unusual_markup_is_left_to_lxml(before: bytes, after: bytes) -> None:
    assert before in GOOD
    assert extract_plain(ZAAK, GOOD.replace(before, after, 1)) is None


def test_repeats_nils_and_empty_elements_as_lxml() -> None:
    entry = GOOD.replace(
        b"<soort>Motie</soort>",
        b"<soort>Motie</soort><soort>Brief</soort><soort/><titel></titel><citeertitel />"
        b'<alias xsi:nil="1" /><onderwerp xsi:nil="false" /><afgedaan>misschien</afgedaan>'
        b'<kamerstukdossier ref="a" /><kamerstukdossier ref="b" /><activiteit ref="" />'
        b'<activiteit ref="c" /><activiteit/><activiteit ref="d" />',
        1,
    )
    found = extract_plain(ZAAK, entry)
    assert found is not None
    assert repr(found) == lxml_result(ZAAK, entry)
    extra = {"soort#2": "Brief", "soort#3": "", "!afgedaan": "misschien"}
    assert found.extra == {**extra, "kamerstukdossier#2": "b"}


def test_an_entity_without_id_or_with_an_odd_stamp_is_left_to_lxml() -> None:
    no_id = GOOD.replace(b' id="', b' ident="', 1)
    assert extract_plain(ZAAK, no_id) is None
    stamp = f'bijgewerkt="{STAMP}"'.encode()
    odd = plain_entry(ZAAK, {}, id=str(uuid.uuid4())).replace(stamp, b'bijgewerkt="gisteren"')
    assert extract_plain(ZAAK, odd) is None
