"""Loopback ports for servers the tests start.

Asking the kernel for port 0 and closing the socket races between parallel test processes:
the port goes back to the kernel's ephemeral range, where another process's outgoing
connection (or its own port-0 request) may take it before our server binds it. Each
pytest-xdist worker therefore draws from its own block below the ephemeral range
(32768–60999 on Linux), in turn, skipping ports that are in use.
"""

from __future__ import annotations

import itertools
import os
import socket

FIRST = 20_000
BLOCK = 400  # ports per worker: 30 workers fit below 32,768


def _worker_index() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw3" for the fourth worker
    digits = worker.removeprefix("gw")
    return int(digits) % 30 if digits.isdigit() else 0


_candidates = itertools.cycle(range(BLOCK))


def free_port() -> int:
    """A loopback port free right now that no other test process of this run hands out."""
    base = FIRST + _worker_index() * BLOCK
    for _ in range(BLOCK):
        port = base + next(_candidates)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"geen vrije poort in {base}–{base + BLOCK - 1}")
