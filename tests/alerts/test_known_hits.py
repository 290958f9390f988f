"""Alert hits against answers worked out by hand (issue #28.9), on both engines.

A constructed feed of a few entities is synced, one monitor per account is made, a second
feed page with new items (some of which concern a monitor, some deliberately not) is synced,
and one alerts run mails over real SMTP. Each digest must list exactly the items written
down below — worked out from the feed pages themselves, not from the mirror or any query of
the code (the other alert tests take their oracle from a synced mirror).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamerwatch.sample.feedserver import FeedServer
from kamerwatch.sample.xmlwriter import entity_xml, entry_xml, feed_page
from kamerwatch.sync.parsers import spec_for
from tests.alerts.conftest import Mailbox, numbers_in
from tests.conftest import BACKENDS, DATA_DIR_URLS
from tests.conftest import kamerwatch as run_cli
from tests.ports import free_port

Item = tuple[str, str, dict[str, Any]]


def gid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"kamerwatch-known-hits/{name}"))


def _doc(name: str, nummer: str, onderwerp: str, **more: Any) -> Item:
    values = {"soort": "Brief regering", "document_nummer": nummer, "onderwerp": onderwerp}
    return ("Document", name, {**values, "datum": "2026-11-20T00:00:00", **more})


def _actor(name: str, document: str, persoon: str) -> Item:
    return (
        "DocumentActor",
        name,
        {"document_id": gid(document), "persoon_id": gid(persoon), "relatie": "Indiener"},
    )


def _tz(name: str, nummer: str, fractie: str, ministerie: str, persoon: str | None = None) -> Item:
    values = {
        "nummer": nummer,
        "status": "Openstaand",
        "tekst": f"Toezegging {nummer}",
        "ministerie": ministerie,
        "aanmaakdatum": "2026-11-20T00:00:00",
        "toegezegd_aan_fractie_id": gid(fractie),
    }
    if persoon:
        values["toegezegd_aan_persoon_id"] = gid(persoon)
    return ("Toezegging", name, values)


BEFORE: list[Item] = [
    ("Fractie", "AAA", {"nummer": "1", "afkorting": "AAA", "naam_nl": "Partij A"}),
    ("Fractie", "BBB", {"nummer": "2", "afkorting": "BBB", "naam_nl": "Partij B"}),
    ("Persoon", "jansen", {"nummer": "501", "achternaam": "Jansen", "roepnaam": "Jan"}),
    ("Persoon", "pieters", {"nummer": "502", "achternaam": "Pieters", "roepnaam": "Piet"}),
    ("Zaak", "motie", {"nummer": "2026Z95001", "soort": "Motie", "onderwerp": "Motie over zee"}),
    _doc("oud", "2026D95001", "Motie over zee", zaak_ids=[gid("motie")]),
    _actor("oud-jansen", "oud", "jansen"),
    _tz("tz-oud", "TZ-K0", "AAA", "Financiën", "jansen"),
]

AFTER: list[Item] = [
    _doc("gekoppeld", "2026D95002", "Brief over de motie", zaak_ids=[gid("motie")]),
    _doc("noemt", "2026D95003", "Reactie op motie 2026Z95001"),
    _doc("wind", "2026D95004", "Windturbines op zee"),
    _doc("door-jansen", "2026D95005", "Vragen over dijken"),
    _actor("door-jansen-a", "door-jansen", "jansen"),
    _doc("door-pieters", "2026D95006", "Vragen over wegen"),
    _actor("door-pieters-a", "door-pieters", "pieters"),
    _tz("tz1", "TZ-K1", "AAA", "Financiën", "jansen"),
    _tz("tz2", "TZ-K2", "BBB", "Defensie"),
    _tz("tz3", "TZ-K3", "BBB", "Financiën", "pieters"),
]

# (kind, value, the items its digest lists), worked out by hand from AFTER:
KNOWN = [
    ("zaak", "2026Z95001", {"2026D95002", "2026D95003"}),  # linked; names the zaak
    ("persoon", "501", {"2026D95005", "TZ-K1"}),  # indiener; commitment made to Jansen
    ("toezeggingen", "fractie:AAA", {"TZ-K1"}),
    ("toezeggingen", "ministerie:Financiën", {"TZ-K1", "TZ-K3"}),
    ("toezeggingen", "alle", {"TZ-K1", "TZ-K2", "TZ-K3"}),
    ("zoek", "windturbines", {"2026D95004"}),
]


def _page(items: list[Item], first: int) -> bytes:
    entries = []
    for token, (category, ident, values) in enumerate(items, start=first):
        spec = spec_for(category)
        body = entity_xml(spec, values, id=gid(ident), bijgewerkt="2026-11-25T10:00:00")
        entries.append(
            entry_xml(
                spec, body, token=token, updated="2026-11-25T09:00:00.0000000Z", enclosure=False
            )
        )
    return feed_page(None, entries, None)


def _sync(root: Path, data: Path) -> None:
    with FeedServer(root) as server:
        done = run_cli("sync", "--feed-url", server.start(), data_dir=data)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module", params=BACKENDS)
def digests(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Mailbox]:
    from aiosmtpd.controller import Controller

    root = tmp_path_factory.mktemp("known-hits")
    data = root / "data"
    data.mkdir()
    if request.param == "postgresql":
        DATA_DIR_URLS[data] = request.getfixturevalue("pg_server").new_database("known_hits")
    (root / "feed").mkdir()
    (root / "feed" / "page-1.xml").write_bytes(_page(BEFORE, 1000))
    _sync(root, data)
    for i, (kind, value, _expected) in enumerate(KNOWN):
        made = run_cli("monitor", "add", f"user{i}@example.org", kind, value, data_dir=data)
        assert made.returncode == 0, made.stderr
    (root / "feed" / "page-2.xml").write_bytes(_page(AFTER, 2000))
    _sync(root, data)
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        done = run_cli(
            "alerts", "run", data_dir=data, env={"KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}
        )
        assert done.returncode == 0, done.stderr
    finally:
        controller.stop()
        DATA_DIR_URLS.pop(data, None)
    yield box


@pytest.mark.parametrize("index", range(len(KNOWN)), ids=[f"{k}-{v}" for k, v, _ in KNOWN])
def test_each_digest_lists_exactly_the_items_worked_out_by_hand(
    digests: Mailbox, index: int
) -> None:
    kind, value, expected = KNOWN[index]
    mails = digests.to(f"user{index}@example.org")
    assert len(mails) == 1, f"one digest for {kind} {value}"
    assert numbers_in(mails[0]) == expected
