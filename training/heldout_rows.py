"""The rows of held-out sources, as each cross-source fold's model labels them.

Shared by the commands that tune a stage *after* the combiner on sources the model never
saw (``training.source_calibration``, ``training.sequence_select``): a fold model of
``training.crossval`` (``DIR/<fold>/model``) labels its fold's test pages, and the pages of
the sources held out of that fold are kept whole, in line order, each line with the fold
model's probabilities. Composed pages are kept when the fold holds out a clickbait source:
their teaser and title lines are where that source's headlines sit in context; the other
lines of those pages are kept for their order but not scored.
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict

import numpy as np

from classifier.settings import LABELS

def heldout_rows(crossval_dir: Path, model: str = "model") -> Dict[str, np.ndarray]:
    """Arrays, one entry per labelled line: ``probs`` (LABELS order), ``gold`` (label index),
    ``group`` (the held-out source, or ``context:<clickbait source>``), ``fold``, ``page``,
    ``scored`` (the line counts for its group), ``title`` (a real page's own title line)."""
    from classifier import LineClassifier
    from classifier.data import read_all

    from .crossval import CONTEXT_PARTS, FOLDS, HEADLINE_SOURCES, PAGE_SOURCES, page_rows

    cols: Dict[str, list] = {k: [] for k in ("probs", "gold", "group", "fold", "page", "scored", "title")}
    for fold, holdout in FOLDS.items():
        model_dir = crossval_dir / fold / model
        if not model_dir.exists():
            print(f"fold {fold}: no model at {model_dir}, skipped", flush=True)
            continue
        clf = LineClassifier.load(model_dir)
        test = read_all([crossval_dir / fold / "corpus" / "test.jsonl.gz"])
        real = set(holdout) & PAGE_SOURCES
        heads = sorted(set(holdout) & HEADLINE_SOURCES)
        keep = [p for p in test if (not p.composed and p.source in real) or (p.composed and heads)]
        rows = page_rows(clf, keep)
        for r in rows:
            cols["probs"].append(r["probs"])
            cols["gold"].append(LABELS.index(r["gold"]))
            cols["group"].append("context:" + "+".join(heads) if r["composed"] else r["source"])
            cols["fold"].append(fold)
            cols["page"].append(f"{fold}:{r['page']}")
            cols["scored"].append(not r["composed"] or r["part"] in CONTEXT_PARTS)
            cols["title"].append(r["part"] == "title" and not r["composed"])
        print(f"fold {fold}: {len(rows)} rows of held-out pages", flush=True)
    return {"probs": np.asarray(cols["probs"], np.float64).reshape(-1, len(LABELS)),
            "gold": np.asarray(cols["gold"], np.int64), "group": np.asarray(cols["group"]),
            "fold": np.asarray(cols["fold"]), "page": np.asarray(cols["page"]),
            "scored": np.asarray(cols["scored"], bool), "title": np.asarray(cols["title"], bool)}


def save_rows(path: Path, rows: Dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **rows)


def load_rows(path: Path) -> Dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}
