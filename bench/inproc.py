"""The app called in this process as a server calls it (one ASGI call per request, its
lifespan started and stopped around the block), without a test client in between.

Starlette's TestClient runs the app behind an httpx transport and a portal (and warns that
this use of httpx is deprecated). Interleaved on the benchmark corpus (load ~3.5, collector
tuned, median of 7 uncached renders), its CPU per render was higher: ``/commissies`` 4.2-4.3
ms against 1.3-2.4 with this client, ``/stemmingen`` 11.9-12.1 against 6.2-10.4,
``/open-vragen.csv`` 23.5-24.0 against 13.0-20.9.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Answer:
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.content)


class InProcess:
    """``with InProcess(app) as client: client.get("/pad?x=1")`` — GET only, loopback
    peer, no cookies: what the benchmarks ask of pages.

    The event loop runs in its own thread under one long-lived root task, as under uvicorn:
    anyio stops its worker threads when the root task ends, and the app keeps one SQLite
    connection per worker thread, so a loop run per request (``run_until_complete``) made a
    new thread and a new connection, with a cold page cache, for every request."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._lifespan: asyncio.Task[None] | None = None
        self._to_app: asyncio.Queue[dict[str, Any]] | None = None
        self._from_app: asyncio.Queue[dict[str, Any]] | None = None

    def __enter__(self) -> InProcess:
        ready = threading.Event()
        failed: list[BaseException] = []

        async def root() -> None:
            self._stopping = asyncio.Event()
            try:
                await self._start()
            except BaseException as exc:
                failed.append(exc)
                return
            finally:
                ready.set()
            await self._stopping.wait()
            await self._stop()

        self._thread = threading.Thread(target=self.loop.run_until_complete, args=(root(),))
        self._thread.start()
        ready.wait()
        if failed:
            self._thread.join()
            self.loop.close()
            raise failed[0]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._stopping is not None and self._thread is not None
        self.loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join()
        self.loop.close()

    async def _start(self) -> None:
        self._to_app, self._from_app = asyncio.Queue(), asyncio.Queue()
        to_app, from_app = self._to_app, self._from_app
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self._lifespan = asyncio.ensure_future(self.app(scope, to_app.get, from_app.put))
        await to_app.put({"type": "lifespan.startup"})
        message = await from_app.get()
        if message["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"the app did not start: {message}")

    async def _stop(self) -> None:
        if self._lifespan is None or self._to_app is None:
            return
        await self._to_app.put({"type": "lifespan.shutdown"})
        await self._lifespan

    def get(self, target: str) -> Answer:
        return asyncio.run_coroutine_threadsafe(self._get(target), self.loop).result()

    async def _get(self, target: str) -> Answer:
        parts = urlsplit(target)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"localhost")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
            "state": {},
        }
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}
        return Answer(start["status"], body, headers)
