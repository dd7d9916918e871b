"""Choose the headline scorer's settings on held-out clickbait *sources*.

Why a command of its own: the scorer (classifier/headline.py) is a small model over the
headline pools, and its settings decide whether it learns what clickbait is or the house
style of the source it trained on. A variant is trained on every source but one and scored
on the one left out (Webis-17 teaser posts, Chakraborty's listicle titles), as ROC AUC and
as the share of plain held-out items it would call clickbait at p >= 0.5. It takes a few
minutes, far less than the full cross-source run (training.crossval), which still decides
between whole models; this one only narrows the scorer's settings before that.

    python -m training.headline_select --data ../shared/data --json build/headline_select.json
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import ar_pools
from .crossval import heldout_headlines
from .surface import with_redrawn_copies

Item = Tuple[str, str, str]  # text, label, language

VARIANTS: Dict[str, dict] = {
    "lr 0.3 (the 2026-12-06 setting)": {"lr": 0.3},
    "lr 0.05": {"lr": 0.05},
    "lr 0.02 (fastText, shipped before)": {},
    "lr 0.01": {"lr": 0.01},
    "25 epochs": {"epoch": 25},
    "word unigrams": {"wordNgrams": 1},
    "lr 0.3, no character n-grams": {"lr": 0.3, "minn": 0, "maxn": 0},
    "dim 16, bucket 100k, minCount 1 (the 2026-12-07 size)": {"dim": 16, "bucket": 100_000, "minCount": 1},
    "dim 16": {"dim": 16},
    "minCount 2": {"minCount": 2},
    "bucket 50k": {"bucket": 50_000},
    "maxn 4": {"maxn": 4},
    "n-grams, C 0.3 (shipped)": {"kind": "ngram"},
    "n-grams, C 0.1": {"kind": "ngram", "c": 0.1},
    "n-grams, C 1": {"kind": "ngram", "c": 1.0},
}
"""Overrides of classifier.headline.HEADLINE_PARAMS (fastText) or, with ``"kind": "ngram"``,
of NGRAM_PARAMS (classifier/ngrams.py), each trained and scored per held-out source."""


def read_sources(data_dir: str) -> Dict[str, List[Item]]:
    """Every headline source the corpus reads, by name, with the corpus's own filters
    (Webis-17's coin-flip items out, Kaggle's plain side only, sure Arabic titles and
    unsure Arabic clickbait)."""
    kaggle = [(t, lab, "en") for t, lab in heldout_headlines(data_dir, "kaggle_titles")]
    out = {"chakraborty": [(t, lab, "en") for t, lab in heldout_headlines(data_dir, "chakraborty")],
           "webis17": [(t, lab, "en") for t, lab in heldout_headlines(data_dir, "webis17")],
           "kaggle_titles": kaggle, "ar_pools": []}
    for it in ar_pools.labelled_titles(data_dir):
        if not it["heldout"] and (it["confidence"] == "sure" or it["label"] == "clickbait"):
            out["ar_pools"].append((it["text"], it["label"], "ar"))
    return out


def score_variant(params: dict, train: Sequence[Item], test: Sequence[Item], seed: int) -> dict:
    """ROC AUC and plain->clickbait rate of one setting on one held-out source."""
    from sklearn.metrics import roc_auc_score

    from classifier import headline

    texts, labels = with_redrawn_copies(train, seed)
    params = dict(params)
    kind = params.pop("kind", "fasttext")
    model = headline.train_scorer(texts, labels, params, kind)
    t0 = time.perf_counter()
    p = model.predict_proba([t for t, _, _ in test])[:, 0]
    us_per_item = (time.perf_counter() - t0) / max(1, len(test)) * 1e6
    y = np.array([lab == "clickbait" for _, lab, _ in test])
    if kind == "ngram":
        size_mb = len(model.to_bytes()) / 1e6
    else:
        with tempfile.TemporaryDirectory() as tmp:
            model.save(Path(tmp) / "scorer.bin")
            size_mb = (Path(tmp) / "scorer.bin").stat().st_size / 1e6
    return {"auc": round(float(roc_auc_score(y, p)), 4), "size_mb": round(size_mb, 2),
            "us_per_item": round(us_per_item, 1),
            "plain_called_clickbait": round(float(((p >= 0.5) & ~y).sum() / max(1, int((~y).sum()))), 4),
            "clickbait_found": round(float(((p >= 0.5) & y).sum() / max(1, int(y.sum()))), 4)}


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.headline_select", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--sample", type=int, default=6000, help="held-out items scored per source (seeded sample)")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--only", action="append", default=None, metavar="VARIANT",
                    help="score only this variant (repeatable; default: all)")
    a = ap.parse_args(argv)
    sources = read_sources(a.data)
    report: dict = {"command": "python -m training.headline_select " + " ".join(argv or sys.argv[1:]), "results": {}}
    print(f"{'variant':34} {'held out':12} {'AUC':>6} {'cb found':>8} {'plain->cb':>9} {'MB':>5} {'us':>5} {'s':>4}")
    for held in ("webis17", "chakraborty"):
        train = [it for name, items in sources.items() if name != held for it in items]
        test = sources[held]
        if len(test) > a.sample:
            test = random.Random(a.seed).sample(test, a.sample)
        for name, params in VARIANTS.items():
            if a.only and name not in a.only:
                continue
            t0 = time.time()
            r = score_variant(params, train, test, a.seed)
            report["results"].setdefault(name, {})[held] = r
            print(f"{name:34} {held:12} {r['auc']:6.3f} {r['clickbait_found']:8.3f} {r['plain_called_clickbait']:9.3f} {r['size_mb']:5.1f} {r['us_per_item']:5.1f} "
                  f"{time.time() - t0:4.0f}", flush=True)
    if a.json:
        a.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
