"""Test-only faults planted in linesift from outside (no hook in the package itself).

A page holding the line :data:`KILL` makes the worker process labelling it exit at once,
as a worker killed by the out-of-memory killer would; a page holding :data:`RAISE` makes
labelling raise. Worker processes are started with ``spawn`` and find this module on the
``sys.path`` they inherit, so a function of it handed to a worker runs there.
"""

from __future__ import annotations

import os

KILL = "@@ kill the worker labelling this page @@"
HANG = "@@ the worker labelling this page hangs @@"
RAISE = "@@ labelling this page raises @@"


def _lines(page) -> list:
    if isinstance(page, tuple) and len(page) == 3 and isinstance(page[2], bytes):
        # a raw JSONL record (classifier.stream_jobs): its text's lines, near enough
        return page[2].decode("utf-8", "replace").replace("\\n", "\n").replace('"', "\n").splitlines()
    return list(getattr(page, "lines", page)) if not isinstance(page, (str, bytes)) else [page]


def label_chunk_or_exit(pages, report=False):
    """:func:`classifier.parallel._label_chunk`, but a chunk with a :data:`KILL` page kills
    its worker (exit status 3, no clean-up, like a SIGKILL)."""
    from classifier import parallel

    if any(KILL in _lines(page) for page in pages):
        os._exit(3)
    if any(HANG in _lines(page) for page in pages):
        import time

        time.sleep(600)
    plant_raise()  # in the worker too
    return _REAL_CHUNK[0](pages, report) if _REAL_CHUNK else parallel._label_chunk(pages, report)


_REAL_CHUNK: list = []
_REAL_PREDICT: list = []


def exit_at_start(*args) -> None:
    """A worker initializer (for :func:`classifier.parallel._init_worker`) that dies at once,
    as a worker does that cannot load the bundle."""
    os._exit(1)


def plant_raise() -> None:
    """The model raises on a page holding :data:`RAISE` (once per process)."""
    from classifier import model

    if _REAL_PREDICT:
        return
    real = model.LineClassifier._predict_prepared
    _REAL_PREDICT.append(real)

    def predict_or_raise(self, pages):
        if any(RAISE in page.lines for page in pages):
            raise RuntimeError("planted fault")
        return real(self, pages)

    model.LineClassifier._predict_prepared = predict_or_raise


def install() -> None:
    """Plant both faults in this process (for a CLI run in a subprocess): workers get
    :func:`label_chunk_or_exit`, and the model raises on a :data:`RAISE` page."""
    from classifier import parallel

    if not _REAL_CHUNK:
        _REAL_CHUNK.append(parallel._label_chunk)
    parallel._label_chunk = label_chunk_or_exit
    plant_raise()


if __name__ == "__main__":  # python tests/crashhook.py label ...: the CLI with the faults
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import crashhook  # by its module name, so workers find its functions

    crashhook.install()
    from classifier.cli import main

    main()
