"""Two corpus-builder decisions that change labels: real-page body lines the annotation
guide labels otherwise (``guide_relabel``, from the DOM path), and the second annotation of
Arabic article titles (``annotations/snn_titles.tsv``). No ``../shared`` needed: the pages
and titles here are made up."""

from __future__ import annotations

import collections
import hashlib

import pytest

from training import corpus, sources
from tests.test_corpus_licences import make_tiny_data


@pytest.mark.parametrize("source, text, dom, expected", [
    ("dragnet", "By Jane Roe on March 3, 2012", "div.post > p.byline", ("byline or date", "boilerplate")),
    ("dragnet", "Tuesday, May 1, 2012", "div.blog-posts > h2.date-header", ("byline or date", "boilerplate")),
    ("dragnet", "The mayor cuts the ribbon.", "div.wp-caption > p.wp-caption-text", ("caption", "boilerplate")),
    ("scrapinghub_aeb", "Orchard in bloom", "figure.image > figcaption", ("caption", "boilerplate")),
    ("cleaneval", "Home / Blog / A post", "div#content > div.breadcrumbs", ("breadcrumb", "boilerplate")),
    ("cleaneval", "Another story from last week", "div > ul.relatedlist > li", ("related list", "boilerplate")),
    ("cleaneval", "I disagree with the second point.", "ol.commentlist > li#comment-12 > p", ("reader comment", "comment")),
])
def test_furniture_kept_as_body_by_a_source_is_relabelled(source, text, dom, expected):
    assert corpus.guide_relabel(source, text, dom) == expected


@pytest.mark.parametrize("source, text, dom", [
    # a class name that merely contains a cue word is not a byline box
    ("dragnet", "How the vote was counted", "div.entry-author-jane > h3.entry-header"),
    # a byline box that holds a long paragraph keeps it
    ("dragnet", "The council met for six hours on Tuesday and agreed on nothing except the date of "
                "its next meeting, which it set for the spring.", "div.entry-meta > p"),
    # slideshow text in a "caption" box is the page's content
    ("dragnet", "x" * 250, "div#slide.caption > p"),
    # Dragnet's gold already separates comments; only CleanEval's are moved
    ("dragnet", "I disagree with the second point.", "ol.commentlist > li#comment-12 > p"),
    ("cleaneval", "A plain paragraph of the article.", "div.article > p"),
    ("cleaneval", "A plain paragraph of the article.", ""),
])
def test_article_lines_stay_body(source, text, dom):
    assert corpus.guide_relabel(source, text, dom) is None


def test_clean_real_page_applies_the_guide_and_counts_it():
    page = {"page_id": "cleaneval/1", "source": "cleaneval", "lang": "en", "gold_recall": 0.9,
            "lines": [{"text": "A headline", "label": "body", "dom": "div > h1"},
                      {"text": "By Jane Roe", "label": "body", "dom": "div > p.byline"},
                      {"text": "Great post!", "label": "body", "dom": "div.comment-body > p"}]}
    stats: collections.Counter = collections.Counter()
    out = corpus.clean_real_page(page, stats)
    assert [ln["label"] for ln in out["lines"]] == ["body", "boilerplate", "comment"]
    assert [ln["text"] for ln in out["lines"]] == ["A headline", "By Jane Roe", "Great post!"]
    assert stats["guide: body -> boilerplate (cleaneval, byline or date)"] == 1
    assert stats["guide: body -> comment (cleaneval, reader comment)"] == 1


def test_wcxb_comment_sections_become_comment_and_nothing_else_moves():
    """WCXB's gold says only main content or not; the guide calls a comment section's lines
    comment. Lines outside one, a gold-body line inside one, and a "most commented" widget
    keep their labels."""
    page = {"page_id": "wcxb_dev/1", "source": "wcxb", "lang": "en", "gold_recall": 1.0, "page_type": "article",
            "lines": [{"text": "Menu", "label": "boilerplate", "dom": "body > nav.main-nav"},
                      {"text": "A paragraph of the article.", "label": "body", "dom": "article > p"},
                      {"text": "3 thoughts on this post", "label": "boilerplate",
                       "dom": "div#comments.comments-area > h2.comments-title"},
                      {"text": "Kim says", "label": "boilerplate",
                       "dom": "ol > li#comment-7 > div.comment-author.vcard"},
                      {"text": "Lovely recipe, thanks.", "label": "boilerplate",
                       "dom": "article#div-comment-7.comment-body > div.comment-content > p"},
                      {"text": "Counted as content", "label": "body", "dom": "div.comment-text > p"},
                      {"text": "Most commented this week", "label": "boilerplate",
                       "dom": "div.most-commented > h3"},
                      {"text": "Loved the course!", "label": "boilerplate",
                       "dom": "section.testimonials-comment > p"}]}
    stats: collections.Counter = collections.Counter()
    out = corpus.clean_real_page(page, stats)
    assert [ln["label"] for ln in out["lines"]] == ["boilerplate", "body", "comment", "comment", "comment", "body",
                                                   "boilerplate", "boilerplate"]
    assert stats["guide: boilerplate -> comment (wcxb, comment section)"] == 3


def test_title_key_is_a_short_hash_of_the_stripped_title():
    assert corpus.title_key("  عنوان  ") == hashlib.sha1("عنوان".encode()).hexdigest()[:16]


def test_read_title_labels(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("# header\nabc\tclickbait\tsure\n\ndef\theadline\tunsure\n", encoding="utf-8")
    assert corpus.read_title_labels(str(path)) == {"abc": ("clickbait", "sure"), "def": ("headline", "unsure")}
    assert corpus.read_title_labels(str(tmp_path / "absent.tsv")) == {}


def test_the_shipped_title_labels_are_well_formed():
    labels = corpus.read_title_labels()
    assert labels, "training/annotations/snn_titles.tsv is missing"
    assert all(len(k) == 16 and int(k, 16) >= 0 for k in labels)
    assert {v for v in labels.values()} <= {(a, b) for a in ("clickbait", "headline") for b in ("sure", "unsure")}


def test_second_annotation_clickbait_leaves_plain_pools_and_trains(tmp_path, monkeypatch):
    data = make_tiny_data(tmp_path / "data")
    titles = [f"عنوان الخبر رقم {a}" for a in range(30)]
    salt = 13
    split_of = {t: corpus._hash_split("snn:" + str(a), salt) for a, t in enumerate(titles)}
    bait = [t for t in titles if split_of[t] == "train"][:2] + [t for t in titles if split_of[t] != "train"][:2]
    assert len(bait) == 4
    tsv = tmp_path / "labels.tsv"
    tsv.write_text("".join(f"{corpus.title_key(t)}\tclickbait\tunsure\n" for t in bait)
                   + f"{corpus.title_key(titles[-1])}\theadline\tsure\n", encoding="utf-8")
    monkeypatch.setattr(sources, "TITLE_LABELS", str(tsv))  # read where it is defined
    stats: collections.Counter = collections.Counter()
    pools = corpus.build_text_pools(str(data), salt, stats)
    for sp, P in pools.items():
        plain = set(P.ar_headlines) | {t for t, _ in P.ar_articles if t}
        assert not plain & set(bait), sp
        expected = {t for t in bait if split_of[t] == "train"} if sp == "train" else set()
        assert set(P.ar_clickbait) == expected, sp
    assert titles[-1] in {t for P in pools.values() for t in P.ar_headlines}  # headline labels change nothing
    assert sum(v for k, v in stats.items() if k.startswith("snn titles, second annotation")) == 4
