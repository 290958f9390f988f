"""The storage format of raw-log entries (pure): zstd frames; old zlib blobs still read."""

from __future__ import annotations

import threading
import zlib

import zstandard

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_LEVEL = 1
_local = threading.local()


def _codecs() -> tuple[zstandard.ZstdCompressor, zstandard.ZstdDecompressor]:
    codecs = getattr(_local, "codecs", None)
    if codecs is None:  # one pair per thread: the objects are not thread-safe
        codecs = (zstandard.ZstdCompressor(level=_LEVEL), zstandard.ZstdDecompressor())
        _local.codecs = codecs
    return codecs


def compress_entry(xml: bytes) -> bytes:
    return _codecs()[0].compress(xml)


def decompress_entry(blob: bytes) -> bytes:
    """Raises ``ValueError`` on a damaged blob."""
    try:
        if blob[:4] == _ZSTD_MAGIC:
            return _codecs()[1].decompress(blob)
        return zlib.decompress(blob)
    except (zstandard.ZstdError, zlib.error) as exc:
        raise ValueError(f"beschadigde opgeslagen entry: {exc}") from exc
