"""The kinds registry: one identifier pattern per kind, used everywhere; an incomplete or
clashing declaration fails at once with the reason."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamerwatch.alerts.models import MonitorError, item_url, normalise
from kamerwatch.documents.links import enrich
from kamerwatch.kinds import KINDS, Kind, KindError, Registry, Source, alert_url
from kamerwatch.search.engine import suggestions


def _kind(**changes: object) -> Kind:
    fields: dict[str, object] = {
        "name": "video",
        "path": "/video/{nummer}",
        "pattern": r"V[0-9]{4}",
        "summary": "Eén video",
        "example": "V0001",
        "source": Source("video", "nummer"),
    }
    fields.update(changes)
    return Kind(**fields)  # type: ignore[arg-type]


def test_every_kind_is_complete() -> None:
    for kind in KINDS:
        assert kind.matches(kind.example), kind.name
        assert kind.url(kind.example).startswith(kind.prefix + "/")
        assert kind.openapi_path == kind.path + ".json"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"summary": ""}, "missing summary"),
        ({"example": ""}, "missing example"),
        ({"path": "/video"}, "is not /<prefix>/{<param>}"),
        ({"path": "video/{nummer}"}, "is not /<prefix>/{<param>}"),
        ({"pattern": "V[0-9"}, "does not compile"),
        ({"pattern": "(V)[0-9]{4}"}, "must not capture"),
        ({"example": "X0001"}, "does not match pattern"),
        ({"formats": ("json", ".ics")}, "is not a file suffix"),
        ({"name": "Video"}, "name must be"),
    ],
)
def test_an_incomplete_kind_fails_loudly(changes: dict[str, object], reason: str) -> None:
    with pytest.raises(KindError, match=reason.replace("{", r"\{").replace("(", r"\(")):
        _kind(**changes)


@pytest.mark.parametrize(
    ("changes", "clash"),
    [
        ({"name": "document"}, "name"),
        ({"path": "/zaak/{nummer}"}, "path"),
        ({"sitemap": "documenten"}, "sitemap"),
        ({"search_kinds": ("document",)}, "search kind"),
        ({"alert_items": ("termijn",)}, "alert item"),
        ({"monitor": "zaak"}, "monitor"),
    ],
)
def test_a_clashing_kind_is_refused(changes: dict[str, object], clash: str) -> None:
    registry = Registry(tuple(KINDS))
    with pytest.raises(KindError, match=f"{clash} already used"):
        registry.add(_kind(**changes))


def test_a_new_kind_is_one_declaration() -> None:
    registry = Registry(tuple(KINDS))
    video = registry.add(_kind(sitemap="videos", search_kinds=("video",)))
    assert registry.by_sitemap("videos") is video
    assert registry.by_search_kind("video") is video
    assert video.url("V0001", "json") == "/video/V0001.json"
    with pytest.raises(KindError, match="unknown kind"):
        registry["audio"]


def test_urls_are_quoted() -> None:
    assert KINDS["toezegging"].url("TZ/1 2") == "/toezegging/TZ%2F1%202"
    assert item_url("https://x.nl/", "termijn", "2023D03702") == "https://x.nl/document/2023D03702"
    assert alert_url("https://x.nl", "verslag", "a/b") == "https://x.nl/verslag/a%2Fb"


# The document number has exactly five digits in every real record (spec §5, the samples):
# the loader, the reference links, the search suggestions and the monitors agree.
FIVE, FOUR, SIX = "2023D03702", "2023D0370", "2023D037020"


def test_one_document_pattern_everywhere() -> None:
    doc = KINDS["document"]
    assert doc.matches(FIVE) and not doc.matches(FOUR) and not doc.matches(SIX)
    assert 'href="/document/2023D03702"' in enrich(f"<p>zie {FIVE}</p>")
    assert "href" not in enrich(f"<p>zie {FOUR} en {SIX}</p>")
    assert [s.value for s in suggestions(FIVE.lower()) if s.kind == "document"] == [FIVE]
    assert not [s for s in suggestions(f"{FOUR} {SIX}") if s.kind == "document"]
    assert normalise("vraag", FIVE.lower()) == FIVE
    for bad in (FOUR, SIX):
        with pytest.raises(MonitorError, match="ongeldige waarde"):
            normalise("vraag", bad)


def test_zaak_and_activity_patterns_everywhere() -> None:
    assert normalise("zaak", "2023z00142") == "2023Z00142"
    assert normalise("activiteit", "2026A01315") == "2026A01315"
    with pytest.raises(MonitorError):
        normalise("zaak", "2023Z0142")
    assert 'href="/zaak/2023Z00142"' in enrich("<p>2023Z00142</p>")
    assert normalise("kamerstukdossier", "36800-xvi") == "36800-XVI"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=20), st.from_regex(r"[0-9A-Za-z]{1,12}", fullmatch=True)))
def test_a_key_is_quoted_as_urllib_quotes_it(key: str) -> None:
    """Kind.url leaves letters and digits as they are without calling quote() (issue #28:
    ~70 links per persoon page): the same text as quote(key, safe="") for every key."""
    for kind in KINDS:
        assert kind.url(key) == f"{kind.prefix}/{quote(key, safe='')}"
        assert kind.url(key, "json") == f"{kind.prefix}/{quote(key, safe='')}.json"
