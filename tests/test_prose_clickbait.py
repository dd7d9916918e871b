"""The clickbait-in-prose rule (classifier/prose_clickbait.py): a line called clickbait
between two body lines, or continuing a sentence beside one, is the article's text; a
teaser in a widget or a title above the article is not touched; the guide's marks still
win. Every line here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, prose_clickbait
from classifier.rules import CMS_CUE, GUIDE_CUE, PROSE_CUE, apply_rules, rules
from helpers import verdicts

BODY = LABELS.index("body")


def _labels(probs):
    return [LABELS[i] for i in probs.argmax(axis=1)]


def test_a_rhetorical_question_between_paragraphs_is_body():
    lines = ["We waited at the pier for the evening ferry, but it never came that day.",
             "So where had the ferry gone?",
             "The harbour master told us later that the engine had failed off the point."]
    probs = verdicts(["body", "clickbait", "body"])
    out = prose_clickbait.apply_prose(probs, lines)
    assert _labels(out) == ["body", "body", "body"]
    assert out[1, BODY] == pytest.approx(prose_clickbait.BODY_PROBABILITY)
    assert np.array_equal(out[[0, 2]], probs[[0, 2]])


def test_a_wrapped_line_of_a_paragraph_is_body_under_a_body_line():
    lines = ["The keeper remembered the storms of his childhood better than last week, and",
             "things from the far past came back to him more easily than the",
             "Read more: Ten storms that changed the harbour"]
    probs = verdicts(["body", "clickbait", "boilerplate"])
    assert prose_clickbait.prose_rows(probs, lines).tolist() == [1]


@pytest.mark.parametrize("labels", [
    ["body", "clickbait", "boilerplate"],  # the title above the article's first line
    ["boilerplate", "clickbait", "body"],  # ... the other way round
    ["boilerplate", "clickbait", "clickbait"],  # a widget's items
])
def test_a_teaser_or_a_title_keeps_its_label(labels):
    lines = ["The ferry timetable changes on Monday for the winter season, the council said.",
             "This Harbour Town Secret Will Change How You See The Sea",
             "You Will Not Guess What Divers Found Under The Old Pier"]
    probs = verdicts(labels)
    assert prose_clickbait.apply_prose(probs, lines) is probs


def test_pages_are_read_apart():
    """The last line of one page and the first of the next are no neighbours."""
    lines = ["The council met on Tuesday evening to discuss the lighthouse repairs at length.",
             "Seven Lighthouses You Have To See Before You Die",
             "Seven Lighthouses You Have To See Before You Die",
             "The repairs will start in spring and end before the summer season, they said."]
    probs = verdicts(["body", "clickbait", "clickbait", "body"])
    assert prose_clickbait.prose_rows(probs, lines, [2, 2]).tolist() == []
    assert prose_clickbait.prose_rows(probs, lines, [4]).tolist() == []
    probs = verdicts(["body", "clickbait", "body", "body"])
    assert prose_clickbait.prose_rows(probs, lines, [4]).tolist() == [1]
    assert prose_clickbait.prose_rows(probs, lines, [2, 2]).tolist() == []


def test_arabic_a_question_inside_the_article_is_body():
    lines = ["انتظرنا العبارة المسائية عند الرصيف ساعتين كاملتين لكنها لم تصل في ذلك اليوم.",
             "فماذا جرى لها؟",
             "وأخبرنا مدير الميناء لاحقا أن محركها تعطل قبالة الرأس الشمالي."]
    assert _labels(apply_rules(verdicts(["body", "clickbait", "body"]), lines)) == ["body"] * 3


def test_the_guides_marks_still_win_inside_prose_and_the_rule_runs_before_them():
    lines = ["We waited at the pier for the evening ferry, but it never came that day.",
             "You won't believe what the divers found under the pier",
             "The harbour master told us later that the engine had failed off the point."]
    assert _labels(apply_rules(verdicts(["body", "clickbait", "body"]), lines))[1] == "clickbait"
    names = [name for name, _ in rules()]
    assert names.index(CMS_CUE) < names.index(PROSE_CUE) < names.index(GUIDE_CUE)


def test_a_title_opening_in_lower_case_above_the_article_keeps_its_label():
    """A page's own title has body below it only; "iOS ..." or "e-scooters ..." open it."""
    lines = ["e-scooters are about to get a lot more expensive, here's why",
             "The city council voted on Tuesday to add a fee to every rented scooter in the harbour district.",
             "The fee will fund new parking bays near the ferry terminal, the council said."]
    probs = verdicts(["clickbait", "body", "body"])
    assert prose_clickbait.apply_prose(probs, lines) is probs
    lines[0] = "iOS 19 will change how you unlock your phone forever"
    probs = verdicts(["body", "clickbait", "body"])
    assert prose_clickbait.prose_rows(probs, [lines[1], lines[0], lines[2]]).tolist() == [1]  # inside prose


@pytest.mark.parametrize("line, expected", [("things from the past", True), ("The keeper", False),
                                            ("7 ways", False), ("«quoted»", False), ("", False),
                                            ("éclair season", False), ("ماذا جرى", False),
                                            ("iOS 19 is here", False), ("eBay sells the pier", False),
                                            ("e-scooters are back", True)])
def test_continues_a_sentence(line, expected):
    assert prose_clickbait.continues_a_sentence(line) is expected
