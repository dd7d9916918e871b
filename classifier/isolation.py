"""One page's failure is that page's alone (``label_pages(..., errors="report")``).

Why: a crawl hands linesift millions of pages in one stream, and before this one page
that made labelling raise (a bug tripped by odd input, a ``MemoryError``) ended the run,
and every page after it went unlabelled. With ``errors="report"`` such a page comes out
of the stream, in its place, as ``(page_id, PageFailure)`` naming what went wrong, and
every other page is labelled exactly as it would have been: pages are still labelled in
batches, and only when a batch fails is it labelled again page by page to find the page
that fails alone. A page's labels do not depend on the other pages of its batch (each
page's cues are its own), so the relabelled pages' output is byte-identical.

The same holds across worker processes (:mod:`classifier.parallel`), where a page can also
kill its worker outright (out of memory, a crash in native code); see there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import numpy as np

ERRORS = ("raise", "report")
"""``label_pages``' ``errors``: ``raise`` (the default) lets an exception end the stream,
``report`` yields a :class:`PageFailure` for the page instead."""

_MAX_REASON = 300
"""Characters of an exception's message kept in a :class:`PageFailure`: enough to name
the fault, not a page's worth of text echoed back on stderr."""


@dataclass(frozen=True, slots=True)
class PageFailure:
    """What ``label_pages(..., errors="report")`` yields in place of a page's labels when
    the page could not be labelled; ``reason`` says why, in one line."""

    reason: str


class WorkersKeepDying(RuntimeError):
    """Worker processes died :data:`~classifier.workers.MAX_DEATHS_IN_A_ROW` times with no
    page labelled. Defined here, beside the other failures, so a caller can catch it
    without importing the pool (and with it ``multiprocessing``)."""


class PageFailedError(RuntimeError):
    """A page killed the worker process labelling it (``errors="raise"``, ``jobs`` > 1)."""


def check_errors(errors: str) -> bool:
    """Whether ``errors`` asks for failures to be reported (else they raise)."""
    if errors not in ERRORS:
        raise ValueError(f"errors must be one of {', '.join(ERRORS)}, got {errors!r}")
    return errors == "report"


def failure(exc: BaseException) -> PageFailure:
    """``exc`` as a one-line :class:`PageFailure`."""
    text = " ".join(str(exc).split())
    if len(text) > _MAX_REASON:
        text = text[:_MAX_REASON] + "..."
    return PageFailure(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def prepare(prepare_one: Callable[[Any], Any], page: Any) -> Any:
    """``prepare_one(page)``, or the :class:`PageFailure` it raised (a failure passed in,
    from an earlier step of the stream, is passed on)."""
    if isinstance(page, PageFailure):
        return page
    try:
        return prepare_one(page)
    except Exception as exc:  # noqa: BLE001 - any fault of one page is that page's
        return failure(exc)


def predict_each(predict: Callable[[Sequence[Any]], list[np.ndarray]],
                 pages: Sequence[Any]) -> list[np.ndarray | PageFailure]:
    """``predict`` over the prepared pages (failures kept in place): the whole batch in one
    call, and only if that raises, page by page, so only the pages that fail alone fail."""
    ready = [page for page in pages if not isinstance(page, PageFailure)]
    try:
        results: Iterator[np.ndarray | PageFailure] = iter(predict(ready))
    except Exception:  # noqa: BLE001 - found page by page below
        results = iter([_predict_alone(predict, page) for page in ready])
    return [page if isinstance(page, PageFailure) else next(results) for page in pages]


def _predict_alone(predict: Callable[[Sequence[Any]], list[np.ndarray]],
                   page: Any) -> np.ndarray | PageFailure:
    try:
        return predict([page])[0]
    except Exception as exc:  # noqa: BLE001
        return failure(exc)
