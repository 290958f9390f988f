"""The one logging set-up of every command: timestamped lines with their level on stderr,
as text or as JSON (``--log-format json``, one object per line), and the same line at most
once per run for the stages (a feed that is down does not repeat itself for every item).

Levels: ``-q`` errors only, default warnings, ``-v`` info, ``-vv`` debug. ``serve`` adds
its access log (logger ``kamerwatch.access``, INFO, unless ``-q``). Summaries are not
logged: the commands print them on stdout.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime
from typing import Any

from kamerwatch.safetext import terminal_text

FORMATS = ("text", "json")
ACCESS = "kamerwatch.access"
ENV_FORMAT = "KAMERWATCH_LOG_FORMAT"  # how `serve --workers N` passes the set-up on
ENV_LEVEL = "KAMERWATCH_LOG_LEVEL"
# attributes every LogRecord has; anything else was passed with extra= and goes into JSON
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """``2026-12-05T23:01:47.123+01:00 WARNING kamerwatch.sync: message``"""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return terminal_text(line)  # upstream texts reach log lines: no control characters


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time``, ``level``, ``logger``, ``message``, the fields
    passed with ``extra=`` and ``exception`` (the traceback as one string)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": terminal_text(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = (
                    value if isinstance(value, (int, float, bool, type(None))) else str(value)
                )
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class OncePerRun(logging.Filter):
    """Lets a line through the first time only (same logger, level and text): a stage that
    meets the same problem for 316 items says it once. The access log is exempt."""

    LIMIT = 100_000  # distinct lines remembered; beyond that, lines are let through

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[int] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == ACCESS:
            return True
        key = hash((record.name, record.levelno, record.getMessage()))
        if key in self.seen:
            return False
        if len(self.seen) < self.LIMIT:
            self.seen.add(key)
        return True


def new_run() -> None:
    """A new cycle of ``update --loop``: what was said in the last one may be said again."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, OncePerRun):
                found.seen.clear()


def level_of(quiet: bool, verbose: int) -> int:
    if quiet:
        return logging.ERROR
    return logging.WARNING - 10 * min(verbose, 2)


def setup(level: int, fmt: str = "text", *, once_per_run: bool = True) -> None:
    """Configure the root logger (replacing earlier handlers) and remember the set-up in
    the environment for worker processes (:func:`setup_from_environment`)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    if once_per_run:
        handler.addFilter(OncePerRun())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger(ACCESS).setLevel(level)
    os.environ[ENV_FORMAT] = fmt
    os.environ[ENV_LEVEL] = str(level)


def serve_setup() -> None:
    """For a web server: no de-duplication (the process lives for months: the same problem
    tomorrow is news), and the access log on unless -q."""
    level = logging.getLogger().level
    setup(level, os.environ.get(ENV_FORMAT, "text"), once_per_run=False)
    logging.getLogger(ACCESS).setLevel(logging.INFO if level < logging.ERROR else logging.ERROR)


def setup_from_environment() -> None:
    """In a ``serve --workers N`` process: the parent's set-up."""
    try:
        level = int(os.environ.get(ENV_LEVEL, logging.WARNING))
    except ValueError:
        level = logging.WARNING
    logging.getLogger().setLevel(level)
    serve_setup()
