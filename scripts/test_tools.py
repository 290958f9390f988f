"""Install the system tools the test suite uses where possible (Debian's apt, as root).

Called by `make test`. A tool that cannot be installed is reported by name; its tests are
skipped then, except when ``KAMERWATCH_REQUIRE_TOOLS`` is set (CI): then this exits 1.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys


def _has_tesseract_nld() -> bool:
    if not shutil.which("tesseract"):
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return "nld" in langs.stdout.split()


def _has_postgresql() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


# (what it is for, the check, the Debian packages)
TOOLS = (
    (".doc-tests (antiword)", lambda: bool(shutil.which("antiword")), ["antiword"]),
    (
        "OCR-tests (tesseract, Nederlands)",
        _has_tesseract_nld,
        ["tesseract-ocr", "tesseract-ocr-nld"],
    ),
    ("browsertest (chromium)", lambda: os.path.exists("/usr/bin/chromium"), ["chromium"]),
    ("PostgreSQL-tests (server)", _has_postgresql, ["postgresql"]),
)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AXE_DIR = os.path.join(ROOT, ".venv", "axe")  # axe-core from the npm registry, never vendored
AXE = os.path.join(AXE_DIR, "node_modules", "axe-core", "axe.min.js")
AXE_VERSION = "4"  # the major version the browser test was written against (4.10 and later)


def _npm_axe() -> None:
    """axe-core for the browser test's accessibility check, by npm into .venv/axe."""
    if not shutil.which("npm"):
        _apt(["npm"])
    if shutil.which("npm"):
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                AXE_DIR,
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                f"axe-core@{AXE_VERSION}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def _apt(packages: list[str]) -> None:
    if not shutil.which("apt-get") or os.geteuid() != 0:
        return
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    command = ["apt-get", "install", "-y", "-qq", *packages]
    if subprocess.run(command, **quiet).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], **quiet)
        subprocess.run(command, **quiet)


def main() -> int:
    required = bool(os.environ.get("KAMERWATCH_REQUIRE_TOOLS"))
    missing = []
    for purpose, present, packages in TOOLS:
        if not present():
            _apt(packages)
        if not present():
            missing.append(f"{purpose}: apt-get install {' '.join(packages)} lukte niet")
    if not os.path.exists(AXE):
        _npm_axe()
    if not os.path.exists(AXE):
        missing.append(
            f"toegankelijkheidstest (axe-core): npm install axe-core@{AXE_VERSION} lukte niet"
        )
    for line in missing:
        print(("ONTBREEKT: " if required else "overgeslagen: ") + line, file=sys.stderr)
    return 1 if missing and required else 0


if __name__ == "__main__":
    sys.exit(main())
