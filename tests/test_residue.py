"""The script-fragment rule (classifier/residue.py): which lines are fragments of a script,
what the rule does to the probabilities, and that the model and explain apply it. Every
page here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, residue
from classifier.explain import explain_page
from classifier.rules import RESIDUE_CUE
from helpers import pinned, verdicts

BODY, BOILER, COMMENT, CB = (LABELS.index(k) for k in ("body", "boilerplate", "comment", "clickbait"))


@pytest.mark.parametrize("line", [
    "'); document.write('أيام الاقتصاد'); document.write('",
    "'); document.write('",
    '"); writeBanner("sport");',
    "  ')); trackView('harbour-news');",
])
def test_script_fragments(line):
    assert residue.is_script_fragment(line)


@pytest.mark.parametrize("line", [
    'document.write("Hello, harbour!");',          # a tutorial's code sample starts a statement
    "});",                                           # the end of a code block in a sample
    "');",                                           # a sample's multi-line string closing
    "'Tis the season for lighthouse tours.",         # prose that opens with an apostrophe
    '"The lamp will shine again," the mayor said.',  # a quotation
    '";',                                            # a string's end with no call's end
    "",
])
def test_not_script_fragments(line):
    assert not residue.is_script_fragment(line)


def test_body_and_comment_fragments_become_boilerplate_and_nothing_else_moves():
    lines = ["Harbour council votes to rebuild the lighthouse",
             "'); document.write('أيام الاقتصاد'); document.write('",
             "\u00a0'); showAd('top');",
             "'); showAd('top');",
             "The council voted on Friday to rebuild the old stone lighthouse."]
    probs = verdicts(["body", "body", "comment", "clickbait", "body"])
    out = residue.apply_fragments(probs, lines)
    assert residue.fragment_rows(probs, lines).tolist() == [1, 2]
    assert all(out[i].argmax() == BOILER and out[i, BOILER] == pytest.approx(residue.BOILERPLATE_PROBABILITY)
               for i in (1, 2))
    assert np.array_equal(out[[0, 3, 4]], probs[[0, 3, 4]])  # clickbait keeps its label (precedence)


def test_the_search_finds_exactly_the_lines_the_full_test_accepts():
    """fragment_rows' search for ");" over the joined lines against is_script_fragment on every
    line of a varied sample: fragments, ");" later in a line, several on one line, the last line."""
    base = ["'); document.write('أيام'); document.write('", "call(a); then(b);", "');", "x');y(",
            "The mayor (who spoke last); said so.", '"); f(', "", "plain text", "'); g(); h(); '); k("]
    lines = base + [f"  {line}" for line in base] + ["\u00a0'); z("] + base[::-1]
    probs = verdicts(["body"] * len(lines))
    expected = [i for i, line in enumerate(lines) if residue.is_script_fragment(line)]
    assert residue.fragment_rows(probs, lines).tolist() == expected
    assert len(expected) >= 6


def test_a_page_without_fragments_is_returned_as_it_was():
    lines = ["Harbour council votes to rebuild the lighthouse", "The council voted on Friday."]
    probs = verdicts(["body", "body"])
    assert residue.apply_fragments(probs, lines) is probs


def test_the_model_applies_the_rule_and_explain_names_it(clf, monkeypatch):
    """The tiny model's verdict on the fragment is pinned to body, so the rule has a line to
    move; label_pages must apply it, explain must name it, and switched off it must not run."""
    fragment = "'); document.write('أيام الاقتصاد'); document.write('"
    text = "\n".join(["Harbour council votes to rebuild the lighthouse",
                      "The harbour council voted on Friday to rebuild the old stone lighthouse, which has "
                      "stood empty since the storm of last winter.",
                      fragment,
                      "Work will start in the spring, and the council expects the lamp to shine again."])
    monkeypatch.setattr(residue, "apply_fragments", pinned(residue.apply_fragments, fragment, [0.85, 0.05, 0.05, 0.05]))
    ((_, on),) = list(clf.label_pages([("p", text)]))
    assert on[2].label == "boilerplate" and on[2].score == pytest.approx(residue.BOILERPLATE_PROBABILITY)
    exps = explain_page(clf, text, top=20)
    assert exps[2].label == "boilerplate" and RESIDUE_CUE in [c.name for c in exps[2].cues]
    clf.set_params(guide_marks=False)
    try:
        ((_, off),) = list(clf.label_pages([("p", text)]))
    finally:
        clf.set_params(guide_marks=True)
    assert off[2].score != pytest.approx(residue.BOILERPLATE_PROBABILITY)


# --- CMS and feed residue (apply_cms_residue) -----------------------------------------------

@pytest.mark.parametrize("line", [
    '[gallery ids="3,4,9" columns="2"]',
    "  [share_buttons style=round]  ",
    "[/caption]",
    "[contact-form-7 id=12 title=Enquiry] [/contact-form-7]",
    "fbpx",
    "The post Harbour bridge reopens after two years appeared first on Harbour Daily.",
    "ظهرت المقالة افتتاح الجسر الجديد فوق النهر أولاً على أخبار الميناء.",
])
def test_cms_and_feed_residue(line):
    assert residue.is_cms_residue(line)


@pytest.mark.parametrize("line", [
    "[via Harbour Agency]",                       # an editor's note: words with spaces
    "[ssba]",                                      # bare: a transcript's "[int]" has its shape
    "[laughs]",
    "[VIDEO]",                                     # a media tag, the guide's clickbait mark
    "[1]",                                         # a footnote's mark
    "See [ssba] in the plugin's settings page.",   # a shortcode named inside prose
    "The post that appeared first on the forum drew 300 replies",  # no footer's full stop
    "The mayor said the bridge appeared first on the council's list.",
    "fbpx tracking is described in our privacy policy.",
])
def test_not_cms_residue(line):
    assert not residue.is_cms_residue(line)


def test_residue_between_paragraphs_stays_boilerplate_after_every_rule():
    """A shortcode between two paragraphs of the article looks like the article's own list
    to the list rule, which raises it to body; the residue rule runs after it."""
    from classifier.rules import apply_rules

    lines = ["The harbour council voted on Friday to rebuild the old stone lighthouse on the quay.",
             '[share_buttons style="round"]',
             "Work will start in the spring, and the council expects the lighthouse lamp to shine again.",
             "The post Council votes to rebuild the lighthouse appeared first on Harbour Daily."]
    probs = verdicts(["body", "boilerplate", "body", "body"])
    out = apply_rules(probs, lines)
    assert [LABELS[i] for i in out.argmax(axis=1)] == ["body", "boilerplate", "body", "boilerplate"]
    assert out[3, BOILER] == pytest.approx(residue.BOILERPLATE_PROBABILITY)
    alone = residue.apply_cms_residue(verdicts(["body", "comment", "body", "clickbait"]), lines)
    assert [LABELS[i] for i in alone.argmax(axis=1)] == ["body", "comment", "body", "clickbait"]  # body only
