"""The credit-line rule (classifier/credit_lines.py): which lines are photo credits or
captions by their label, what the rule does to the probabilities, and that it runs after
the rules that raise lines to body. Every line here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, credit_lines
from classifier.rules import CREDIT_CUE, LIST_CUE, apply_rules, rules
from helpers import verdicts

BOILER = LABELS.index("boilerplate")


@pytest.mark.parametrize("line", [
    "Photo: The old ferry terminal at dawn / Harbour Daily",
    "Image credit: Jane Doe for Harbour Daily",
    "PHOTO BY: Sam Rivers",
    "Photographed by: Lee Quay",
    "Credit: Harbour Press Agency",
    "Courtesy of: the Lighthouse Museum",
    "Illustration: Mia Stone",
    "تصوير: سامي الخطيب",
    "الصورة: ميناء المدينة عند الفجر",
])
def test_credit_lines(line):
    assert credit_lines.is_credit_line(line)


@pytest.mark.parametrize("line", [
    "Video: the council meeting in full",            # a kicker, a section label
    "Graphics: integrated, 4 GB",                    # a product's specification
    "Credits:",                                      # a heading, nothing after its colon
    "The photo: a lighthouse keeper's own account",  # no label at the start
    "Photo: " + " ".join(["The keeper climbed the stairs every night to light the lamp."] * 4),  # prose
])
def test_not_credit_lines(line):
    assert not credit_lines.is_credit_line(line)


def test_credits_the_model_called_body_become_boilerplate_and_nothing_else_moves():
    lines = ["Harbour council approves the new ferry terminal",
             "Photo: The old terminal at dawn / Harbour Daily",
             "Credit: Harbour Press Agency",
             "Image: A ferry in a storm",
             "The council approved on Tuesday a plan to build a new terminal on the east quay."]
    probs = verdicts(["body", "body", "comment", "clickbait", "body"])
    out = credit_lines.apply_credits(probs, lines)
    assert credit_lines.credit_rows(probs, lines).tolist() == [1, 2]  # clickbait keeps its label
    assert all(out[i].argmax() == BOILER for i in (1, 2))
    assert out[1, BOILER] == pytest.approx(credit_lines.BOILERPLATE_PROBABILITY)
    assert np.array_equal(out[[0, 3, 4]], probs[[0, 3, 4]])
    without = probs[[0, 4]]
    assert credit_lines.apply_credits(without, [lines[0], lines[4]]) is without  # nothing to change


def test_a_credit_between_paragraphs_stays_boilerplate_after_every_rule():
    """Between two paragraphs of the article a credit looks like the article's own short
    line to the list rule, which raises it to body; the credit rule runs after it."""
    lines = ["The harbour council voted on Friday to rebuild the old stone lighthouse on the quay.",
             "Photo: The lighthouse in 1910 / Harbour Museum",
             "Work will start in the spring, and the council expects the lighthouse lamp to shine again."]
    out = apply_rules(verdicts(["body", "boilerplate", "body"]), lines)
    assert [LABELS[i] for i in out.argmax(axis=1)] == ["body", "boilerplate", "body"]
    names = [name for name, _ in rules()]
    assert names.index(CREDIT_CUE) > names.index(LIST_CUE)
