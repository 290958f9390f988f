"""Cost per file of the sample parliament's content generators (not a test).

    python bench/sample_files.py [--docs 600] [--meetings 30] [--seed 1]

Generates texts for all soorten, then times each writer over the same documents on one
core: text, PDF, DOCX, RTF, portrait JPEG and a VLOS verslag of a three-item meeting.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from kamerwatch.sample import words
from kamerwatch.sample.files import docx_bytes, pdf_bytes, photo_jpeg, rtf_bytes
from kamerwatch.sample.texts import SOORTEN, DocText, document_text, subject
from kamerwatch.sample.vlos import (
    VlosInterruption,
    VlosItem,
    VlosMeeting,
    VlosMotion,
    VlosSpeaker,
    VlosSpeech,
    vlos_xml,
)

T = TypeVar("T")


def texts(n: int, seed: int) -> list[DocText]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        soort = SOORTEN[i % len(SOORTEN)]
        onderwerp, distinctive = subject(rng, soort)
        out.append(
            document_text(
                rng,
                soort=soort,
                nummer=f"2026Z{i:05d}",
                datum=date(2026, 1, 1) + timedelta(days=i % 300),
                onderwerp=onderwerp,
                titel=None,
                afzender="A. de Vries",
                geadresseerde="de Voorzitter van de Tweede Kamer der Staten-Generaal",
                distinctive=distinctive,
                personen=["Bakker", "Van Velzen"],
            )
        )
    return out


def meeting(rng: random.Random) -> VlosMeeting:
    def person(fractie: str | None, functie: str = "lid Tweede Kamer") -> VlosSpeaker:
        return VlosSpeaker(
            str(uuid.UUID(int=rng.getrandbits(128))),
            "Jan",
            f"Lid{rng.randrange(999)}",
            "",
            fractie,
            functie,
        )

    def said(n: int) -> list[str]:
        theme = rng.choice(words.THEMES)
        return [
            rng.choice(words.DEBAT_ZINNEN).format(
                kern=theme.onderwerpen[0], partij=theme.partijen[0]
            )
            for _ in range(n)
        ]

    members = [person(f) for f in ("VVD", "CDA", "D66", "SP", "PVV")]
    minister = person(None, "minister van Financiën")
    speeches = [
        VlosSpeech(m, said(4), [VlosInterruption(rng.choice(members), said(1), said(1))])
        for m in members
    ]
    items = [
        VlosItem("Debat over de begroting", [*speeches, VlosSpeech(minister, said(8))]),
        VlosItem(
            "Tweeminutendebat",
            speeches[:2],
            [VlosMotion("12", "36600", "Motie over de begroting", members[:2])],
        ),
        VlosItem("Debat over box 3", speeches[2:]),
    ]
    start = datetime(2026, 5, 12, 10, 0)
    return VlosMeeting(
        str(uuid.UUID(int=rng.getrandbits(128))), "Plenair", start.date(), start, start + timedelta(hours=6),
        "Vergadering", "Plenaire zaal", members[0], "2025-2026", 80, items,
    )  # fmt: skip


def timed(label: str, fn: Callable[[T], bytes], inputs: Sequence[T]) -> None:
    start = time.perf_counter()
    size = sum(len(fn(x)) for x in inputs)
    per = (time.perf_counter() - start) / len(inputs)
    print(
        f"{label:<6} {per * 1e3:8.3f} ms/file  {size / len(inputs) / 1024:7.1f} KiB/file  n={len(inputs)}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600)
    ap.add_argument("--meetings", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, one core")
    start = time.perf_counter()
    docs = texts(args.docs, args.seed)
    print(f"{'text':<6} {(time.perf_counter() - start) / args.docs * 1e3:8.3f} ms/file")
    timed("pdf", pdf_bytes, docs)
    timed("docx", docx_bytes, docs)
    timed("rtf", rtf_bytes, docs)
    timed("jpeg", lambda i: photo_jpeg(i, "AB"), list(range(args.docs // 2)))
    rng = random.Random(args.seed)
    timed("vlos", vlos_xml, [meeting(rng) for _ in range(args.meetings)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
