"""Arabic title pools (``headlines/ar_pools/``): cleaning, the annotation sample, the labels.

    python -m training.ar_pools sample --data ../shared/data --out build/ar_annot --chunks 4
    python -m training.ar_pools import build/ar_annot            # answers -> annotations/ar_pool_titles.tsv
    python -m training.ar_pools agreement build/ar_annot         # second reading of the overlap

Why a module of its own: the pools are the only Arabic text in reach where sensational
titles are common (2015 Saudi news holds 0.3% clickbait), so they are annotated by reading
and then feed both the corpus (teaser widgets, page titles) and the headline scorer. Both
need the same cleaning and the same keys, so both live here.

Cleaning (``clean_title``): outlet names and hashtags carry the *source*, not the label
("عاجل |" posts are all plain, "#شاهد" posts mostly teasers from one account), so a model
that saw them would learn the outlet. We strip a trailing " - Outlet" suffix, trailing
hashtags, leading "#tag.." channel tags, URLs and collapse whitespace; a hashtag inside
the sentence loses its "#" and underscores only.

Sample (``draw_sample``): every title of the small pools (Gulf YouTube, home pages, news
API snippets), and from the big ones (Goud, Al Jazeera social, AraNews) half drawn among
titles that hold a hook (a hook word, "!"/"؟", an ellipsis, "فيديو"), half uniformly, so
the rare clickbait is well represented while the plain style of each source is kept.
``stratum`` records which, so rates can be reweighted. A seeded overlap of 160 titles is
put in two chunks each, blind, for a second reading.

Held-out part: split by *source* (``HELDOUT_SOURCES``), so the Arabic clickbait score in
the cross-source table is on an outlet and a dialect the model never trained on.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import os
import random
import re
import sys
from typing import Dict, List, Optional, Sequence, Tuple

from .annotation_files import tsv_rows
from .sources import title_key

POOL_DIR = os.path.join("headlines", "ar_pools")
POOL_FILES = (
    "goud_marsum_test.jsonl.gz",
    "asnd_aljazeera_social.jsonl.gz",
    "gulf_youtube_trending.jsonl.gz",
    "aranews_argen_tg_sample.jsonl.gz",
    "newsapi_snippets_eg.jsonl.gz",
    "homepage_headlines_2018_eg.jsonl.gz",
    "homepage_headlines_2021.jsonl.gz",
)
# how many to draw from the big pools (the small ones are taken whole)
DRAW = {"goud_marsum": 1000, "asnd_aljazeera_social": 1300, "aranews_argen_tg_sample": 400}
# the Moroccan tabloid: its Darija and its "-فيديو" teasers are seen nowhere else, so it is
# the fairest test of whether Arabic clickbait transfers.
HELDOUT_SOURCES = frozenset({"goud_marsum"})
LABELS_TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations", "ar_pool_titles.tsv")

_URL = re.compile(r"https?://\S+|www\.\S+|pic\.twitter\.com/\S+")
_TRAILING_TAGS = re.compile(r"(?:\s*#[\w\u0600-\u06FF_]+)+\s*$")
_LEADING_TAG = re.compile(r"^\s*#[\w\u0600-\u06FF_]+\s*(?:\.\.+|:|\||-)?\s*")
_INLINE_TAG = re.compile(r"#([\w\u0600-\u06FF]+)")
_OUTLET_SUFFIX = re.compile(r"\s+[-–|]\s+[^-–|]{2,40}$")
_SPACE = re.compile(r"\s+")
HOOK = re.compile(
    r"[!؟?]|\.\.\.|…|فيديو|بالفيديو|بالصور|شاهد|شوف|تعرف|اعرف|سر |أسرار|مفاجأة|مفاجاة|صادم|صدمة|فضيحة|لن تصدق|"
    r"ماذا|هكذا|هذا ما|هذه|السبب|حقيقة|عاجل|خطير|كارثة|لا يصدق|بالدموع|ينهار|يفاجئ|مثير")


def clean_title(text: str, source: str = "") -> str:
    """The title as a model should see it: no URL, outlet suffix or hashtag run."""
    s = _URL.sub(" ", text)
    s = _TRAILING_TAGS.sub("", s)
    s = _LEADING_TAG.sub("", s)
    s = _INLINE_TAG.sub(lambda m: m.group(1).replace("_", " "), s)
    if source.startswith("newsapi"):  # the aggregator appends " - Outlet" to every title
        s = _OUTLET_SUFFIX.sub("", s)
    return _SPACE.sub(" ", s).strip(" .-|")


def read_pools(data_dir: str) -> List[dict]:
    """Every pool item once, cleaned: {"key", "text", "source", "site"} (first copy wins)."""
    out: List[dict] = []
    seen = set()
    for name in POOL_FILES:
        path = os.path.join(data_dir, POOL_DIR, name)
        if not os.path.exists(path):
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for row in fh:
                rec = json.loads(row)
                src = rec.get("source") or name.split(".")[0]
                text = clean_title(rec["text"], src)
                if len(text) < 8:
                    continue
                key = title_key(text)
                if key in seen:
                    continue
                seen.add(key)
                out.append({"key": key, "text": text, "source": src, "site": rec.get("site", "")})
    return out


def draw_sample(items: Sequence[dict], seed: int = 20261206) -> List[dict]:
    """The titles to annotate, each with its ``stratum`` ("all", "hook" or "uniform")."""
    rng = random.Random(seed)
    by_src: Dict[str, List[dict]] = collections.defaultdict(list)
    for it in items:
        by_src[it["source"]].append(it)
    chosen: List[dict] = []
    for src in sorted(by_src):
        pool = by_src[src]
        n = DRAW.get(src)
        if n is None or n >= len(pool):
            chosen += [dict(it, stratum="all") for it in pool]
            continue
        hooked = [it for it in pool if HOOK.search(it["text"])]
        picked = rng.sample(hooked, min(len(hooked), n // 2))
        taken = {it["key"] for it in picked}
        rest = [it for it in pool if it["key"] not in taken]
        uniform = rng.sample(rest, n - len(picked))
        chosen += [dict(it, stratum="hook") for it in picked] + [dict(it, stratum="uniform") for it in uniform]
    rng.shuffle(chosen)
    return chosen


def write_chunks(sample: List[dict], out_dir: str, n_chunks: int, overlap: int = 160, seed: int = 7) -> None:
    """Chunk files for annotator sessions; ``overlap`` titles go into two chunks, blind."""
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    chunks: List[List[dict]] = [[] for _ in range(n_chunks)]
    for i, it in enumerate(sample):
        chunks[i % n_chunks].append(it)
    doubles = rng.sample(range(len(sample)), overlap)
    for j in doubles:
        home = j % n_chunks
        other = (home + 1 + rng.randrange(n_chunks - 1)) % n_chunks
        chunks[other].append(sample[j])
    for c, rows in enumerate(chunks):
        rng.shuffle(rows)
        with open(os.path.join(out_dir, f"chunk_{c}.jsonl"), "w", encoding="utf-8") as fh:
            for it in rows:
                fh.write(json.dumps({"id": it["key"], "text": it["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "sample.jsonl"), "w", encoding="utf-8") as fh:
        for it in sample:
            fh.write(json.dumps({k: it[k] for k in ("key", "source", "stratum")}) + "\n")


def read_answers(out_dir: str) -> Dict[str, List[Tuple[str, str]]]:
    """key -> [(label, confidence), ...] over every chunk's answer file."""
    got: Dict[str, List[Tuple[str, str]]] = collections.defaultdict(list)
    for name in sorted(os.listdir(out_dir)):
        if not (name.startswith("answers_") and name.endswith(".jsonl")):
            continue
        with open(os.path.join(out_dir, name), encoding="utf-8") as fh:
            for row in fh:
                row = row.strip()
                if not row:
                    continue
                rec = json.loads(row)
                if rec.get("label") in ("clickbait", "headline") and rec.get("confidence") in ("sure", "unsure"):
                    got[rec["id"]].append((rec["label"], rec["confidence"]))
    return got


def import_answers(out_dir: str, dest: str = LABELS_TSV) -> collections.Counter:
    """Write the labels file: key, source, stratum, label, confidence (first reading wins)."""
    answers = read_answers(out_dir)
    counts: collections.Counter = collections.Counter()
    with open(os.path.join(out_dir, "sample.jsonl"), encoding="utf-8") as fh:
        sample = [json.loads(r) for r in fh]
    with open(dest, "w", encoding="utf-8") as out:
        out.write("# key (sha1 of the cleaned title, 16 hex digits)\tsource\tstratum\tlabel\tconfidence; see README.md\n")
        for it in sorted(sample, key=lambda r: r["key"]):
            if it["key"] not in answers:
                counts["missing"] += 1
                continue
            label, conf = answers[it["key"]][0]
            counts[(it["source"], label, conf)] += 1
            out.write(f"{it['key']}\t{it['source']}\t{it['stratum']}\t{label}\t{conf}\n")
    return counts


def agreement(out_dir: str) -> dict:
    """Agreement between the two readings of the overlap titles (clickbait or not)."""
    answers = read_answers(out_dir)
    pairs = [(v[0][0], v[1][0]) for v in answers.values() if len(v) >= 2]
    n = len(pairs)
    if not n:
        return {"n": 0}
    agree = sum(a == b for a, b in pairs) / n
    p1 = sum(a == "clickbait" for a, _ in pairs) / n
    p2 = sum(b == "clickbait" for _, b in pairs) / n
    pe = p1 * p2 + (1 - p1) * (1 - p2)
    kappa = (agree - pe) / (1 - pe) if pe < 1 else 1.0
    both_cb = sum(a == b == "clickbait" for a, b in pairs)
    return {"n": n, "agreement": round(agree, 4), "kappa": round(kappa, 4), "both_clickbait": both_cb,
            "either_clickbait": sum("clickbait" in (a, b) for a, b in pairs)}


def read_labels(path: Optional[str] = None) -> Dict[str, Tuple[str, str, str]]:
    """key -> (source, label, confidence); {} when the file is absent."""
    path = path or LABELS_TSV
    out: Dict[str, Tuple[str, str, str]] = {}
    for key, source, _stratum, label, conf in tsv_rows(path):
        out[key] = (source, label, conf)
    return out


def labelled_titles(data_dir: str, path: Optional[str] = None) -> List[dict]:
    """The annotated pool titles with their text (read from the data, never stored):
    {"text", "source", "label", "confidence", "heldout"}."""
    labels = read_labels(path)
    out = []
    for it in read_pools(data_dir):
        hit = labels.get(it["key"])
        if hit is None:
            continue
        out.append({"text": it["text"], "source": it["source"], "label": hit[1], "confidence": hit[2],
                    "heldout": it["source"] in HELDOUT_SOURCES})
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.ar_pools", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--data", default="../shared/data")
    s.add_argument("--out", required=True)
    s.add_argument("--chunks", type=int, default=4)
    i = sub.add_parser("import")
    i.add_argument("dir")
    g = sub.add_parser("agreement")
    g.add_argument("dir")
    a = ap.parse_args(argv)
    if a.cmd == "sample":
        sample = draw_sample(read_pools(a.data))
        write_chunks(sample, a.out, a.chunks)
        print(f"{len(sample)} titles in {a.chunks} chunks under {a.out}")
        print(collections.Counter((it["source"], it["stratum"]) for it in sample))
    elif a.cmd == "import":
        for k, v in sorted(import_answers(a.dir).items(), key=str):
            print(k, v)
    else:
        print(json.dumps(agreement(a.dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
