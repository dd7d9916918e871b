"""The article-list rule (classifier/article_lists.py): which runs between two paragraphs
of the article are its own list or table, what the rule does to the probabilities, and that
the model and explain apply it. Every page here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, article_lists as al
from classifier.explain import explain_page
from classifier.rules import LIST_CUE
from helpers import verdicts

BODY, BOILER, COMMENT, CB = (LABELS.index(k) for k in ("body", "boilerplate", "comment", "clickbait"))

HEADLINE = "Packing for a week on the coastal trail"
OPENING = ("A week on the coastal trail asks for less gear than most walkers think, but the few "
           "things you carry have to be the right ones.")
INTRO = "Here is the packing list we used on the trail last summer, item by item:"
ITEMS = ["Tent", "Rainfly", "Sleeping bag rated to five degrees", "Stove and one gas canister", "Water filter"]
CLOSING = ("Everything on this list fitted into one forty-litre pack, and we never wished we had "
           "brought more for the trail.")


def _page(middle, middle_label="boilerplate"):
    lines = [HEADLINE, OPENING, INTRO, *middle, CLOSING]
    labels = ["body", "body", "body", *[middle_label] * len(middle), "body"]
    return lines, verdicts(labels)


def test_a_list_between_two_paragraphs_becomes_body():
    lines, probs = _page(ITEMS)
    rows = list(range(3, 3 + len(ITEMS)))
    assert al.list_spans(lines, probs.argmax(axis=1)) == [(3, 3 + len(ITEMS))]
    out = al.apply_lists(probs, lines)
    changed = [i for i in range(len(lines)) if not np.array_equal(out[i], probs[i])]
    assert changed == rows
    assert all(out[i].argmax() == BODY and out[i, BODY] == pytest.approx(al.BODY_PROBABILITY) for i in rows)
    assert all(out[i, [BOILER, COMMENT, CB]].sum() == pytest.approx(1 - al.BODY_PROBABILITY) for i in rows)


def test_an_arabic_table_between_two_paragraphs_becomes_body():
    lines = ["أسعار الخضار في سوق المدينة هذا الأسبوع",
             "ارتفعت أسعار الخضار في سوق المدينة هذا الأسبوع بعد أيام من المطر، وقال التجار إن الأسعار ستعود إلى ما كانت عليه قريبا.",
             "الطماطم", "12 درهما", "البطاطس", "8 دراهم",
             "ويتوقع التجار أن تنخفض أسعار الخضار في السوق مع بداية الشهر المقبل، بعد وصول محصول الحقول الجديدة."]
    probs = verdicts(["body", "body", "boilerplate", "boilerplate", "boilerplate", "boilerplate", "body"])
    assert al.list_rows(probs, lines).tolist() == [2, 3, 4, 5]


@pytest.mark.parametrize("middle", [
    ["Share on Facebook", "Tweet", "Email"],                     # a share bar
    ["Photo: Ann Lee / Harbour Press"],                          # a caption's credit
    ["Advertisement"],
    ["Start your free trial", "Learn more"],                     # a call to action
    ["3 hours ago"],                                             # a time
    ["Source: The Harbour Chronicle"],                           # a credit line
])
def test_furniture_between_paragraphs_stays_boilerplate(middle):
    lines, probs = _page(middle)
    assert al.list_rows(probs, lines).tolist() == []
    assert al.apply_lists(probs, lines) is probs


def test_a_bylines_date_breaks_a_short_run_but_not_a_tables_column():
    byline, _ = _page(["Ann Lee", "March 9, 2024"])
    assert al.list_rows(_page(["Ann Lee", "March 9, 2024"])[1], byline).tolist() == []
    table = ["Month", "Visitors", "March 9, 2024", "1,204", "April 6, 2024", "1,530"]
    lines, probs = _page(table)
    assert al.list_rows(probs, lines).tolist() == list(range(3, 3 + len(table)))


def test_a_headline_is_not_a_paragraph():
    """Between a sentence-case headline and the opening lie the byline and a read counter:
    the headline shares the opening's topic but does not end as a sentence, so they are not
    a run inside the article."""
    headline = "Packing light for a whole week of walking on the coastal trail"
    lines = [headline, "Ann Lee", "Read 142 times", OPENING, CLOSING]
    probs = verdicts(["body", "boilerplate", "boilerplate", "body", "body"])
    assert al.topic_words(headline) & al.topic_words(OPENING)  # only the sentence end tells
    assert al.list_rows(probs, lines).tolist() == []
    assert al._is_paragraph(OPENING) and not al._is_paragraph(headline)


def test_a_run_between_stories_on_different_topics_is_not_read():
    """A listing page: two summaries of different stories with a section name between them
    share no content word, so the section name stays boilerplate."""
    lines = ["The harbour council voted on Friday to rebuild the stone lighthouse after the storm.",
             "Sport",
             "Northfield won the county cricket final by six wickets in front of a record crowd."]
    probs = verdicts(["body", "boilerplate", "body"])
    assert al.list_rows(probs, lines).tolist() == []


def test_runs_too_long_after_a_comment_or_holding_a_comment_are_not_read():
    long_run = [f"Item number {n}" for n in range(al.MAX_RUN + 1)]
    lines, probs = _page(long_run)
    assert al.list_rows(probs, lines).tolist() == []
    lines, probs = _page(ITEMS)
    probs[4] = verdicts(["comment"])[0]  # a comment line inside the run
    assert al.list_rows(probs, lines).tolist() == []
    lines, probs = _page(ITEMS)
    after_comment = np.vstack([verdicts(["comment"]), probs])  # the page's thread starts above
    assert al.list_rows(after_comment, ["Leave a reply"] + lines).tolist() == []


def test_body_lines_in_a_run_stay_and_only_boilerplate_ones_move():
    lines, probs = _page(ITEMS)
    probs[3] = verdicts(["body"])[0]
    out = al.apply_lists(probs, lines)
    assert np.array_equal(out[3], probs[3])
    assert al.list_rows(probs, lines).tolist() == [4, 5, 6, 7]


@pytest.mark.parametrize("label", ["clickbait", "comment"])
def test_a_clickbait_or_comment_line_breaks_the_run(label):
    lines, probs = _page(ITEMS)
    probs[5] = verdicts([label])[0]
    assert al.list_rows(probs, lines).tolist() == []


def test_a_script_fragment_breaks_the_run():
    """The fragment rule made it boilerplate; this rule must not raise it back to body."""
    lines, probs = _page(["Tent", "'); document.write('Sport'); document.write('", "Stakes"])
    assert al.list_rows(probs, lines).tolist() == []


def test_a_run_of_exactly_max_run_lines_is_read():
    run = [f"Item number {n}" for n in range(al.MAX_RUN)]
    lines, probs = _page(run)
    assert al.list_rows(probs, lines).tolist() == list(range(3, 3 + al.MAX_RUN))


def test_pages_in_one_batch_are_read_one_by_one():
    """The first page ends in boilerplate and the second opens with a paragraph on the same
    topic: read as one page, the boilerplate would lie between two paragraphs."""
    first, p1 = _page(ITEMS)
    first, p1 = first + ["Sport", "Weather"], np.vstack([p1, verdicts(["boilerplate", "boilerplate"])])
    second = ["The coastal trail reopens in March after the storm damage to its bridges was repaired."]
    probs = np.vstack([p1, verdicts(["body"])])
    rows = al.list_rows(probs, first + second, [len(first), len(second)]).tolist()
    assert rows == al.list_rows(p1, first).tolist() == [3, 4, 5, 6, 7]
    assert al.list_rows(probs, first + second).tolist() == [3, 4, 5, 6, 7, 9, 10]  # as one page


def _text():
    return "\n".join([HEADLINE, "", OPENING, "", INTRO, *ITEMS, "", CLOSING])


def test_explain_names_the_rule(clf, monkeypatch):
    """The tiny model's verdicts are pinned (paragraphs body, items boilerplate), so the rule
    has lines to move; label_pages must apply it (the items come out body) and explain must
    name it among their cues and agree with label_pages; switched off, no rule runs."""
    real = al.apply_lists

    def pinned(probs, lines, sizes=None):
        probs = np.array(probs, dtype=np.float64)
        for row, line in enumerate(lines):
            probs[row] = verdicts(["boilerplate" if line in ITEMS else "body"])[0]
            probs[row] /= probs[row].sum()
        return real(probs, lines, sizes)

    monkeypatch.setattr(al, "apply_lists", pinned)
    exps = explain_page(clf, _text(), top=20)
    ((_, labels),) = list(clf.label_pages([("p", _text())]))
    moved = [e for e in exps if e is not None and e.text in ITEMS]
    assert len(moved) == len(ITEMS)
    assert all(e.label == "body" and LIST_CUE in [c.name for c in e.cues] for e in moved)
    assert all(e.probs == pytest.approx(dict(labels[e.line - 1].probs)) for e in moved)
    assert all(labels[e.line - 1].label == "body" for e in moved)
    clf.set_params(guide_marks=False)
    try:
        ((_, off),) = list(clf.label_pages([("p", _text())]))
    finally:
        clf.set_params(guide_marks=True)
    assert [x.score for x in off if x is not None] != [x.score for x in labels if x is not None]
