"""Site memory: how often a line recurs across the pages of one site seen so far.

A site repeats its menus, footers and comment prompts on every page, while an article's
sentences appear on one page only. So once a few pages of a site have gone by, "this line
was on most of the site's earlier pages" is the strongest boilerplate evidence there is,
and no single page can show it.

Memory is causal: a page is scored against the pages of its site that came *before* it,
then added. That keeps streams of any length possible and makes training (pages replayed
site by site in corpus order) see exactly what labelling a crawl sees. The first page of a
site gets the same columns as a page labelled with no site at all.

Memory is bounded: at most ``max_sites`` sites (least recently seen forgotten first), per
site at most ``max_lines`` distinct lines, and in all about ``max_bytes`` bytes (least
recently seen sites forgotten first, see :data:`DEFAULT_MAX_BYTES`); when a site's table is full, lines seen on a
single page are forgotten first, so the counts of recurring lines (the useful ones) stay
exact while one-off lines fall out. Lines are keyed by a 64-bit hash of their normalised
text; a collision can only merge two lines' counts.

A page never counts against itself. Crawls fetch the same URL twice (a re-crawl, a
redirect target, a duplicate in the seed list); counted naively, the second copy finds
every one of its own lines "on an earlier page of the site", headline and byline included,
and they are pushed towards boilerplate. So when a site is given as a full URL, the memory
remembers which lines that URL contributed, and a later page with the same URL is scored
against the site's *other* pages, then replaces its earlier copy (the URL still counts as
one page). That record is bounded too (``max_pages`` URLs, least recently seen forgotten
first); a URL forgotten there is counted as a new page again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Sequence
from urllib.parse import urlsplit

import numpy as np

DEFAULT_MAX_BYTES = 256 * 2**20
"""The byte budget of a :class:`SiteMemory` unless told otherwise. Why bytes as well as
counts: at its count bounds alone (10,000 sites of 50,000 lines) a memory could grow to
some 46 GB, and site names and URLs are as long as the input makes them. 256 MB holds
about three million remembered lines: a few hundred pages' worth of lines for each of
10,000 sites."""

LINE_BYTES = 80
"""Approximate bytes a remembered line costs in a site's table (a 64-bit key and its count
in a dict, both Python ints, with the dict's spare room): measured 72 with tracemalloc."""

PAGE_LINE_BYTES = 40
"""Approximate bytes per line of a page's record (a URL's lines, kept to take the page out
of the counts when it comes again): a list slot, and the key itself once pruned from the
site's table; measured about 10 while the key is still in the table."""

RECORD_BYTES = 256
"""Approximate fixed bytes of a site or page record (objects, dict and list headers)."""

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


def page_key(value: Any) -> str | None:
    """The identity of a page, when its site is given as a URL: the URL without its
    fragment (``#...``), host lower-cased and ``www.`` dropped, so the same page fetched
    twice is known as one. ``None`` for a group name or no value: pages not told apart."""
    if value is None:
        return None
    text = str(value).strip()
    if "://" not in text and not text.startswith("//"):
        return None
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host[4:] if host.startswith("www.") else host
    return f"{host}{parts.path or '/'}{'?' + parts.query if parts.query else ''}"


def line_keys(normalised: Sequence[str]) -> np.ndarray:
    """Hash keys for normalised lines (see :func:`classifier.textmodel.normalise`)."""
    return np.fromiter(map(hash, normalised), dtype=np.int64, count=len(normalised))


class _Site:
    __slots__ = ("pages", "counts", "page_keys", "name_bytes", "nbytes")

    def __init__(self, name: str) -> None:
        self.pages = 0
        self.counts: dict[int, int] = {}
        self.page_keys: set[str] = set()
        """URLs whose page records point here, dropped with the site."""
        self.name_bytes = _text_bytes(name)
        self.nbytes = self.name_bytes
        """The site's approximate size: record and name, and its table's lines."""


def _text_bytes(text: str) -> int:
    """Approximate bytes of a record holding ``text`` (its characters at up to 4 bytes)."""
    return RECORD_BYTES + 4 * len(text)


class SiteMemory:
    """Per-site counts of the pages each line appeared on, bounded in size.

    One memory serves one stream of pages; use a fresh one per independent stream. Safe to
    share between threads (a lock guards each update), though pages of one site labelled
    concurrently see each other in no fixed order.
    """

    def __init__(self, max_sites: int = 10_000, max_lines: int = 50_000, max_pages: int = 20_000,
                 max_bytes: int = DEFAULT_MAX_BYTES):
        if max_sites < 1 or max_lines < 1 or max_pages < 1 or max_bytes < 1:
            raise ValueError("max_sites, max_lines, max_pages and max_bytes must be >= 1")
        self.max_sites = max_sites
        self.max_lines = max_lines
        self.max_pages = max_pages
        self.max_bytes = max_bytes
        self._sites: OrderedDict[str, _Site] = OrderedDict()
        # page key -> (the site record it was added to, the distinct line keys it added)
        self._page_lines: OrderedDict[str, tuple[_Site, list[int]]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sites)

    @property
    def nbytes(self) -> int:
        """Approximate bytes held (the sum :attr:`max_bytes` bounds): a site's name and
        lines (:data:`LINE_BYTES` each), and the page records kept for URLs."""
        return self._bytes

    def observe(self, site: str | None, keys: np.ndarray, page: str | None = None) -> np.ndarray:
        """Columns (:data:`SITE_NAMES`) for a page's lines from the site's earlier pages;
        then the page is remembered. ``site`` None: no memory, all columns zero. ``page``
        (see :func:`page_key`): a page seen before under this key is first taken out of
        the counts, so it is scored against the site's other pages only."""
        out = np.zeros((len(keys), len(SITE_NAMES)), dtype=np.float32)
        if site is None:
            return out
        with self._lock:
            entry = self._sites.get(site)
            if entry is None:
                entry = self._sites[site] = _Site(site)
                self._bytes += entry.nbytes
                if len(self._sites) > self.max_sites:
                    self._drop_site(next(iter(self._sites)))
            else:
                self._sites.move_to_end(site)
            if page is not None:
                self._forget_page(page, entry)
            if entry.pages and len(keys):
                get = entry.counts.get
                seen = np.fromiter((get(k, 0) for k in keys.tolist()), dtype=np.float32,
                                   count=len(keys))
                out[:, 0] = np.log1p(entry.pages)
                out[:, 1] = seen / entry.pages
                out[:, 2] = np.log1p(seen)
            counts = entry.counts
            distinct = list(set(keys.tolist()))
            for key in distinct:  # a page counts once per distinct line
                counts[key] = counts.get(key, 0) + 1
            entry.pages += 1
            if page is not None:
                self._page_lines[page] = (entry, distinct)
                entry.page_keys.add(page)
                self._bytes += _page_bytes(page, distinct)
                if len(self._page_lines) > self.max_pages:
                    self._drop_page(next(iter(self._page_lines)))
            if len(counts) > self.max_lines:
                _prune(counts, self.max_lines)
            self._resize(entry)
            self._keep_to_budget(entry)
        return out

    def _resize(self, entry: _Site) -> None:
        """Bring ``entry``'s size (and the total) up to date with its table (lock held)."""
        nbytes = entry.name_bytes + LINE_BYTES * len(entry.counts)
        self._bytes += nbytes - entry.nbytes
        entry.nbytes = nbytes

    def _keep_to_budget(self, current: _Site) -> None:
        """Over :attr:`max_bytes`: forget the least recently seen sites (with their page
        records) until under it; if ``current`` alone is over it, its one-page lines and
        then its least frequent lines go, as when its table is full (lock held)."""
        while self._bytes > self.max_bytes and len(self._sites) > 1:
            self._drop_site(next(iter(self._sites)))
        while self._bytes > self.max_bytes and current.page_keys:
            self._drop_page(next(key for key in self._page_lines if key in current.page_keys))
        if self._bytes > self.max_bytes and current.counts:
            room = (self.max_bytes - (self._bytes - current.nbytes) - current.name_bytes) // LINE_BYTES
            _prune(current.counts, max(1, room))
            self._resize(current)

    def _drop_site(self, site: str) -> None:
        """Forget ``site`` and the page records that point at it (lock held)."""
        entry = self._sites.pop(site)
        for key in list(entry.page_keys):
            self._drop_page(key)
        self._bytes -= entry.nbytes

    def _drop_page(self, page: str) -> None:
        """Forget the record of a URL's lines (lock held); its counts stay in its site."""
        entry, keys = self._page_lines.pop(page)
        entry.page_keys.discard(page)
        self._bytes -= _page_bytes(page, keys)


    def _forget_page(self, page: str, entry: _Site) -> None:
        """Take an earlier copy of ``page`` out of its site's counts (lock held)."""
        earlier = self._page_lines.get(page)
        if earlier is None:
            return
        self._drop_page(page)
        if earlier[0] is not entry:  # its site was forgotten since
            return
        counts = entry.counts
        for key in earlier[1]:
            n = counts.get(key, 0)
            if n > 1:
                counts[key] = n - 1
            elif n:  # pruned lines are simply gone
                del counts[key]
        entry.pages -= 1


def _page_bytes(page: str, keys: list[int]) -> int:
    return _text_bytes(page) + PAGE_LINE_BYTES * len(keys)


def _prune(counts: dict[int, int], limit: int) -> None:
    """Forget one-page lines first; if recurring lines alone overflow, keep the most
    frequent half of the limit."""
    for key in [k for k, c in counts.items() if c <= 1]:
        del counts[key]
    if len(counts) > limit:
        keep = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:limit // 2]
        counts.clear()
        counts.update(keep)
