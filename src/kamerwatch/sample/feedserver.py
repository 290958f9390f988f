"""A local SyncFeed server that behaves like ``gegevensmagazijn.tweedekamer.nl`` (spec §2).

Used by tests, benchmarks and the offline demo. Standard library only
(:class:`http.server.ThreadingHTTPServer`, HTTP/1.1 with keep-alive).

Directory format
================

``DIR/feed/*.xml``
    Atom feed documents, shaped like real pages (the files in ``tests/data/syncfeed`` and the
    output of :mod:`kamerwatch.sample.benchfeed` are examples). A file may hold any number of
    entries of any categories; only its ``<entry>`` elements are used, the feed-level
    elements are ignored. Every ``<entry>`` must carry

    * ``<category term="...">`` — the lower camelCase element name (``persoonGeschenk``),
      mapped to the PascalCase feed category (``PersoonGeschenk``) via the parser registry;
    * ``<link rel="next" href="...?skiptoken=N&amp;category=X">`` — ``N`` is the entry's
      position in one global, increasing change sequence over all files (the entry's own
      token; tokens need not be consecutive, files need not be in token order).

    Entries are served byte for byte. They must be self-contained regarding namespace
    prefixes, except for those declared on every served ``<feed>`` root: the Atom default
    namespace, ``xmlns:tk`` (tkData) and ``xmlns:xsi``. (The real sample pages use ``tk:``
    and ``xsi:`` declared on their root; live-style entities declare their own namespaces.)

    The directory is indexed once, at construction; files must not change while serving.

``DIR/resources/<guid>[.ext]``
    The files behind ``/Resources/<guid>``; any extension is ignored for the lookup.

Endpoints
=========

``GET /SyncFeed/2.0/Feed?category=X[&skiptoken=N]``
    Up to ``page_size`` (default 250) entries of category ``X`` whose own token is **greater
    than** ``N`` (all entries when ``skiptoken`` is absent), ascending by token. The page has
    ``rel=self``, and ``rel=next`` with the token of its last entry; a page without entries
    has ``rel=resume`` with ``skiptoken=N`` (0 when absent) instead. Without ``category`` all
    categories are mixed. Unknown category or a non-numeric skiptoken: HTTP 500 with
    ``<Error><Message>An error has occurred.</Message></Error>``, like the real API.
    Entry hrefs that start with ``https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0`` are
    rewritten to this server (``http://<Host header>/SyncFeed/2.0``); ``<id>`` texts are not.

``GET /SyncFeed/2.0/Resources/<guid>``
    The file, ``Content-Type`` sniffed from its magic bytes, ``Content-Length``; an unknown
    id answers HTTP 500 with the error body (as the real API does).

Test control (not part of the real API)
=======================================

``POST /_faults`` (JSON rule or list of rules, appended), ``GET /_faults`` (rules with their
remaining counts), ``DELETE /_faults`` (clear). A rule::

    {"mode": "500" | "hang" | "close" | "truncate" | "malformed" | "duplicate" | "delay"
             | "wronghash" | "trickle" | "endless",
     "times": 1,            # how many matching requests it hits; -1 = forever
     "path": "feed",        # or "resources", or "woo" (the simulated open.overheid.nl)
     "category": "Zaak",    # optional: feed category; for woo lijst/detail/relaties/bestand
     "skiptoken": 123,      # optional, feed only: only requests with exactly this skiptoken
     "seconds": 30.0,       # hang (default 30) / delay (default 1) / trickle (default 20)
     "status": 500,         # optional, mode "500" only: another status code (429, 503 …)
     "body": "…"}           # optional, mode "500" only: this body instead of the error XML

``500``: the error body. ``hang``: sleep ``seconds``, then answer normally (so client time-outs
fire). ``close``: headers with the full ``Content-Length`` and half the body, then the socket is
closed. ``truncate``: a complete HTTP response whose body is the page cut in the middle.
``malformed``: HTTP 200 with a body that is not XML. ``duplicate``: the page repeats its first
entry at the end (resources: the body twice). ``delay``: sleep, then serve. ``wronghash``
(woo files): the file with its first byte changed (same size, another SHA-1). ``trickle``: the
right headers, then one byte of the body every ``seconds`` (a slow-loris server: no read
time-out ever fires). ``endless``: HTTP 200 without ``Content-Length`` and a body that
starts like the real one and then never ends (stops after 256 MB, or when the client
hangs up). The first rule that
matches a request and has hits left is used.

``GET /overheid/openbaarmakingen/api/v0/zoek…``, ``/publicatie/{uuid}/_relaties``,
``/documenten/{uuid}/file``
    A believable open.overheid.nl (:mod:`kamerwatch.sample.woosim`); its root is
    :attr:`FeedServer.woo_url` (the server's own root).

``GET /search?van=&tot=&vanaf=``
    A believable Debat Direct search for this feed's activities (403 without a User-Agent
    starting with ``Mozilla/``); faults with ``path: debatdirect``.

``GET /officielepublicaties/{eid}/{eid}.xml``, ``/{eid}/metadata.xml``
    The official publications of this feed's documents (answers only some days after their
    date; missing ones redirect to ``/fout404.html``); faults with ``path: officiele``. Both
    in :mod:`kamerwatch.sample.mediasim`; their root is :attr:`FeedServer.media_url`.

``GET /sru?operation=searchRetrieve&query=…dt.modified=="D"…&startRecord=&maximumRecords=``
    The SRU search of those publications, per day they appeared (paged, at most 1,000 a
    page); faults with ``path: sru``.

``GET /_requests`` — JSON list of the recent (at most 10 000) non-control requests, oldest
first: ``{"method", "path" (path + query), "agent" (User-Agent), "t" (time.time() at
arrival), "status", "fault"}``.
``DELETE /_requests`` clears it. The same is available in-process via
:meth:`FeedServer.requests`, :meth:`FeedServer.add_faults` etc.

Memory: per entry a few numbers in :mod:`array` arrays (≈ 40 bytes); entry bytes are read
from the files on demand with ``os.pread``.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import os
import re
import socket
import threading
import time
from array import array
from collections import OrderedDict, deque
from collections.abc import Iterable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kamerwatch.sync.parsers import CATEGORIES
from kamerwatch.sync.parsers.base import AMSTERDAM

from .mediasim import MediaWorld, today_of
from .woosim import WooWorld
from .xmlwriter import FEED_TAIL, REAL_BASE, feed_head

log = logging.getLogger(__name__)

BASE_PATH = "/SyncFeed/2.0"
ERROR_BODY = b"<Error><Message>An error has occurred.</Message></Error>"
FEED_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
DEFAULT_PAGE_SIZE = 250
FAULT_MODES = (
    "500",
    "hang",
    "close",
    "truncate",
    "malformed",
    "duplicate",
    "delay",
    "wronghash",
    "trickle",
    "endless",
)
WOO_API = "/overheid/openbaarmakingen/api/v0/zoek"
ENDLESS_LIMIT = 256 * 1024 * 1024
MALFORMED_BODY = b"<feed><entry><title>kapot & <<niet-xml</entry>"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REQUEST_LOG_SIZE = 10_000
_REAL_HREF = b'href="' + REAL_BASE.encode()

_TERM_RE = re.compile(rb"""<category\b[^>]*?\bterm\s*=\s*["']([^"']*)["']""")
_LINK_RE = re.compile(rb"<link\b[^>]*>")
_REL_NEXT_RE = re.compile(rb"""\brel\s*=\s*["']next["']""")
_SKIPTOKEN_RE = re.compile(rb"skiptoken=(\d+)")
_ENTRY_START_FOLLOW = frozenset(b"> \t\r\n/")


def sniff_content_type(head: bytes) -> str:
    """Content type of a resource from its first bytes (spec §2.8)."""
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"PK"):
        return DOCX_MIME
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "application/msword"
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    stripped = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if stripped.lstrip().startswith(b"<?xml"):
        return "text/xml"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    return "application/octet-stream"


def _category_of_term(term: str, known: dict[str, str]) -> str:
    found = known.get(term.lower())
    if found is not None:
        return found
    return term[:1].upper() + term[1:]


class FeedIndex:
    """All entries of ``DIR/feed/*.xml``: token, category and byte range, sorted by token."""

    def __init__(self, feed_dir: Path) -> None:
        self.files: list[str] = []
        self.categories: list[str] = list(CATEGORIES)
        cat_code = {name: i for i, name in enumerate(self.categories)}
        known = {name.lower(): name for name in CATEGORIES}
        tokens = array("q")
        fileno = array("I")
        starts = array("Q")
        lengths = array("I")
        cats = array("H")
        paths = sorted(feed_dir.glob("*.xml")) if feed_dir.is_dir() else []
        for fi, path in enumerate(paths):
            self.files.append(str(path))
            data = path.read_bytes()
            pos = 0
            while True:
                s = data.find(b"<entry", pos)
                if s < 0:
                    break
                if s + 6 >= len(data) or data[s + 6] not in _ENTRY_START_FOLLOW:
                    pos = s + 6
                    continue
                e = data.find(b"</entry>", s)
                if e < 0:
                    log.warning("%s: <entry> zonder einde op byte %d", path, s)
                    break
                e += len(b"</entry>")
                pos = e
                c = data.find(b"<content", s, e)
                regions = [(s, e)] if c < 0 else [(s, c), (data.find(b"</content>", c, e), e)]
                term = token = None
                for rs, re_ in regions:
                    if rs < 0:
                        continue
                    if term is None:
                        m = _TERM_RE.search(data, rs, re_)
                        if m:
                            term = m.group(1).decode()
                    if token is None:
                        for lm in _LINK_RE.finditer(data, rs, re_):
                            tag = lm.group(0)
                            if _REL_NEXT_RE.search(tag):
                                tm = _SKIPTOKEN_RE.search(tag)
                                if tm:
                                    token = int(tm.group(1))
                                break
                if term is None or token is None:
                    log.warning("%s: entry op byte %d zonder category/next-skiptoken", path, s)
                    continue
                category = _category_of_term(term, known)
                code = cat_code.get(category)
                if code is None:
                    log.info("categorie %s (term %r) staat niet in het register", category, term)
                    code = cat_code[category] = len(self.categories)
                    self.categories.append(category)
                tokens.append(token)
                fileno.append(fi)
                starts.append(s)
                lengths.append(e - s)
                cats.append(code)
        n = len(tokens)
        if any(tokens[i] > tokens[i + 1] for i in range(n - 1)):
            order = sorted(range(n), key=tokens.__getitem__)
            tokens = array("q", (tokens[i] for i in order))
            fileno = array("I", (fileno[i] for i in order))
            starts = array("Q", (starts[i] for i in order))
            lengths = array("I", (lengths[i] for i in order))
            cats = array("H", (cats[i] for i in order))
            del order
        dups = sum(1 for i in range(n - 1) if tokens[i] == tokens[i + 1])
        if dups:
            log.warning("%d entries delen hun skiptoken met een voorganger", dups)
        self.tokens, self.fileno, self.starts, self.lengths, self.cats = (
            tokens,
            fileno,
            starts,
            lengths,
            cats,
        )
        self.by_cat: list[array[int]] = [array("I") for _ in self.categories]
        self.cat_tokens: list[array[int]] = [array("q") for _ in self.categories]
        for i in range(n):
            c = cats[i]
            self.by_cat[c].append(i)
            self.cat_tokens[c].append(tokens[i])
        self.code = {name.lower(): i for i, name in enumerate(self.categories)}
        self._fds: OrderedDict[int, int] = OrderedDict()
        self._fd_lock = threading.Lock()
        log.info("%d entries uit %d bestanden geïndexeerd", n, len(self.files))

    def __len__(self) -> int:
        return len(self.tokens)

    def category_code(self, name: str) -> int | None:
        return self.code.get(name.lower())

    def count(self, category: str | None = None) -> int:
        if category is None:
            return len(self.tokens)
        code = self.category_code(category)
        return 0 if code is None else len(self.by_cat[code])

    def select(self, code: int | None, after: int | None, limit: int) -> list[int]:
        """Global positions of up to ``limit`` entries with token > ``after``."""
        if code is None:
            start = 0 if after is None else bisect.bisect_right(self.tokens, after)
            return list(range(start, min(start + limit, len(self.tokens))))
        start = 0 if after is None else bisect.bisect_right(self.cat_tokens[code], after)
        return list(self.by_cat[code][start : start + limit])

    def _pread(self, fi: int, length: int, offset: int) -> bytes:
        with self._fd_lock:
            fd = self._fds.get(fi)
            if fd is None:
                fd = os.open(self.files[fi], os.O_RDONLY)
                self._fds[fi] = fd
                if len(self._fds) > 128:
                    _, old = self._fds.popitem(last=False)
                    os.close(old)
            else:
                self._fds.move_to_end(fi)
            return os.pread(fd, length, offset)

    def read(self, positions: list[int], *, merge: bool = False) -> list[bytes]:
        """The entry bytes at these positions, in order. Entries of one file are read with one
        ``pread`` when they lie close together; ``merge=True`` returns runs of entries that are
        adjacent in their file as one chunk (fewer copies for the serving path)."""
        out: list[bytes] = []
        starts, lengths, fileno = self.starts, self.lengths, self.fileno
        i = 0
        n = len(positions)
        while i < n:
            fi = fileno[positions[i]]
            j = i + 1
            lo = starts[positions[i]]
            hi = lo + lengths[positions[i]]
            total = hi - lo
            while j < n and fileno[positions[j]] == fi:
                s = starts[positions[j]]
                end = s + lengths[positions[j]]
                if s < lo:
                    lo = s
                if end > hi:
                    hi = end
                total += lengths[positions[j]]
                j += 1
            span: memoryview | None = None
            if hi - lo <= 4 * total + 65536:
                span = memoryview(self._pread(fi, hi - lo, lo))
            k = i
            while k < j:
                a = starts[positions[k]]
                b = a + lengths[positions[k]]
                k += 1
                if merge:
                    while k < j and starts[positions[k]] == b:
                        b += lengths[positions[k]]
                        k += 1
                if span is not None:
                    out.append(bytes(span[a - lo : b - lo]))
                else:
                    out.append(self._pread(fi, b - a, a))
            i = j
        return out

    def close(self) -> None:
        with self._fd_lock:
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()


class _Fault:
    __slots__ = (
        "body",
        "category",
        "mode",
        "path",
        "remaining",
        "seconds",
        "skiptoken",
        "status",
    )

    def __init__(self, rule: dict[str, Any]) -> None:
        mode = str(rule.get("mode", ""))
        if mode not in FAULT_MODES:
            raise ValueError(f"onbekende fault-mode {mode!r}")
        self.mode = mode
        self.remaining = int(rule.get("times", 1))
        self.path = str(rule.get("path", "feed"))
        if self.path not in ("feed", "resources", "woo", "debatdirect", "officiele", "sru"):
            raise ValueError(
                "path moet 'feed', 'resources', 'woo', 'debatdirect', 'officiele' of 'sru' zijn, "
                f"niet {self.path!r}"
            )
        category = rule.get("category")
        self.category = str(category) if category is not None else None
        skiptoken = rule.get("skiptoken")
        self.skiptoken = int(skiptoken) if skiptoken is not None else None
        default_seconds = {"hang": 30.0, "trickle": 20.0}.get(mode, 1.0)
        self.seconds = float(rule.get("seconds", default_seconds))
        self.status = int(rule.get("status", 500))
        body = rule.get("body")
        self.body = str(body).encode("utf-8") if body is not None else None

    def matches(self, path: str, category: str | None, skiptoken: str | None) -> bool:
        if self.remaining == 0 or self.path != path:
            return False
        if self.category is not None and (category or "").lower() != self.category.lower():
            return False
        return self.skiptoken is None or skiptoken == str(self.skiptoken)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mode": self.mode, "times": self.remaining, "path": self.path}
        if self.category is not None:
            out["category"] = self.category
        if self.skiptoken is not None:
            out["skiptoken"] = self.skiptoken
        if self.mode in ("hang", "delay", "trickle"):
            out["seconds"] = self.seconds
        if self.mode == "500":
            out["status"] = self.status
        out["remaining"] = self.remaining
        return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    feed: FeedServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kamerwatch-feedserver/1"
    disable_nagle_algorithm = True
    server: _Server

    # ------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def _send(
        self, status: int, body: bytes, content_type: str = "application/xml; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int = 500) -> None:
        self._send(status, ERROR_BODY)

    def _json(self, value: Any, status: int = 200) -> None:
        self._send(status, json.dumps(value).encode(), "application/json")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _base(self) -> str:
        host = self.headers.get("Host")
        return f"http://{host}{BASE_PATH}" if host else self.server.feed.url

    def _dispatch(self) -> None:
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    # ------------------------------------------------------------ routing

    def _route(self) -> None:
        feed = self.server.feed
        parts = urlsplit(self.path)
        path = parts.path
        low = path.lower().rstrip("/")
        if low == "/_faults":
            self._control_faults()
            return
        if low == "/_requests":
            if self.command == "DELETE":
                feed.clear_requests()
                self._json([])
            else:
                self._json(feed.requests())
            return
        record = feed._log_request(self.command, self.path, self.headers.get("User-Agent"))
        if self.command not in ("GET", "HEAD"):
            record["status"] = 405
            self._error(405)
            return
        feed_path = (BASE_PATH + "/Feed").lower()
        res_prefix = (BASE_PATH + "/Resources/").lower()
        if low == feed_path:
            query = parse_qs(parts.query, keep_blank_values=True)
            category = query.get("category", [None])[0]
            skiptoken = query.get("skiptoken", [None])[0]
            fault = feed._take_fault("feed", category, skiptoken)
            record["fault"] = fault.mode if fault else None
            record["status"] = self._serve_feed(category, skiptoken, fault)
        elif low.startswith((WOO_API, "/publicatie/", "/documenten/")):
            self._serve_woo(path, parts.query, record)
        elif low == "/search":
            self._serve_debatdirect(parts.query, record)
        elif low == "/sru":
            self._serve_sru(parts.query, record)
        elif low.startswith(("/officielepublicaties/", "/fout404")) or low.endswith(
            "/metadata.xml"
        ):
            self._serve_official(path, record)
        elif low.startswith(res_prefix):
            ident = path[len(res_prefix) :].strip("/")
            fault = feed._take_fault("resources", None, None)
            record["fault"] = fault.mode if fault else None
            record["status"] = self._serve_resource(ident, fault)
        else:
            record["status"] = 404
            self._error(404)

    def _control_faults(self) -> None:
        feed = self.server.feed
        if self.command == "POST":
            try:
                payload = json.loads(self._read_body() or b"[]")
                rules = payload if isinstance(payload, list) else [payload]
                feed.add_faults(rules)
            except (ValueError, TypeError) as exc:
                self._json({"error": str(exc)}, 400)
                return
        elif self.command == "DELETE":
            feed.clear_faults()
        self._json(feed.faults())

    # ------------------------------------------------------------ faults

    def _pre_fault(self, fault: _Fault | None) -> bool:
        """Handle the faults that replace or delay the answer; True = answered already."""
        if fault is None:
            return False
        if fault.mode == "500":
            if fault.body is not None:
                self._send(fault.status, fault.body)
            else:
                self._error(fault.status)
            return True
        if fault.mode in ("hang", "delay"):
            self.server.feed._stopping.wait(fault.seconds)
        return False

    def _send_body_with_fault(self, body: bytes, content_type: str, fault: _Fault | None) -> int:
        mode = fault.mode if fault else None
        if fault is not None and mode in ("trickle", "endless"):
            self._send_hostile(body, content_type, fault)
            return 200
        if mode == "close":
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return 200
        if mode == "truncate":
            body = body[: len(body) // 2]
        elif mode == "malformed":
            body = MALFORMED_BODY
        self._send(200, body, content_type)
        return 200

    def _send_hostile(self, body: bytes, content_type: str, fault: _Fault) -> None:
        """``trickle``: a byte every ``seconds``; ``endless``: a body that never ends."""
        stopping = self.server.feed._stopping
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if fault.mode == "trickle":
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.flush()
        try:
            if fault.mode == "trickle":
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    if stopping.wait(fault.seconds):
                        return
                return
            self.wfile.write(body[: max(0, len(body) - 64)])
            filler = b"<!-- " + b"x" * (64 * 1024 - 9) + b" -->"
            sent = 0
            while sent < ENDLESS_LIMIT and not stopping.is_set():
                self.wfile.write(filler)
                sent += len(filler)
        except OSError:
            return  # the client hung up: what a careful client does
        finally:
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    # ------------------------------------------------------------ endpoints

    def _serve_feed(self, category: str | None, skiptoken: str | None, fault: _Fault | None) -> int:
        feed = self.server.feed
        index = feed.index
        if self._pre_fault(fault):
            return fault.status if fault else 500
        code: int | None = None
        canonical: str | None = None
        if category is not None:
            code = index.category_code(category)
            if code is None:
                self._error()
                return 500
            canonical = index.categories[code]
        after: int | None = None
        if skiptoken not in (None, ""):
            try:
                after = int(str(skiptoken))
            except ValueError:
                self._error()
                return 500
        positions = index.select(code, after, feed.page_size)
        chunks = index.read(positions, merge=True)
        if fault is not None and fault.mode == "duplicate" and positions:
            chunks += index.read(positions[:1])
        last = index.tokens[positions[-1]] if positions else None
        base = self._base()
        head = feed_head(
            canonical,
            self_token=after,
            next_token=last,
            resume_token=None if positions else (after or 0),
            updated=datetime.now(AMSTERDAM).isoformat(timespec="microseconds"),
            base=base,
        )
        joined = b"".join(chunks)
        if base != REAL_BASE:
            joined = joined.replace(_REAL_HREF, b'href="' + base.encode())
        if fault is not None:
            return self._send_body_with_fault(head + joined + FEED_TAIL, FEED_CONTENT_TYPE, fault)
        # the common path: no copy of the whole page, three writes (TCP_NODELAY is on)
        self.send_response(200)
        self.send_header("Content-Type", FEED_CONTENT_TYPE)
        self.send_header("Content-Length", str(len(head) + len(joined) + len(FEED_TAIL)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(head)
            self.wfile.write(joined)
            self.wfile.write(FEED_TAIL)
        return 200

    def _serve_woo(self, path: str, query: str, record: dict[str, Any]) -> None:
        """The simulated open.overheid.nl (``sample/woosim.py``); faults with ``path: woo``
        and ``category`` ``lijst`` / ``detail`` / ``relaties`` / ``bestand``."""
        world = self.server.feed.woo
        if path.startswith(WOO_API):
            rest = path[len(WOO_API) :].strip("/")
            kind = "detail" if rest else "lijst"
        elif path.startswith("/publicatie/"):
            kind, rest = "relaties", path[len("/publicatie/") :].split("/", 1)[0]
        else:
            kind, rest = "bestand", path
        fault = self.server.feed._take_fault("woo", kind, None)
        record["fault"] = fault.mode if fault else None
        if self._pre_fault(fault):
            record["status"] = fault.status if fault else 500
            return
        body: bytes | None
        status, content_type = 200, "application/json"
        if kind == "lijst":
            flat = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
            status, body = world.listing(flat)
        elif kind == "detail":
            body = world.detail(rest)
        elif kind == "relaties":
            body = world.relations(rest)
        else:
            body = world.file(path)
            content_type = "application/octet-stream"
            if body is not None:
                content_type = sniff_content_type(body[:16])
                if fault is not None and fault.mode == "wronghash":
                    body = bytes([body[0] ^ 0x01]) + body[1:]
        if body is None:
            record["status"] = 404
            self._send(404, b'{"error":"niet gevonden"}', "application/json")
            return
        record["status"] = status
        if fault is not None and status == 200:
            self._send_body_with_fault(body, content_type, fault)
            return
        self._send(status, body, content_type)

    def _serve_debatdirect(self, query: str, record: dict[str, Any]) -> None:
        """The simulated Debat Direct search (``sample/mediasim.py``); like the real CDN it
        answers 403 to a client without a browser-like User-Agent. Faults: ``path:
        debatdirect``."""
        agent = self.headers.get("User-Agent") or ""
        if not agent.startswith("Mozilla/"):
            record["status"] = 403
            self._send(403, b"<html><body>403 Forbidden</body></html>", "text/html")
            return
        fault = self.server.feed._take_fault("debatdirect", None, None)
        record["fault"] = fault.mode if fault else None
        if self._pre_fault(fault):
            record["status"] = fault.status if fault else 500
            return
        flat = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        body = self.server.feed.media.search(flat)
        record["status"] = 200
        self._send_body_with_fault(body, "application/json", fault)

    def _serve_sru(self, query: str, record: dict[str, Any]) -> None:
        """The simulated SRU search of the official publications (``sample/mediasim.py``).
        Faults: ``path: sru``."""
        fault = self.server.feed._take_fault("sru", None, None)
        record["fault"] = fault.mode if fault else None
        if self._pre_fault(fault):
            record["status"] = fault.status if fault else 500
            return
        flat = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        body = self.server.feed.media.sru(flat, self.server.feed.media_url)
        record["status"] = 200
        self._send_body_with_fault(body, "application/xml; charset=utf-8", fault)

    def _serve_official(self, path: str, record: dict[str, Any]) -> None:
        """The simulated repository of official publications: ``/officielepublicaties/
        {eid}/{eid}.xml`` and ``/{eid}/metadata.xml``; what is not (yet) there redirects to
        ``/fout404.html``, as the real one does. Faults: ``path: officiele``."""
        world = self.server.feed.media
        if path.lower().startswith("/fout404"):
            record["status"] = 200
            self._send(200, b"<html><body>Pagina niet gevonden</body></html>", "text/html")
            return
        fault = self.server.feed._take_fault("officiele", None, None)
        record["fault"] = fault.mode if fault else None
        if self._pre_fault(fault):
            record["status"] = fault.status if fault else 500
            return
        parts = [p for p in path.split("/") if p]
        body: bytes | None = None
        if len(parts) == 3 and parts[0] == "officielepublicaties" and parts[2] == f"{parts[1]}.xml":
            body = world.xml(parts[1], self.server.feed.media_url)
        elif len(parts) == 2 and parts[1] == "metadata.xml":
            body = world.metadata(parts[0])
        if body is None:
            record["status"] = 302
            self.send_response(302)
            self.send_header("Location", "/fout404.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        record["status"] = 200
        self._send_body_with_fault(body, "application/xml; charset=utf-8", fault)

    def _serve_resource(self, ident: str, fault: _Fault | None) -> int:
        feed = self.server.feed
        if self._pre_fault(fault):
            return fault.status if fault else 500
        path = feed.resources.get(ident.lower())
        if path is None:
            self._error()
            return 500
        try:
            with open(path, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                head = fh.read(16)
                content_type = sniff_content_type(head)
                if fault is not None and fault.mode in (
                    "close",
                    "truncate",
                    "malformed",
                    "trickle",
                    "endless",
                ):
                    fh.seek(0)
                    return self._send_body_with_fault(fh.read(), content_type, fault)
                duplicate = fault is not None and fault.mode == "duplicate"
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(size * 2 if duplicate else size))
                self.end_headers()
                if self.command == "HEAD":
                    return 200
                for _ in range(2 if duplicate else 1):
                    fh.seek(0)
                    while chunk := fh.read(256 * 1024):
                        self.wfile.write(chunk)
        except FileNotFoundError:
            self._error()
            return 500
        return 200


class FeedServer:
    """A SyncFeed test server over a directory (format: see the module docstring).

    ``start()`` serves in a background thread and returns the base URL
    ``http://host:port/SyncFeed/2.0``; use as a context manager to stop it again.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        host: str = "127.0.0.1",
        port: int = 0,
        page_size: int = DEFAULT_PAGE_SIZE,
        woo: WooWorld | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.host = host
        self.port = port
        self.page_size = page_size
        self.index = FeedIndex(self.directory / "feed")
        self.resources: dict[str, str] = {}
        res_dir = self.directory / "resources"
        if res_dir.is_dir():
            for entry in os.scandir(res_dir):
                if entry.is_file():
                    self.resources[entry.name.split(".", 1)[0].lower()] = entry.path
        self._woo: WooWorld | None = woo
        self._media: MediaWorld | None = None
        self._faults: list[_Fault] = []
        self._requests: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # ------------------------------------------------------------ lifecycle

    def _bind(self) -> _Server:
        httpd = _Server((self.host, self.port), _Handler)
        httpd.feed = self
        host, port = httpd.server_address[:2]
        shown = host if isinstance(host, str) and host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        if ":" in shown:
            shown = f"[{shown}]"
        self.port = int(port)
        self.url = f"http://{shown}:{self.port}{BASE_PATH}"
        self._stopping.clear()
        self._httpd = httpd
        return httpd

    def start(self) -> str:
        """Serve in a daemon thread; returns the base URL (``…/SyncFeed/2.0``)."""
        if self._thread is not None:
            return self.url
        httpd = self._bind()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        log.info("SyncFeed-testserver op %s (%d entries)", self.url, len(self.index))
        return self.url

    def serve_forever(self) -> None:
        httpd = self._bind()
        log.info("SyncFeed-testserver op %s (%d entries)", self.url, len(self.index))
        try:
            httpd.serve_forever()
        finally:
            self._stopping.set()
            httpd.server_close()
            self.index.close()

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            if self._thread is not None:
                self._httpd.shutdown()
                self._thread.join(timeout=5)
            self._httpd.server_close()
        self._httpd = None
        self._thread = None
        self.index.close()

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ queries

    @property
    def woo(self) -> WooWorld:
        """The simulated open.overheid.nl (made on first use: 3 weeks up to today)."""
        with self._lock:
            if self._woo is None:
                self._woo = WooWorld()
            return self._woo

    @property
    def media(self) -> MediaWorld:
        """The simulated Debat Direct and official publications of this feed's parliament
        (made on first use)."""
        with self._lock:
            if self._media is None:
                self._media = MediaWorld(self.index, today_of(self.directory))
            return self._media

    @property
    def media_url(self) -> str:
        """The root of the simulated Debat Direct search (``KAMERWATCH_DEBATDIRECT_URL``),
        repository (``KAMERWATCH_OFFICIELE_PUBLICATIES_URL``) and metadata records."""
        return self.woo_url

    @property
    def woo_url(self) -> str:
        """The root of the simulated open.overheid.nl (``KAMERWATCH_WOO_URL``)."""
        return self.url[: -len(BASE_PATH)] if self.url.endswith(BASE_PATH) else self.url

    def entry_count(self, category: str | None = None) -> int:
        """Entries in the feed (of one category; 0 for an unknown one)."""
        return self.index.count(category)

    def counts(self) -> dict[str, int]:
        """Entries per category (categories without entries left out)."""
        return {
            name: len(self.index.by_cat[i])
            for i, name in enumerate(self.index.categories)
            if len(self.index.by_cat[i])
        }

    # ------------------------------------------------------------ faults and request log

    def add_faults(self, rules: Iterable[dict[str, Any]]) -> None:
        parsed = [_Fault(dict(rule)) for rule in rules]
        with self._lock:
            self._faults.extend(parsed)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.as_dict() for f in self._faults]

    def _take_fault(self, path: str, category: str | None, skiptoken: str | None) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(path, category, skiptoken):
                    if fault.remaining > 0:
                        fault.remaining -= 1
                    return fault
        return None

    def _log_request(self, method: str, path: str, agent: str | None = None) -> dict[str, Any]:
        record: dict[str, Any] = {
            "method": method,
            "path": path,
            "agent": agent,
            "t": time.time(),
            "status": None,
            "fault": None,
        }
        with self._lock:
            self._requests.append(record)
        return record

    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()


def serve(
    directory: str | os.PathLike[str],
    host: str = "127.0.0.1",
    port: int = 8080,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> None:
    """Serve ``directory`` until interrupted (for the CLI)."""
    server = FeedServer(directory, host=host, port=port, page_size=page_size)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("SyncFeed-testserver gestopt")
