"""Train the zstd dictionary that compresses raw-log entries (a build step, not run by users).

    python scripts/train_raw_dictionary.py [--id 1]

Entries share most of their bytes (Atom wrapper, namespaces, element names), so a shared
dictionary makes each stored entry about three times smaller and faster to (de)compress.
Samples: the real feed pages in tests/data/syncfeed plus a generated feed of all 35
categories. The dictionary ID is written into every compressed frame, so entries
compressed with an older dictionary stay readable when a new one is added.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import zstandard
from lxml import etree

from kamerwatch.sample import benchfeed

ROOT = Path(__file__).resolve().parent.parent
ATOM_ENTRY = "{http://www.w3.org/2005/Atom}entry"


def samples(count: int) -> list[bytes]:
    out: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        benchfeed.generate(Path(tmp), entries=count, seed=4242)
        pages = sorted(Path(tmp, "feed").glob("*.xml"))
        pages += sorted((ROOT / "tests" / "data" / "syncfeed").glob("*.xml"))
        for page in pages:
            for entry in etree.parse(str(page)).getroot().iterchildren(ATOM_ENTRY):
                out.append(etree.tostring(entry))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--id", type=int, default=1)
    parser.add_argument("--size", type=int, default=32 * 1024)
    args = parser.parse_args()
    data = zstandard.train_dictionary(args.size, samples(20_000), dict_id=args.id, level=3)
    target = ROOT / "src" / "kamerwatch" / "store" / f"rawdict-{args.id}.zdict"
    target.write_bytes(data.as_bytes())
    print(f"{target}: {len(data.as_bytes()):,} bytes, dict_id {data.dict_id()}")


if __name__ == "__main__":
    main()
