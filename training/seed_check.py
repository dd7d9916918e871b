"""How a model labels the seed pages' and the examples' headlines: the checks of the
clickbait issue that need eyes on real pages.

    python -m training.seed_check [--model DIR] [--seeds ../shared/seeds]

Prints every line a model calls clickbait on each seed page and on each example page, and
the label of each example page's own title (the first line of 4+ words that is no breadcrumb or menu; the examples are
written for this project and their titles are plain headlines, which must not come out
clickbait). The seeds are read from ../shared and never copied into the project.

``--against OTHER`` prints instead every line the two bundles label differently, with both
labels: the check, line by line against the guide, that a change which wins on held-out
sources does not do it by moving the seed pages' bylines, dates or comment rules away
from what the guide says (it decided against two candidates on 2026-12-07).
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


def pages(seeds: Path) -> list[Path]:
    """The seed pages, then the examples."""
    return sorted(seeds.glob("*.txt")) + sorted(EXAMPLES.glob("*.txt"))


def differences(first: LineClassifier, second: LineClassifier, text: str) -> list[tuple[int, str, str, str]]:
    """(line number, first's label, second's label, the line) where the two differ."""
    lines = split_lines(text)
    return [(i + 1, x.label, y.label, lines[i]) for i, (x, y) in
            enumerate(zip(first.label_text(text), second.label_text(text)))
            if x is not None and y is not None and x.label != y.label]


def print_differences(first: LineClassifier, second: LineClassifier, paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        rows = differences(first, second, path.read_text(encoding="utf-8", errors="replace"))
        total += len(rows)
        print(f"== {path.name}: {len(rows)} line(s) labelled differently")
        for line, x, y, text in rows:
            print(f"   {line:4d} {x:>11} -> {y:<11} {text[:90]}")
    print(f"{total} line(s) in all")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--against", type=Path, default=None,
                    help="another bundle: print the lines the two label differently")
    a = ap.parse_args(argv)
    clf = LineClassifier.load(a.model) if a.model else LineClassifier.load()
    if a.against:
        return print_differences(clf, LineClassifier.load(a.against), pages(a.seeds))
    for path in pages(a.seeds):
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
