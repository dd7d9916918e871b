"""Two bundles' labelling speed against each other, in one process (never a timed test).

    python -m training.bench_models OLD_BUNDLE NEW_BUNDLE [--pages 600] [--rounds 5]
    python -m training.bench_models BUNDLE BUNDLE --old-without-guide-rule   # the rule's cost

Why a command of its own: a retrain that changes what the model computes (another headline
scorer, other cues) changes its speed, and the machine's speed swings by tens of percent
between runs, so two separate benchmark runs cannot say which bundle is faster. Here both
label the same pages (``training.benchmark``'s page set) in alternating rounds, each round
with the text models' line caches emptied so neither profits from the other's or its own
earlier rounds; CPU time per round, and the ratio per pair of neighbouring rounds.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Optional, Sequence

from .benchmark import forget_lines, load_pages


def _round(clf, pages) -> float:
    forget_lines(clf)
    start = time.process_time()
    for _ in clf.label_arrays(pages):
        pass
    return time.process_time() - start


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old", type=Path)
    ap.add_argument("new", type=Path)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--old-without-guide-rule", action="store_true",
                    help="OLD labels without the guide's clickbait-mark rule (classifier/guide.py)")
    a = ap.parse_args(argv)
    from classifier.model import LineClassifier

    description, pages = load_pages(a.pages)
    old, new = LineClassifier.load(a.old), LineClassifier.load(a.new)
    if a.old_without_guide_rule:
        old.set_params(guide_marks=False)
    _round(old, pages), _round(new, pages)  # warm-up: code point tables, first allocations
    t_old, t_new = [], []
    for _ in range(a.rounds):
        t_old.append(_round(old, pages))
        t_new.append(_round(new, pages))
    ratios = [o / n for o, n in zip(t_old, t_new)]
    print(f"pages: {description}")
    print(f"{a.old}: CPU s per round {', '.join(f'{t:.2f}' for t in t_old)}")
    print(f"{a.new}: CPU s per round {', '.join(f'{t:.2f}' for t in t_new)}")
    print(f"{a.new} is {statistics.median(ratios):.2f}x as fast (median per pair of rounds; "
          f"range {min(ratios):.2f}-{max(ratios):.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
