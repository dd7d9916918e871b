"""The own-headline rule (classifier/own_title.py): which line is taken for the page's own
headline, what the rule does to its probabilities, and that the model and explain apply it.
The pages are written for these tests; each expected row is written out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, own_title
from classifier.explain import explain_page
from classifier.rules import TITLE_CUE

BODY, BOILER = LABELS.index("body"), LABELS.index("boilerplate")

LEAD_EN = ("The harbour council voted on Friday to rebuild the old stone lighthouse, which has stood "
           "empty since the storm of last winter.")
NEXT_EN = ("Work on the lighthouse will start in the spring, and the council expects the lamp to shine "
           "again before the end of the year.")
EN_PAGE = [
    "Home",                                                    # 0
    "Harbour News",                                            # 1
    "Council votes to rebuild the old lighthouse",            # 2  the headline
    "By Jane Ferry, staff writer",                             # 3
    "12 March",                                                # 4
    "Share this article",                                      # 5
    LEAD_EN,                                                   # 6  the lead
    NEXT_EN,                                                   # 7
    "Related",                                                 # 8
    "Lighthouse keepers remember the storm",                   # 9
]
EN_LABELS = ["boilerplate", "boilerplate", "boilerplate", "boilerplate", "boilerplate", "boilerplate",
             "body", "body", "boilerplate", "boilerplate"]

AR_PAGE = [
    "الرئيسية",
    "المجلس البلدي يقرر ترميم المنارة القديمة في الميناء",    # 1  the headline
    "الكاتب: محمد",
    "قرر المجلس البلدي يوم الجمعة ترميم المنارة القديمة في الميناء بعد أن بقيت مهجورة منذ العاصفة "
    "التي ضربت المدينة في الشتاء الماضي.",                      # 3  the lead
    "مواضيع مرتبطة",
]
AR_LABELS = ["boilerplate", "boilerplate", "boilerplate", "body", "boilerplate"]


def _probs(labels, top=0.7):
    """One row per label: ``top`` on it, the rest shared unevenly (so proportions are tested)."""
    rest = np.array([0.5, 0.3, 0.15, 0.05])
    out = np.zeros((len(labels), len(LABELS)))
    for row, label in enumerate(labels):
        k = LABELS.index(label)
        others = [i for i in range(len(LABELS)) if i != k]
        out[row, others] = (1 - top) * rest[:len(others)] / rest[:len(others)].sum()
        out[row, k] = top
    return out


@pytest.mark.parametrize("page,labels,row", [(EN_PAGE, EN_LABELS, 2), (AR_PAGE, AR_LABELS, 1)])
def test_the_headline_above_the_lead_is_found(page, labels, row):
    assert own_title.headline_row(page, _probs(labels)[:, BODY]) == row


def test_the_rule_makes_it_body_and_keeps_the_other_labels_in_proportion():
    probs = _probs(EN_LABELS)
    out = own_title.apply_title(probs, EN_PAGE)
    changed = [i for i in range(len(EN_PAGE)) if not np.array_equal(out[i], probs[i])]
    assert changed == [2]
    assert out[2, BODY] == pytest.approx(own_title.TITLE_PROBABILITY)
    others = [i for i in range(len(LABELS)) if i != BODY]
    assert out[2, others] / out[2, others].sum() == pytest.approx(probs[2, others] / probs[2, others].sum())
    assert out[2].sum() == pytest.approx(1.0)


def test_a_breadcrumb_a_section_name_and_a_label_are_not_headlines():
    page = ["Home > Harbour News > Council votes to rebuild the old lighthouse",
            "News / Harbour / Lighthouse council rebuild",
            "Lighthouse Blog",                     # one word shared: a section's name
            "Lighthouse and harbour council vote:",  # a label
            LEAD_EN, NEXT_EN]
    labels = ["boilerplate"] * 4 + ["body", "body"]
    assert own_title.headline_row(page, _probs(labels)[:, BODY]) is None
    probs = _probs(labels)
    assert own_title.apply_title(probs, page) is probs  # nothing changed: no copy


def test_the_nearer_of_two_equal_candidates_wins_and_a_farther_one_is_out_of_reach():
    page = ["Council votes to rebuild the old lighthouse"] + ["Menu item"] * own_title.WINDOW + \
        ["Rebuild lighthouse: council votes", "Council votes to rebuild the old lighthouse", LEAD_EN]
    labels = ["boilerplate"] * (len(page) - 1) + ["body"]
    assert own_title.headline_row(page, _probs(labels)[:, BODY]) == len(page) - 2


def test_no_lead_no_headline():
    """Without a long line the model calls body there is no article to restate."""
    labels = ["boilerplate"] * len(EN_PAGE)
    assert own_title.headline_row(EN_PAGE, _probs(labels)[:, BODY]) is None
    short = [line[:60] for line in EN_PAGE]  # the prose cut below a paragraph's length
    assert own_title.headline_row(short, _probs(EN_LABELS)[:, BODY]) is None


@pytest.mark.parametrize("label", ["clickbait", "comment", "body"])
def test_a_headline_the_model_did_not_call_boilerplate_is_left_alone(label):
    labels = list(EN_LABELS)
    labels[2] = label
    probs = _probs(labels)
    assert own_title.apply_title(probs, EN_PAGE) is probs


def test_pages_in_one_batch_are_read_one_by_one():
    """The second page's headline is above its own lead; the first page's lead does not
    reach into the second page, nor the second's search window back into the first."""
    lines = EN_PAGE + AR_PAGE
    probs = _probs(EN_LABELS + AR_LABELS)
    rows = own_title.headline_rows(probs, lines, [len(EN_PAGE), len(AR_PAGE)])
    assert rows.tolist() == [2, len(EN_PAGE) + 1]
    headless = ["Council votes to rebuild the old lighthouse"] + ["Menu"] * 3
    rows = own_title.headline_rows(_probs(["boilerplate"] * 4 + AR_LABELS), headless + AR_PAGE, [4, len(AR_PAGE)])
    assert rows.tolist() == [4 + 1]


def _page_text():
    return "\n".join(["Home", "Council votes to rebuild the old lighthouse", "By Jane Ferry", "",
                      LEAD_EN, NEXT_EN, "", "Privacy policy"])


def test_the_model_applies_the_rule_unless_switched_off(with_and_without_rules):
    on, off = with_and_without_rules(_page_text())
    assert off[1].label == "boilerplate", "the test needs a headline the model alone calls boilerplate"
    changed = [i for i, (a, b) in enumerate(zip(on, off)) if a != b]
    assert changed == [1] and on[1].label == "body"
    assert on[1].score == pytest.approx(own_title.TITLE_PROBABILITY)


def test_explain_names_the_rule_when_it_moved_the_line(clf, monkeypatch):
    """The tiny test model's own verdict on the headline is pinned to boilerplate, so the
    rule has a line to move; explain must then show it and agree with label_pages."""
    real = own_title.apply_title
    calls = []

    def pinned(probs, lines, sizes=None):
        calls.append(1)
        probs = np.array(probs, dtype=np.float64)
        for row, line in enumerate(lines):
            if line == "Council votes to rebuild the old lighthouse":
                probs[row] = 0.04
                probs[row, BOILER] = 0.88
        return real(probs, lines, sizes)

    monkeypatch.setattr(own_title, "apply_title", pinned)
    exp = explain_page(clf, _page_text())[1]
    assert calls and exp.label == "body" and exp.score == pytest.approx(own_title.TITLE_PROBABILITY)
    assert exp.cues[0].name == TITLE_CUE and exp.cues[0].effect > 0


def test_the_quick_exits_change_no_answer():
    """headline_rows skips pages early (no boilerplate headline-shaped line above the lead);
    on shuffled pages of the lines above, with every label mix, it must find exactly the
    rows that headline_row, which reads every page in full, finds and the model called
    boilerplate."""
    rng = np.random.default_rng(7)
    pool = EN_PAGE + AR_PAGE + ["Home > News > Council votes to rebuild the old lighthouse", "Share"]
    pages, labels = [], []
    for _ in range(200):
        n = int(rng.integers(1, 14))
        pages.append([pool[i] for i in rng.integers(0, len(pool), n)])
        labels.append([str(rng.choice(LABELS)) for _ in range(n)])
    probs = _probs([lab for labs in labels for lab in labs])
    lines = [line for page in pages for line in page]
    expected, start = [], 0
    for page in pages:
        row = own_title.headline_row(page, probs[start:start + len(page), BODY])
        if row is not None and probs[start + row].argmax() == BOILER:
            expected.append(start + row)
        start += len(page)
    assert own_title.headline_rows(probs, lines, [len(p) for p in pages]).tolist() == expected
    assert len(expected) >= 5
