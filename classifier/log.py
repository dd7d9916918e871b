"""The package's warnings for library callers, through the standard ``logging`` module.

Why a module of its own: ``logging`` (with what it imports) takes about a hundredth of a
second to import, a few percent of a one-page ``linesift`` run, yet only three rare events
ever use it (a page with undecodable bytes, a missing HTML model, a worker that died). So it
is imported on the first warning, when the package's logger also gets its
``NullHandler``: as a library should, linesift prints nothing through logging unless the
application has configured it (the CLI says its own notes on stderr).
"""

from __future__ import annotations

from typing import Any

LOGGER = "classifier"


def warning(message: str, *args: Any) -> None:
    """``logging.getLogger("classifier").warning(message, *args)``, importing ``logging`` now."""
    import logging

    logger = logging.getLogger(LOGGER)
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())
    logger.warning(message, *args)
