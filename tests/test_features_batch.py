"""``layout_features_batch``: a batch of pages gives, bit for bit, the rows each page gives
alone, and nothing of one page reaches another's rows.

The model was trained on page-by-page features and predicts on batches, so "close" is not
enough: the comparisons here are ``np.array_equal``. They do not depend on the feature
version (the plain-code oracles of ``test_speed_paths`` do).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings as hsettings, strategies as st

from classifier.features import LAYOUT_NAMES, layout_features, layout_features_batch
from classifier.model import _prepare
from classifier.resources import load_resources

RES = load_resources()
WIDTH = len(LAYOUT_NAMES)

# --- pages ------------------------------------------------------------------------------------

SHORT = [".", "..", "...", "a", "x.", "؟", "»", "1", "Reply", "ok!", "\u2026", "(3)", "\u200f."]
ARABIC = ["مرحبا بكم في الموقع الرسمي.", "هل تعلم؟ ما هذا، يا صديقي۔", "\u202bنص عربي\u202c",
          "الرئيسية | أخبار | رياضة", "© ٢٠٢٤ جميع الحقوق محفوظة", "١٢/٠٣/٢٠٢٤ ١٢:٣٠",
          "\u200f\u0640\u064b تشكيل", "كانون الثاني ٢٠٢٤"]
OTHER = ["Home", "home", " HOME ", "the of and", "12/3/2024 10:45", "mail a.b@c.org", "[12]",
         "Title Case Words", "line with\nnewline inside", "\ud800 lone surrogate", "\U0001F600x",
         "\x00\x01 control", "A paragraph of prose that is long enough to count as running "
         "text for the distance-to-prose cues, well past eighty characters."]
chars = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("\r\t \x00\x1b\x7f\x85\u00a0\u2028\u200b\u200e\u202e\ufeff\ufffd\ud800"
                    ".!?\u2026©|/»-•@#:()[]_\n"),
    st.sampled_from("abcXYZ 0123456789 ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
)
texts = st.text(chars, max_size=60)
huge = st.builds(lambda unit, n: unit * n, st.text(chars, min_size=1, max_size=4),
                 st.integers(500, 1200))  # past MAX_FEATURE_CHARS for most units
line_st = st.one_of(st.sampled_from(SHORT), st.sampled_from(ARABIC), st.sampled_from(OTHER),
                    st.sampled_from(["", "  ", "\t"]), texts, huge)
raw_page = st.one_of(
    st.just([]),                                        # an empty page
    st.lists(st.sampled_from(["", " ", "\t\t"]), min_size=1, max_size=4),  # blank lines only
    st.lists(line_st, min_size=1, max_size=1),          # one line
    st.builds(lambda first, mid, last: [first, *mid, last],  # very short first and last lines
              st.sampled_from(SHORT), st.lists(line_st, max_size=6), st.sampled_from(SHORT)),
    st.lists(line_st, min_size=1, max_size=25),
)
HSETTINGS = hsettings(max_examples=120, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def prepared(raw: list[str]):
    """The page as the model hands it over: non-blank lines, positions, line count."""
    prep = _prepare(raw)
    return prep.lines, prep.positions, prep.n_total


@st.composite
def direct_page(draw):
    """A page handed to the function directly, as a caller may: empty or whitespace lines
    included, positions with random gaps, trailing blank lines."""
    lines = draw(st.lists(line_st, max_size=12))
    gaps = draw(st.lists(st.integers(0, 3), min_size=len(lines), max_size=len(lines)))
    positions = np.cumsum(np.asarray(gaps, dtype=np.int64) + 1) - 1
    n_total = int(positions[-1]) + 1 + draw(st.integers(0, 3)) if lines else draw(st.integers(0, 3))
    return lines, positions, n_total


page_st = st.one_of(raw_page.map(prepared), direct_page())


def per_page(pages) -> np.ndarray:
    """The reference: each page alone, stacked."""
    return np.vstack([layout_features(*page, RES) for page in pages] + [np.zeros((0, WIDTH), np.float32)])


def assert_identical(batch: np.ndarray, reference: np.ndarray) -> None:
    assert batch.dtype == reference.dtype == np.float32
    assert batch.shape == reference.shape
    differing = sorted({LAYOUT_NAMES[j] for j in np.argwhere(batch != reference)[:, 1]})
    assert not differing, differing
    assert np.array_equal(batch, reference)


# --- tests ------------------------------------------------------------------------------------

@HSETTINGS
@given(st.lists(page_st, max_size=8))
@example([prepared([".", "..", "x"]), prepared(["...", "a"]), prepared([".."])])
@example([prepared(["x" * 5000, "."]), prepared([]), prepared(["", ""]), prepared(["."])])
@example([([""], np.array([0]), 1), (["", "a"], np.array([0, 2]), 4), ([""], np.array([0]), 1)])
def test_a_batch_equals_its_pages_one_by_one(pages):
    assert_identical(layout_features_batch(pages, RES), per_page(pages))


@HSETTINGS
@given(page_st, st.lists(page_st, max_size=4), st.lists(page_st, max_size=4))
def test_no_feature_leaks_across_page_boundaries(page, before, after):
    """A page's rows do not change when other pages are put before or after it."""
    alone = layout_features_batch([page], RES)
    start = sum(len(p[0]) for p in before)
    batch = layout_features_batch(before + [page] + after, RES)
    assert_identical(batch[start:start + len(page[0])], alone)
    assert_identical(layout_features_batch([page, page, page], RES), np.vstack([alone] * 3))


def test_an_empty_batch_and_batches_of_empty_pages():
    assert layout_features_batch([], RES).shape == (0, WIDTH)
    assert layout_features_batch([prepared([]), prepared(["", " "])], RES).shape == (0, WIDTH)
    assert layout_features_batch(iter([prepared(["a"])]), RES).shape == (1, WIDTH)


def test_a_huge_line_between_pages():
    pages = [prepared(["Home", "word " * 200_000, "."]), prepared(["x" * 1_000_000]),
             prepared(["..", "مرحبا", "Reply", "reply"])]
    assert_identical(layout_features_batch(pages, RES), per_page(pages))


def test_page_columns_and_context_stop_at_the_page_edge():
    """Readable spot checks of what the property tests assert in bulk."""
    a, b = prepared(["Reply", "A comment.", "Reply"]), prepared(["Reply", "x" * 100])
    out = layout_features_batch([a, b], RES)
    col = {name: out[:, j] for j, name in enumerate(LAYOUT_NAMES)}
    assert col["page_log_lines"].tolist() == pytest.approx([np.log1p(3)] * 3 + [np.log1p(2)] * 2)
    assert col["repeat_first"].tolist() == [1, 0, 0, 0, 0]   # "Reply" repeats on page a only
    assert col["log_chars@+1"][2] == -1.0 and col["log_chars@-1"][3] == -1.0
    assert col["log_chars@+2"][1] == -1.0 and col["log_chars@-2"][4] == -1.0
    assert col["dist_prose_after"][:3].tolist() == [50.0] * 3  # page b's prose is not page a's
    assert col["rel_pos"].tolist() == [0.0, 0.5, 1.0, 0.0, 1.0]


def test_stack_gives_the_rows_of_matrix_page_by_page(clf, example_texts):
    """The model's batch path (``_stack``) and its one-page path (``_matrix``) agree."""
    pages = [_prepare(text) for text in example_texts.values()] + [_prepare(["", ""]), _prepare(["Home"])]
    rng = np.random.default_rng(0)
    items = [(p, rng.dirichlet(np.ones(4), size=len(p.lines)).reshape(len(p.lines), 4)) for p in pages]
    X, spans = clf._stack(items)
    assert_identical(X, np.vstack([clf._matrix(p, probs) for p, probs in items if len(p.lines)]))
    assert [(a, b) for a, b, _ in spans] == [(a, a + len(p.lines)) for a, p in zip(
        np.cumsum([0] + [len(p.lines) for p, _ in items])[:-1], [p for p, _ in items]) if len(p.lines)]

