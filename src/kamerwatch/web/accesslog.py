"""The access log of ``serve`` (outermost ASGI middleware): one line per request with
method, path (never the query string: it can hold a search or a login token), status,
milliseconds and whether the page came from the response cache; the same fields as JSON
with ``--log-format json``. It also keeps a 500 to one log entry: the app's exception
handler used to log the traceback and answer, and Starlette then re-raised the exception
for the server, which logged it a second time. An exception now ends here: logged once,
answered with the one error page."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kamerwatch.logs import ACCESS

log = logging.getLogger(ACCESS)
errors = logging.getLogger("kamerwatch.web")

Observer = Callable[[Scope, int, float], None]
Answer = Callable[[Scope, Receive, Send], Awaitable[None]]


class AccessLog:
    """``answer_500`` sends the error page of an exception that reached this far; it is
    logged here, once, with its traceback (logger ``kamerwatch.web``)."""

    def __init__(
        self, app: ASGIApp, answer_500: Answer | None = None, observers: tuple[Observer, ...] = ()
    ) -> None:
        self.app = app
        self.answer_500 = answer_500
        self.observers = observers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observe)
        except Exception as exc:
            errors.error("fout bij %s %s", scope["method"], scope["path"], exc_info=exc)
            if status == 0 and self.answer_500 is not None:
                await self.answer_500(scope, receive, observe)
            elif status == 0:
                raise
            # else: the answer had begun; the server closes the connection, no second log
        finally:
            seconds = time.perf_counter() - started
            cache = scope.get("state", {}).get("cache", "-")
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "%s %s %d %.1f ms cache=%s",
                    scope["method"],
                    scope["path"],
                    status,
                    seconds * 1000,
                    cache,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round(seconds * 1000, 1),
                        "cache": cache,
                    },
                )
            for observer in self.observers:
                observer(scope, status, seconds)
