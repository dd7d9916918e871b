"""The ``linesift`` console script's entry: signal handlers first, then the command.

Why a module of its own: importing the command line (typer, numpy) takes a noticeable
moment, and Ctrl-C in that moment printed a traceback. This module imports nothing heavy
before installing the handlers (the ``classifier`` package imports its model lazily)."""

from __future__ import annotations

import signal
import sys


class _EarlyInterrupt(BaseException):
    pass


def _early(signum, frame) -> None:  # noqa: ARG001
    raise _EarlyInterrupt(signum)


def main() -> None:
    """Install the handlers, import the CLI, run it; a signal during start-up exits as one
    during the command does ("interrupted", 130), without a traceback."""
    signal.signal(signal.SIGINT, _early)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _early)
    try:
        from .cli import main as cli_main
    except (_EarlyInterrupt, KeyboardInterrupt) as exc:
        signum = exc.args[0] if exc.args else signal.SIGINT
        print("linesift: " + ("interrupted" if signum == signal.SIGINT else "terminated"),
              file=sys.stderr, flush=True)
        sys.exit(128 + int(signum))
    cli_main()


if __name__ == "__main__":
    main()
