"""Deterministic identifiers of the sample parliament: GUIDs and per-year numbers."""

from __future__ import annotations

import hashlib
from collections import defaultdict


class Ids:
    """GUIDs derived from (seed, category, serial) and named counters; nothing else kept."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._serial: defaultdict[str, int] = defaultdict(int)
        self._counters: dict[str, int] = {}

    def next(self, category: str) -> str:
        self._serial[category] += 1
        h = hashlib.blake2b(
            f"kw-sample/{self.seed}/{category}/{self._serial[category]}".encode(), digest_size=16
        ).hexdigest()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:32]}"

    def counter(self, name: str, start: int = 1) -> int:
        value = self._counters.get(name, start - 1) + 1
        self._counters[name] = value
        return value

    def number(self, letter: str, year: int) -> str:
        """The next number of its kind in a year, e.g. 2026D01234."""
        return f"{year}{letter}{self.counter(f'{letter}{year}', 1000 + 37 * (year % 10)):05d}"
