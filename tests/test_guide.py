"""The guide's own clickbait marks (classifier/guide.py): which lines carry one, what the
rule does to their probabilities, and that the model, its workers and explain apply it.
The example lines are written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, guide
from classifier.explain import explain_page
from classifier.rules import GUIDE_CUE

CB = LABELS.index("clickbait")

MARKED = [
    ("Lorry Sheds Its Load Of Custard On The Motorway! (VIDEO)", "media tag"),
    ("Baby goats take over the village library [Video]", "media tag"),
    ("Twenty dogs in costumes at the harbour parade (PHOTOS)", "media tag"),
    ("وزير النقل يفتتح الجسر الجديد فوق النهر (فيديو)", "media tag"),
    ("STUNNING U-TURN, MAYOR IN PANIC: Council scraps the river bridge plan", "all-caps hook"),
    ("YOU WILL NOT BELIEVE THIS! Lighthouse keeper finds a chest of coins", "all-caps hook"),
    ("You won't believe what the lighthouse keeper found in the attic", "named phrase"),
    ("Six Tourists Climbed The Old Tower, And You Won’t Believe What They Saw", "named phrase"),
    ("The goat walked into the bakery and nobody saw what happened next", "named phrase"),
    ("لن تصدق ماذا وجد الصياد في شباكه هذا الصباح!", "named phrase"),
    ("قطة تدخل المتحف.. ماذا حدث بعد ذلك؟", "named phrase"),
    ("لن تصدّق ما فعله القط داخل المتحف!", "named phrase"),  # with a shadda
]
UNMARKED = [
    "BREAKING: Council approves the budget for next year",  # a one-word kicker
    "READ MORE: Ten ways to save energy this winter",  # a two-word label
    "FILE PHOTO: Traders on the floor of the exchange",
    "NEW YORK (AP) — The city council voted on Friday to approve the budget",  # a dateline
    "Watch: the harbour parade in full",  # a kicker, not a tag
    "Harbour parade draws thousands - video",  # a site's dash convention
    "Council approves budget for the new bridge",
    "HOME NEWS SPORT: WEATHER",  # all caps throughout: casing, not a hook
    "(VIDEO)",  # too short to be a headline
    "Applying for a permit? Here is what happens next",  # the present: a service page's step
    "ماذا حدث بعد الانتخابات في المدينة؟ تحليل النتائج",  # a plain question, not the guide's phrase
    "Residents believe the council will reopen the library",
    " ".join(["You won't believe how long the council took to reply to my letter."] * 4),  # prose
    " ".join(["The council met for three hours on Friday evening to agree the budget."] * 4) + " (VIDEO)",
]


@pytest.mark.parametrize("line,mark", MARKED)
def test_the_guides_marks_are_found(line, mark):
    assert guide.guide_mark(line) == mark


@pytest.mark.parametrize("line", UNMARKED)
def test_kickers_labels_datelines_and_paragraphs_are_not_marks(line):
    assert guide.guide_mark(line) is None


def test_marked_lines_finds_them_in_order():
    lines = [UNMARKED[0], MARKED[0][0], UNMARKED[6], MARKED[4][0], ""]
    assert guide.marked_lines(lines).tolist() == [1, 3]


def test_apply_marks_raises_clickbait_and_keeps_the_other_labels_in_proportion():
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(len(LABELS)), size=4)
    probs[2, CB] = 0.97  # already above the floor: unchanged
    lines = [UNMARKED[6], MARKED[1][0], MARKED[2][0], UNMARKED[0]]
    out = guide.apply_marks(probs, lines)
    assert np.array_equal(out[[0, 3]], probs[[0, 3]])
    assert np.allclose(out.sum(axis=1), 1.0)
    assert out[1, CB] == pytest.approx(guide.MARKED_PROBABILITY)
    assert out[2, CB] == pytest.approx(0.97)
    for row in (1, 2):
        others = [i for i in range(len(LABELS)) if i != CB]
        ratio_in = probs[row, others] / probs[row, others].sum()
        ratio_out = out[row, others] / out[row, others].sum()
        assert np.allclose(ratio_in, ratio_out)
    assert guide.apply_marks(probs, [UNMARKED[0]] * 4) is probs  # nothing marked: no copy


TAGGED = "Members said the new bridge over the river would open next spring, later than planned (VIDEO)"
"""A line the tiny test model reads as body: the rule, not the model, makes it clickbait."""


def _page():
    return "\n".join(["Home", "News", "",
                      "The council met on Friday and agreed the budget for the coming year after a long debate.",
                      "Members said the new bridge over the river would open next spring, later than planned.",
                      "", "Related", TAGGED, "Council approves budget for the new bridge", "",
                      "Privacy policy"])


def test_the_model_labels_a_marked_line_clickbait_unless_switched_off(clf):
    try:
        ((_, on),) = list(clf.label_pages([("p", _page())]))
        clf.set_params(guide_marks=False)
        ((_, off),) = list(clf.label_pages([("p", _page())]))
    finally:
        clf.set_params(guide_marks=True)
    assert off[7].label != "clickbait", "the test needs a line the model alone does not call clickbait"
    assert on[7].label == "clickbait" and on[7].score == pytest.approx(guide.MARKED_PROBABILITY)
    assert [r for i, r in enumerate(on) if i != 7] == [r for i, r in enumerate(off) if i != 7]


def test_workers_follow_the_callers_setting(clf):
    pages = [(f"p{i}", _page()) for i in range(6)]
    try:
        clf.set_params(guide_marks=False)
        one = list(clf.label_pages(pages, batch_lines=10))
        two = list(clf.label_pages(pages, batch_lines=10, jobs=2))
    finally:
        clf.set_params(guide_marks=True)
    assert two == one and one[0][1][7].label != "clickbait"


def test_explain_names_the_mark_as_the_cue_that_moved_the_line(clf):
    exp = explain_page(clf, _page())[7]
    assert exp.label == "clickbait" and exp.cues[0].name == GUIDE_CUE and exp.cues[0].effect > 0
    ((_, labels),) = list(clf.label_pages([("p", _page())]))
    assert exp.probs == pytest.approx(dict(labels[7].probs))


def test_the_quick_test_skips_no_marked_line():
    """marked_lines' cheap pre-test against guide_mark on every line, over the lines above
    and variants with quotes, spaces and marks around them."""
    base = [line for line, _ in MARKED] + UNMARKED
    lines = base + [f"“{line}" for line in base] + [f"  {line}" for line in base] + \
        [f"{line}!" for line in base] + [f"{line} ..." for line in base] + [line.lower() for line in base] + \
        [f"{line}          " for line in base] + [f"{line} !!!!!!!!!!" for line in base] + \
        [f">>>>>>>> {line}" for line in base] + [f"_{line}" for line in base]
    assert guide.marked_lines(lines).tolist() == [i for i, line in enumerate(lines) if guide.guide_mark(line)]
    assert len(guide.marked_lines(lines)) >= 3 * len(MARKED)


def _onehot(labels):
    probs = np.full((len(labels), len(LABELS)), 0.02)
    for row, label in enumerate(labels):
        probs[row, LABELS.index(label)] = 1 - 0.02 * (len(LABELS) - 1)
    return probs


SNIPPET = ("Residents gathered on the shore at dawn. Then the strange shape rose slowly out of the "
           "grey water and …")


def test_the_snippet_of_a_clickbait_teaser_is_clickbait_too():
    lines = ["Related", MARKED[1][0], SNIPPET, "Council approves budget for the new bridge", SNIPPET]
    probs = _onehot(["boilerplate", "boilerplate", "boilerplate", "boilerplate", "boilerplate"])
    out = guide.apply_marks(probs, lines)
    assert out.argmax(axis=1).tolist() == [LABELS.index(x) for x in
                                           ("boilerplate", "clickbait", "clickbait", "boilerplate", "boilerplate")]
    # under a teaser the model already calls clickbait, with no mark of its own
    probs = _onehot(["boilerplate", "clickbait", "boilerplate"])
    out = guide.apply_marks(probs, ["Related", UNMARKED[6], SNIPPET])
    assert out[2, CB] == pytest.approx(guide.MARKED_PROBABILITY)


@pytest.mark.parametrize("labels,snippet", [
    (["clickbait", "body"], SNIPPET),  # the article's own text is never touched
    (["clickbait", "comment"], SNIPPET),
    (["clickbait", "boilerplate"], "Residents gathered on the shore."),  # no ellipsis
    (["clickbait", "boilerplate"], "Read more …"),  # too short to be a snippet
    # a long truncated headline: no sentence ends inside it
    (["clickbait", "boilerplate"], "As Flood Waters Rise Across The Valley, Council Leaders Look To The Regional "
                                   "Government For Emergency Funding …"),
])
def test_lines_that_are_not_teaser_snippets_are_left_alone(labels, snippet):
    probs = _onehot(labels)
    assert np.array_equal(guide.apply_marks(probs, [UNMARKED[6], snippet]), probs)


def test_a_snippet_never_takes_its_label_from_the_page_before():
    probs = _onehot(["boilerplate", "clickbait", "boilerplate", "boilerplate"])
    lines = ["Related", UNMARKED[6], SNIPPET, "Footer"]
    assert guide.apply_marks(probs, lines, sizes=[2, 2])[2, CB] < 0.5
    assert guide.apply_marks(probs, lines, sizes=[4])[2, CB] == pytest.approx(guide.MARKED_PROBABILITY)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_cli_applies_the_rule_unless_told_not_to(model_dir, jobs):
    import json

    from helpers import run_cli

    page = "".join(json.dumps({"id": f"p{i}", "text": _page()}) + "\n" for i in range(4)).encode()
    args = ["label", "--model", str(model_dir), "--input", "jsonl", "--jobs", jobs, "-"]
    on, off = run_cli(*args, input=page), run_cli(*args, "--no-guide-rule", input=page)
    assert on.returncode == 0 and off.returncode == 0, on.stderr + off.stderr
    tagged = lambda out: [json.loads(r) for r in out.stdout.decode().splitlines()  # noqa: E731
                          if json.loads(r)["text"] == TAGGED]
    assert [r["label"] for r in tagged(on)] == ["clickbait"] * 4
    assert "clickbait" not in [r["label"] for r in tagged(off)]


def test_the_html_model_follows_the_text_models_setting(clf):
    html = clf.html_model()
    try:
        clf.set_params(guide_marks=False)
        assert clf.html_model().guide_marks is False
        assert html.guide_marks is True  # the shared HTML model keeps its own setting
    finally:
        clf.set_params(guide_marks=True)
    assert clf.html_model().guide_marks is True


def test_the_datatrove_step_can_label_without_the_rule(model_dir):
    pytest.importorskip("datatrove")
    import pickle

    from classifier.datatrove_step import LineSiftStep

    with_rule = LineSiftStep(model=model_dir).classifier
    step = pickle.loads(pickle.dumps(LineSiftStep(model=model_dir, guide_marks=False)))  # as sent to a worker
    without = step.classifier
    assert with_rule.guide_marks is True and without.guide_marks is False
    ((_, on),) = list(with_rule.label_pages([("p", _page())]))
    ((_, off),) = list(without.label_pages([("p", _page())]))
    assert on[7].label == "clickbait" and off[7].label != "clickbait"


def test_label_html_applies_the_rule_through_the_html_model(clf):
    html = ("<html><body><nav><a href='/'>Home</a></nav><article><h1>Council agrees the budget</h1>"
            "<p>The council met on Friday and agreed the budget for the coming year after a long debate.</p>"
            f"<p>{TAGGED}</p></article></body></html>")

    def tagged_line(model):
        page = model.label_html(html)
        return page.labels[page.lines.index(TAGGED)]

    try:
        on = tagged_line(clf)
        clf.set_params(guide_marks=False)
        off = tagged_line(clf)
    finally:
        clf.set_params(guide_marks=True)
    assert on.label == "clickbait" and on.score == pytest.approx(guide.MARKED_PROBABILITY)
    assert off.probs["clickbait"] < guide.MARKED_PROBABILITY


def test_the_rule_holds_across_window_edges(clf, monkeypatch):
    """A page labelled in windows (classifier/windows.py): every marked line is clickbait,
    wherever the windows cut, and a snippet keeps its teaser when the teaser is the line
    just before its window's own lines (it is in the window's context)."""
    from classifier import settings

    body = "The council met on Friday and agreed the budget for the coming year after a long debate."
    lines = []
    for i in range(12):
        lines += [body, TAGGED, SNIPPET, "Privacy policy"]
    monkeypatch.setattr(settings, "WINDOW_LINES", 7)
    monkeypatch.setattr(settings, "WINDOW_CONTEXT", 2)
    labels = clf.label(lines)
    assert [lab.label for lab, line in zip(labels, lines) if line == TAGGED] == ["clickbait"] * 12
    assert [lab.label for lab, line in zip(labels, lines) if line == SNIPPET] == ["clickbait"] * 12
