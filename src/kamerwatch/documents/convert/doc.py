"""Legacy Word (.doc) → text via antiword or catdoc (subprocess with a time limit)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile

from kamerwatch.documents.convert.markup import finish, paragraphs
from kamerwatch.documents.convert.result import CORRUPT, ENCRYPTED, Conversion, failed

__all__ = ["MISSING", "convert_doc"]

log = logging.getLogger(__name__)
MISSING = "antiword of catdoc niet geïnstalleerd (apt-get install antiword)"
TIMEOUT = 30.0


def _command(tool: str, path: str) -> list[str]:
    if tool == "antiword":
        return [tool, "-w", "0", "-m", "UTF-8.txt", path]
    return [tool, "-d", "utf-8", "-w", path]


def _run(tool: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    fd, path = tempfile.mkstemp(suffix=".doc")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return subprocess.run(
            _command(tool, path), capture_output=True, timeout=TIMEOUT, check=False
        )
    finally:
        os.unlink(path)


def _failure(stderr: str) -> str:
    return ENCRYPTED if "encrypt" in stderr.lower() else CORRUPT


def convert_doc(data: bytes) -> Conversion:
    """Convert .doc bytes with the first installed tool; missing tools name the package."""
    tool = next((t for t in ("antiword", "catdoc") if shutil.which(t)), None)
    if tool is None:
        return failed("antiword", MISSING)
    try:
        proc = _run(tool, data)
    except subprocess.TimeoutExpired:
        return failed(tool, "tijdslimiet overschreden")
    except OSError as exc:
        log.warning("%s failed to start: %s", tool, exc)
        return failed(tool, MISSING)
    text = proc.stdout.decode("utf-8", errors="replace").strip()
    if proc.returncode != 0 or not text:
        log.debug("%s rc=%s: %s", tool, proc.returncode, proc.stderr[:200])
        return failed(tool, _failure(proc.stderr.decode("utf-8", errors="replace")))
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return Conversion(text="\n\n".join(lines), html=finish(paragraphs(lines)), method=tool)
