"""Short lines between two paragraphs of the article are its own list or table: body.

Why a rule: the guide (``LABELS.md``) makes "list items and tables that belong to the
article" body. Line by line, a packing list ("Tent", "Rainfly", "Stakes"), a table's cells
("9/1/2013", "+14.2%") or a run of subheadings look like menus, and the model read them so:
on WCXB's article pages, held out of training, 8,667 gold body lines of 1-3 words came out
boilerplate against 4,138 that came out body. A reader places them at a glance: they sit
*inside* the article, with its paragraphs on both sides, on the same topic.

The rule looks for that shape, page by page:

* an *article paragraph* is a line the labels so far call body, written as prose
  (:func:`.comment_thread.is_prose`: not title case), of at least :data:`PARAGRAPH_WORDS`
  words, that ends as a sentence ends (or runs to :data:`LONG_PARAGRAPH_WORDS` words: a
  headline in sentence case is no paragraph), before the page's first comment line (a
  thread's posts are no article);
* between two consecutive article paragraphs lie 1 to :data:`MAX_RUN` lines, all labelled
  body or boilerplate, none of them furniture that the guide names and that sits inside
  articles as well (:func:`has_furniture`): a time ("3 hours ago", "10:12"), a standing date
  in a short run (a byline's), a script's fragment, share, print, sign-in, comment, advertising, tag, caption,
  credit and read-counter words ("Source:", "عدد القراءات"), or a call to action ("Learn
  more", "Start free trial", "Table of contents");
* the paragraph after the run continues the topic: it shares a word of five or more
  letters (:func:`topic_words`) with the up to :data:`TOPIC_PARAGRAPHS` paragraphs before
  it. A listing page's items, each a different story, often do not; one article's
  paragraphs do.

Lines of such a run that the model called boilerplate become body with probability
:data:`BODY_PROBABILITY`, the other labels scaled down in proportion.

Measured on held-out real pages, each labelled by a cross-source fold model that never saw
its source (``python -m training.rules_eval``; the table is in the README), this rule alone:
body F1 on WCXB's articles 0.770 -> 0.813, its other page types 0.522 -> 0.554, CleanEval
0.732 -> 0.753, the Arabic news pages 0.883 -> 0.897, Dragnet 0.613 -> 0.615 and the Arabic
listing pages 0.834 -> 0.835. Two thirds of the 15,469 lines it changed are body by their
source's gold; many of the rest are a table of contents or a list of links inside the
article, or subheadings and numbered list items that Dragnet's gold calls boilerplate, hence
a probability just over a half. Without the topic test the Arabic listing pages lost a
point of body F1 (the section names between their stories became body); without the
sentence-end test a seed page's byline and read counter, between its headline and its
opening, became body.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .comment_thread import has_time, is_prose
from .dated_list import is_bare_date
from .overrides import page_bounds, raise_label
from .residue import is_script_fragment
from .settings import LABELS

PARAGRAPH_WORDS = 10
LONG_PARAGRAPH_WORDS = 25
_SENTENCE_END = frozenset('.!?:;)"\'”’»…؟')
MAX_RUN = 30
"""Most lines between two paragraphs read as one list or table (longer runs: a sidebar)."""
FURNITURE_CHARS = 300
"""How much of each line the furniture words are looked for in: furniture is short, and a
long line read whole made a huge page's search slow."""
SHORT_RUN = 3
"""A standing date in a run this short is a byline's, not a table's column."""
TOPIC_PARAGRAPHS = 3
MAX_TOPIC_CHARS = 2000
"""Characters of a paragraph read for its topic words (a pathological line is not read whole)."""
BODY_PROBABILITY = 0.55
"""A stated confidence, not a fitted one: two thirds of the lines the rule changed on
held-out pages were body by their source's gold."""

_FURNITURE = re.compile(
    r"\b(?i:share|tweet|facebook|twitter|pinterest|linkedin|whatsapp|e-?mail|print|subscribe|"
    r"sign ?in|sign ?up|log ?in|register|comments?|reply|advertise(?:ment)?|ads?|sponsored|"
    r"related|read more|tags?|categor(?:y|ies)|posted|published|written by|photo|image|getty|"
    r"reuters|copyright|newsletter|cookies?|table of contents|toggle|learn more|free trial|demo|"
    r"download|book now|shop now|buy now|get started|contact us|call us|source|via|views|reads)\b"
    r"|©|(?<!\w)(?:مشاركة|شارك|تعليق|التعليقات|اقرأ أيضا|اقرأ ايضا|إعلان|اعلان|اشترك|المصدر|القراءات|مشاهدة"
    r"|الساعة)(?!\w)")
"""Words of the furniture that sits inside articles too (share bars, captions and credits,
sign-in and comment prompts, advertising, calls to action), English and Arabic."""
TOPIC_LETTERS = 5
"""A topic word's fewest letters: short words are mostly function words ("the", "and",
"في", "من"), which any two paragraphs share."""
_TOPIC_WORD = re.compile(rf"[^\W\d_]{{{TOPIC_LETTERS},}}")
_BODY, _BOILERPLATE, _COMMENT = (LABELS.index(k) for k in ("body", "boilerplate", "comment"))


def has_furniture(run: Sequence[str]) -> bool:
    """Whether a run's lines hold furniture that breaks it (see the module's docstring): a
    furniture word in a line's first :data:`FURNITURE_CHARS` characters (one search over
    them all), a time on a line, a script's fragment (:func:`.residue.is_script_fragment`,
    which that rule made boilerplate), or, in a run of at most :data:`SHORT_RUN` lines, a
    standing date."""
    if _FURNITURE.search("\n".join(line[:FURNITURE_CHARS] for line in run)) is not None:
        return True
    short = len(run) <= SHORT_RUN
    return any(has_time(line) or is_script_fragment(line) or (short and is_bare_date(line)) for line in run)


def topic_words(line: str) -> set[str]:
    """The line's distinct words of five or more letters, lower-cased."""
    return set(_TOPIC_WORD.findall(line[:MAX_TOPIC_CHARS].lower()))


def _is_paragraph(line: str) -> bool:
    """Prose of :data:`PARAGRAPH_WORDS`+ words that ends as a sentence does (or runs to
    :data:`LONG_PARAGRAPH_WORDS`+ words): a headline in sentence case is not a paragraph.
    The cheap tests first: most lines fail on length or on their last character."""
    if len(line) < 2 * PARAGRAPH_WORDS - 1:
        return False
    words = len(line.split(None, LONG_PARAGRAPH_WORDS))
    if words < PARAGRAPH_WORDS:
        return False
    if words < LONG_PARAGRAPH_WORDS and line.rstrip()[-1:] not in _SENTENCE_END:
        return False
    return is_prose(line)


class _Page:
    """One page's lines and labels, with each line's paragraph test and topic words worked
    out once, and only for the lines a run's search reaches: the lines within
    :data:`MAX_RUN` of a boilerplate line, and above a gap's first paragraph the lines up to
    the two paragraphs before it (on a page with few paragraphs, back to its top)."""

    def __init__(self, lines: Sequence[str], best: np.ndarray, stop: int):
        self.lines, self.best, self.stop = lines, best.tolist(), stop
        self._paragraph: dict[int, bool] = {}
        self._topic: dict[int, set[str]] = {}

    def paragraph(self, i: int) -> bool:
        known = self._paragraph.get(i)
        if known is None:
            known = self._paragraph[i] = self.best[i] == _BODY and _is_paragraph(self.lines[i])
        return known

    def topic(self, i: int) -> set[str]:
        known = self._topic.get(i)
        if known is None:
            known = self._topic[i] = topic_words(self.lines[i])
        return known

    def bound(self, row: int, step: int) -> int | None:
        """The nearest paragraph from ``row`` on in direction ``step`` (-1 up, +1 down)
        with only body and boilerplate lines before it, at most :data:`MAX_RUN` lines
        away; None if there is none."""
        i, best = row, self.best
        for _ in range(MAX_RUN + 1):
            if not 0 <= i < self.stop:
                return None
            label = best[i]
            if label == _BODY:
                if self.paragraph(i):
                    return i
            elif label != _BOILERPLATE:
                return None
            i += step
        return None

    def paragraphs_before(self, row: int, n: int) -> list[int]:
        """Up to ``n`` paragraphs above ``row``, nearest first, whatever lies between."""
        found, i = [], row - 1
        while i >= 0 and len(found) < n:
            if self.paragraph(i):
                found.append(i)
            i -= 1
        return found


def list_spans(lines: Sequence[str], best: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges of one page's runs between article paragraphs that hold a
    line labelled boilerplate, given each line's label index so far."""
    comments = np.flatnonzero(best == _COMMENT)
    stop = int(comments[0]) if len(comments) else len(lines)
    boiler = np.flatnonzero(best[:stop] == _BOILERPLATE)
    if not len(boiler):
        return []
    page = _Page(lines, best, stop)
    firsts = boiler[np.concatenate(([True], np.diff(boiler) > 1))].tolist()
    lasts = boiler[np.concatenate((np.diff(boiler) > 1, [True]))].tolist()
    spans: list[tuple[int, int]] = []
    read_to = -1  # the end of the last gap between two paragraphs already judged
    for first, last in zip(firsts, lasts):
        if last < read_to:
            continue  # this boilerplate run lies in a gap judged for the one before
        a, b = page.bound(first - 1, -1), page.bound(last + 1, +1)
        if b is not None:
            read_to = b
        if a is None or b is None or b - a - 1 > MAX_RUN:
            continue
        if has_furniture(lines[a + 1:b]):  # first: on most pages it is the test that fails
            continue
        before = set().union(*(page.topic(i) for i in [a] + page.paragraphs_before(a, TOPIC_PARAGRAPHS - 1)))
        if page.topic(b) & before:
            spans.append((a + 1, b))
    return spans


def list_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """Rows (of all pages' rows, in order) inside runs between article paragraphs that the
    model labelled boilerplate: where the rule changes a label. ``sizes``: the pages' line
    counts in order; one page when None."""
    best = probs.argmax(axis=1)
    rows: list[int] = []
    for start, end in page_bounds(sizes, len(lines)):
        page_best = best[start:end]
        if np.count_nonzero(page_best == _BOILERPLATE) == 0:
            continue
        for a, b in list_spans(lines[start:end], page_best):
            rows.extend(start + j for j in range(a, b) if page_best[j] == _BOILERPLATE)
    return np.asarray(rows, dtype=np.intp)


def apply_lists(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels) with the boilerplate lines of runs between article
    paragraphs raised to body at :data:`BODY_PROBABILITY`. A new array when a line changes,
    else ``probs`` itself."""
    return raise_label(probs, list_rows(probs, lines, sizes), _BODY, BODY_PROBABILITY)
