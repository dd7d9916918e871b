"""Build the HTML corpus: the real pages as HTML, each extracted line labelled by alignment.

    python -m training.html_corpus --data ../shared/data --out build/html_corpus \
        --text-corpus build/corpus [--seed 13]

Reads ``<data>/html/*.tar.gz`` (Dragnet, CleanEval, the Scrapinghub article-extraction
benchmark, the Arabic pages, WCXB's development split), runs :func:`classifier.html.extract` on every page and labels
each extracted line body / comment / boilerplate by aligning it to the page's gold text.
Writes ``<out>/{train,dev,test}.jsonl.gz``, one page a line::

    {"page_id", "source", "lang", "host", "group", "html": <raw html as str>,
     "lines": [{"text", "label"}, ...]}

where ``lines`` is exactly ``extract(html).lines`` (so training can recompute the DOM cues
from ``html``; WCXB records add ``page_type``), ``<out>/summary.txt`` and
``<out>/wcxb_pages.json`` (every WCXB page's split, site, page type and fate, and the sites
of all train pages: what ``training.wcxb_html_eval`` holds out). Deterministic: no randomness is involved except
the seeded hash split of pages that ``training/splits.json`` does not know.

Alignment (why each rule, measured on the data; see ``--inspect``):

* tokens: NFKC, lower case, ``\\w+`` runs (quotes and dashes differ between gold files and
  pages; words do not);
* a line of >= 3 tokens is covered by the gold body (``cb``) / gold comments (``cc``) by the
  share of its token 3-grams found in the gold's 3-grams. Copies are handled as a multiset:
  lines are matched in order of how body-dense their neighbourhood is, and each match
  consumes the gold 3-grams it used, so a second copy of a gold paragraph (a teaser, the
  headline in a breadcrumb) finds them spent and stays boilerplate;
* a line of 1-2 tokens is body (comment) only when its tokens occur in that order in the
  gold and, either it is a whole gold line (a subheading, "Abstract"), or a matched long
  line lies within two lines of it (a short paragraph inside the article);
* ``COVERAGE`` (0.6) was chosen with ``--inspect``: agreement with the line labels of
  ``<data>/pages`` (the same pages labelled from their own DOM blocks) is flat from 0.3 to
  0.7 on Dragnet and AEB (0.970 / 0.987) and peaks at 0.6 on CleanEval (0.971);
* a line without a word ("-", "—————", "|") takes the label of its neighbours when both
  have the same one, so a separator inside the article or a comment stays with it;
* Dragnet and AEB lines under an element whose class or id names a comment area
  (``cls_comment`` cue) that the gold did not claim as body are ``comment``: the comment
  prompts, forms and author lines that gold files leave out but LABELS.md counts as
  comment (the text corpus does the same, ``cmt_dom``); CleanEval has no comment class;
* AEB gold has no headline: the page's h1 (or last heading) just before the first body
  line is body when its tokens overlap the HTML ``<title>`` (the text corpus's
  ``title_heur``);
* WCXB (Foley 2026, CC-BY-4.0; 2025 pages of seven page types) is aligned to its gold
  ``main_content``, which leaves the headline out: the line within 15 lines before the first
  body line that shares half of its words both ways with the gold ``title`` (else
  ``og:title``, else ``<title>``), a heading first and never a link, is body
  (``add_gold_title``; found on ~90% of the pages). Gold body lines the guide calls
  furniture (captions, bylines and dates, breadcrumbs, related lists) go to boilerplate by
  the text corpus's DOM-name rule (``training.corpus.guide_relabel``), and comment
  containers become ``comment`` as for Dragnet and AEB. **Forum pages are left out** (the
  text corpus's written rule): WCXB counts every post as main content where the guide calls
  the replies comments, and no post boundary holds across forum engines;
* pages whose gold body words are recovered by body lines at < 0.8 (``gold_recall``) are
  misaligned (gold from another version of the page, extraction differences) and dropped,
  as in the text corpus; so are pages without gold text and non-English AEB pages.

Splits: the text corpus's ``training/splits.json`` decides. A page listed there keeps its
split; any other page follows the split of its site group (host from the text pages' URL,
or Dragnet's canonical link, through the same site key), else a salted hash of its id, as
``training.corpus`` does, so no host of the text test split is trained on. WCXB pages are
not in ``splits.json``: with ``--text-corpus`` they take the split the built text corpus
gave them (by their site group), or that of their site there; else a salted hash of their
site (70/10/20), so a site never straddles two splits.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import os
import re
import sys
import tarfile
import unicodedata
from html import unescape
from typing import Dict, Iterator, List, Optional, Sequence, Tuple
from urllib.parse import urlparse

import numpy as np

from classifier.html import CUE_NAMES, decode_html, extract

from .relabel import guide_relabel
from .splitting import SPLITS, SPLITS_JSON, _hash_split, dragnet_hosts, site_key

COVERAGE = 0.6
RECALL_MIN = 0.8
SHORT_WINDOW = 2
# the separator is typed by hand: 380 files use "!@#$%^&*()  COMMENTS", 36 a variant
# ("!@#$%^&*   COMMENTS", "!@ $%^&*()  COMMENTS", tabs...): symbols, then COMMENTS
_COMMENT_MARK = re.compile(r"^[!@#$%^&*() \t]{3,}COMMENTS\s*$", re.M)
_WORD = re.compile(r"\w+")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_CE_WRAPPER = re.compile(r"^\s*<text\b[^>]*>\s*", re.I)
_CE_MARKUP = re.compile(r"^\s*<[phl]>\s*", re.M)
_CUE = {name: i for i, name in enumerate(CUE_NAMES)}
# comment-area false positives found in the text corpus (training.corpus findings)
_NOT_COMMENT_AREA = re.compile(
    r"correspondent|most[_-]?(commented|popular|recommended|read)|mostpopular|"
    r"commentleaderboard|buzzbox|footer", re.I)


# --------------------------------------------------------------------------- reading
def _text(data: bytes) -> str:
    """Gold files: UTF-8, else Windows-1252 (43 Dragnet and 48 CleanEval gold files)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


class RawPage:
    """One page as found in the archives: id, HTML bytes, gold body and comment text.

    ``meta`` carries what a source knows beyond its gold text (WCXB: url, domain, page
    type, gold title), which the labelling rules and the WCXB evaluation read."""

    def __init__(self, page_id: str, source: str, html: bytes, body: str, comments: str = "",
                 gold_lines: Optional[List[Tuple[str, str]]] = None, meta: Optional[dict] = None):
        self.page_id, self.source, self.html = page_id, source, html
        self.body, self.comments, self.gold_lines = body, comments, gold_lines
        self.meta = meta or {}


def _members(path: str) -> Dict[str, bytes]:
    out: Dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tf:
        for m in tf:
            if m.isfile():
                fh = tf.extractfile(m)
                if fh is not None:
                    out[m.name] = fh.read()
    return out


def read_dragnet(data: str) -> Iterator[RawPage]:
    files = _members(os.path.join(data, "html", "dragnet.tar.gz"))
    for name in sorted(files):
        if "/HTML/" not in name:
            continue
        stem = name.rsplit("/", 1)[1].rsplit(".", 1)[0]
        gold = files.get(f"dragnet/Corrected/{stem}.html.corrected.txt")
        if gold is None:
            continue
        text = _text(gold)
        m = _COMMENT_MARK.search(text)
        body, comments = (text[:m.start()], text[m.end():]) if m else (text, "")
        yield RawPage("dragnet/" + stem, "dragnet", files[name], body, comments)


def read_cleaneval(data: str) -> Iterator[RawPage]:
    files = _members(os.path.join(data, "html", "cleaneval.tar.gz"))
    for name in sorted(files):
        m = re.match(r"cleaneval/cleaneval-(dev|final)/input/(\d+)\.html?$", name)
        if not m:
            continue
        gold = files.get(f"cleaneval/cleaneval-{m.group(1)}/GoldStandard/{m.group(2)}.txt")
        if gold is None:
            continue
        text = _text(gold)
        if text.startswith("URL:"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        text = _CE_MARKUP.sub("", text)
        html = files[name]
        # the CleanEval archive wraps every page in <text id=... title=...>...</text>:
        # an artefact of the dataset, not part of the page
        head = html[:2000]
        mm = _CE_WRAPPER.match(head.decode("latin-1"))
        if mm:
            html = html[mm.end():]
            tail = html.rstrip()
            if tail.lower().endswith(b"</text>"):
                html = tail[:-7]
        yield RawPage(f"cleaneval/{m.group(1)}/{m.group(2)}", "cleaneval", html, text)


def read_aeb(data: str) -> Iterator[RawPage]:
    files = _members(os.path.join(data, "html", "aeb.tar.gz"))
    truth = json.loads(files["aeb/ground-truth.json"].decode("utf-8"))
    for key in sorted(truth):
        raw = files.get(f"aeb/html/{key}.html.gz")
        if raw is None:
            continue
        yield RawPage("aeb/" + key[:16], "scrapinghub_aeb", gzip.decompress(raw),
                      truth[key].get("articleBody") or "")


def read_corpus(path: str | os.PathLike[str]) -> List[dict]:
    """The records of a gzipped JSONL file: a corpus split written here or by
    ``training.corpus``."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(raw) for raw in fh if raw.strip()]


def _labelled_pages(data: str, name: str) -> List[dict]:
    """The records of ``pages/<name>`` (none when the file is absent)."""
    path = os.path.join(data, "pages", name)
    return read_corpus(path) if os.path.exists(path) else []


def read_arabic(data: str) -> Iterator[RawPage]:
    """The CNN page has a gold text; the four 2020 pages were labelled by hand from their
    DOM in ``pages/arabic_pages.jsonl.gz``: those labelled lines are their gold."""
    files = _members(os.path.join(data, "html", "arabic.tar.gz"))
    labelled = {p["page_id"]: p for p in _labelled_pages(data, "arabic_pages.jsonl.gz")}
    for name in sorted(files):
        if not name.endswith(".html"):
            continue
        stem = name.rsplit("/", 1)[1][:-5]
        if stem == "n4k_arabic_article":
            gold = files.get("arabic/n4k_arabic_article.txt")
            if gold is not None:
                yield RawPage("cnnarabic-2013-syria-clashes", "arabic_pages", files[name], _text(gold))
            continue
        page = labelled.get("htmldate-" + stem)
        if page is None:
            continue
        pairs = [(ln["text"], ln["label"]) for ln in page["lines"] if ln["text"].strip()]
        body = "\n".join(t for t, lab in pairs if lab == "body")
        comments = "\n".join(t for t, lab in pairs if lab == "comment")
        yield RawPage("htmldate-" + stem, "arabic_pages", files[name], body, comments, pairs)


WCXB_TAR = os.path.join("html", "wcxb_dev.tar.gz")


def _wcxb_page_type(gt: dict) -> str:
    """The page type of a WCXB ground-truth file: schema 2.0 keeps it under
    ``_internal.page_type.primary``; a flat ``page_type`` (string or dict) is read too, so a
    later schema does not silently turn every page into "unknown"."""
    for holder in (gt.get("_internal") or {}, gt, gt.get("ground_truth") or {}):
        pt = holder.get("page_type")
        if isinstance(pt, dict):
            pt = pt.get("primary")
        if isinstance(pt, str) and pt:
            return pt
    return "unknown"


def read_wcxb(data: str) -> Iterator[RawPage]:
    """WCXB's development split (Foley 2026, CC-BY-4.0): ``wcxb_dev/html/ID.html.gz`` with
    ``wcxb_dev/ground-truth/ID.json`` (gold ``main_content``, ``title``, page type).

    Page ids are ``wcxb_dev/ID``, the ids of ``pages/wcxb_dev.jsonl.gz``, so the text and
    HTML corpora name a page alike and their splits can be compared. The gold title goes
    into ``meta`` (WCXB's main content leaves the headline out; the guide calls it body)."""
    files = _members(os.path.join(data, WCXB_TAR))
    for name in sorted(files):
        m = re.match(r"(?:.*/)?ground-truth/([^/]+)\.json$", name)
        if not m:
            continue
        stem = m.group(1)
        prefix = name[:m.start(1)].rsplit("ground-truth/", 1)[0]
        raw = files.get(f"{prefix}html/{stem}.html.gz")
        if raw is None:
            continue
        gt = json.loads(files[name].decode("utf-8"))
        truth = gt.get("ground_truth") or {}
        url = gt.get("url") or ""
        meta = {"url": url, "domain": urlparse(url).netloc.lower(), "page_type": _wcxb_page_type(gt),
                "title": truth.get("title") or ""}
        yield RawPage("wcxb_dev/" + stem, "wcxb", gzip.decompress(raw), truth.get("main_content") or "",
                      meta=meta)


READERS = {"dragnet": read_dragnet, "cleaneval": read_cleaneval, "aeb": read_aeb,
           "arabic": read_arabic, "wcxb": read_wcxb}


# --------------------------------------------------------------------------- alignment
def tokens(text: str) -> List[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def ngrams(toks: Sequence[str], n: int) -> List[Tuple[str, ...]]:
    return [tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)]


class Gold:
    """One gold text (body or comments) as what the alignment asks of it."""

    def __init__(self, text: str):
        toks = tokens(text)
        self.words = toks
        self.n_tokens = len(toks)
        self.tri = collections.Counter(ngrams(toks, 3))
        self.short = {n: set(ngrams(toks, n)) for n in (1, 2)}
        self.lines = {" ".join(tokens(t)) for t in text.splitlines() if t.strip()}

    def coverage(self, toks: Sequence[str], available: Optional[collections.Counter] = None) -> float:
        grams = ngrams(toks, 3)
        if not grams:
            return 0.0
        pool = self.tri if available is None else available
        need = collections.Counter(grams)
        return sum(min(c, pool.get(g, 0)) for g, c in need.items()) / len(grams)


def align(lines: Sequence[str], body: Gold, comments: Gold, *,
          coverage: float = COVERAGE) -> Tuple[List[str], dict]:
    """Label lines body / comment / boilerplate against gold body and comments.

    Returns the labels and the alignment facts (per-line cb/cc and the page's
    gold_recall)."""
    n = len(lines)
    toks = [tokens(t) for t in lines]
    labels = ["boilerplate"] * n
    cb = [body.coverage(t) for t in toks]
    cc = [comments.coverage(t) for t in toks] if comments.n_tokens else [0.0] * n
    long_ = [len(t) >= 3 for t in toks]
    for which, gold, cov in (("body", body, cb), ("comment", comments, cc)):
        if not gold.n_tokens:
            continue
        cand = [i for i in range(n) if long_[i] and cov[i] >= coverage and labels[i] == "boilerplate"
                and (cb[i] >= cc[i] if which == "body" else cc[i] > cb[i])]
        is_cand = np.zeros(n + 2 * 3)
        for i in cand:
            is_cand[i + 3] = 1.0
        density = {i: float(is_cand[i:i + 7].sum()) + cov[i] for i in cand}
        available = collections.Counter(gold.tri)
        for i in sorted(cand, key=lambda k: (-density[k], k)):
            if gold.coverage(toks[i], available) >= coverage:
                labels[i] = which
                for g in ngrams(toks[i], 3):
                    if available.get(g, 0) > 0:
                        available[g] -= 1
        # short lines: the gold holds them and a matched long line is near, or they are a
        # whole gold line
        matched = [i for i in range(n) if labels[i] == which]
        for i in range(n):
            t = toks[i]
            if labels[i] != "boilerplate" or not 1 <= len(t) <= 2:
                continue
            if tuple(t) not in gold.short[len(t)]:
                continue
            whole = " ".join(t) in gold.lines
            near = any(abs(j - i) <= SHORT_WINDOW for j in matched)
            if near and (whole or len(t) == 2 or _neighbours_matched(labels, i, which)):
                labels[i] = which
    for i in range(n):  # wordless lines between two lines of one label take that label
        if not toks[i] and 0 < i < n - 1 and labels[i - 1] == labels[i + 1] != "boilerplate":
            labels[i] = labels[i - 1]
    # recall in words, not 3-grams: a gold paragraph that the page breaks over two lines
    # (a <br>, a table cell) has 3-grams across the break that no line can hold
    gold_words = collections.Counter(body.words)
    found = collections.Counter(w for i in range(n) if labels[i] == "body" for w in toks[i])
    recovered = sum(min(c, gold_words[w]) for w, c in found.items())
    gold_recall = recovered / len(body.words) if body.words else None
    return labels, {"cb": cb, "cc": cc, "gold_recall": gold_recall}


def _neighbours_matched(labels: Sequence[str], i: int, which: str) -> bool:
    """A one-word line inside the article: matched lines on both sides within the window."""
    before = any(labels[j] == which for j in range(max(0, i - SHORT_WINDOW), i))
    after = any(labels[j] == which for j in range(i + 1, min(len(labels), i + 1 + SHORT_WINDOW)))
    return before and after


def add_title(lines: Sequence[str], cues: np.ndarray, labels: List[str], html_text: str) -> bool:
    """AEB: the headline before the first body line is body when it overlaps ``<title>``."""
    m = _TITLE.search(html_text[:200000])
    if not m or "body" not in labels:
        return False
    title = set(tokens(re.sub(r"<[^>]+>", " ", m.group(1))))
    first = labels.index("body")
    heading = cues[:, _CUE["in_heading"]] >= 0.5
    h1 = cues[:, _CUE["in_h1"]] >= 0.5
    options = [i for i in range(max(0, first - 15), first) if heading[i]]
    options.sort(key=lambda i: (not h1[i], -i))
    for i in options:
        t = set(tokens(lines[i]))
        if t and len(t & title) / len(t) >= 0.5 and labels[i] == "boilerplate":
            labels[i] = "body"
            return True
    return False


_OG_TITLE = (re.compile(r"<meta[^>]+property=[\"']og:title[\"'][^>]*content=[\"']([^\"']*)", re.I),
             re.compile(r"<meta[^>]+content=[\"']([^\"']*)[\"'][^>]*property=[\"']og:title", re.I))


def og_title(html_text: str) -> str:
    """The page's ``og:title`` (what the publisher calls the headline, no site suffix), or ""."""
    head = html_text[:200000]
    for pat in _OG_TITLE:
        m = pat.search(head)
        if m:
            return unescape(m.group(1))
    return ""


def _two_way(line: set, title: set) -> bool:
    """Line and title share at least half of each one's words: the headline, not a heading
    that happens to reuse a word of it, nor a breadcrumb holding the headline and more."""
    if not line or not title:
        return False
    both = len(line & title)
    return both / len(line) >= 0.5 and both / len(title) >= 0.5


def add_gold_title(lines: Sequence[str], cues: np.ndarray, labels: List[str], html_text: str,
                   gold_title: str) -> bool:
    """WCXB: the page's own headline line -> body (the guide's headline; WCXB's main content
    leaves it out). The title to match is the gold ``title``, else ``og:title``, else
    ``<title>`` (site names trail it, so only the line's words must be in it). As in
    :func:`add_title`, the line sits at most 15 lines before the first body line, a heading
    (h1 first, then the nearest) before any other line, and a link is never the headline
    (a teaser or breadcrumb copy of it is furniture)."""
    if "body" not in labels:
        return False
    first = labels.index("body")
    heading = cues[:, _CUE["in_heading"]] >= 0.5
    h1 = cues[:, _CUE["in_h1"]] >= 0.5
    link = cues[:, _CUE["in_a"]] >= 0.5
    window = [i for i in range(max(0, first - 15), first)
              if labels[i] == "boilerplate" and not link[i] and tokens(lines[i])]
    window.sort(key=lambda i: (not heading[i], not h1[i], -i))
    gold = set(tokens(gold_title)) or set(tokens(og_title(html_text)))
    if gold:
        def match(t: set) -> bool:
            return _two_way(t, gold)
    else:
        m = _TITLE.search(html_text[:200000])
        page = set(tokens(unescape(re.sub(r"<[^>]+>", " ", m.group(1))))) if m else set()

        def match(t: set) -> bool:
            return len(t) >= 2 and len(t & page) / len(t) >= 0.5
    for i in window:
        if match(set(tokens(lines[i]))):
            labels[i] = "body"
            return True
    return False


def guide_lines(lines: Sequence[str], paths: Sequence[str], labels: List[str],
                source: str = "wcxb") -> collections.Counter:
    """Body lines the guide calls furniture (captions, bylines and dates, breadcrumbs,
    related lists), found from the class/id names at the end of the line's DOM path by the
    text corpus's own rule (``training.corpus.guide_relabel``), so the two corpora label
    such lines alike. Returns the count per rule."""
    moved: collections.Counter = collections.Counter()
    for i, (text, path) in enumerate(zip(lines, paths)):
        if labels[i] != "body":
            continue
        rule = guide_relabel(source, text, path.replace("\u2026", ""))
        if rule:
            labels[i] = rule[1]
            moved[rule[0]] += 1
    return moved


def comment_area(lines: Sequence[str], paths: Sequence[str], cues: np.ndarray,
                 labels: List[str]) -> int:
    """Lines in a comment container (class/id words) that gold did not claim -> comment."""
    col = cues[:, _CUE["cls_comment"]]
    n = 0
    for i in range(len(lines)):
        if labels[i] == "boilerplate" and col[i] >= 0.5 and not _NOT_COMMENT_AREA.search(paths[i]):
            labels[i] = "comment"
            n += 1
    return n


# --------------------------------------------------------------------------- splits
def text_corpus_splits(text_corpus: Optional[str]) -> Tuple[Dict[str, str], Dict[str, str]]:
    """(page id -> split, site key -> split) of the real pages of a built text corpus.

    The text corpus places pages that ``splits.json`` does not know (WCXB's) by their site
    group, which unions sites sharing boilerplate; a plain domain hash disagrees on 43 of
    its 1,145 WCXB pages. Its composed training pages are built from the parts of its train
    pages, and the HTML model trains on them, so an HTML test page that is a text train page
    would be seen in training: the text corpus's split wins when it is given."""
    pages: Dict[str, str] = {}
    sites: Dict[str, str] = {}
    if not text_corpus:
        return pages, sites
    for s in SPLITS:
        path = os.path.join(text_corpus, f"{s}.jsonl.gz")
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} is missing: build the text corpus first "
                                    "(python -m training.corpus --data ../shared/data --out build/corpus --seed 13)")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for raw in fh:
                if '"composed":true' in raw.replace(" ", ""):
                    continue
                rec = json.loads(raw)
                if rec.get("composed"):
                    continue
                pages[rec["page_id"]] = s
                host = rec.get("host") or ""
                if "." in host and ":" not in host:
                    sites.setdefault(site_key(host), s)
    return pages, sites


def split_lookup(data: str, splits_path: str = SPLITS_JSON, text_corpus: Optional[str] = None,
                 hosts: Optional[Dict[str, str]] = None):
    """page id -> (split, group, rule) following ``training/splits.json`` and its site groups.

    ``hosts`` gives the host of pages no labelled-page file has a URL for (WCXB's, from its
    ground truth); ``text_corpus`` (a built ``training.corpus`` directory) makes its real
    pages' splits, and those of their sites, win (see :func:`text_corpus_splits`). A page
    known to neither goes by a salted hash of its site group (``"group:site:" + key``, the
    text corpus's rule for a new site), else of its id."""
    with open(splits_path, encoding="utf-8") as fh:
        spl = json.load(fh)
    page_split = {pid: s for s in SPLITS for pid in spl["real"][s]}
    page_group: Dict[str, str] = spl.get("page_group", {})
    group_split: Dict[str, str] = spl.get("group_split", {})
    salt = spl.get("pool_salt", spl.get("seed"))
    text_page, text_site = text_corpus_splits(text_corpus)
    dn = dragnet_hosts(data)
    urls: Dict[str, str] = {}
    for fn in ("dragnet.jsonl.gz", "cleaneval.jsonl.gz", "aeb.jsonl.gz", "arabic_pages.jsonl.gz"):
        for p in _labelled_pages(data, fn):
            if p.get("url"):
                urls[p["page_id"]] = p["url"]

    def host_of(pid: str) -> Optional[str]:
        if pid in urls:
            return urlparse(urls[pid]).netloc.lower() or None
        if hosts and hosts.get(pid):
            return hosts[pid]
        return dn.get(pid)

    # site key -> split of the groups that hold it (any one is enough to pin it)
    key_split: Dict[str, str] = {}
    for pid, group in page_group.items():
        h = host_of(pid)
        if h and group in group_split:
            key_split.setdefault(site_key(h), group_split[group])

    def lookup(pid: str) -> Tuple[str, str, str]:
        h = host_of(pid)
        key = site_key(h) if h else None
        group = page_group.get(pid) or ("site:" + key if key else "page:" + pid)
        if pid in page_split:
            return page_split[pid], group, "splits.json"
        if pid in text_page:
            return text_page[pid], group, "text corpus page"
        if group in group_split:
            return group_split[group], group, "site group"
        if key and key in key_split:
            return key_split[key], group, "site key"
        if key and key in text_site:
            return text_site[key], group, "text corpus site"
        if key and hosts and pid in hosts:  # the older sources keep their page hash
            return _hash_split("group:" + group, salt), group, "site hash"
        return _hash_split("page:" + pid, salt), group, "hash"

    lookup.host_of = host_of  # type: ignore[attr-defined]
    return lookup


# --------------------------------------------------------------------------- build
def label_page(raw: RawPage, lang_of: Dict[str, str]) -> Tuple[Optional[dict], dict]:
    """Extract and label one page; (record or None when dropped, facts for the summary)."""
    facts: dict = {"source": raw.source}
    if raw.source == "wcxb" and raw.meta.get("page_type") == "forum":
        # WCXB's gold counts every post as main content, the guide calls the replies
        # comments, and no post boundary is reliable across forum engines: kept out of
        # training as in the text corpus; training.wcxb_html_eval still scores them (body
        # and comment together as main content)
        facts["dropped"] = "WCXB forum page (gold counts replies as main content)"
        return None, facts
    html_text, encoding = decode_html(raw.html)
    facts["encoding"] = encoding
    ext = extract(raw.html)
    if not tokens(raw.body):
        facts["dropped"] = "no gold text"
        return None, facts
    if raw.source == "scrapinghub_aeb" and lang_of.get(raw.page_id, "en") != "en":
        facts["dropped"] = "non-English AEB page"
        return None, facts
    if not ext.lines:
        facts["dropped"] = "no lines extracted"
        return None, facts
    labels, info = align(ext.lines, Gold(raw.body), Gold(raw.comments))
    facts["gold_recall"] = info["gold_recall"]
    if raw.source == "scrapinghub_aeb":
        facts["title added"] = add_title(ext.lines, ext.cues, labels, html_text)
    if raw.source == "wcxb":
        facts["title added"] = add_gold_title(ext.lines, ext.cues, labels, html_text,
                                              raw.meta.get("title", ""))
        facts["guide"] = guide_lines(ext.lines, ext.paths, labels)
    if raw.source in ("dragnet", "scrapinghub_aeb", "wcxb"):
        facts["comment-area lines"] = comment_area(ext.lines, ext.paths, ext.cues, labels)
    if info["gold_recall"] is not None and info["gold_recall"] < RECALL_MIN:
        facts["dropped"] = f"gold_recall < {RECALL_MIN}"
        return None, facts
    lang = "ar" if raw.source == "arabic_pages" else "en"
    rec = {"page_id": raw.page_id, "source": raw.source, "lang": lang, "html": html_text,
           "lines": [{"text": t, "label": lab} for t, lab in zip(ext.lines, labels)]}
    if raw.meta.get("page_type"):
        rec["page_type"] = raw.meta["page_type"]
    return rec, facts


def _languages(data: str) -> Dict[str, str]:
    out: Dict[str, str] = {p["page_id"]: p.get("lang") or "?"
                           for p in _labelled_pages(data, "aeb.jsonl.gz")}
    return out


def build(data: str, out: str, sources: Sequence[str] = tuple(READERS), limit: Optional[int] = None,
          text_corpus: Optional[str] = None) -> str:
    """Build the corpus into ``out``; return the summary.

    Besides the splits, writes ``<out>/wcxb_pages.json`` when WCXB is read: every WCXB page
    with its split, site and page type, whether it was kept and why not, and the site keys
    of every train page of the corpus (``train_sites``). The WCXB evaluation reads it to
    score *all* held-out pages (forum and misaligned ones too, which the corpus drops) and
    to make sure none of their sites was trained on."""
    wcxb_hosts: Dict[str, str] = {}
    lookup = split_lookup(data, text_corpus=text_corpus, hosts=wcxb_hosts)
    lang_of = _languages(data)
    by_split: Dict[str, List[dict]] = {s: [] for s in SPLITS}
    stats: collections.Counter = collections.Counter()
    how: collections.Counter = collections.Counter()
    wcxb: Dict[str, dict] = {}
    train_sites: set = set()
    for src in sources:
        for k, raw in enumerate(READERS[src](data)):
            if limit is not None and k >= limit:
                break
            stats[(raw.source, "read")] += 1
            if raw.meta.get("domain"):
                wcxb_hosts[raw.page_id] = raw.meta["domain"]
            rec, facts = label_page(raw, lang_of)
            if facts.get("comment-area lines"):
                stats[(raw.source, "comment-area lines")] += facts["comment-area lines"]
            if facts.get("title added"):
                stats[(raw.source, "headline added")] += 1
            for rule, n in (facts.get("guide") or {}).items():
                stats[(raw.source, f"guide: body -> boilerplate ({rule})")] += n
            split, group, rule = lookup(raw.page_id)
            host = lookup.host_of(raw.page_id)  # type: ignore[attr-defined]
            if raw.source == "wcxb":
                wcxb[raw.page_id] = {"split": split, "group": group, "domain": raw.meta.get("domain", ""),
                                     "site": site_key(host) if host else None,
                                     "page_type": raw.meta.get("page_type", "unknown"),
                                     "kept": rec is not None, "dropped": facts.get("dropped"),
                                     "gold_recall": facts.get("gold_recall")}
            if rec is None:
                stats[(raw.source, "dropped: " + facts["dropped"])] += 1
                continue
            how[(raw.source, rule)] += 1
            rec["host"] = group
            rec["group"] = group
            by_split[split].append(rec)
            if split == "train":
                train_sites.add(site_key(host) if host else group)
    os.makedirs(out, exist_ok=True)
    for s in SPLITS:
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as gz:
            for rec in sorted(by_split[s], key=lambda r: r["page_id"]):
                gz.write((json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        with open(os.path.join(out, f"{s}.jsonl.gz"), "wb") as fh:
            fh.write(buf.getvalue())
    if wcxb:
        with open(os.path.join(out, WCXB_PAGES), "w", encoding="utf-8") as fh:
            json.dump({"pages": dict(sorted(wcxb.items())), "train_sites": sorted(train_sites)}, fh,
                      indent=1, sort_keys=True)
            fh.write("\n")
    text = summary(by_split, stats, how)
    if wcxb:
        text += "\n" + wcxb_summary(wcxb)
    with open(os.path.join(out, "summary.txt"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return text


WCXB_PAGES = "wcxb_pages.json"


def wcxb_summary(wcxb: Dict[str, dict]) -> str:
    """WCXB pages by split and page type: read / kept in the corpus."""
    types = sorted({p["page_type"] for p in wcxb.values()})
    out = ["== WCXB pages by split and page type (kept in the corpus / read)",
           f"  {'split':<6} " + " ".join(f"{t[:13]:>13}" for t in types)]
    for s in SPLITS:
        cells = []
        for t in types:
            ps = [p for p in wcxb.values() if p["split"] == s and p["page_type"] == t]
            cells.append(f"{sum(p['kept'] for p in ps):>6}/{len(ps):<6}")
        out.append(f"  {s:<6} " + " ".join(cells))
    return "\n".join(out)


def summary(by_split: Dict[str, List[dict]], stats: collections.Counter, how: collections.Counter) -> str:
    out = ["== pages read, dropped, kept (alignment)"]
    for (src, what), n in sorted(stats.items()):
        out.append(f"  {src:<18} {what:<32} {n:>6}")
    out.append("== split rule used (splits.json page id / site group / site key / hash)")
    for (src, rule), n in sorted(how.items()):
        out.append(f"  {src:<18} {rule:<32} {n:>6}")
    out.append("== pages and lines by split and source")
    out.append(f"  {'split':<6} {'source':<18} {'pages':>6} {'lines':>8} " +
               " ".join(f"{lab:>11}" for lab in ("body", "boilerplate", "comment")))
    for s in SPLITS:
        srcs = sorted({r["source"] for r in by_split[s]})
        for src in srcs + ["all"]:
            pages = [r for r in by_split[s] if src in ("all", r["source"])]
            c = collections.Counter(ln["label"] for r in pages for ln in r["lines"])
            out.append(f"  {s:<6} {src:<18} {len(pages):>6} {sum(c.values()):>8} " +
                       " ".join(f"{c[lab]:>11}" for lab in ("body", "boilerplate", "comment")))
    return "\n".join(out)


# --------------------------------------------------------------------------- inspection
def inspect(data: str, n_pages: int = 120) -> str:
    """Agreement of this alignment with the DOM-block labels of ``<data>/pages`` on lines
    with the same text, for several coverage thresholds (how COVERAGE was chosen)."""
    ref: Dict[str, Dict[str, str]] = {}
    for fn in ("dragnet.jsonl.gz", "cleaneval.jsonl.gz", "aeb.jsonl.gz"):
        with gzip.open(os.path.join(data, "pages", fn), "rt", encoding="utf-8") as fh:
            for raw in fh:
                p = json.loads(raw)
                ref[p["page_id"]] = {ln["text"]: ln["label"] for ln in p["lines"]
                                     if not ln.get("cmt_dom")}
    rows = []
    for src in ("dragnet", "cleaneval", "aeb"):
        for k, raw in enumerate(READERS[src](data)):
            if k >= n_pages:
                break
            if raw.page_id not in ref:
                continue
            ext = extract(raw.html)
            for thr in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                labels, _ = align(ext.lines, Gold(raw.body), Gold(raw.comments), coverage=thr)
                for t, lab in zip(ext.lines, labels):
                    if t in ref[raw.page_id]:
                        rows.append((src, thr, lab == ref[raw.page_id][t],
                                     lab == "body", ref[raw.page_id][t] == "body"))
    out = ["agreement with pages/*.jsonl labels (same text), by threshold",
           f"{'source':<12} {'thr':>4} {'lines':>7} {'agree':>7} {'body P':>7} {'body R':>7}"]
    for src in ("dragnet", "cleaneval", "aeb"):
        for thr in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            r = [x for x in rows if x[0] == src and x[1] == thr]
            if not r:
                continue
            tp = sum(1 for x in r if x[3] and x[4])
            out.append(f"{src:<12} {thr:>4} {len(r):>7} {sum(x[2] for x in r) / len(r):>7.4f} "
                       f"{tp / max(sum(x[3] for x in r), 1):>7.4f} {tp / max(sum(x[4] for x in r), 1):>7.4f}")
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.html_corpus", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="build/html_corpus")
    ap.add_argument("--seed", type=int, default=13,
                    help="kept for symmetry with training.corpus; the split comes from splits.json")
    ap.add_argument("--sources", nargs="*", default=list(READERS), choices=list(READERS))
    ap.add_argument("--limit", type=int, default=None, help="first N pages per source (quick runs)")
    ap.add_argument("--text-corpus", default=None, metavar="DIR",
                    help="a built training.corpus directory: its real pages' splits (and their "
                         "sites') decide the split of pages splits.json does not know (WCXB), so "
                         "no HTML test page is a text-corpus train page")
    ap.add_argument("--inspect", action="store_true",
                    help="print the threshold study instead of building")
    args = ap.parse_args(argv)
    if args.inspect:
        print(inspect(args.data))
        return 0
    print(build(args.data, args.out, args.sources, args.limit, text_corpus=args.text_corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
