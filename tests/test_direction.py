"""The one-sided neighbour columns (classifier/direction.py): checked against plain loops,
page by page, and through a fitted model's save and load."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier.direction import DIRECTION_NAMES, WINDOWS, direction_features_batch


def one_sided_means(page: list[list[float]], w: int) -> list[tuple[list[float], list[float]]]:
    """Oracle: per row, the plain mean of the up to ``w`` rows before it and after it on its
    page, or -1s where that side is empty."""
    out = []
    for i in range(len(page)):
        sides = []
        for rows in (page[max(0, i - w):i], page[i + 1:i + 1 + w]):
            if rows:
                sides.append([sum(r[j] for r in rows) / len(rows) for j in range(4)])
            else:
                sides.append([-1.0] * 4)
        out.append((sides[0], sides[1]))
    return out


probs_rows = st.lists(st.floats(0, 1, allow_nan=False), min_size=4, max_size=4)


@given(st.lists(st.lists(probs_rows, min_size=0, max_size=70), min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_columns_equal_plain_means_page_by_page(pages):
    probs = np.array([r for p in pages for r in p], dtype=np.float64).reshape(-1, 4)
    spans, start = [], 0
    for p in pages:
        spans.append((start, start + len(p), np.arange(len(p))))
        start += len(p)
    got = direction_features_batch(probs, spans)
    assert got.shape == (len(probs), len(DIRECTION_NAMES))
    row = 0
    for p in pages:
        for w_i, w in enumerate(WINDOWS):
            for i, (before, after) in enumerate(one_sided_means(p, w)):
                expect = np.array(before + after, dtype=np.float32)
                np.testing.assert_allclose(got[row + i, w_i * 8:(w_i + 1) * 8], expect, rtol=1e-5, atol=1e-6)
        row += len(p)


def test_a_page_gets_the_same_bits_in_any_batch():
    rng = np.random.default_rng(4)
    a, b = rng.dirichlet(np.ones(4), size=120), rng.dirichlet(np.ones(4), size=9)
    together = direction_features_batch(np.vstack([b, a]), [(0, 9, np.arange(9)), (9, 129, np.arange(120))])
    alone = direction_features_batch(a, [(0, 120, np.arange(120))])
    assert np.array_equal(together[9:], alone)


def test_names_follow_the_columns():
    assert DIRECTION_NAMES[:4] == ("before3_body", "before3_boilerplate", "before3_comment", "before3_clickbait")
    assert DIRECTION_NAMES[4] == "after3_body" and len(DIRECTION_NAMES) == 8 * len(WINDOWS)


@pytest.fixture(scope="module")
def direction_model(training_records, tmp_path_factory):
    from helpers import fit_variant

    return fit_variant(training_records, tmp_path_factory.mktemp("direction") / "model", direction_cues=True)


def test_model_with_direction_columns_round_trips_and_explains(direction_model, example_texts):
    from classifier import LineClassifier
    from classifier.explain import explain_page, second_pass_names

    clf, path = direction_model
    assert clf.combiner_.direction and not clf.combiner_.lead
    back = LineClassifier.load(path)
    assert back.direction_cues and back.manifest_["direction_cues"] is True
    assert json.loads((path / "combiner.json").read_text())["direction"] == list(DIRECTION_NAMES)
    pages = list(example_texts.values())
    for a, b in zip(clf.predict_proba(pages), back.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)
    names = second_pass_names(back)
    assert names[-len(DIRECTION_NAMES):] == DIRECTION_NAMES and len(names) == back.combiner_.second.mean.shape[0]
    explained = [e for e in explain_page(back, pages[0]) if e is not None]
    assert [e.label for e in explained] == [lab.label for lab in back.label_text(pages[0]) if lab is not None]


def test_combiner_refuses_other_direction_columns(direction_model):
    from classifier.combiner import TwoPassCombiner

    clf, _ = direction_model
    arrays, meta = clf.combiner_.to_files()
    changed = json.loads(meta)
    changed["direction"] = list(DIRECTION_NAMES[:8])
    with pytest.raises(ValueError, match="direction columns"):
        TwoPassCombiner.from_files(arrays, json.dumps(changed).encode())
    del changed["direction"]  # the same arrays read without the columns: the wrong width
    with pytest.raises(ValueError, match="columns"):
        TwoPassCombiner.from_files(arrays, json.dumps(changed).encode())
