"""Fixtures of the security suite (issue #21): hostile feeds served by the real feed server
on loopback, the real command line, ``kamerwatch serve`` as a subprocess."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-security/{name}"))


def document_values(n: int, onderwerp: str) -> dict[str, Any]:
    return {
        "soort": "Brief regering",
        "document_nummer": f"2026D{90000 + n}",
        "onderwerp": onderwerp,
    }


def write_feed(
    root: Path,
    documents: list[tuple[str, bytes, dict[str, Any]]],
    *,
    token: int = 1000,
    page: str = "p1.xml",
    category: str = "Document",
) -> None:
    """A feed directory with one entity of ``category`` per (id, file body, values) and its
    file under ``resources/`` (named by the id's last path segment when it is hostile)."""
    (root / "feed").mkdir(parents=True, exist_ok=True)
    (root / "resources").mkdir(exist_ok=True)
    spec = spec_for(category)
    entries = []
    for i, (ident, body, values) in enumerate(documents):
        (root / "resources" / ident.rsplit("/", 1)[-1]).write_bytes(body)
        xml = entity_xml(
            spec,
            values,
            id=ident,
            bijgewerkt="2026-11-25T10:00:00",
            content_type="application/octet-stream",
            content_length=len(body),
        )
        entries.append(
            entry_xml(
                spec, xml, token=token + i, updated="2026-11-25T09:00:00.0000000Z", enclosure=True
            )
        )
    (root / "feed" / page).write_bytes(feed_page(None, entries, None))
