"""Which split (train, dev, test) each real page and each pool item goes to, no site in two.

Real pages: a site key per page (site_key of its URL's host; a Dragnet page's host from its
HTML, dragnet_hosts), site keys joined into groups by shared boilerplate (group_sites), and
groups given to the splits per source, 70/10/20 by pages (assign_real_splits).
training/splits.json (SPLITS_JSON) keeps the result; ``python -m training.corpus --resplit``
derives it anew. Pool items (text sources, headlines) go by a salted hash of their key
(_hash_split); _h, the stable hash behind it, also seeds every draw of the build.
"""
from __future__ import annotations

import collections
import hashlib
import os
import random
import re
import tarfile
from typing import AbstractSet, Dict, Iterable, List, Optional, Tuple
from urllib.parse import urlparse

from .sources import _source_path

SPLITS = ("train", "dev", "test")
SPLIT_SHARE = {"train": 0.70, "dev": 0.10, "test": 0.20}
SPLITS_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "splits.json")


def _h(*parts: object) -> int:
    """Stable hash (independent of PYTHONHASHSEED)."""
    s = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha1(s.encode("utf-8")).digest()[:8], "big")


def _hash_split(key: str, salt: object) -> str:
    """Pool item -> split by a salted hash: 70/10/20."""
    v = _h("pool", salt, key) % 100
    return "train" if v < 70 else ("dev" if v < 80 else "test")


_SHARED_HOSTING = ("blogspot.com", "wordpress.com", "typepad.com", "tumblr.com", "livejournal.com",
                   "blogs.com", "squarespace.com", "wix.com", "github.io", "weebly.com")


def site_key(host: str) -> str:
    """Host name -> site key (registrable domain approximation; shared hosting keeps the full host)."""
    host = (host or "").lower().split(":")[0].strip(".")
    if host.startswith("www."):
        host = host[4:]
    for sh in _SHARED_HOSTING:
        if host.endswith("." + sh):
            return host
    parts = host.split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in ("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"):
        return ".".join(parts[-3:])
    return ".".join(parts[-2:]) if len(parts) >= 2 else host


_LINK_PATS = [
    re.compile(r"<link[^>]+rel=[\"']canonical[\"'][^>]*href=[\"']([^\"']+)", re.I),
    re.compile(r"<link[^>]+href=[\"']([^\"']+)[\"'][^>]*rel=[\"']canonical", re.I),
    re.compile(r"<meta[^>]+property=[\"']og:url[\"'][^>]*content=[\"']([^\"']+)", re.I),
    re.compile(r"<meta[^>]+content=[\"']([^\"']+)[\"'][^>]*property=[\"']og:url", re.I),
]
_HREF = re.compile(r"href=[\"'](https?://[^\"'/]+)", re.I)
_THIRD_PARTY = ("facebook.", "twitter.", "google", "doubleclick", "addthis", "feedburner", "youtube.",
                "linkedin.", "pinterest.", "digg.", "reddit.", "stumbleupon.", "delicious.", "w3.org",
                "yahoo.", "wordpress.org", "disqus", "gravatar", "quantserve", "scorecardresearch",
                "apple.com", "adobe.", "creativecommons", "statcounter", "sitemeter", "technorati",
                "amazon.", "flickr.", "myspace.", "tumblr.com", "instagram.", "bit.ly", "feeds.")


def dragnet_hosts(data_dir: str, allowed: Optional[AbstractSet[str]] = None) -> Dict[str, str]:
    """page id -> host for Dragnet pages, from canonical / og:url, else the most linked own-looking host.
    {} when the licence filter (``allowed``, see _source_path) excludes the Dragnet HTML."""
    path = _source_path(data_dir, "html/dragnet.tar.gz", allowed)
    out: Dict[str, str] = {}
    if path is None or not os.path.exists(path):
        return out
    with tarfile.open(path, "r:gz") as tf:
        for m in tf:
            if not m.isfile() or "/HTML/" not in m.name:
                continue
            fh = tf.extractfile(m)
            if fh is None:
                continue
            html = fh.read().decode("utf-8", "replace")
            pid = "dragnet/" + m.name.rsplit("/", 1)[1].rsplit(".", 1)[0]
            host = None
            for p in _LINK_PATS:
                mm = p.search(html)
                if mm and mm.group(1).startswith("http"):
                    host = urlparse(mm.group(1)).netloc
                    break
            if not host:
                c = collections.Counter()
                for mm in _HREF.finditer(html):
                    hst = urlparse(mm.group(1)).netloc.lower()
                    if hst and not any(t in hst for t in _THIRD_PARTY):
                        c[site_key(hst)] += 1
                if c:
                    best = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                    if best[1] >= 3:
                        host = best[0]
            if host:
                out[pid] = host.lower()
    return out


class _UF:
    def __init__(self, items: Iterable[str]):
        self.p = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.p[rb] = ra


def group_sites(pages: List[dict], dn_hosts: Dict[str, str], min_shared: int = 8,
                max_sites: int = 3, max_group_pages: int = 80) -> Dict[str, str]:
    """page id -> site group.

    Start from the URL's site key (canonical/og:url or most linked own host for Dragnet);
    pages without one start alone. Then union site keys that share >= min_shared identical
    boilerplate lines (>= 6 characters) that occur under at most max_sites site keys: a
    site's aliases (bbc.co.uk / bbc.com) and sister sites on one template (SB Nation, IDG)
    go together, while generic lists (country or state names) seen on many sites link
    nothing. Edges are taken strongest first and a union that would exceed max_group_pages
    pages is skipped, so no chain builds one giant group.
    """
    key_of: Dict[str, str] = {}
    for p in pages:
        host = urlparse(p["url"]).netloc if p.get("url") else dn_hosts.get(p["page_id"])
        key_of[p["page_id"]] = "site:" + site_key(host) if host else "page:" + p["page_id"]
    keys = sorted(set(key_of.values()))
    uf = _UF(keys)
    size = collections.Counter(key_of.values())
    where: Dict[str, set] = collections.defaultdict(set)
    for p in pages:
        for ln in p["lines"]:
            t = ln["text"].strip()
            if ln["label"] == "boilerplate" and len(t) >= 6:
                where[t].add(key_of[p["page_id"]])
    shared: Dict[Tuple[str, str], int] = collections.Counter()
    for t, ks in where.items():
        if 2 <= len(ks) <= max_sites:
            ks_s = sorted(ks)
            for i in range(len(ks_s)):
                for j in range(i + 1, len(ks_s)):
                    shared[(ks_s[i], ks_s[j])] += 1
    gsize = {k: size[k] for k in keys}
    for (a, b), n in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if n < min_shared:
            break
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb or gsize[ra] + gsize[rb] > max_group_pages:
            continue
        uf.union(ra, rb)
        r = uf.find(ra)
        gsize[r] = gsize[ra] + gsize[rb] if r == ra else gsize[rb] + gsize[ra]
    return {pid: uf.find(k) for pid, k in key_of.items()}


def assign_real_splits(pages: List[dict], groups: Dict[str, str], seed: int) -> Dict[str, str]:
    """site group -> split. Per source, groups in seeded order go to the split furthest below
    its page-share target (70/10/20), so every source is split ~70/10/20 and no site straddles."""
    rng = random.Random(seed)
    by_group: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for p in pages:
        by_group[groups[p["page_id"]]][p["source"]] += 1
    primary: Dict[str, List[str]] = collections.defaultdict(list)
    for g, c in by_group.items():
        src = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        primary[src].append(g)
    out: Dict[str, str] = {}
    for src in sorted(primary):
        gs = sorted(primary[src])
        rng.shuffle(gs)
        tot = {s: 0 for s in SPLITS}
        for g in gs:
            n = sum(by_group[g].values())
            total = sum(tot.values()) + n
            deficit = {s: SPLIT_SHARE[s] - tot[s] / total for s in SPLITS}
            s = max(SPLITS, key=lambda k: (deficit[k], -SPLITS.index(k)))
            out[g] = s
            tot[s] += n
    return out
