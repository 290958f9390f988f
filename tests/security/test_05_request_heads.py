"""#21.5 — endless request headers grew ``serve`` by a gigabyte and half-open connections
stayed open for minutes. A request head is limited in size (431) and in time (408), then
the connection is closed. Against a real ``kamerwatch serve`` with real sockets."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from tests.security.conftest import serve

LIMITS = {"KAMERWATCH_SERVE_MAX_HEADER_KB": "16", "KAMERWATCH_SERVE_HEADER_TIMEOUT": "2"}


def _answer(sock: socket.socket, wait: float) -> bytes:
    sock.settimeout(wait)
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
    except TimeoutError:
        return out + b"<still open>"
    except ConnectionResetError:
        return out + b"<reset>"
    return out  # the server closed the connection


def test_an_endless_header_gets_431_and_memory_stays_flat(tmp_path: Path) -> None:
    with serve(tmp_path / "data", LIMITS) as server:
        before = server.rss_kb()
        socks = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        for sock in socks:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        line = b"X-Vul: " + b"a" * 1000 + b"\r\n"
        sent = 0
        with_answer = 0
        for sock in socks:
            try:
                for _ in range(2000):  # up to 2 MB each, never finished
                    sock.sendall(line)
                    sent += len(line)
            except OSError:
                pass  # the server closed it: what we want
            answer = _answer(sock, 5)
            assert answer.startswith(b"HTTP/1.1 431"), answer[:200]
            assert not answer.endswith(b"<still open>")
            with_answer += 1
            sock.close()
        grown = server.rss_kb() - before
        # served normally afterwards
        ok = socket.create_connection(("127.0.0.1", server.port))
        ok.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert _answer(ok, 10).startswith(b"HTTP/1.1 200")
    assert with_answer == 4
    assert grown < 50_000, f"server grew {grown} kB"


def test_half_open_connections_are_closed_after_the_head_timeout(tmp_path: Path) -> None:
    with serve(tmp_path / "data", LIMITS) as server:
        silent = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(50)]
        slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(50)]
        for sock in slow:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Eerste: ")
        start = time.monotonic()
        answers = [_answer(sock, max(0.1, start + 8 - time.monotonic())) for sock in silent + slow]
        took = time.monotonic() - start
        for sock in silent + slow:
            sock.close()
    assert all(not a.endswith(b"<still open>") for a in answers)
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers[50:])
    assert took < 10
