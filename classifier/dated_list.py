"""Lists of dated headlines, labelled boilerplate after the model where it said comment.

Why a rule: the guide (``LABELS.md``) makes "plain related-article headline lists" and
"dates ... standing alone" boilerplate. A related list that gives each headline its date
("الاحد 12 / 04 / 2020 21:29", "December 24, 2020") alternates short lines and dates the way
a comment thread alternates posts and their time lines, and the model took such lists for
comments on real Arabic pages it never saw (p(comment) 0.6-0.95 on the related block of
two of the five held-out Arabic news pages). A reader tells them apart at once: a comment
carries its author's name beside the time and is written as prose; a list's date stands
alone, and under it is a headline.

So: three or more lines that hold nothing but a date or a time (digits, month and day
names in English and Arabic, "at", "GMT", "am"/"pm", "ص"/"م", "Published", "بتاريخ"), each at most :data:`MAX_GAP`
lines after the last, with a headline (:func:`.comment_thread.is_headline`) between at
least :data:`HEADLINE_SHARE` of them, prose (:func:`.comment_thread.is_prose`) between at
most a third, and a name-like line (one to three words) just above fewer than a third of
the dates, make a dated list: a thread whose posts put the author's name on the line above
the date ("سعيد" / "18/05/2020") and whose Arabic comments, without capitals or
punctuation, look like headlines, is not one. Its lines from one typical gap above the first date to the
last date that the model labelled ``comment`` become ``boilerplate`` with probability
:data:`BOILERPLATE_PROBABILITY`; nothing else changes. Only the stretch from :data:`REACH`
lines above the first line the model called comment to as far below the last is read;
pages where it called no line a comment are not read at all.

Measured on held-out real pages (``python -m training.rules_eval``): it changed 10 lines on
the Arabic news pages, 93 on WCXB's and 2 on Dragnet's, all of them boilerplate by the
sources' gold (comment F1 on the Arabic pages 0.316 -> 0.429, on WCXB 0.596 -> 0.601).
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .comment_thread import close_runs, is_headline, is_prose
from .overrides import page_bounds, raise_label
from .settings import LABELS

MIN_ITEMS = 3
MAX_GAP = 6
"""Lines from one date to the next: a headline, perhaps a byline or a count between."""
HEADLINE_SHARE = 2 / 3
BOILERPLATE_PROBABILITY = 0.7
"""A stated confidence, not a fitted one: every line the rule changed on held-out pages was
boilerplate by the gold, but there were about a hundred of them."""
MAX_TOKENS = 10
REACH = 4 * MAX_GAP
"""How far around the first and last line the model called comment a page is read: a list
that changes a line holds it, and a list's dates are at most :data:`MAX_GAP` apart."""

_AR_DAYS = "الأحد|الاحد|الإثنين|الاثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت"
_AR_MONTHS = ("يناير|فبراير|مارس|أبريل|ابريل|إبريل|مايو|يونيو|يونيه|يوليو|يوليه|أغسطس|اغسطس|سبتمبر|"
              "أكتوبر|اكتوبر|نوفمبر|ديسمبر|كانون|شباط|آذار|اذار|نيسان|أيار|ايار|حزيران|تموز|آب|أيلول|"
              "ايلول|تشرين|الثاني|الأول|الاول")
_EN = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
       r"|[ap]\.?m\.?|at|on|gmt|utc|edt|est|pst|cet|updated|published|posted")
_DATE_TOKEN = re.compile(rf"(?:\d+(?:st|nd|rd|th)?|{_EN}|{_AR_DAYS}|{_AR_MONTHS}|م|ص|صباحا|مساء|مساءً|صباحاً|بتاريخ)")
_DIGIT = re.compile(r"\d")
_SPLIT = re.compile(r"[\s,/|•·،:\-–]+")
_COMMENT, _BOILERPLATE = LABELS.index("comment"), LABELS.index("boilerplate")


def is_bare_date(line: str) -> bool:
    """Whether ``line`` holds a date or a time and nothing else."""
    if len(line) > 80 or _DIGIT.search(line) is None:
        return False
    tokens = [t for t in _SPLIT.split(line.strip().lower()) if t]
    return 0 < len(tokens) <= MAX_TOKENS and all(_DATE_TOKEN.fullmatch(t) for t in tokens)


def _is_name(line: str) -> bool:
    """A line of one to three words that is not a date: where a comment's author stands,
    just above its date ("سعيد" / "18/05/2020")."""
    return len(line.split()) <= 3 and not is_bare_date(line)


def dated_list_spans(lines: Sequence[str]) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges of one page's dated headline lists."""
    dates = [i for i, line in enumerate(lines) if is_bare_date(line)]
    spans = []
    for run in close_runs(dates, MAX_GAP, MIN_ITEMS):
        gaps = [range(a + 1, b) for a, b in zip(run, run[1:])]
        headlines = sum(any(is_headline(lines[j]) for j in gap) for gap in gaps)
        prose = sum(any(is_prose(lines[j]) for j in gap) for gap in gaps)
        named = sum(row > 0 and _is_name(lines[row - 1]) for row in run)
        if headlines >= HEADLINE_SHARE * len(gaps) and 3 * prose <= len(gaps) and 3 * named < len(run):
            spans.append((max(0, run[0] - int(np.median(np.diff(run)))), run[-1] + 1))
    return spans


def dated_list_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """Rows (of all pages' rows, in order) in dated lists that the model labelled comment.
    ``sizes``: the pages' line counts in order; one page when None."""
    comment = probs.argmax(axis=1) == _COMMENT
    rows = []
    for start, end in page_bounds(sizes, len(lines)):
        called = np.flatnonzero(comment[start:end])
        if len(called):  # read only the stretch around the lines the model called comment
            low, high = start + max(0, int(called[0]) - REACH), min(end, start + int(called[-1]) + REACH + 1)
            for a, b in dated_list_spans(lines[low:high]):
                rows.extend(low + i for i in range(a, b) if comment[low + i])
    return np.asarray(rows, dtype=np.intp)


def apply_dated_lists(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` with the comment lines of dated headline lists raised to boilerplate at
    :data:`BOILERPLATE_PROBABILITY`; ``probs`` itself when none changes."""
    return raise_label(probs, dated_list_rows(probs, lines, sizes), _BOILERPLATE, BOILERPLATE_PROBABILITY)
