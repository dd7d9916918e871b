"""Several bundles scored side by side on a corpus's dev and test splits.

    python -m training.compare build/models/a build/models/b --corpus build/corpus

One row per bundle: macro-F1 on dev and test, real-page body F1, Arabic and English
macro-F1, and clickbait F1 on the lines of composed teaser widgets by language. A model
change is worth shipping when it leads on dev across two or three seeds
(``training.train --seed``), since retrains of one configuration moved macro-F1 by up to
half a point across seeds, as much as the changes being judged: comparing single runs on
test would pick noise, and choosing on test
would select on the split that is meant to stay unseen.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from classifier import LineClassifier
from classifier.data import read_all
from classifier.evaluation import evaluate, prediction_rows

COLUMNS = ("dev macro", "test macro", "dev real body", "test real body", "test ar / en macro",
           "teaser-ar clickbait dev / test", "teaser-en clickbait test")


def _get(report: dict, *path: str) -> float | None:
    node: object = report
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, float) else None


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def row(model: Path, splits: dict[str, list]) -> list[str]:
    clf = LineClassifier.load(model)
    dev, test = (evaluate(prediction_rows(clf, splits[s])) for s in ("dev", "test"))
    body = ("by_kind", "real", "labels", "body", "f1")
    teaser = lambda r, lang: _get(r, "by_part", f"teaser {lang}", "labels", "clickbait", "f1")  # noqa: E731
    return [str(model), _fmt(dev["overall"]["macro_f1"], 4), _fmt(test["overall"]["macro_f1"], 4),
            _fmt(_get(dev, *body)), _fmt(_get(test, *body)),
            f"{_fmt(_get(test, 'by_language', 'ar', 'macro_f1'))} / {_fmt(_get(test, 'by_language', 'en', 'macro_f1'))}",
            f"{_fmt(teaser(dev, 'ar'))} / {_fmt(teaser(test, 'ar'))}", _fmt(teaser(test, "en"))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--corpus", type=Path, default=Path("build/corpus"))
    args = ap.parse_args(argv)
    splits = {s: list(read_all([args.corpus / f"{s}.jsonl.gz"])) for s in ("dev", "test")}
    print("| model | " + " | ".join(COLUMNS) + " |")
    print("|---|" + "---|" * len(COLUMNS))
    for model in args.models:
        print("| " + " | ".join(row(model, splits)) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
