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

Findings on the rule-labelled lines of the real pages (measured by hand on random samples,
seed-fixed, looking at each line with its neighbours and DOM path):
  * cmt_dom (21,579 lines, all `comment`): 40 sampled, 2 clearly wrong ("WSJ.com Email
    Features" newsletter box, an "&nbsp;" artefact), 1 arguable ("See all discussion
    groups"). Grouping all cmt_dom lines by the DOM token that fired the rule showed a few
    false-positive containers: `#correspondentsMenu` ("respond" inside "correspondents",
    147 lines), `#footer.comment.footer` (60 lines of footer links), and "most commented" /
    "most popular" / comment-leaderboard / buzzbox ranking widgets (~500 lines of
    related-story lists). Decision: keep the rule label, except lines under those
    containers, which are relabelled `boilerplate` (RELABEL_CMT_DOM_BOILERPLATE below;
    836 lines on the current data).
  * dup (2,896 lines; demoted copies of gold lines): 40 sampled, 4 wrong, all of one kind:
    TypePad / Disqus widgets repeat the whole article text inside `div.comments-content`
    (`#tpc_post_message`, `#disqus_post_message`), and those copies were labelled
    `comment` though no gold comment covers them (cc == 0, cb >= 0.5). 245 such lines in
    34 pages. Decision: relabel them `boilerplate` (a repeated copy of the article made by
    a widget is page furniture, not reader discussion; consistent with the other dup
    lines, which are already `boilerplate`). Other dup lines kept as labelled.
  * ctx (560 lines, all `body`, short lines kept by context, mostly CleanEval table
    cells): 40 sampled, 3 clearly wrong ("Site Map", "TrackBack", "Many Thanks" after a
    related-posts heading), 3 arguable ("JC Says:" comment author lines that CleanEval
    counts as content). Decision: keep (noise ~8% of 560 lines, ~0.04% of the corpus).
  * title_heur (153 lines, all `body`, AEB headlines added by heuristic): 40 sampled,
    1 wrong ("Follow Dawgs By Nature online:"). Decision: keep.
  * Body lines the guide labels otherwise (guide_relabel): the aligned sources keep bylines,
    dates, captions, breadcrumbs and related-story lists inside their gold text, and
    CleanEval keeps reader comments. Matched by whole class/id names of the line's element
    and its parent, with length limits; 1,965 lines of the real pages' ~81k body lines
    (~2.4%). 20 sampled per rule, each read with its DOM path: every one is furniture or a
    comment by the guide; the arguable kind is a "Posted by: name at date" line that may
    belong to a comment (guide: comment) and is moved to boilerplate.
  * Pages: dropped when gold_recall < 0.8 (misaligned) or when an aligned source gave no
    gold_recall (7 CleanEval pages whose gold was empty: every line boilerplate); AEB
    pages not in English (20) are dropped (out of scope). Dragnet/CleanEval pages whose
    language detector said pcm/wa/sk/None are English sites and are kept as `en`.

Arabic article titles: the project's first annotation (headlines/saudinewsnet_annotated)
labels 2,000 titles; a second one, made the same way for this repository
(training/annotations/: labels keyed by a hash of the title, never the text), labels the
8,821 SaudiNewsNet article titles the first did not. Its clickbait titles leave every
split's plain pools and join the train split's clickbait pool; held-out clickbait stays
the first annotation's sure titles.

AOC normalisation (normalise_aoc): of 200 sampled pre-tokenised AOC sentences, 87 had
punctuation split off by spaces (" ، ", " ؟ ", " . . ", '" text "', "( x )"); after
normalise_aoc none of the 200 keeps a space before closing punctuation or inside
brackets/quotes; the measurement is repeated on every build and printed in summary.txt.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import io
import json
import os
import random
import re
import shlex
import sys
import tarfile
from typing import AbstractSet, Dict, FrozenSet, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import urlparse

import numpy as np  # noqa: F401  (allowed dependency; kept for callers that expect it)

from . import ar_listing, headline_pools, surface

SPLITS = ("train", "dev", "test")
SPLIT_SHARE = {"train": 0.70, "dev": 0.10, "test": 0.20}
LABELS = ("body", "boilerplate", "comment", "clickbait")
SPLITS_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "splits.json")
TITLE_LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations", "snn_titles.tsv")


def title_key(title: str) -> str:
    """Key of an Arabic title in annotations/snn_titles.tsv: the first 16 hex digits of the
    SHA-1 of its stripped UTF-8 text. The repository keeps labels, never the titles."""
    return hashlib.sha1(title.strip().encode("utf-8")).hexdigest()[:16]


def read_title_labels(path: Optional[str] = None) -> Dict[str, Tuple[str, str]]:
    """title_key -> (label, confidence) from the second annotation of SaudiNewsNet titles
    (training/annotations/README.md says how it was made); {} when the file is absent."""
    path = path or TITLE_LABELS
    if not os.path.exists(path):
        return {}
    out: Dict[str, Tuple[str, str]] = {}
    with open(path, encoding="utf-8") as fh:
        for row in fh:
            if row.startswith("#") or not row.strip():
                continue
            key, label, confidence = row.rstrip("\n").split("\t")
            out[key] = (label, confidence)
    return out

Line = Tuple[str, Optional[str]]  # (text, label)


# --------------------------------------------------------------------------- reading helpers
def iter_pages(path: str) -> Iterator[dict]:
    """Yield one dict per non-empty line of a JSONL page file (gzipped when it ends in .gz)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            raw = raw.strip()
            if raw:
                yield json.loads(raw)


def load_split(corpus_dir: str, split: str) -> List[dict]:
    """Load all pages of one split ("train", "dev" or "test") of a built corpus."""
    for name in (f"{split}.jsonl.gz", f"{split}.jsonl"):
        p = os.path.join(corpus_dir, name)
        if os.path.exists(p):
            return list(iter_pages(p))
    raise FileNotFoundError(f"no {split}.jsonl(.gz) in {corpus_dir}")


def _read_records(path: str) -> List[dict]:
    return list(iter_pages(path)) if os.path.exists(path) else []


def _h(*parts: object) -> int:
    """Stable hash (independent of PYTHONHASHSEED)."""
    s = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.sha1(s.encode("utf-8")).digest()[:8], "big")


def _hash_split(key: str, salt: object) -> str:
    """Pool item -> split by a salted hash: 70/10/20."""
    v = _h("pool", salt, key) % 100
    return "train" if v < 70 else ("dev" if v < 80 else "test")


# --------------------------------------------------------------------------- source licences
LICENCE_CLASSES = ("permissive", "copyleft", "non-commercial", "unknown", "publisher")


class SourceLicence(NamedTuple):
    """What the data README says a data file may be used under.

    ``licence`` is the README's licence statement, ``cls`` one of LICENCE_CLASSES (what
    ``--licences`` selects on), ``note`` what the licence does and does not cover."""
    licence: str
    cls: str
    note: str


# One entry per data file the builder reads (relative to --data), licences as the data README
# states them. Every read goes through _source_path, so a file added to the builder without
# an entry here fails loudly instead of slipping into a filtered build.
SOURCE_LICENCES: Dict[str, SourceLicence] = {
    "pages/dragnet.jsonl.gz": SourceLicence("AGPL-3.0", "copyleft", "Dragnet data"),
    "html/dragnet.tar.gz": SourceLicence(
        "AGPL-3.0", "copyleft", "the Dragnet pages as HTML; read only to find their hosts"),
    "pages/cleaneval.jsonl.gz": SourceLicence("not stated", "unknown", "CleanEval 2007"),
    "pages/aeb.jsonl.gz": SourceLicence(
        "MIT", "permissive", "MIT repo, third-party pages: the licence is the benchmark repo's; "
        "the page text belongs to its publishers"),
    "pages/arabic_pages.jsonl.gz": SourceLicence(
        "pages belong to their publishers", "publisher", "no licence stated; CNN Arabic and four news sites"),
    "text/saudinewsnet_articles.jsonl.gz": SourceLicence(
        "CC BY-NC-SA 4.0", "non-commercial", "SaudiNewsNet"),
    "text/aoc_comments_articles.jsonl.gz": SourceLicence(
        "not stated", "unknown", "Arabic Online Commentary"),
    "text/hespress_comments.jsonl.gz": SourceLicence(
        "not stated", "unknown", "Hespress reader comments"),
    "text/wp_core_ar_ui.jsonl.gz": SourceLicence("GPL", "copyleft", "WordPress Arabic translations"),
    "text/joomla_ar_ui.jsonl.gz": SourceLicence("GPL-2.0", "copyleft", "Joomla! Arabic pack"),
    "headlines/chakraborty2016.jsonl.gz": SourceLicence(
        "MIT", "permissive", "MIT repo (the licence is the repository's)"),
    "headlines/saudinewsnet_annotated.jsonl.gz": SourceLicence(
        "CC BY-NC-SA 4.0", "non-commercial", "SaudiNewsNet titles labelled for this project"),
    "pages/wcxb_dev.jsonl.gz": SourceLicence(
        "CC-BY-4.0", "permissive", "WCXB development split (Foley 2026): cite the benchmark"),
    "headlines/webis_clickbait17.jsonl.gz": SourceLicence(
        "CC-BY-4.0", "permissive", "Webis-Clickbait-17 (Potthast et al. 2018): cite the corpus"),
    "headlines/kaggle_train2_titles.jsonl.gz": SourceLicence(
        "not stated", "unknown", "Kaggle News Clickbait train2 titles (plain side only is used)"),
    "headlines/ar_pools": SourceLicence(
        "mixed: CC-BY-4.0 (MArSum/goud.ma), not stated (ASND, Gulf YouTube, AraNews, news-API, home pages)",
        "unknown", "Arabic title pools, labelled for this project by reading (training/annotations/ar_pool_titles.tsv)"),
    "html/arabic_listing_pages.tar.gz": SourceLicence(
        "pages belong to their publishers", "publisher",
        "51 Arabic home/listing/forum-index pages, labelled for this project by reading"),
}


def parse_licence_classes(value: str) -> FrozenSet[str]:
    """``--licences`` value ("permissive,non-commercial") -> set of licence classes.

    Raises argparse.ArgumentTypeError on an empty list or an unknown name, so the command
    line says what is allowed instead of printing a traceback (a typo must not silently
    build a corpus with fewer, or more, sources than meant)."""
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"no licence class given (choose from: {', '.join(LICENCE_CLASSES)})")
    bad = [n for n in names if n not in LICENCE_CLASSES]
    if bad:
        raise argparse.ArgumentTypeError(
            f"unknown licence class {', '.join(repr(b) for b in bad)} (choose from: {', '.join(LICENCE_CLASSES)})")
    return frozenset(names)


def allowed_sources(classes: Optional[Iterable[str]] = None) -> FrozenSet[str]:
    """Data files (keys of SOURCE_LICENCES) whose licence class is in ``classes``; None = all."""
    if classes is None:
        return frozenset(SOURCE_LICENCES)
    cs = set(classes)
    unknown = cs - set(LICENCE_CLASSES)
    if unknown:
        raise ValueError(f"unknown licence class(es): {sorted(unknown)}")
    return frozenset(rel for rel, lic in SOURCE_LICENCES.items() if lic.cls in cs)


def _source_path(data_dir: str, rel: str, allowed: Optional[AbstractSet[str]]) -> Optional[str]:
    """Path of data file ``rel`` when the licence filter lets the builder read it, else None
    (None for ``allowed`` = no filter). The one gate for every file the builder opens."""
    if rel not in SOURCE_LICENCES:
        raise KeyError(f"{rel}: data file without a SOURCE_LICENCES entry")
    if allowed is not None and rel not in allowed:
        return None
    return os.path.join(data_dir, *rel.split("/"))


def _read_source(data_dir: str, rel: str, allowed: Optional[AbstractSet[str]]) -> List[dict]:
    """Records of data file ``rel``; [] when it is missing or excluded by the licence filter."""
    path = _source_path(data_dir, rel, allowed)
    return _read_records(path) if path else []


# --------------------------------------------------------------------------- real pages
RELABEL_CMT_DOM_BOILERPLATE = re.compile(
    r"correspondent|most[_-]?(commented|popular|recommended|read)|mostpopular|"
    r"commentleaderboard|buzzbox|footer\.comment",
    re.I,
)
NON_EN_OK_SOURCES = {"dragnet", "cleaneval"}  # their lang=pcm/wa/sk/None pages are English sites

# Body lines the guide labels otherwise, found from the class/id names of the line's own
# element and its parent (the last two steps of its DOM path). Whole names only: a token
# like "entry-author-jane" on an article wrapper is not a byline box.
_CAPTION_NAMES = frozenset({"caption", "wp-caption-text", "figcaption", "credit", "photocred",
                            "photo_credit", "image-credit", "photo-caption", "image-caption",
                            "vb_image_source", "tr-caption"})
_BYLINE_NAMES = frozenset({"byline", "postbyline", "post_byline", "nodebyline", "article-byline",
                           "dateline", "date", "date-header", "entrydate", "entrytime", "timestamp",
                           "posted", "postmetadata", "post-meta", "entry-meta", "author",
                           "author_and_date", "nameandtime"})
_RELATED_NAMES = frozenset({"related", "relatedlist", "related_post", "related-posts",
                            "st-related-posts", "nrelate_related"})
_CRUMB_NAMES = frozenset({"breadcrumb", "breadcrumbs", "crumbs", "breadcrumb-trail"})
_COMMENT_NAME = re.compile(r"^(comment|comments|commentlist|comment-body|comments-body|commenti)(-\d+)?$")
_DOM_NAME = re.compile(r"[#.]([^#.\s>]+)")
_BYLINE_TEXT = re.compile(r"\d|^(by|posted|published|written|updated)\b", re.I)


def _dom_names(dom: str) -> set:
    """Lower-cased class and id names of the last two elements of a DOM path."""
    names: set = set()
    for element in dom.split(">")[-2:]:
        names.update(n.lower() for n in _DOM_NAME.findall(element))
        if element.strip().lower().startswith("figcaption"):
            names.add("figcaption")
    return names


def guide_relabel(source: str, text: str, dom: str) -> Optional[Tuple[str, str]]:
    """(rule, label) for a gold `body` line that the annotation guide labels otherwise, else None.

    The aligned sources keep some of what LABELS.md calls page furniture inside their gold
    text: Dragnet keeps bylines, dates and captions; CleanEval keeps them too, and counts
    a forum's or blog's reader comments as content. Left as they are, they teach the model
    the sources' conventions and score it against them. Only the DOM tells these lines
    apart reliably, and the DOM is provenance the model never sees, so relabelling here
    changes what is learnt and scored, never what the model reads. Length limits keep
    long paragraphs (slideshow text in a "caption" box, a post inside a "date" block)
    as body."""
    if not dom:
        return None
    names = _dom_names(dom)
    n = len(text)
    if names & _CAPTION_NAMES and n <= 200:
        return "caption", "boilerplate"
    if names & _CRUMB_NAMES and n <= 200:
        return "breadcrumb", "boilerplate"
    if names & _RELATED_NAMES and n <= 120:
        return "related list", "boilerplate"
    if names & _BYLINE_NAMES and n <= 100 and (_BYLINE_TEXT.search(text) or len(text.split()) <= 4):
        return "byline or date", "boilerplate"
    if source == "cleaneval" and any(_COMMENT_NAME.match(x) for x in names):
        return "reader comment", "comment"
    return None


def clean_real_page(page: dict, stats: collections.Counter) -> Optional[dict]:
    """Apply the quality filter and the rule-line decisions; return None when the page is dropped."""
    src = page["source"]
    gr = page.get("gold_recall")
    if gr is not None and gr < 0.8:
        stats["dropped: gold_recall < 0.8"] += 1
        return None
    if gr is None and src in ("cleaneval", "dragnet", "scrapinghub_aeb"):
        stats["dropped: aligned source without gold_recall (empty gold)"] += 1
        return None
    if src == "wcxb" and page.get("page_type") == "forum":
        # WCXB's gold counts every forum post as main content; the guide says the opening
        # post is body and the replies are comments. The text gives no reliable post
        # boundary, so forum pages are kept out of the corpus rather than teaching the
        # model that reader replies are body (the written rule, README "Quality").
        stats["dropped: WCXB forum page (gold counts replies as main content)"] += 1
        return None
    lang = page.get("lang")
    if lang == "ar":  # arabic_pages.jsonl.gz: long per-page provenance strings -> one source name
        src = "arabic_pages"
    elif lang != "en":
        if src in NON_EN_OK_SOURCES:
            lang = "en"
        else:
            stats[f"dropped: non-English AEB page ({lang})"] += 1
            return None
    lines = []
    for ln in page["lines"]:
        text = ln["text"]
        label = ln["label"]
        if not text.strip():
            lines.append({"text": "", "label": None, "dom": ln.get("dom", "")})
            continue
        if ln.get("cmt_dom"):
            stats["rule cmt_dom: seen"] += 1
            if label == "comment" and RELABEL_CMT_DOM_BOILERPLATE.search(ln.get("dom") or ""):
                label = "boilerplate"
                stats["rule cmt_dom: relabelled comment->boilerplate (false-positive container)"] += 1
        if ln.get("dup"):
            stats["rule dup: seen"] += 1
            if label == "comment" and (ln.get("cc") or 0) == 0 and (ln.get("cb") or 0) >= 0.5:
                label = "boilerplate"
                stats["rule dup: relabelled comment->boilerplate (article copy in comment widget)"] += 1
        if label == "body":
            moved = guide_relabel(src, text, ln.get("dom") or "")
            if moved:
                label = moved[1]
                stats[f"guide: body -> {label} ({src}, {moved[0]})"] += 1
        if ln.get("ctx"):
            stats["rule ctx: seen, kept"] += 1
        if ln.get("title_heur"):
            stats["rule title_heur: seen, kept"] += 1
        lines.append({"text": text, "label": label, "dom": ln.get("dom") or "",
                      "title_heur": bool(ln.get("title_heur"))})
    out = {"page_id": page["page_id"], "source": src, "lang": lang, "url": page.get("url"),
           "lines": lines}
    if page.get("page_type"):
        out["page_type"] = page["page_type"]
    return out


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


# --------------------------------------------------------------------------- text normalisation
_AR_CLOSE = "،,.:;!?؟؛)]}»"


def normalise_aoc(s: str) -> str:
    """Re-attach punctuation that the AOC corpus split off with spaces.

    " ، " -> "، ", " . " -> ". ", ". . ." -> "...", "؟ ؟" -> "؟؟", "( x )" -> "(x)",
    '" x "' -> '"x"' (straight quotes paired left to right), '" "' -> '"'."""
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r'"\s+"', '"', s)
    # runs of spaced punctuation: ". . ." / "! !" / "؟ ؟ ؟"
    s = re.sub(r"([.!?؟,،])(?:\s+(?=[.!?؟,،]))", r"\1", s)
    s = re.sub(r"([.!?؟,،])(?:\s+(?=[.!?؟,،]))", r"\1", s)
    s = re.sub(r"\s+([" + re.escape(_AR_CLOSE) + r"])", r"\1", s)
    s = re.sub(r"([(\[{«])\s+", r"\1", s)
    if s.count('"') >= 2:
        parts = s.split('"')
        out = [parts[0]]
        for i, seg in enumerate(parts[1:], start=1):
            opening = i % 2 == 1
            if opening:
                seg = seg.lstrip()
            else:
                out[-1] = out[-1].rstrip()
            out.append(seg)
        s = '"'.join(out)
    return s.strip()


_SPLIT_PUNCT = re.compile(r"\s[" + re.escape(_AR_CLOSE) + r"]|[(\[«]\s")


def measure_aoc(records: List[dict], n: int = 200, seed: int = 0) -> Tuple[int, int, int]:
    """(sampled, with split punctuation before, with split punctuation after normalise_aoc)."""
    pre = [r["text"] for r in records if "punctuation split" in r.get("note", "")]
    if not pre:
        return 0, 0, 0
    rng = random.Random(seed)
    sample = rng.sample(pre, min(n, len(pre)))
    before = sum(1 for s in sample if _SPLIT_PUNCT.search(s))
    after = sum(1 for s in sample if _SPLIT_PUNCT.search(normalise_aoc(s)))
    return len(sample), before, after


# --------------------------------------------------------------------------- English casing
_SMALL = {"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "but", "at", "by", "with",
          "as", "from", "is", "vs", "via", "into"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


class Caser:
    """Restyle English headlines so casing carries no label information.

    style drawn independently of the label: as-is 10%, sentence case 42.5%, Title Case 42.5%,
    ALL CAPS 5%. Sentence case keeps a non-initial word capitalised when it is "I", an acronym,
    or a likely proper noun: seen capitalised mid-line more often than lower-case in
    sentence-cased reference text (real English body lines and non-Title-Case headlines),
    or never seen at all."""

    STYLES = (("asis", 0.10), ("sentence", 0.425), ("title", 0.425), ("upper", 0.05))

    def __init__(self, reference: Iterable[str]):
        low: collections.Counter = collections.Counter()
        cap: collections.Counter = collections.Counter()
        for line in reference:
            ws = _WORD.findall(line)
            if len(ws) < 3:
                continue
            if sum(1 for w in ws if w[0].isupper()) > 0.6 * len(ws):
                continue  # Title Case line: says nothing about proper nouns
            for m in list(_WORD.finditer(line))[1:]:
                w = m.group(0)
                if re.search(r"[.!?:;\"“‘(\[—–-]\s*$", line[:m.start()]):
                    continue  # sentence-initial after punctuation: not evidence
                if w.islower():
                    low[w] += 1
                elif w[0].isupper() and w[1:].islower():
                    cap[w.lower()] += 1
        self.low, self.cap = low, cap

    def _proper(self, lw: str) -> bool:
        for form in (lw, re.sub(r"['’]s$", "", lw)):
            if form in self.low or form in self.cap:
                return self.cap[form] > self.low[form]
        return True

    def draw(self, rng: random.Random) -> str:
        r = rng.random()
        acc = 0.0
        for name, p in self.STYLES:
            acc += p
            if r < acc:
                return name
        return "asis"

    def sentence(self, s: str) -> str:
        first = [True]

        def rep(m: re.Match) -> str:
            w = m.group(0)
            if first[0]:
                first[0] = False
                return w[0].upper() + w[1:]
            lw = w.lower()
            if lw in ("i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll"):
                return w[0].upper() + w[1:].lower()
            if len(w) > 1 and w.isupper():
                return w  # acronym / shout word
            if not (w[0].isupper() and w[1:] == w[1:].lower()):
                return w  # lower already, or mixed case (iPhone, McDonald)
            return w if self._proper(lw) else lw

        return _WORD.sub(rep, s)

    @staticmethod
    def title(s: str, ap_style: bool) -> str:
        idx = [0]

        def rep(m: re.Match) -> str:
            w = m.group(0)
            i = idx[0]
            idx[0] += 1
            if ap_style and i > 0 and w.lower() in _SMALL:
                return w.lower()
            if w.islower():
                return w[0].upper() + w[1:]
            return w

        return _WORD.sub(rep, s)

    def apply(self, s: str, rng: random.Random, stats: collections.Counter) -> str:
        style = self.draw(rng)
        stats[f"casing {style}"] += 1
        if style == "sentence":
            return self.sentence(s)
        if style == "title":
            return self.title(s, ap_style=rng.random() < 0.5)
        if style == "upper":
            return s.upper()
        return s


# --------------------------------------------------------------------------- pools
AR_RELATED_HEADINGS = ["مواضيع ذات صلة", "اقرأ أيضا", "اقرأ أيضاً:", "أخبار ذات صلة", "قد يعجبك أيضا",
                       "مقالات مقترحة", "لا تفوتك", "من الويب", "الأكثر تداولا", "أخبار متعلقة", "شاهد أيضا"]
EN_RELATED_HEADINGS = ["Related", "Related Articles", "Read more", "Read More:", "You may also like",
                       "You Might Also Like", "Recommended for you", "More from the web", "Around the Web",
                       "Sponsored Stories", "Trending Now", "Don't Miss", "More Stories", "Related posts:",
                       "From our partners", "Popular on the site"]
AR_DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
AR_NAMES = ["أحمد", "محمد", "أبو خالد", "سارة", "مواطن", "زائر", "عبدالله", "فاطمة", "ابو فهد", "متابع",
            "ريم", "خالد العتيبي", "يوسف", "نورة", "مغربي حر", "سعيد", "ليلى", "عمر", "هند", "ناصر"]
AR_SHARE = ["شارك", "مشاركة", "تويتر", "فيسبوك", "واتساب", "تيليجرام", "طباعة", "إرسال لصديق", "نسخ الرابط"]
AR_SITE_WORDS = ["أخبار", "صحيفة", "بوابة", "شبكة", "موقع", "جريدة"]
AR_SITE_NAMES = ["الوطن", "الخليج", "المدينة", "النهار", "الصباح", "الشرق", "الأفق", "الحدث", "اليوم", "البيان"]
AR_SECTIONS = ["الرئيسية", "محليات", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "تقنية", "صحة",
               "دولي", "مقالات", "فيديو", "صور", "اتصل بنا", "من نحن"]


EN_FIRST = ["James", "Maria", "David", "Sarah", "Ahmed", "Lena", "Tom", "Priya", "Carlos", "Emma", "Kofi", "Julia"]
EN_LAST = ["Miller", "Okafor", "Nguyen", "Schmidt", "Haddad", "Brooks", "Rossi", "Patel", "Larsen", "Kim"]
EN_AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "Bloomberg", "EPA", "Staff", "File photo"]


def en_furniture_line(rng: random.Random) -> str:
    """One line of article furniture as sites print it (the guide: boilerplate): a byline,
    a dateline, a photo caption or credit, an update notice, a "with files from" credit."""
    name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    day = f"{rng.choice(['Jan.', 'March', 'June', 'Sept.', 'Nov.'])} {rng.randint(1, 28)}, {rng.choice([2012, 2019, 2024, 2025])}"
    forms = [f"By {name}", f"By {name.upper()}, {rng.choice(['Staff Writer', 'Associated Press', 'Senior Reporter'])}",
             f"Posted {day}", f"Updated {day} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['a.m.', 'p.m.'])}",
             f"Photo: {name} / {rng.choice(EN_AGENCIES)}", f"({rng.choice(EN_AGENCIES)} photo)",
             f"Image credit: {rng.choice(EN_AGENCIES)}", f"With files from {rng.choice(EN_AGENCIES)}",
             f"{rng.randint(2, 15)} min read", day, f"{name} | {day}",
             f"Contact {name} at {name.split()[0].lower()}@example.com"]
    return rng.choice(forms)


def _ar_digits(s: str, rng: random.Random) -> str:
    if rng.random() < 0.25:
        return s.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return s


def ar_date(rng: random.Random) -> str:
    """A short Arabic date / time line (generated)."""
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2013, 2014, 2015, 2019, 2020, 2021, 2022, 2023])
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    form = rng.randrange(6)
    if form == 0:
        s = f"{rng.choice(AR_DAYS)} {d} {AR_MONTHS[m - 1]} {y} - {hh:02d}:{mm:02d}"
    elif form == 1:
        s = f"{d:02d}/{m:02d}/{y}"
    elif form == 2:
        s = f"نشر في: {d} {AR_MONTHS[m - 1]} {y}"
    elif form == 3:
        s = f"منذ {rng.randint(2, 23)} ساعة"
    elif form == 4:
        s = f"آخر تحديث: {d} {AR_MONTHS[m - 1]} {y} {hh:02d}:{mm:02d}"
    else:
        s = f"{y}/{m:02d}/{d:02d} {hh:02d}:{mm:02d}"
    return _ar_digits(s, rng)


class Pools:
    """Per-split pools of real parts. Text pools are split by article id / comment doc / hash of text."""

    def __init__(self) -> None:
        self.ar_articles: List[Tuple[Optional[str], List[str]]] = []  # (title, paragraphs)
        self.ar_bylines: List[str] = []
        self.ar_residue: List[str] = []
        self.ar_ui_boiler: List[str] = []
        self.ar_ui_comment: List[str] = []
        self.ar_page_boiler: List[str] = []
        self.ar_page_comment: List[str] = []
        self.ar_comments: List[List[str]] = []  # each: list of lines of one comment (text, maybe title)
        self.hes_comments: List[Tuple[str, Optional[str]]] = []  # (text, timestamp)
        self.ar_headlines: List[str] = []
        self.ar_clickbait: List[str] = []
        self.en_headlines: List[str] = []
        self.en_clickbait: List[str] = []
        self.en_articles: List[List[str]] = []  # body lines of one real page
        self.en_header: List[List[str]] = []  # leading boilerplate runs
        self.en_footer: List[List[str]] = []
        self.en_boiler_lines: List[str] = []
        self.en_comment_runs: List[List[str]] = []
        self.real_en_pages: List[dict] = []


def _note_field(note: str, key: str) -> Optional[str]:
    m = re.search(key + r"=([^;,\s]+)", note or "")
    return m.group(1) if m else None


def build_text_pools(data_dir: str, salt: object, stats: collections.Counter,
                     allowed: Optional[AbstractSet[str]] = None,
                     holdout: AbstractSet[str] = frozenset()) -> Dict[str, Pools]:
    """Per-split pools of the text/ and headlines/ sources; a source the licence filter
    excludes (``allowed``, see _source_path) reads as empty, and its pools stay empty.
    A headline source named in ``holdout`` goes to the test split only (cross-source runs)."""
    pools = {s: Pools() for s in SPLITS}

    # SaudiNewsNet articles, grouped by article id
    arts: Dict[str, dict] = {}
    order: List[str] = []
    for r in _read_source(data_dir, "text/saudinewsnet_articles.jsonl.gz", allowed):
        aid = _note_field(r.get("note", ""), "article") or "x"
        if aid not in arts:
            arts[aid] = {"title": None, "paras": []}
            order.append(aid)
        sp = _hash_split("snn:" + aid, salt)
        note = r.get("note", "")
        text = r["text"].strip()
        if not text:
            continue
        if r["label"] == "boilerplate":
            if len(text) <= 200:
                pools[sp].ar_residue.append(text)
            continue
        if "repeated_in_source" in note and len(text) <= 60 and not text.endswith("."):
            pools[sp].ar_bylines.append(text)  # a byline / dateline standing alone: boilerplate
            stats["snn byline/dateline lines -> boilerplate pool"] += 1
            continue
        if note.startswith("title"):
            arts[aid]["title"] = text
        elif not arts[aid]["paras"] and len(text) <= 60 and re.search(r"\s[–_\-—]\s", text) \
                and not re.search(r"[.،:؟!]", text):
            pools[sp].ar_bylines.append(text)  # leading "name – outlet / city" byline: boilerplate
            stats["snn leading byline lines -> boilerplate pool"] += 1
        else:
            arts[aid]["paras"].append(text)
    title_split: Dict[str, str] = {}
    for aid in order:
        a = arts[aid]
        sp = _hash_split("snn:" + aid, salt)
        if a["title"]:
            title_split[a["title"]] = sp
        if a["paras"]:
            pools[sp].ar_articles.append((a["title"], a["paras"]))

    # Arabic UI strings (hash of text)
    for fn in ("text/wp_core_ar_ui.jsonl.gz", "text/joomla_ar_ui.jsonl.gz"):
        for r in _read_source(data_dir, fn, allowed):
            sp = _hash_split("ui:" + r["text"], salt)
            (pools[sp].ar_ui_comment if r["label"] == "comment" else pools[sp].ar_ui_boiler).append(r["text"])

    # AOC comments: normalised sentences by hash of text; raw comments / titles by comment doc
    raw_docs: Dict[str, List[Tuple[str, str]]] = collections.OrderedDict()
    for r in _read_source(data_dir, "text/aoc_comments_articles.jsonl.gz", allowed):
        if r["label"] != "comment":
            continue
        note = r.get("note", "")
        doc = _note_field(note, "doc")
        if doc:
            raw_docs.setdefault(doc, []).append(("title" if note.startswith("comment title") else "text", r["text"]))
        else:
            t = normalise_aoc(r["text"])
            if len(t) >= 3:
                pools[_hash_split("aoc:" + t, salt)].ar_comments.append([t])
    for doc, items in raw_docs.items():
        sp = _hash_split("aocdoc:" + doc, salt)
        title = [t for k, t in items if k == "title"]
        texts = [t for k, t in items if k == "text"]
        for t in texts:
            pools[sp].ar_comments.append((title[:1] if title else []) + [t.strip()])
    # Hespress: comment followed by its displayed timestamp
    hes = [r for r in _read_source(data_dir, "text/hespress_comments.jsonl.gz", allowed) if r["label"] == "comment"]
    i = 0
    while i < len(hes):
        r = hes[i]
        if "timestamp" in r.get("note", ""):
            i += 1
            continue
        ts = hes[i + 1]["text"] if i + 1 < len(hes) and "timestamp" in hes[i + 1].get("note", "") else None
        pools[_hash_split("hes:" + r["text"], salt)].hes_comments.append((r["text"], ts))
        i += 2 if ts else 1

    # headlines
    snn_cb_any = set()
    snn_annotated = set()
    for r in _read_source(data_dir, "headlines/saudinewsnet_annotated.jsonl.gz", allowed):
        t = r["text"].strip()
        snn_annotated.add(t)
        if r["label"] == "clickbait":
            snn_cb_any.add(t)
        sp = title_split.get(t) or _hash_split("snnh:" + t, salt)
        # training may learn from the annotator's unsure titles too (203 of the 244
        # clickbait titles are unsure: 41 sure ones are too few to learn Arabic
        # clickbait from); dev and test score against sure titles only
        if r.get("confidence") != "sure" and sp != "train":
            continue
        (pools[sp].ar_clickbait if r["label"] == "clickbait" else pools[sp].ar_headlines).append(t)
    # The second annotation covers the article titles the first one did not. Its clickbait
    # leaves the plain pools of every split (a plain title in a dev or test page must not be
    # bait by the guide); only training learns from it, so held-out clickbait stays the
    # first annotation's sure titles and scores stay comparable.
    second = read_title_labels() if title_split else {}
    for t, sp in title_split.items():
        label = second.get(title_key(t))
        if label is None or label[0] != "clickbait" or t in snn_annotated:
            continue
        snn_cb_any.add(t)
        if sp == "train":
            pools[sp].ar_clickbait.append(t)
        stats[f"snn titles, second annotation: clickbait {label[1]} in {sp} "
              f"({'clickbait pool' if sp == 'train' else 'left out of the plain pools'})"] += 1
    for sp in SPLITS:  # plain Arabic headline pool also gets the split's article titles (minus any clickbait)
        pools[sp].ar_headlines.extend(t for t, _ in pools[sp].ar_articles if t and t not in snn_cb_any)
        pools[sp].ar_articles = [(t if t not in snn_cb_any else None, ps) for t, ps in pools[sp].ar_articles]
    en_items = [(r["text"].strip(), r["label"], "chakraborty")
                for r in _read_source(data_dir, "headlines/chakraborty2016.jsonl.gz", allowed)]
    en_items += headline_pools.english_items(data_dir, lambda rel: _source_path(data_dir, rel, allowed))
    ar_items = headline_pools.arabic_items(data_dir, _source_path(data_dir, "headlines/ar_pools", allowed) is not None)
    en_held = {src for _, _, src in en_items if headline_pools.is_heldout(src, holdout)}
    for lang, items in (("en", en_items), ("ar", ar_items)):
        by_split = headline_pools.to_pools(
            items, lambda t: _hash_split(("chak:" if lang == "en" else "arpool:") + t.lower(), salt), holdout,
            only_heldout_in_test=lang == "en" and bool(en_held))
        for sp in SPLITS:
            P = pools[sp]
            cb, plain = by_split[sp]["clickbait"], by_split[sp]["headline"]
            stats[f"headlines {lang} {sp}: clickbait {len(cb)}, plain {len(plain)}"] += 1
            if lang == "en":
                P.en_clickbait += cb
                P.en_headlines += plain
            else:
                if sp == "test" and cb:  # held-out Arabic pool clickbait replaces SNN's few sure titles
                    P.ar_clickbait = []
                P.ar_clickbait += cb
                P.ar_headlines += plain
    for sp in SPLITS:
        for attr in ("ar_headlines", "ar_clickbait", "en_headlines", "en_clickbait", "ar_bylines", "ar_residue"):
            setattr(pools[sp], attr, sorted(set(getattr(pools[sp], attr))))
    return pools


def _runs(lines: List[dict], label: str) -> List[List[str]]:
    out, cur = [], []
    for ln in lines:
        if ln["label"] == label:
            cur.append(ln["text"])
        elif ln["label"] is not None:
            if cur:
                out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def add_page_pools(pools: Dict[str, Pools], real: Dict[str, List[dict]]) -> None:
    """Harvest parts of the real pages of each split into that split's pools."""
    for sp in SPLITS:
        P = pools[sp]
        for p in real[sp]:
            lines = [ln for ln in p["lines"] if ln["label"]]
            if p["lang"] == "ar":
                P.ar_page_boiler.extend(ln["text"] for ln in lines if ln["label"] == "boilerplate" and len(ln["text"]) < 120)
                P.ar_page_comment.extend(ln["text"] for ln in lines if ln["label"] == "comment" and len(ln["text"]) < 120)
                continue
            body = [ln["text"] for ln in lines if ln["label"] == "body" and not ln.get("title_heur")]
            if 3 <= len(body):
                P.en_articles.append(body)
                P.real_en_pages.append(p)
            first_other = next((i for i, ln in enumerate(lines) if ln["label"] != "boilerplate"), None)
            if first_other and first_other >= 3:
                P.en_header.append([ln["text"] for ln in lines[:first_other]])
            last_other = max((i for i, ln in enumerate(lines) if ln["label"] != "boilerplate"), default=None)
            if last_other is not None and len(lines) - last_other - 1 >= 2:
                P.en_footer.append([ln["text"] for ln in lines[last_other + 1:]])
            P.en_boiler_lines.extend(ln["text"] for ln in lines if ln["label"] == "boilerplate" and 3 <= len(ln["text"]) <= 80)
            if p["source"] == "dragnet":
                for run in _runs(lines, "comment"):
                    if len(run) >= 3:
                        P.en_comment_runs.append(run)
        P.ar_page_boiler = sorted(set(P.ar_page_boiler))
        P.ar_page_comment = sorted(set(P.ar_page_comment))
        P.en_boiler_lines = sorted(set(P.en_boiler_lines))


# --------------------------------------------------------------------------- composition
class Block:
    """A run of lines; kind 'para' blocks get blank lines between their lines in 'paragraphs' style.
    ``part`` ('teaser', 'title') is written on each of its lines, so evaluation can score the
    places clickbait is built into (a teaser widget, a page's own title) on their own."""

    __slots__ = ("lines", "kind", "part")

    def __init__(self, lines: List[Line], kind: str = "list", part: Optional[str] = None):
        self.lines = [(t, l) for t, l in lines if t and t.strip()]
        self.kind = kind
        self.part = part


def assemble(blocks: List[Block], rng: random.Random) -> List[dict]:
    """Join blocks into page lines with a seeded blank-line style:
    none (15%): no blank lines at all; blocks (35%): a blank line between blocks;
    paragraphs (35%): also between article paragraphs and between comments; every (15%): a
    blank line after every line, as many scrapers print pages; some pages double the blank
    between blocks."""
    r = rng.random()
    style = ("none" if r < 0.15 else "blocks" if r < 0.5 else "paragraphs" if r < 0.85 else "every")
    double = rng.random() < 0.1
    out: List[dict] = []
    for b in blocks:
        if not b.lines:
            continue
        if out and style != "none":
            out.append({"text": "", "label": None})
            if double:
                out.append({"text": "", "label": None})
        for i, (t, l) in enumerate(b.lines):
            if i and (style == "every" or (style == "paragraphs" and b.kind == "para")):
                out.append({"text": "", "label": None})
            out.append({"text": t, "label": l, "part": b.part} if b.part else {"text": t, "label": l})
    return out


def _pick(rng: random.Random, seq: Sequence, k: int) -> list:
    if not seq:
        return []
    return rng.sample(list(seq), min(k, len(seq)))


class Composer:
    def __init__(self, P: Pools, caser: Caser, stats: collections.Counter):
        self.P, self.caser, self.stats = P, caser, stats

    # ---- Arabic parts
    def ar_site(self, rng: random.Random) -> str:
        return f"{rng.choice(AR_SITE_WORDS)} {rng.choice(AR_SITE_NAMES)}"

    def ar_header(self, rng: random.Random) -> Block:
        """Site name, nav items (real UI strings, boilerplate lines of real Arabic pages, section names)."""
        P = self.P
        lines: List[Line] = []
        if rng.random() < 0.7:
            lines.append((self.ar_site(rng), "boilerplate"))
        nav = _pick(rng, P.ar_page_boiler, rng.randint(0, 6)) + _pick(rng, AR_SECTIONS, rng.randint(2, 7))
        nav += _pick(rng, P.ar_ui_boiler, rng.randint(0, 3))
        rng.shuffle(nav)
        if rng.random() < 0.25:  # nav glued into one line
            lines.append((rng.choice([" | ", " - ", "  ", " / "]).join(nav[:8]), "boilerplate"))
        else:
            lines += [(t, "boilerplate") for t in nav]
        if rng.random() < 0.4:
            lines.append((" > ".join(["الرئيسية", rng.choice(AR_SECTIONS[1:12])]), "boilerplate"))
        return Block(lines)

    def ar_footer(self, rng: random.Random) -> Block:
        P = self.P
        lines = [(t, "boilerplate") for t in _pick(rng, P.ar_page_boiler, rng.randint(0, 4))]
        lines += [(t, "boilerplate") for t in _pick(rng, P.ar_ui_boiler, rng.randint(0, 3))]
        lines += [(t, "boilerplate") for t in _pick(rng, AR_SECTIONS[-4:], rng.randint(0, 3))]
        y = rng.choice([2014, 2015, 2020, 2021, 2023])
        cp = rng.choice([f"جميع الحقوق محفوظة © {y}", f"© {y} {self.ar_site(rng)}. جميع الحقوق محفوظة",
                         f"جميع الحقوق محفوظة ل{self.ar_site(rng)} {y} ©", f"تطوير وتصميم {rng.choice(AR_SITE_NAMES)} للحلول التقنية"])
        lines.append((_ar_digits(cp, rng), "boilerplate"))
        return Block(lines)

    def ar_article(self, rng: random.Random, title_mode: str) -> List[Block]:
        """Title (plain article title = body, or a sure Arabic clickbait title = clickbait), date / byline
        (boilerplate), a reads counter sometimes, then the article paragraphs (body)."""
        P = self.P
        title, paras = rng.choice(P.ar_articles)
        blocks: List[Block] = []
        if title_mode == "clickbait" and P.ar_clickbait:
            blocks.append(Block([(surface.vary(rng.choice(P.ar_clickbait), "ar", rng, p=0.3), "clickbait")], part="title"))
            self.stats["title clickbait (ar)"] += 1
        elif title:
            blocks.append(Block([(surface.vary(title, "ar", rng, p=0.3), "body")], part="title"))
        meta: List[Line] = []
        if rng.random() < 0.8:
            meta.append((ar_date(rng), "boilerplate"))
        if P.ar_bylines and rng.random() < 0.5:
            meta.append((rng.choice(P.ar_bylines), "boilerplate"))
        if rng.random() < 0.3:
            meta.append((_ar_digits(rng.choice(["عدد القراءات ({})", "المشاهدات: {}", "{} مشاهدة"]).format(rng.randint(12, 9000)), rng), "boilerplate"))
        if rng.random() < 0.35:  # more furniture between the title and the first paragraph
            meta += [(t, "boilerplate") for t in _pick(rng, P.ar_page_boiler + AR_SHARE, rng.randint(1, 10))]
        rng.shuffle(meta)
        blocks.append(Block(meta))
        k = min(len(paras), rng.randint(3, 14))
        start = rng.randint(0, len(paras) - k) if rng.random() < 0.3 else 0
        blocks.append(Block([(t, "body") for t in paras[start:start + k]], "para"))
        if P.ar_residue and rng.random() < 0.2:
            blocks.append(Block([(rng.choice(P.ar_residue), "boilerplate")]))
        if rng.random() < 0.4:
            blocks.append(Block([(t, "boilerplate") for t in _pick(rng, AR_SHARE, rng.randint(1, 5))]))
        return blocks

    def ar_comments(self, rng: random.Random) -> List[Block]:
        """Comment section: heading / count / form strings (comment UI strings) and 1-8 reader
        comments (AOC or Hespress) each with an optional author line and time line (comment)."""
        P = self.P
        blocks: List[Block] = []
        head: List[Line] = []
        ui = P.ar_ui_comment + P.ar_page_comment
        if rng.random() < 0.5:
            head.append((_ar_digits(rng.choice(["{} تعليقات", "التعليقات ({})", "عدد التعليقات: {}", "{} تعليق"]).format(rng.randint(1, 60)), rng), "comment"))
        head += [(t, "comment") for t in _pick(rng, ui, rng.randint(1, 3))]
        blocks.append(Block(head))
        n = rng.randint(1, 8)
        for _ in range(n):
            c: List[Line] = []
            if P.hes_comments and rng.random() < 0.15:
                text, ts = rng.choice(P.hes_comments)
                if rng.random() < 0.6:
                    c.append((rng.choice(AR_NAMES), "comment"))
                c.append((text, "comment"))
                if ts:
                    c.insert(len(c) - 1 if rng.random() < 0.5 else len(c), (ts, "comment"))
            elif P.ar_comments:
                parts = rng.choice(P.ar_comments)
                if rng.random() < 0.5:
                    c.append((rng.choice(AR_NAMES), "comment"))
                if rng.random() < 0.5:
                    c.append((ar_date(rng), "comment"))
                body = list(parts)
                if len(body) == 1 and rng.random() < 0.3:  # a two-sentence comment
                    extra = rng.choice(P.ar_comments)
                    body = [body[0] + " " + extra[-1]]
                c += [(t, "comment") for t in body]
                if rng.random() < 0.3:
                    c.append((rng.choice(["رد", "إبلاغ", "أعجبني", "رد على هذا التعليق"]), "comment"))
            blocks.append(Block(c, "para"))
        if rng.random() < 0.6:
            form = _pick(rng, ui, rng.randint(2, 5))
            blocks.append(Block([(t, "comment") for t in form]))
        return blocks

    def teaser(self, rng: random.Random, lang: str, n_min: int = 3, n_max: int = 8) -> Block:
        """Recommendation widget: a heading (boilerplate) then a mix of clickbait headlines
        (label clickbait) and plain related headlines (label boilerplate). English headlines
        are restyled by the Caser (casing independent of label)."""
        P = self.P
        n = rng.randint(n_min, n_max)
        share = rng.choice([0.0, 0.3, 0.5, 0.7, 1.0])
        lines: List[Line] = [(rng.choice(AR_RELATED_HEADINGS if lang == "ar" else EN_RELATED_HEADINGS), "boilerplate")]
        used: set = set()
        n_cb = 0
        for _ in range(n):
            cb = rng.random() < share
            if lang == "ar":
                # Arabic clickbait titles are few (a few dozen in dev/test): cap them per
                # block so a handful of titles do not fill every widget; no repeats
                cb = cb and n_cb < (2 if len(P.ar_clickbait) < 100 else 4)
                pool = P.ar_clickbait if cb else P.ar_headlines
                if not pool:
                    continue
                t = rng.choice(pool)
                if t in used:
                    continue
                used.add(t)
                n_cb += cb
                t = surface.vary(t, "ar", rng)
            else:
                pool = P.en_clickbait if cb else P.en_headlines
                t = surface.vary(self.caser.apply(rng.choice(pool), rng, self.stats), "en", rng)
            lines.append((t, "clickbait" if cb else "boilerplate"))
            if rng.random() < 0.15:  # a date under the teaser
                lines.append((ar_date(rng) if lang == "ar" else f"{rng.randint(1, 28)} {rng.choice(['Jan', 'Mar', 'Jun', 'Sep', 'Nov'])} {rng.choice([2015, 2016, 2019])}", "boilerplate"))
        self.stats[f"teaser block ({lang})"] += 1
        return Block(lines, part="teaser")

    # ---- English parts
    def en_header(self, rng: random.Random) -> Block:
        P = self.P
        if P.en_header and rng.random() < 0.8:
            run = rng.choice(P.en_header)
            return Block([(t, "boilerplate") for t in run[:rng.randint(3, 30)]])
        return Block([(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(3, 10))])

    def en_footer(self, rng: random.Random) -> Block:
        P = self.P
        if P.en_footer and rng.random() < 0.8:
            run = rng.choice(P.en_footer)
            return Block([(t, "boilerplate") for t in run[-rng.randint(2, 20):]])
        return Block([(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(2, 8))])

    def en_article(self, rng: random.Random, title_mode: str) -> List[Block]:
        """Title: a chakraborty headline restyled (clickbait -> clickbait, plain -> body) or none
        (the real page's own first body line then leads); then body lines of one real English page."""
        P = self.P
        body = rng.choice(P.en_articles)
        k = min(len(body), rng.randint(3, 25))
        blocks: List[Block] = []
        if title_mode in ("clickbait", "plain"):
            cb = title_mode == "clickbait"
            t = self.caser.apply(rng.choice(P.en_clickbait if cb else P.en_headlines), rng, self.stats)
            t = surface.vary(t, "en", rng, p=0.3)
            blocks.append(Block([(t, "clickbait" if cb else "body")], part="title"))
            self.stats[f"title {'clickbait' if cb else 'plain'} (en)"] += 1
        if rng.random() < 0.5:  # 1-15 furniture lines between the title and the first paragraph
            furn = [(en_furniture_line(rng), "boilerplate") for _ in range(rng.randint(1, 4))]
            furn += [(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(0, 11))]
            rng.shuffle(furn)
            blocks.append(Block(furn))
        paras = [(t, "body") for t in body[:k]]
        if len(paras) > 3 and rng.random() < 0.3:  # a caption or credit inside the article
            paras.insert(rng.randint(1, len(paras) - 1), (en_furniture_line(rng), "boilerplate"))
        blocks.append(Block(paras, "para"))
        if rng.random() < 0.2:
            blocks.append(Block([(en_furniture_line(rng), "boilerplate")]))
        return blocks

    def en_comments(self, rng: random.Random) -> List[Block]:
        P = self.P
        if not P.en_comment_runs:
            return []
        run = rng.choice(P.en_comment_runs)
        k = min(len(run), rng.randint(3, 30))
        return [Block([(t, "comment") for t in run[:k]])]

    # ---- recipes
    def title_mode(self, rng: random.Random) -> str:
        r = rng.random()
        return "clickbait" if r < 0.25 else ("plain" if r < 0.6 else "own")

    def recipe_ar_news(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Arabic news page: Arabic chrome (site name, nav from WP/Joomla UI strings, real Arabic
        pages' boilerplate and section names, breadcrumb), a title (SNN article title = body, or a
        sure clickbait title = clickbait, ~25%), date/byline/read counter (boilerplate), SNN
        paragraphs of one article (body), share widget, then maybe a related/teaser block
        (boilerplate + clickbait), maybe a comment section (UI strings + AOC/Hespress comments
        with author/time lines), footer (boilerplate)."""
        blocks = [self.ar_header(rng)]
        blocks += self.ar_article(rng, "clickbait" if rng.random() < 0.25 else "plain")
        tail: List[List[Block]] = []
        if rng.random() < 0.6:
            tail.append([self.teaser(rng, "ar")])
        if rng.random() < 0.7:
            tail.append(self.ar_comments(rng))
        rng.shuffle(tail)
        for t in tail:
            blocks += t
        blocks.append(self.ar_footer(rng))
        return "ar", assemble(blocks, rng)

    def recipe_mixed_en_article_ar_chrome(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Mixed page: Arabic header/footer chrome around an English article (body lines of a real
        English page of the same split, optionally under a restyled headline), Arabic comment
        section and maybe an Arabic teaser block."""
        blocks = [self.ar_header(rng)]
        if rng.random() < 0.5:
            blocks.append(Block([(ar_date(rng), "boilerplate")]))
        blocks += self.en_article(rng, self.title_mode(rng))
        if rng.random() < 0.5:
            blocks.append(self.teaser(rng, "ar"))
        if rng.random() < 0.8:
            blocks += self.ar_comments(rng)
        blocks.append(self.ar_footer(rng))
        return "mixed", assemble(blocks, rng)

    def recipe_mixed_ar_article_en_chrome(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Mixed page: English chrome (header/footer runs of real English pages' boilerplate) around
        an SNN Arabic article, English comments (a run of real Dragnet comment lines), maybe an
        English teaser block (chakraborty, restyled)."""
        blocks = [self.en_header(rng)]
        blocks += self.ar_article(rng, "clickbait" if rng.random() < 0.15 else "plain")
        if rng.random() < 0.5:
            blocks.append(self.teaser(rng, "en"))
        if rng.random() < 0.8:
            blocks += self.en_comments(rng)
        blocks.append(self.en_footer(rng))
        return "mixed", assemble(blocks, rng)

    def recipe_en_news(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """English page: real header chrome, a restyled headline (clickbait title -> clickbait,
        plain -> body) or none, body lines of a real English page, a teaser block (~70%),
        maybe real Dragnet comments, real footer chrome."""
        blocks = [self.en_header(rng)]
        blocks += self.en_article(rng, self.title_mode(rng))
        if rng.random() < 0.7:
            blocks.append(self.teaser(rng, "en"))
        if rng.random() < 0.4:
            blocks += self.en_comments(rng)
        blocks.append(self.en_footer(rng))
        return "en", assemble(blocks, rng)

    def recipe_real_en_teaser(self, rng: random.Random) -> Tuple[str, List[dict], dict]:
        """A real English page of the split, unchanged, with a teaser block (English, restyled)
        injected right after its last body line (before any comments); blank lines around it
        follow the page's own blank-line mode."""
        page = rng.choice(self.P.real_en_pages)
        lines = [dict(ln) for ln in page["lines"]]
        last_body = max(i for i, ln in enumerate(lines) if ln["label"] == "body")
        tb = self.teaser(rng, "en")
        blank = rng.random() < 0.6
        ins: List[dict] = []
        if blank:
            ins.append({"text": "", "label": None})
        ins += [{"text": t, "label": l, "part": "teaser"} for t, l in tb.lines]
        if blank:
            ins.append({"text": "", "label": None})
        lines = lines[:last_body + 1] + ins + lines[last_body + 1:]
        return "en", lines, page


RECIPES = (("ar_news", 0.38), ("mixed_en_article_ar_chrome", 0.14), ("mixed_ar_article_en_chrome", 0.14),
           ("en_news", 0.20), ("real_en_teaser", 0.14))
N_COMPOSED = {"train": 2600, "dev": 350, "test": 600}
# Pools each recipe cannot do without: every inner tuple needs at least one non-empty pool.
# That is the real part a page is about (its article) and, for the mixed recipes, a real
# part in the other language (chrome made only of the built-in lists above would make the
# page "mixed" in name only); en_headlines / en_clickbait because English titles and
# teasers draw from both unguarded. A licence-filtered build can empty any pool; a recipe
# missing one is skipped (see compose_split) rather than crashing or padding pages.
RECIPE_NEEDS: Dict[str, Tuple[Tuple[str, ...], ...]] = {
    "ar_news": (("ar_articles",),),
    "mixed_en_article_ar_chrome": (("en_articles",), ("en_headlines",), ("en_clickbait",),
                                   ("ar_ui_boiler", "ar_page_boiler", "ar_ui_comment", "ar_page_comment",
                                    "ar_comments", "hes_comments")),
    "mixed_ar_article_en_chrome": (("ar_articles",), ("en_headlines",), ("en_clickbait",),
                                   ("en_header", "en_footer", "en_boiler_lines", "en_comment_runs")),
    "en_news": (("en_articles",), ("en_headlines",), ("en_clickbait",)),
    "real_en_teaser": (("real_en_pages",), ("en_headlines",), ("en_clickbait",)),
}


def missing_needs(P: Pools) -> Dict[str, List[str]]:
    """recipe -> the needs (RECIPE_NEEDS, "a|b" for alternatives) that P leaves empty; only
    recipes that cannot be composed from P are listed."""
    out: Dict[str, List[str]] = {}
    for recipe, _ in RECIPES:
        miss = ["|".join(alts) for alts in RECIPE_NEEDS[recipe] if not any(getattr(P, a) for a in alts)]
        if miss:
            out[recipe] = miss
    return out


def compose_split(split: str, P: Pools, caser: Caser, seed: int, n: int, stats: collections.Counter,
                  skip: AbstractSet[str] = frozenset()) -> List[dict]:
    """n composed pages of one split, each recipe drawn by weight (RECIPES).

    A page whose drawn recipe is in ``skip`` is not made, and the draws go on as if it
    were: the recipe sequence and every page's own seed (split, index) stay those of the
    full build, so a filtered build is reproducible, its other recipes keep their share,
    and page ids keep their index (with gaps)."""
    rng = random.Random(_h("compose", seed, split))
    comp = Composer(P, caser, stats)
    pages = []
    names = [r for r, _ in RECIPES]
    weights = [w for _, w in RECIPES]
    for i in range(n):
        recipe = rng.choices(names, weights)[0]
        if recipe in skip:
            stats[f"recipe skipped {split} {recipe}"] += 1
            continue
        prng = random.Random(_h("page", seed, split, i))
        host = f"{recipe.replace('_', '-')}-{split}-{i % 40:02d}.composed"
        if recipe == "real_en_teaser":
            lang, lines, src_page = comp.recipe_real_en_teaser(prng)
            host = src_page["host"]
        else:
            lang, lines = getattr(comp, "recipe_" + recipe)(prng)
        lines = [{k: ln[k] for k in ("text", "label", "part") if k in ln} for ln in lines]
        while lines and not lines[-1]["text"]:
            lines.pop()
        pages.append({"page_id": f"composed/{split}/{recipe}/{i:05d}", "source": "composed", "lang": lang,
                      "host": host, "composed": True, "recipe": recipe, "lines": lines})
    return pages


# --------------------------------------------------------------------------- main build
PAGE_FILES = ("pages/dragnet.jsonl.gz", "pages/cleaneval.jsonl.gz", "pages/aeb.jsonl.gz",
              "pages/arabic_pages.jsonl.gz", "pages/wcxb_dev.jsonl.gz")


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
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as gz:
            for p in out_pages[s]:
                gz.write((json.dumps(p, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        with open(os.path.join(out_dir, f"{s}.jsonl.gz"), "wb") as fh:
            fh.write(buf.getvalue())

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
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as gz:
        for lang, label, items in (("en", "clickbait", P.en_clickbait), ("en", "headline", P.en_headlines),
                                   ("ar", "clickbait", P.ar_clickbait), ("ar", "headline", P.ar_headlines)):
            for t in items:
                gz.write((json.dumps({"text": t, "label": label, "lang": lang}, ensure_ascii=False) + "\n").encode("utf-8"))
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
