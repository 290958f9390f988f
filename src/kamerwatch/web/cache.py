"""The in-process memory of the website: a small thread-safe LRU per server process."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class ResultCache(Generic[V]):
    """A small thread-safe LRU of values per key: the loaded dashboards per (page, filters,
    day, data version), the sitemap index and whole page responses per (path, query, data
    version, day): computed once after each change of the mirror, then served from memory
    until the next sync writes."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def __len__(self) -> int:
        return len(self._items)

    def put(self, key: tuple[Any, ...], value: V) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
