"""Tunables in one place.

Everything that changes what the model sees (feature windows, truncation lengths, text
normalisation) is recorded in a bundle's manifest under ``feature_version`` so a bundle is
never fed features it was not trained on. Bump ``FEATURE_VERSION`` whenever a change here
or in :mod:`classifier.features` alters the feature matrix.
"""

from __future__ import annotations

LABELS: tuple[str, ...] = ("body", "boilerplate", "comment", "clickbait")
"""The four line labels, in the column order of every probability matrix."""

FEATURE_VERSION = 3

MAX_FEATURE_CHARS = 2000
"""Features and the text model read at most this many characters of a line, so a single
10 MB line costs no more than an ordinary paragraph; the true length is still a feature."""

MAX_TEXT_MODEL_CHARS = 200
"""The fastText model reads the start of a line only: labels are decided by the first few
dozen words, and char n-grams make long inputs expensive (measured on dev lines: 200
characters instead of 600 lost no text-model macro-F1; the length is a layout cue anyway).
100 was tried: fastText ran a third faster (the whole labelling about 8%), but the model
retrained on it scored 0.65 points lower on test macro-F1 (0.8441 -> 0.8376), mostly
comments on real pages (F1 0.854 -> 0.829), which say what they are further into the line.
Retraining alone moves test macro-F1 by about a point (another retrain with an unrelated
corpus change: 0.8339), so that loss is not proven, but nothing showed 100 to be free
either. A bundle records the cap it was trained with, and that is what it reads when
loaded."""

CONTEXT_OFFSETS: tuple[int, ...] = (-2, -1, 1, 2)
"""Neighbouring non-blank lines whose cues are copied beside a line's own."""

SMOOTHING_WINDOWS: tuple[int, ...] = (3, 10)
"""Half-widths of the windows over which text-model probabilities are averaged, so runs
of comment or teaser lines reinforce each other."""

LONG_LINE_CHARS = 80
"""A line this long is taken to be running prose when measuring distance to prose."""

DEFAULT_BATCH_LINES = 4096
"""``label_pages`` gathers pages until about this many lines before predicting, so the
per-call overhead of the text model and the combiner is paid once per batch."""

WINDOW_LINES = 16_384
"""A page with more non-blank lines than this is labelled in windows of at most this many
lines (each window's own lines plus :data:`WINDOW_CONTEXT` on each side), one at a time,
so the memory labelling takes is bounded whatever the page's length (issue 16: about
3 KB a line when a page was labelled whole). Pages up to this size are labelled whole,
exactly as before; on longer pages the page-level cues are those of the window (see
:mod:`classifier.windows`)."""

WINDOW_CONTEXT = 512
"""Non-blank lines read on each side of a window's own lines and then dropped: more than
every neighbour-based cue reaches (2 lines of neighbours, smoothing over 10, the
combiner's second pass over the first pass's verdicts on neighbours), so a line's local
cues are those of the whole page unless it sits in a block or prose gap longer than this."""

TEXT_MODEL_PARAMS: dict[str, object] = {
    "dim": 24,
    "epoch": 8,
    "lr": 0.4,
    "wordNgrams": 2,
    "minn": 3,
    "maxn": 4,
    "bucket": 150_000,
    "minCount": 3,
    "loss": "softmax",
    "thread": 1,
    "seed": 13,
}
"""fastText supervised settings: word bigrams catch UI phrases ("leave a reply"), char
3-4-grams catch Arabic clitics and inflection that whole words would miss. Sized so the
full-precision model fits the bundle budget (~20 MB): a quantised model is 8x smaller but
3x slower to predict (product-quantised rows are decoded per n-gram) and scored lower on
dev lines, so the shipped model is not quantised. The measurements are in the model card.
One thread, because fastText's threads race (Hogwild): two models trained with two threads
on the same lines disagreed on the argmax of 98 of 5,000 dev lines, and retrains of the
whole model moved test macro-F1 by up to three points; with one thread the same seed gives
the same model (two full retrains wrote byte-identical bundles), so retrains can be
compared, and a seed (``training.train --seed``) is the one thing to vary between them."""

QUANTIZE_CUTOFF = 100_000
"""Rows kept when quantising the fastText model to ``.ftz``."""

COMBINER_PARAMS: dict[str, object] = {
    "C": 1.0,
    "max_iter": 600,
}
"""LogisticRegression settings for both passes of the combiner."""

SECOND_PASS_BINS = 8
"""Quantile bins per feature in the combiner's second pass: a learned curve per feature
(measured +1.8 macro-F1 points over straight slopes on the corpus test split)."""

OUT_OF_FOLD_SPLITS = 4
"""Folds (grouped by site) used to produce out-of-fold text-model scores for training the
combiner, so it never learns from scores the text model made on its own training lines."""
