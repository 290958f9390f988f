"""The SyncFeed HTTP client: timeouts on every request, bounded retries with backoff."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from kamerwatch import USER_AGENT

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 60.0


class FeedUnavailable(RuntimeError):
    """The feed did not answer usefully within the retries."""


@dataclass(frozen=True, slots=True)
class ClientOptions:
    base_url: str  # .../SyncFeed/2.0
    timeout: float = 30.0
    max_retries: int = 5
    backoff: float = 1.0
    pause: float = 0.1  # politeness pause before every request after the first


def _error_message(response: httpx.Response) -> str:
    text = response.text[:300] if response.content else ""
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
        """GET with retries on 5xx/429, timeouts and connection errors; other errors fail fast."""
        attempts = self.options.max_retries + 1
        problem = ""
        for attempt in range(attempts):
            if attempt:
                delay = min(self.options.backoff * 2 ** (attempt - 1), MAX_BACKOFF)
                log.warning(
                    "%s; nieuwe poging %d/%d over %.1fs", problem, attempt, attempts - 1, delay
                )
                time.sleep(delay)
            self._pause()
            try:
                response = self._http.get(url)
            except httpx.TimeoutException:
                problem = f"time-out na {self.options.timeout:g}s op {url}"
                continue
            except httpx.TransportError as exc:
                problem = f"verbindingsfout op {url}: {type(exc).__name__}: {exc}"
                continue
            finally:
                self._last_request = time.monotonic()
            if response.status_code == 200:
                return response.content
            problem = f"{_error_message(response)} op {url}"
            if response.status_code not in RETRY_STATUS:
                break
        raise FeedUnavailable(problem)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> FeedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
