"""``jobs="auto"``: how many worker processes a stream of pages should get.

Why a decision of its own: worker processes pay off only when there is work for them and
cores to run them. Each worker is a fresh interpreter that loads the bundle (about half a
second of one core) and the parent still reads the input and writes the output, so

* a small input (a page, a few files) is labelled in this process: workers would start
  after the work is done;
* on a busy machine (other processes already hold the cores: the load average) workers
  only compete with each other and with the parent, which measured 0.84x of one process
  on 2 busy cores; so only *free* cores count, and with fewer than two of those, the
  stream is labelled in this process, never slower than one core;
* otherwise one worker per free core, at most one per core this process may run on
  (``os.sched_getaffinity``: a container or ``taskset`` limit, not the machine's count).

The decision is made once, from the head of the stream and the load average at that
moment (a one-minute average: it lags, so a stream that starts on a machine about to get
busy keeps its workers). Pure functions over numbers, so the rule is tested without a
machine in any particular state.
"""

from __future__ import annotations

import math
import os

AUTO = "auto"
MIN_LINES_PER_WORKER = 20_000
"""Lines a worker must have to repay its start: a worker loads the bundle in about 0.5 s
of one core, in which one core labels some 40,000 lines; at half that a second worker is
already worth it on the rest of a stream that size."""


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask where the system has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def current_load() -> float:
    """Runnable processes averaged over the last minute (0 where the system cannot say)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return 0.0


def auto_jobs(lines: int, exhausted: bool, *, cores: int | None = None,
              load: float | None = None) -> int:
    """Worker processes for a stream whose head holds ``lines`` non-blank lines
    (``exhausted``: that head is the whole stream); 1 means label in this process.

    ``cores`` and ``load`` default to this machine's (:func:`usable_cores`,
    :func:`current_load`). Free cores are the cores less the load, rounded to the nearest
    whole core, a half down: a core half taken by another process is not free, a core
    taken a tenth of the time is.
    """
    cores = usable_cores() if cores is None else cores
    load = current_load() if load is None else load
    free = min(cores, max(0, math.ceil(cores - load - 0.5)))
    if exhausted:  # the whole input is known: no more workers than it keeps busy
        free = min(free, lines // MIN_LINES_PER_WORKER)
    return free if free >= 2 else 1


def parse_jobs(value: int | str | None) -> int | str:
    """``jobs`` as given by a caller: a count (0: one per CPU) or ``"auto"``; a ``ValueError``
    for anything else."""
    if value is None:
        return 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text == AUTO:
            return AUTO
        if not text.isdigit():
            raise ValueError(f"jobs is a number of worker processes (0: one per CPU) or "
                             f"'auto', not {value!r}")
        return int(text)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"jobs must be 'auto' or a count >= 0, got {value!r}")
    return value
