"""The real open.overheid.nl samples parse into the facts a reader sees in the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamerwatch.woo import parse
from kamerwatch.woo.parse import WooParseError

DATA = Path(__file__).parent.parent / "data" / "woo"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def test_the_real_listing_page() -> None:
    page = parse.listing(read("tkconv_comment_zoek_list_excerpt.json"))
    assert page.totaal == 663177
    assert not page.rejected
    (item,) = page.items
    assert item.id == "eef2edec-019e-4085-8e2e-4d3f42686431_1"
    assert item.uuid == "eef2edec-019e-4085-8e2e-4d3f42686431"
    assert item.titel == "Kaart Oudemolen 10km"
    assert item.openbaarmakingsdatum == "2026-03-21"
    assert item.publisher == "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"
    assert item.aanbieder == "Aanleverloket"
    assert item.mutatiedatumtijd == "2026-03-21T09:23:36.587Z"
    assert item.bestandsgrootte == "0.94 MB"
    assert item.aantal_paginas == 1
    assert item.bestandstype == "application/pdf"
    assert item.omschrijving is not None and item.omschrijving.startswith("Deze kaart toont")
    assert item.extra == {}


def test_the_real_detail() -> None:
    d = parse.detail(read("tkconv_comment_zoek_detail_eef2edec.json"))
    assert d.id == "eef2edec-019e-4085-8e2e-4d3f42686431"
    assert d.titel == "Kaart Oudemolen 10km"
    assert d.verantwoordelijke is not None
    assert (
        d.verantwoordelijke.label == "ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"
    )
    assert d.verantwoordelijke.id == "https://identifier.overheid.nl/tooi/id/ministerie/mnre1153"
    assert d.opsteller is not None and d.opsteller.label == "Onbekend"
    assert [s.label for s in d.documentsoorten] == ["kaart"]
    assert [c.label for c in d.informatiecategorieen] == [
        "ontwerpen van wet- en regelgeving met adviesaanvraag"
    ]
    assert [t.label for t in d.themas] == ["Onbekend"]
    assert d.omschrijvingen[0].endswith("op een locatie in Oudemolen.")
    assert d.aanbieder == "Aanleverloket"
    assert d.publicatiestatus == "gepubliceerd"
    assert d.dcn_id == "plooi-api-eef2edec-019e-4085-8e2e-4d3f42686431"
    assert d.parent == "b2e91e90-a433-4985-91ed-5c1bffbc72a4"
    assert d.relaties[0].role_label == "is bijlage bij"
    assert d.openbaarmakingsdatum == "2026-03-21"
    assert d.mutatiedatumtijd == "2026-03-21T09:23:36.587641713Z"
    (f,) = d.bestanden
    assert f.url == "https://open.overheid.nl/documenten/eef2edec-019e-4085-8e2e-4d3f42686431/file"
    assert f.bestandsnaam == "KAART_2026_AI_Oudemolen_NB_I_10KM.pdf"
    assert f.grootte == 985738
    assert f.hash == "0c2f34fe8af84928dc2ea835836ca6ed1c457f4d"
    assert f.mime_type == "application/pdf"
    assert f.paginas == 1 and f.gepubliceerd
    assert not d.is_tweede_kamer_copy
    # fields we do not model are kept, not lost
    assert d.extra["document.language"]["label"] == "Nederlands"
    assert d.extra["classificatiecollectie.onderwerpenRonl"][0]["label"] == "Vogelgriep"
    assert d.extra["document.publicatiebestemming"] == ["rijksoverheid.nl"]


def test_a_tweede_kamer_copy() -> None:
    d = parse.detail(read("plooi_store_oep-9f17b506_kst-36202-56.json"))
    assert d.id == "oep-9f17b506fd03cafa9e242bfdb1071d9bb3e2fbf2"
    assert d.is_tweede_kamer_copy
    assert d.identifiers == ("kst-36202-56",)
    assert d.weblocatie == "https://zoek.officielebekendmakingen.nl/kst-36202-56.html"
    assert d.titel.startswith("36202, nr. 56 - Wijziging van enkele belastingwetten")
    assert [t.label for t in d.themas] == ["belasting"]
    assert d.aanbieder == "officielebekendmakingen.nl"
    assert d.parent is None  # identiteitsgroep is no parent
    assert [f.label for f in d.bestanden] == ["metadataowms", "xml", "html", "pdf", "solr"]
    pdf = d.bestanden[3]
    assert pdf.gepubliceerd and pdf.url is not None and pdf.url.endswith("kst-36202-56.pdf")
    assert not d.bestanden[0].gepubliceerd
    assert d.bestanden[4].url is None and d.bestanden[4].grootte is None
    assert d.extra["document.aggregatiekenmerk"] == "36202"


def test_an_eerste_kamer_record() -> None:
    d = parse.detail(read("plooidoc-ah.json"))
    assert d.verantwoordelijke is not None and d.verantwoordelijke.label == "Eerste Kamer"
    assert not d.is_tweede_kamer_copy


def test_relations_answers() -> None:
    children = parse.relations(read("plooi_relaties_onderdeel.json"))
    assert [(r.target, r.titel) for r in children] == [
        ("ronl-684333ccbc1afcdb275529c54261dff4061180ea", "Akte van aanstelling"),
        ("ronl-a83c9806d87ce33e632c253eb2166cc937f0bef1", "Supplement akte van aanstelling"),
    ]
    assert children[0].role == parse.ROLE_ONDERDEEL
    (parent,) = parse.relations(read("plooi_relaties_bundel.json"))
    assert parent.target == "ronl-228036432630c580dcdddefd9c3a6de8e2587c1b"
    assert parent.role in parse.PARENT_ROLES


def test_unknown_fields_are_kept() -> None:
    value = json.loads(read("tkconv_comment_zoek_list_excerpt.json"))
    value["nieuwVeld"] = 1
    value["resultaten"][0]["score"] = 0.5
    value["resultaten"][0]["document"]["nieuw"] = ["x"]
    page = parse.listing(json.dumps(value).encode())
    assert page.extra == {"nieuwVeld": 1}
    assert page.items[0].extra == {"score": 0.5, "document.nieuw": ["x"]}
    detail = json.loads(read("tkconv_comment_zoek_detail_eef2edec.json"))
    detail["versies"][0]["bestanden"][0]["checksumType"] = "sha1"
    detail["toekomst"] = {"a": 1}
    d = parse.detail(json.dumps(detail).encode())
    assert d.extra["toekomst"] == {"a": 1}
    assert d.bestanden[0].extra == {"checksumType": "sha1"}


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"totaal": 3, "resultaten": [{"document": {"id": "a"', "afgebroken JSON"),
        (b"<html>Service Unavailable</html>", "ongeldige JSON"),
        (b"\xff\xfe{}", "geen UTF-8"),
        (b"[]", "verwacht een JSON-object"),
        (b'{"resultaten": []}', "totaal"),
        (b'{"totaal": 1, "resultaten": {}}', "geen lijst"),
    ],
)
def test_bad_listing_is_a_typed_error(body: bytes, reason: str) -> None:
    with pytest.raises(WooParseError, match=reason):
        parse.listing(body)


def test_bad_detail_is_a_typed_error() -> None:
    whole = read("tkconv_comment_zoek_detail_eef2edec.json")
    with pytest.raises(WooParseError, match="afgebroken JSON"):
        parse.detail(whole[: len(whole) // 2])
    with pytest.raises(WooParseError, match="geen pid"):
        parse.detail(b'{"document": {}}')
    with pytest.raises(WooParseError, match="ongeldig id"):
        parse.detail(b'{"document": {"pid": "https://open.overheid.nl/documenten/.."}}')


@pytest.mark.parametrize("bad", ["../etc_1", "a/b_1", "..", "x y", "", "a" * 200])
def test_unsafe_ids_are_rejected_with_a_reason(bad: str) -> None:
    body = json.dumps(
        {"totaal": 2, "resultaten": [{"document": {"id": bad}}, {"document": {"id": "ok-1_1"}}]}
    ).encode()
    page = parse.listing(body)
    assert [i.id for i in page.items] == ["ok-1_1"]
    (rej,) = page.rejected
    assert "id" in rej.reason
    assert rej.raw == {"document": {"id": bad}}


def test_a_result_without_file() -> None:
    body = b'{"totaal": 1, "resultaten": [{"document": {"id": "abc_1", "titel": "T"}}]}'
    (item,) = parse.listing(body).items
    assert item.bestandstype is None and item.aantal_paginas is None
