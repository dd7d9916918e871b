"""What the rules after the model share: how a rule changes a line (one label raised to a
floor, the others scaled down in proportion), the pages of a batch it reads one by one, and
which lines a one-line test is worth running on.

Why in proportion: the rules (:mod:`.rules`) know which label a line should have, not how
the model's other labels compare, so they keep the model's view of the rest; a line's
probabilities still sum to one and its runner-up stays its runner-up.
"""

from __future__ import annotations

from typing import Callable, Collection, Sequence

import numpy as np


def page_bounds(sizes: Sequence[int] | None, n_rows: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each page's rows in a batch of ``n_rows`` rows, given the pages'
    line counts in order (``sizes``; one page of all the rows when None)."""
    bounds, start = [], 0
    for n in ([n_rows] if sizes is None else sizes):
        bounds.append((start, start + n))
        start += n
    return bounds


def raise_label(probs: np.ndarray, rows: np.ndarray, label: int, floor: float) -> np.ndarray:
    """``probs`` (lines x labels) with column ``label`` of ``rows`` raised to at least
    ``floor`` and the other labels of those rows scaled to fill the rest: a new array when
    ``rows`` is not empty, else ``probs`` itself."""
    if not len(rows):
        return probs
    out = np.array(probs, dtype=np.float64)
    sub = out[rows]
    target = np.maximum(sub[:, label], floor)
    others = sub.sum(axis=1) - sub[:, label]
    scale = np.divide(1.0 - target, others, out=np.zeros_like(others), where=others > 0)
    sub *= scale[:, None]
    sub[:, label] = target
    out[rows] = sub
    return out


def rows_where(probs: np.ndarray, lines: Sequence[str], labels: Collection[int],
               test: Callable[[str], bool]) -> np.ndarray:
    """Rows of ``lines`` whose best label is one of ``labels`` and that pass ``test``: only
    those rows' lines are read, so a rule that judges a line alone costs nothing on the
    lines it could not change."""
    best = probs.argmax(axis=1)
    candidates = np.flatnonzero(np.isin(best, list(labels))).tolist()
    return np.asarray([i for i in candidates if test(lines[i])], dtype=np.intp)
