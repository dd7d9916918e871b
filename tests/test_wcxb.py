"""WCXB in the HTML corpus and its evaluation: the word-F1 metric against an oracle written
here, and the reader, labelling and split manifest on a tiny WCXB-shaped tar made here.

Nothing reads ``../shared``: the pages below are written for the test.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import pytest

from training import html_corpus
from training.html_corpus import WCXB_PAGES, label_page, read_wcxb
from training.wcxb_html_eval import held_out, score, summarise, word_prf, word_tokens


# --------------------------------------------------------------------------- metric
def _oracle(extracted_tokens: list[str], gold_tokens: list[str]):
    """Multiset overlap by sorting both token lists and walking them together (no Counter),
    from token lists written out by hand."""
    a, b = sorted(extracted_tokens), sorted(gold_tokens)
    i = j = overlap = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            overlap += 1
            i += 1
            j += 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    if not b:
        return None
    if not a:
        return 0.0, 0.0, 0.0
    p, r = overlap / len(a), overlap / len(b)
    return p, r, (2 * p * r / (p + r) if overlap else 0.0)


CASES = [
    # (extracted, gold, extracted tokens by hand, gold tokens by hand)
    ("The cat sat. The cat!", "the CAT ran",
     ["the", "cat", "sat", "the", "cat"], ["the", "cat", "ran"]),
    ("Don't stop -- 2025's best_offer", "don t STOP 2025 s best_offer now",
     ["don", "t", "stop", "2025", "s", "best_offer"], ["don", "t", "stop", "2025", "s", "best_offer", "now"]),
    ("Café au lait, café!", "CAFÉ noir",
     ["café", "au", "lait", "café"], ["café", "noir"]),
    ("", "some gold words", [], ["some", "gold", "words"]),
    ("... !!! ---", "gold", [], ["gold"]),
    ("anything at all", "", ["anything", "at", "all"], []),
    ("a a a a", "a b", ["a", "a", "a", "a"], ["a", "b"]),
    ("x y z", "p q", ["x", "y", "z"], ["p", "q"]),
]


@pytest.mark.parametrize("extracted, gold, ext_tokens, gold_tokens", CASES)
def test_word_prf_matches_oracle(extracted, gold, ext_tokens, gold_tokens):
    assert word_tokens(extracted) == ext_tokens
    assert word_tokens(gold) == gold_tokens
    want = _oracle(ext_tokens, gold_tokens)
    got = word_prf(extracted, gold)
    if want is None:
        assert got is None
    else:
        assert got == pytest.approx(want)


def test_word_prf_known_values():
    # worked by hand: overlap the+cat = 2 of 5 extracted and 3 gold tokens
    p, r, f = word_prf("The cat sat. The cat!", "the CAT ran")
    assert (p, r) == pytest.approx((0.4, 2 / 3))
    assert f == pytest.approx(0.5)
    assert word_prf("a a a a", "a b") == pytest.approx((0.25, 0.5, 1 / 3))
    assert word_prf("identical text here", "Identical, TEXT; here.") == pytest.approx((1.0, 1.0, 1.0))


def test_summarise_means_over_pages():
    rows = [{"page_type": "article", "scores": {"s": [1.0, 0.5, 0.6]}},
            {"page_type": "article", "scores": {"s": [0.0, 0.0, 0.0]}},
            {"page_type": "forum", "scores": {"s": [0.5, 0.5, 0.5]}}]
    out = summarise(rows, ["s"])
    assert out["article"]["pages"] == 2 and out["article"]["s"]["f1"] == pytest.approx(0.3)
    assert out["overall"]["pages"] == 3 and out["overall"]["s"]["f1"] == pytest.approx(1.1 / 3, abs=1e-4)  # rounded to 4 places


# --------------------------------------------------------------------------- reader
ARTICLE = """<!DOCTYPE html><html><head><title>Quiet Harbour Reopens | Coast Gazette</title>
<meta property="og:title" content="Quiet harbour reopens after storm"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Quiet harbour reopens after the winter storm</h1>
<p class="byline">By Mara Lind</p>
<p>The small harbour of Wrenmouth opened its gates again on Monday morning after three weeks of repairs to the sea wall.</p>
<figure><img src="a.jpg"><figcaption>Fishing boats wait beside the repaired sea wall in Wrenmouth harbour</figcaption></figure>
<p>Fishermen said the new wall felt stronger than the old one and hoped the winter would be kinder to the village.</p>
<p>The council will publish the full cost of the repairs at its meeting next month, a spokesperson said.</p>
</article>
<div id="comments" class="comments-area"><h3>Leave a Reply</h3>
<p>Your email address will not be published and nobody will see it at all.</p></div>
<footer><p>Copyright Coast Gazette, all rights reserved</p></footer>
</body></html>"""

ARTICLE_GOLD = ("The small harbour of Wrenmouth opened its gates again on Monday morning after three "
                "weeks of repairs to the sea wall.\n\nFishing boats wait beside the repaired sea wall in "
                "Wrenmouth harbour\n\nFishermen said the new wall felt stronger than the old one and hoped "
                "the winter would be kinder to the village.\n\nThe council will publish the full cost of "
                "the repairs at its meeting next month, a spokesperson said.")

FORUM = """<html><head><title>Which kettle lasts longest? - Kitchen Forum</title></head><body>
<div class="post"><p>Which electric kettle has lasted longest for you, and what did you pay for it back then?</p></div>
<div class="post reply"><p>Mine is a plain steel one that has worked every single day for eleven years now.</p></div>
</body></html>"""

FORUM_GOLD = ("Which electric kettle has lasted longest for you, and what did you pay for it back then?\n"
              "Mine is a plain steel one that has worked every single day for eleven years now.")


def _truth(url: str, page_type: str, title: str, main: str, flat: bool = False) -> bytes:
    doc = {"schema_version": "2.0", "url": url, "file_id": "x",
           "ground_truth": {"title": title, "main_content": main, "with": [], "without": []}}
    if flat:
        doc["page_type"] = page_type
    else:
        doc["_internal"] = {"page_type": {"primary": page_type}}
    return json.dumps(doc).encode("utf-8")


def _add(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tf.addfile(info, io.BytesIO(data))


@pytest.fixture()
def wcxb_data(tmp_path):
    """A data directory holding html/wcxb_dev.tar.gz: an article, a forum page (page type
    given flat, as a later schema might), and a ground truth whose HTML is missing."""
    (tmp_path / "html").mkdir()
    with tarfile.open(tmp_path / "html" / "wcxb_dev.tar.gz", "w:gz") as tf:
        _add(tf, "wcxb_dev/html/0001.html.gz", gzip.compress(ARTICLE.encode("utf-8")))
        _add(tf, "wcxb_dev/ground-truth/0001.json",
             _truth("https://www.coastgazette.example/news/harbour", "article",
                    "Quiet harbour reopens after the winter storm", ARTICLE_GOLD))
        _add(tf, "wcxb_dev/html/0002.html.gz", gzip.compress(FORUM.encode("utf-8")))
        _add(tf, "wcxb_dev/ground-truth/0002.json",
             _truth("https://forum.kitchen.example/t/kettle", "forum", "Which kettle lasts longest?",
                    FORUM_GOLD, flat=True))
        _add(tf, "wcxb_dev/ground-truth/0003.json",
             _truth("https://lost.example/", "article", "Lost", "no html for this one"))
    return tmp_path


def test_read_wcxb(wcxb_data):
    pages = list(read_wcxb(str(wcxb_data)))
    assert [p.page_id for p in pages] == ["wcxb_dev/0001", "wcxb_dev/0002"]
    art, forum = pages
    assert art.source == "wcxb" and art.body == ARTICLE_GOLD
    assert art.html.startswith(b"<!DOCTYPE html>")
    assert art.meta == {"url": "https://www.coastgazette.example/news/harbour",
                        "domain": "www.coastgazette.example", "page_type": "article",
                        "title": "Quiet harbour reopens after the winter storm"}
    assert forum.meta["page_type"] == "forum"


def test_label_wcxb_article(wcxb_data):
    art = next(iter(read_wcxb(str(wcxb_data))))
    rec, facts = label_page(art, {})
    assert rec is not None, facts
    got = {ln["text"]: ln["label"] for ln in rec["lines"]}
    # the headline is not in WCXB's main content; matched to the gold title, it is body
    assert got["Quiet harbour reopens after the winter storm"] == "body"
    assert facts["title added"] is True
    assert got["The small harbour of Wrenmouth opened its gates again on Monday morning after three "
               "weeks of repairs to the sea wall."] == "body"
    # a caption inside the gold is furniture by the guide (the text corpus's rule)
    assert got["Fishing boats wait beside the repaired sea wall in Wrenmouth harbour"] == "boilerplate"
    assert facts["guide"]["caption"] == 1
    # the comment form's lines sit in a comment container the gold leaves out
    assert got["Leave a Reply"] == "comment"
    assert got["Home"] == "boilerplate"
    assert got["Copyright Coast Gazette, all rights reserved"] == "boilerplate"
    assert rec["page_type"] == "article" and facts["gold_recall"] >= 0.8


def test_forum_pages_are_kept_out(wcxb_data):
    forum = list(read_wcxb(str(wcxb_data)))[1]
    rec, facts = label_page(forum, {})
    assert rec is None and "forum" in facts["dropped"]


def test_build_writes_the_wcxb_manifest(wcxb_data, tmp_path):
    out = tmp_path / "corpus"
    html_corpus.build(str(wcxb_data), str(out), sources=["wcxb"])
    info = json.loads((out / WCXB_PAGES).read_text(encoding="utf-8"))
    pages = info["pages"]
    assert set(pages) == {"wcxb_dev/0001", "wcxb_dev/0002"}
    assert pages["wcxb_dev/0001"]["kept"] and pages["wcxb_dev/0001"]["site"] == "coastgazette.example"
    assert not pages["wcxb_dev/0002"]["kept"] and pages["wcxb_dev/0002"]["page_type"] == "forum"
    for rec in pages.values():
        assert rec["split"] in ("train", "dev", "test")
        assert rec["group"] == "site:" + rec["site"]
    kept = [json.loads(line) for s in ("train", "dev", "test")
            for line in gzip.open(out / f"{s}.jsonl.gz", "rt", encoding="utf-8")]
    assert [r["page_id"] for r in kept] == ["wcxb_dev/0001"]
    # train sites are exactly the kept train pages' sites
    assert info["train_sites"] == (["coastgazette.example"] if pages["wcxb_dev/0001"]["split"] == "train" else [])


def test_held_out_skips_train_sites_and_scores_forum_posts(tmp_path):
    manifest = {"train_sites": ["seen.example"],
                "pages": {"a": {"split": "test", "site": "new.example", "group": "site:new.example",
                                "page_type": "forum"},
                          "b": {"split": "test", "site": "seen.example", "group": "site:seen.example",
                                "page_type": "article"},
                          "c": {"split": "train", "site": "seen.example", "group": "site:seen.example",
                                "page_type": "article"}}}
    (tmp_path / WCXB_PAGES).write_text(json.dumps(manifest), encoding="utf-8")
    chosen, why = held_out(tmp_path)
    assert list(chosen) == ["a"]
    assert why == {"test page of a train site": 1, "not test (train)": 1}

    class Raw:
        page_id, body, html, meta = "a", FORUM_GOLD, b"", {}

    class Echo:
        """Returns the gold on forum pages only: checks the forum flag reaches the system."""
        name = "echo"

        def __call__(self, raw, forum):
            return raw.body if forum else ""

    report = score([Raw()], [Echo()], {"a": "forum"})
    assert report["by_type"]["forum"]["echo"]["f1"] == 1.0
