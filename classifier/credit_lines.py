"""A photo credit or caption line ("Photo: ... / Agency", "Image credit: ...") is boilerplate.

Why a rule: the guide (``LABELS.md``) lists "image captions and credits" among boilerplate,
and issue 14 found credits inside and after articles coming out body ("Photo: ... /
Reuters"). A reader knows such a line by its label, as a tag line by "Tags:"; the model,
reading the names and places in it, often took it for the article's text.

The test is the line's opening label followed by a colon and some text: "Photo", "Photos",
"Image", "Picture", "Illustration", "Cover" (each alone or with "credit", "by", "courtesy
(of)", "source"), "Photograph(ed) (by)", "Credit(s)", "Courtesy (of)", "Caption"
(English), "تصوير", "الصورة", "مصدر الصورة", "صورة" (Arabic), on a line of at most
:data:`MAX_WORDS` words. "Video:" and "Graphics:" are left out: a video kicker is a
section label and "Graphics: ..." a product's specification. Such a line the model called
body or comment becomes boilerplate with probability :data:`BOILERPLATE_PROBABILITY`;
clickbait is left alone. It runs beside the tag-line rule, after the rules that can raise a
line to body.

Measured before it went in, on held-out real pages with every other rule (the cached fold
probabilities of ``build/crossval5``): it changes 102 lines, 85 boilerplate by their gold
(WCXB 63 of 66, Dragnet 19 of 33, CleanEval 3 of 3); WCXB articles' body F1 0.8141 ->
0.8146, no source lower. The other 17 are credits too ("Photo: NAME", "Image credit: ..."),
which those pages' gold kept with the article.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .overrides import raise_label, rows_where
from .settings import LABELS

BOILERPLATE_PROBABILITY = 0.8
"""A stated confidence, a little under the measured share (85 of 102) of changed lines
that were boilerplate by their gold."""
MAX_WORDS = 30
"""A credit's or caption's most words: a paragraph that opens "Photo:" is no credit line."""

_CREDIT_LINE = re.compile(
    r"\s*(?:(?i:(?:photo|image|picture|illustration|cover)s?(?: credits?| by| courtesy(?: of)?| source)?"
    r"|photograph(?:s|ed)?(?: by)?|credits?|courtesy(?: of)?|caption)"
    r"|تصوير|الصورة|مصدر الصورة|صورة)\s*[:：]\s*\S")
_BOILERPLATE = LABELS.index("boilerplate")
_CHANGEABLE = (LABELS.index("body"), LABELS.index("comment"))


def is_credit_line(line: str) -> bool:
    """Whether ``line`` opens with a credit or caption label, a colon and some text, and is
    short enough to be one."""
    return _CREDIT_LINE.match(line) is not None and len(line.split()) <= MAX_WORDS


def credit_rows(probs: np.ndarray, lines: Sequence[str]) -> np.ndarray:
    """Rows of ``lines`` that are credit lines and that the model labelled body or comment."""
    return rows_where(probs, lines, _CHANGEABLE, is_credit_line)


def apply_credits(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` with the credit lines the model called body or comment made boilerplate
    (:data:`BOILERPLATE_PROBABILITY`); ``probs`` itself when there is none. One line is
    judged alone, so ``sizes`` is not read."""
    del sizes
    return raise_label(probs, credit_rows(probs, lines), _BOILERPLATE, BOILERPLATE_PROBABILITY)
