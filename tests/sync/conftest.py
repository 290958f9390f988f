"""Fixtures of the sync tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sync.feedfiles import ZAAK_A, ZAAK_B, ZAAK_NEVER, page, zaak


@pytest.fixture
def crafted_feed(tmp_path: Path) -> Path:
    root = tmp_path / "crafted"
    (root / "feed").mkdir(parents=True)
    entries = [
        zaak(ZAAK_A, 100, "Eerste versie"),
        zaak(ZAAK_B, 101, "Wordt verwijderd"),
        zaak(ZAAK_A, 105, "Tweede versie &amp; beter"),
        zaak(ZAAK_B, 107, "", deleted=True),
        zaak(ZAAK_NEVER, 108, "", deleted=True),  # deleted before ever seen
        zaak(ZAAK_B, 110, "Teruggekomen"),
        zaak(ZAAK_B, 111, "", deleted=True),
    ]
    (root / "feed" / "zaak.xml").write_text(page(entries), encoding="utf-8")
    return root
