"""``serve --workers N``: N worker processes, each with its own listening socket on the same
address (``SO_REUSEPORT``), so the kernel spreads new connections over the workers.

uvicorn's own ``--workers`` shares one listening socket between its processes, and the worker
that wakes first accepts every connection that is waiting: keep-alive connections opened at
once (a proxy's connection pool, a load test's clients) all landed on one worker while the
other idled — measured with 8 clients on 2 workers in 4 of 6 passes, at half the throughput.
With a socket per worker, each connection is hashed to one of them.

The parent only supervises: it restarts a worker that died (not one that could not start:
that would fail again) and stops them all on SIGINT or SIGTERM."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import signal
import socket
import threading
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

log = logging.getLogger("kamerwatch.web")

STARTUP_FAILURE = 3  # uvicorn's exit code of a process whose app or socket could not start
BACKLOG = 2048  # uvicorn's default


class WorkerStartError(RuntimeError):
    """A worker process could not start (its app, its database): restarting would not help."""


def listening_sockets(host: str, port: int, n: int) -> list[socket.socket]:
    """``n`` listening sockets on ``host:port`` that share the port. Raises ``OSError`` when
    the port is taken — also by another server that shares ports, because a plain bind
    claims the address alone first. Port 0: a free port, the same for all ``n``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        port = probe.getsockname()[1]
    sockets: list[socket.socket] = []
    try:
        for _ in range(n):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
            sock.listen(BACKLOG)
    except OSError:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def run_worker(sock: socket.socket, app: str, options: dict[str, Any]) -> None:
    """One worker process: uvicorn serving the app factory ``app`` on its own socket."""
    import uvicorn

    config = uvicorn.Config(app, factory=True, log_config=None, access_log=False, **options)
    # Ctrl-C reaches the whole process group: the parent reports, the worker ends quietly
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])


def supervise(host: str, port: int, workers: int, app: str, options: dict[str, Any]) -> None:
    """Serve ``app`` (an importable app factory, ``module:function``) with ``workers``
    processes until SIGINT or SIGTERM. Raises ``OSError`` when the address cannot be
    bound and :class:`WorkerStartError` when a worker could not start."""
    sockets = listening_sockets(host, port, workers)
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    failed: list[str] = []
    processes: list[BaseProcess] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start(sock: socket.socket) -> BaseProcess:
        process = context.Process(target=run_worker, args=(sock, app, options), daemon=False)
        process.start()
        return process

    try:
        processes.extend(start(sock) for sock in sockets)
        while not stop.wait(0.5):
            for i, process in enumerate(processes):
                if process.is_alive() or stop.is_set():
                    continue
                if process.exitcode == STARTUP_FAILURE:
                    failed.append(f"werkproces {process.pid} kon niet starten")
                    stop.set()
                    break
                log.warning(
                    "werkproces %s stopte onverwacht (code %s); een nieuw neemt het over",
                    process.pid,
                    process.exitcode,
                )
                processes[i] = start(sockets[i])
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # uvicorn finishes the requests it has, then stops
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        for sock in sockets:
            sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if failed:
        raise WorkerStartError("; ".join(failed))
