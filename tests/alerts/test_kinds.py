"""Every monitor kind on a real synced sample: sync part, add monitors, sync the rest, run.

Each kind gets its own account, so each digest belongs to one monitor; the oracle is a
mirror of the whole feed, and "new" means a feed position after the first part.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.alerts.conftest import (
    Feeds,
    Mailbox,
    base_cursor,
    clone_base,
    numbers_in,
    oracle,
    sync_rest,
)
from tests.conftest import kamerwatch as run_cli


@dataclass(frozen=True)
class Case:
    kind: str
    value: str
    expected: set[str]


def _one(conn: Any, sql: str, *args: object) -> str:
    row = conn.execute(sql, args).fetchone()
    assert row is not None, sql
    return str(row[0])


def _set(conn: Any, sql: str, *args: object) -> set[str]:
    return {str(r[0]) for r in conn.execute(sql, args)}


NEW_DOC = "d.skiptoken > :doc"
LINKED = (
    "SELECT l.src_id FROM link l WHERE l.src_category = 'Document' AND l.relation = ? "
    "AND l.dst_id = ?"
)


def _cases(feeds: Feeds) -> list[Case]:
    t = base_cursor(feeds)
    doc, act, tz, da = t["Document"], t["Activiteit"], t["Toezegging"], t["DocumentActor"]
    conn = oracle(feeds)
    cases: list[Case] = []
    # zaak: one with new linked documents
    zid, znr = conn.execute(
        "SELECT z.id, z.nummer FROM zaak z JOIN link l ON l.dst_id = z.id AND l.relation = 'zaak'"
        " JOIN document d ON d.id = l.src_id WHERE d.skiptoken > ? GROUP BY z.id"
        " ORDER BY count(*) DESC, z.nummer LIMIT 1",
        (doc,),
    ).fetchone()
    cases.append(
        Case(
            "zaak",
            znr,
            _set(
                conn,
                f"SELECT d.document_nummer FROM document d WHERE d.skiptoken > ? AND d.id IN ({LINKED})",
                doc,
                "zaak",
                zid,
            ),
        )
    )
    # persoon: the most active actor of new documents, plus toezeggingen made to them
    pid, pnr = conn.execute(
        "SELECT p.id, p.nummer FROM documentactor da JOIN persoon p ON p.id = da.persoon_id"
        " JOIN document d ON d.id = da.document_id WHERE d.skiptoken > ? GROUP BY p.id"
        " ORDER BY count(*) DESC, p.nummer LIMIT 1",
        (doc,),
    ).fetchone()
    expected = _set(
        conn,
        "SELECT d.document_nummer FROM documentactor da JOIN document d ON d.id = da.document_id"
        " WHERE da.persoon_id = ? AND (d.skiptoken > ? OR da.skiptoken > ?)",
        pid,
        doc,
        da,
    ) | _set(
        conn,
        "SELECT nummer FROM toezegging WHERE toegezegd_aan_persoon_id = ? AND skiptoken > ?",
        pid,
        tz,
    )
    cases.append(Case("persoon", pnr, expected))
    # commissie: documents of zaken it leads, new activities
    cid, cafk = conn.execute(
        "SELECT c.id, c.afkorting FROM commissie c JOIN activiteit a ON a.voortouwcommissie_id = c.id"
        " WHERE a.skiptoken > ? GROUP BY c.id ORDER BY count(*) DESC, c.afkorting LIMIT 1",
        (act,),
    ).fetchone()
    expected = _set(
        conn,
        "SELECT d.document_nummer FROM zaakactor za JOIN link l ON l.dst_id = za.zaak_id"
        " AND l.relation = 'zaak' AND l.src_category = 'Document' JOIN document d ON d.id = l.src_id"
        " WHERE za.commissie_id = ? AND za.relatie = 'Voortouwcommissie' AND d.skiptoken > ?",
        cid,
        doc,
    ) | _set(
        conn,
        "SELECT nummer FROM activiteit WHERE voortouwcommissie_id = ? AND skiptoken > ?",
        cid,
        act,
    )
    cases.append(Case("commissie", cafk, expected))
    # activiteit: one with new linked documents (and itself, when it changed)
    aid, anr = conn.execute(
        "SELECT a.id, a.nummer FROM activiteit a JOIN link l ON l.dst_id = a.id"
        " AND l.relation = 'activiteit' JOIN document d ON d.id = l.src_id WHERE d.skiptoken > ?"
        " GROUP BY a.id ORDER BY count(*) DESC, a.nummer LIMIT 1",
        (doc,),
    ).fetchone()
    expected = _set(
        conn,
        f"SELECT d.document_nummer FROM document d WHERE d.skiptoken > ? AND d.id IN ({LINKED})",
        doc,
        "activiteit",
        aid,
    )
    expected |= _set(conn, "SELECT nummer FROM activiteit WHERE id = ? AND skiptoken > ?", aid, act)
    cases.append(Case("activiteit", anr, expected))
    # kamerstukdossier
    kid, knr, ktv = conn.execute(
        "SELECT k.id, k.nummer, k.toevoeging FROM kamerstukdossier k JOIN document d"
        " ON d.kamerstukdossier_id = k.id WHERE d.skiptoken > ? GROUP BY k.id"
        " ORDER BY count(*) DESC, k.nummer LIMIT 1",
        (doc,),
    ).fetchone()
    value = f"{knr}-{ktv}" if ktv else str(knr)
    cases.append(
        Case(
            "kamerstukdossier",
            value,
            _set(
                conn,
                "SELECT document_nummer FROM document WHERE kamerstukdossier_id = ? AND skiptoken > ?",
                kid,
                doc,
            ),
        )
    )
    # toezeggingen: all, per fractie, per ministerie, per commissie
    cases.append(
        Case(
            "toezeggingen",
            "alle",
            _set(conn, "SELECT nummer FROM toezegging WHERE skiptoken > ?", tz),
        )
    )
    fid, fafk = conn.execute(
        "SELECT f.id, f.afkorting FROM toezegging t JOIN fractie f ON f.id = t.toegezegd_aan_fractie_id"
        " WHERE t.skiptoken > ? GROUP BY f.id ORDER BY count(*) DESC, f.afkorting LIMIT 1",
        (tz,),
    ).fetchone()
    cases.append(
        Case(
            "toezeggingen",
            f"fractie:{fafk}",
            _set(
                conn,
                "SELECT nummer FROM toezegging WHERE toegezegd_aan_fractie_id = ? AND skiptoken > ?",
                fid,
                tz,
            ),
        )
    )
    mini = _one(
        conn,
        "SELECT ministerie FROM toezegging WHERE skiptoken > ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        tz,
    )
    cases.append(
        Case(
            "toezeggingen",
            f"ministerie:{mini}",
            _set(
                conn,
                "SELECT nummer FROM toezegging WHERE ministerie = ? AND skiptoken > ?",
                mini,
                tz,
            ),
        )
    )
    vafk = _one(
        conn,
        "SELECT a.voortouwafkorting FROM toezegging t JOIN activiteit a ON a.id = t.activiteit_id"
        " WHERE t.skiptoken > ? GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
        tz,
    )
    cases.append(
        Case(
            "toezeggingen",
            f"commissie:{vafk}",
            _set(
                conn,
                "SELECT t.nummer FROM toezegging t JOIN activiteit a ON a.id = t.activiteit_id"
                " WHERE a.voortouwafkorting = ? AND t.skiptoken > ?",
                vafk,
                tz,
            ),
        )
    )
    # vraag: a written question of the first part whose answer (or uitstel) comes later
    qid, qnr = conn.execute(
        "SELECT q.id, q.document_nummer FROM document q JOIN link l1 ON l1.src_id = q.id AND l1.relation = 'zaak'"
        " JOIN link l2 ON l2.dst_id = l1.dst_id AND l2.relation = 'zaak' AND l2.src_category = 'Document'"
        " JOIN document d ON d.id = l2.src_id WHERE q.soort = 'Schriftelijke vragen'"
        " AND q.skiptoken <= ? AND d.skiptoken > ? AND (d.soort LIKE 'Antwoord%' OR d.soort LIKE '%uitstel%')"
        " ORDER BY q.document_nummer LIMIT 1",
        (doc, doc),
    ).fetchone()
    expected = _set(
        conn,
        "SELECT d.document_nummer FROM link l1 JOIN link l2 ON l2.dst_id = l1.dst_id AND l2.relation = 'zaak'"
        " AND l2.src_category = 'Document' JOIN document d ON d.id = l2.src_id WHERE l1.src_id = ?"
        " AND l1.relation = 'zaak' AND d.skiptoken > ? AND (d.soort LIKE 'Antwoord%' OR d.soort LIKE '%uitstel%')",
        qid,
        doc,
    )
    cases.append(Case("vraag", qnr, expected))
    # zoek: a frequent long word of the new documents (whole tokens, case-insensitive)
    new_docs = [
        (nummer, re.findall(r"\w+", " ".join(t or "" for t in texts).casefold()))
        for nummer, *texts in conn.execute(
            "SELECT document_nummer, onderwerp, titel, citeertitel FROM document"
            " WHERE skiptoken > ?",
            (doc,),
        )
    ]
    counts = Counter(w for _, words in new_docs for w in set(words) if len(w) >= 8)
    word = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    expected = {nummer for nummer, words in new_docs if word in words}
    cases.append(Case("zoek", word, expected))
    conn.close()
    return cases


@pytest.fixture(scope="module")
def scenario(
    feeds: Feeds, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Case], Mailbox, Path, str]:
    """Monitors of every kind after the first part, the rest synced, one alerts run."""
    from aiosmtpd.controller import Controller

    from tests.alerts.conftest import free_port

    data = clone_base(feeds, tmp_path_factory.mktemp("kinds") / "data")
    cases = _cases(feeds)
    for i, case in enumerate(cases):
        r = run_cli("monitor", "add", f"user{i}@example.org", case.kind, case.value, data_dir=data)
        assert r.returncode == 0, r.stderr
    sync_rest(feeds, data)
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    url = f"smtp://127.0.0.1:{port}"
    try:
        r = run_cli("alerts", "run", data_dir=data, env={"KAMERWATCH_SMTP_URL": url})
        assert r.returncode == 0, r.stderr
        again = run_cli("alerts", "run", data_dir=data, env={"KAMERWATCH_SMTP_URL": url})
        assert again.returncode == 0, again.stderr
    finally:
        controller.stop()
    return cases, box, data, r.stdout


KIND_IDS = [
    "zaak",
    "persoon",
    "commissie",
    "activiteit",
    "kamerstukdossier",
    "toezeggingen-alle",
    "toezeggingen-fractie",
    "toezeggingen-ministerie",
    "toezeggingen-commissie",
    "vraag",
    "zoek",
]


@pytest.mark.parametrize("index", range(len(KIND_IDS)), ids=KIND_IDS)
def test_each_kind_reports_exactly_the_new_items(
    scenario: tuple[list[Case], Mailbox, Path, str], index: int
) -> None:
    cases, box, _, _ = scenario
    case = cases[index]
    assert case.expected, f"the sample has new items for {case.kind} {case.value}"
    mails = box.to(f"user{index}@example.org")
    assert len(mails) == 1, "one digest, and nothing again on the second run"
    assert numbers_in(mails[0]) == case.expected


def test_digest_is_well_formed(scenario: tuple[list[Case], Mailbox, Path, str]) -> None:
    _, box, _, _ = scenario
    msg = box.messages[0]
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/mijn/afmelden?t=a")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = msg.get_body(("html",)).get_content()
    text = msg.get_body(("plain",)).get_content()
    assert "waarom:" in text and "http://127.0.0.1:8000/" in text
    assert '<a href="http://127.0.0.1:8000/' in html and "/mijn/afmelden?t=m" in html


def test_monitor_list_counts_hits(scenario: tuple[list[Case], Mailbox, Path, str]) -> None:
    cases, _, data, _ = scenario
    r = run_cli("monitor", "list", "user0@example.org", data_dir=data)
    assert r.returncode == 0
    assert f"treffers: {len(cases[0].expected)}" in r.stdout
