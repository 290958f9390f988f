"""Raw-log blobs: dictionary zstd round trip; older formats stay readable; damage is clear."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
import zstandard

from kamerwatch.store.rawlog import compress_entry, decompress_entry, dictionaries

PAGE = (Path(__file__).parent.parent / "data" / "syncfeed" / "activiteit_page.xml").read_bytes()


def test_round_trip_with_shipped_dictionary() -> None:
    assert 1 in dictionaries()
    blob = compress_entry(PAGE)
    assert zstandard.get_frame_parameters(blob).dict_id == max(dictionaries())
    assert len(blob) < len(PAGE) / 3
    assert decompress_entry(blob) == PAGE


@pytest.mark.parametrize(
    "blob",
    [zlib.compress(PAGE), zstandard.ZstdCompressor().compress(PAGE)],
    ids=["zlib", "zstd-without-dictionary"],
)
def test_older_formats_stay_readable(blob: bytes) -> None:
    assert decompress_entry(blob) == PAGE


def test_damaged_or_unknown_dictionary_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="beschadigde"):
        decompress_entry(compress_entry(PAGE)[:-10])
    other = zstandard.train_dictionary(
        4096, [PAGE[i : i + 600] for i in range(0, 4000, 40)], dict_id=999
    )
    blob = zstandard.ZstdCompressor(dict_data=other).compress(PAGE)
    with pytest.raises(ValueError, match="woordenboek 999"):
        decompress_entry(blob)
