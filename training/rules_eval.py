"""What the rules after the model (:mod:`classifier.rules`) do on pages the model never saw.

    python -m training.rules_eval --crossval build/crossval5 [--json build/rules_eval.json]

Each fold model of ``training.crossval`` (``DIR/<fold>/model``) labels its held-out real
pages with the rules switched off; then each rule alone, and all of them in order, are
applied to those probabilities page by page, as the model applies them. Per held-out
source (WCXB articles apart from WCXB's other page types) it prints own-title recall (the
page's gold title line labelled body), body, comment and macro F1 without and with, and the
gold labels of the lines each rule changed: how often it agrees with the source's own gold;
then, per source, the classwise calibration error of every label without and with all the
rules (they set fixed probabilities, so whether the labels stay calibrated is measured).
Sources do not all label by the guide (many leave the headline out of their gold, CleanEval
counts reader comments as body), so a changed line counted against a rule is not always
wrong; it is counted against it all the same.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from classifier import (LineClassifier, article_lists, comment_thread, credit_lines, dated_list, guide,
                        own_title, prose_clickbait, residue, rules, tag_lines)
from classifier.data import read_all
from classifier.evaluation import classwise_ece, prf
from classifier.settings import LABELS

from .crossval import FOLDS, PAGE_SOURCES


def _group(page) -> str:
    kind = page.meta.get("page_type")
    return f"{page.source}/{'article' if kind == 'article' else 'other'}" if kind else page.source


def variants() -> dict[str, Callable]:
    """Each rule alone, then all of them in order (:func:`classifier.rules.apply_rules`)."""
    named = {"script fragments": residue.apply_fragments, "own title": own_title.apply_title,
             "comment thread": comment_thread.apply_threads, "dated list": dated_list.apply_dated_lists,
             "article lists": article_lists.apply_lists, "tag lines": tag_lines.apply_tags,
             "credit lines": credit_lines.apply_credits, "cms residue": residue.apply_cms_residue,
             "clickbait in prose": prose_clickbait.apply_prose,
             "clickbait marks": guide.apply_marks}
    assert [rule for _, rule in rules.rules()] == list(named.values()), "a rule this table does not name"
    return {**named, "all rules": rules.apply_rules}


def fold_rows(model_dir: Path, test_path: Path, sources: set[str]) -> list[dict]:
    """Per held-out real page: its group, gold labels, title flags, and the labels of the
    model alone ("model") and of each variant."""
    clf = LineClassifier.load(model_dir).with_guide_marks(False)
    pages = [p for p in read_all([test_path]) if not p.composed and p.source in sources]
    out = []
    for page, probs in zip(pages, clf.predict_proba([p.lines for p in pages])):
        rows = [i for i, text in enumerate(page.lines) if text.strip()]  # the lines the model labels
        lines = [page.lines[i] for i in rows]
        keep = [r for r, i in enumerate(rows) if page.labels[i] is not None]  # and gold labels
        parts = page.parts or [None] * len(page.lines)
        row = {"group": _group(page), "gold": [page.labels[rows[r]] for r in keep],
               "title": [parts[rows[r]] == "title" for r in keep]}
        for name, rule in {"model": None, **variants()}.items():
            p = probs[rows] if rule is None or not rows else rule(probs[rows], lines)
            row[name] = [LABELS[k] for k in p[keep].argmax(axis=1)] if keep else []
            if name in CALIBRATION_SIDES:  # the probabilities too, for classwise ECE
                row[f"{name} probs"] = np.asarray(p[keep], dtype=np.float32).reshape(-1, len(LABELS))
        out.append(row)
    return out


AGGREGATES = {"wcxb (all types)": ("wcxb/article", "wcxb/other"),
              "arabic (news + listing)": ("arabic_pages", "ar_listing/other")}
"""Groups printed besides each source's own: all of WCXB's page types, and every real Arabic
page (the five news pages and the 51 listing pages), as the targets of issue 14 count them."""

CALIBRATION_SIDES = ("model", "all rules")
"""Whose probabilities are kept: the rules give fixed probabilities (0.55, 0.7, 0.9), so
how calibrated the labels stay with all of them on is measured, not assumed."""


def calibration(pages: Sequence[dict]) -> dict:
    """Classwise ECE per label (:func:`classifier.evaluation.classwise_ece`) of one
    source's held-out lines, for the model alone and with all the rules."""
    gold = [g for p in pages for g in p["gold"]]
    return {side: {k: round(v, 4) for k, v in classwise_ece(
        np.vstack([p[f"{side} probs"] for p in pages]), gold).items()} for side in CALIBRATION_SIDES}


def summarise(pages: Sequence[dict], name: str) -> dict:
    """Variant ``name`` against the model alone on one group of pages."""
    gold = [g for p in pages for g in p["gold"]]
    report: dict = {"pages": len(pages), "lines": len(gold)}
    for side in ("model", name):
        pred = [x for p in pages for x in p[side]]
        rep = prf(gold, pred)
        scores = {"macro_f1": round(rep["macro_f1"], 4),
                  **{f"{k}_f1": round(rep["labels"][k]["f1"], 4) for k in ("body", "comment")}}
        titles = [x for p in pages for t, x in zip(p["title"], p[side]) if t]
        if titles:
            scores["title_recall"] = round(sum(x == "body" for x in titles) / len(titles), 4)
        report["model" if side == "model" else "with"] = scores
    report["titles"] = sum(t for p in pages for t in p["title"])
    report["changed_by_gold"] = dict(sorted(collections.Counter(
        g for p in pages for g, b, a in zip(p["gold"], p["model"], p[name]) if b != a).items()))
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
    groups = dict(sorted(groups.items()))
    for name, members in AGGREGATES.items():  # the groups issue 14's targets are stated for
        if any(g in groups for g in members):
            groups[name] = [p for g in members for p in groups.get(g, [])]
    report = {name: {g: summarise(ps, name) for g, ps in groups.items()} for name in variants()}
    for name, by_group in report.items():
        print(f"\n== {name}: the model alone -> with it")
        print(f"{'held-out source':<18} {'pages':>5} {'titles':>6}  {'title rec':>15}  {'body F1':>15}  "
              f"{'comment F1':>15}  {'macro F1':>15}  lines changed, by gold label")
        for g, r in by_group.items():
            b, a = r["model"], r["with"]
            rec = f"{b['title_recall']:.3f} -> {a['title_recall']:.3f}" if r["titles"] else "-"
            print(f"{g:<18} {r['pages']:>5} {r['titles']:>6}  {rec:>15}  {b['body_f1']:.4f} -> {a['body_f1']:.4f}  "
                  f"{b['comment_f1']:.4f} -> {a['comment_f1']:.4f}  {b['macro_f1']:.4f} -> {a['macro_f1']:.4f}  "
                  f"{r['changed_by_gold']}")
    sources = collections.defaultdict(list)
    for page in pages:
        sources[page["group"].split("/")[0]].append(page)
    calibrated = {src: calibration(ps) for src, ps in sorted(sources.items())}
    print("\n== classwise ECE per label (15 bins), the model alone -> with all the rules")
    for src, sides in calibrated.items():
        print(f"{src:<18} " + "  ".join(f"{k} {sides['model'][k]:.3f} -> {sides['all rules'][k]:.3f}"
                                        for k in LABELS))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        command = " ".join(["python -m training.rules_eval", *(argv if argv is not None else sys.argv[1:])])
        args.json.write_text(json.dumps({"command": command, "crossval": str(args.crossval), "variants": report,
                                         "classwise_ece": calibrated}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
