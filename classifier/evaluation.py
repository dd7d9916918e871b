"""Scores of predicted line labels against gold labels, broken down the ways users ask.

Shared by ``linesift evaluate``, the training script (which writes them into the model
card) and the quality gate, so every number quoted anywhere is computed one way.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

import numpy as np

from .settings import LABELS


def line_language(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en' (the two languages linesift
    reports on; other scripts fall under 'en' only if Latin letters dominate)."""
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if arabic == 0 and latin == 0:
        return "none"
    return "ar" if arabic > latin else "en"


def prf(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = LABELS) -> dict:
    """Per-label precision/recall/F1/support and the macro F1 over labels present in gold
    or prediction (a label absent from both is left out rather than counted as 0 or 1)."""
    from sklearn.metrics import precision_recall_fscore_support

    gold, pred = np.asarray(gold, dtype=str), np.asarray(pred, dtype=str)
    present = [lab for lab in labels if (gold == lab).any() or (pred == lab).any()]
    out: dict = {"n": int(len(gold)), "labels": {}}
    if not len(gold):
        out["macro_f1"] = float("nan")
        return out
    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=present, zero_division=0)
    for i, lab in enumerate(present):
        out["labels"][lab] = {"precision": float(p[i]), "recall": float(r[i]),
                              "f1": float(f[i]), "support": int(s[i])}
    out["macro_f1"] = float(np.mean(f)) if len(f) else float("nan")
    out["accuracy"] = float((gold == pred).mean())
    return out


def binary_f1(gold: Sequence[str], pred: Sequence[str], positive: str = "body") -> float:
    """F1 of one label against the rest (e.g. body-vs-rest, the number extractors report)."""
    from sklearn.metrics import f1_score

    return float(f1_score(np.asarray(gold) == positive, np.asarray(pred) == positive,
                          zero_division=0))


def expected_calibration_error(scores: Sequence[float], correct: Sequence[bool],
                               bins: int = 15) -> float:
    """Weighted gap between confidence and accuracy over equal-width score bins."""
    scores = np.asarray(scores, dtype=float)
    if not len(scores):
        return float("nan")
    return _binned_gap(scores, np.asarray(correct, dtype=float), bins)


def _binned_gap(p: np.ndarray, hit: np.ndarray, bins: int) -> float:
    """Sum over equal-width bins of p of (bin share) x |mean p - mean hit|."""
    which = np.clip(np.digitize(p, np.linspace(0.0, 1.0, bins + 1)[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(p[mask].mean() - hit[mask].mean())
    return float(total)


def classwise_ece(probs: np.ndarray, gold: Sequence[str], bins: int = 15,
                  labels: Sequence[str] = LABELS) -> dict[str, float]:
    """Per label, the weighted gap between p(label) and how often the label is right, over
    equal-width bins of p(label) on every line: top-label ECE only looks at the winning
    label, and can be low while p(comment) is systematically too low everywhere."""
    probs = np.asarray(probs, dtype=float)
    gold = np.asarray(gold, dtype=str)
    if not len(gold):
        return {}
    return {lab: _binned_gap(probs[:, k], (gold == lab).astype(float), bins) for k, lab in enumerate(labels)}


def confusion(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = LABELS) -> np.ndarray:
    from sklearn.metrics import confusion_matrix

    return confusion_matrix(np.asarray(gold, dtype=str), np.asarray(pred, dtype=str),
                            labels=list(labels))


def evaluate(rows: Sequence[dict]) -> dict:
    """Full report over line rows ``{gold, pred, score, lang, source, kind, recipe[, part]}``.

    ``by_part`` scores only the rows that carry a part (the lines of a composed teaser
    widget or page title, by line language): clickbait is judged where it is built in,
    apart from the thousands of article and chrome lines around it."""
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    report = {"overall": prf(gold, pred),
              "body_vs_rest_f1": binary_f1(gold, pred),
              "ece": expected_calibration_error([r["score"] for r in rows],
                                                [g == p for g, p in zip(gold, pred)]),
              "confusion": confusion(gold, pred).tolist()}
    if rows and "probs" in rows[0]:
        report["classwise_ece"] = classwise_ece(np.array([r["probs"] for r in rows]), gold)
    for key, name in (("lang", "by_language"), ("source", "by_source"), ("kind", "by_kind"),
                      ("recipe", "by_recipe"), ("part", "by_part")):
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            if key != "part" or r.get("part"):
                groups[r.get(key, "")].append(r)
        report[name] = {k: dict(prf([r["gold"] for r in v], [r["pred"] for r in v]),
                                body_vs_rest_f1=binary_f1([r["gold"] for r in v],
                                                          [r["pred"] for r in v]))
                        for k, v in sorted(groups.items())}
    return report


def _label_table(scores: dict) -> list[str]:
    out = [f"{'label':<12} {'precision':>9} {'recall':>9} {'F1':>9} {'support':>9}"]
    for lab, m in scores["labels"].items():
        out.append(f"{lab:<12} {m['precision']:>9.4f} {m['recall']:>9.4f} {m['f1']:>9.4f} "
                   f"{m['support']:>9}")
    return out


def format_report(report: dict) -> str:
    """A plain-text table for terminals and model cards."""
    lines = []
    overall = report["overall"]
    lines.append(f"lines: {overall['n']}   macro-F1: {overall['macro_f1']:.4f}   "
                 f"accuracy: {overall.get('accuracy', float('nan')):.4f}   "
                 f"body-vs-rest F1: {report['body_vs_rest_f1']:.4f}   ECE: {report['ece']:.4f}")
    lines.append("")
    lines.extend(_label_table(overall))
    for lang, m in report.get("by_language", {}).items():
        if lang in ("ar", "en"):
            lines.append("")
            lines.append(f"{'ar: Arabic' if lang == 'ar' else 'en: English'} lines "
                         f"({m['n']}), macro-F1 {m['macro_f1']:.4f}")
            lines.extend(_label_table(m))
    for name, title in (("by_language", "language"), ("by_source", "source"), ("by_kind", "pages"),
                        ("by_recipe", "recipe"), ("by_part", "composed part")):
        if not report.get(name):
            continue
        lines.append("")
        header = f"{title:<22} {'lines':>7} {'macro-F1':>9} {'body-F1':>8} " + " ".join(
            f"{lab[:11]:>11}" for lab in LABELS)
        lines.append(header)
        for key, m in report.get(name, {}).items():
            per = " ".join(f"{m['labels'][lab]['f1']:>11.4f}" if lab in m["labels"] else f"{'-':>11}"
                           for lab in LABELS)
            lines.append(f"{key[:22]:<22} {m['n']:>7} {m['macro_f1']:>9.4f} "
                         f"{m['body_vs_rest_f1']:>8.4f} {per}")
    lines.append("")
    lines.append("confusion (rows gold, columns predicted): " + " ".join(LABELS))
    for lab, row in zip(LABELS, report["confusion"]):
        lines.append(f"{lab:<12} " + " ".join(f"{v:>11}" for v in row))
    return "\n".join(lines)


def prediction_rows(clf, pages, *, site_memory: bool = False) -> list[dict]:
    """Predict every labelled page and pair each non-blank line's prediction with its gold
    label and the page's language, source and kind (real or composed). ``site_memory``:
    pages are labelled as one stream with their sites (real pages' hosts), in file order."""
    rows = []
    results = clf.label_pages(((page.page_id, page.lines, page.site) for page in pages),
                              site_memory=site_memory)
    for page, (_, labels) in zip(pages, results):
        parts = page.parts or (None,) * len(page.lines)
        for text, gold, lab, part in zip(page.lines, page.labels, labels, parts):
            if lab is None or gold is None:
                continue
            lang = line_language(text)
            rows.append({"gold": gold, "pred": lab.label, "score": lab.score,
                         "probs": [lab.probs[k] for k in LABELS],
                         "lang": lang, "source": page.source,
                         "kind": "composed" if page.composed else "real",
                         "recipe": page.meta.get("recipe") or "real page",
                         "part": f"{part} {lang}" if part else None})
    return rows
