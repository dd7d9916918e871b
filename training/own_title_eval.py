"""What the own-headline rule (:mod:`classifier.own_title`) does on pages the model never saw.

    python -m training.own_title_eval --crossval build/crossval5 [--json build/own_title.json]

Each fold model of ``training.crossval`` (``DIR/<fold>/model``) labels its held-out real
pages with the rules after the model switched off; the rule is then applied to those
probabilities, page by page, as the model applies it. Per held-out source (WCXB articles
apart from WCXB's other page types) it prints own-title recall (the page's gold title line
labelled body), body F1 and macro-F1 without and with the rule, and the gold labels of the
lines the rule changed: how often it fires on a headline by the source's own gold. Many
sources leave the headline out of their gold, so a changed line counted boilerplate there
is not always wrong; it is counted against the rule all the same.
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from classifier import LineClassifier, own_title
from classifier.data import read_all
from classifier.evaluation import prf
from classifier.settings import LABELS

from .crossval import FOLDS, PAGE_SOURCES


def _group(page) -> str:
    kind = page.meta.get("page_type")
    return f"{page.source}/{'article' if kind == 'article' else 'other'}" if kind else page.source


def fold_rows(model_dir: Path, test_path: Path, sources: set[str]) -> list[dict]:
    """Per held-out real page: its group, gold labels, title flags and the two label lists."""
    clf = LineClassifier.load(model_dir).with_guide_marks(False)
    pages = [p for p in read_all([test_path]) if not p.composed and p.source in sources]
    out = []
    for page, probs in zip(pages, clf.predict_proba([p.lines for p in pages])):
        rows = [i for i, text in enumerate(page.lines) if text.strip()]  # the lines the model labels
        p = probs[rows]
        ruled = own_title.apply_title(p, [page.lines[i] for i in rows]) if rows else p
        keep = [r for r, i in enumerate(rows) if page.labels[i] is not None]  # and gold labels
        p, ruled, keep_lines = p[keep], ruled[keep], [rows[r] for r in keep]
        parts = page.parts or [None] * len(page.lines)
        out.append({"group": _group(page), "gold": [page.labels[i] for i in keep_lines],
                    "title": [parts[i] == "title" for i in keep_lines],
                    "before": [LABELS[k] for k in p.argmax(axis=1)],
                    "after": [LABELS[k] for k in ruled.argmax(axis=1)]})
    return out


def summarise(pages: Sequence[dict]) -> dict:
    gold = [g for p in pages for g in p["gold"]]
    report = {"pages": len(pages), "lines": len(gold)}
    titles = [(b, a) for p in pages for t, b, a in zip(p["title"], p["before"], p["after"]) if t]
    for side in ("before", "after"):
        pred = [x for p in pages for x in p[side]]
        rep = prf(gold, pred)
        report[side] = {"macro_f1": round(rep["macro_f1"], 4), "body_f1": round(rep["labels"]["body"]["f1"], 4)}
        if titles:
            report[side]["title_recall"] = round(sum((b if side == "before" else a) == "body" for b, a in titles)
                                                 / len(titles), 4)
    changed = collections.Counter(g for p in pages for g, b, a in zip(p["gold"], p["before"], p["after"]) if b != a)
    report["titles"] = len(titles)
    report["changed_by_gold"] = dict(sorted(changed.items()))
    return report


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--crossval", type=Path, default=Path("build/crossval5"),
                    help="a training.crossval output folder with <fold>/model and <fold>/corpus")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    pages: list[dict] = []
    for fold, holdout in FOLDS.items():
        model, test = args.crossval / fold / "model", args.crossval / fold / "corpus" / "test.jsonl.gz"
        if not model.exists() or not test.exists():
            print(f"fold {fold}: no model or corpus under {args.crossval / fold}, skipped")
            continue
        pages += fold_rows(model, test, set(holdout) & PAGE_SOURCES)
    groups = collections.defaultdict(list)
    for page in pages:
        groups[page["group"]].append(page)
    report = {g: summarise(ps) for g, ps in sorted(groups.items())}
    print(f"{'held-out source':<18} {'pages':>5} {'titles':>6}  {'title rec':>15}  {'body F1':>15}  "
          f"{'macro F1':>15}  lines changed, by gold label")
    for g, r in report.items():
        b, a = r["before"], r["after"]
        rec = f"{b['title_recall']:.3f} -> {a['title_recall']:.3f}" if r["titles"] else "-"
        print(f"{g:<18} {r['pages']:>5} {r['titles']:>6}  {rec:>15}  {b['body_f1']:.4f} -> {a['body_f1']:.4f}  "
              f"{b['macro_f1']:.4f} -> {a['macro_f1']:.4f}  {r['changed_by_gold']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"crossval": str(args.crossval), "sources": report}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
