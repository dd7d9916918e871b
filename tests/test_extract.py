"""classifier.extract / extract_many: HTML bytes or text in, the article out (issue 17, item 2)."""

from __future__ import annotations

import json

from classifier import Article, ArticleLine, LineClassifier, LineLabel, extract, extract_many
from classifier.article import find_title
from classifier.page import split_lines
from helpers import EXAMPLES

HTML = (EXAMPLES / "mixed_page.html").read_bytes()


def _lab(label: str, line: int = 1) -> LineLabel:
    return LineLabel(line, label, 0.9, {"body": 0.9 if label == "body" else 0.0})


def test_text_page_gives_what_clean_and_label_text_give(clf, example_texts):
    text = example_texts["en_article"]
    article = extract(text, model=clf)
    assert isinstance(article, Article) and not article.html and article.url is None
    assert article.text == clf.clean(text)
    assert [line.text for line in article.lines] == split_lines(text)
    assert [line.label for line in article.lines] == clf.label_text(text)
    assert extract(text, model=clf, keep="body,comment").text == clf.clean(text, keep={"body", "comment"})


def test_html_bytes_go_through_the_html_model_in_one_call():
    clf = LineClassifier.load()
    article = extract(HTML, url="https://example.org/news/1")
    expected = clf.label_html(HTML)
    assert article.html and article.url == "https://example.org/news/1"
    assert [(line.text, line.path, line.label) for line in article.lines] == list(expected)
    h1 = [t for t, path, lab in expected if path.endswith(">h1")]
    assert article.title == h1[0]            # the page's <h1>, labelled body
    body = [t for t, _, lab in expected if lab.label == "body"]
    # no markup, body lines in order (blank lines between paragraphs, when the HTML reader
    # gives them, are not lines)
    assert [line for line in article.text.split("\n") if line] == body
    assert "<" not in article.text


def test_extract_many_keeps_order_and_matches_one_by_one(clf, example_texts):
    pages = [example_texts["en_article"], ("https://a.example/x", HTML), example_texts["ar_article"],
             ("https://b.example/y", example_texts["mixed_article"])]
    many = list(extract_many(pages, model=clf, batch_lines=16))   # batches span pages
    one = [extract(p[1], url=p[0], model=clf) if isinstance(p, tuple) else extract(p, model=clf)
           for p in pages]
    assert many == one
    assert [a.html for a in many] == [False, True, False, False]
    assert [a.url for a in many] == [None, "https://a.example/x", None, "https://b.example/y"]


def test_title_prefers_h1_then_the_first_short_body_or_clickbait_line():
    lines = [ArticleLine(t, _lab(lab), path) for t, lab, path in (
        ("Home", "boilerplate", "html>body>nav>li"),
        ("A short standfirst", "body", "html>body>p"),
        ("The headline", "body", "html>body>article>h1.title"))]
    assert find_title(lines) == "The headline"
    text_lines = [ArticleLine("Home", _lab("boilerplate")), ArticleLine("", None),
                  ArticleLine("You won't believe this", _lab("clickbait")),
                  ArticleLine("Body text", _lab("body"))]
    assert find_title(text_lines) == "You won't believe this"
    long_line = ArticleLine(" ".join(["word"] * 40), _lab("body"))
    assert find_title([long_line, ArticleLine("Short one", _lab("body"))]) == "Short one"
    assert find_title([ArticleLine("Home", _lab("boilerplate"))]) is None


def test_article_to_dict_is_json(clf, example_texts):
    record = extract(example_texts["en_article"], url="u", model=clf).to_dict()
    assert json.loads(json.dumps(record)) == record
    assert set(record) == {"url", "title", "text", "html", "lines"}
    assert record["lines"][0]["line"] == 1


def test_extract_refuses_what_is_not_a_page(clf):
    import pytest

    with pytest.raises(TypeError, match="str or bytes"):
        extract(["a", "list"], model=clf)
    with pytest.raises(ValueError, match="unknown labels"):
        extract("Home", keep="bdy", model=clf)
