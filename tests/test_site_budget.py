"""Issue 16, item 16: site memory bounded by bytes as well as counts (least recently seen
sites forgotten first), the accounting close to what tracemalloc measures."""

from __future__ import annotations

import gc
import random
import tracemalloc

import numpy as np
import pytest

from classifier.site import LINE_BYTES, PAGE_LINE_BYTES, SiteMemory, line_keys, _text_bytes


_FILLER = "the council said on friday that the new bridge over the river would open " * 8


def _long_lines(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct lines of some 600 characters (kept as 64-bit keys: their length
    must not matter)."""
    tag = rng.getrandbits(64)
    return [f"{tag}-{i} {_FILLER}" for i in range(n)]


def _recount(memory: SiteMemory) -> int:
    """The byte count rebuilt from the memory's contents, to check the running total."""
    sites = sum(_text_bytes(name) + LINE_BYTES * len(entry.counts)
                for name, entry in memory._sites.items())
    pages = sum(_text_bytes(url) + PAGE_LINE_BYTES * len(keys)
                for url, (_, keys) in memory._page_lines.items())
    return sites + pages


def _feed(memory: SiteMemory, n_sites: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    shared = _long_lines(rng, 20)  # a site's menu, on each of its pages
    for s in range(n_sites):
        site = f"group-{s}-" + "x" * 1500  # long site names count too
        for p in range(2):
            url = f"https://site{s}.example/{'a' * 800}/{p}"
            keys = line_keys(shared + _long_lines(rng, 200))
            memory.observe(site, keys, page=url)
            assert memory.nbytes <= memory.max_bytes


def _traced(build) -> tuple[object, int]:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        memory = build()
        gc.collect()
        return memory, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_many_sites_of_long_lines_stay_within_the_byte_budget():
    budget = 1_000_000
    memory, used = _traced(lambda: _feed_and_return(SiteMemory(max_bytes=budget), 400))
    assert memory.nbytes <= budget
    assert memory.nbytes == _recount(memory)
    print(f"traced {used:,} bytes for a budget of {budget:,}")
    assert used <= 1.5 * budget, used  # the accounting is approximate, not wrong
    # without the budget the same stream takes many times as much: the bound is real
    unbounded, used_unbounded = _traced(lambda: _feed_and_return(SiteMemory(), 400))
    assert used_unbounded > 10 * budget and unbounded.nbytes > 10 * budget


def _feed_and_return(memory: SiteMemory, n_sites: int) -> SiteMemory:
    _feed(memory, n_sites)
    return memory


def test_least_recently_seen_sites_are_forgotten_first():
    memory = SiteMemory(max_bytes=400_000)
    menu = line_keys(["Home", "News", "Sport", "Contact us"])
    memory.observe("early", menu)
    memory.observe("kept", menu)
    for s in range(60):
        memory.observe(f"filler{s}", line_keys([f"line {s} {i}" for i in range(300)]))
        memory.observe("kept", menu)  # seen again and again: stays recent
    assert "early" not in memory._sites and "kept" in memory._sites
    assert memory.observe("kept", menu)[:, 1].min() == 1.0  # on every earlier page
    assert memory.observe("early", menu)[:, 0].max() == 0.0  # a first page again


def test_one_site_larger_than_the_budget_keeps_its_recurring_lines():
    memory = SiteMemory(max_bytes=100_000, max_lines=10**6)
    menu = [f"menu item {i}" for i in range(30)]
    rng = random.Random(3)
    for page in range(40):
        memory.observe("big", line_keys(menu + _long_lines(rng, 100)),
                       page=f"https://big.example/{page}")
        assert memory.nbytes <= memory.max_bytes
        assert memory.nbytes == _recount(memory)
    cols = memory.observe("big", line_keys(menu))
    assert cols[:, 1].min() > 0.5  # the menu's counts survived the pruning


def test_recrawls_and_page_eviction_keep_the_count_exact():
    memory = SiteMemory(max_pages=5, max_bytes=10**9)
    for round_ in range(3):
        for p in range(8):
            memory.observe("s", line_keys([f"l{p}", "shared"]), page=f"https://s.example/{p}")
            assert memory.nbytes == _recount(memory)
    assert len(memory._page_lines) == 5


def test_the_budget_must_be_positive():
    with pytest.raises(ValueError, match="max_bytes"):
        SiteMemory(max_bytes=0)
