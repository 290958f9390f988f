"""Hyperlink enrichment works on text nodes only."""

from __future__ import annotations

from kamerwatch.documents.links import enrich


def test_document_and_zaak_numbers() -> None:
    out = enrich("<p>Zie 2023D03702 en zaak 2023Z00142.</p>")
    assert '<a href="/document/2023D03702">2023D03702</a>' in out
    assert '<a href="/zaak/2023Z00142">2023Z00142</a>' in out
    assert out.startswith("<p>Zie ") and out.endswith(".</p>")


def test_kamerstuk_references() -> None:
    out = enrich("<p>Kamerstuk 32 802, nr. 137 en 36200-XVI, nr. 5</p>")
    assert '<a href="/kamerstukdossier/32802">Kamerstuk 32 802, nr. 137</a>' in out
    assert '<a href="/kamerstukdossier/36200-XVI">36200-XVI, nr. 5</a>' in out


def test_never_inside_links_or_attributes() -> None:
    html = '<p><a href="/x/2023D03702">2023D03702</a> <span class="2023Z00142">t</span></p>'
    assert enrich(html) == html


def test_tails_and_nested_text() -> None:
    out = enrich("<p><strong>vet</strong> na 2023D00001 <em>2023Z00002</em> eind</p>")
    assert out == (
        '<p><strong>vet</strong> na <a href="/document/2023D00001">2023D00001</a> '
        '<em><a href="/zaak/2023Z00002">2023Z00002</a></em> eind</p>'
    )


def test_text_stays_escaped() -> None:
    out = enrich("<p>&lt;script&gt; 2023D03702 &amp;</p>")
    assert "&lt;script&gt;" in out and "&amp;" in out and "<script" not in out


def test_exists_vetoes_absent_targets() -> None:
    out = enrich("<p>2023D03702 2023D99999</p>", exists=lambda href: href.endswith("03702"))
    assert out.count("<a ") == 1


def test_plain_text_without_numbers_unchanged() -> None:
    assert enrich("<p>Geen nummers, 2023 nr. 5</p>") == "<p>Geen nummers, 2023 nr. 5</p>"
    assert enrich("") == ""


def test_activity_numbers_are_linked() -> None:
    from kamerwatch.documents.links import enrich

    assert 'href="/activiteit/2026A01234"' in enrich("<p>Zie activiteit 2026A01234.</p>")
