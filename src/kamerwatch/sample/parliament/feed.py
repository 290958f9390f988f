"""Streams the sample parliament to disk as SyncFeed pages plus resource files.

The directory layout is the one :mod:`kamerwatch.sample.feedserver` serves:
``feed/page-NNNNNN.xml`` (250 entries per page, all categories mixed, one global
increasing skiptoken sequence) and ``resources/<guid>`` (the enclosure of a downloadable
entity; re-publishing an entity with a new file replaces it, as the live API does).
Only one page is ever held in memory.

Every announced ``contentLength``/``contentType`` is true of the file the server serves
(issue #20.9). ``Resources/<guid>`` serves an entity's *current* file, so an earlier entry of
an entity whose file was replaced (a document's new version) would announce a file that no
longer exists: such an entry leaves the feed (the entity is at its latest position only, as
a feed that moves a changed entity does; entries without a file are never removed). A
withdrawn entity keeps its file: its earlier entries still announce it truly.
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

import kamerwatch
from kamerwatch.sync.parsers import CATEGORIES, spec_for
from kamerwatch.sync.parsers.base import CategorySpec

from ..xmlwriter import (
    bijgewerkt_stamp,
    entity_xml,
    entry_token,
    entry_xml,
    feed_page,
    stamp_utc,
)

PAGE_SIZE = 250
FIRST_TOKEN = 30_000_000


XSD_DIR = Path(kamerwatch.__file__).parent / "xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"


@cache
def not_nillable(category: str) -> frozenset[str]:
    """Element names of a category that the official XSD does not allow to be ``xsi:nil``:
    an empty value of such a field is left out instead (minOccurs is 0 for all of them)."""
    root = etree.parse(str(XSD_DIR / f"tkData-v1-0-{category.lower()}.xsd")).getroot()
    return frozenset(
        str(el.get("name")) for el in root.iter(f"{XS}element") if el.get("nillable") != "true"
    )


@dataclass
class CategoryStats:
    entries: int = 0
    created: int = 0
    updates: int = 0
    tombstones: int = 0

    @property
    def live(self) -> int:
        return self.created - self.tombstones


@dataclass
class FeedWriter:
    outdir: Path
    rng: random.Random
    clock: float  # epoch seconds of the next entry's ``updated``
    now: float
    stats: dict[str, CategoryStats] = field(default_factory=dict)
    resources: dict[str, int] = field(default_factory=dict)  # content type → files written
    token: int = FIRST_TOKEN
    pages: int = 0
    _page: list[bytes] = field(default_factory=list)
    _page_first: int | None = None
    # id → (page number, token) of the entity's last entry that announced a file
    _announced: dict[str, tuple[int, int]] = field(default_factory=dict)
    # page number → tokens of entries superseded by a new file (removed at close)
    _superseded: dict[int, set[int]] = field(default_factory=dict)
    _page_meta: list[tuple[int | None, str]] = field(default_factory=list)
    _specs: dict[str, CategorySpec] = field(default_factory=dict)
    _xml_names: dict[str, dict[str, str]] = field(default_factory=dict)
    # while set, entries are drawn but not written (see :meth:`ghost`)
    ghosting: bool = False

    def __post_init__(self) -> None:
        self.feed_dir = self.outdir / "feed"
        self.res_dir = self.outdir / "resources"
        for d in (self.feed_dir, self.res_dir):
            d.mkdir(parents=True, exist_ok=True)
        for old in self.feed_dir.glob("page-*.xml"):
            old.unlink()
        for old in self.res_dir.iterdir():
            old.unlink()
        self.stats = {name: CategoryStats() for name in CATEGORIES}
        self._specs = {name: spec_for(name) for name in CATEGORIES}
        self._xml_names = {
            name: {f.attr: f.xml.rsplit("/", 1)[-1] for f in spec.fields}
            for name, spec in self._specs.items()
        }

    def at(self, when: datetime) -> None:
        """Move the feed clock forward to ``when`` (never backwards, never past now)."""
        self.clock = min(max(self.clock, when.timestamp()), self.now)

    @contextlib.contextmanager
    def ghost(self) -> Iterator[None]:
        """Entries emitted inside are drawn exactly as if written (the same random draws and
        skiptoken steps) but left out of the feed: a sample event that did not happen (an
        answer still to come) keeps every later entry as it was drawn."""
        self.ghosting = True
        try:
            yield
        finally:
            self.ghosting = False

    def _tick(self) -> float:
        self.clock = min(self.clock + self.rng.uniform(0.5, 6.0), self.now)
        self.token += self.rng.randint(1, 3)
        return self.clock

    def emit(
        self,
        category: str,
        id: str,
        values: dict[str, Any],
        *,
        new: bool = True,
        resource: tuple[str, bytes] | None = None,
    ) -> None:
        """One live entry; ``new`` is False when the id was published before (an update)."""
        spec = self._specs[category]
        strict = not_nillable(category)
        values = {
            attr: v
            for attr, v in values.items()
            if v is not None or self._xml_names[category][attr] not in strict
        }
        ts = self._tick()
        if self.ghosting:
            self.rng.uniform(1.0, 50.0)  # the bijgewerkt stamp's draw
            return
        content_type = content_length = None
        st = self.stats[category]
        if resource is not None:
            content_type, body = resource
            content_length = len(body)
            earlier = self._announced.get(id)
            if earlier is not None:  # its file is replaced: the earlier entry would lie
                self._supersede(*earlier)
                st.entries -= 1
                st.updates -= 1  # this entry takes the place of the one removed
            (self.res_dir / id).write_bytes(body)
            self.resources[content_type] = self.resources.get(content_type, 0) + 1
            self._announced[id] = (self.pages, self.token)
        entity = entity_xml(
            spec,
            values,
            id=id,
            bijgewerkt=bijgewerkt_stamp(category, ts - self.rng.uniform(1.0, 50.0)),
            content_type=content_type,
            content_length=content_length,
        )
        st.entries += 1
        if new:
            st.created += 1
        else:
            st.updates += 1
        self._append(spec, entity, ts, id, enclosure=resource is not None)

    def _supersede(self, page: int, token: int) -> None:
        """Remove the entry ``token`` (on page ``page``, maybe the one being filled)."""
        if page == self.pages:
            mark = f"skiptoken={token}&amp;".encode()
            self._page = [entry for entry in self._page if mark not in entry]
        else:
            self._superseded.setdefault(page, set()).add(token)

    def delete(self, category: str, id: str) -> None:
        """A tombstone of an entity published before."""
        spec = self._specs[category]
        ts = self._tick()
        if self.ghosting:
            return
        entity = entity_xml(
            spec, {}, id=id, bijgewerkt=bijgewerkt_stamp(category, ts - 2.0), verwijderd=True
        )
        st = self.stats[category]
        st.entries += 1
        st.tombstones += 1
        # the file stays: the entity's earlier entries announce it (#20.9)
        self._announced.pop(id, None)
        self._append(spec, entity, ts, id, enclosure=False)

    def _append(
        self, spec: CategorySpec, entity: bytes, ts: float, id: str, *, enclosure: bool
    ) -> None:
        self._page.append(
            entry_xml(
                spec,
                entity,
                token=self.token,
                updated=stamp_utc(ts, decimals=True),
                enclosure=enclosure,
                id=id,
            )
        )
        if len(self._page) == PAGE_SIZE:
            self._flush()

    def _flush(self) -> None:
        updated = datetime.fromtimestamp(self.clock, UTC).isoformat(timespec="microseconds")
        body = feed_page(None, self._page, self._page_first, updated=updated)
        (self.feed_dir / f"page-{self.pages:06d}.xml").write_bytes(body)
        self._page_meta.append((self._page_first, updated))
        self.pages += 1
        self._page_first = self.token
        self._page = []

    def _rewrite(self, page: int, tokens: set[int]) -> None:
        """Page ``page`` again, without the entries of ``tokens``."""
        path = self.feed_dir / f"page-{page:06d}.xml"
        data = path.read_bytes()
        kept = []
        start = data.find(b"<entry>")
        while start >= 0:
            end = data.index(b"</entry>", start) + len(b"</entry>")
            entry = data[start:end]
            if entry_token(entry) not in tokens:
                kept.append(entry)
            start = data.find(b"<entry>", end)
        first, updated = self._page_meta[page]
        path.write_bytes(feed_page(None, kept, first, updated=updated))

    def close(self, extra: dict[str, Any]) -> dict[str, Any]:
        """Write the last page and ``expected.json``; returns the summary."""
        if self._page:
            self._flush()
        for page, tokens in sorted(self._superseded.items()):
            self._rewrite(page, tokens)
        categories = {
            name: {
                "entries": st.entries,
                "created": st.created,
                "updates": st.updates,
                "tombstones": st.tombstones,
                "live": st.live,
            }
            for name, st in self.stats.items()
        }
        summary: dict[str, Any] = {
            **extra,
            "entries": sum(st.entries for st in self.stats.values()),
            "pages": self.pages,
            "page_size": PAGE_SIZE,
            "last_token": self.token,
            "resources": sum(1 for _ in self.res_dir.iterdir()),
            "resources_by_type": dict(sorted(self.resources.items())),
            "live": {name: c["live"] for name, c in categories.items()},
            "total_live": sum(c["live"] for c in categories.values()),
            "categories": categories,
        }
        (self.outdir / "expected.json").write_text(
            json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        return summary
