"""#21.2 — a 0.48 MB DOCX took 2 GB of memory. Zip-based files (DOCX, ODT) are judged by
what their directory says they unpack to before anything is read: too much in total or
too much for their size is "te groot uitgepakt (… MB)", not "beschadigd bestand", and
the rest of the run goes on. Converter processes run under an address-space limit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from kamerwatch.sample.feedserver import FeedServer
from tests.conftest import connect, kamerwatch
from tests.security.conftest import document_values, gid, write_feed

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"word/document.xml"/></Relationships>'
)
UNPACKED_MB = 30


def _stream_member(zf: zipfile.ZipFile, name: str, head: bytes, unit: bytes, tail: bytes) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w") as out:
        out.write(head)
        block = unit * ((1 << 20) // len(unit) + 1)
        for _ in range(UNPACKED_MB):
            out.write(block[:1_000_000])
        out.write(tail)


def docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        _stream_member(
            zf,
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode(),
            b"<w:p><w:r><w:t>bom</w:t></w:r></w:p>",
            b"</w:body></w:document>",
        )
    return buf.getvalue()


def odt_bomb() -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        _stream_member(
            zf,
            "content.xml",
            f'<office:document-content xmlns:office="{office}" xmlns:text="{text}">'
            "<office:body><office:text>".encode(),
            b"<text:p>bom</text:p>",
            b"</office:text></office:body></office:document-content>",
        )
    return buf.getvalue()


def test_zip_bombs_are_refused_before_unpacking(tmp_path: Path, db_url: str) -> None:
    bombs = {"docx": docx_bomb(), "odt": odt_bomb()}
    assert all(len(b) < 200_000 for b in bombs.values())  # a 30 MB body in < 0.2 MB
    feed = tmp_path / "feed"
    write_feed(feed, [(gid(k), b, document_values(i, k)) for i, (k, b) in enumerate(bombs.items())])
    data = tmp_path / "data"
    with FeedServer(feed) as server:
        for command in ("sync", "fetch-documents"):
            done = kamerwatch(command, "--feed-url", server.url, data_dir=data, database_url=db_url)
            assert done.returncode == 0, done.stderr
    converted = kamerwatch("convert", data_dir=data, database_url=db_url, timeout=120)
    assert converted.returncode == 0, converted.stderr
    conn = connect(db_url)
    try:
        failures = dict(conn.execute("SELECT entity_id, failure FROM conversion"))
    finally:
        conn.close()
    for kind in bombs:
        assert failures[gid(kind)] == f"te groot uitgepakt ({UNPACKED_MB} MB)", kind
