"""Headline sources beyond Chakraborty: what each contributes, and to which split.

Why several: clickbait that transfers has to be learnt from more than one house style
(issue: Chakraborty's listicles alone taught the model their punctuation). So:

* Webis-Clickbait-17 teaser posts of 27 US outlets: ``label`` is the 5 annotators'
  majority, ``score`` their mean. Items scored between 0.4 and 0.6 are the annotators'
  coin flips and are left out (``WEBIS_MARGIN``); the rest keep the majority label.
* Kaggle train2 article titles: real outlet-style titles. Their labels are the *tweet's*,
  not the title's, so the clickbait side is noise; only the plain side is used, as plain
  headlines.
* Arabic pool titles annotated for this project (``training.ar_pools``): sure labels only;
  unsure titles are kept out of both pools (a title the reader could not call teaches the
  model nothing but noise). The held-out source (``ar_pools.HELDOUT_SOURCES``) goes to the
  test split only.

Every item gets its split by a hash of its lower-cased text (the same rule as the other
pools), unless its whole source is held out (``holdout``: test only, and nothing of it in
train or dev), which is how the cross-source run scores clickbait from an unseen source.
"""
from __future__ import annotations

import gzip
import json
import os
from typing import AbstractSet, Callable, Dict, Iterator, List, Optional, Tuple

from . import ar_pools

WEBIS_MARGIN = (0.4, 0.6)


def _read(path: str) -> Iterator[dict]:
    if not os.path.exists(path):
        return iter(())
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return iter([json.loads(r) for r in fh])


def english_items(data_dir: str, read_ok: Callable[[str], Optional[str]]) -> List[Tuple[str, str, str]]:
    """(text, label, source) of Webis-17 (agreement-filtered) and Kaggle plain titles;
    ``read_ok(rel)`` gives the path of a data file the licence filter allows, else None."""
    out: List[Tuple[str, str, str]] = []
    path = read_ok("headlines/webis_clickbait17.jsonl.gz")
    if path:
        for r in _read(path):
            score = r.get("score")
            if score is not None and WEBIS_MARGIN[0] < float(score) < WEBIS_MARGIN[1]:
                continue
            t = r["text"].strip()
            if len(t) >= 12:
                out.append((t, r["label"], "webis17"))
    path = read_ok("headlines/kaggle_train2_titles.jsonl.gz")
    if path:
        for r in _read(path):
            t = r["text"].strip()
            if r["label"] == "headline" and len(t) >= 12:
                out.append((t, "headline", "kaggle_titles"))
    return out


def arabic_items(data_dir: str, allowed_pool: bool) -> List[Tuple[str, str, str]]:
    """(text, label, source) of the annotated Arabic pool titles: sure labels, and unsure
    clickbait marked ``train_only`` (source suffix "+unsure"): the same rule as the
    SaudiNewsNet annotation, since sure Arabic clickbait is scarce (137 sure titles) and a
    title the reader found arguably baiting must not be taught as plain; held-out scores use
    sure titles only. Unsure plain titles are kept out of both pools."""
    if not allowed_pool:
        return []
    out = []
    for it in ar_pools.labelled_titles(data_dir):
        if it["confidence"] == "sure":
            out.append((it["text"], it["label"], "ar_pool:" + it["source"]))
        elif it["label"] == "clickbait":
            out.append((it["text"], "clickbait", "ar_pool:" + it["source"] + "+unsure"))
    return out


def is_heldout(source: str, holdout: AbstractSet[str]) -> bool:
    """Whether a headline source is held out: by name ("webis17", "chakraborty"), or an
    Arabic pool's own held-out source when "ar_pool_heldout" is asked (always, by default)."""
    if source in holdout:
        return True
    if source.startswith("ar_pool:"):
        return source.split(":", 1)[1].split("+")[0] in ar_pools.HELDOUT_SOURCES
    return False


def to_pools(items: List[Tuple[str, str, str]], split_of: Callable[[str], str],
             holdout: AbstractSet[str], only_heldout_in_test: bool = False) -> Dict[str, Dict[str, List[str]]]:
    """split -> {"clickbait": [...], "headline": [...]} for items of one language.
    ``only_heldout_in_test``: the test split holds the held-out sources' items alone, so a
    cross-source score is not diluted by sources the model trained on."""
    out: Dict[str, Dict[str, List[str]]] = {s: {"clickbait": [], "headline": []} for s in ("train", "dev", "test")}
    for text, label, source in items:
        held = is_heldout(source, holdout)
        sp = "test" if held else split_of(text)
        if source.endswith("+unsure") and (held or sp != "train"):
            continue
        if sp == "test" and only_heldout_in_test and not held:
            continue
        out[sp][label].append(text)
    return out
