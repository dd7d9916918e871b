"""Site memory: how often a line recurs across the pages of one site seen so far.

A site repeats its menus, footers and comment prompts on every page, while an article's
sentences appear on one page only. So once a few pages of a site have gone by, "this line
was on most of the site's earlier pages" is the strongest boilerplate evidence there is,
and no single page can show it.

Memory is causal: a page is scored against the pages of its site that came *before* it,
then added. That keeps streams of any length possible and makes training (pages replayed
site by site in corpus order) see exactly what labelling a crawl sees. The first page of a
site gets the same columns as a page labelled with no site at all.

Memory is bounded: at most ``max_sites`` sites (least recently seen forgotten first), and
per site at most ``max_lines`` distinct lines; when a site's table is full, lines seen on a
single page are forgotten first, so the counts of recurring lines (the useful ones) stay
exact while one-off lines fall out. Lines are keyed by a 64-bit hash of their normalised
text; a collision can only merge two lines' counts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Sequence
from urllib.parse import urlsplit

import numpy as np

SITE_NAMES: tuple[str, ...] = ("site_pages_seen", "site_line_share", "site_line_pages")
"""Columns, per line: log(1 + earlier pages of the site), the share of those pages that
held this line, and log(1 + how many did)."""


def site_key(value: Any) -> str | None:
    """The site a page belongs to: the host of a URL (``www.`` dropped, lower case), or any
    other value as a group name as it is; ``None`` or empty means no site."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if "://" in text or text.startswith("//"):
        try:
            host = urlsplit(text).hostname
        except ValueError:
            host = None
        if host:
            return host[4:] if host.startswith("www.") else host
    return text


def line_keys(normalised: Sequence[str]) -> np.ndarray:
    """Hash keys for normalised lines (see :func:`classifier.textmodel.normalise`)."""
    return np.fromiter(map(hash, normalised), dtype=np.int64, count=len(normalised))


class _Site:
    __slots__ = ("pages", "counts")

    def __init__(self) -> None:
        self.pages = 0
        self.counts: dict[int, int] = {}


class SiteMemory:
    """Per-site counts of the pages each line appeared on, bounded in size.

    One memory serves one stream of pages; use a fresh one per independent stream. Safe to
    share between threads (a lock guards each update), though pages of one site labelled
    concurrently see each other in no fixed order.
    """

    def __init__(self, max_sites: int = 10_000, max_lines: int = 50_000):
        if max_sites < 1 or max_lines < 1:
            raise ValueError("max_sites and max_lines must be >= 1")
        self.max_sites = max_sites
        self.max_lines = max_lines
        self._sites: OrderedDict[str, _Site] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sites)

    def observe(self, site: str | None, keys: np.ndarray) -> np.ndarray:
        """Columns (:data:`SITE_NAMES`) for a page's lines from the site's earlier pages;
        then the page is remembered. ``site`` None: no memory, all columns zero."""
        out = np.zeros((len(keys), len(SITE_NAMES)), dtype=np.float32)
        if site is None:
            return out
        with self._lock:
            entry = self._sites.get(site)
            if entry is None:
                entry = self._sites[site] = _Site()
                if len(self._sites) > self.max_sites:
                    self._sites.popitem(last=False)
            else:
                self._sites.move_to_end(site)
            if entry.pages and len(keys):
                get = entry.counts.get
                seen = np.fromiter((get(k, 0) for k in keys.tolist()), dtype=np.float32,
                                   count=len(keys))
                out[:, 0] = np.log1p(entry.pages)
                out[:, 1] = seen / entry.pages
                out[:, 2] = np.log1p(seen)
            counts = entry.counts
            for key in set(keys.tolist()):  # a page counts once per distinct line
                counts[key] = counts.get(key, 0) + 1
            entry.pages += 1
            if len(counts) > self.max_lines:
                _prune(counts, self.max_lines)
        return out


def _prune(counts: dict[int, int], limit: int) -> None:
    """Forget one-page lines first; if recurring lines alone overflow, keep the most
    frequent half of the limit."""
    for key in [k for k, c in counts.items() if c <= 1]:
        del counts[key]
    if len(counts) > limit:
        keep = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:limit // 2]
        counts.clear()
        counts.update(keep)
