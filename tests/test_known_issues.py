"""Regression tests for bugs found while writing the suite, now fixed."""

import numpy as np
import pytest

from classifier.textmodel import normalise


def test_normalise_keeps_one_entry_per_line():
    # regression: a whitespace class that included "\n" once merged a whole batch into one
    # line, so the text model trained on one example and scored every line the same
    out = normalise(["Leave a Reply", "", "x\ry", "two\nparts", "\x00\x01"])
    assert len(out) == 5
    assert "leave" in out[0] and "reply" in out[0]
    assert "x" in out[2] and "y" in out[2]


def test_text_model_scores_lines_separately(clf):
    probs = clf.text_model_.predict_proba(
        ["Leave a Reply", "Home", "You Won't Believe What This Farmer Found In His Barn (VIDEO)"])
    assert probs.shape == (3, 4)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-3)
    assert len({tuple(np.round(row, 6)) for row in probs}) == 3
    assert probs.argmax(axis=1).tolist() == [2, 1, 3]   # comment, boilerplate, clickbait


def test_label_lines_with_a_lone_surrogate(clf):
    result = clf.label(["fine", "bad \ud800 line"])
    assert [lab.line for lab in result] == [1, 2]


def test_linelabel_probs_is_read_only(clf):
    lab = clf.label(["Home"])[0]
    with pytest.raises(TypeError):
        lab.probs["body"] = 1.0


def test_library_warns_through_logging_on_invalid_utf8(clf, caplog):
    with caplog.at_level("WARNING", logger="classifier"):
        labels = clf.label_text(b"good line\n\xff\xfe bad bytes here\n")
    assert [lab.line for lab in labels] == [1, 2]
    assert any("U+FFFD" in rec.getMessage() for rec in caplog.records)
    caplog.clear()
    with caplog.at_level("WARNING", logger="classifier"):
        clf.label_text(b"all fine\n")
    assert not caplog.records
