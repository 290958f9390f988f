"""Benchmark of the convert stage (not a test): documents/s and MB/s on a generated corpus,
next to the raw speed of the PDF library on the same PDFs.

    python bench/convert.py [--scale 3] [--out bench/out/convert]

1. generates the sample parliament (--scale 3: ~2,800 documents, mostly PDF, some DOCX and
   RTF, plus VLOS verslagen), syncs it and downloads the files (cached in --out);
2. ceiling: pypdfium2 alone extracting the text of every PDF, one process;
3. `kamerwatch convert` on all files (both cores), from scratch, OCR off
   (KAMERWATCH_OCR_MAX_PAGES=0: the scanned PDFs of the sample are listed as needing OCR);
4. where tesseract with Dutch is installed: `kamerwatch convert` again, OCR on, which reads
   just those scanned PDFs (seconds per page).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pypdfium2 as pdfium

from kamerwatch.sample.feedserver import FeedServer

ROOT = Path(__file__).resolve().parent.parent


def prepare(out: Path, scale: int) -> Path:
    feed, data = out / f"sample-{scale}", out / f"data-{scale}"
    env = {**os.environ, "KAMERWATCH_POLITENESS_PAUSE": "0"}
    if not (feed / "expected.json").exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kamerwatch",
                "-q",
                "sample",
                str(feed),
                "--scale",
                str(scale),
                "--today",
                "2026-11-28",
            ],
            check=True,
        )
    if not (data / "fetched").exists():
        with FeedServer(feed) as server:
            for command in ("sync", "fetch-documents"):
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "kamerwatch",
                        "-q",
                        "--data-dir",
                        str(data),
                        command,
                        "--feed-url",
                        server.url,
                    ],
                    check=True,
                    env=env,
                )
        (data / "fetched").touch()
    return data


def ceiling(paths: list[str]) -> tuple[float, float]:
    """PDFs per second for pypdfium2 text extraction alone: wall clock and CPU time."""
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        doc = pdfium.PdfDocument(path)
        try:
            for page in doc:
                page.get_textpage().get_text_range()
        finally:
            doc.close()
    return len(paths) / (time.perf_counter() - start), len(paths) / (time.process_time() - cpu)


def children_cpu() -> float:
    """CPU seconds of the finished child processes (with their workers) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_ocr(conn: sqlite3.Connection, command: list[str]) -> dict[str, float] | None:
    """Convert again with OCR on: only the scanned PDFs are read (by tesseract)."""
    from kamerwatch.documents.convert import ocr

    if not ocr.available():
        print("tesseract met Nederlandse taaldata niet geïnstalleerd: geen OCR-meting")
        return None
    scanned = conn.execute(
        "SELECT count(*), coalesce(sum(pages), 0) FROM conversion WHERE failure LIKE '%OCR nodig%'"
    ).fetchone()
    if not scanned[0]:
        return None
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    read = conn.execute(
        "SELECT count(*) FROM conversion WHERE method = ? AND failure IS NULL", (ocr.METHOD,)
    ).fetchone()[0]
    return {
        "files": scanned[0],
        "pages": scanned[1],
        "read": read,
        "seconds": round(seconds, 1),
        "seconds_per_page": round(seconds / scanned[1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "convert")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = prepare(args.out, args.scale)
    # a corpus kept from an earlier version of the code: bring its schema up to date (the
    # stage refuses a schema behind its code)
    subprocess.run(
        [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), "db", "migrate"],
        check=True,
    )
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    conn.execute("DELETE FROM conversion")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in ("spreektijd", "spreektijd_bron"):  # the stage also reads speaking times
        if table in tables:
            conn.execute(f"DELETE FROM {table}")
    conn.commit()
    files = conn.execute(
        "SELECT path, size FROM resource_file WHERE category <> 'Persoon'"
    ).fetchall()
    docs = conn.execute(
        "SELECT count(*) FROM resource_file WHERE category = 'Document'"
    ).fetchone()[0]
    # paths relative to the files directory (older databases: absolute ones, kept by `/`)
    found = [data / "files" / p for p, _ in files]
    pdfs = [str(p) for p in found if p.read_bytes()[:4] == b"%PDF"]
    conn.close()
    raw, raw_cpu = ceiling(pdfs)
    load = os.getloadavg()[0]
    command = [sys.executable, "-m", "kamerwatch", "-q", "--data-dir", str(data), "convert"]
    start, cpu = time.perf_counter(), children_cpu()
    subprocess.run(command, check=True, env={**os.environ, "KAMERWATCH_OCR_MAX_PAGES": "0"})
    seconds = time.perf_counter() - start
    cpu_seconds = children_cpu() - cpu
    conn = sqlite3.connect(data / "kamerwatch.sqlite3")
    methods = dict(
        conn.execute("SELECT method, count(*) FROM conversion GROUP BY method").fetchall()
    )
    failed = conn.execute("SELECT count(*) FROM conversion WHERE failure IS NOT NULL").fetchone()[0]
    ocr = measure_ocr(conn, command)
    megabytes = sum(size for _, size in files) / 1e6
    rate = len(files) / seconds
    print(
        f"\n{len(files):,} files ({docs:,} documents, {len(pdfs):,} PDFs; {megabytes:.1f} MB): {methods}, {failed} failed"
    )
    print(f"{'measurement':<44} {'rate':>12}")
    print(f"{'pypdfium2 alone, PDFs, one process (ceiling)':<44} {raw:>9,.0f}/s")
    print(
        f"{'kamerwatch convert, all files, 2 processes':<44} {rate:>9,.0f}/s   {megabytes / seconds:.1f} MB/s, {rate / raw:.2f}× ceiling"
    )
    rate_cpu = len(files) / cpu_seconds
    print(
        f"{'per CPU second: pypdfium2 alone / convert':<44} {raw_cpu:>9,.0f}/s   {rate_cpu:,.0f}/s, "
        f"{rate_cpu / raw_cpu:.2f}× (at best {2 * rate_cpu / raw_cpu:.2f}× on 2 idle cores)"
    )
    print(f"load average (1 min) before the convert run: {load:.1f}")
    if ocr:
        print(
            f"{'OCR (tesseract, nld), scanned PDFs':<44} {ocr['seconds_per_page']:>9.1f} s/page "
            f"({ocr['files']} files, {ocr['pages']} pages, {ocr['seconds']} s)"
        )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "files": len(files),
        "pdfs": len(pdfs),
        "megabytes": round(megabytes, 1),
        "seconds": round(seconds, 1),
        "files_per_s": round(rate),
        "mb_per_s": round(megabytes / seconds, 2),
        "pdfium_alone_per_s": round(raw),
        "ratio_to_pdfium": round(rate / raw, 2),
        "cpu_seconds": round(cpu_seconds, 1),
        "pdfium_alone_per_cpu_s": round(raw_cpu),
        "files_per_cpu_s": round(len(files) / cpu_seconds),
        "load_average_1min": round(load, 1),
        "methods": methods,
        "failed": failed,
        "ocr": ocr,
    }
    (ROOT / "bench" / "results-convert.json").write_text(json.dumps(result, indent=1) + "\n")
    print("written to bench/results-convert.json")


if __name__ == "__main__":
    main()
