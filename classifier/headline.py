"""The headline scorer: how much a line reads like clickbait, judged as a headline alone.

Why a second text model: the line model learns clickbait from teasers *inside pages*, where
the page's layout and the training pages' composition recipes are as visible as the
wording, and it learnt the training source's house style. A model over the headline pools
alone (English and Arabic, clickbait against plain headlines, surface marks redrawn
independently of the label) separates bait from other sources much better; the combiner
reads its score as one more cue and decides, from layout, whether the line is a headline
at all.

Its input is lower-cased (by the text model's ``normalise``), so casing (randomised in the corpus, and an unreliable cue
across sources) never reaches it; the combiner still sees casing among the layout cues,
where an all-caps hook is a cue the guide names.

Out of fold: training pages draw their teasers from the same pools the scorer is trained
on, so a page line must be scored by a scorer that never saw it. A headline's fold is a
hash of its first words (``headline_fold``): the corpus only appends marks to headlines,
never prefixes them, so a restyled copy keeps its original's fold.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .bundle import HEADLINE_MODEL_FILE, HEADLINE_NGRAM_FILE
from .ngrams import NgramScorer
from .textmodel import TextModel

HEADLINE_LABELS = ("clickbait", "headline")
KINDS: dict[str, str] = {"fasttext": HEADLINE_MODEL_FILE, "ngram": HEADLINE_NGRAM_FILE}
"""The scorer's kinds and the bundle file each is kept in. ``fasttext``: bundles of
2026-12-06 and 2026-12-07 (their manifests name no kind); ``ngram``: a hashed character
n-gram logistic regression (:mod:`.ngrams`)."""
KIND = "ngram"
"""The kind new models are trained with: on held-out headline sources it ranks clickbait
better than the best fastText setting (ROC AUC 0.829 vs 0.789 on Webis-17, 0.949 vs 0.945
on Chakraborty; ``python -m training.headline_select``)."""
NGRAM_PARAMS: dict[str, object] = {"bits": 18, "c": 0.3}
"""2**18 buckets (a 1 MB file of float32 weights); C 0.3 and 0.1 ranked alike (0.829 /
0.827 on Webis-17), and both better than scikit-learn's default 1.0 in a first trial."""
HEADLINE_NAMES = ("headline_clickbait", "headline_clickbait_short")
MAX_HEADLINE_WORDS = 30
"""Lines longer than this are paragraphs, not headlines: their score is 0."""


@dataclass(frozen=True)
class Scope:
    """Which lines the scorer reads, and how their words are counted: part of what a bundle
    was trained with, so a bundle keeps the scope it was fitted under (its manifest's
    ``headline_scope``)."""

    min_words: int
    """Shorter lines score 0: a menu item or a button label ("Home", "Read more") is no
    headline, and a third of a page's lines are of one or two words."""
    regex_words: bool
    """Count ``\\w+`` runs (scope 1) rather than whitespace-separated words (scope 2). Both
    tell a headline from a paragraph; splitting at whitespace is five times faster, and the
    regex count was a tenth of labelling time."""


SCOPES: dict[int, Scope] = {1: Scope(min_words=1, regex_words=True),
                            2: Scope(min_words=3, regex_words=False)}
"""Scope 1: bundles of 2026-12-06 and 2026-12-07 (their manifests name no scope)."""
SCOPE = 2
"""The scope new models are trained with."""

HEADLINE_PARAMS: dict[str, object] = {
    "dim": 8, "epoch": 12, "lr": 0.02, "wordNgrams": 2, "minn": 3, "maxn": 5,
    "bucket": 20_000, "minCount": 3, "loss": "softmax", "thread": 1, "seed": 13,
}
"""fastText settings for the headline pools (~60k short items): character n-grams up to 5
carry Arabic clitics and English inflection.

All chosen on held-out *sources* (``python -m training.headline_select``: train without
Webis-17, score Webis-17, and the other way round with Chakraborty):

- the learning rate is low on purpose: lr 0.02 ranks the unseen source's clickbait far
  better than 0.3 (ROC AUC 0.789 vs 0.724 on Webis-17, 0.945 vs 0.847 on Chakraborty): a
  faster fit learns the training source's house style;
- 8 dimensions, 20k buckets and words seen at least 3 times rank as well as the 16, 100k
  and 1 of the 2026-12-07 model (AUC 0.789 / 0.945 against 0.787 / 0.947) in a file of
  1.7 MB instead of 9.7 MB, which keeps the bundle within the SPEC's 25 MB and each
  prediction cheaper. The figures: ``models/default/headline_select.json``."""

_WORD = re.compile(r"\w+")


def headline_fold(text: str, n_folds: int) -> int:
    """The fold of a headline (and of every restyled copy of it): a hash of its first four
    lower-cased words."""
    key = " ".join(_WORD.findall(text.lower())[:4])
    return int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:4], "big") % n_folds


def word_counts(lines: Sequence[str], scope: int = SCOPE) -> np.ndarray:
    """Words per line (of its first 400 characters): what tells a headline from a paragraph."""
    if SCOPES[scope].regex_words:
        return np.fromiter((len(_WORD.findall(line[:400])) for line in lines), dtype=np.int64, count=len(lines))
    return np.fromiter((len(line[:400].split()) for line in lines), dtype=np.int64, count=len(lines))


def train_scorer(texts: Sequence[str], labels: Sequence[str], params: dict | None = None,
                 kind: str = KIND) -> "TextModel | NgramScorer":
    """A headline scorer of ``kind`` trained on (text, "clickbait"|"headline") pairs;
    ``params`` override :data:`NGRAM_PARAMS` or :data:`HEADLINE_PARAMS`."""
    if kind == "ngram":
        return NgramScorer.train(list(texts), list(labels), **dict(NGRAM_PARAMS, **(params or {})))
    return TextModel.train(list(texts), list(labels),
                           params=dict(HEADLINE_PARAMS, **(params or {})), quantize=False,
                           label_set=HEADLINE_LABELS)


def kind_of(model: "TextModel | NgramScorer") -> str:
    """The kind of a trained scorer (what a bundle's manifest records)."""
    return "ngram" if isinstance(model, NgramScorer) else "fasttext"


def scores(model: "TextModel | NgramScorer", lines: Sequence[str], words: np.ndarray | None = None,
           scope: int = SCOPE) -> np.ndarray:
    """p(clickbait) per line as a headline; 0 for lines too short or too long to be one.
    ``words``: the lines' :func:`word_counts` (of the same scope) when already known."""
    words = word_counts(lines, scope) if words is None else words
    out = np.zeros(len(lines))
    short = np.flatnonzero((words >= SCOPES[scope].min_words) & (words <= MAX_HEADLINE_WORDS))
    if len(short):
        out[short] = model.predict_proba([lines[i] for i in short])[:, 0]
    return out


def columns(p_clickbait: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The combiner's columns from the scores and the lines' :func:`word_counts`: the score,
    and the score on lines of at most 14 words (a teaser's length), so the combiner can
    trust it more where a headline is likely."""
    return np.column_stack([p_clickbait, p_clickbait * (words <= 14)]).astype(np.float32)
