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

The decision is made once, from the head of the stream and how busy the cores are at that
moment: measured over a fifth of a second from the kernel's CPU counters (``/proc/stat``,
only the cores this process may run on), where the system has them, else the one-minute
load average. The load average lags: right after another job ends it still reads busy
for a minute or more (measured: auto ran one process on an idle 2-core machine after a
benchmark), and right after a job starts it still reads idle. The rule itself is a pure
function over numbers, so it is tested without a machine in any particular state.
"""

from __future__ import annotations

import math
import os
import time
from typing import Sequence

AUTO = "auto"
MIN_LINES_PER_WORKER = 20_000
"""Lines a worker must have to repay its start: a worker loads the bundle in about 0.5 s
of one core, in which one core labels some 40,000 lines; at half that a second worker is
already worth it on the rest of a stream that size."""


def _usable_cpu_ids() -> list[int]:
    """The ids of the cores this process may run on (its affinity mask where the system has one)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return list(range(os.cpu_count() or 1))


def usable_cores() -> int:
    """How many cores this process may run on."""
    return len(_usable_cpu_ids()) or 1


SAMPLE_SECONDS = 0.2
"""How long the CPU counters are watched: long enough to span many scheduler ticks (100 a
second), short beside the half second a worker takes to start."""


def cpu_counters(stat_text: str, cpus: Sequence[int]) -> tuple[int, int]:
    """(busy, total) clock ticks of the listed cores, summed, from the text of ``/proc/stat``.

    Busy is everything but idle and iowait; guest time is left out because the kernel
    already counts it in user time."""
    wanted = {f"cpu{i}" for i in cpus}
    busy = total = 0
    for line in stat_text.splitlines():
        fields = line.split()
        if fields and fields[0] in wanted:
            ticks = [int(x) for x in fields[1:9]]
            total += sum(ticks)
            busy += sum(ticks) - sum(ticks[3:5])  # less idle and iowait
    return busy, total


def busy_cores(before: tuple[int, int], after: tuple[int, int], cores: int) -> float:
    """Cores kept busy between two :func:`cpu_counters` readings of ``cores`` cores."""
    d_busy, d_total = after[0] - before[0], after[1] - before[1]
    return cores * d_busy / d_total if d_total > 0 else 0.0


def current_load(sample: float = SAMPLE_SECONDS) -> float:
    """Cores other processes keep busy now: sampled from ``/proc/stat`` over ``sample``
    seconds (this process sleeps meanwhile, so it does not count itself), on the cores this
    process may use; the one-minute load average where there is no ``/proc/stat``, and 0
    where the system cannot say at all."""
    cpus = _usable_cpu_ids()
    try:
        with open("/proc/stat", encoding="ascii") as f:
            before = cpu_counters(f.read(), cpus)
        time.sleep(sample)
        with open("/proc/stat", encoding="ascii") as f:
            after = cpu_counters(f.read(), cpus)
        if after[1] > before[1]:
            return busy_cores(before, after, len(cpus))
    except (OSError, ValueError):  # no /proc (macOS, Windows) or an unreadable one
        pass
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
    work = lines // MIN_LINES_PER_WORKER if exhausted else cores  # whole input known: no more
    if min(cores, work) < 2:  # workers than it keeps busy; and no need to measure the load
        return 1
    load = current_load() if load is None else load
    free = min(cores, work, max(0, math.ceil(cores - load - 0.5)))
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
