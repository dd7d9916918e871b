"""How a rule after the model changes a line: one label raised to a floor, the others
scaled down in proportion.

Why in proportion: the rules (:mod:`.rules`) know which label a line should have, not how
the model's other labels compare, so they keep the model's view of the rest; a line's
probabilities still sum to one and its runner-up stays its runner-up.
"""

from __future__ import annotations

import numpy as np


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
