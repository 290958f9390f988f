"""The storage format of raw-log entries (pure): zstd frames with a shared dictionary.

Feed entries share most of their bytes (Atom wrapper, namespaces, element names), so
each entry is compressed with a dictionary shipped in this package
(``rawdict-<id>.zdict``, made by ``scripts/train_raw_dictionary.py``). The dictionary ID
is in every frame header: entries written with an older dictionary stay readable after a
newer one is added; frames without a dictionary and old zlib blobs are read too.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from functools import cache
from importlib import resources

import zstandard

_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_LEVEL = 1
_local = threading.local()


@cache
def dictionaries() -> dict[int, zstandard.ZstdCompressionDict]:
    found: dict[int, zstandard.ZstdCompressionDict] = {}
    for item in resources.files(__package__).iterdir():
        if item.name.startswith("rawdict-") and item.name.endswith(".zdict"):
            data = zstandard.ZstdCompressionDict(item.read_bytes())
            found[data.dict_id()] = data
    return found


def _compressor() -> zstandard.ZstdCompressor:
    comp = getattr(_local, "compressor", None)
    if comp is None:  # one per thread: the objects are not thread-safe
        known = dictionaries()
        current = known[max(known)] if known else None
        if current is not None:  # digest the dictionary once, not for every entry
            current = zstandard.ZstdCompressionDict(current.as_bytes())
            current.precompute_compress(level=_LEVEL)
        comp = zstandard.ZstdCompressor(level=_LEVEL, dict_data=current)
        _local.compressor = comp
    return comp


def _decompressor(dict_id: int) -> zstandard.ZstdDecompressor:
    cache_: dict[int, zstandard.ZstdDecompressor] = getattr(_local, "decompressors", None) or {}
    _local.decompressors = cache_
    dec = cache_.get(dict_id)
    if dec is None:
        data = dictionaries().get(dict_id) if dict_id else None
        if dict_id and data is None:
            raise ValueError(f"opgeslagen entry vraagt om onbekend woordenboek {dict_id}")
        dec = zstandard.ZstdDecompressor(dict_data=data)
        cache_[dict_id] = dec
    return dec


def compress_entry(xml: bytes) -> bytes:
    return _compressor().compress(xml)


def entry_compressor() -> Callable[[bytes], bytes]:
    """:func:`compress_entry` for many entries in a row (in the calling thread only)."""
    return _compressor().compress


def decompress_entry(blob: bytes) -> bytes:
    """Raises ``ValueError`` on a damaged blob."""
    try:
        if blob[:4] == _ZSTD_MAGIC:
            dict_id = zstandard.get_frame_parameters(blob).dict_id
            return _decompressor(dict_id).decompress(blob)
        return zlib.decompress(blob)
    except (zstandard.ZstdError, zlib.error) as exc:
        raise ValueError(f"beschadigde opgeslagen entry: {exc}") from exc
