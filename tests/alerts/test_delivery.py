"""Delivery: de-duplication, intervals, dry run, .eml fallback, SMTP down, SIGKILL mid-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kamerwatch import alerts
from kamerwatch.store.db import Database
from kamerwatch.subsystems import open_migrated
from tests.alerts.conftest import Feeds, Mailbox, free_port, numbers_in, sync_rest
from tests.conftest import FAST_ENV, connect, url_of
from tests.conftest import kamerwatch as run_cli

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class Capture:
    def __init__(self) -> None:
        self.sent: list[tuple[bytes, str]] = []

    def send(self, message: bytes, sender: str, recipient: str) -> None:
        self.sent.append((message, recipient))


def _run(
    db: Database, transport: alerts.Transport, now: datetime = NOW, dry: bool = False
) -> alerts.RunReport:
    return alerts.run_alerts(
        db,
        transport,
        base_url="https://kw.example",
        mail_from="kw <kw@example.org>",
        now=now,
        dry_run=dry,
    )


def _open(data_dir: Path) -> Database:
    return open_migrated(url_of(data_dir))


def _add(data_dir: Path, *monitors: tuple[str, str, str]) -> None:
    for email, kind, value in monitors:
        r = run_cli("monitor", "add", email, kind, value, data_dir=data_dir)
        assert r.returncode == 0, r.stderr


def _pending(data_dir: Path) -> int:
    conn = connect(url_of(data_dir))
    try:
        return int(conn.execute("SELECT count(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0])
    finally:
        conn.close()


def _busy_ksd(data_dir: Path) -> tuple[str, str]:
    """A zaak whose new documents also belong to a dossier: two overlapping monitors."""
    conn = connect(url_of(data_dir))
    try:
        row = conn.execute(
            "SELECT z.nummer, k.nummer FROM zaak z JOIN kamerstukdossier k ON k.id = z.kamerstukdossier_id"
            " ORDER BY z.nummer DESC LIMIT 1"
        ).fetchone()
        return str(row[0]), str(row[1])
    finally:
        conn.close()


def test_a_document_found_by_two_monitors_is_mailed_once_and_never_again(
    feeds: Feeds, data_dir: Path
) -> None:
    _add(
        data_dir, ("d@example.org", "toezeggingen", "alle"), ("d@example.org", "zoek", "toezegging")
    )
    zaak, ksd = _busy_ksd(data_dir)
    _add(data_dir, ("d@example.org", "kamerstukdossier", ksd), ("d@example.org", "zaak", zaak))
    sync_rest(feeds, data_dir)
    capture = Capture()
    with _open(data_dir) as db:
        report = _run(db, capture)
        assert report.digests == 1 and report.sent == 1
        from email import message_from_bytes
        from email.policy import default

        msg = message_from_bytes(capture.sent[0][0], policy=default)
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        listed = [
            line.strip().split(" - ")[0]
            for line in text.splitlines()
            if line.startswith("  ") and not line.startswith("   ") and " - " in line
        ]
        assert len(listed) == len(set(listed)) == report.hits
        assert _run(db, capture).digests == 0, "nothing twice across runs"
        assert len(capture.sent) == 1


def test_intervals_and_dry_run(feeds: Feeds, data_dir: Path) -> None:
    with _open(data_dir) as db:
        account = alerts.add_monitor_for_email(
            db, "i@example.org", "toezeggingen", "alle", NOW, "1d"
        )
        daily_id = account.id
    sync_rest(feeds, data_dir)
    capture = Capture()
    with _open(data_dir) as db:
        dry = _run(db, capture, dry=True)
        assert dry.digests == 1 and dry.planned and "waarom:" in dry.planned[0].text
        assert (
            capture.sent == [] and db.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
        )
        assert alerts.list_monitors(db)[0].last_run_at is None, "a dry run advances nothing"
        first = _run(db, capture)
        assert first.due == 1 and first.sent == 1
        assert _run(db, capture, NOW + timedelta(hours=23)).due == 0, "daily: not due yet"
        assert _run(db, capture, NOW + timedelta(days=1)).due == 1
        assert [m.id for m in alerts.list_monitors(db)] == [daily_id]


def test_cli_dry_run_and_eml_fallback(feeds: Feeds, data_dir: Path) -> None:
    _add(data_dir, ("e@example.org", "toezeggingen", "alle"))
    sync_rest(feeds, data_dir)
    dry = run_cli("alerts", "run", "--dry-run", data_dir=data_dir)
    assert dry.returncode == 0, dry.stderr
    assert "--- aan e@example.org" in dry.stdout and "zou versturen: 1" in dry.stdout
    assert not (data_dir / "mail").exists()
    real = run_cli("alerts", "run", data_dir=data_dir)
    assert real.returncode == 0, real.stderr
    emls = list((data_dir / "mail").glob("*.eml"))
    assert len(emls) == 1 and b"To: e@example.org" in emls[0].read_bytes()
    assert run_cli("alerts", "run", data_dir=data_dir).returncode == 0
    assert len(list((data_dir / "mail").glob("*.eml"))) == 1


def test_smtp_down_keeps_the_digest_for_the_next_run(feeds: Feeds, data_dir: Path) -> None:
    _add(
        data_dir,
        ("s@example.org", "toezeggingen", "alle"),
        ("t@example.org", "toezeggingen", "alle"),
    )
    sync_rest(feeds, data_dir)
    port = free_port()
    env = {"KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}
    down = run_cli("alerts", "run", data_dir=data_dir, env=env)
    assert down.returncode != 0
    assert "onbereikbaar" in down.stderr and "bewaard" in down.stderr
    assert "Traceback" not in down.stderr
    assert _pending(data_dir) == 2
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = run_cli("alerts", "run", data_dir=data_dir, env=env)
        assert up.returncode == 0, up.stderr
        assert run_cli("alerts", "run", data_dir=data_dir, env=env).returncode == 0
    finally:
        controller.stop()
    assert sorted(m["To"] for m in box.messages) == ["s@example.org", "t@example.org"]
    assert _pending(data_dir) == 0


USERS = [f"k{i}@example.org" for i in range(4)]


@pytest.mark.parametrize("moment", ["before-accept", "after-accept"])
def test_sigkill_during_delivery_then_rerun_delivers_each_digest_once(
    feeds: Feeds, data_dir: Path, moment: str
) -> None:
    _add(data_dir, *[(u, "toezeggingen", "alle") for u in USERS])
    sync_rest(feeds, data_dir)
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    holder: dict[str, int] = {}

    def kill_on_second(count: int) -> str | None:
        if count != 1:
            return None
        deadline = time.monotonic() + 20
        while "pid" not in holder and time.monotonic() < deadline:
            time.sleep(0.01)
        if moment == "after-accept":
            return None  # stored below, then the client dies before it records "sent"
        os.kill(holder["pid"], signal.SIGKILL)
        return "451 try again later"

    box.on_message = kill_on_second
    original = box.handle_DATA

    async def handle(server: object, session: object, envelope: object) -> str:
        verdict = await original(server, session, envelope)
        if moment == "after-accept" and len(box.messages) == 2:
            os.kill(holder["pid"], signal.SIGKILL)
        return verdict

    box.handle_DATA = handle  # type: ignore[method-assign]
    env = {**os.environ, **FAST_ENV, "KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}
    env["KAMERWATCH_DATABASE_URL"] = url_of(data_dir)
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "--data-dir",
                str(data_dir),
                "-q",
                "alerts",
                "run",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        holder["pid"] = proc.pid
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL
        assert _pending(data_dir) >= 1
        box.on_message = None
        box.handle_DATA = original  # type: ignore[method-assign]
        rerun = run_cli(
            "alerts",
            "run",
            data_dir=data_dir,
            env={"KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"},
        )
        assert rerun.returncode == 0, rerun.stderr
    finally:
        controller.stop()
    assert _pending(data_dir) == 0
    for user in USERS:
        mails = box.to(user)
        ids = {m["Message-ID"] for m in mails}
        assert len(ids) == 1, f"{user}: one digest, no hit lost"
        if moment == "before-accept":
            assert len(mails) == 1, "refused before the kill: sent exactly once"
        assert numbers_in(mails[0])
    # a kill after the server's "250" but before "sent" is recorded resends the same
    # Message-ID (at-least-once, recognisable by the receiver)
    if moment == "after-accept":
        assert len(box.messages) == len(USERS) + 1


def test_vraag_reports_the_term_passing_without_answer(feeds: Feeds, data_dir: Path) -> None:
    sync_rest(feeds, data_dir)
    with _open(data_dir) as db:
        row = db.conn.execute(
            "SELECT q.document_nummer, q.datum FROM document q WHERE q.soort = 'Schriftelijke vragen'"
            " AND NOT EXISTS (SELECT 1 FROM link l1 JOIN link l2 ON l2.dst_id = l1.dst_id"
            " AND l2.relation = 'zaak' JOIN document d ON d.id = l2.src_id"
            " WHERE l1.src_id = q.id AND l1.relation = 'zaak' AND d.id != q.id"
            " AND (d.soort LIKE 'Antwoord%' OR d.soort LIKE '%uitstel%')) ORDER BY 1 LIMIT 1"
        ).fetchone()
        assert row is not None
        nummer, datum = row
        asked = datetime.combine(date.fromisoformat(datum[:10]), datetime.min.time(), UTC)
        alerts.add_monitor_for_email(
            db, "v@example.org", "vraag", nummer, asked + timedelta(days=1)
        )
        capture = Capture()
        assert _run(db, capture, asked + timedelta(days=20)).digests == 0
        report = _run(db, capture, asked + timedelta(days=22))
        assert report.digests == 1
        assert b"termijn van drie weken verstreken" in capture.sent[0][0].replace(b"=\r\n", b"")
        assert _run(db, capture, asked + timedelta(days=30)).digests == 0, "reported once"


def test_database_restart_during_delivery_then_rerun_delivers_each_digest_once(
    feeds: Feeds, data_dir: Path
) -> None:
    """PostgreSQL goes down (killed, as in a crash) while the second digest is at the SMTP
    server: the run stops with one clear line, the rerun delivers the rest; every user gets
    their digest, none twice unless the server had already accepted it."""
    if feeds.pg is None:
        pytest.skip("a PostgreSQL fault (the SQLite variant of this is the SIGKILL test)")
    pg = feeds.pg
    _add(data_dir, *[(u, "toezeggingen", "alle") for u in USERS])
    sync_rest(feeds, data_dir)
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()

    def restart_on_second(count: int) -> str | None:
        if count == 1:
            pg.restart()  # the run's connection is gone when it records "sent"
        return None

    box.on_message = restart_on_second
    smtp = {"KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{port}"}
    try:
        broken = run_cli("alerts", "run", data_dir=data_dir, env=smtp)
        assert broken.returncode != 0
        assert "Traceback" not in broken.stderr, broken.stderr
        assert "verbroken" in broken.stderr or "onbereikbaar" in broken.stderr, broken.stderr
        box.on_message = None
        rerun = run_cli("alerts", "run", data_dir=data_dir, env=smtp)
        assert rerun.returncode == 0, rerun.stderr
    finally:
        controller.stop()
    assert _pending(data_dir) == 0
    for user in USERS:
        ids = {m["Message-ID"] for m in box.to(user)}
        assert len(ids) == 1, f"{user}: one digest, no hit lost"
    assert len(USERS) <= len(box.messages) <= len(USERS) + 1  # at most the one in flight again
