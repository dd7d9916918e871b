"""The cross-source machinery: held-out sources stay out of training, headline surfaces are
redrawn without touching a headline's fold, per-label calibration, and the table's scores.
Nothing here reads ../shared: the data are written by the tests."""
from __future__ import annotations

import gzip
import json
import random
import re

import numpy as np
import pytest

from classifier import headline
from classifier.combiner import fit_vector_scaling
from classifier.evaluation import classwise_ece
from training import ar_pools, corpus, crossval, headline_pools, surface
from test_corpus_licences import make_tiny_data


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


# --- surface cues ----------------------------------------------------------------------

@pytest.mark.parametrize("lang,text", [("en", "Council approves the new flood barrier plan"),
                                       ("ar", "البلدية توافق على خطة الجسر الجديد في المدينة")])
def test_vary_only_appends_so_the_fold_key_survives(lang, text):
    rng = random.Random(4)
    seen_marks = set()
    for _ in range(300):
        v = surface.vary(text, lang, rng, p=1.0)
        assert _words(v)[:4] == _words(text)[:4]  # oracle: the first words, read directly
        assert headline.headline_fold(v, 3) == headline.headline_fold(text, 3)
        seen_marks.update(ch for ch in v[len(text):] if ch in "?!؟…")
    assert seen_marks  # the marks really are added


def test_strip_surface_removes_what_vary_adds():
    rng = random.Random(9)
    base = "Mayor opens the new hospital wing"
    for _ in range(200):
        v = surface.vary(base, "en", rng, p=1.0)
        if "|" in v or " - " in v or any(c in v for c in "😱🔥👇😂💔👀⚡,"):
            continue  # outlet tags, emoji and clauses are not stripped (they read as text)
        assert surface.strip_surface(v) == base


def test_vary_draw_does_not_depend_on_the_label():
    """Same seed, same text: the same surface, whatever pool the text came from."""
    a = [surface.vary("Ten things you never knew about tea", "en", random.Random(s)) for s in range(50)]
    b = [surface.vary("Ten things you never knew about tea", "en", random.Random(s)) for s in range(50)]
    assert a == b


_MEDIA = re.compile(r"(\(|\[|\s-\s?|-)\s*(video|photos|watch|فيديو|صور)\s*(\)|\])?\s*$", re.I)


def _hook(text: str) -> bool:
    """Two upper-case words in a row that were not upper case before (the oracle reads the
    words directly)."""
    words = text.split()
    return any(a.isupper() and b.isupper() for a, b in zip(words, words[1:]))


@pytest.mark.parametrize("text", ["Council approves the new flood barrier plan (VIDEO)",
                                  "البلدية توافق على خطة الجسر الجديد -فيديو",
                                  "Mayor opens the new hospital wing [Video]"])
def test_guide_marks_take_the_media_tag_off_a_plain_headline(text):
    rng = random.Random(2)
    for label in ("headline", "body", "boilerplate"):
        out = surface.guide_marked(text, label, "ar" if "فيديو" in text else "en", rng)
        assert not _MEDIA.search(out) and not out.endswith(("-", " ")), out
        assert out.split()[:3] == text.split()[:3]


@pytest.mark.parametrize("text", ["Apple unveils its new smartwatch", "Police release new video",
                                  "Council approves smart-watch ban", "الشيخ منصور يفتتح المعرض الجديد للصور"])
def test_a_headline_that_ends_in_a_media_word_but_no_tag_keeps_it(text):
    assert surface.strip_media(text) == text
    assert surface.strip_surface(text) == text


def test_guide_marks_leave_a_plain_headline_without_a_tag_alone():
    text = "Mayor opens the new hospital wing "
    assert surface.guide_marked(text, "headline", "en", random.Random(0)) == text


def test_guide_marks_add_the_guides_marks_to_clickbait_only_and_keep_the_fold():
    text = "You will never guess what this old lighthouse keeper found"
    rng = random.Random(5)
    outs = [surface.guide_marked(text, "clickbait", "en", rng) for _ in range(400)]
    tagged = sum(bool(_MEDIA.search(o)) for o in outs) / len(outs)
    hooked = sum(_hook(o) for o in outs) / len(outs)
    assert 0.2 < tagged < 0.4 and 0.1 < hooked < 0.3  # GUIDE_MEDIA_P 0.3, GUIDE_HOOK_P 0.2
    assert all(o.lower().startswith(text.lower()) for o in outs)  # case changes and suffixes only
    assert {headline.headline_fold(o, 5) for o in outs} == {headline.headline_fold(text, 5)}
    plain = {surface.guide_marked(text, "headline", "en", rng) for _ in range(100)}
    assert plain == {text}


def test_a_caps_hook_upper_cases_the_words_before_a_colon():
    out = surface.add_caps_hook("Shocking twist: man finds gold in his garden shed", random.Random(0))
    assert out == "SHOCKING TWIST: man finds gold in his garden shed"
    assert surface.add_caps_hook("Short line here", random.Random(0)) == "Short line here"


def test_guide_marked_pages_touch_only_the_composed_headlines():
    from classifier.data import LabelledPage

    lines = ["Home", "Watch the parade (VIDEO)", "The council met on Friday to agree the budget.",
             "You will never guess what this old lighthouse keeper found", "Plain other story (VIDEO)"]
    labels = ["boilerplate", "body", "body", "clickbait", "boilerplate"]
    parts = (None, "title", None, "teaser", "teaser")
    page = LabelledPage("p", lines, labels, parts=parts)
    bare = LabelledPage("q", lines, labels)
    for seed in range(30):
        marked, untouched = surface.guide_marked_pages([page, bare], seed)
        assert untouched == bare and untouched.lines == lines
        assert marked.lines[0] == lines[0] and marked.lines[2] == lines[2]
        assert marked.lines[1] == "Watch the parade" and marked.lines[4] == "Plain other story"
        assert marked.lines[3].lower().startswith(lines[3].lower())
        assert marked.labels == labels and marked.parts == parts
    assert page.lines == lines  # the input page is not changed


def test_the_headline_scorers_items_follow_the_guide_marks_only_when_asked():
    items = [("Council approves the new flood barrier plan", "headline", "en"),
             ("You will never guess what this old lighthouse keeper found", "clickbait", "en")] * 200
    for guide in (False, True):
        texts, labels = surface.with_redrawn_copies(items, seed=3, guide_marks=guide)
        tagged = {lab: sum(bool(_MEDIA.search(t)) for t, la in zip(texts, labels) if la == lab)
                  for lab in ("headline", "clickbait")}
        if guide:
            assert tagged["headline"] == 0 and tagged["clickbait"] > 100
        else:  # the redraw tags both sides alike
            assert tagged["headline"] > 20 and tagged["clickbait"] > 20


# --- Arabic pool cleaning --------------------------------------------------------------

def test_clean_title_strips_urls_hashtags_and_aggregator_suffix():
    assert ar_pools.clean_title("خبر عن المطر في المدينة https://t.co/x #الجزيرة #عاجل") == "خبر عن المطر في المدينة"
    assert ar_pools.clean_title("فوز الفريق في المباراة - اليوم السابع", "newsapi_snippets_eg") == "فوز الفريق في المباراة"
    # only the aggregator's titles lose a " - X" ending: elsewhere it may be the title's own
    assert ar_pools.clean_title("فوز الفريق - فيديو", "goud_marsum").endswith("فيديو")
    assert ar_pools.clean_title("#شاهد.. لحظة وصول الوفد") == "لحظة وصول الوفد"


# --- vector scaling --------------------------------------------------------------------

def test_vector_scaling_fixes_a_label_that_is_systematically_too_low():
    rng = np.random.default_rng(0)
    n = 6000
    y = rng.integers(0, 4, n)
    logits = rng.normal(0, 1, (n, 4))
    logits[np.arange(n), y] += 2.5
    logits[:, 2] -= 1.5  # comment: right often, but its probability always too low
    labels = np.array(["body", "boilerplate", "comment", "clickbait"])[y]

    def probs(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    before = classwise_ece(probs(logits), labels)["comment"]
    a, b = fit_vector_scaling(logits, labels)
    after = classwise_ece(probs(logits * a + b), labels)["comment"]
    assert after < before / 3
    assert b[2] > 0.8  # it learnt to lift comment back up


def test_weighted_vector_scaling_follows_the_heavier_rows():
    """Two sources disagree on comment's bias; the fit follows whichever weighs more, so
    weighing each source equally (training.source_calibration) does what it says."""
    rng = np.random.default_rng(1)
    n = 4000
    y = rng.integers(0, 4, 2 * n)
    logits = rng.normal(0, 1, (2 * n, 4))
    logits[np.arange(2 * n), y] += 2.5
    logits[:n, 2] -= 1.5  # source one: comment too low
    logits[n:, 2] += 1.5  # source two: comment too high
    labels = np.array(["body", "boilerplate", "comment", "clickbait"])[y]

    def comment_bias(weight):  # against the other labels': softmax ignores a shared shift
        b = fit_vector_scaling(logits, labels, weight)[1]
        return b[2] - b[[0, 1, 3]].mean()

    lift = comment_bias(np.r_[np.full(n, 9.0), np.ones(n)])
    drop = comment_bias(np.r_[np.ones(n), np.full(n, 9.0)])
    assert lift > 1.0 and drop < -0.3


def test_leave_one_source_out_scores_each_source_with_the_others_fit():
    from training import source_calibration as sc

    rng = np.random.default_rng(2)
    y = rng.integers(0, 4, 3000)
    logits = rng.normal(0, 1, (3000, 4))
    logits[np.arange(3000), y] += 2.0
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    groups = np.array(["a", "b", "c"])[np.arange(3000) % 3]
    assert np.allclose(np.bincount(np.arange(3000) % 3, weights=sc.source_weights(groups)), 1.0)
    results = sc.leave_one_source_out({"probs": probs, "gold": y, "group": groups}, reg=1e-2)
    assert [r["group"] for r in results] == ["a", "b", "c"]
    for r in results:  # already calibrated: the others' fit leaves it close to where it was
        assert r["before"]["lines"] == r["after"]["lines"] == 1000
        assert abs(r["after"]["macro_f1"] - r["before"]["macro_f1"]) < 0.02
    assert "held-out group" in sc.format_table(results)


# --- holdout builds --------------------------------------------------------------------

def _pages(d):
    return {s: [json.loads(x) for x in gzip.open(d / f"{s}.jsonl.gz", "rt", encoding="utf-8")] for s in corpus.SPLITS}


def test_holdout_puts_every_page_and_item_of_a_source_in_test(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "N_COMPOSED", {"train": 30, "dev": 10, "test": 10})
    data = make_tiny_data(tmp_path / "data")
    splits = tmp_path / "splits.json"
    corpus.build(str(data), str(tmp_path / "full"), 13, splits_path=str(splits))
    corpus.build(str(data), str(tmp_path / "held"), 13, splits_path=str(splits),
                 holdout=frozenset({"scrapinghub_aeb", "chakraborty"}))
    full, held = _pages(tmp_path / "full"), _pages(tmp_path / "held")
    aeb = lambda pages: {p["page_id"] for p in pages if p["source"] == "scrapinghub_aeb"}  # noqa: E731
    assert not aeb(held["train"]) and not aeb(held["dev"])
    assert aeb(held["test"]) == aeb(full["train"]) | aeb(full["dev"]) | aeb(full["test"])
    heads = [json.loads(x) for x in gzip.open(tmp_path / "held" / "headlines_train.jsonl.gz", "rt", encoding="utf-8")]
    assert not [h for h in heads if h["lang"] == "en"]  # the only English headline source is held out
    full_heads = [json.loads(x) for x in gzip.open(tmp_path / "full" / "headlines_train.jsonl.gz", "rt", encoding="utf-8")]
    assert {h["label"] for h in full_heads if h["lang"] == "en"} == {"clickbait", "headline"}


def test_heldout_headline_source_alone_in_test_pools():
    items = [(f"headline {i} one two", "clickbait" if i % 2 else "headline", "webis17" if i < 10 else "chakraborty")
             for i in range(40)]
    pools = headline_pools.to_pools(items, lambda t: "test" if t.endswith("two") and hash(t) % 3 == 0 else "train",
                                    frozenset({"webis17"}), only_heldout_in_test=True)
    test = pools["test"]["clickbait"] + pools["test"]["headline"]
    assert sorted(test) == sorted(t for t, _, s in items if s == "webis17")
    assert not set(test) & set(pools["train"]["clickbait"] + pools["train"]["headline"])


def test_unsure_arabic_clickbait_is_training_only():
    items = [("عنوان مثير", "clickbait", "ar_pool:asnd_aljazeera_social+unsure"),
             ("عنوان مثير آخر", "clickbait", "ar_pool:goud_marsum+unsure")]
    for split in ("train", "dev", "test"):
        pools = headline_pools.to_pools(items, lambda t: split, frozenset())
        kept = pools["train"]["clickbait"] + pools["dev"]["clickbait"] + pools["test"]["clickbait"]
        # never scored (dev/test), and never from the held-out source
        assert kept == (["عنوان مثير"] if split == "train" else [])


# --- the table's scores ------------------------------------------------------------------

def _row(gold, pred, part=None, composed=False, text="x"):
    probs = [0.7 if k == pred else 0.1 for k in ("body", "boilerplate", "comment", "clickbait")]
    return {"gold": gold, "pred": pred, "score": 0.7, "probs": probs, "lang": "en", "source": "s",
            "composed": composed, "part": part, "page_type": None, "page": "p", "text": text}


def test_score_rows_counts_titles_and_clickbait_false_positives():
    rows = [_row("body", "body", "title"), _row("body", "boilerplate", "title")] + \
           [_row("boilerplate", "boilerplate") for _ in range(997)] + [_row("boilerplate", "clickbait")]
    s = crossval.score_rows(rows)
    assert s["headline_recall"] == 0.5 and s["headline_lines"] == 2
    assert s["clickbait_fp_per_1000"] == 1.0
    assert "clickbait_fp_per_1000" not in crossval.score_rows(rows + [_row("clickbait", "clickbait")])


def test_clickbait_in_context_scores_headlines_not_widget_headings():
    rows = [_row("boilerplate", "boilerplate", "teaser", True, "Related"),  # heading: not a headline
            _row("clickbait", "clickbait", "teaser", True, "You will not believe what this cat did"),
            _row("boilerplate", "clickbait", "teaser", True, "Council approves the new flood barrier"),
            _row("body", "body", "title", True, "Mayor opens the new hospital wing")]
    s = crossval.clickbait_in_context(rows)
    assert s["lines"] == 3 and s["clickbait"] == 1
    assert s["plain_called_clickbait"] == 0.5
    assert s["clickbait_f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_the_card_describes_the_guide_marks_only_for_a_bundle_trained_with_them(tmp_path):
    from training.card_crosssource import guide_marks_section

    without = {"training": {"command": "python -m training.train --corpus c --out m"}}
    with_marks = {"training": {"command": "python -m training.train --corpus c --out m --guide-marks"}}
    assert guide_marks_section(without, tmp_path) == ""
    assert "media tag" in guide_marks_section(with_marks, tmp_path)
    part = {"lines": 10, "clickbait": 4, "clickbait_f1": 0.5, "plain_called_clickbait": 0.25}
    (tmp_path / "guide_marks.json").write_text(json.dumps({
        "command": "python -m training.guide_marks_eval --corpus x --model y", "note": "fold A",
        "models": {"y": {"en": {"all": part, "no_media_tag": part, "media_tag": {"lines": 0}},
                         "ar": {"all": {"lines": 0}, "no_media_tag": {"lines": 0}, "media_tag": {"lines": 0}}}}}))
    section = guide_marks_section(with_marks, tmp_path)
    assert "| y | en | 10 | 0.500 | 0.250 | 0.500 | 0.250 | 0.000 |" in section
    assert "| y | ar |" not in section


@pytest.mark.parametrize("lang,text", [("en", "Council approves the new flood barrier plan"),
                                       ("ar", "البلدية توافق على خطة الجسر الجديد في المدينة")])
def test_vary_never_gives_a_headline_a_mark_the_guide_calls_clickbait(lang, text):
    """The redraw is label-blind, so it must not draw what classifier/guide.py labels
    clickbait: a plain headline would carry it under a plain label."""
    from classifier import guide

    rng = random.Random(11)
    drawn = [surface.vary(text, lang, rng, p=1.0) for _ in range(400)]
    assert not [v for v in drawn if guide.guide_mark(v)]
    assert any(v.rstrip().endswith(("video", "فيديو")) for v in drawn)  # media suffixes still drawn
    assert len(surface.EN_MEDIA_SUFFIXES) == len(surface.EN_MEDIA) and \
        len(surface.AR_MEDIA_SUFFIXES) == len(surface.AR_MEDIA)  # the same draws as before
