"""The test SyncFeed server, the live-style XML writer and the generated benchmark feed."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from lxml import etree

from kamerwatch.sample import benchfeed, xmlwriter
from kamerwatch.sample.feedserver import DOCX_MIME, ERROR_BODY, FeedServer, sniff_content_type
from kamerwatch.sample.xmlwriter import REAL_BASE, entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import CATEGORIES, spec_for
from kamerwatch.sync.parsers.base import (
    ATOM_NS,
    KIND_DECIMAL,
    KIND_REFS,
    KIND_REFS_BIJGEWERKT,
    Tombstone,
    find_entity_element,
    parse_element,
    parse_entity_bytes,
    to_utc_iso,
)

DATA = Path(__file__).resolve().parents[1] / "data"
A = f"{{{ATOM_NS}}}"
BENCH_ENTRIES = 2000
SAMPLE_ENTRIES = {"Stemming": 5, "Activiteit": 1, "Besluit": 1}


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def feed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("feedserver")
    benchfeed.generate(root, entries=BENCH_ENTRIES, seed=3)
    for page in (DATA / "syncfeed").glob("*.xml"):
        shutil.copy(page, root / "feed" / page.name)
    (root / "resources").mkdir()
    for res in (DATA / "resources").iterdir():
        shutil.copy(res, root / "resources" / res.name)
    return root


@pytest.fixture(scope="module")
def server(feed_dir: Path) -> Iterator[FeedServer]:
    with FeedServer(feed_dir) as srv:
        yield srv


@pytest.fixture
def client(server: FeedServer) -> Iterator[httpx.Client]:
    control = server.url.replace("/SyncFeed/2.0", "")
    with httpx.Client(timeout=5) as http:
        http.delete(f"{control}/_faults").raise_for_status()
        yield http
        http.delete(f"{control}/_faults").raise_for_status()


def control_url(server: FeedServer, what: str) -> str:
    return server.url.replace("/SyncFeed/2.0", f"/{what}")


def parse_page(body: bytes) -> etree._Element:
    return etree.fromstring(body)


def feed_link(root: etree._Element, rel: str) -> str | None:
    for link in root.iterchildren(f"{A}link"):
        if link.get("rel") == rel:
            return link.get("href")
    return None


def token_of(href: str) -> int:
    return int(parse_qs(urlsplit(href).query)["skiptoken"][0])


def entry_tokens(root: etree._Element) -> list[tuple[int, str]]:
    out = []
    for entry in root.iterchildren(f"{A}entry"):
        nxt = next(ln for ln in entry.iterchildren(f"{A}link") if ln.get("rel") == "next")
        out.append((token_of(nxt.get("href", "")), entry.findtext(f"{A}title") or ""))
    return out


def source_entries(feed_dir: Path) -> dict[str, list[tuple[int, str]]]:
    """(token, id) per category straight from the files, sorted by token."""
    per: dict[str, list[tuple[int, str]]] = {}
    for path in (feed_dir / "feed").glob("*.xml"):
        root = etree.parse(str(path)).getroot()
        for entry in root.iterchildren(f"{A}entry"):
            term = entry.find(f"{A}category").get("term", "")  # type: ignore[union-attr]
            category = term[:1].upper() + term[1:]
            per.setdefault(category, []).extend(
                entry_tokens(
                    etree.fromstring(
                        b"<feed xmlns='http://www.w3.org/2005/Atom'>"
                        + etree.tostring(entry)
                        + b"</feed>"
                    )
                )
            )
    return {k: sorted(v) for k, v in per.items()}


def walk(client: httpx.Client, url: str) -> tuple[list[list[tuple[int, str]]], etree._Element]:
    """Follow rel=next until a page without entries; returns the pages and that last page."""
    pages: list[list[tuple[int, str]]] = []
    for _ in range(1000):
        response = client.get(url)
        assert response.status_code == 200, response.text
        root = parse_page(response.content)
        tokens = entry_tokens(root)
        if not tokens:
            return pages, root
        pages.append(tokens)
        nxt = feed_link(root, "next")
        assert nxt is not None and token_of(nxt) == tokens[-1][0]
        url = nxt
    raise AssertionError("feed does not end")


# ---------------------------------------------------------------- paging


def test_index_counts(server: FeedServer) -> None:
    expected = json.loads((server.directory / "expected.json").read_text())
    assert server.entry_count() == BENCH_ENTRIES + sum(SAMPLE_ENTRIES.values())
    for category in CATEGORIES:
        bench = expected["categories"][category]["entries"]
        assert server.entry_count(category) == bench + SAMPLE_ENTRIES.get(category, 0)
    assert server.entry_count("Nonsens") == 0


def test_paging_per_category_yields_each_entry_once_in_order(
    server: FeedServer, client: httpx.Client
) -> None:
    source = source_entries(server.directory)
    assert set(source) == set(CATEGORIES)
    for category in CATEGORIES:
        pages, last = walk(client, f"{server.url}/Feed?category={category}")
        served = [item for page in pages for item in page]
        assert served == source[category], category
        assert all(len(page) <= 250 for page in pages)
        assert all(len(page) == 250 for page in pages[:-1])
        # the caught-up page: rel=resume at the last token, no rel=next, no entries
        assert feed_link(last, "next") is None
        resume = feed_link(last, "resume")
        assert resume is not None and token_of(resume) == served[-1][0]
        assert f"category={category}" in resume


def test_stemming_is_paged_in_250s_and_tokens_are_exclusive(
    server: FeedServer, client: httpx.Client
) -> None:
    pages, _ = walk(client, f"{server.url}/Feed?category=Stemming")
    assert len(pages) >= 2 and len(pages[0]) == 250
    # skiptoken=N returns entries whose own token is > N
    first = pages[0]
    root = parse_page(
        client.get(f"{server.url}/Feed?category=Stemming&skiptoken={first[9][0]}").content
    )
    assert entry_tokens(root)[0] == first[10]
    root = parse_page(
        client.get(f"{server.url}/Feed?category=Stemming&skiptoken={first[9][0] - 1}").content
    )
    assert entry_tokens(root)[0] == first[9]


def test_unfiltered_feed_mixes_all_categories(server: FeedServer, client: httpx.Client) -> None:
    pages, last = walk(client, f"{server.url}/Feed")
    served = [item for page in pages for item in page]
    assert len(served) == server.entry_count()
    assert [t for t, _ in served] == sorted(t for t, _ in served)
    assert parse_page(client.get(f"{server.url}/Feed").content).findtext(f"{A}title") == (
        "Gegevensmagazijn SyncFeed"
    )
    assert "category=" not in (feed_link(last, "resume") or "category=")


def test_page_past_the_end(server: FeedServer, client: httpx.Client) -> None:
    response = client.get(f"{server.url}/Feed?skiptoken=99999999&category=Zaak")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = parse_page(response.content)
    assert root.findtext(f"{A}title") == "Gegevensmagazijn SyncFeed (category: Zaak)"
    assert root.find(f"{A}entry") is None
    assert feed_link(root, "next") is None
    assert feed_link(root, "resume") == f"{server.url}/Feed?skiptoken=99999999&category=Zaak"
    assert feed_link(root, "self") == f"{server.url}/Feed?skiptoken=99999999&category=Zaak"


def test_feed_level_elements_like_the_real_page(server: FeedServer, client: httpx.Client) -> None:
    body = client.get(f"{server.url}/Feed?category=Activiteit").content
    root = parse_page(body)
    assert root.nsmap == {
        None: ATOM_NS,
        "tk": "http://www.tweedekamer.nl/xsd/tkData/v1-0",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    assert feed_link(root, "self") == f"{server.url}/Feed?category=Activiteit"
    assert root.findtext(f"{A}id") == f"{server.url}/Feed?category=Activiteit"
    updated = root.findtext(f"{A}updated") or ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d", updated)
    assert root.findtext(f"{A}author/{A}name") == "Tweede Kamer der Staten-Generaal"
    assert (root.findtext(f"{A}rights") or "").startswith("Disclaimer:")
    # the real sample entry (tk: prefix declared on the root) parses with the registry spec
    entries = root.findall(f"{A}entry")
    real = [e for e in entries if e.findtext(f"{A}title") == "7f376319-f8d1-4e76-9e7c-d406a5410543"]
    record = parse_element(spec_for("Activiteit"), find_entity_element(real[0]))  # type: ignore[arg-type]
    assert getattr(record, "nummer") == "2026A01315"  # noqa: B009


def test_hrefs_point_at_the_server(server: FeedServer, client: httpx.Client) -> None:
    body = client.get(f"{server.url}/Feed?category=Document").content
    assert b'href="https://gegevensmagazijn' not in body
    root = parse_page(body)
    hrefs = [ln.get("href", "") for ln in root.iter(f"{A}link")]
    assert hrefs and all(h.startswith(server.url + "/") for h in hrefs)
    for entry in root.iterchildren(f"{A}entry"):
        ident = entry.findtext(f"{A}title")
        assert entry.findtext(f"{A}id") == f"{REAL_BASE}/Entiteiten/{ident}"  # ids untouched
        rels = {ln.get("rel"): ln.get("href") for ln in entry.iterchildren(f"{A}link")}
        if (
            find_entity_element(entry).get(  # type: ignore[union-attr]
                "{http://www.tweedekamer.nl/xsd/tkData/v1-0}verwijderd"
            )
            == "false"
        ):
            assert rels["enclosure"] == f"{server.url}/Resources/{ident}"


def test_category_names_are_case_insensitive(server: FeedServer, client: httpx.Client) -> None:
    root = parse_page(client.get(f"{server.url}/Feed?category=persoongeschenk").content)
    assert root.findtext(f"{A}title") == "Gegevensmagazijn SyncFeed (category: PersoonGeschenk)"
    assert len(root.findall(f"{A}entry")) == server.entry_count("PersoonGeschenk")


# ---------------------------------------------------------------- errors and resources


@pytest.mark.parametrize(
    "query", ["category=Nonsens", "category=Zaak&skiptoken=abc", "category=DocumentPublicatie"]
)
def test_errors_answer_500_with_error_body(
    server: FeedServer, client: httpx.Client, query: str
) -> None:
    response = client.get(f"{server.url}/Feed?{query}")
    assert response.status_code == 500
    assert response.content == ERROR_BODY


def test_resources_served_with_sniffed_type(server: FeedServer, client: httpx.Client) -> None:
    types = {".pdf": "application/pdf", ".docx": DOCX_MIME, ".doc": "application/msword"}
    files = sorted((DATA / "resources").iterdir())
    assert files
    for path in files:
        response = client.get(f"{server.url}/Resources/{path.stem}")
        assert response.status_code == 200
        assert response.content == path.read_bytes()
        assert response.headers["content-type"] == types[path.suffix]
        assert int(response.headers["content-length"]) == path.stat().st_size
    missing = client.get(f"{server.url}/Resources/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 500 and missing.content == ERROR_BODY


def test_sniff_content_type() -> None:
    assert sniff_content_type(b"{\\rtf1\\ansi") == "application/rtf"
    assert sniff_content_type(b"\xef\xbb\xbf<?xml version") == "text/xml"
    assert sniff_content_type(b"<?xml version") == "text/xml"
    assert sniff_content_type(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert sniff_content_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_content_type(b"hallo") == "application/octet-stream"


def test_unknown_path_is_404(server: FeedServer, client: httpx.Client) -> None:
    assert client.get(server.url.replace("/SyncFeed/2.0", "/nergens")).status_code == 404


# ---------------------------------------------------------------- fault injection


def add_faults(client: httpx.Client, server: FeedServer, *rules: dict[str, Any]) -> None:
    response = client.post(control_url(server, "_faults"), json=list(rules))
    response.raise_for_status()


def test_fault_500_counts_down(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "500", "times": 2, "category": "Zaak"})
    listed = client.get(control_url(server, "_faults")).json()
    assert listed[0]["mode"] == "500" and listed[0]["remaining"] == 2
    url = f"{server.url}/Feed?category=Zaak"
    assert client.get(f"{server.url}/Feed?category=Besluit").status_code == 200  # other category
    assert client.get(url).status_code == 500
    second = client.get(url)
    assert second.status_code == 500 and second.content == ERROR_BODY
    assert client.get(url).status_code == 200
    assert client.get(control_url(server, "_faults")).json()[0]["remaining"] == 0


def test_fault_forever_until_cleared(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "500", "times": -1, "status": 503})
    for _ in range(3):
        assert client.get(f"{server.url}/Feed?category=Zaal").status_code == 503
    assert client.delete(control_url(server, "_faults")).json() == []
    assert client.get(f"{server.url}/Feed?category=Zaal").status_code == 200


def test_fault_on_one_skiptoken(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "500", "times": -1, "skiptoken": 20000000})
    assert client.get(f"{server.url}/Feed?category=Zaak").status_code == 200
    assert client.get(f"{server.url}/Feed?category=Zaak&skiptoken=20000000").status_code == 500


def test_fault_hang_triggers_client_timeout(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "hang", "seconds": 1.0})
    with pytest.raises(httpx.ReadTimeout):
        client.get(f"{server.url}/Feed?category=Zaal", timeout=0.2)
    assert client.get(f"{server.url}/Feed?category=Zaal").status_code == 200


def test_fault_delay_then_serves(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "delay", "seconds": 0.3})
    started = time.monotonic()
    response = client.get(f"{server.url}/Feed?category=Zaal")
    assert response.status_code == 200 and time.monotonic() - started >= 0.3
    assert parse_page(response.content).find(f"{A}entry") is not None


def test_fault_close_breaks_the_connection(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "close"})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        client.get(f"{server.url}/Feed?category=Stemming")
    assert client.get(f"{server.url}/Feed?category=Stemming").status_code == 200


def test_fault_truncate_and_malformed_give_broken_xml(
    server: FeedServer, client: httpx.Client
) -> None:
    add_faults(client, server, {"mode": "truncate"}, {"mode": "malformed"})
    for _ in range(2):
        response = client.get(f"{server.url}/Feed?category=Stemming")
        assert response.status_code == 200
        assert int(response.headers["content-length"]) == len(response.content)
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(response.content)
    parse_page(client.get(f"{server.url}/Feed?category=Stemming").content)


def test_fault_duplicate_repeats_first_entry(server: FeedServer, client: httpx.Client) -> None:
    normal = entry_tokens(parse_page(client.get(f"{server.url}/Feed?category=Zaak").content))
    add_faults(client, server, {"mode": "duplicate", "category": "Zaak"})
    doubled = entry_tokens(parse_page(client.get(f"{server.url}/Feed?category=Zaak").content))
    assert doubled == [*normal, normal[0]]


def test_fault_on_resources_only(server: FeedServer, client: httpx.Client) -> None:
    add_faults(client, server, {"mode": "500", "path": "resources", "times": 1})
    assert client.get(f"{server.url}/Feed?category=Zaal").status_code == 200
    ident = "d7a5dc6c-3636-4acd-8630-96c14e97dcce"
    assert client.get(f"{server.url}/Resources/{ident}").status_code == 500
    add_faults(client, server, {"mode": "truncate", "path": "resources"})
    short = client.get(f"{server.url}/Resources/{ident}")
    assert short.status_code == 200 and len(short.content) < 20741
    assert len(client.get(f"{server.url}/Resources/{ident}").content) == 20741


def test_invalid_fault_rule_is_refused(server: FeedServer, client: httpx.Client) -> None:
    response = client.post(control_url(server, "_faults"), json=[{"mode": "explode"}])
    assert response.status_code == 400
    assert client.get(control_url(server, "_faults")).json() == []


def test_request_log(server: FeedServer, client: httpx.Client) -> None:
    client.delete(control_url(server, "_requests"))
    client.get(f"{server.url}/Feed?category=Zaal")
    client.get(f"{server.url}/Feed?skiptoken=5&category=Nonsens")
    log = client.get(control_url(server, "_requests")).json()
    assert [r["path"] for r in log] == [
        "/SyncFeed/2.0/Feed?category=Zaal",
        "/SyncFeed/2.0/Feed?skiptoken=5&category=Nonsens",
    ]
    assert [r["status"] for r in log] == [200, 500]
    assert log[0]["t"] <= log[1]["t"]
    assert server.requests()[-1]["path"].endswith("category=Nonsens")


# ---------------------------------------------------------------- xmlwriter and benchfeed


def test_entity_xml_roundtrips_through_the_parsers() -> None:
    import random

    state = benchfeed._State(5, random.Random(5))
    for category in CATEGORIES:
        spec = spec_for(category)
        for _ in range(3):
            state.live[category].append(1)
        values = benchfeed._values(category, [(f, category) for f in spec.fields], state, 1.7e9)
        ident = benchfeed.guid(5, category, 0)
        entity = entity_xml(
            spec,
            values,
            id=ident,
            bijgewerkt="2025-04-10T18:01:58.3170000",
            content_type="application/pdf" if spec.download else None,
            content_length=123 if spec.download else None,
        )
        prefixed = category in ("Toezegging", "Vergadering", "Verslag")
        assert entity.startswith(
            f"<ns1:{spec.element} ".encode() if prefixed else f"<{spec.element} ".encode()
        )
        entry = entry_xml(
            spec, entity, token=42, updated="2025-04-10T16:02:11.5370131Z", enclosure=spec.download
        )
        record = parse_entity_bytes(spec, entry)
        assert not isinstance(record, Tombstone)
        assert record.id == ident and record.extra == {}
        assert record.bijgewerkt == "2025-04-10T16:01:58.317000Z"
        if spec.download:
            assert (record.content_type, record.content_length) == ("application/pdf", 123)  # type: ignore[attr-defined]
        for fs in spec.fields:
            want = values[fs.attr]
            got = getattr(record, fs.attr)
            if fs.kind == KIND_REFS:
                want = tuple(want)
            elif fs.kind == KIND_REFS_BIJGEWERKT:
                want = tuple((g, to_utc_iso(b)) for g, b in want)
            elif fs.kind == KIND_DECIMAL and want is not None:
                want = Decimal(want)
            assert got == want, (category, fs.attr)
        tomb = entity_xml(spec, {}, id=ident, bijgewerkt="2025-05-01T09:00:00Z", verwijderd=True)
        assert parse_entity_bytes(spec, tomb) == Tombstone(
            category, ident, "2025-05-01T09:00:00.000000Z"
        )


def test_entity_xml_escapes_and_nests() -> None:
    spec = spec_for("PersoonNevenfunctie")
    entity = entity_xml(
        spec,
        {
            "omschrijving": 'Lid <raad> & "bestuur"',
            "periode_van": "2020",
            "periode_tot_en_met": None,
        },
        id="a3e5f709-4c2b-4d1e-8f96-7b0c2d5e8a14",
        bijgewerkt="2024-11-20T08:42:31Z",
    )
    root = etree.fromstring(entity)
    tk = "{http://www.tweedekamer.nl/xsd/tkData/v1-0}"
    assert root.findtext(f"{tk}omschrijving") == 'Lid <raad> & "bestuur"'
    periode = root.find(f"{tk}periode")
    assert periode is not None and [etree.QName(c).localname for c in periode] == [
        "van",
        "totEnMet",
    ]
    assert root.find(f"{tk}vergoeding") is None  # absent keys are not written
    record = parse_entity_bytes(spec, entity)
    assert getattr(record, "periode_van") == "2020"  # noqa: B009


def test_feed_page_links() -> None:
    spec = spec_for("Zaal")
    entries = [
        entry_xml(
            spec,
            entity_xml(
                spec,
                {"naam": f"Zaal {n}"},
                id=f"0000000{n}-0000-4000-8000-000000000000",
                bijgewerkt="2024-01-01T10:00:00.0000000",
            ),
            token=t,
            updated="2024-01-01T09:00:00.0000000Z",
            enclosure=False,
        )
        for n, t in ((1, 11), (2, 15))
    ]
    root = etree.fromstring(feed_page("Zaal", entries, 7, updated="2024-01-01T10:00:00+01:00"))
    assert feed_link(root, "self") == f"{REAL_BASE}/Feed?skiptoken=7&category=Zaal"
    assert feed_link(root, "next") == f"{REAL_BASE}/Feed?skiptoken=15&category=Zaal"
    empty = etree.fromstring(feed_page("Zaal", [], 15, updated="2024-01-01T10:00:00+01:00"))
    assert feed_link(empty, "resume") == f"{REAL_BASE}/Feed?skiptoken=15&category=Zaal"
    assert feed_link(empty, "next") is None


def test_benchfeed_is_deterministic(tmp_path: Path) -> None:
    first = benchfeed.generate(tmp_path / "a", entries=600, seed=11, resources=True)
    second = benchfeed.generate(tmp_path / "b", entries=600, seed=11, resources=True)
    other = benchfeed.generate(tmp_path / "c", entries=600, seed=12)
    assert first == second and first != other
    names_a = sorted(
        p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file()
    )
    names_b = sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file()
    )
    assert names_a == names_b
    for name in names_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a/feed/page-000000.xml").read_bytes() != (
        tmp_path / "c/feed/page-000000.xml"
    ).read_bytes()
    # resources: one file per downloadable entity, its size is the entity's contentLength
    assert first["resources"] == len(list((tmp_path / "a" / "resources").iterdir())) > 0


def test_benchfeed_expected_matches_a_recount(feed_dir: Path) -> None:
    expected = json.loads((feed_dir / "expected.json").read_text())
    live: dict[str, dict[str, Any]] = {}
    entries: Counter[str] = Counter()
    tokens: list[int] = []
    pages = sorted((feed_dir / "feed").glob("page-*.xml"))
    assert len(pages) == expected["pages"] == BENCH_ENTRIES // 250
    stamp_styles = {
        "offset": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}[+-]\d\d:\d\d",
        "utc": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        "local": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}",
    }
    for path in pages:
        root = etree.parse(str(path)).getroot()
        page_entries = root.findall(f"{A}entry")
        assert len(page_entries) == 250
        for entry in page_entries:
            term = entry.find(f"{A}category").get("term", "")  # type: ignore[union-attr]
            category = term[:1].upper() + term[1:]
            entity = find_entity_element(entry)
            assert entity is not None
            stamp = next(v for k, v in entity.attrib.items() if k.endswith("bijgewerkt"))
            assert re.fullmatch(stamp_styles[xmlwriter.bijgewerkt_style(category)], stamp)
            assert re.fullmatch(r".*\.\d{7}Z", entry.findtext(f"{A}updated") or "")
            record = parse_element(spec_for(category), entity)
            entries[category] += 1
            tokens.append(
                entry_tokens(
                    etree.fromstring(
                        b"<feed xmlns='http://www.w3.org/2005/Atom'>"
                        + etree.tostring(entry)
                        + b"</feed>"
                    )
                )[0][0]
            )
            if isinstance(record, Tombstone):
                assert record.id in live.setdefault(category, {})
                del live[category][record.id]
            else:
                assert record.extra == {}
                live.setdefault(category, {})[record.id] = record
    steps = [b - a for a, b in itertools.pairwise(tokens)]
    assert tokens[0] == expected["first_token"] and tokens[-1] == expected["last_token"]
    assert set(steps) <= {1, 2, 3}
    assert set(entries) == set(CATEGORIES)
    assert {c: len(live.get(c, {})) for c in CATEGORIES} == expected["live"]
    assert {c: entries[c] for c in CATEGORIES} == {
        c: expected["categories"][c]["entries"] for c in CATEGORIES
    }
    total = sum(entries.values())
    updates = sum(expected["categories"][c]["updates"] for c in CATEGORIES)
    tombstones = sum(expected["categories"][c]["tombstones"] for c in CATEGORIES)
    assert 0.06 < updates / total < 0.14 and 0.005 < tombstones / total < 0.04
    assert entries["Stemming"] > entries["Zaak"] > entries["Fractie"]
