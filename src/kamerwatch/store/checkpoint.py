"""WAL checkpoints off the writer's path, for long write-heavy runs (sync, re-parse).

SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold: the
writer then copies the WAL into the database file and waits for two fsyncs. On a slow disk
that was half of a first sync's time. :class:`BackgroundCheckpointer` turns the automatic
checkpoint off for the writer connection and lets a thread with its own connection do
``PASSIVE`` checkpoints instead (sqlite3 releases the GIL while it works), so the writer
keeps committing meanwhile. Durability is unchanged: commits still go to the WAL exactly as
before (same ``journal_mode`` and ``synchronous``); only *who* copies them on, and when,
differs.

The WAL stays bounded: once it holds more than ``limit_frames`` pages the thread asks the
writer to pause at its next transaction boundary (:meth:`pause_point`) and truncates the WAL
while the writer waits.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from .db import SqliteConnection

log = logging.getLogger(__name__)

_RUN, _ASKING, _IDLE = "run", "asking", "idle"


class NoCheckpointer:
    """For PostgreSQL, which checkpoints by itself: the same interface, doing nothing."""

    checkpoints = 0
    pauses = 0

    def __enter__(self) -> NoCheckpointer:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def pause_point(self) -> None:
        pass


def for_database(db: Any) -> BackgroundCheckpointer | NoCheckpointer:
    """The checkpointer of a long write-heavy run on ``db`` (SQLite) or none (PostgreSQL)."""
    if db.backend.name == "postgresql":
        return NoCheckpointer()
    return BackgroundCheckpointer(db.path, db.conn)


class BackgroundCheckpointer:
    """Context manager around a writer connection (outside any transaction)."""

    def __init__(
        self,
        path: Path | str,
        writer: sqlite3.Connection,
        *,
        interval: float = 0.2,
        limit_frames: int = 32768,
    ) -> None:
        self.path = str(path)
        self.writer = writer
        self.interval = interval
        self.limit_frames = limit_frames
        self._cond = threading.Condition()
        self._state = _RUN
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._autocheckpoint = 1000
        self.checkpoints = 0
        self.pauses = 0

    def __enter__(self) -> BackgroundCheckpointer:
        row = self.writer.execute("PRAGMA wal_autocheckpoint").fetchone()
        self._autocheckpoint = int(row[0]) if row else 1000
        self.writer.execute("PRAGMA wal_autocheckpoint=0")
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
        try:
            self.writer.execute(f"PRAGMA wal_autocheckpoint={self._autocheckpoint}")
            if not self.writer.in_transaction:
                self.writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as err:  # the data is safe in the WAL; the next commit goes on
            log.warning("WAL-checkpoint na afloop mislukt: %s", err)

    def pause_point(self) -> None:
        """Call between transactions: waits while the WAL is being truncated (rarely)."""
        with self._cond:
            if self._state != _ASKING:
                return
            self._state = _IDLE
            self.pauses += 1
            self._cond.notify_all()
            thread = self._thread
            while self._state != _RUN and thread is not None and thread.is_alive():
                self._cond.wait(1.0)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(
                self.path, timeout=5, isolation_level=None, factory=SqliteConnection
            )
        except sqlite3.Error as err:
            log.warning("WAL-checkpointthread start niet: %s", err)
            return
        last = (-1, -1)
        try:
            while not self._stop.is_set():
                try:
                    _busy, frames, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except sqlite3.Error as err:
                    log.warning("WAL-checkpoint mislukt: %s", err)
                    frames = done = 0
                self.checkpoints += 1
                if frames >= self.limit_frames:
                    self._truncate(conn)
                elif frames <= done or (frames, done) == last:  # caught up, or held up
                    self._stop.wait(self.interval)
                last = (frames, done)
        finally:
            conn.close()

    def _truncate(self, conn: sqlite3.Connection) -> None:
        try:
            with self._cond:
                self._state = _ASKING
                self._cond.wait_for(lambda: self._state == _IDLE or self._stop.is_set())
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as err:
            log.warning("WAL-checkpoint (truncate) mislukt: %s", err)
        finally:  # never leave the writer waiting
            with self._cond:
                self._state = _RUN
                self._cond.notify_all()
