"""The layer rules of docs/architecture.md hold: the import-linter contracts (.importlinter)
are kept, and the layers that keep them do not hide an import inside a function (the usual
way to dodge a cycle)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "kamerwatch"
# The layers whose imports are all at module level (the store, search and sample packages
# still hide some: their layering is separate work).
CHECKED = ["kinds.py", "pipeline.py", "web", "alerts"]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _files() -> list[Path]:
    out: list[Path] = []
    for name in CHECKED:
        path = SRC / name
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def _ours(node: ast.AST) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").startswith("kamerwatch")
    if isinstance(node, ast.Import):
        return any(alias.name.startswith("kamerwatch") for alias in node.names)
    return False


def test_no_imports_inside_functions() -> None:
    hidden = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                hidden += [
                    f"{path.relative_to(SRC)}:{node.lineno} in {fn.name}()"
                    for node in ast.walk(fn)
                    if _ours(node)
                ]
    assert not hidden, "imports of kamerwatch inside functions: " + ", ".join(hidden)
