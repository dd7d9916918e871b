"""The library API (SPEC section 2) on the tiny model trained in the session."""

import pickle
import math

import numpy as np
import pytest

import pagegen
from classifier import LABELS, LineClassifier, LineLabel, NotFittedError
from classifier.page import split_lines
from helpers import as_xy, tiny_classifier

PAGE = "Home\nWorld\n\nA headline about the harbour\n\n  \nFirst paragraph of the story.\n"


def assert_aligned(result, lines):
    assert len(result) == len(lines)
    for i, (line, lab) in enumerate(zip(lines, result)):
        if line.strip():
            assert isinstance(lab, LineLabel)
            assert lab.line == i + 1
            assert lab.label in LABELS
        else:
            assert lab is None


def assert_well_formed(lab: LineLabel):
    assert tuple(lab.probs) == LABELS
    assert math.isclose(sum(lab.probs.values()), 1.0, abs_tol=1e-6)
    assert all(0.0 <= p <= 1.0 for p in lab.probs.values())
    assert lab.score == lab.probs[lab.label]
    assert lab.score == max(lab.probs.values())


# --- label / label_text ---------------------------------------------------------------

def test_label_one_entry_per_line_and_none_for_blank(clf):
    lines = split_lines(PAGE)
    result = clf.label(lines)
    assert_aligned(result, lines)
    assert [r is None for r in result] == [False, False, True, False, True, True, False]
    for lab in result:
        if lab is not None:
            assert_well_formed(lab)


def test_label_accepts_any_sequence_and_empty_input(clf):
    lines = split_lines(PAGE)
    assert clf.label(tuple(lines)) == clf.label(lines)
    assert clf.label([]) == []
    assert clf.label(["", "   "]) == [None, None]


def test_label_text_equals_label_of_split_lines(clf):
    assert clf.label_text(PAGE) == clf.label(split_lines(PAGE))


def test_label_text_bytes_equals_str(clf, example_texts):
    text = example_texts["ar_article"]
    assert clf.label_text(text.encode("utf-8")) == clf.label_text(text)
    assert clf.label_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == clf.label_text(text)
    assert clf.label_text(b"\xff\xfe" + text.encode("utf-16-le")) == clf.label_text(text)


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_crlf_and_lone_cr_line_ends(clf, eol):
    lf = clf.label_text(PAGE)
    other = clf.label_text(PAGE.replace("\n", eol))
    assert other == lf
    assert [lab.line for lab in other if lab] == [1, 2, 4, 7]


def test_mixed_line_ends_keep_line_numbers(clf):
    result = clf.label_text("one\r\ntwo\rthree\n\rfive")
    assert [lab.line if lab else None for lab in result] == [1, 2, 3, None, 5]


def test_form_feed_and_line_separator_do_not_add_lines(clf):
    result = clf.label_text("alpha\fbeta\u2028gamma\nnext line")
    assert len(result) == 2 and [lab.line for lab in result] == [1, 2]


def test_invalid_utf8_bytes_still_labelled(clf):
    result = clf.label_text(b"Home\n\nA caf\xe9 opened on the quay.\n\xff\n")
    assert [lab is None for lab in result] == [False, True, False, False]


def test_empty_and_blank_only_text(clf):
    assert clf.label_text("") == []
    assert clf.label_text(b"") == []
    assert clf.label_text("\n \n\t\n") == [None, None, None]


def test_lines_with_embedded_line_ends_stay_one_entry(clf):
    result = clf.label(["two\nparts", "x\ry", "plain"])
    assert [lab.line for lab in result] == [1, 2, 3]


# --- LineLabel --------------------------------------------------------------------------

def test_linelabel_is_immutable_and_has_the_four_fields(clf):
    lab = clf.label(["Home"])[0]
    for name, value in (("label", "body"), ("score", 0.0), ("line", 7), ("probs", {}), ("other", 1)):
        with pytest.raises(AttributeError):
            setattr(lab, name, value)
    with pytest.raises(AttributeError):
        del lab.label
    with pytest.raises(TypeError):
        lab.probs["body"] = 1.0
    assert isinstance(lab.line, int) and isinstance(lab.label, str) and isinstance(lab.score, float)
    assert set(lab.probs) == set(LABELS) and lab.probs[lab.label] == lab.score


def test_linelabel_pickles_and_is_built_from_a_mapping(clf):
    lab = clf.label(["Home"])[0]
    copy = pickle.loads(pickle.dumps(lab))
    assert copy == lab and dict(copy.probs) == dict(lab.probs)
    made = LineLabel(1, lab.label, lab.score, dict(lab.probs))
    assert made == lab and hash(made) == hash(lab)
    assert made != LineLabel(2, lab.label, lab.score, dict(lab.probs))


def test_linelabel_equality_and_compact_repr(clf):
    a = clf.label(["Home"])[0]
    b = clf.label(["Home"])[0]
    assert a == b
    assert "probs" not in repr(a)  # the record prints compactly


# --- clean ------------------------------------------------------------------------------

def test_clean_keeps_only_body_lines_and_paragraph_breaks(clf):
    page = [t for t, _ in pagegen.obvious_page()]
    text = "\n".join(page)
    labels = clf.label(page)
    body = [t for t, lab in zip(page, labels) if lab and lab.label == "body"]
    assert len(body) >= 3
    cleaned = clf.clean(text)
    out = cleaned.split("\n")
    assert [line for line in out if line] == body
    # paragraphs stay paragraphs: kept lines separated by blank lines in the input are
    # separated by exactly one blank line in the output; never two, never leading/trailing
    assert "" in out
    assert "\n\n\n" not in cleaned
    assert out[0] != "" and out[-1] != ""


def test_clean_keep_several_labels_in_input_order(clf):
    page = [t for t, _ in pagegen.obvious_page()]
    labels = clf.label(page)
    keep = {"comment", "clickbait"}
    cleaned = clf.clean("\n".join(page), keep=keep)
    assert [line for line in cleaned.split("\n") if line] == \
        [t for t, lab in zip(page, labels) if lab and lab.label in keep]


def test_clean_all_labels_returns_every_non_blank_line(clf):
    text = "a\n\n\n\nb\nc\n\n"
    assert clf.clean(text, keep=LABELS) == "a\n\nb\nc"


def test_clean_bytes_and_nothing_kept(clf):
    assert clf.clean(b"Home\nWorld\n", keep=()) == ""
    assert clf.clean(b"") == ""


def test_clean_unknown_label_is_value_error(clf):
    with pytest.raises(ValueError, match="headline"):
        clf.clean("Home", keep={"body", "headline"})


# --- label_pages --------------------------------------------------------------------------

def test_label_pages_preserves_order_and_ids(clf, example_texts):
    pages = [(name, text) for name, text in example_texts.items()] * 3
    out = list(clf.label_pages(iter(pages)))
    assert [pid for pid, _ in out] == [pid for pid, _ in pages]
    for (pid, text), (_, labels) in zip(pages, out):
        assert labels == clf.label_text(text)


def test_label_pages_streams_with_small_batches(clf, training_records):
    texts = ["\n".join(line["text"] for line in r["lines"]) for r in training_records]
    pulled = []

    def source():
        for i, text in enumerate(texts):
            pulled.append(i)
            yield (i, text)

    stream = clf.label_pages(source(), batch_lines=5)
    first_id, first = next(stream)
    assert first_id == 0
    assert len(pulled) < len(texts)   # results come out before the input is exhausted
    rest = list(stream)
    ids = [first_id] + [pid for pid, _ in rest]
    assert ids == list(range(len(texts)))
    for (pid, labels) in [(first_id, first)] + rest:
        assert labels == clf.label_text(texts[pid])


@pytest.mark.parametrize("batch_lines", [1, 5, 64, 100_000])
def test_label_pages_batch_size_does_not_change_results(clf, example_texts, batch_lines):
    pages = list(example_texts.items())
    expected = [clf.label_text(text) for _, text in pages]
    assert [labels for _, labels in clf.label_pages(pages, batch_lines=batch_lines)] == expected


def test_label_pages_mixed_page_types_and_empty_pages(clf):
    pages = [("s", "Home\n\nText."), (("tuple", 1), b"Home\n\nText."), (3, ["Home", "", "Text."]),
             (None, ""), ("blank", "\n\n")]
    out = list(clf.label_pages(pages, batch_lines=2))
    assert [pid for pid, _ in out] == ["s", ("tuple", 1), 3, None, "blank"]
    assert out[0][1] == out[1][1] == out[2][1]
    assert out[3][1] == [] and out[4][1] == [None, None]


def test_label_pages_empty_stream(clf):
    assert list(clf.label_pages(iter(()))) == []


# --- predict / predict_proba ---------------------------------------------------------------

def test_predict_proba_shape_and_blank_rows(clf):
    pages = [split_lines(PAGE), PAGE, PAGE.encode("utf-8"), []]
    probs = clf.predict_proba(pages)
    assert len(probs) == 4
    for p in probs[:3]:
        assert p.shape == (7, len(LABELS))
        blank = np.isnan(p).all(axis=1)
        assert blank.tolist() == [False, False, True, False, True, True, False]
        assert np.allclose(p[~blank].sum(axis=1), 1.0)
    assert probs[3].shape == (0, len(LABELS))
    assert np.array_equal(probs[0], probs[1], equal_nan=True)


def test_predict_matches_label_text(clf, example_texts):
    pages = list(example_texts.values())
    for text, pred in zip(pages, clf.predict(pages)):
        labels = clf.label_text(text)
        assert pred == [lab.label if lab else None for lab in labels]


def test_heldout_pages_of_the_training_kind_are_mostly_right(clf, heldout_records):
    X, y, _ = as_xy(heldout_records)
    pairs = [(g, p) for gold, pred in zip(y, clf.predict(X)) for g, p in zip(gold, pred) if g]
    accuracy = sum(g == p for g, p in pairs) / len(pairs)
    assert accuracy >= 0.85


STRICT = {
    "You Won't Believe What This Farmer Found In His Barn (VIDEO)": "clickbait",
    "SHOCKING: Mayor Caught Doing THIS At Midnight!": "clickbait",
    "Leave a Reply": "comment",
    "Great article, thanks for sharing.": "comment",
    "© 2023 Harbour Times. All rights reserved.": "boilerplate",
    "Share this article": "boilerplate",
}


def test_every_label_is_reachable(clf):
    page = pagegen.obvious_page()
    labels = clf.label([t for t, _ in page])
    predicted = {lab.label for lab in labels if lab}
    assert predicted == set(LABELS)
    for (text, gold), lab in zip(page, labels):
        if text in STRICT:
            assert lab.label == STRICT[text], text
        if gold == "body" and len(text) > 100:
            assert lab.label == "body", text


# --- fit / save / load -----------------------------------------------------------------------

def test_save_load_round_trip_gives_identical_probabilities(fitted, clf, example_texts,
                                                            heldout_records):
    pages = list(example_texts.values()) + as_xy(heldout_records)[0]
    for a, b in zip(fitted.predict_proba(pages), clf.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)


def test_loading_twice_gives_identical_results(model_dir, clf, example_texts):
    again = LineClassifier.load(model_dir)
    for text in example_texts.values():
        assert again.label_text(text) == clf.label_text(text)


def test_save_writes_a_manifest_with_hashes(fitted, tmp_path):
    import json

    out = fitted.save(tmp_path / "b")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["labels"] == list(LABELS)
    assert set(manifest["files"]) >= {"text.bin", "combiner.npz", "combiner.json"}
    assert all(len(h) == 64 for h in manifest["files"].values())
    assert LineClassifier.load(out).manifest_["files"] == manifest["files"]


def test_deterministic_output(clf, example_texts):
    for text in example_texts.values():
        first = clf.label_text(text)
        assert clf.label_text(text) == first
        assert [lab.probs for lab in clf.label_text(text) if lab] == \
            [lab.probs for lab in first if lab]


def test_unfitted_classifier_refuses_to_predict():
    with pytest.raises(NotFittedError):
        LineClassifier().label(["Home"])
    with pytest.raises(NotFittedError):
        LineClassifier().save("/nonexistent/never-written")


def test_sklearn_conventions():
    from sklearn.base import clone

    clf = tiny_classifier()
    params = clf.get_params()
    assert params["n_folds"] == 2 and params["quantize"] is False
    twin = clone(clf)
    assert twin is not clf and twin.get_params() == params
    assert clf.set_params(n_folds=3) is clf and clf.n_folds == 3
    assert LineClassifier().classes_ == LABELS


def test_fit_rejects_unknown_labels(training_records):
    X, y, groups = as_xy(training_records[:6])
    y = [list(labels) for labels in y]
    y[0][0] = "headline"
    with pytest.raises(ValueError, match="headline"):
        tiny_classifier().fit(X, y, groups=groups)


def test_examples_are_labelled_line_for_line(clf, example_texts):
    for name, text in example_texts.items():
        lines = split_lines(text)
        assert_aligned(clf.label_text(text), lines)
