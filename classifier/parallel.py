"""Labelling a stream of pages in worker processes (``label_pages(..., jobs=N)``,
``linesift label --jobs N``).

How it works: pages are gathered into chunks of about ``batch_lines`` lines in the calling
process and handed to a pool of ``N`` worker processes, each of which loads the bundle once
(its hashes checked against the caller's manifest). A worker returns only arrays (line
positions and probabilities); the caller turns them into :class:`~classifier.model.LineLabel`
records with the same code as the one-process path, so the output is exactly that of
``jobs=1``, in input order. At most ``2 * N`` chunks are in flight, so memory stays flat
however long the stream.

Workers are started with ``spawn``: safe in a process that runs threads (a scraper), at the
cost of a fresh interpreter per worker. As with any ``multiprocessing`` code, a script that
calls this must guard its entry point with ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterable, Iterator

import numpy as np

from .bundle import BundleError
from .html import HtmlLines
from .model import LineClassifier, _prepare, _Prepared
from .results import PageLabels

_worker_model: LineClassifier | None = None


def resolve_jobs(jobs: int | None) -> int:
    """``jobs`` as a worker count: 0 or None means one per CPU."""
    if jobs is None or jobs == 0:
        return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs must be >= 0, got {jobs}")
    return int(jobs)


def _init_worker(path: str, files: dict[str, str], trust_pickle: bool = False) -> None:
    """Load the bundle once per worker; Ctrl-C is the parent's to handle. ``trust_pickle``
    is what the caller's own load allowed (an old pickled bundle the caller trusted)."""
    global _worker_model
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import warnings

    with warnings.catch_warnings():  # the caller has warned once already
        warnings.simplefilter("ignore")
        model = LineClassifier.load(path, trust_pickle=trust_pickle)
    if model.manifest_.get("files") != files:
        raise BundleError(f"{path} changed after it was loaded: its files no longer match")
    _worker_model = model


def _label_chunk(pages: list[Any]) -> list[tuple[np.ndarray, int, np.ndarray]]:
    """In a worker: (positions of the non-blank lines, line count, probabilities) per page."""
    assert _worker_model is not None, "worker not initialised"
    prepared = [_prepare(page) for page in pages]
    probs = _worker_model._predict_prepared(prepared)
    return [(prep.positions, prep.n_total, p) for prep, p in zip(prepared, probs)]


def _line_count(page: Any) -> int:
    if isinstance(page, _Prepared):
        return page.n_total
    if isinstance(page, HtmlLines):
        return len(page.lines)
    if isinstance(page, str):
        return page.count("\n") + 1
    if isinstance(page, (bytes, bytearray)):
        return page.count(b"\n") + 1
    return len(page)


def _chunks(pages: Iterable[tuple[Any, Any]], batch_lines: int) -> Iterator[tuple[list, list]]:
    """``(ids, pages)`` lists of about ``batch_lines`` lines each, in input order."""
    ids: list[Any] = []
    chunk: list[Any] = []
    size = 0
    for page_id, page in pages:
        ids.append(page_id)
        chunk.append(page)
        size += _line_count(page)
        if size >= batch_lines:
            yield ids, chunk
            ids, chunk, size = [], [], 0
    if chunk:
        yield ids, chunk


def label_pages_parallel(model: LineClassifier, pages: Iterable[tuple[Any, Any]], *,
                         jobs: int, batch_lines: int
                         ) -> Iterator[tuple[Any, PageLabels]]:
    """``model.label_pages(pages)`` computed by ``jobs`` worker processes; same results,
    same order. ``model`` must have been loaded from a bundle (workers load it by path)."""
    model._check_fitted()
    path = getattr(model, "path_", None)
    if path is None:
        raise ValueError("jobs > 1 needs a classifier loaded from a bundle: save() it and "
                         "load() it, or use jobs=1")
    jobs = resolve_jobs(jobs)
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_worker,
                                   initargs=(str(Path(path)), dict(model.manifest_["files"]),
                                             bool(getattr(model, "trust_pickle_", False))))
    in_flight: deque[tuple[list, Future]] = deque()
    chunks = _chunks(pages, max(1, batch_lines))
    try:
        for ids, chunk in chunks:
            in_flight.append((ids, executor.submit(_label_chunk, chunk)))
            if len(in_flight) >= 2 * jobs:
                yield from _collect(*in_flight.popleft())
        while in_flight:
            yield from _collect(*in_flight.popleft())
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _collect(ids: list, future: Future) -> Iterator[tuple[Any, PageLabels]]:
    """A finished chunk's pages as labels, built exactly as the one-process path builds them."""
    for page_id, (positions, n_total, probs) in zip(ids, future.result()):
        yield page_id, PageLabels(positions, n_total, probs)
