"""One runner per stage: a lock in the database (or beside the SQLite file).

Several hosts may share one PostgreSQL database; two of them must never run the same stage
(sync, fetch-documents, convert, index, alerts) at once. On PostgreSQL the lock is a
session-level advisory lock on a connection of its own: the server releases it when that
session ends, also when the holder crashes or its host disappears (TCP keepalives end the
session within about a minute and a half). On SQLite, where everything runs on one machine,
it is an ``flock`` on a file beside the database, which the kernel releases when the process
dies. Either way a crashed holder never blocks the next run.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .db import POSTGRESQL, Connection, Database, DatabaseError

LOCK_SPACE = 0x6B77  # the first key of the advisory locks: "kw"


class StageBusy(DatabaseError):
    """Another process holds the stage's lock."""


def stage_key(stage: str) -> int:
    return zlib.crc32(stage.encode()) & 0x7FFF_FFFF


@contextmanager
def stage_lock(db: Database, stage: str) -> Iterator[None]:
    """Hold the lock of ``stage`` for the duration of the block, or raise :class:`StageBusy`."""
    if db.backend.name == POSTGRESQL:
        with _advisory(db, stage):
            yield
    else:
        with _file_lock(db, stage):
            yield


@contextmanager
def _advisory(db: Database, stage: str) -> Iterator[None]:
    conn: Connection = db.reader()
    try:
        # a dead holder's session must end soon: the lock goes with it
        conn.execute("SET idle_session_timeout = 0")
        for setting, value in (("idle", 30), ("interval", 10), ("count", 6)):
            with suppress(Exception):  # not on unix sockets
                conn.execute(f"SET tcp_keepalives_{setting} = {value}")
        row = conn.execute(
            "SELECT pg_try_advisory_lock(?, ?)", (LOCK_SPACE, stage_key(stage))
        ).fetchone()
        if not row[0]:
            raise StageBusy(f"{stage} loopt al (andere host of proces); overgeslagen")
        try:
            yield
        finally:
            with suppress(Exception):
                conn.execute("SELECT pg_advisory_unlock(?, ?)", (LOCK_SPACE, stage_key(stage)))
    finally:
        conn.close()


@contextmanager
def _file_lock(db: Database, stage: str) -> Iterator[None]:
    path = f"{getattr(db, 'path', 'kamerwatch')}.{stage}.lock"
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(f"kan slot {path} niet maken: {exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StageBusy(f"{stage} loopt al (ander proces); overgeslagen") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


# the lock a run of sync_run holds (a re-parse runs under the sync lock)
LOCK_OF_RUN = {"reparse": "sync"}


def lock_of(run_stage: str) -> str:
    return LOCK_OF_RUN.get(run_stage, run_stage)


def held_locks(conn: Connection, stages: Iterable[str]) -> set[str]:
    """Which of ``stages`` have their lock held by some process right now, looked at without
    taking any lock (a stage starting at that moment must not find its lock busy): on
    PostgreSQL in ``pg_locks``, on SQLite in the kernel's ``/proc/locks``. A run that says
    "bezig" while its stage's lock is free belongs to a process that died."""
    wanted = set(stages)
    if conn.backend.name == POSTGRESQL:
        rows = conn.execute(
            "SELECT classid::bigint, objid::bigint FROM pg_locks "
            "WHERE locktype = 'advisory' AND granted"
        ).fetchall()
        keys = {int(objid) for classid, objid in rows if int(classid) == LOCK_SPACE}
        return {s for s in wanted if stage_key(s) in keys}
    files = [str(r[2]) for r in conn.execute("PRAGMA database_list") if r[1] == "main"]
    if not files or not files[0]:
        return set()
    flocked = _flocked_files()
    found = set()
    for stage in wanted:
        try:
            st = os.stat(f"{files[0]}.{stage}.lock")
        except OSError:
            continue
        if (os.major(st.st_dev), os.minor(st.st_dev), st.st_ino) in flocked:
            found.add(stage)
    return found


def _flocked_files() -> set[tuple[int, int, int]]:
    """(major, minor, inode) of every file with an flock, from ``/proc/locks`` (Linux)."""
    out: set[tuple[int, int, int]] = set()
    try:
        text = Path("/proc/locks").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        parts = line.split()
        # "1: FLOCK  ADVISORY  WRITE 4321 fe:00:2293764 0 EOF" (blocked waiters have "->")
        if len(parts) >= 6 and parts[1] == "FLOCK" and parts[2] != "->":
            major, minor, inode = parts[5].split(":")
            out.add((int(major, 16), int(minor, 16), int(inode)))
    return out
