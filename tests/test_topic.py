"""Topic-overlap cues (``classifier.topic``): the vectorised batch gives exactly what a set
of words per line gives, a page's rows never depend on the other pages of its batch, and a
model trained with the cues saves, loads and predicts with them."""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from classifier import LineClassifier, settings
from classifier.model import _prepare
from classifier.topic import MIN_WORD_CHARS, TOPIC_NAMES, topic_features_batch
from helpers import TINY_PARAMS, as_xy

PROSE_EN = ("The harbour council opened the new ferry pier on Monday after two summers of "
            "building work along the northern quay.")
PROSE_AR = ("افتتح مجلس الميناء رصيف العبارات الجديد يوم الاثنين بعد صيفين من أعمال البناء "
            "على الرصيف الشمالي للمدينة.")


def topic_features_reference(lines: Sequence[str]) -> np.ndarray:
    """The same columns for one page, the plain way: a set of words per line."""
    def lower(text: str) -> str:  # as _letter_codes: character by character
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)

    def key(word: str) -> str:  # as _word_keys: twelve letters (past the BMP as one) and length
        return "".join("\uffff" if ord(c) > 0xFFFF else c for c in word[:12]) + f"/{len(word)}"

    words = [set(key(w) for w in re.findall(r"[^\W\d_]+", lower(line[:settings.MAX_FEATURE_CHARS]))
                 if len(w) >= MIN_WORD_CHARS) for line in lines]
    long_line = [len(line) >= settings.LONG_LINE_CHARS for line in lines]
    out = np.zeros((len(lines), len(TOPIC_NAMES)), dtype=np.float32)
    for i, mine in enumerate(words):
        if not mine:
            out[i, 2] = 1
            continue
        others = [w for j, w in enumerate(words) if j != i]
        prose = set().union(*(w for j, w in enumerate(words) if j != i and long_line[j]))
        out[i, 0] = len(mine & prose) / len(mine)
        out[i, 1] = len(mine & set().union(*others)) / len(mine)
    return out


words = st.sampled_from(["harbour", "Harbour", "HARBOUR", "ferry", "pier", "quay", "council",
                         "Straße", "STRASSE", "İstanbul", "istanbul", "ǅemal", "naïve",
                         "رصيف", "العبارات", "الميناء", "مجلسُ", "\U0001d400bcd", "\U0001d401bcd",
                         "abcdefghijklmnopq", "abcdefghijklmnopz", "home", "the", "a1b2c3d4",
                         "x_yz_w", "١٢٣٤٥", "co-op", "\u200bword\u200b"])
seps = st.sampled_from([" ", "  ", ", ", ". ", " / ", "\t", "\n", "-", "'"])
line = st.builds(lambda ws, ss: "".join(w + s for w, s in zip(ws, ss)),
                 st.lists(words, max_size=8), st.lists(seps, min_size=8, max_size=8))
page = st.lists(st.one_of(line, st.just(PROSE_EN), st.just(PROSE_AR),
                          st.builds(lambda w, n: (w + " ") * n, words, st.integers(300, 700))),
                min_size=1, max_size=12)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(page, min_size=1, max_size=4))
def test_batch_equals_the_plain_version_page_by_page(pages):
    batch = topic_features_batch(pages)
    assert batch.shape == (sum(map(len, pages)), len(TOPIC_NAMES))
    expected = np.vstack([topic_features_reference(p) for p in pages])
    np.testing.assert_array_equal(batch, expected)
    # and each page alone gives its rows of the batch
    alone = np.vstack([topic_features_batch([p]) for p in pages])
    np.testing.assert_array_equal(batch, alone)


def test_what_the_columns_say():
    lines = [PROSE_EN, "Ferry pier opens", "Home", "Share this", "Council praises the ferry crews",
             PROSE_AR, "رصيف العبارات الجديد", "1234 5678"]
    cols = {name: topic_features_batch([lines])[:, j].tolist() for j, name in enumerate(TOPIC_NAMES)}
    assert cols["topic_prose_share"][1] == pytest.approx(2 / 3)  # ferry, pier in the prose; opens not
    assert cols["topic_prose_share"][2:4] == [0.0, 0.0]      # chrome shares nothing
    assert cols["topic_prose_share"][6] == 1.0               # both words in the Arabic prose
    assert cols["topic_prose_share"][0] == 0.0               # the English prose is alone
    assert cols["topic_page_share"][0] > 0                   # ... but shares words with lines
    assert cols["topic_no_words"] == [0, 0, 0, 0, 0, 0, 0, 1]


def test_empty_batches():
    assert topic_features_batch([]).shape == (0, len(TOPIC_NAMES))
    assert topic_features_batch([[], ["a b c"]]).tolist() == [[0.0, 0.0, 1.0]]


def test_a_model_with_topic_cues_round_trips(training_records, tmp_path, example_texts):
    X, y, groups = as_xy(training_records)
    clf = LineClassifier(n_folds=2, text_params=dict(TINY_PARAMS), topic_cues=True).fit(X, y, groups=groups)
    assert clf.feature_names_[-len(TOPIC_NAMES):] == TOPIC_NAMES
    clf.save(tmp_path / "m")
    loaded = LineClassifier.load(tmp_path / "m")
    assert loaded.topic_cues and loaded.manifest_["topic_cues"] is True
    texts = list(example_texts.values())
    for a, b in zip(clf.predict_proba(texts), loaded.predict_proba(texts)):
        np.testing.assert_array_equal(a, b)
    # the batch path and the one-page path agree with the cues too
    pages = [_prepare(t) for t in texts]
    rng = np.random.default_rng(0)
    items = [(p, rng.dirichlet(np.ones(4), size=len(p.lines))) for p in pages]
    stacked, _ = loaded._stack(items)
    np.testing.assert_array_equal(stacked, np.vstack([loaded._matrix(p, q) for p, q in items if len(p.lines)]))


def test_a_bundle_without_the_key_has_no_topic_cues(clf):
    assert "topic_cues" not in clf.get_params() or clf.get_params()["topic_cues"] is False
    assert not set(TOPIC_NAMES) & set(clf.feature_names_)
