"""Labelling a stream of pages in worker processes (``label_pages(..., jobs=N)``,
``linesift label --jobs N``).

How it works: pages are gathered into chunks of about ``batch_lines`` lines in the calling
process and handed to a pool of ``N`` worker processes. Each worker runs ``setup`` once
(for the model: load the bundle, its hashes checked against the caller's manifest), which
gives it the function that labels a chunk. A worker returns only arrays (line positions,
line count and probabilities per page); the caller turns them into
:class:`~classifier.results.PageLabels` with the same code as the one-process path
(:func:`~classifier.results.page_labels`), so the output is exactly that of ``jobs=1``, in
input order. At most ``2 * N`` chunks are in flight, so memory stays flat however long
the stream. A worker that dies is replaced (:mod:`.workers`).

The pool itself (:func:`map_in_workers`) maps any chunked items to one result per item;
:mod:`classifier.stream_jobs` uses it to hand workers raw JSONL records that they parse,
label and format themselves.

Why ``setup`` is passed in: the pool knows nothing of the model, so
:mod:`classifier.model` imports this module (when ``jobs`` asks for workers) and this
module never imports the model; ``setup`` reaches a worker by reference (a module-level
function, pickled by name) and is imported there.

Workers are started with ``spawn``: safe in a process that runs threads (a scraper), at the
cost of a fresh interpreter per worker. As with any ``multiprocessing`` code, a script that
calls this must guard its entry point with ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

from .isolation import PageFailedError, PageFailure
from .results import PageLabels, page_labels
from .workers import Pending, Workers

ChunkLabeller = Callable[[list, bool], list]
"""In a worker: ``(pages, report)`` -> per page ``(positions, line count, probabilities)``,
or with ``report`` a :class:`PageFailure` for a page that could not be labelled."""

_worker_label: ChunkLabeller | None = None


def resolve_jobs(jobs: int | None) -> int:
    """``jobs`` as a worker count: 0 or None means one per CPU."""
    if jobs is None or jobs == 0:
        return os.cpu_count() or 1
    if jobs < 0:
        raise ValueError(f"jobs must be >= 0, got {jobs}")
    return int(jobs)


def _init_worker(setup: Callable[..., ChunkLabeller], args: tuple) -> None:
    """Run once per worker: ``setup(*args)`` gives the worker its chunk labeller; Ctrl-C is
    the parent's to handle."""
    global _worker_label
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_label = setup(*args)


def _label_chunk(chunk: list[Any], report: bool = False) -> list:
    """In a worker: the chunk handled by the function :func:`_init_worker` set up."""
    assert _worker_label is not None, "worker not initialised"
    return _worker_label(chunk, report)


def _line_count(page: Any) -> int:
    """About how many lines ``page`` holds, to size chunks (read without preparing it)."""
    if isinstance(page, PageFailure):
        return 0
    if hasattr(page, "n_total"):  # a prepared page
        return page.n_total
    if hasattr(page, "lines"):  # lines extracted from HTML
        return len(page.lines)
    if isinstance(page, str):
        return page.count("\n") + 1
    if isinstance(page, (bytes, bytearray)):
        return page.count(b"\n") + 1
    return len(page)


def chunks_of(items: Iterable[tuple[Any, Any]], chunk_size: int,
            size_of: Callable[[Any], int]) -> Iterator[tuple[list, list]]:
    """``(ids, items)`` lists of about ``chunk_size`` (as ``size_of`` counts) each, in input order."""
    ids: list[Any] = []
    chunk: list[Any] = []
    size = 0
    for item_id, item in items:
        ids.append(item_id)
        chunk.append(item)
        size += size_of(item)
        if size >= chunk_size:
            yield ids, chunk
            ids, chunk, size = [], [], 0
    if chunk:
        yield ids, chunk


def map_in_workers(items: Iterable[tuple[Any, Any]], *, jobs: int, chunk_size: int,
                   size_of: Callable[[Any], int], setup: Callable[..., ChunkLabeller],
                   setup_args: tuple = (), report: bool = False) -> Iterator[tuple[Any, Any]]:
    """``(id, result)`` for each ``(id, item)``, in input order: the items go in chunks of
    about ``chunk_size`` (as ``size_of`` counts them) to ``jobs`` worker processes (0: one
    per CPU), each set up by ``setup(*setup_args)`` (a module-level function: it is pickled
    by name), whose function maps ``(chunk, report)`` to one result per item. A worker that
    dies is replaced and its chunk handed out again (see :mod:`.workers`); an item that
    kills its worker by itself comes back as a :class:`PageFailure`. At most ``2 * jobs``
    chunks are in flight."""
    jobs = resolve_jobs(jobs)
    pool = Workers(lambda: ProcessPoolExecutor(
        max_workers=jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
        initargs=(setup, setup_args)),
        lambda chunk: (_label_chunk, chunk, report))
    in_flight: deque[Pending] = deque()
    try:
        for ids, chunk in chunks_of(items, max(1, chunk_size), size_of):
            in_flight.append(pool.submit(ids, chunk))
            if len(in_flight) >= 2 * jobs:
                yield from pool.result(in_flight)
        while in_flight:
            yield from pool.result(in_flight)
    finally:
        pool.shutdown(now=bool(in_flight))  # chunks still out: the run stopped early


def label_pages_parallel(pages: Iterable[tuple[Any, Any]], *, jobs: int, batch_lines: int,
                         setup: Callable[..., ChunkLabeller], setup_args: tuple = (),
                         report: bool = False) -> Iterator[tuple[Any, PageLabels | PageFailure]]:
    """The pages labelled by ``jobs`` worker processes (:func:`map_in_workers`, in chunks
    of about ``batch_lines`` lines), in input order. ``report``: a page that fails, or kills
    a worker by itself, is a :class:`PageFailure`, else it raises
    (:class:`PageFailedError` for a page that killed its worker)."""
    for page_id, result in map_in_workers(pages, jobs=jobs, chunk_size=batch_lines,
                                          size_of=_line_count, setup=setup,
                                          setup_args=setup_args, report=report):
        if isinstance(result, PageFailure) and not report:
            raise PageFailedError(f"page {page_id!r}: {result.reason}")
        # built exactly as the one-process path builds them
        yield page_id, page_labels(result, report)
