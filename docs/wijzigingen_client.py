#!/usr/bin/env python3
"""Example client of kamerwatch's change feed (/api/wijzigingen): follows every change, once,
and keeps its cursor in a file so that a restart continues where it stopped.

    python docs/wijzigingen_client.py https://kamerwatch.example.nl cursor.txt

Standard library only. Replace ``handle`` with what you do with a change (fetch its JSON,
update your copy, delete on "verwijderd"). The cursor is saved only after a page has been
handled: a crash in between hands the same page again (at-least-once), so make ``handle``
idempotent (a change's ``volgnummer`` is unique)."""

from __future__ import annotations

import json
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path


def handle(change: dict[str, object]) -> None:
    if change["soort"] == "Herinlezing":  # `sync --reparse`: every row of a category rebuilt
        print(change["volgnummer"], "refetch everything of category", change["id"])
        return
    print(change["volgnummer"], change["wat"], change["soort"], change["id"], change["url"])


def follow(site: str, cursor_file: Path, pause: float = 60.0) -> None:
    cursor = cursor_file.read_text().strip() if cursor_file.exists() else ""
    while True:
        query = urllib.parse.urlencode({"sinds": cursor})
        url = f"{site.rstrip('/')}/api/wijzigingen?{query}"
        with urllib.request.urlopen(url, timeout=30) as response:
            page = json.load(response)
        for change in page["wijzigingen"]:
            handle(change)
        cursor = page["cursor"]
        tmp = cursor_file.with_suffix(".tmp")
        tmp.write_text(cursor)
        tmp.replace(cursor_file)  # atomic: a crash leaves the old or the new cursor
        if not page["meer"]:
            time.sleep(pause)  # up to date: ask again later


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("gebruik: wijzigingen_client.py SITE-URL CURSORBESTAND")
    follow(sys.argv[1], Path(sys.argv[2]))
