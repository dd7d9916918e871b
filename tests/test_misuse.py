"""Common mistakes with the library raise an error that names the fix, instead of giving
wrong output (issue 17, item 3), and raw HTML is refused by the text calls (item 2)."""

from __future__ import annotations

import json

import pytest

from classifier import LABELS, LineLabel
from classifier.arguments import HtmlInputError, keep_set

HTML = "<!DOCTYPE html>\n<html><body><nav>Home</nav><p>A long paragraph of the article.</p></body></html>"
TEXT = "Home | News\n\nThe council met on Tuesday to discuss the new bridge.\n"


def test_label_pages_refuses_bare_strings_naming_the_fix(clf):
    with pytest.raises(TypeError, match="enumerate"):
        list(clf.label_pages(["page one text", "page two text"]))
    with pytest.raises(TypeError, match=r"label_text"):
        list(clf.label_pages("page one text"))
    with pytest.raises(TypeError, match="length 4"):
        list(clf.label_pages([("a", "text", "site", "extra")]))
    # the right call still works, and the fix the message names gives the same labels
    assert [labels for _, labels in clf.label_pages(enumerate([TEXT]))] == [clf.label_text(TEXT)]


@pytest.mark.parametrize("call", ["predict", "predict_proba"])
def test_predict_refuses_one_page_as_a_string(clf, call):
    with pytest.raises(TypeError, match=rf"{call[:7]}.*\[page\]"):
        getattr(clf, call)(TEXT)
    with pytest.raises(TypeError):
        getattr(clf, call)(TEXT.encode())
    assert len(clf.predict([TEXT])) == 1


def test_fit_refuses_one_page_as_a_string(clf):
    with pytest.raises(TypeError, match="sequence of pages"):
        type(clf)().fit("Home\nbody text", [["boilerplate", "body"]])


def test_keep_as_one_label_string_means_that_label(clf):
    assert clf.clean(TEXT, keep="body") == clf.clean(TEXT, keep={"body"})
    assert clf.clean(TEXT, keep="body,boilerplate") == clf.clean(TEXT, keep=("body", "boilerplate"))
    with pytest.raises(ValueError, match="unknown labels.*bdy"):
        clf.clean(TEXT, keep="bdy")
    assert keep_set("body, comment") == {"body", "comment"}
    assert keep_set(None) == {"body"}


@pytest.mark.parametrize("page", [HTML, HTML.encode(), "\ufeff  <!-- x -->\n<html lang=en>" + HTML[15:]])
def test_text_calls_refuse_html_with_the_fix(clf, page):
    for call in (clf.label_text, clf.clean):
        with pytest.raises(HtmlInputError, match="label_html"):
            call(page)
    with pytest.raises(ValueError, match=r"item 1 \(page 'b'\).*extract"):
        list(clf.label_pages([("a", TEXT), ("b", page)]))
    with pytest.raises(ValueError, match="page 0"):
        clf.predict([page])


def test_text_that_mentions_tags_is_still_text(clf):
    page = "How to write <html> by hand\n\nStart with a <body> tag and close it.\n"
    assert [lab is None for lab in clf.label_text(page)] == [False, True, False]
    # and the documented way to label an HTML file's markup as text anyway
    assert len(clf.label(HTML.split("\n"))) == 2


def test_linelabel_to_dict_is_plain_json(clf):
    lab = clf.label_text(TEXT)[0]
    record = lab.to_dict()
    assert json.loads(json.dumps(record)) == record
    assert set(record) == {"line", "label", "score", "probs"}
    assert record["line"] == 1 and record["label"] == lab.label and record["score"] == lab.score
    assert list(record["probs"]) == list(LABELS)
    assert LineLabel(**{**record, "probs": record["probs"]}) == lab
