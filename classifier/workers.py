"""A pool of worker processes that outlives the death of a worker.

Why: ``concurrent.futures``' process pool is *broken* for good once one of its processes
dies (the kernel's out-of-memory killer, a crash in native code, a ``kill``): every task
in flight fails with ``BrokenProcessPool`` and so does every later submit, so one bad
page, or one worker killed from outside, ended a ``--jobs N`` run and left every later
page unlabelled.

:class:`Workers` keeps the chunks it hands out until their results are taken. When the
pool breaks it starts a new one and labels the chunk whose result was wanted *alone* in
it: if that chunk kills its worker again, it is labelled page by page, each page alone,
and a page that kills its worker by itself is given up as a
:class:`~classifier.isolation.PageFailure`. Then every other chunk that had not finished
is handed out again. Each chunk is labelled in full by one worker, so the results are
exactly those a pool that never broke would have given, in the same order. A worker
killed from outside costs one chunk labelled again; a page that kills every worker it
meets costs three new pools. If workers die again and again without a page labelled in
between (they cannot even start, say), the run stops with an error rather than loop.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable

from . import log
from .isolation import PageFailure, WorkersKeepDying  # noqa: F401 - re-exported


DIED = "the worker process labelling it died (killed, out of memory, or crashed)"
"""A :class:`PageFailure`'s reason for a page that killed its worker by itself."""

MAX_DEATHS_IN_A_ROW = 6
"""Worker deaths with no page labelled in between before giving up: a page that kills
every worker causes three in a row (its chunk in flight, its chunk alone, itself alone),
two such pages side by side a few more; workers that die on start-up would cause them
forever."""

Task = Callable[[list], tuple]
"""A chunk of pages -> ``(function, *arguments)`` to run in a worker; the function
returns one result per page."""


@dataclass
class Pending:
    """A chunk handed out: its page ids, its pages (kept to hand out again if its worker
    dies) and its future (``None``: the pool was already broken when it was submitted)."""

    ids: list
    chunk: list
    future: Future | None


class Workers:
    """Hands chunks of pages to a process pool made by ``make``, replacing the pool when a
    worker dies (see the module's docstring)."""

    def __init__(self, make: Callable[[], Executor], task: Task):
        self._make = make
        self._task = task
        self._pool = make()
        self._deaths_in_a_row = 0
        self.deaths = 0
        """Worker deaths seen so far (each one replaced the pool)."""

    def submit(self, ids: list, chunk: list) -> Pending:
        return Pending(ids, chunk, self._submit(chunk))

    def _submit(self, chunk: list) -> Future | None:
        fn, *args = self._task(chunk)
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:  # a worker died while idle: found when its result is wanted
            return None

    def result(self, in_flight: deque[Pending]) -> list[tuple[Any, Any]]:
        """``(page_id, result)`` for the first chunk of ``in_flight`` (taken off it)."""
        head = in_flight.popleft()
        try:
            if head.future is None:
                raise BrokenProcessPool("the pool was broken when the chunk was submitted")
            results = head.future.result()
        except BrokenProcessPool:
            self._replace()
            results = self._alone(head.chunk)
            for pending in in_flight:  # lost with the old pool unless already finished
                if not _finished(pending.future):
                    pending.future = self._submit(pending.chunk)
        self._deaths_in_a_row = 0
        return list(zip(head.ids, results))

    def _alone(self, chunk: list) -> list:
        """``chunk``'s results from the fresh pool with nothing else running; if it kills
        its worker again, page by page, a page that does so by itself failed."""
        try:
            return self._wait(chunk)
        except BrokenProcessPool:
            self._replace()
        results = []
        for page in chunk:
            try:
                results += self._wait([page])
                self._deaths_in_a_row = 0
            except BrokenProcessPool:
                self._replace()
                results.append(PageFailure(DIED))
        return results

    def _wait(self, chunk: list) -> list:
        future = self._submit(chunk)
        if future is None:
            raise BrokenProcessPool("the pool broke before the chunk was submitted")
        return future.result()

    def _replace(self) -> None:
        self.deaths += 1
        self._deaths_in_a_row += 1
        # the broken pool's other workers are ended, not waited for: CPython 3.11's manager
        # thread can miss one while it ends a broken pool and then wait for it for ever
        # (seen in CI: an idle worker still reading its call queue, the run hung); the pages
        # in their hands are labelled again by the new pool anyway
        self.shutdown(now=True)
        if self._deaths_in_a_row >= MAX_DEATHS_IN_A_ROW:
            raise WorkersKeepDying(f"worker processes died {self._deaths_in_a_row} times in a row "
                                   "without labelling a page; giving up")
        log.warning("a worker process died; starting a new one and labelling its pages again")
        self._pool = self._make()

    def shutdown(self, now: bool = False) -> None:
        """Stop the pool and *wait* for its manager thread to end; ``now``: end the worker
        processes first instead of letting them finish the chunk in hand (a run stopped
        early: an error, the caller stopping, an interrupt, so a page that hangs its worker
        cannot hang the exit).

        Why wait: a pool's manager thread closes its wake-up pipe as it ends, and Python's
        exit hook writes to that pipe without the pool's lock (CPython 3.11), so a process
        that exits while a manager thread is still ending can print an ``OSError: Bad file
        descriptor`` traceback after its output is complete. Waiting is cheap: the work
        not yet started is cancelled, a broken pool's processes are ended first (its
        replacement passes ``now``), and a healthy pool's only need to finish the chunk in
        hand."""
        if now:
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _finished(future: Future | None) -> bool:
    """Whether ``future`` holds a result (not an exception, not still running)."""
    return (future is not None and future.done() and not future.cancelled()
            and future.exception() is None)
