"""Mail off the request path: one worker thread per web server process hands mails to the
transport, so a slow or unreachable mail server never holds up a request or the event loop.

A request submits its mail and waits a short while (without blocking the event loop) to
tell the visitor honestly what happened: sent, failed, or still queued. A mail that waited
longer than its ``expires`` (a login link is worth nothing after 30 minutes) is dropped.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from .mail import MailError, Transport

log = logging.getLogger(__name__)

MAX_WAITING = 1000  # mails waiting at most; beyond that a submission fails at once


@dataclass(slots=True)
class MailCounts:
    """What the worker did since start (for /metrics)."""

    sent: int = 0
    failed: int = 0
    expired: int = 0


@dataclass(slots=True)
class _Job:
    message: bytes
    sender: str
    recipient: str
    expires: float  # time.monotonic() after which the mail is no longer worth sending
    future: Future[None]
    what: str


class MailQueue:
    """A FIFO of mails and the thread that sends them, one at a time, in order."""

    def __init__(
        self,
        transport: Transport,
        *,
        max_waiting: int = MAX_WAITING,
        on_done: Callable[[str], None] | None = None,
    ) -> None:
        self.transport = transport
        self.counts = MailCounts()
        self._jobs: queue.Queue[_Job | None] = queue.Queue(max_waiting)
        self._on_done = on_done
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = False

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="kamerwatch-mail", daemon=True
                )
                self._thread.start()

    def submit(
        self, message: bytes, sender: str, recipient: str, *, ttl: float, what: str = "mail"
    ) -> Future[None]:
        """Queue a mail; the future ends with None (sent) or a :class:`MailError`."""
        future: Future[None] = Future()
        if self._stopped:
            future.set_exception(MailError("de server stopt; de mail is niet verstuurd"))
            return future
        self._ensure_thread()
        job = _Job(message, sender, recipient, time.monotonic() + ttl, future, what)
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            self._count("failed")
            future.set_exception(MailError("te veel mails in de wachtrij; probeer het later"))
        return future

    def waiting(self) -> int:
        return self._jobs.qsize()

    def _count(self, outcome: str) -> None:
        with self._lock:
            setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        if self._on_done is not None:
            self._on_done(outcome)

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            if time.monotonic() > job.expires:
                self._count("expired")
                log.warning(
                    "%s aan %s niet verstuurd: te lang in de wachtrij", job.what, job.recipient
                )
                job.future.set_exception(MailError("te lang in de wachtrij; niet verstuurd"))
                continue
            try:
                self.transport.send(job.message, job.sender, job.recipient)
            except Exception as exc:  # the transport's own words; the visitor was told
                self._count("failed")
                log.error("%s aan %s niet verstuurd: %s", job.what, job.recipient, exc)
                job.future.set_exception(exc if isinstance(exc, MailError) else MailError(str(exc)))
                continue
            self._count("sent")
            job.future.set_result(None)

    def stop(self, wait: float = 5.0) -> int:
        """No new mails; the worker finishes what is queued within ``wait`` seconds (a
        daemon thread: what is left then is dropped with the process). Returns how many
        mails were still waiting or in progress when the wait ended."""
        self._stopped = True
        thread = self._thread
        if thread is None:
            return 0
        try:
            self._jobs.put(None, timeout=wait)
        except queue.Full:
            return self._jobs.qsize()
        thread.join(wait)
        return self._jobs.qsize() + (1 if thread.is_alive() else 0)
