"""#21.11 — an upstream XML file was served inline on our origin (a page of its own).
Originals are attachments unless their type is in a safe list (PDF, images), and every
file response carries ``Content-Security-Policy: sandbox``."""

from __future__ import annotations

from pathlib import Path

from tests.security.conftest import document_values, gid, open_site, sync_feed, write_entities

XML = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
PDF = b"%PDF-1.4\nveilig\n%%EOF\n"


def test_only_safe_types_are_inline_and_all_are_sandboxed(tmp_path: Path, db_url: str) -> None:
    feed = tmp_path / "feed"
    write_entities(
        feed,
        [
            ("Document", gid("xml"), document_values(1, "xml-bestand"), XML),
            ("Document", gid("pdf"), document_values(2, "pdf-bestand"), PDF),
        ],
    )
    data = tmp_path / "data"
    sync_feed(feed, data, db_url, "sync", "fetch-documents")
    with open_site(db_url, data) as client:
        xml = client.get("/document/2026D90001/bestand")
        pdf = client.get("/document/2026D90002/bestand")
    assert xml.status_code == 200 and xml.content == XML
    assert xml.headers["content-disposition"].startswith("attachment")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline")
    for answer in (xml, pdf):
        policies = answer.headers.get_list("content-security-policy")
        assert "sandbox" in [p.strip() for p in policies], policies
