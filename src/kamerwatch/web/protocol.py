"""The HTTP/1.1 protocol of ``kamerwatch serve``: uvicorn's httptools protocol with a
limit on the size of a request head and on the time to receive it.

Uvicorn's httptools parser keeps whatever request line and headers arrive until the head is
complete, and a connection that sends nothing (or half a head) stays open: four clients
sending endless headers took the server to 1.3 GB, thousands of half-open connections
stayed open for minutes. Here a head larger than ``max_head`` bytes gets 431, a head not
complete within ``head_timeout`` seconds of its first byte (or of the connection, for the
first request) gets 408, and the connection is closed. The limits are class attributes,
set from the settings by :func:`configure` (``serve_max_header_kb``,
``serve_header_timeout``). Idle keep-alive connections are closed by uvicorn's own
``timeout_keep_alive``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD = 64 * 1024
HEAD_TIMEOUT = 10.0
LINGER = 2.0  # seconds a refused connection is still read (and dropped) before it is closed


def _answer(status: str, text: str) -> bytes:
    body = (text + "\n").encode()
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"connection: close\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode() + body


TOO_LARGE = _answer("431 Request Header Fields Too Large", "Verzoekregel of kopregels te groot.")
TOO_SLOW = _answer("408 Request Timeout", "Verzoek niet op tijd ontvangen.")


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    max_head = MAX_HEAD
    head_timeout = HEAD_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refused = False

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _refuse(self, answer: bytes) -> None:
        """Answer, stop sending and read (and drop) what the client still sends for a
        moment before closing: closing with unread input would reset the connection and
        the client might never see the answer."""
        self._disarm()
        self._in_head = False
        self._refused = True
        if self.transport.is_closing():
            return
        self.transport.write(answer)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER, self.transport.close)

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self._in_head:
            self._refuse(TOO_SLOW)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # answered and closing: dropped unread
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        # still no complete head after this chunk: its clock runs from now (a head that
        # came whole, as nearly every one does, needs no timer), and its size so far is
        # what it costs us
        if self._in_head:
            self._arm()
            if self._head_bytes > self.max_head:
                self._refuse(TOO_LARGE)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._in_head = True  # the next request on this connection starts its head
        self._head_bytes = 0


PROTOCOL = "kamerwatch.web.protocol:GuardedHttpToolsProtocol"
"""uvicorn's ``http=`` (an import string: it also reaches ``serve --workers N`` processes)."""


def configure(max_head_kb: int, head_timeout: float) -> None:
    """Set the limits in this process (each server process calls it with the settings)."""
    GuardedHttpToolsProtocol.max_head = max(1, max_head_kb) * 1024
    GuardedHttpToolsProtocol.head_timeout = max(0.1, head_timeout)
