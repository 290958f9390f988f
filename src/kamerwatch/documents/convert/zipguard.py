"""Decompression bombs: judge a zip-based file (DOCX, ODT) by what its directory says it
unpacks to, before any member is read.

Python's ``zipfile`` never returns more than a member's declared ``file_size`` (it stops
there and checks the CRC), so the sum of the declared sizes bounds what python-docx or the
ODT reader can unpack. A file whose members unpack to more than ``MAX_UNPACKED`` bytes in
total, or to more than ``MAX_RATIO`` times its own size (once past ``RATIO_FLOOR``), is
refused with "te groot uitgepakt (… MB)". Real Kamer documents stay far below both.
"""

from __future__ import annotations

import io
import zipfile

MAX_UNPACKED = 200 * 1000 * 1000
MAX_RATIO = 100
RATIO_FLOOR = 10 * 1000 * 1000  # small files may compress well; the ratio counts above this
MAX_MEMBERS = 10_000


def too_large_reason(unpacked: int) -> str:
    return f"te groot uitgepakt ({unpacked / 1e6:,.0f} MB)"


def bomb_reason(data: bytes) -> str | None:
    """None when the archive may be read, else the Dutch failure reason. A zip that cannot
    even be listed is left to the converter (it reports a damaged file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    unpacked = sum(max(0, info.file_size) for info in infos)
    if len(infos) > MAX_MEMBERS:
        return f"te veel onderdelen in het zip-bestand ({len(infos):,})"
    if unpacked > MAX_UNPACKED:
        return too_large_reason(unpacked)
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(1, len(data)):
        return too_large_reason(unpacked)
    return None
