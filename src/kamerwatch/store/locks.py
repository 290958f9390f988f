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
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from .db import POSTGRESQL, Database, DatabaseError

LOCK_SPACE = 0x6B77  # the first key of the advisory locks: "kw"


class StageBusy(DatabaseError):
    """Another process holds the stage's lock."""


def stage_key(stage: str) -> int:
    return zlib.crc32(stage.encode()) & 0x7FFF_FFFF


@contextmanager
def stage_lock(db: Database, stage: str) -> Iterator[None]:
    """Hold the lock of ``stage`` for the duration of the block, or raise :class:`StageBusy`."""
    if db.dialect == POSTGRESQL:
        with _advisory(db, stage):
            yield
    else:
        with _file_lock(db, stage):
            yield


@contextmanager
def _advisory(db: Database, stage: str) -> Iterator[None]:
    conn: Any = db.reader()
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
