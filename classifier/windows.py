"""Labelling a long page in overlapping windows, so memory per page is bounded.

Why: everything the model computes for a page (the text model's scores, some 150 feature
columns, both combiner passes) is held for all of the page's lines at once, about 3 KB a
line: a page of 1.6 million lines (a forum dump, a log scraped as a page) needed 4.5 GB,
and one such page could end a whole crawl's run. A page longer than
:data:`~classifier.settings.WINDOW_LINES` non-blank lines is therefore labelled one window
at a time: each window is at most that many lines, its *core* plus up to
:data:`~classifier.settings.WINDOW_CONTEXT` lines on each side, labelled as a page of its
own; only the core lines' probabilities are kept. Windows cover every line exactly once,
in order.

What changes on such a page: the cues computed over the whole page (the ``page_*``
columns, a line's repeats elsewhere on the page, its length against the page's longest
line, the page's mean text scores, topic and discourse cues) are those of the window, and
a block or a stretch without prose longer than the context is cut at the window's edge.
Neighbour cues and the combiner's view of neighbouring verdicts reach far less than the
context, so they are the whole page's. Pages up to the window size never take this path:
their labels are exactly those of whole-page labelling. Lines keep their positions in the
page (blank lines counted), so line numbers and blank-line structure are the page's own.
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

import numpy as np

from . import settings

Predict = Callable[[Sequence["object"]], list[np.ndarray]]


def spans(n: int, core: int, context: int) -> Iterator[tuple[int, int, int, int]]:
    """``(start, end, core_start, core_end)`` of each window over ``n`` rows: the cores
    ``[core_start, core_end)`` tile ``[0, n)`` in order, each window is its core widened
    by up to ``context`` rows each side, clipped to the page."""
    if core < 1 or context < 0:
        raise ValueError(f"window core must be >= 1 and context >= 0, got {core}, {context}")
    for core_start in range(0, n, core):
        core_end = min(n, core_start + core)
        yield max(0, core_start - context), min(n, core_end + context), core_start, core_end


def _window(prep, start: int, end: int):
    """Rows ``[start, end)`` of a prepared page as a page of their own; positions stay the
    page's (so blank-line gaps and line numbers are real), the line count too."""
    return type(prep)(prep.lines[start:end], prep.positions[start:end], prep.n_total,
                      None if prep.site is None else prep.site[start:end],
                      None if prep.extra is None else prep.extra[start:end])
    # no DOM paths: the listing rule, the one reader of them, judges a whole page
    # (whether it has an article), so it runs once the windows are put together


def needs_windows(pages: Sequence, size: int | None = None) -> bool:
    """Whether any of ``pages`` is longer than one window (then see :func:`predict_windowed`)."""
    size = settings.WINDOW_LINES if size is None else size
    return any(len(prep.lines) > size for prep in pages)


def predict_windowed(predict: Predict, pages: Sequence, *, size: int | None = None,
                     context: int | None = None) -> list[np.ndarray]:
    """``predict(pages)`` (probabilities per page's non-blank lines) with every page longer
    than ``size`` lines labelled window by window, no window longer than ``size`` (so
    ``predict`` never sees a page that needs windows); the pages that fit are still
    labelled together in one call, as before."""
    size = settings.WINDOW_LINES if size is None else size
    context = settings.WINDOW_CONTEXT if context is None else context
    core = size - 2 * context
    if core < 1:
        raise ValueError(f"a window of {size} lines cannot hold {context} lines of context on each side")
    out: list[np.ndarray | None] = [None] * len(pages)
    small = [i for i, prep in enumerate(pages) if len(prep.lines) <= size]
    if small:
        for i, probs in zip(small, predict([pages[i] for i in small])):
            out[i] = probs
    for i, prep in enumerate(pages):
        if out[i] is not None:
            continue
        parts = []
        for start, end, core_start, core_end in spans(len(prep.lines), core, context):
            (probs,) = predict([_window(prep, start, end)])
            parts.append(probs[core_start - start:core_end - start])
        out[i] = np.concatenate(parts)
    return out  # type: ignore[return-value]
