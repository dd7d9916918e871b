"""Build the linesift training corpus: real labelled pages plus pages composed from real parts.

    python -m training.corpus --data ../shared/data --out build/corpus --seed 13 [--resplit]

Writes <out>/{train,dev,test}.jsonl.gz (one page a line, format below) and <out>/summary.txt,
and prints the summary. Standard library + numpy only. The same --seed (with the same
training/splits.json) gives byte-identical output.

Licence filter: the sources' licences differ (AGPL, GPL, CC BY-NC-SA, MIT, not stated,
publishers' pages; SOURCE_LICENCES gives each as the data README states it), so a model
trained on all of them is not free to use everywhere. ``--licences CLASS[,CLASS...]``
(LICENCE_CLASSES; default all, byte-identical to a build without the option) reads only the
sources of those classes, skips the recipes whose pools come out empty, and lists both in
summary.txt; it keeps the saved training/splits.json (never writes it, no --resplit), so the
model can be scored on the full corpus's test split. "permissive" means MIT repositories, and
AEB's MIT covers the benchmark repo, not its third-party pages:

    python -m training.corpus --data ../shared/data --out build/corpus_permissive --seed 13 --licences permissive

Page format:
    {"page_id", "source", "lang": "en"|"ar"|"mixed", "host", "composed": bool,
     "recipe": str|None, "lines": [{"text": str, "label": str|None[, "part": str]}, ...]}
Blank lines are {"text": "", "label": None}. Provenance fields (dom, cov, url, ...) are
never written. ``part`` marks the lines of a composed teaser widget ("teaser": its heading,
headlines and dates) and a composed page title ("title"), so evaluation can score clickbait
where it was put; the model never sees it.

The build runs its stages from modules named for what they hold:
  training.sources    the data files, their licences (SOURCE_LICENCES, the licence filter's
                      gate) and readers; AOC text repair (normalise_aoc)
  training.relabel    real pages cleaned to the annotation guide (clean_real_page,
                      guide_relabel); its header holds the findings on the rule-labelled
                      lines that summary.txt calls "corpus.py header"
  training.splitting  site keys and groups, the split of real pages (splits.json) and the
                      hash split of pool items
  training.pools      the per-split pools of real parts (text sources, real-page parts)
  training.compose    composed pages: parts, recipes, English headline casing (Caser)
This module reads the real pages through them, builds and writes the corpus (build), its
summary and headline pools, and is the command. Dependencies run one way: corpus ->
compose -> pools -> splitting -> sources, and corpus -> relabel.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import os
import random
import re
import shlex
import sys
from typing import AbstractSet, Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import urlparse

import numpy as np  # noqa: F401  (allowed dependency; kept for callers that expect it)

from . import ar_listing
from .compose import Caser, compose_split, missing_needs
from .pools import Pools, add_page_pools, build_text_pools
from .relabel import clean_real_page
from .sources import (LICENCE_CLASSES, PAGE_FILES, SOURCE_LICENCES, _read_source, _source_path,
                      allowed_sources, iter_pages, measure_aoc, parse_licence_classes)
from .splitting import SPLITS, SPLITS_JSON, _h, _hash_split, assign_real_splits, dragnet_hosts, group_sites, site_key

# Names other code and tests import from training.corpus, from the stage that holds them.
# A re-export is a second reference: to change what the build uses (monkeypatch), patch the
# name in its own module (sources.iter_pages, sources.TITLE_LABELS, ...), not here.
from .compose import (AR_RELATED_HEADINGS, EN_RELATED_HEADINGS, RECIPE_NEEDS, RECIPES,  # noqa: F401
                      Block, Composer, assemble)
from .relabel import guide_relabel  # noqa: F401
from .sources import TITLE_LABELS, SourceLicence, normalise_aoc, read_title_labels, title_key  # noqa: F401
from .splitting import SPLIT_SHARE  # noqa: F401

LABELS = ("body", "boilerplate", "comment", "clickbait")
N_COMPOSED = {"train": 2600, "dev": 350, "test": 600}  # composed pages per split (compose_split)


def load_split(corpus_dir: str, split: str) -> List[dict]:
    """Load all pages of one split ("train", "dev" or "test") of a built corpus."""
    for name in (f"{split}.jsonl.gz", f"{split}.jsonl"):
        p = os.path.join(corpus_dir, name)
        if os.path.exists(p):
            return list(iter_pages(p))
    raise FileNotFoundError(f"no {split}.jsonl(.gz) in {corpus_dir}")


def insert_real_blanks(lines: List[dict], mode: str) -> List[dict]:
    """Real pages come from DOM blocks without blank lines. mode 'none' keeps them so;
    'parent' puts a blank line between consecutive lines whose DOM parent path differs;
    'block' puts one between all consecutive lines except list items / table cells /
    inline runs sharing a parent (roughly what html2text-like scrapers print); 'every' puts
    one after every line, as scrapers that print each DOM block as a paragraph do."""
    if mode == "none":
        return lines
    if mode == "every":
        out = []
        for ln in lines:
            if out:
                out.append({"text": "", "label": None})
            out.append(ln)
        return out
    out: List[dict] = []
    prev_dom = None
    for ln in lines:
        dom = ln.get("dom") or ""
        if prev_dom is not None and ln["text"]:
            par, ppar = dom.rsplit(">", 1)[0], prev_dom.rsplit(">", 1)[0]
            if mode == "parent":
                blank = par != ppar
            else:
                last = dom.rsplit(">", 1)[-1].split(".")[0].split("#")[0]
                blank = not (par == ppar and last in ("li", "td", "th", "a", "span", "dt", "dd", "option", "label"))
            if blank and out and out[-1]["text"]:
                out.append({"text": "", "label": None})
        out.append(ln)
        prev_dom = dom
    return out


def load_real(data_dir: str, stats: collections.Counter,
              allowed: Optional[AbstractSet[str]] = None) -> List[dict]:
    """Cleaned real pages of the page files the licence filter allows (``allowed``; None = all)."""
    pages = []
    for fn in PAGE_FILES:
        for p in _read_source(data_dir, fn, allowed):
            stats["real pages read"] += 1
            c = clean_real_page(p, stats)
            if c is not None:
                pages.append(c)
    archive = _source_path(data_dir, "html/arabic_listing_pages.tar.gz", allowed)
    if archive:
        pages += ar_listing.load_pages(archive, stats)
    return pages


def filter_conflict(licences: Optional[Iterable[str]], resplit: bool, splits_path: str) -> Optional[str]:
    """Why a licence-filtered build cannot run as asked, or None: it keeps the saved split
    (so it needs one, and cannot re-derive it from a subset of the sources)."""
    if not set(SOURCE_LICENCES) - allowed_sources(licences):
        return None  # nothing excluded: not a filtered build
    if resplit:
        return ("--resplit cannot be combined with --licences that exclude sources: the split is derived "
                "from all sources, and a filtered build keeps the saved one")
    if not os.path.exists(splits_path):
        return (f"--licences: a filtered build uses the saved split, and {os.path.relpath(splits_path)} does "
                "not exist: build the full corpus once first")
    return None


HOLDOUT_NAMES = ("dragnet", "cleaneval", "scrapinghub_aeb", "arabic_pages", "wcxb", "ar_listing",
                 "chakraborty", "webis17")


def build(data_dir: str, out_dir: str, seed: int, resplit: bool = False,
          splits_path: str = SPLITS_JSON, licences: Optional[Iterable[str]] = None,
          holdout: AbstractSet[str] = frozenset()) -> str:
    """Build the corpus into out_dir and return its summary.

    ``licences``: the licence classes (LICENCE_CLASSES) whose sources are read; None = all.
    ``holdout``: sources (HOLDOUT_NAMES) kept out of train and dev entirely: their real pages
    and headline items all go to the test split, for the cross-source run (training.crossval).
    A build that leaves out any source is a filtered build: it never writes the split file
    and needs the saved one, whose page splits and site groups it uses for the pages it
    keeps, so its real pages and hosts are the full corpus's and a model trained on it can
    be scored on the full corpus's test split without meeting its test sites in training.
    Recipes whose pools the filter empties are skipped (missing_needs, compose_split)."""
    allowed = allowed_sources(licences)
    excluded = sorted(set(SOURCE_LICENCES) - allowed)
    filtered = bool(excluded)
    conflict = filter_conflict(licences, resplit, splits_path)
    if conflict:
        raise ValueError(conflict)
    stats: collections.Counter = collections.Counter()
    real = load_real(data_dir, stats, allowed)
    by_id = {p["page_id"]: p for p in real}

    dn = dragnet_hosts(data_dir, allowed)
    groups = group_sites(real, dn)
    saved: Optional[dict] = None
    if os.path.exists(splits_path) and not resplit:
        with open(splits_path, encoding="utf-8") as fh:
            saved = json.load(fh)
    if filtered and saved is not None:
        # site groups found on a subset of the pages can differ from the full build's
        # (fewer shared lines, other union order): keep the saved ones for the pages it knows
        saved_groups = saved.get("page_group", {})
        groups = {pid: saved_groups.get(pid, g) for pid, g in groups.items()}
    for p in real:
        host = urlparse(p["url"]).netloc.lower() if p.get("url") else dn.get(p["page_id"])
        p["host"] = host or groups[p["page_id"]]
        p["group"] = groups[p["page_id"]]

    if saved is not None:
        spl = saved
        page_split = {pid: s for s in SPLITS for pid in spl["real"][s]}
        group_split = dict(spl.get("group_split", {}))
        pool_salt = spl.get("pool_salt", spl.get("seed"))
        known_group = {p["group"]: page_split[p["page_id"]] for p in real if p["page_id"] in page_split}
        for p in real:  # pages new since the split file: follow their group, else by hash
            if p["page_id"] not in page_split and p["group"] in known_group:
                page_split[p["page_id"]] = known_group[p["group"]]
            elif p["page_id"] not in page_split:
                # a new site's pages go together (by its group), so no site spans two splits
                page_split[p["page_id"]] = group_split.get(p["group"]) or _hash_split("group:" + p["group"], pool_salt)
        split_src = f"read from {os.path.relpath(splits_path)}"
    else:
        group_split = assign_real_splits(real, groups, seed)
        page_split = {p["page_id"]: group_split[p["group"]] for p in real}
        pool_salt = seed
        spl = {
            "version": 1,
            "seed": seed,
            "pool_salt": pool_salt,
            "real": {s: sorted(pid for pid, x in page_split.items() if x == s) for s in SPLITS},
            "group_split": dict(sorted(group_split.items())),
            "page_group": dict(sorted((p["page_id"], p["group"]) for p in real)),
            "pools": {
                "rule": "split = 'train' if v < 70 else 'dev' if v < 80 else 'test', v = int.from_bytes("
                        "sha1('pool\\x1f' + str(pool_salt) + '\\x1f' + key)[:8], 'big') % 100",
                "keys": {
                    "saudinewsnet_articles": "'snn:' + article id (note article=); titles and paragraphs together",
                    "saudinewsnet_annotated": "split of the SNN article with the same title, else 'snnh:' + text; "
                                              "train uses sure and unsure titles, dev and test sure only",
                    "aoc pre-tokenised sentences": "'aoc:' + normalised text",
                    "aoc raw comments and comment titles": "'aocdoc:' + comment doc id (note doc=)",
                    "hespress": "'hes:' + comment text (its timestamp follows it)",
                    "wp_core_ar_ui / joomla_ar_ui": "'ui:' + text",
                    "chakraborty2016": "'chak:' + lower-cased text",
                    "real-page parts (English chrome, bodies, Dragnet comments, Arabic page chrome)":
                        "the split of the page they come from",
                },
            },
            "grouping": "site key of the URL host (Dragnet: canonical/og:url in html/dragnet.tar.gz, else most "
                        "linked own host), merged by union-find over site keys sharing >= 8 identical boilerplate "
                        "lines seen under <= 3 site keys (groups capped at 80 pages); groups split per source 70/10/20 by pages, seeded",
        }
        os.makedirs(os.path.dirname(splits_path), exist_ok=True)
        with open(splits_path, "w", encoding="utf-8") as fh:
            json.dump(spl, fh, ensure_ascii=False, indent=1, sort_keys=False)
            fh.write("\n")
        split_src = f"derived with seed {seed}, written to {os.path.relpath(splits_path)}"

    for p in real:  # held-out sources: test only, never seen in training or calibration
        if p["source"] in holdout:
            page_split[p["page_id"]] = "test"

    # group leakage check
    gs: Dict[str, set] = collections.defaultdict(set)
    hs: Dict[str, set] = collections.defaultdict(set)
    for p in real:
        gs[p["group"]].add(page_split[p["page_id"]])
        hs[site_key(p["host"]) if "." in p["host"] else p["host"]].add(page_split[p["page_id"]])
    leaks = sorted(g for g, v in gs.items() if len(v) > 1)
    host_leaks = sorted(h for h, v in hs.items() if len(v) > 1)

    # real pages per split, with seeded blank-line insertion
    real_by_split: Dict[str, List[dict]] = {s: [] for s in SPLITS}
    for p in sorted(real, key=lambda x: x["page_id"]):
        rng = random.Random(_h("blank", seed, p["page_id"]))
        r = rng.random()
        mode = ("none" if r < 0.4 else "parent" if r < 0.7 else "block" if r < 0.85 else "every")
        stats[f"real pages blank-line mode {mode}"] += 1
        p["lines"] = insert_real_blanks(p["lines"], mode)
        real_by_split[page_split[p["page_id"]]].append(p)

    # pools
    pools = build_text_pools(data_dir, pool_salt, stats, allowed, holdout)
    add_page_pools(pools, real_by_split)
    reference: List[str] = []
    for s in SPLITS:
        reference += pools[s].en_headlines
        for art in pools[s].en_articles:
            reference += art
    caser = Caser(reference)

    skipped = {s: missing_needs(pools[s]) for s in SPLITS}
    out_pages: Dict[str, List[dict]] = {}
    for s in SPLITS:
        pages = []
        for p in real_by_split[s]:
            page = {"page_id": p["page_id"], "source": p["source"], "lang": p["lang"], "host": p["host"],
                    "composed": False, "recipe": None,
                    "lines": [dict({"text": ln["text"], "label": ln["label"]},
                                   **({"part": "title"} if ln.get("title_heur") and ln["label"] == "body" else {}))
                              for ln in p["lines"]]}
            if p.get("page_type"):
                page["page_type"] = p["page_type"]
            pages.append(page)
        pages += compose_split(s, pools[s], caser, seed, N_COMPOSED[s], stats, frozenset(skipped[s]))
        out_pages[s] = pages

    os.makedirs(out_dir, exist_ok=True)
    for s in SPLITS:
        _write_gz(os.path.join(out_dir, f"{s}.jsonl.gz"),
                  (json.dumps(p, ensure_ascii=False, separators=(",", ":")) for p in out_pages[s]))

    write_headlines(os.path.join(out_dir, "headlines_train.jsonl.gz"), pools["train"])

    aoc_rel = "text/aoc_comments_articles.jsonl.gz"
    aoc_m = measure_aoc(_read_source(data_dir, aoc_rel, allowed), 200, 0) if aoc_rel in allowed else None
    lic_lines = licence_summary(licences, allowed, skipped, stats) \
        if filtered or any(skipped.values()) else []
    summary = make_summary(out_pages, stats, pools, split_src, seed, leaks, host_leaks, aoc_m, by_id, lic_lines)
    with open(os.path.join(out_dir, "summary.txt"), "w", encoding="utf-8") as fh:
        fh.write(summary)
    return summary


def write_headlines(path: str, P: Pools) -> None:
    """The train split's headline pools, for the headline scorer (classifier.headline):
    the same items the composed training pages draw from, never a dev or test one."""
    _write_gz(path, (json.dumps({"text": t, "label": label, "lang": lang}, ensure_ascii=False)
                     for lang, label, items in (("en", "clickbait", P.en_clickbait), ("en", "headline", P.en_headlines),
                                                ("ar", "clickbait", P.ar_clickbait), ("ar", "headline", P.ar_headlines))
                     for t in items))


def _write_gz(path: str, rows: Iterable[str]) -> None:
    """Rows as gzipped lines, with no timestamp in the header: the same build gives the
    same bytes."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as gz:
        for row in rows:
            gz.write((row + "\n").encode("utf-8"))
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())


def licence_summary(licences: Optional[Iterable[str]], allowed: AbstractSet[str],
                    skipped: Dict[str, Dict[str, List[str]]], stats: collections.Counter) -> List[str]:
    """Summary section of a filtered build: every source read or excluded with its licence,
    and the recipes skipped per split, so the corpus says what it is made of and what not."""
    classes = sorted(set(licences) if licences is not None else LICENCE_CLASSES, key=LICENCE_CLASSES.index)
    L = [f"== licences: classes allowed {','.join(classes)}; sources read / excluded (licences as the data README states them)"]
    for rel, lic in SOURCE_LICENCES.items():
        L.append(f"{'read' if rel in allowed else 'excluded':8} {lic.cls:14} {lic.licence:32} {rel}  ({lic.note})")
    L.append("== recipes skipped (a pool they need is empty; their draws make no page)")
    for s in SPLITS:
        items = [f"{r}: {stats[f'recipe skipped {s} {r}']} pages not made (empty: {', '.join(m)})"
                 for r, m in skipped[s].items()]
        L.append(f"{s:5} " + ("; ".join(items) if items else "none"))
    return L + [""]


def make_summary(out_pages: Dict[str, List[dict]], stats: collections.Counter, pools: Dict[str, Pools],
                 split_src: str, seed: int, leaks: List[str], host_leaks: List[str],
                 aoc_m: Optional[Tuple[int, int, int]], by_id: dict, licence_lines: Sequence[str] = ()) -> str:
    """summary.txt. ``licence_lines`` (licence_summary) only come with a filtered build, so a
    full build's summary stays byte-identical to the one before the licence filter existed;
    ``aoc_m`` None: AOC excluded by the filter, not measured."""
    L: List[str] = []
    w = L.append
    w(f"linesift corpus, seed {seed}; split {split_src}")
    w("")
    L.extend(licence_lines)
    hdr = f"{'split':5} {'kind':8} {'source':17} {'lang':5} {'pages':>6} {'lines':>8} {'blank':>7} " + \
        " ".join(f"{lb:>11}" for lb in LABELS)
    w("== pages and lines by split x source x lang x label (lines = non-blank)")
    w(hdr)
    for s in SPLITS:
        rows: Dict[Tuple[str, str, str], list] = collections.OrderedDict()
        for p in out_pages[s]:
            key = ("composed" if p["composed"] else "real", p["source"], p["lang"])
            r = rows.setdefault(key, [0, 0, 0, collections.Counter()])
            r[0] += 1
            for ln in p["lines"]:
                if ln["label"] is None:
                    r[2] += 1
                else:
                    r[1] += 1
                    r[3][ln["label"]] += 1
        tot = [0, 0, 0, collections.Counter()]
        for key in sorted(rows):
            r = rows[key]
            w(f"{s:5} {key[0]:8} {key[1][:17]:17} {key[2]:5} {r[0]:6d} {r[1]:8d} {r[2]:7d} " +
              " ".join(f"{r[3][lb]:11d}" for lb in LABELS))
            tot[0] += r[0]; tot[1] += r[1]; tot[2] += r[2]; tot[3].update(r[3])
        w(f"{s:5} {'ALL':8} {'':17} {'':5} {tot[0]:6d} {tot[1]:8d} {tot[2]:7d} " + " ".join(f"{tot[3][lb]:11d}" for lb in LABELS))
    w("")
    w("== lines by split x line language (script share of the line) x label")
    for s in SPLITS:
        c: Dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for p in out_pages[s]:
            for ln in p["lines"]:
                if ln["label"]:
                    c[_line_lang(ln["text"])][ln["label"]] += 1
        for lg in sorted(c):
            w(f"{s:5} {lg:6} " + " ".join(f"{lb}={c[lg][lb]}" for lb in LABELS))
    w("")
    w("== lines of composed teaser widgets and titles by split x part x line language x label")
    for s in SPLITS:
        c = collections.defaultdict(collections.Counter)
        for p in out_pages[s]:
            for ln in p["lines"]:
                if ln.get("part") and ln["label"]:
                    c[f"{ln['part']} {_line_lang(ln['text'])}"][ln["label"]] += 1
        for key in sorted(c):
            w(f"{s:5} {key:12} " + " ".join(f"{lb}={c[key][lb]}" for lb in LABELS if c[key][lb]))
    w("")
    w("== composed recipes by split")
    for s in SPLITS:
        c = collections.Counter(p["recipe"] for p in out_pages[s] if p["composed"])
        w(f"{s:5} " + ", ".join(f"{k}={v}" for k, v in sorted(c.items())))
    w("")
    w("== pool sizes by split (unique items)")
    for s in SPLITS:
        P = pools[s]
        w(f"{s:5} ar_articles={len(P.ar_articles)} ar_comments={len(P.ar_comments)} hespress={len(P.hes_comments)} "
          f"ar_ui_boiler={len(P.ar_ui_boiler)} ar_ui_comment={len(P.ar_ui_comment)} ar_page_boiler={len(P.ar_page_boiler)} "
          f"ar_headlines={len(P.ar_headlines)} ar_clickbait(sure)={len(P.ar_clickbait)} en_headlines={len(P.en_headlines)} "
          f"en_clickbait={len(P.en_clickbait)} en_articles={len(P.en_articles)} en_comment_runs={len(P.en_comment_runs)}")
    w("")
    w("== quality filter and rule-labelled lines")
    for k in sorted(stats):
        if k.startswith(("dropped", "rule", "guide", "real pages", "snn")):
            w(f"{k}: {stats[k]}")
    w("findings (hand check, see corpus.py header): cmt_dom 40 sampled / 2 wrong (+ false-positive containers "
      "relabelled); dup 40 / 4 wrong (article copies in comment widgets, relabelled); ctx 40 / 3 wrong (kept); "
      "title_heur 40 / 1 wrong (kept)")
    if aoc_m is None:
        w("AOC normalisation: not measured (source excluded by --licences)")
    else:
        w(f"AOC normalisation: {aoc_m[0]} pre-tokenised sentences sampled, {aoc_m[1]} with split punctuation before, "
          f"{aoc_m[2]} after")
    w("")
    w("== casing of placed English headlines (drawn independently of label)")
    w(", ".join(f"{k[7:]}={v}" for k, v in sorted(stats.items()) if k.startswith("casing ")))
    w(", ".join(f"{k}={v}" for k, v in sorted(stats.items()) if k.startswith(("title ", "teaser"))))
    w("")
    w(f"site groups in more than one split: {len(leaks)}" + (f" {leaks[:5]}" if leaks else "") + f"; hosts (site keys) in more than one split: {len(host_leaks)}"
      + (f" {host_leaks[:10]}" if host_leaks else ""))
    return "\n".join(L) + "\n"


_AR_RE = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LAT_RE = re.compile(r"[A-Za-z]")


def _line_lang(t: str) -> str:
    a, l = len(_AR_RE.findall(t)), len(_LAT_RE.findall(t))
    if a == 0 and l == 0:
        return "none"
    return "ar" if a >= l else "latin"


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="build/corpus")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--resplit", action="store_true", help="re-derive training/splits.json")
    ap.add_argument("--splits", default=SPLITS_JSON, help=argparse.SUPPRESS)
    ap.add_argument("--licences", type=parse_licence_classes, default=None, metavar="CLASS[,CLASS...]",
                    help="read only sources of these licence classes (" + ", ".join(LICENCE_CLASSES)
                    + "); default: all. A filtered build uses the saved split and never writes it")
    ap.add_argument("--holdout", default="", metavar="SOURCE[,SOURCE...]",
                    help="sources kept out of train and dev, all their pages/items in test (cross-source runs): "
                    + ", ".join(HOLDOUT_NAMES))
    a = ap.parse_args(argv)
    conflict = filter_conflict(a.licences, a.resplit, a.splits)
    if conflict:
        ap.error(conflict)  # a usage error before anything is read or written
    holdout = frozenset(h.strip() for h in a.holdout.split(",") if h.strip())
    if holdout - set(HOLDOUT_NAMES):
        ap.error(f"--holdout: unknown source(s) {sorted(holdout - set(HOLDOUT_NAMES))}; choose from {', '.join(HOLDOUT_NAMES)}")
    if holdout and a.resplit:
        ap.error("--holdout keeps the saved split; it cannot be combined with --resplit")
    summary = build(a.data, a.out, a.seed, a.resplit, a.splits, a.licences, holdout)
    # the exact build command beside the corpus, so a model trained on it records how it was made
    with open(os.path.join(a.out, "command.txt"), "w", encoding="utf-8") as fh:
        fh.write(shlex.join(["python", "-m", "training.corpus",
                             *(sys.argv[1:] if argv is None else argv)]) + "\n")
    sys.stdout.write(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
