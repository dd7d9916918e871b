"""What the lines before a line, and the lines after it, were called by the first pass.

The second pass already reads its neighbours' first-pass probabilities one and two lines
away and averaged over windows *centred* on the line. A centred mean cannot tell the first
line of a comment thread (article above, comments below) from a comment line in the middle,
nor a reply whose own words read like prose from the end of the article: the thread is a
matter of direction. Readers see it at once: after "21 comments", every block of prose is
a reader's until the form at the bottom. So the columns here are one-sided: per label, the
mean first-pass probability of the ``w`` lines just before the line, and of the ``w`` lines
just after it, for each ``w`` of :data:`WINDOWS` (cut at the page's edges; -1 where there
is no line on that side, as the neighbour columns mark the page's edge).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .settings import LABELS

WINDOWS: tuple[int, ...] = (3, 12, 48)
"""Lines on each side: a caption's neighbours, a comment with its author line, a thread."""

DIRECTION_NAMES: tuple[str, ...] = tuple(
    f"{side}{w}_{label}" for w in WINDOWS for side in ("before", "after") for label in LABELS)


def direction_features_batch(probs: np.ndarray, spans: Sequence[tuple[int, int, np.ndarray]]) -> np.ndarray:
    """:data:`DIRECTION_NAMES` columns for the rows of ``probs`` (first-pass probabilities,
    LABELS order); ``spans`` gives each page's (start, end, positions) among the rows, and
    a page's columns depend on that page's rows alone.

    Window sums are differences of running sums, both ends clipped to the row's own page.
    Each page has its own running sum, started from a zero row, so a page's columns are
    bit for bit the same whatever pages share its batch."""
    probs = np.asarray(probs, dtype=np.float64)
    m, k = probs.shape
    out = np.empty((m, len(DIRECTION_NAMES)), dtype=np.float32)
    if m == 0:
        return out
    first = np.zeros(m, dtype=np.int64)  # each row's page: first row, one past its last
    stop = np.zeros(m, dtype=np.int64)
    base = np.zeros(m, dtype=np.int64)  # where the row's page's zero row is in ``csum``
    csum = np.zeros((m + len(spans), k))
    for p, (a, b, _) in enumerate(spans):
        first[a:b], stop[a:b], base[a:b] = a, b, a + p
        np.cumsum(probs[a:b], axis=0, out=csum[a + p + 1:b + p + 1])
    row = np.arange(m)
    col = 0
    for w in WINDOWS:
        for lo, hi in ((np.maximum(row - w, first), row), (row + 1, np.minimum(row + 1 + w, stop))):
            count = hi - lo
            mean = (csum[base + hi - first] - csum[base + lo - first]) / np.maximum(count, 1)[:, None]
            mean[count == 0] = -1.0
            out[:, col:col + k] = mean
            col += k
    return out
