"""The page's own headline, labelled body after the model, as the guide says it is.

Why a rule: the guide (``LABELS.md``) makes a page's own plain headline ``body`` and the
same headline in a breadcrumb or a related list ``boilerplate``. The second pass already
reads :mod:`.lead`'s columns (which short line above the article restates its opening),
yet on held-out WCXB pages it still called the headline something else on half of the
pages (own-title recall 0.48): a short title-cased line between a menu and a byline, often
with p(body) between 0.2 and 0.45, just under the others.

The rule reads the page as a reader does. The article starts at its *lead*: the first line
of at least ``settings.LONG_LINE_CHARS`` characters with p(body) >= 0.5 after the model.
Of the lines up to :data:`WINDOW` above it, the headline is the one sharing the most words
with the first :data:`.lead.OPENING_LINES` body paragraphs (ties: the nearer line), among lines
that could be a headline:

* 2-25 words, at least :data:`MIN_SHARED` of its words shared and at least
  :data:`MIN_SHARE` of them: one shared word is a section name or the site's name ("The
  Blog", "Breaking News"), which share a topic word with many articles;
* not a breadcrumb or a trail ("Home > Blog > ...", "News / Sport", "Section | Site"):
  those restate the headline too, and the guide calls them boilerplate;
* not a label that ends in ":".

If the model called that line ``boilerplate``, it becomes ``body`` with probability
:data:`TITLE_PROBABILITY`, the other labels scaled down in proportion. A line the model
called ``clickbait`` or ``comment`` is left alone (the guide's precedence puts clickbait
above body; a comment line above the article is not a headline).

Measured on held-out real pages, each labelled by a cross-source fold model that never
saw its source (``python -m training.rules_eval``; the table is in the README):
own-title recall on WCXB articles rose from 0.566 to 0.682 (all WCXB pages: 0.482 to
0.578), and body F1 rose a little on every held-out source but the Arabic listing pages
(one line). Of the lines it changed, 56% are body by their source's gold; many of the
others are the headline where the gold keeps another copy of it or leaves it out, the
rest section or site names that restate the topic. So :data:`TITLE_PROBABILITY` is set
near that share, not at certainty.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .lead import MAX_WORDS, MIN_SHARE, MIN_WORDS, content_words, opening_rows
from .overrides import page_bounds, raise_label
from .settings import LABELS

WINDOW = 12
"""How many lines above the lead the headline is looked for. The second pass's cue looks
20 lines up (:data:`.lead.WINDOW`); for a rule that overrides the model, 12 kept nearly
all of the held-out headlines it found (WCXB articles 0.682 against 0.690) and changed a
fifth fewer lines that the gold calls boilerplate."""
MIN_SHARED = 2
"""The least number of words a headline shares with the article's opening."""
TITLE_PROBABILITY = 0.55
"""The body probability given to a headline the model called boilerplate: a stated
confidence near the measured share of fired lines that are headlines, not a fitted one."""

MAX_CHARS = 300
"""A headline's most characters (25 words of 11 letters and a space each)."""
OPENING_CHARS = 400
"""How much of each opening paragraph is read: a headline restates the first sentences,
and reading whole paragraphs was most of the rule's cost."""

_BODY = LABELS.index("body")
_BOILERPLATE = LABELS.index("boilerplate")
_TRAIL = re.compile(r"\s[>»|/›]\s|[›»]")
"""A breadcrumb's or a trail's separator."""


def could_be_headline(line: str) -> bool:
    """Whether ``line`` has a headline's shape: 2-25 words, not a breadcrumb or a trail,
    not a label ending in ":"."""
    return (len(line) <= MAX_CHARS and MIN_WORDS <= len(line.split()) <= MAX_WORDS
            and _TRAIL.search(line) is None and not line.rstrip().endswith(":"))


def headline_row(lines: Sequence[str], body: np.ndarray) -> int | None:
    """The row of the page's own headline among one page's non-blank ``lines``, given each
    line's p(body), or None when the page has no lead or no line above it qualifies."""
    return _headline_row(lines, np.flatnonzero(np.asarray(body) >= 0.5))


def _headline_row(lines: Sequence[str], body_rows: np.ndarray, worth: np.ndarray | None = None) -> int | None:
    """:func:`headline_row` given the rows called body. ``worth``: a mask of the rows the
    caller would act on; a page with no headline-shaped line among them above the lead gets
    None before any words are read."""
    prose = opening_rows(lines, body_rows.tolist())
    if not prose:
        return None
    lead = prose[0]
    low = max(0, lead - WINDOW)
    if worth is not None and not worth[low:lead].any():
        return None
    shaped = [i for i in range(low, lead) if could_be_headline(lines[i])]
    if not shaped or (worth is not None and not worth[shaped].any()):
        return None
    opening = set().union(*(content_words(lines[i][:OPENING_CHARS]) for i in prose))
    best, best_shared = None, 0
    for i in shaped:
        words = content_words(lines[i])
        shared = len(words & opening)
        if shared < MIN_SHARED or shared < MIN_SHARE * len(words):
            continue
        if shared >= best_shared:  # ties: the line nearer the lead
            best, best_shared = i, shared
    return best


def headline_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """Rows (of all pages' rows, in order) of the pages' own headlines that the model
    labelled boilerplate: where the rule changes a label. ``sizes``: the pages' line
    counts in order; one page when None."""
    boilerplate = probs.argmax(axis=1) == _BOILERPLATE
    body = probs[:, _BODY] >= 0.5
    rows = []
    for start, end in page_bounds(sizes, len(lines)):
        row = _headline_row(lines[start:end], np.flatnonzero(body[start:end]), boilerplate[start:end])
        if row is not None and boilerplate[start + row]:
            rows.append(start + row)
    return np.asarray(rows, dtype=np.intp)


def apply_title(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels) with each page's own headline that the model called
    boilerplate raised to body at :data:`TITLE_PROBABILITY`, the other labels scaled to
    fill the rest. A new array when a line changes, else ``probs`` itself."""
    return raise_label(probs, headline_rows(probs, lines, sizes), _BODY, TITLE_PROBABILITY)
