"""Which commit a benchmark figure was measured on (shared by bench/all.py and the scripts)."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


# what a benchmark writes (its figures and the table), and what only stamps and tabulates
# them: a change there changes no figure. Every other file of src/ and bench/ is code that
# is measured.
NOT_MEASURED = (
    ":(exclude)bench/results*.json",
    ":(exclude)bench/README.md",
    ":(exclude)bench/all.py",
    ":(exclude)bench/stamp.py",
)


def head_commit() -> str:
    """HEAD's commit, with "+" when the measured code (src/, bench/ but for its results, the
    table and the tabulating scripts) differs from it: uncommitted changes. A running
    `make bench` writes results files; they do not make the code it measures "changed"."""
    commit = _git("rev-parse", "--short=10", "HEAD") or "onbekend"
    dirty = _git(
        "status", "--porcelain", "--untracked-files=no", "--", "src", "bench", *NOT_MEASURED
    )
    return commit + ("+" if dirty else "")


def measured_now() -> dict[str, str]:
    """The stamp a results file (or a part of it) carries: commit and time of measurement."""
    return {"commit": head_commit(), "date": datetime.now(UTC).isoformat(timespec="seconds")}


_LOCAL_IMPORT = re.compile(r"^\s*(?:from|import)\s+(\w+)", re.M)


def measured_files(name: str) -> list[str]:
    """The code a bench measures: src/ and bench/<name>.py with the bench modules it
    imports (bench/search.py uses bench/web.py's load client), not the tabulating ones."""
    bench = ROOT / "bench"
    seen: set[str] = set()
    todo = [name]
    while todo:
        module = todo.pop()
        path = bench / f"{module}.py"
        if module in seen or not path.exists() or module in ("all", "stamp"):
            continue
        seen.add(module)
        todo.extend(_LOCAL_IMPORT.findall(path.read_text()))
    return ["src", *(f"bench/{m}.py" for m in sorted(seen))]


def same_code(commit: str, head: str, paths: list[str] | None = None) -> bool:
    """The measured code (``paths``; default: src/ and bench/ but :data:`NOT_MEASURED`) is
    the same at ``commit`` as at ``head``: a later commit of only results, the table, docs,
    tests or another bench's script keeps a figure current."""
    if commit == head:
        return True
    where = paths if paths is not None else ["src", "bench", *NOT_MEASURED]
    done = subprocess.run(
        ["git", "diff", "--quiet", commit, head, "--", *where],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return done.returncode == 0  # 1: differs; 128: an unknown commit (not current either)


def label(measured: dict[str, str] | None, head: str, name: str | None = None) -> str:
    """ "abc1234567 2026-12-06", marked stale when measured on other code than ``head``'s
    (another commit whose src/ or measuring bench script ``name`` differs, or uncommitted
    changes), or when there is no stamp at all."""
    if not measured:
        return "(stale: no stamp)"
    text = f"{measured['commit']} {measured['date'][:10]}"
    commit = measured["commit"]
    paths = measured_files(name) if name else None
    if commit.endswith("+") or head.endswith("+") or not same_code(commit, head, paths):
        text += " (stale)"
    return text
