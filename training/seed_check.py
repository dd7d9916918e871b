"""How a model labels the seed pages' and the examples' headlines: the checks of the
clickbait issue that need eyes on real pages.

    python -m training.seed_check [--model DIR] [--seeds ../shared/seeds]

Prints every line a model calls clickbait on each seed page and on each example page, and
the label of each example page's own title (the first line of 4+ words that is no breadcrumb or menu; the examples are
written for this project and their titles are plain headlines, which must not come out
clickbait). The seeds are read from ../shared and never copied into the project.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from classifier import LineClassifier
from classifier.page import split_lines

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def own_title(lines: Sequence[str]) -> int:
    """Index of a page's own title as the examples are written: the first line of 4+ words
    that is not a breadcrumb or a menu ("/" or "|" between items)."""
    return next(i for i, line in enumerate(lines)
                if len(line.split()) >= 4 and "/" not in line and "|" not in line)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
    a = ap.parse_args(argv)
    clf = LineClassifier.load(a.model) if a.model else LineClassifier.load()
    for path in sorted(a.seeds.glob("*.txt")) + sorted(EXAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        labels = clf.label_text(text)
        lines = split_lines(text)
        flagged = [(lab.line, round(lab.probs["clickbait"], 3), lines[lab.line - 1][:90])
                   for lab in labels if lab is not None and lab.label == "clickbait"]
        print(f"== {path.name}: {len(flagged)} clickbait line(s)")
        for row in flagged:
            print("  ", *row)
        if path.parent == EXAMPLES:
            i = own_title(lines)
            lab = labels[i]
            print(f"   own title (line {i + 1}): {lab.label} p(clickbait)={lab.probs['clickbait']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
