"""The SyncFeed HTTP client: timeouts on every request, bounded retries with backoff."""

from __future__ import annotations

import errno
import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from kamerwatch import USER_AGENT
from kamerwatch.httpclient import (
    BodyLimits,
    BodyTooLarge,
    BoundedResponse,
    DeadlineExceeded,
    get_bounded,
)

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 60.0


PERMANENT_STATUS = frozenset({400, 401, 403, 404, 405, 410, 414})


class FeedUnavailable(RuntimeError):
    """The feed did not answer usefully within the retries. ``permanent``: retrying cannot
    help (no such host, nothing listening, a scheme we do not speak, a URL the server does
    not know), so the whole run stops at once instead of trying every category."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _permanent_reason(exc: BaseException) -> str | None:
    """Dutch reason when a transport error cannot go away by retrying, else None."""
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "ongeldig adres of niet-ondersteund schema"
    if isinstance(exc, httpx.ConnectError):
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, socket.gaierror):
                return "hostnaam niet gevonden (DNS)"
            if isinstance(cause, ConnectionRefusedError) or (
                isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
            ):
                return "verbinding geweigerd"
            cause = cause.__cause__ or cause.__context__
        text = str(exc).lower()
        if "name or service not known" in text or "nodename nor servname" in text:
            return "hostnaam niet gevonden (DNS)"
        if "connection refused" in text:
            return "verbinding geweigerd"
    return None


@dataclass(frozen=True, slots=True)
class ClientOptions:
    base_url: str  # .../SyncFeed/2.0
    timeout: float = 30.0
    max_retries: int = 5
    backoff: float = 1.0
    pause: float = 0.1  # politeness pause before every request after the first
    max_page_bytes: int = 64 * 1024 * 1024  # real pages are about 1 MB
    deadline: float = 120.0  # seconds for one whole request (a trickling server)


def _error_message(response: BoundedResponse) -> str:
    text = response.content[:300].decode("utf-8", "replace") if response.content else ""
    if "<Message>" in text:
        text = text.split("<Message>", 1)[1].split("</Message>", 1)[0]
    text = " ".join(text.split())
    return f"HTTP {response.status_code}" + (f": {text}" if text else "")


class FeedClient:
    def __init__(self, options: ClientOptions, transport: httpx.BaseTransport | None = None):
        self.options = options
        self._last_request = 0.0
        self._http = httpx.Client(
            timeout=httpx.Timeout(options.timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml, */*"},
            follow_redirects=True,
            transport=transport,
        )
        self._limits = BodyLimits(options.max_page_bytes, options.deadline)

    def feed_url(self, category: str, skiptoken: int | None) -> str:
        params: dict[str, str | int] = {}
        if skiptoken is not None:
            params["skiptoken"] = skiptoken
        params["category"] = category
        return f"{self.options.base_url.rstrip('/')}/Feed?{urlencode(params)}"

    def _pause(self) -> None:
        wait = self._last_request + self.options.pause - time.monotonic()
        if wait > 0:
            time.sleep(wait)

    def get(self, url: str) -> bytes:
        """GET with retries on 5xx/429, timeouts and passing connection errors; errors that
        retrying cannot mend (see :func:`_permanent_reason`, HTTP 4xx) fail at once with
        ``permanent`` set."""
        attempts = self.options.max_retries + 1
        problem = ""
        permanent = False
        for attempt in range(attempts):
            if attempt:
                delay = min(self.options.backoff * 2 ** (attempt - 1), MAX_BACKOFF)
                log.warning(
                    "%s; nieuwe poging %d/%d over %.1fs", problem, attempt, attempts - 1, delay
                )
                time.sleep(delay)
            self._pause()
            try:
                response = get_bounded(self._http, url, self._limits)
            except httpx.InvalidURL:
                raise FeedUnavailable(f"{url}: ongeldig adres", permanent=True) from None
            except BodyTooLarge as exc:
                problem = f"{exc} op {url}"
                break
            except (httpx.TimeoutException, DeadlineExceeded) as exc:
                problem = f"time-out na {self.options.timeout:g}s op {url}"
                if isinstance(exc, DeadlineExceeded):
                    problem = f"{exc} op {url}"
                continue
            except httpx.TransportError as exc:
                reason = _permanent_reason(exc)
                if reason is not None:
                    raise FeedUnavailable(f"{url}: {reason}", permanent=True) from None
                problem = f"verbindingsfout op {url}: {type(exc).__name__}: {exc}"
                continue
            finally:
                self._last_request = time.monotonic()
            if response.status_code == 200:
                return response.content
            problem = f"{_error_message(response)} op {url}"
            if response.status_code not in RETRY_STATUS:
                permanent = response.status_code in PERMANENT_STATUS
                break
        raise FeedUnavailable(problem, permanent=permanent)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FeedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
