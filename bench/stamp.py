"""Which commit a benchmark figure was measured on (shared by bench/all.py and the scripts)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def head_commit() -> str:
    """HEAD's commit, with "+" when src/ or bench/ differ from it (uncommitted changes)."""
    commit = _git("rev-parse", "--short=10", "HEAD") or "onbekend"
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "src", "bench")
    return commit + ("+" if dirty else "")


def measured_now() -> dict[str, str]:
    """The stamp a results file (or a part of it) carries: commit and time of measurement."""
    return {"commit": head_commit(), "date": datetime.now(UTC).isoformat(timespec="seconds")}


def label(measured: dict[str, str] | None, head: str) -> str:
    """ "abc1234567 2026-12-06", marked stale when measured on another commit than ``head``
    (or with uncommitted changes), or when there is no stamp at all."""
    if not measured:
        return "(stale: no stamp)"
    text = f"{measured['commit']} {measured['date'][:10]}"
    if measured["commit"] != head or head.endswith("+"):
        text += " (stale)"
    return text
