"""The per-split pools of real parts that composed pages are made from (training.compose).

build_text_pools reads the text/ and headlines/ sources (SaudiNewsNet articles, Arabic UI
strings, AOC and Hespress comments, the headline sources, some through
training.headline_pools) and puts each item in a split by a salted hash of its key
(training.splitting); add_page_pools harvests parts of each split's real pages (English
bodies, chrome and comment runs, Arabic page chrome) into that split's pools. A source the
licence filter excludes reads as empty, and its pools stay empty.

Arabic article titles: the project's first annotation (headlines/saudinewsnet_annotated)
labels 2,000 titles; a second one, made the same way for this repository
(training/annotations/: labels keyed by a hash of the title, never the text), labels the
8,821 SaudiNewsNet article titles the first did not. Its clickbait titles leave every
split's plain pools and join the train split's clickbait pool; held-out clickbait stays
the first annotation's sure titles.
"""
from __future__ import annotations

import collections
import re
from typing import AbstractSet, Dict, List, Optional, Tuple

from . import headline_pools
from .sources import _read_source, _source_path, normalise_aoc, read_title_labels, title_key
from .splitting import SPLITS, _hash_split


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
