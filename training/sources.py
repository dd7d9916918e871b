"""The corpus's sources: which data files the builder reads, under what licence, and how.

SOURCE_LICENCES has one entry per data file the builder reads (relative to --data), with its
licence as the data README states it and its class (LICENCE_CLASSES), which the licence filter
(``python -m training.corpus --licences``, see training.corpus) selects on. Every file is
opened through _source_path, the filter's one gate: a file without an entry fails loudly, a
file the filter excludes reads as missing. PAGE_FILES are the real labelled pages (cleaned to
the guide by training.relabel); the text and headline files fill the pools (training.pools).
Read here too: the second annotation of the SaudiNewsNet titles (read_title_labels, keyed by
title_key) and the AOC comments' pre-tokenised text, repaired by normalise_aoc.

AOC normalisation (normalise_aoc): of 200 sampled pre-tokenised AOC sentences, 87 had
punctuation split off by spaces (" ، ", " ؟ ", " . . ", '" text "', "( x )"); after
normalise_aoc none of the 200 keeps a space before closing punctuation or inside
brackets/quotes; the measurement is repeated on every build and printed in summary.txt.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import re
from typing import AbstractSet, Dict, FrozenSet, Iterable, Iterator, List, NamedTuple, Optional, Tuple

TITLE_LABELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations", "snn_titles.tsv")
PAGE_FILES = ("pages/dragnet.jsonl.gz", "pages/cleaneval.jsonl.gz", "pages/aeb.jsonl.gz",
              "pages/arabic_pages.jsonl.gz", "pages/wcxb_dev.jsonl.gz")


def title_key(title: str) -> str:
    """Key of an annotated text in annotations/ (SaudiNewsNet and pool titles, listing-page
    lines): the first 16 hex digits of the SHA-1 of its stripped UTF-8 text. The repository
    keeps labels, never the texts."""
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


# --------------------------------------------------------------------------- reading helpers
def iter_pages(path: str) -> Iterator[dict]:
    """Yield one dict per non-empty line of a JSONL page file (gzipped when it ends in .gz)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            raw = raw.strip()
            if raw:
                yield json.loads(raw)


def _read_records(path: str) -> List[dict]:
    return list(iter_pages(path)) if os.path.exists(path) else []


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
