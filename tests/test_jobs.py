"""How busy the cores are, read from the kernel's counters, for ``jobs="auto"``."""
from __future__ import annotations

import pytest

from classifier import jobs

STAT_BEFORE = """cpu  900 0 300 5000 100 0 0 0 0 0
cpu0 400 0 100 2600 50 0 0 0 0 0
cpu1 500 0 200 2400 50 0 0 0 0 0
intr 12345 0 0
ctxt 999
"""
# 100 ticks later on each core: cpu0 spent 10 of them busy, cpu1 90 (user 80 + system 10)
STAT_AFTER = """cpu  990 0 310 5100 100 0 0 0 0 0
cpu0 410 0 100 2690 50 0 0 0 0 0
cpu1 580 0 210 2410 50 0 0 0 0 0
intr 12400 0 0
"""


def test_counters_sum_only_the_cores_asked_for():
    assert jobs.cpu_counters(STAT_BEFORE, [0]) == (500, 3150)  # busy: user + system; idle, iowait out
    assert jobs.cpu_counters(STAT_BEFORE, [0, 1]) == (1200, 6300)
    assert jobs.cpu_counters(STAT_BEFORE, [7]) == (0, 0)  # a core the text does not list


def test_busy_cores_from_two_readings():
    both = jobs.busy_cores(jobs.cpu_counters(STAT_BEFORE, [0, 1]), jobs.cpu_counters(STAT_AFTER, [0, 1]), 2)
    assert both == pytest.approx(1.0)  # 100 busy ticks of 200
    one = jobs.busy_cores(jobs.cpu_counters(STAT_BEFORE, [1]), jobs.cpu_counters(STAT_AFTER, [1]), 1)
    assert one == pytest.approx(0.9)
    assert jobs.busy_cores((5, 10), (5, 10), 2) == 0.0  # no tick passed: nothing measured


def test_load_is_not_measured_when_the_input_is_too_small_for_workers(monkeypatch):
    def fail(*_a, **_k):
        raise AssertionError("measured the load for an input one process labels anyway")
    monkeypatch.setattr(jobs, "current_load", fail)
    assert jobs.auto_jobs(10, True, cores=8) == 1
    assert jobs.auto_jobs(10 * jobs.MIN_LINES_PER_WORKER, False, cores=1) == 1


def test_current_load_falls_back_to_the_load_average(monkeypatch):
    import builtins
    real_open = builtins.open

    def no_proc(path, *a, **k):
        if str(path) == "/proc/stat":
            raise FileNotFoundError(path)
        return real_open(path, *a, **k)
    monkeypatch.setattr(builtins, "open", no_proc)
    monkeypatch.setattr(jobs.os, "getloadavg", lambda: (1.25, 0.0, 0.0))
    assert jobs.current_load(sample=0.0) == 1.25
