"""The in-process memory of the website: a small thread-safe LRU per server process."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class ResultCache(Generic[V]):
    """A small thread-safe LRU of values per key: the loaded dashboards per (page, filters,
    day, data version), the sitemap index and whole page responses per (path, query, data
    version, day): computed once after each change of the mirror, then served from memory
    until the next sync writes. With ``max_bytes`` and ``weigh`` (the bytes of a value) it
    is also bounded by the total weight of what it keeps: the oldest go first, and a value
    heavier than the whole budget is not kept."""

    def __init__(
        self,
        size: int = 256,
        *,
        max_bytes: int | None = None,
        weigh: Callable[[V], int] | None = None,
        head: int = 0,
    ) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.weigh = weigh
        self.bytes = 0
        self.head = head
        self._items: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self._weights: dict[tuple[Any, ...], int] = {}
        self._heads: Counter[tuple[Any, ...]] = Counter()  # keys kept per first ``head`` parts
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def __len__(self) -> int:
        return len(self._items)

    def holds_head(self, head: tuple[Any, ...]) -> bool:
        """Whether a key starting with ``head`` (its first ``head`` parts, as made) is kept:
        without one, no key that starts so can be found (asked before its other parts, which
        may cost a query, are known)."""
        return head in self._heads

    def put(self, key: tuple[Any, ...], value: V) -> None:
        weight = self.weigh(value) + len(repr(key)) if self.weigh is not None else 0
        if self.max_bytes is not None and weight > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = value
            self._weights[key] = weight
            self.bytes += weight
            if self.head:
                self._heads[key[: self.head]] += 1
            while len(self._items) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes
            ):
                self._drop(next(iter(self._items)))

    def _drop(self, key: tuple[Any, ...]) -> None:
        del self._items[key]
        self.bytes -= self._weights.pop(key, 0)
        if self.head:
            head = key[: self.head]
            self._heads[head] -= 1
            if not self._heads[head]:
                del self._heads[head]
