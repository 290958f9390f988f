"""``kamerwatch alerts run``: due monitors → new items → one digest per account → mail.

Bookkeeping, so that a kill at any moment neither loses a hit nor sends a digest twice:

1. **Record** (one transaction): evaluate the due monitors, render each account's digest,
   store it in ``outbox`` together with its items (``sent_item``) and advance the monitors.
   Killed before the commit: nothing happened, the next run sees the same window.
2. **Send** every outbox row without ``sent_at``: count the attempt, hand the mail to
   SMTP, set ``sent_at``. A failure leaves the row pending for the next run; a kill
   between the SMTP "250" and ``sent_at`` resends the same bytes with the same
   Message-ID (at-least-once; the window is one statement wide).

Pending digests of earlier runs are sent first, so nothing waits behind new mail.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime

from kamerwatch.diffs import excerpt, word_diff
from kamerwatch.kinds import alert_url
from kamerwatch.store import alerts as q
from kamerwatch.store import diffs as diff_store
from kamerwatch.store import webhooks as wq
from kamerwatch.store.alert_matches import MatchRow, Window, observe_activities
from kamerwatch.store.db import Connection, Database

from . import matching
from . import webhooks as hooks_mod
from .accounts import iso, server_secret, unsubscribe_all_token, unsubscribe_token
from .digest import Digest, DigestMonitor, render, text_body
from .mail import MailError, Transport, sender_address
from .models import INTERVALS, Hit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Planned:
    """A digest as the dry run shows it."""

    email: str
    subject: str
    hits: int
    text: str


@dataclass(slots=True)
class RunReport:
    due: int = 0
    queries: int = 0
    digests: int = 0
    hits: int = 0
    sent: int = 0
    pending: int = 0
    webhook_deliveries: int = 0  # made by this run
    webhooks: hooks_mod.DeliveryReport = field(default_factory=hooks_mod.DeliveryReport)
    error: str | None = None
    planned: list[Planned] = field(default_factory=list)


class _DryRun(Exception):
    """Rolls the record transaction back."""


def is_due(row: q.MonitorRow, now: datetime) -> bool:
    if row.last_run_at is None:
        return True
    return (
        datetime.fromisoformat(row.last_run_at) + INTERVALS.get(row.interval, INTERVALS["direct"])
        <= now
    )


def _group_key(row: q.MonitorRow) -> tuple[str, ...]:
    key = (row.kind, row.value, repr(sorted(row.cursor.items())))
    return (*key, row.created_at[:10]) if row.kind == "vraag" else key


def _evaluate(
    conn: Connection,
    due: list[q.MonitorRow],
    hi: dict[str, int],
    now: datetime,
    report: RunReport,
    reminder_days: int = 1,
) -> dict[int, list[MatchRow]]:
    """Hits per monitor id; each distinct (kind, value, window) evaluated once."""
    groups: dict[tuple[str, ...], list[q.MonitorRow]] = defaultdict(list)
    for row in due:
        groups[_group_key(row)].append(row)
    report.queries = len(groups)
    matching.reset_cache()
    found: dict[int, list[MatchRow]] = {}
    for members in groups.values():
        first = members[0]
        rows = matching.evaluate(
            conn,
            first.kind,
            first.value,
            Window(first.cursor, hi),
            first.created_at,
            now,
            reminder_days,
        )
        for member in members:
            found[member.id] = rows
    return found


def _with_versions(
    conn: Connection, found: dict[int, list[MatchRow]], base_url: str
) -> dict[int, list[MatchRow]]:
    """A document whose file has a new version (its text changed) is an item of its own
    (``document:<id>:v<version>``), with a short "wat is er veranderd" as its snippet."""
    ids = sorted(
        {
            r.item_key.split(":", 1)[1]
            for rows in found.values()
            for r in rows
            if r.kind == "document"
        }
    )
    changed = diff_store.new_versions(conn, ids) if ids else {}
    if not changed:
        return found
    swapped: dict[int, MatchRow] = {}
    summaries: dict[str, tuple[str, str, str]] = {}  # id → (excerpt, label, query)

    def swap(row: MatchRow) -> MatchRow:
        ident = row.item_key.split(":", 1)[1] if row.kind == "document" else ""
        if ident not in changed:
            return row
        if id(row) not in swapped:
            old_version, old_text, version, text = changed[ident]
            if ident not in summaries:
                summary = excerpt(word_diff(old_text, text)) or "alleen opmaak of witruimte"
                numbers = diff_store.page_numbers(conn, ident, old_version, version)
                if numbers is None:  # a new file, not (yet) a new version in the feed
                    summaries[ident] = (summary, "nieuw bestand", "")
                else:
                    label = f"versie {numbers[0]} → {numbers[1]}"
                    summaries[ident] = (summary, label, f"?van={numbers[0]}&naar={numbers[1]}")
            summary, label, query = summaries[ident]
            link = alert_url(base_url, "document", row.nummer) + "/wijzigingen" + query
            swapped[id(row)] = replace(
                row,
                item_key=f"document:{ident}:v{version}",
                snippet=f"wat is er veranderd ({label}): {summary}",
                why=f"{row.why}; nieuwe versie, alle wijzigingen: {link}",
            )
        return swapped[id(row)]

    return {mid: [swap(r) for r in rows] for mid, rows in found.items()}


def _digest(
    db: Database,
    base_url: str,
    account_id: int,
    email: str,
    rows: list[tuple[q.MonitorRow, list[MatchRow]]],
    cache: dict[int, Hit] | None = None,
) -> tuple[Digest, list[q.SentItem]] | None:
    """``cache``: the hits made in this run, by the id of their row (shared by monitors)."""
    already = q.sent_items(db.conn, account_id, [r.item_key for _, hits in rows for r in hits])
    by_item: dict[str, tuple[Hit, list[int]]] = {}
    monitors: dict[int, DigestMonitor] = {}
    base = base_url.rstrip("/")
    made = {} if cache is None else cache
    for mon, hits in rows:
        for r in hits:
            if r.item_key in already:
                continue
            entry = by_item.get(r.item_key)
            if entry is None:
                hit = made.get(id(r))
                if hit is None:
                    hit = made[id(r)] = Hit.from_row(r, base)
                entry = by_item[r.item_key] = (hit, [])
            entry[1].append(mon.id)
            if mon.id not in monitors:
                token = unsubscribe_token(db, mon.id)
                monitors[mon.id] = DigestMonitor(
                    mon.id, mon.kind, mon.value, f"{base}/mijn/afmelden?t={token}"
                )
    if not by_item:
        return None
    digest = Digest(
        email,
        monitors,
        [(hit, tuple(ids)) for hit, ids in by_item.values()],
        f"{base}/mijn/afmelden?t={unsubscribe_all_token(db, account_id)}",
        f"{base}/mijn",
    )
    items = [
        q.SentItem(key, ids[0], f"{hit.nummer} – {hit.onderwerp}", _detail(hit), hit.url)
        for key, (hit, ids) in by_item.items()
    ]
    return digest, items


def _detail(hit: Hit) -> str:
    return " · ".join(p for p in (hit.snippet, hit.why) if p)


def _record(
    db: Database,
    base_url: str,
    mail_from: str,
    now: datetime,
    dry_run: bool,
    report: RunReport,
    reminder_days: int = 1,
) -> None:
    try:
        with db.transaction() as conn:
            hi = q.feed_cursors(conn)
            due = [row for row in q.monitors(conn) if is_due(row, now)]
            report.due = len(due)
            observe_activities(conn, hi.get("Activiteit", 0))  # moved/cancelled debates
            found = _evaluate(conn, due, hi, now, report, reminder_days)
            found = _with_versions(conn, found, base_url)
            per_account: dict[int, list[tuple[q.MonitorRow, list[MatchRow]]]] = defaultdict(list)
            for row in due:
                per_account[row.account_id].append((row, found[row.id]))
            hooks = wq.webhooks_of_accounts(conn, list(per_account))
            cache: dict[int, Hit] = {}
            _FRAGMENTS.clear()
            for account_id, rows in per_account.items():
                _record_account(
                    db,
                    base_url,
                    mail_from,
                    now,
                    account_id,
                    rows,
                    report,
                    hooks.get(account_id, []),
                    cache,
                )
            _FRAGMENTS.clear()
            for row in due:
                q.advance_monitor(conn, row.id, hi, iso(now), len(found[row.id]))
            if dry_run:
                raise _DryRun
    except _DryRun:
        log.info("proefdraai: niets verstuurd, niets bijgewerkt")


def _record_account(
    db: Database,
    base_url: str,
    mail_from: str,
    now: datetime,
    account_id: int,
    rows: list[tuple[q.MonitorRow, list[MatchRow]]],
    report: RunReport,
    hooks: list[wq.WebhookRow],
    cache: dict[int, Hit],
) -> None:
    made = _digest(db, base_url, account_id, rows[0][0].email, rows, cache)
    if made is None:
        return
    digest, items = made
    report.hits += len(items)
    if hooks:
        _webhook_deliveries(db, base_url, now, digest, rows, hooks, report)
        instead = {h.monitor_id for h in hooks if h.instead}
        mailed = [(hit, ids) for hit, ids in digest.hits if not _instead(ids, instead)]
        if len(mailed) < len(digest.hits):
            keep = {i for _, ids in mailed for i in ids}
            monitors = {i: m for i, m in digest.monitors.items() if i in keep}
            digest = replace(digest, hits=mailed, monitors=monitors)
    if not digest.hits:  # everything went to webhooks instead of mail
        q.insert_sent_items(db.conn, account_id, 0, iso(now), items)
        return
    message = render(digest, mail_from, now)
    report.digests += 1
    report.planned.append(Planned(digest.email, digest.subject, len(items), text_body(digest)))
    q.insert_outbox(db.conn, account_id, message.message_id, message.data, iso(now), items)


# items as JSON and chat lines, by the id of their hit; emptied per run
_FRAGMENTS: dict[int, tuple[str, str]] = {}


def _instead(ids: tuple[int, ...], instead: set[int | None]) -> bool:
    """Whether an item found by these monitors goes to webhooks instead of mail
    (``instead``: the monitors whose webhooks replace mail; None: every monitor)."""
    return None in instead or all(i in instead for i in ids)


def _webhook_deliveries(
    db: Database,
    base_url: str,
    now: datetime,
    digest: Digest,
    rows: list[tuple[q.MonitorRow, list[MatchRow]]],
    hooks: list[wq.WebhookRow],
    report: RunReport,
) -> None:
    by_id = {mon.id: mon for mon, _ in rows}
    made = []
    for hook in hooks:
        chosen = [
            (hit, ids)
            for hit, ids in digest.hits
            if hook.monitor_id is None or hook.monitor_id in ids
        ]
        if not chosen:
            continue
        ids = sorted({i for _, found in chosen for i in found})
        monitors = {
            i: hooks_mod.PayloadMonitor(i, by_id[i].kind, by_id[i].value) for i in ids if i in by_id
        }
        delivery_id = hooks_mod.new_delivery_id()
        body = hooks_mod.payload(
            delivery_id, digest.email, monitors, chosen, digest.manage_url, now, _FRAGMENTS
        )
        made.append((delivery_id, hook.id, hook.account_id, len(chosen), body, iso(now)))
    wq.insert_deliveries(db.conn, made)
    report.webhook_deliveries += len(made)


def deliver(
    db: Database, transport: Transport, mail_from: str, now: datetime, report: RunReport
) -> None:
    """Send every pending digest in order; stop at the first transport failure."""
    sender = sender_address(mail_from)
    for row in q.pending_outbox(db.conn):
        try:
            transport.send(row.message, sender, row.email)
        except MailError as exc:
            with db.transaction() as conn:
                q.mark_attempt(conn, row.id, str(exc))
            report.error = str(exc)
            log.error("digest %s niet verstuurd: %s", row.message_id, exc)
            break
        with db.transaction() as conn:
            q.mark_attempt(conn, row.id, None)
            q.mark_sent(conn, row.id, iso(now))
        report.sent += 1
    report.pending = q.outbox_counts(db.conn)[1]


def run_alerts(
    db: Database,
    transport: Transport,
    *,
    base_url: str,
    mail_from: str,
    now: datetime,
    dry_run: bool = False,
    webhooks: hooks_mod.Options | None = None,
    reminder_days: int = 1,
) -> RunReport:
    """``webhooks``: how deliveries go out (default: public hosts only); ``reminder_days``:
    how many days before a debate on a followed zaak or dossier the reminder comes."""
    report = RunReport()
    options = webhooks or hooks_mod.Options()
    server_secret(db)  # made (and committed) before the record transaction needs it
    if not dry_run:
        deliver(db, transport, mail_from, now, report)
        if report.error:
            _record(db, base_url, mail_from, now, dry_run, report, reminder_days)
            report.pending = q.outbox_counts(db.conn)[1]
            report.webhooks = hooks_mod.deliver(db, now, options)
            return report
    _record(db, base_url, mail_from, now, dry_run, report, reminder_days)
    if not dry_run:
        deliver(db, transport, mail_from, now, report)
        report.webhooks = hooks_mod.deliver(db, now, options)
    return report
