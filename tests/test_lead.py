"""The lead columns (classifier/lead.py): the headline above the article, the distance
before and past it; and a combiner that reads them, saved and loaded."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from classifier.lead import LEAD_NAMES, WINDOW, lead_features, lead_features_batch

HEADLINE, SHARED, BEFORE, PAST = (LEAD_NAMES.index(n) for n in LEAD_NAMES)

PARAGRAPHS = [
    "The river authority opened the new flood barrier on Tuesday after three years of building work along the valley.",
    "Engineers say the flood barrier can hold back water two metres higher than the old wall, protecting the valley towns.",
    "Residents who lost homes in the last flood welcomed the barrier but asked the river authority about repair money.",
]
PAGE = (["Home", "News", "Weather", "Contact us",
         "River authority opens new flood barrier",   # 4: the page's own headline
         "By Sam Writer", "12 March 2024", "Share this article"]
        + PARAGRAPHS                                  # 8, 9, 10: the article
        + ["Related stories", "Town council elects new mayor", "Subscribe to our newsletter"])
BODY = np.array([0.1] * 8 + [0.9] * 3 + [0.1] * 3)


def distance(d: int) -> float:
    """The scaled distance the docstring promises, written out."""
    return min(1.0, math.log(1 + d) / math.log(200))


def test_headline_above_the_lead_is_chosen_and_positions_are_measured():
    out = lead_features(PAGE, BODY)
    assert out.shape == (len(PAGE), len(LEAD_NAMES))
    assert out[:, HEADLINE].tolist() == [1.0 if i == 4 else 0.0 for i in range(len(PAGE))]
    # river, authority, new, flood, barrier are the opening's ("opens" is not): 5 of 8
    assert out[4, SHARED] == pytest.approx(5 / 8)
    assert out[0, SHARED] == 0.0 and out[6, SHARED] == 0.0  # menu word, date: nothing shared
    for i in range(len(PAGE)):
        assert out[i, BEFORE] == pytest.approx(distance(max(0, 8 - i)))
        assert out[i, PAST] == pytest.approx(distance(max(0, i - 10)))


def test_nearer_of_two_equal_headlines_wins():
    """A breadcrumb often repeats the title; the copy just above the article is its
    headline."""
    page = ["Home", "River authority opens new flood barrier", "Menu",
            "River authority opens new flood barrier", "By Sam Writer"] + PARAGRAPHS
    body = np.array([0.1] * 5 + [0.9] * 3)
    out = lead_features(page, body)
    assert np.flatnonzero(out[:, HEADLINE]).tolist() == [3]
    assert out[1, SHARED] == out[3, SHARED] > 0


def test_arabic_headline_is_found():
    paras = ["افتتحت هيئة النهر السد الجديد للفيضانات يوم الثلاثاء بعد ثلاث سنوات من أعمال البناء في الوادي الكبير.",
             "يقول المهندسون إن السد الجديد يحمي بلدات الوادي من الفيضانات أكثر من الجدار القديم بكثير جدا حسب التقديرات."]
    page = ["الرئيسية", "أخبار", "هيئة النهر تفتتح السد الجديد للفيضانات", "بقلم كاتب", "شارك"] + paras
    out = lead_features(page, np.array([0.1] * 5 + [0.9] * 2))
    assert np.flatnonzero(out[:, HEADLINE]).tolist() == [2]


def test_no_headline_outside_the_window_or_without_prose():
    far = ["River authority opens new flood barrier"] + ["Menu item"] * WINDOW + PARAGRAPHS
    out = lead_features(far, np.array([0.1] * (WINDOW + 1) + [0.9] * 3))
    assert not out[:, HEADLINE].any() and out[0, SHARED] == 0.0
    # no line is body in pass one: there is no article, so no column is set
    assert not lead_features(PAGE, np.full(len(PAGE), 0.2)).any()
    # body lines shorter than a paragraph make no lead
    assert not lead_features(["Home", "River flood barrier"], np.array([0.9, 0.9])).any()
    assert lead_features([], np.zeros(0)).shape == (0, len(LEAD_NAMES))


def test_batch_rows_are_each_page_alone():
    other = ["Login", "Weather today"] + PARAGRAPHS[:1]
    lines = PAGE + other
    body = np.concatenate([BODY, [0.1, 0.1, 0.9]])
    spans = [(0, len(PAGE), np.arange(len(PAGE))), (len(PAGE), len(lines), np.arange(3))]
    got = lead_features_batch(lines, body, spans)
    assert np.array_equal(got[:len(PAGE)], lead_features(PAGE, BODY))
    assert np.array_equal(got[len(PAGE):], lead_features(other, body[len(PAGE):]))


@pytest.fixture(scope="module")
def lead_model(training_records, tmp_path_factory):
    from helpers import fit_variant

    return fit_variant(training_records, tmp_path_factory.mktemp("lead") / "model", lead_cues=True)


def test_model_with_lead_columns_round_trips(lead_model, example_texts):
    from classifier import LineClassifier
    from classifier.explain import explain_page, second_pass_names

    clf, path = lead_model
    assert clf.combiner_.lead
    back = LineClassifier.load(path)
    assert back.lead_cues and back.manifest_["lead_cues"] is True
    assert json.loads((path / "combiner.json").read_text())["lead"] == list(LEAD_NAMES)
    pages = list(example_texts.values())
    for a, b in zip(clf.predict_proba(pages), back.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)
    names = second_pass_names(back)
    assert names[-len(LEAD_NAMES):] == LEAD_NAMES and len(names) == back.combiner_.second.mean.shape[0]
    explained = [e for e in explain_page(back, pages[0]) if e is not None]
    assert [e.label for e in explained] == [lab.label for lab in back.label_text(pages[0]) if lab is not None]


def test_lead_combiner_needs_lines_and_refuses_other_columns(lead_model):
    from classifier.combiner import TwoPassCombiner

    clf, _ = lead_model
    X = np.zeros((3, clf.combiner_.first.mean.shape[0]), dtype=np.float32)
    with pytest.raises(ValueError, match="lines="):
        clf.combiner_.predict_proba(X, [(0, 3, np.arange(3))])
    arrays, meta = clf.combiner_.to_files()
    changed = json.loads(meta)
    changed["lead"] = ["lead_headline"]
    with pytest.raises(ValueError, match="lead columns"):
        TwoPassCombiner.from_files(arrays, json.dumps(changed).encode())
    del changed["lead"]  # the same arrays read as a combiner without the columns: wrong width
    with pytest.raises(ValueError, match="columns"):
        TwoPassCombiner.from_files(arrays, json.dumps(changed).encode())
