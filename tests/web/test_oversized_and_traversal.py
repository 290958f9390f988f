"""Oversized requests are refused (414 for long URLs, 413 for big form bodies, never a 500,
never read whole into memory) and no identifier in a path reaches a file outside the files
directory: in process and through the real server (`kamerwatch serve`) with raw HTTP."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree
from starlette.testclient import TestClient

from kamerwatch.web.app import MAX_URL
from kamerwatch.web.mijn import MAX_FORM
from tests.conftest import FAST_ENV
from tests.ports import free_port
from tests.web.conftest import data_dir_of

FORMS = (
    "/mijn/link",
    "/mijn/inloggen/bevestig",
    "/mijn/monitor",
    "/mijn/monitor/1/verwijderen",
    "/mijn/account/verwijderen",
    "/mijn/uitloggen",
)
ID_ROUTES = (
    "/document/{}",
    "/document/{}.json",
    "/document/{}/bestand",
    "/zaak/{}",
    "/activiteit/{}",
    "/activiteit/{}.ics",
    "/persoon/{}",
    "/persoon/{}/foto",
    "/commissie/{}",
    "/commissie/{}.xml",
    "/kamerstukdossier/{}",
    "/toezegging/{}",
    "/verslag/{}",
    "/verslag/{}.json",
    "/static/{}",
    "/{}",
)
TRAVERSALS = (
    "..%2F..%2Fetc%2Fpasswd",
    "..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%2Fetc%2Fpasswd",
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "..%5C..%5C..%5Cetc%5Cpasswd",
    "%252e%252e%252fetc%252fpasswd",
    "..%c0%af..%c0%afetc%c0%afpasswd",
    "..%00%2Fetc%2Fpasswd",
    "kamerwatch.sqlite3",
    "..%2Fkamerwatch.sqlite3",
    "..%2F..%2Fkamerwatch.sqlite3",
    "..%2F..%2F..%2Fweb-data0%2Fkamerwatch.sqlite3",
    "..%2F__init__.py",
    "..%2Fapp.py",
)
# what must never be served: a system file, our database, our source
SECRETS = (b"root:x:0:0", b"SQLite format 3", b"def create_app")


def assert_nothing_leaked(body: bytes, url: str) -> None:
    for secret in SECRETS:
        assert secret not in body, (url, secret)


@pytest.mark.parametrize("route", ID_ROUTES)
def test_traversal_in_every_identifier_is_404(client: TestClient, route: str) -> None:
    for payload in TRAVERSALS:
        url = route.format(payload)
        response = client.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert_nothing_leaked(response.content, url)


def test_traversal_in_the_legacy_get_redirects_only_to_a_404(client: TestClient) -> None:
    for payload in TRAVERSALS:
        response = client.get(f"/get/{payload}")
        assert response.status_code in (301, 404), payload
        if response.status_code == 301:
            target = response.headers["location"]
            assert target.startswith("/document/") and not target.startswith("//")
            assert client.get(target).status_code == 404


def test_long_urls_are_414_in_the_one_error_shape(client: TestClient) -> None:
    long = "a" * (MAX_URL + 1)
    for url in (
        f"/zoeken?q={long}",
        f"/activiteiten?commissie={long}",
        f"/document/{long}",
        f"/{long}",
        "/stemmingen?" + "fractie=VVD&" * (MAX_URL // 10),
    ):
        page = client.get(url)
        assert page.status_code == 414, url[:40]
        assert "Fout 414" in page.text and "te lang" in page.text
        assert "content-security-policy" in page.headers
    twin = client.get(f"/zoeken.json?q={long}")
    assert twin.status_code == 414
    assert twin.json() == {"ok": False, "status": 414, "error": "Het adres (URL) is te lang."}
    # just under the limit is still a page
    assert client.get("/zoeken?q=" + "a" * (MAX_URL - 100)).status_code == 200


def test_a_nul_character_in_the_url_is_400_in_the_one_error_shape(client: TestClient) -> None:
    """PostgreSQL refuses NUL in any text: a dashboard filter with one was a 500 there."""
    for url in ("/kamerstukdossiers?zoek=%00", "/zoeken?q=a%00b", "/stemmingen?fractie=%00"):
        page = client.get(url)
        assert page.status_code == 400, url
        assert "Fout 400" in page.text and "ongeldig teken" in page.text
    twin = client.get("/kamerstukdossiers.json?zoek=stikstof%00")
    assert twin.json() == {
        "ok": False,
        "status": 400,
        "error": "Het adres (URL) bevat een ongeldig teken (NUL).",
    }
    assert client.get("/kamerstukdossiers?zoek=%2500").status_code == 200  # "%00", no NUL


def test_control_characters_in_a_search_give_valid_rss(client: TestClient) -> None:
    """XML cannot carry most control characters: the feed leaves them out (was a 500)."""
    for q in ("%1B", "motie%1B%07", "%EF%BF%BE"):
        feed = client.get(f"/zoeken.xml?q={q}")
        assert feed.status_code == 200, q
        channel = etree.fromstring(feed.content).find("channel")
        assert channel is not None and channel.findtext("title", "").startswith("kamerwatch: ")
        assert "\x1b" not in feed.text and "\x07" not in feed.text


@pytest.mark.parametrize("action", FORMS)
def test_big_form_bodies_are_413(client: TestClient, action: str) -> None:
    big = b"email=" + b"a" * (MAX_FORM * 4)
    form = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post(action, content=big, headers=form)
    assert response.status_code == 413, response.status_code
    assert "Fout 413" in response.text

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while reading
        for _ in range(64):
            yield b"a" * 1024

    assert client.post(action, content=chunks(), headers=form).status_code == 413
    # just under the limit is an ordinary answer
    assert client.post(action, content=b"x=" + b"a" * 1000, headers=form).status_code < 500


# -- the real server -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(web_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    cwd = tmp_path_factory.mktemp("serve-hostile")
    env = {**os.environ, **FAST_ENV, "KAMERWATCH_DATABASE_URL": web_db_url}
    files = data_dir_of(web_db_url) / "files"
    env["KAMERWATCH_FILES_DIR"] = str(files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kamerwatch", "-q", "serve", "--port", str(port)],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/status", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert b"Traceback" not in stderr, stderr.decode(errors="replace")


def raw(port: int, request: bytes, read: int = 4096) -> bytes:
    """Send bytes exactly as given (no client normalises the path) and read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        with contextlib.suppress(OSError):  # the server may answer and close before the end
            sock.sendall(request)
        answer = b""
        try:
            while len(answer) < read and (chunk := sock.recv(65536)):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1.1 "), answer[:80]
    return int(answer[9:12])


def test_literal_dot_segments_reach_no_file(server: int) -> None:
    for route in ID_ROUTES:
        for payload in ("../../../../etc/passwd", "..\\..\\etc\\passwd", "../kamerwatch.sqlite3"):
            path = route.format(payload).encode()
            answer = raw(
                server,
                b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                1 << 20,
            )
            assert status_of(answer) == 404, (path, answer[:80])
            assert_nothing_leaked(answer, path.decode())


def test_real_server_refuses_oversized_requests(server: int) -> None:
    for size in (MAX_URL + 1, 100_000, 2_000_000):
        answer = raw(
            server,
            b"GET /zoeken?q=" + b"a" * size + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
        assert status_of(answer) in (400, 414, 431), (size, answer[:80])
    head = b"POST /mijn/link HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    # a declared 1 GB body is refused without waiting for it
    started = time.monotonic()
    answer = raw(server, head + b"Content-Length: 1000000000\r\nConnection: close\r\n\r\nemail=a")
    assert status_of(answer) == 413 and time.monotonic() - started < 10
    chunked = head + b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    answer = raw(server, chunked + b"10000\r\n" + b"a" * 0x10000 + b"\r\n0\r\n\r\n")
    assert status_of(answer) == 413
    # and the server is still fine
    assert httpx.get(f"http://127.0.0.1:{server}/zoeken?q=brandbrief", timeout=5).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        b"/document/%FF",
        b"/doc\xff\xfe",
        b"/zoeken?q=%FF%FE",
        b"/zoeken?q=\xff\xfe",
        b"/zoeken.json?q=%00",
        b"/%C0%AE%C0%AE/",
        b"/zoeken?q=a&&&==&=",
        b"/zoeken?%ZZ=%",
        b"/activiteiten?dag=%FF",
        b"//evil.example/",
        b"/%2F%2Fevil.example/",
        b"/static/%2e%2e/app.py",
        b"/static/..%5capp.py",
        b"*",
        b"/document/2023%2fD03702",
        b"/zoeken?q=\xc3\xa9",
    ],
)
def test_raw_request_targets_never_500(server: int, target: bytes) -> None:
    answer = raw(
        server,
        b"GET " + target + b" HTTP/1.1\r\nHost: kamerwatch.test\r\nConnection: close\r\n\r\n",
    )
    status = status_of(answer)
    assert status in (200, 307, 400, 404), (target, answer[:80])
    if status == 307:  # a trailing slash goes, on the base URL (never the Host header's):
        # unset, that is the address `serve` listens on (#25.5)
        base = f"http://127.0.0.1:{server}".encode()
        location = re.search(rb"\r\nlocation: ([^\r]+)", answer, re.I)
        assert location and location.group(1).startswith(base + b"/")
        assert not location.group(1).startswith(base + b"//")
