"""Cross-source evaluation: each source scored by a model that never saw it.

    python -m training.crossval --data ../shared/data --out build/crossval --json models/default/crossval.json

Why: the corpus test split shares its sources and composition recipes with training, so
it flatters the model (0.85 macro-F1 there, much less on anybody else's pages). This
command decides between variants instead. Each fold builds the corpus with whole sources
held out (``training.corpus --holdout``: all their pages and headline items in test,
none in train or dev), fits a model on it (the fastText parts included) and scores the
held-out sources only:

* real pages, per source: macro-F1 and per-label F1, by line language, WCXB by page type;
  headline recall (the page's own title line called body); clickbait false positives per
  1,000 lines of pages that hold none; top-label and classwise calibration error.
* a held-out clickbait source (Chakraborty vs Webis-17, both ways): its items in context
  (teaser widgets and page titles of composed test pages: clickbait F1, and the share of
  its plain headlines called clickbait), and as headlines alone (the headline scorer's
  ROC AUC and the full model's clickbait F1 on each item as a one-line page).
* Arabic clickbait: the annotated Moroccan tabloid pool (``ar_pools.HELDOUT_SOURCES``) is
  held out of every build, so every fold scores it in context.

Folds (``FOLDS``): three trainings, so each source needs only one. Dragnet, the one
English source with comment threads, has a fold of its own: holding it out together with
another English source would leave training with almost no English comments.

``--oof-folds 2`` (default) trains the out-of-fold text models on 2 folds instead of the
shipped model's 4: the cheaper proxy, about half the time. Its agreement with 4 folds is
measured in the model card. A fold takes 10-25 minutes on 2 cores; never part of tests or CI.
Each fold's model is saved to ``OUT/<fold>/model`` (``model-<variant>`` for a variant), so
the held-out sources' errors can be read with a model that never saw them.
"""
from __future__ import annotations

import argparse
import collections
import inspect
import json
import math
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from classifier.evaluation import binary_f1, classwise_ece, expected_calibration_error, line_language, prf
from classifier.settings import LABELS

FOLDS: Dict[str, tuple] = {
    "A": ("wcxb", "webis17"),
    "B": ("cleaneval", "arabic_pages", "ar_listing", "chakraborty"),
    "C": ("dragnet",),
}
PAGE_SOURCES = {"wcxb", "cleaneval", "dragnet", "scrapinghub_aeb", "arabic_pages", "ar_listing"}
HEADLINE_SOURCES = {"webis17", "chakraborty"}
CONTEXT_PARTS = ("teaser", "title")
"""The parts of a composed page where a held-out clickbait source's headlines are placed."""


def _round(x: float, n: int = 4) -> Optional[float]:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), n)


def page_rows(clf, pages) -> List[dict]:
    """One row per labelled non-blank line: gold, pred, probabilities and where it sits."""
    rows = []
    results = clf.label_pages(((p.page_id, p.lines, None) for p in pages))
    for page, (_, labels) in zip(pages, results):
        parts = page.parts or (None,) * len(page.lines)
        for text, gold, lab, part in zip(page.lines, page.labels, labels, parts):
            if lab is None or gold is None:
                continue
            rows.append({"gold": gold, "pred": lab.label, "score": lab.score,
                         "probs": [lab.probs[k] for k in LABELS], "lang": line_language(text), "text": text,
                         "source": page.source, "composed": page.composed, "part": part,
                         "page_type": page.meta.get("page_type"), "page": page.page_id})
    return rows


def score_rows(rows: Sequence[dict]) -> dict:
    """The scores the table reports for one group of rows."""
    if not rows:
        return {"lines": 0}
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    rep = prf(gold, pred)
    probs = np.array([r["probs"] for r in rows])
    out = {"lines": len(rows), "pages": len({r["page"] for r in rows}),
           "macro_f1": _round(rep["macro_f1"]),
           "f1": {k: _round(v["f1"]) for k, v in rep["labels"].items()},
           "body_vs_rest_f1": _round(binary_f1(gold, pred)),
           "ece": _round(expected_calibration_error([r["score"] for r in rows], [g == p for g, p in zip(gold, pred)])),
           "classwise_ece": {k: _round(v) for k, v in classwise_ece(probs, gold).items()}}
    titles = [r for r in rows if r["part"] == "title" and not r["composed"]]
    if titles:
        out["headline_recall"] = _round(sum(r["pred"] == "body" for r in titles) / len(titles))
        out["headline_lines"] = len(titles)
    if not any(g == "clickbait" for g in gold):
        out["clickbait_fp_per_1000"] = _round(1000 * sum(p == "clickbait" for p in pred) / len(rows), 2)
    return out


def clickbait_in_context(rows: Sequence[dict]) -> dict:
    """Teaser-widget and page-title lines of composed pages: clickbait F1 (clickbait vs the
    rest) and how many of the plain headlines placed there were called clickbait."""
    placed = [r for r in rows if r["composed"] and r["part"] in CONTEXT_PARTS]
    # the headlines among them: a widget's heading ("Related") and the dates under its
    # items are boilerplate too, so plain teaser headlines are told by length (5+ words)
    heads = [r for r in placed if r["gold"] == "clickbait" or (r["part"] == "title" and r["gold"] == "body")
             or (r["part"] == "teaser" and r["gold"] == "boilerplate" and len(r["text"].split()) >= 5
                 and not any(ch.isdigit() for ch in r["text"][:4]))]
    if not heads:
        return {"lines": 0}
    gold = [r["gold"] for r in heads]
    pred = [r["pred"] for r in heads]
    plain = [p for g, p in zip(gold, pred) if g != "clickbait"]
    return {"lines": len(heads), "clickbait": sum(g == "clickbait" for g in gold),
            "clickbait_f1": _round(binary_f1(gold, pred, "clickbait")),
            "plain_called_clickbait": _round(sum(p == "clickbait" for p in plain) / max(1, len(plain)))}


def clickbait_as_headlines(clf, items: Sequence[tuple]) -> dict:
    """Held-out headline items alone: the headline scorer's ROC AUC, and the full model's
    clickbait F1 with each item as a one-line page and with the items as lists of 20."""
    from sklearn.metrics import roc_auc_score

    from classifier import headline

    if not items:
        return {}
    texts = [t for t, _ in items]
    y = np.array([lab == "clickbait" for _, lab in items])
    out = {"items": len(items), "clickbait": int(y.sum())}
    if getattr(clf, "headline_scorer", False) and 0 < y.sum() < len(y):
        p = headline.scores(clf.headline_model_, texts, scope=clf.headline_scope_)
        out["headline_scorer_auc"] = _round(roc_auc_score(y, p))
    labels = [labs[0] for _, labs in clf.label_pages((i, [t], None) for i, t in enumerate(texts))]
    pred = ["clickbait" if lab is not None and lab.label == "clickbait" else "other" for lab in labels]
    gold = ["clickbait" if v else "other" for v in y]
    out["model_clickbait_f1"] = _round(binary_f1(gold, pred, "clickbait"))
    out["plain_called_clickbait"] = _round(sum(p == "clickbait" for p, g in zip(pred, y) if not g) / max(1, int((~y).sum())))
    # the same items as lists of 20 headlines a page, as a user pipes a feed
    listed = [lab for _, labs in clf.label_pages((start, texts[start:start + 20], None)
                                                 for start in range(0, len(texts), 20)) for lab in labs]
    pred = ["clickbait" if lab is not None and lab.label == "clickbait" else "other" for lab in listed]
    out["list_clickbait_f1"] = _round(binary_f1(gold, pred, "clickbait"))
    out["list_plain_called_clickbait"] = _round(
        sum(p == "clickbait" for p, g in zip(pred, y) if not g) / max(1, int((~y).sum())))
    return out


def heldout_headlines(data_dir: str, source: str) -> List[tuple]:
    """(text, label) of a held-out English headline source, as the corpus reads it."""
    import gzip

    from .headline_pools import english_items

    if source == "chakraborty":
        path = Path(data_dir) / "headlines" / "chakraborty2016.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return [(rec["text"].strip(), rec["label"]) for rec in map(json.loads, fh)]
    items = english_items(data_dir, lambda rel: str(Path(data_dir) / rel))
    return [(t, lab) for t, lab, src in items if src == source]


def run_fold(name: str, holdout: Sequence[str], data_dir: str, out_dir: Path, oof_folds: int,
             seed: int = 13, sample_headlines: int = 3000, variant: Optional[dict] = None) -> dict:
    from . import corpus as corpus_mod
    from .train import fit_on_corpus

    started = time.time()
    cdir = out_dir / name / "corpus"
    if not (cdir / "test.jsonl.gz").exists():  # variants of one fold share its corpus
        corpus_mod.build(data_dir, str(cdir), seed, holdout=frozenset(holdout))
    clf, _, _, test = fit_on_corpus(cdir, n_folds=oof_folds, progress=True, **(variant or {}))
    fit_s = time.time() - started
    # kept for reading the held-out sources' errors later (never shipped: trained on 2 folds)
    clf.save(out_dir / name / ("model" if not variant else "model-" + "-".join(sorted(variant))))
    rows = page_rows(clf, test)
    report: dict = {"fold": name, "holdout": list(holdout), "oof_folds": oof_folds, "variant": variant or {},
                    "sources": {}, "wcxb_page_types": {}}
    for src in sorted(set(holdout) & PAGE_SOURCES):
        sr = [r for r in rows if not r["composed"] and r["source"] == src]
        report["sources"][src] = dict(score_rows(sr), by_language={
            lg: score_rows([r for r in sr if r["lang"] == lg]) for lg in ("en", "ar") if any(r["lang"] == lg for r in sr)})
        if src == "wcxb":
            for pt in sorted({r["page_type"] for r in sr if r["page_type"]}):
                report["wcxb_page_types"][pt] = score_rows([r for r in sr if r["page_type"] == pt])
    report["clickbait"] = {}
    composed = [r for r in rows if r["composed"]]
    for src in sorted(set(holdout) & HEADLINE_SOURCES):
        items = heldout_headlines(data_dir, src)
        rng = np.random.default_rng(0)
        if len(items) > sample_headlines:
            items = [items[i] for i in sorted(rng.choice(len(items), sample_headlines, replace=False))]
        report["clickbait"][src] = {"in_context_en": clickbait_in_context([r for r in composed if r["lang"] == "en"]),
                                    "as_headlines": clickbait_as_headlines(clf, items)}
    report["clickbait"]["ar_pool_heldout"] = {"in_context_ar": clickbait_in_context([r for r in composed if r["lang"] == "ar"])}
    report["seconds"] = round(time.time() - started)
    report["fit_seconds"] = round(fit_s)
    return report


def format_table(reports: Sequence[dict]) -> str:
    L = ["== held-out real pages (text mode; each source scored by a model trained without it)",
         f"{'fold':4} {'source':14} {'pages':>5} {'lines':>7} {'macro':>6} {'body':>6} {'boiler':>6} {'comment':>7} "
         f"{'cb FP/1k':>8} {'title rec':>9} {'ECE':>6} {'cw-ECE max':>10}"]
    for rep in reports:
        for src, s in rep["sources"].items():
            f = s.get("f1", {})
            cw = s.get("classwise_ece", {})
            L.append(f"{rep['fold']:4} {src:14} {s.get('pages', 0):5d} {s['lines']:7d} {s.get('macro_f1') or 0:6.3f} "
                     f"{f.get('body', 0):6.3f} {f.get('boilerplate', 0):6.3f} {f.get('comment', float('nan')):7.3f} "
                     f"{s.get('clickbait_fp_per_1000', float('nan')):8.2f} {s.get('headline_recall', float('nan')):9.3f} "
                     f"{s.get('ece') or 0:6.3f} {max(cw.values()) if cw else float('nan'):10.3f}")
    L += ["", "== WCXB by page type (held out)", f"{'type':14} {'pages':>5} {'lines':>7} {'macro':>6} {'body F1':>7}"]
    for rep in reports:
        for pt, s in rep["wcxb_page_types"].items():
            L.append(f"{pt:14} {s.get('pages', 0):5d} {s['lines']:7d} {s.get('macro_f1') or 0:6.3f} {s.get('f1', {}).get('body', 0):7.3f}")
    L += ["", "== clickbait from a held-out source", f"{'fold':4} {'source':16} {'where':12} {'items':>6} {'cb F1':>6} "
          f"{'plain->cb':>9} {'AUC':>6}"]
    for rep in reports:
        for src, c in rep["clickbait"].items():
            for where, s in c.items():
                if not s:
                    continue
                f1 = s.get("clickbait_f1", s.get("model_clickbait_f1"))
                L.append(f"{rep['fold']:4} {src:16} {where:12} {s.get('lines', s.get('items', 0)):6d} "
                         f"{f1 if f1 is not None else float('nan'):6.3f} {s.get('plain_called_clickbait') or 0:9.3f} "
                         f"{s.get('headline_scorer_auc') or float('nan'):6.3f}")
                if "list_clickbait_f1" in s:
                    L.append(f"{rep['fold']:4} {src:16} {'as_lists':12} {s['items']:6d} {s['list_clickbait_f1']:6.3f} "
                             f"{s['list_plain_called_clickbait']:9.3f} {float('nan'):6.3f}")
    return "\n".join(L)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.crossval", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", type=Path, default=Path("build/crossval"))
    ap.add_argument("--folds", default=",".join(FOLDS), help="which folds to run (default: all): " + ", ".join(
        f"{k}={'+'.join(v)}" for k, v in FOLDS.items()))
    ap.add_argument("--oof-folds", type=int, default=2, help="out-of-fold splits inside each training (2: the proxy)")
    ap.add_argument("--json", type=Path, default=None, help="also write the reports here")
    ap.add_argument("--discourse-cues", action="store_true", help="the variant with classifier/discourse.py's columns")
    ap.add_argument("--no-headline-scorer", action="store_true", help="the variant without the headline scorer")
    ap.add_argument("--no-lead-cues", action="store_true", help="the variant without classifier/lead.py's columns")
    ap.add_argument("--direction-cues", action="store_true",
                    help="the variant with classifier/direction.py's columns (pass one's verdicts before and after a line)")
    ap.add_argument("--guide-marks", action="store_true",
                    help="the variant trained with the guide's clickbait marks going with the label (training/surface.py)")
    ap.add_argument("--fasttext-headlines", action="store_true",
                    help="the variant whose headline scorer is fastText (as in the bundles before the third 2026-12-07 build), not n-grams")
    a = ap.parse_args(argv)
    names = [f.strip() for f in a.folds.split(",") if f.strip()]
    bad = [n for n in names if n not in FOLDS]
    if bad:
        ap.error(f"unknown fold(s) {bad}; choose from {', '.join(FOLDS)}")
    a.out.mkdir(parents=True, exist_ok=True)
    from .train import fit_on_corpus

    defaults = inspect.signature(fit_on_corpus).parameters  # a variant is what differs from them
    reports = []
    for n in names:
        variant = {k: v for k, v in (("discourse_cues", a.discourse_cues),
                                     ("headline_scorer", not a.no_headline_scorer),
                                     ("lead_cues", not a.no_lead_cues),
                                     ("direction_cues", a.direction_cues),
                                     ("guide_marks", a.guide_marks)) if v != defaults[k].default}
        if a.fasttext_headlines:
            variant["headline_kind"] = "fasttext"
        rep = run_fold(n, FOLDS[n], a.data, a.out, a.oof_folds, variant=variant)
        (a.out / f"fold_{n}.json").write_text(json.dumps(rep, indent=1) + "\n", encoding="utf-8")
        reports.append(rep)
        print(format_table([rep]), flush=True)
    text = format_table(reports)
    print("\n" + text)
    (a.out / "table.txt").write_text(text + "\n", encoding="utf-8")
    if a.json:
        a.json.write_text(json.dumps({"command": "python -m training.crossval " + " ".join(argv or sys.argv[1:]),
                                      "folds": reports}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
