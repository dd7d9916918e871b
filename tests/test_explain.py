"""linesift explain / clf.explain (issue 17, item 11): per line, the cues that moved its
label, read exactly off the combiner's linear final pass."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from classifier import LABELS, LineClassifier
from classifier.combiner import context
from classifier.explain import OTHER, contributions, cue_name, explain_page, second_pass_names
from classifier.model import _prepare
from helpers import EXAMPLES

runner = CliRunner()


def _final_pass_inputs(clf, text):
    prep = _prepare(text)
    X, spans = clf._stack([(prep, clf.text_model_.predict_proba(prep.lines))])
    return np.hstack([X, context(clf.combiner_.first.predict_proba(X), spans)])


def test_shares_add_up_to_the_final_logits(clf, example_texts):
    second = clf.combiner_.second
    assert second.inner_edges, "the tiny model's final pass has quantile bins to check"
    X2 = _final_pass_inputs(clf, example_texts["mixed_article"])
    shares, constant = contributions(second, X2)
    assert np.allclose(shares.sum(axis=1) + constant, second.logits(X2), atol=1e-9)
    assert len(second_pass_names(clf)) == X2.shape[1]


def test_explain_gives_the_labels_label_text_gives(clf, example_texts):
    text = example_texts["en_article"]
    explained = clf.explain(text, top=2)
    labels = clf.label_text(text)
    assert len(explained) == len(labels)
    for exp, lab in zip(explained, labels):
        assert (exp is None) == (lab is None)
        if lab is not None:
            assert (exp.line, exp.label) == (lab.line, lab.label)
            assert exp.score == pytest.approx(lab.score, abs=1e-9)
            assert len(exp.cues) == 2
            assert abs(exp.cues[0].effect) >= abs(exp.cues[1].effect)


def test_all_cue_effects_sum_to_the_labels_margin(clf, example_texts):
    """With every cue shown, the baseline and the effects add up to the chosen label's
    calibrated logit against the mean of the other labels' (what decides the softmax)."""
    text = example_texts["ar_article"]
    X2 = _final_pass_inputs(clf, text)
    second = clf.combiner_.second
    logits = second.temperature * second.logits(X2)
    explained = [e for e in clf.explain(text, top=1000)]
    rows = [e for e in explained if e is not None]
    for row, exp in enumerate(rows):
        b = LABELS.index(exp.label)
        margin = logits[row, b] - np.delete(logits[row], b).mean()
        assert exp.baseline + sum(c.effect for c in exp.cues) == pytest.approx(margin, abs=1e-6)


def test_every_feature_of_the_shipped_models_has_a_readable_cue():
    text = LineClassifier.load()
    for model in (text, text.html_model()):
        names = second_pass_names(model)
        assert [n for n in names if cue_name(n) == OTHER] == []
    assert cue_name("text_comment@-1") == "words of the neighbouring lines"
    assert cue_name("dom_cls_nav") == "class/id words around it (nav, footer, comment...)"
    assert cue_name("dist_prose_after") == "distance from the article's prose"
    assert cue_name("pass1_text_body_block") == "first pass: its block"


def test_explain_refuses_html_text_and_takes_html_lines_for_the_html_model():
    from classifier.arguments import HtmlInputError
    from classifier.html import extract

    clf = LineClassifier.load()
    html = (EXAMPLES / "mixed_page.html").read_bytes()
    with pytest.raises(HtmlInputError):
        clf.explain(html)
    explained = explain_page(clf.html_model(), extract(html))
    expected = clf.label_html(html)
    assert [e.label for e in explained] == [lab.label for lab in expected.labels]
    assert [e.text for e in explained] == expected.lines


def test_cli_explain_text_json_and_html(model_dir, clf, example_texts):
    from classifier.cli import app

    path = str(EXAMPLES / "en_article.txt")
    expected = [e for e in clf.explain(example_texts["en_article"]) if e is not None]
    as_json = runner.invoke(app, ["explain", "--model", str(model_dir), "-f", "json", path])
    assert as_json.exit_code == 0
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [r["line"] for r in records] == [e.line for e in expected]
    assert [[c["cue"] for c in r["cues"]] for r in records] == [[c.name for c in e.cues] for e in expected]
    as_text = runner.invoke(app, ["explain", "--model", str(model_dir), "--top", "1", path])
    first = expected[0]
    assert f"{first.line:>5}  {first.label:<11} {first.score:.2f}  {first.text}" in as_text.stdout
    assert first.cues[0].name in as_text.stdout
    as_html = runner.invoke(app, ["explain", "--model", str(model_dir), "-f", "html", path])
    assert as_html.exit_code == 0 and as_html.stdout.startswith("<!DOCTYPE html>")
    assert f"{first.cues[0].effect:+.2f} {first.cues[0].name}" in as_html.stdout   # on hover
    missing = runner.invoke(app, ["explain", "--model", str(model_dir), "nope.txt"])
    assert missing.exit_code == 1 and "nope.txt" in missing.stderr


def test_a_rule_that_set_a_label_comes_first_however_small_its_shift(clf, example_texts, monkeypatch):
    """A rule that tips a close call moves the probabilities less than the cues it
    overrides; it is still the reason for the label, so it leads the line's cues. Two rules
    written for the test: the first makes one boilerplate line a close call (a big shift,
    no change of label), the second tips it to body (a shift of 1e-4)."""
    from classifier import rules

    text = example_texts["en_article"]
    before = explain_page(clf, text)
    row = next(i for i, e in enumerate(before) if e is not None and e.label == "boilerplate")
    k = sum(1 for e in before[:row] if e is not None)  # the line's row among the non-blank ones
    body, boiler = LABELS.index("body"), LABELS.index("boilerplate")

    def near(probs, lines, sizes=None, gap=-1e-4):
        out = np.array(probs, dtype=np.float64)
        out[k, body] = out[k, boiler] + gap
        return out / out.sum(axis=1, keepdims=True)

    def tip(probs, lines, sizes=None):
        return near(probs, lines, sizes, gap=1e-4)

    real = rules.rules
    monkeypatch.setattr(rules, "rules", lambda paths=None: real(paths) + (("close call", near), ("tip", tip)))
    after = explain_page(clf, text, top=2)
    assert after[row].label == "body"
    assert [c.name for c in after[row].cues][0] == "tip" and len(after[row].cues) == 2
    assert abs(after[row].cues[0].effect) < 0.01  # the smallest shift of all, listed first
    untouched = next(i for i, e in enumerate(after) if e is not None and i != row)
    assert all(c.name != "tip" for c in after[untouched].cues)
