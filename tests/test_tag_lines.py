"""The tag-line rule (classifier/tag_lines.py): which lines are tag or category lines, what
the rule does to the probabilities, and that the model and explain apply it. Every page
here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, rules, tag_lines
from classifier.explain import explain_page
from classifier.rules import TAGS_CUE
from helpers import pinned, verdicts

BODY, BOILER, COMMENT, CB = (LABELS.index(k) for k in ("body", "boilerplate", "comment", "clickbait"))


@pytest.mark.parametrize("line", [
    "Tags: lighthouse, harbour, council", "tagged with: storms", "Filed under: Local news",
    "  Posted in: Harbour", "Labels: lighthouse, repairs", "Categories : Coast", "Topics: weather",
    "Keywords: lamp, glass", "الوسوم: المنارة، الميناء", "التصنيف: أخبار محلية",
])
def test_tag_lines(line):
    assert tag_lines.is_tag_line(line)


@pytest.mark.parametrize("line", [
    "Tags are what the council used to sort the old photographs of the lighthouse.",  # no label
    "The council posted in March: the lamp will shine again.",  # "posted in" not at the start
    "Tagged", "Categories", "", "Label the boxes before the move: it saves a day.",
    "التصنيف الجديد للمنارة يثير الجدل في المدينة",  # the word, but no colon
])
def test_not_tag_lines(line):
    assert not tag_lines.is_tag_line(line)


def test_body_and_comment_tag_lines_become_boilerplate_and_nothing_else_moves():
    lines = ["Harbour council votes to rebuild the lighthouse", "Tags: lighthouse, harbour",
             "Filed under: Local", "Topics: coast", "The council voted on Friday."]
    probs = verdicts(["body", "body", "comment", "clickbait", "body"])
    out = tag_lines.apply_tags(probs, lines)
    changed = [i for i in range(len(lines)) if not np.array_equal(out[i], probs[i])]
    assert changed == tag_lines.tag_rows(probs, lines).tolist() == [1, 2]  # clickbait keeps its label
    for i in changed:  # boilerplate at the floor, the other labels scaled in proportion
        assert out[i, BOILER] == pytest.approx(tag_lines.BOILERPLATE_PROBABILITY)
        others = [k for k in range(len(LABELS)) if k != BOILER]
        assert out[i, others] / out[i, others].sum() == pytest.approx(probs[i, others] / probs[i, others].sum())


def test_a_page_without_tag_lines_is_returned_as_it_was():
    lines = ["Harbour council votes to rebuild the lighthouse", "The council voted on Friday."]
    probs = verdicts(["body", "body"])
    assert tag_lines.apply_tags(probs, lines) is probs


def test_it_runs_after_the_rules_that_raise_lines():
    """The own headline and the thread rule raise lines to body or comment; a tag line they
    raised must still end boilerplate, so this rule comes after them (clickbait marks last)."""
    order = [cue for cue, _ in rules.rules()]
    assert order.index(TAGS_CUE) > max(order.index(rules.TITLE_CUE), order.index(rules.THREAD_CUE),
                                       order.index(rules.LIST_CUE))
    assert order[-1] == rules.GUIDE_CUE


def test_the_model_applies_the_rule_and_explain_names_it(clf, monkeypatch):
    """The tiny model's verdict on the tag line is pinned to body, so the rule has a line to
    move; label_pages must apply it and explain must name it."""
    tags = "Tags: lighthouse, harbour, council"
    text = "\n".join(["Harbour council votes to rebuild the lighthouse",
                      "The harbour council voted on Friday to rebuild the old stone lighthouse, which has "
                      "stood empty since the storm of last winter.", tags])
    monkeypatch.setattr(tag_lines, "apply_tags", pinned(tag_lines.apply_tags, tags, [0.85, 0.05, 0.05, 0.05]))
    ((_, on),) = list(clf.label_pages([("p", text)]))
    assert on[2].label == "boilerplate" and on[2].score == pytest.approx(tag_lines.BOILERPLATE_PROBABILITY)
    exps = explain_page(clf, text, top=20)
    assert exps[2].label == "boilerplate" and TAGS_CUE in [c.name for c in exps[2].cues]
