"""Per-page summaries of labelled lines: counts per label, what was kept, mean score.

Shared by the CLI's ``--format pages`` and the datatrove step's ``doc.metadata["linesift"]``
so a page record means the same wherever it was written; pure functions over
:class:`~classifier.model.LineLabel` lists, with no datatrove import.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Collection, Sequence

import numpy as np

from .results import LineLabel, PageLabels
from .settings import LABELS

SCORE_DIGITS = 4
"""Scores written into summaries are rounded: four digits are ample for thresholds."""


def label_counts(labels: Sequence[LineLabel | None] | PageLabels) -> dict[str, int]:
    """Non-blank lines per label, every label present (zeros included), so summaries of
    different documents have the same keys and add up column by column."""
    if isinstance(labels, PageLabels):  # no record per line
        return dict(zip(LABELS, np.bincount(labels.label_ids, minlength=len(LABELS)).tolist()))
    counts = Counter(lab.label for lab in labels if lab is not None)
    return {label: counts.get(label, 0) for label in LABELS}


def keep_summary(labels: Sequence[LineLabel | None], keep: Collection[str]) -> dict[str, Any]:
    """How many lines were kept, and per label how many were dropped (the label *is* the
    reason a line was dropped), beside the counts of every label."""
    counts = label_counts(labels)
    return {
        "kept": sum(n for label, n in counts.items() if label in keep),
        "dropped": {label: n for label, n in counts.items() if label not in keep},
        "lines": counts,
    }


def mean_score(labels: Sequence[LineLabel | None] | PageLabels) -> float | None:
    """Mean score over the non-blank lines (``None`` for a page without one): a page-level
    confidence a pipeline can filter on."""
    scores = (labels.scores.tolist() if isinstance(labels, PageLabels)  # summed in line order, as below
              else [lab.score for lab in labels if lab is not None])
    return round(sum(scores) / len(scores), SCORE_DIGITS) if scores else None
