"""A post's tag or category line ("Tags: ...", "Filed under: ...") is boilerplate.

Why a rule: the guide (``LABELS.md``) lists "tag lists" among boilerplate, and a reader
knows one by its label before reading a word of it. The model mostly does too, but a tag
line of topic words reads like the article's own vocabulary, and on held-out real pages it
still called a quarter of them body or comment.

The test is the line's opening label: "Tags", "Tagged (as/with/in)", "Filed under/in",
"Posted in", "Labels", "Categories"/"Category", "Topics"/"Topic", "Keywords" (English) or
"الوسوم", "الكلمات المفتاحية", "التصنيف" (Arabic), followed by a colon. Such a line the
model called body or comment becomes boilerplate with probability
:data:`BOILERPLATE_PROBABILITY`; clickbait is left alone. It runs after the rules that can
raise a line to body or comment (the own headline could take a tag line of the article's
words for the headline).

Measured on held-out real pages (``python -m training.rules_eval``): it changes 146 lines,
128 of them boilerplate by their gold (Dragnet's body F1 0.613 -> 0.614 alone). The other
18 are mostly a "Labels:" or "Category:" line that the page's gold kept with the article;
the guide calls them tag lists all the same.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .overrides import raise_label, rows_where
from .settings import LABELS

BOILERPLATE_PROBABILITY = 0.8
"""A stated confidence, a little under the measured share (128 of 146) of changed lines
that were boilerplate by their gold."""

_TAG_LINE = re.compile(
    r"\s*(?:(?i:tags?|tagged(?: with| as| in)?|filed (?:under|in)|posted in|labels?|categor(?:y|ies)"
    r"|topics?|keywords?)|الوسوم|وسوم|الكلمات المفتاحية|كلمات مفتاحية|التصنيف|تصنيف)\s*[:：]")
_OPENINGS = frozenset("tTfFpPlLcCkK" + "اوكت")
"""The first letters the labels above start with: a cheap test before the regex."""
_BOILERPLATE = LABELS.index("boilerplate")
_CHANGEABLE = (LABELS.index("body"), LABELS.index("comment"))


def is_tag_line(line: str) -> bool:
    """Whether ``line`` opens with a tag or category label and a colon."""
    return line.lstrip()[:1] in _OPENINGS and _TAG_LINE.match(line) is not None


def tag_rows(probs: np.ndarray, lines: Sequence[str]) -> np.ndarray:
    """Rows of ``lines`` that are tag lines and that the model labelled body or comment:
    only those lines are read."""
    return rows_where(probs, lines, _CHANGEABLE, is_tag_line)


def apply_tags(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` with the tag lines the model called body or comment made boilerplate
    (:data:`BOILERPLATE_PROBABILITY`); ``probs`` itself when there is none. One line is
    judged alone, so ``sizes`` (a rule's third argument) is not read."""
    del sizes
    return raise_label(probs, tag_rows(probs, lines), _BOILERPLATE, BOILERPLATE_PROBABILITY)
