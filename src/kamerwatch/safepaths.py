"""Where downloaded files may go: one check for every downloader (documents, photos,
verslagen, Woo files, official publications …).

Upstream identifiers end up in file names. The parsers already refuse an entity whose id
is not a GUID (``sync.parsers.base.is_guid``); this is the second line: every path is
resolved (symbolic links and ``..`` followed) and must lie strictly inside the resolved
files directory before anything is created or written there.
"""

from __future__ import annotations

import re
from pathlib import Path

GUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class UnsafePath(ValueError):
    """A path built from upstream data would leave the files directory."""


def is_guid(value: str) -> bool:
    """The form of every Tweede Kamer id: 8-4-4-4-12 hexadecimal digits, nothing else."""
    return GUID_RE.fullmatch(value) is not None


def path_inside(root: Path, *parts: str) -> Path:
    """``root/parts…`` resolved, guaranteed to lie strictly inside ``root`` (resolved).

    Raises :class:`UnsafePath` for an empty, absolute or NUL-containing part, or when the
    resolved path (``..``, symbolic links) is not below ``root``. Call it before creating
    directories or writing; write to the returned path."""
    base = root.resolve()
    for part in parts:
        if not part or "\x00" in part or Path(part).is_absolute():
            raise UnsafePath(f"ongeldig padonderdeel {part[:80]!r}")
    target = base.joinpath(*parts).resolve()
    if target == base or not target.is_relative_to(base):
        raise UnsafePath(f"pad buiten de bestandenmap geweigerd: {'/'.join(parts)[:200]!r}")
    return target


def relative_inside(root: Path, path: Path) -> str:
    """The path (as returned by :func:`path_inside`) relative to ``root``, for storing."""
    return str(path.relative_to(root.resolve()))
