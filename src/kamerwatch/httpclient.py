"""Bounded HTTP bodies: one helper for every download from upstream (feed pages, files,
Woo, official publications, video search …).

httpx's time-outs are per network operation: a server that sends one byte every 20 seconds
never trips a 30-second read time-out, and a body that never ends is read until memory runs
out. :func:`stream_bounded` reads a body in chunks with a size cap (checked against the
announced ``Content-Length`` first, then against what arrives, after decompression) and a
total deadline for the whole request (checked after every chunk; every single network read
waits at most ``min(read time-out, deadline)``, so a request ends at the latest one such
wait after its deadline). :func:`get_bounded` keeps the body in memory for small answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx


class BodyLimitError(RuntimeError):
    """A response broke a limit: too large or too slow."""


class BodyTooLarge(BodyLimitError):
    """More bytes than the cap (announced or received)."""


class DeadlineExceeded(BodyLimitError):
    """The request took longer than its total deadline."""


@dataclass(frozen=True, slots=True)
class BodyLimits:
    max_bytes: int
    deadline: float  # seconds for the whole request: connect, headers and body


@dataclass(frozen=True, slots=True)
class BoundedResponse:
    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str


def _mb(n: int) -> str:
    if n < 100_000:
        return f"{n} bytes"
    return f"{n / 1e6:.1f} MB" if n < 10_000_000 else f"{n / 1e6:.0f} MB"


def _timeout(http: httpx.Client, left: float) -> httpx.Timeout:
    base = http.timeout
    cap = max(0.001, left)

    def clip(value: float | None) -> float:
        return cap if value is None else min(value, cap)

    return httpx.Timeout(
        connect=clip(base.connect),
        read=clip(base.read),
        write=clip(base.write),
        pool=clip(base.pool),
    )


def stream_bounded(
    http: httpx.Client,
    url: str,
    limits: BodyLimits,
    sink: Callable[[bytes], object],
    *,
    accept: Callable[[httpx.Response], bool] = lambda response: response.status_code == 200,
) -> tuple[int, httpx.Response]:
    """GET ``url`` and hand the body to ``sink`` chunk by chunk, within ``limits``.

    Returns (bytes received, response — closed, headers still readable). A response that
    ``accept`` refuses (by default: anything but 200) is returned unread (0 bytes, its body
    not streamed). Raises :class:`BodyTooLarge` / :class:`DeadlineExceeded` (and the usual
    httpx errors: a single read that waits too long is an ``httpx.ReadTimeout``)."""
    start = time.monotonic()
    end = start + limits.deadline
    with http.stream("GET", url, timeout=_timeout(http, limits.deadline)) as response:
        if not accept(response):
            return 0, response
        announced = response.headers.get("content-length", "")
        if announced.isdigit() and int(announced) > limits.max_bytes:
            raise BodyTooLarge(
                f"antwoord te groot: {_mb(int(announced))} aangekondigd "
                f"(grens {_mb(limits.max_bytes)})"
            )
        size = 0
        stream = response.iter_bytes()  # as it arrives: no waiting for a full chunk
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise DeadlineExceeded(
                    f"antwoord niet binnen {limits.deadline:g}s compleet ({_mb(size)} ontvangen)"
                )
            try:
                chunk = next(stream)
            except StopIteration:
                break
            except httpx.ReadTimeout as exc:
                if time.monotonic() >= end:
                    raise DeadlineExceeded(
                        f"antwoord niet binnen {limits.deadline:g}s compleet "
                        f"({_mb(size)} ontvangen)"
                    ) from exc
                raise
            size += len(chunk)
            if size > limits.max_bytes:
                raise BodyTooLarge(f"antwoord te groot: meer dan {_mb(limits.max_bytes)}")
            sink(chunk)
        return size, response


def get_bounded(http: httpx.Client, url: str, limits: BodyLimits) -> BoundedResponse:
    """GET ``url`` into memory within ``limits``; any status (the caller judges it), the
    body of an error answer capped like any other."""
    parts: list[bytes] = []
    _, response = stream_bounded(http, url, limits, parts.append, accept=lambda _r: True)
    return BoundedResponse(
        response.status_code, response.headers, b"".join(parts), str(response.url)
    )
