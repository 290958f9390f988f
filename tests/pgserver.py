"""A throwaway PostgreSQL server for the tests: initdb into a temporary directory, listen
on a unix socket only, stop (and delete everything) afterwards.

Uses the server binaries of the machine (Debian: /usr/lib/postgresql/<version>/bin). When
they are missing, :func:`find_bindir` says so and the PostgreSQL tests are skipped with
that reason. PostgreSQL refuses to run as root: as root, the server runs as the
``postgres`` system user (Debian's package creates it).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import psycopg

SEARCH_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin")


def find_bindir() -> Path | str:
    """The directory with ``initdb`` and ``postgres``, or the reason there is none."""
    env = os.environ.get("KAMERWATCH_PG_BINDIR")
    candidates = [Path(env)] if env else []
    for pattern in SEARCH_DIRS:
        root = Path("/")
        candidates += sorted(root.glob(pattern.lstrip("/")), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for cand in candidates:
        if (cand / "initdb").exists() and (cand / "postgres").exists():
            return cand
    return (
        "geen PostgreSQL-serverprogramma's gevonden (initdb/postgres); installeer ze "
        "(Debian: apt-get install postgresql) of zet KAMERWATCH_PG_BINDIR"
    )


class PgServer:
    """One server process; :meth:`new_database` hands out empty databases as URLs."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.base = Path(tempfile.mkdtemp(prefix="kw-pg-"))
        self.data = self.base / "data"
        self.sock = self.base / "sock"
        self.sock.mkdir()
        self.user = None if os.geteuid() != 0 else "postgres"
        self.role = pwd.getpwuid(os.geteuid()).pw_name if self.user is None else "postgres"
        self.process: subprocess.Popen[bytes] | None = None

    def _popen(self, args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        """The process itself (not a wrapper) as the server user, so signals reach it."""
        if self.user is None:
            return subprocess.Popen(args, **kwargs)  # type: ignore[call-overload, no-any-return]
        entry = pwd.getpwnam(self.user)
        return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
            args, user=entry.pw_uid, group=entry.pw_gid, extra_groups=[], **kwargs
        )

    def start(self) -> PgServer:
        if self.user is not None:
            shutil.chown(self.base, self.user)
            shutil.chown(self.sock, self.user)
        initdb = self._popen(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.role,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        out, _ = initdb.communicate(timeout=120)
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb mislukt: {out.decode(errors='replace')}")
        self._spawn()
        return self

    def _spawn(self) -> None:
        """Start the server on the existing data directory and wait until it answers."""
        args = [str(self.bindir / "postgres"), "-D", str(self.data), "-k", str(self.sock)]
        for setting in (
            "listen_addresses=",
            "fsync=off",  # a throwaway server: speed over durability
            "full_page_writes=off",
            "max_connections=200",
        ):
            args += ["-c", setting]
        with open(self.base / "server.log", "ab") as log:
            self.process = self._popen(args, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    text = (self.base / "server.log").read_text(errors="replace")
                    self.stop()
                    raise RuntimeError(f"PostgreSQL start mislukt:\n{text}") from None
                time.sleep(0.1)

    def url(self, dbname: str) -> str:
        return f"postgresql://{self.role}@/{dbname}?host={self.sock}"

    def new_database(self, prefix: str = "kw", template: str | None = None) -> str:
        """An empty database, or a copy of the database at URL ``template`` (no one may be
        connected to it: PostgreSQL copies it file by file)."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        source = f' TEMPLATE "{self.name_of(template)}"' if template else ""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"{source}')
        return self.url(name)

    @staticmethod
    def name_of(url: str) -> str:
        return urlparse(url).path.lstrip("/")

    def drop_database(self, url: str) -> None:
        name = self.name_of(url)
        with (
            contextlib.suppress(psycopg.Error),
            psycopg.connect(self.url("postgres"), autocommit=True) as conn,
        ):
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def restart(self) -> None:
        """Kill the server hard (as a crash would) and start it again on the same data."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        deadline = time.monotonic() + 30  # its backends notice and exit by themselves
        while self._backends_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self._spawn()

    def _backends_alive(self) -> bool:
        found = subprocess.run(["pgrep", "-f", str(self.data)], capture_output=True, check=False)
        return bool(found.stdout.strip())

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.base, ignore_errors=True)
