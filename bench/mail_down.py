"""A mail server that never answers, behind a real `kamerwatch serve` (issue #22.2).

    .venv/bin/python bench/mail_down.py [--rounds N]

The SMTP server accepts connections and says nothing (default settings: 30 s time-out,
5 retries). Each round POSTs /mijn/link and, while that request waits, GETs /status; both
times are printed (before the mail worker: 31 s and 30 s). Not part of `make bench`.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx


def _silent_server() -> tuple[socket.socket, int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(sock.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    return sock, int(sock.getsockname()[1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="kw-mail-down-")
    cli = [sys.executable, "-m", "kamerwatch", "--data-dir", data, "-q"]
    subprocess.run([*cli, "status"], capture_output=True, check=False)
    smtp, smtp_port = _silent_server()
    port = _free_port()
    env = {**os.environ, "KAMERWATCH_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}
    proc = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        posts, gets = [], []
        with ThreadPoolExecutor(1) as pool, httpx.Client(timeout=120) as client:
            for n in range(args.rounds):

                def ask(n: int = n) -> float:
                    started = time.monotonic()
                    r = httpx.post(f"{base}/mijn/link", data={"email": f"b{n}@example.org"})
                    assert r.status_code == 202, r.status_code
                    return time.monotonic() - started

                asking = pool.submit(ask)
                time.sleep(0.2)
                started = time.monotonic()
                assert client.get(f"{base}/status").status_code == 200
                gets.append(time.monotonic() - started)
                posts.append(asking.result())
        print(
            f"POST /mijn/link (answer 202, mail queued): median {statistics.median(posts):.2f} s, "
            f"max {max(posts):.2f} s"
        )
        print(
            f"GET /status meanwhile: median {statistics.median(gets) * 1000:.0f} ms, "
            f"max {max(gets) * 1000:.0f} ms"
        )
    finally:
        proc.terminate()
        proc.wait()
        smtp.close()


if __name__ == "__main__":
    main()
