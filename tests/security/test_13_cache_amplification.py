"""#21.13 — junk query parameters filled the page cache (93 → 364 MB). The cache key holds
only the parameters pages read, and the cache is bounded by bytes."""

from __future__ import annotations

from pathlib import Path

from tests.security.conftest import open_site


def test_junk_parameters_share_one_entry_and_the_cache_has_a_byte_budget(
    tmp_path: Path, db_url: str
) -> None:
    with open_site(db_url, tmp_path / "data", page_cache_mb=1) as client:
        cache = client.app.state.response_cache  # type: ignore[attr-defined]
        first = client.get("/").text
        for i in range(300):
            assert client.get("/", params={f"junk{i}": "x" * 200, "utm": str(i)}).text == first
        assert len(cache) == 1
        # distinct values of a real parameter: kept, but never beyond the byte budget
        for i in range(400):
            assert client.get("/geschenken", params={"q": f"woord{i}"}).status_code == 200
        assert 0 < cache.bytes <= 1024 * 1024
        assert len(cache) < 400
