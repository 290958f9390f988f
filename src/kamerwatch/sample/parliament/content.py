"""TEMPORARY stand-in until the files/texts/vlos modules land."""

from __future__ import annotations

import random
from typing import Any

from . import Content


def _subject(rng: random.Random, soort: str, themes: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    t = rng.choice(list(themes) or ["beleid"])
    return f"{soort} over {t}", [f"woord{rng.randint(1, 99999)}"]


def _make_file(rng: random.Random, **kw: Any) -> tuple[str, bytes]:
    return "application/pdf", b"%PDF-1.4\n" + repr(sorted(kw.items())).encode()


def _photo(seed: int, initials: str) -> bytes:
    return b"\xff\xd8\xff" + initials.encode()


def _verslag(meeting: Any, soort: str, status: str) -> bytes:
    return b'<?xml version="1.0"?><x/>'


CONTENT = Content(_subject, _make_file, _photo, _verslag)
