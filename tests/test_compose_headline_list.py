"""The headline-list recipe (``training.compose``): bare headlines, one per line, labelled
by the guide: clickbait wherever it stands, a plain headline in a list boilerplate, a lone
plain headline body (the page's own title). No ``../shared`` needed: the pools are made up."""
from __future__ import annotations

import collections
import random

from training.compose import Composer
from training.pools import Pools
from training.compose import Caser

EN_CB = [f"You will never guess what the number {i} did next" for i in range(30)]
EN_PLAIN = [f"Council approves budget for road repairs in district {i}" for i in range(30)]
AR_CB = [f"لن تصدق ماذا حدث للرقم {i}" for i in range(30)]
AR_PLAIN = [f"المجلس البلدي يقر ميزانية الطرق في الحي {i}" for i in range(30)]


def _composer() -> Composer:
    P = Pools()
    P.en_clickbait, P.en_headlines, P.ar_clickbait, P.ar_headlines = EN_CB, EN_PLAIN, AR_CB, AR_PLAIN
    return Composer(P, Caser(EN_PLAIN), collections.Counter())


def _core(text: str) -> str:
    """The headline under any surface marks or recasing the recipe drew."""
    low = text.lower()
    for pool in (EN_CB, EN_PLAIN, AR_CB, AR_PLAIN):
        for h in pool:
            if h.lower() in low:
                return h
    raise AssertionError(f"not from a pool: {text!r}")


def test_every_line_is_a_pool_headline_labelled_by_the_guide():
    comp = _composer()
    seen = collections.Counter()
    for seed in range(200):
        lang, lines = comp.recipe_headline_list(random.Random(seed))
        heads = [ln for ln in lines if ln["text"]]
        assert heads and all(ln["label"] for ln in heads)
        assert all(ln["label"] is None for ln in lines if not ln["text"])  # blank lines stay blank
        for ln in heads:
            core = _core(ln["text"])
            if core in EN_CB or core in AR_CB:
                expected = "clickbait"
            else:
                expected = "body" if len(heads) == 1 else "boilerplate"
            assert ln["label"] == expected, (ln, len(heads))
            assert (core in AR_CB or core in AR_PLAIN) == (lang == "ar")
            seen[(len(heads) == 1, ln["label"])] += 1
    # every kind of line was drawn: lone headlines, plain and bait in lists
    assert seen[(True, "body")] and seen[(False, "boilerplate")] and seen[(False, "clickbait")]


def test_same_seed_same_page():
    assert _composer().recipe_headline_list(random.Random(7)) == _composer().recipe_headline_list(random.Random(7))
