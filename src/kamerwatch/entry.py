"""The ``kamerwatch`` command's entry point. Loading the program takes a moment; a Ctrl-C
in that moment ends it quietly with exit code 130, as a Ctrl-C during a command does,
instead of with a Python traceback — and is never lost: a library's start-up code could
swallow an interrupt that lands inside it, so Ctrl-C is held back while the modules load
and takes effect right after."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    held = {signal.SIGINT}
    try:
        signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            from kamerwatch.cli import main as command
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, held)  # a held Ctrl-C is raised here
    except KeyboardInterrupt:
        # nothing is open yet; leaving at once also spares half-imported modules' clean-up
        # (which can end the process "killed by SIGINT" instead of with 130)
        sys.stderr.write("kamerwatch: onderbroken tijdens het starten\n")
        sys.stderr.flush()
        os._exit(130)
    command()
