"""Issue 16, item 15: a long page is labelled in overlapping windows, so memory per page is
bounded; a page that fits one window is labelled exactly as before."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import settings, windows
from classifier.model import _prepare

import pagegen


def _page_lines(n_pages: int, seed: int = 7) -> list[str]:
    """Several generated pages joined into one long page (blank lines between them)."""
    lines: list[str] = []
    for record in pagegen.training_pages(n=n_pages, seed=seed):
        lines += [line["text"] for line in record["lines"]] + [""]
    return lines


@pytest.mark.parametrize("n,size,context", [(1, 5, 1), (10, 5, 2), (100, 20, 5), (101, 20, 5),
                                            (1000, 300, 100), (7, 3, 1)])
def test_window_spans_tile_the_page_in_order(n, size, context):
    core = size - 2 * context
    got = list(windows.spans(n, core, context))
    cores = [i for _, _, a, b in got for i in range(a, b)]
    assert cores == list(range(n))  # every row exactly once, in order
    for start, end, a, b in got:
        assert end - start <= size and start <= a < b <= end
        assert a - start == min(context, a) and end - b == min(context, n - b)


def test_windows_stitch_each_lines_own_probabilities_and_stay_small():
    """A stand-in model whose 'probability' of a line is its position: the stitched result
    must hold every line's own row, and no call may see more than one window of lines."""
    seen = []

    def predict(pages):
        seen.extend(len(p.lines) for p in pages)
        return [np.repeat(p.positions[:, None].astype(float), 4, axis=1) for p in pages]

    lines = [f"line {i}" if i % 3 else "" for i in range(30_000)]
    small = ["a", "", "b"]
    pages = [_prepare(small), _prepare(lines), _prepare(small)]
    out = windows.predict_windowed(predict, pages, size=1000, context=100)
    for prep, probs in zip(pages, out):
        assert probs[:, 0].tolist() == prep.positions.tolist()
    assert max(seen) <= 1000
    # the small pages went together in one call, before the long page's windows
    assert seen[:2] == [2, 2]


def test_too_much_context_is_refused():
    with pytest.raises(ValueError, match="context"):
        windows.predict_windowed(lambda pages: [], [_prepare(["a"] * 10)], size=10, context=5)


def test_page_that_fits_one_window_is_labelled_exactly_as_whole(clf, monkeypatch):
    lines = _page_lines(12)
    n = len(_prepare(lines).lines)
    whole = clf.label(lines)
    monkeypatch.setattr(settings, "WINDOW_LINES", n)  # just fits: no windows
    calls = []
    real = windows.predict_windowed
    monkeypatch.setattr(windows, "predict_windowed", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert clf.label(lines) == whole
    assert not calls
    monkeypatch.setattr(settings, "WINDOW_LINES", n - 1)  # one line too many: windows
    monkeypatch.setattr(settings, "WINDOW_CONTEXT", min(settings.WINDOW_CONTEXT, (n - 2) // 4))
    windowed = clf.label(lines)
    assert calls
    assert [lab is None for lab in windowed] == [lab is None for lab in whole]
    assert [lab.line for lab in windowed if lab] == [lab.line for lab in whole if lab]


@pytest.fixture(scope="module")
def shipped():
    from classifier.model import LineClassifier

    return LineClassifier.load()


@pytest.mark.parametrize("size,context,least", [(settings.WINDOW_LINES, settings.WINDOW_CONTEXT, 0.88),
                                                (4096, 512, 0.74)])
def test_windowed_labels_agree_with_whole_page_labels_on_most_lines(shipped, monkeypatch,
                                                                    size, context, least):
    """The shipped model on a 40,000-line page (26,385 non-blank lines of stand-in news
    pages): windows differ from the whole page in page-level cues only (position in the
    page and in its text mass, repeats on the page, page_* columns), so most labels are the
    whole page's. Measured with the model shipped on 2026-11-22: 96.3% agreement with the
    default windows, 89.2% with windows of 4,096 lines; with the model shipped on
    2026-12-06 (headline scorer, WCXB in training): 90.7% and 76.7%, so its page-level cues
    weigh more. The bounds sit a little below the current model's. Neither side is ground truth: the model was trained on pages of hundreds of
    lines, and a 26,000-line page's page-level cues are far outside that either way."""
    from training.benchmark_pages import long_page

    lines = long_page(40_000)
    monkeypatch.setattr(settings, "WINDOW_LINES", 10**9)
    whole = [lab.label for lab in shipped.label(lines) if lab]
    monkeypatch.setattr(settings, "WINDOW_LINES", size)
    monkeypatch.setattr(settings, "WINDOW_CONTEXT", context)
    assert len(whole) > size  # really windowed
    windowed = [lab.label for lab in shipped.label(lines) if lab]
    agree = np.mean([a == b for a, b in zip(whole, windowed)])
    assert len(windowed) == len(whole) and agree >= least, agree


def test_long_page_through_label_pages_and_the_parallel_path_agree(clf, monkeypatch):
    """The CLI's path (label_pages) windows too, with the same labels as ``label``."""
    lines = _page_lines(20, seed=3)
    monkeypatch.setattr(settings, "WINDOW_LINES", 300)
    monkeypatch.setattr(settings, "WINDOW_CONTEXT", 50)
    ((_, labels),) = list(clf.label_pages([("p", lines)]))
    assert labels == clf.label(lines)
