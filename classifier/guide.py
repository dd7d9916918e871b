"""The two clickbait marks the annotation guide names outright, applied after the model.

Why a rule: the guide (``LABELS.md``) defines clickbait partly by marks on the surface of a
line, and gives them as its own examples: a media tag ("... Speeds Past! (VIDEO)") and an
all-caps hook ("INEXPLICABLE MOVE, OBAMA IN SHOCK: Putin ordered ..."). No labelled source
follows that rule (Webis-17's crowd called a third of its posts with a media tag
clickbait), and the training corpus redraws surface marks independently of the label so
that no source's house style is learnt, so the model weighs these marks at little or
nothing and labelled both of the guide's examples body. A reader recognises them at a
glance, so they are checked as the guide states them:

* a **media tag**: "(VIDEO)", "[Video]", "(PHOTOS)", "(فيديو)", "[صور]" in brackets at the
  end of the line (a dash form such as "- video" is a site's plain convention for its video
  pages, and a "WATCH:" or "Video:" kicker is a section label: neither counts);
* an **all-caps hook**: the line opens with three or more upper-case words (eight letters
  or more) ending in ":" or "!", followed by ordinary text. Three words, because one or two
  are the kickers and labels of news sites ("BREAKING:", "READ MORE:", "FILE PHOTO:"),
  which are not clickbait; a dateline ("NEW YORK (AP) -") has no colon.

* a **named phrase**: the curiosity gaps the guide quotes, "you won't believe" and "what
  happened next", and its Arabic example's "لن تصدق" and "ماذا حدث بعد ذلك", anywhere in the
  line ("what happens next", in the present, is left alone: service pages say "here's what
  happens next:").

Only lines of 3-30 words (headline length) are marked; a paragraph is never a headline.
On real pages whose gold labels hold no clickbait at all (their sources do not label by the
guide), the marks fire on 0.11 lines in 1,000 (CleanEval), 0.37 (Dragnet, mostly "[VIDEO]"
items of related-story lists), 0.02 (WCXB) and 0.28 (AEB); on 0.10% of Webis-17's plain
teaser posts and 0.51% of the Kaggle set's plain titles
(``python -m training.guide_marks_eval --rates``).
The named phrases alone are rarer still: on those pages 1 line in CleanEval (a short line of
a forum post telling its own story: body), 1 in Dragnet (a listicle teaser in a related-story
list: boilerplate by its gold, clickbait by the guide), none in WCXB, AEB or the Arabic pages; on the headline sources, 4
of Webis-17's 4,379 clickbait posts and none of its 14,492 plain ones, 28 of Chakraborty's
16,000 clickbait headlines and none of its plain ones, 3 clickbait and 1 plain title of the
Kaggle set, none of SaudiNewsNet's or of the 19,000 Arabic pool titles (counted with
:func:`guide_mark`).

The guide also names "teaser snippets that end in an ellipsis". An ellipsis alone is no
mark (readers' comments, listing excerpts, truncated paragraphs and truncated headlines end
in one), so only the snippet of a teaser that is itself clickbait counts: a line that the
model calls boilerplate, right under a line labelled clickbait (by the model or by a mark)
on the same page, ending in "…" or "...", and written as prose rather than as a headline:
15-60 words with a sentence ending inside it. Its firing is bounded by the clickbait lines
above it.

A marked line is labelled clickbait with probability at least :data:`MARKED_PROBABILITY`,
the other labels' probabilities scaled down in proportion. That figure is a stated
confidence, not a calibrated one: no labelled source annotates by the guide's rule, so its
precision cannot be measured against one.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .overrides import raise_label
from .settings import LABELS

MARKED_PROBABILITY = 0.9
"""The least clickbait probability of a line that carries a guide mark."""
MIN_WORDS, MAX_WORDS = 3, 30
"""A marked line's length in words: a headline's."""

_MEDIA_TAG = re.compile(
    r"[(\[]\s*(?:videos?|photos?|pics|watch|فيديو|بالفيديو|صور|بالصور)\s*[)\]]\s*[!?.…؟]*\s*$",
    re.IGNORECASE)
_CAPS_WORD = r"[A-Z][A-Z'’.\-]*[A-Z]\b[\s,!]*"
_CAPS_HOOK = re.compile(rf"^\W*((?:{_CAPS_WORD}){{3,}})[:!]\s")
_NAMED_PHRASE = re.compile(r"\byou\s+(?:won[’'`]?t|will\s+not)\s+believe\b|\bwhat\s+happened\s+next\b"
                           r"|لن\s+تصدق|ماذا\s+حدث\s+بعد\s+ذلك", re.IGNORECASE)
_PHRASE_PARTS = ("elieve", "ELIEVE", "appened", "APPENED", "تصد", "حد")
"""Substrings every named phrase holds, for the quick test (upper and lower case)."""
_CLICKBAIT = LABELS.index("clickbait")
_BOILERPLATE = LABELS.index("boilerplate")
_ELLIPSIS = ("…", "...")
SNIPPET_WORDS = (15, 60)
"""A teaser snippet's length in words: longer than nine headlines in ten of the headline
sources (90th percentile 12-16 words), and a paragraph's excerpt, not a paragraph."""
_SENTENCE_INSIDE = re.compile(r"\w[.!?]\s+[\"“‘']?[A-Z]")


def media_tag(line: str) -> bool:
    """Whether ``line`` ends in a bracketed media tag ("(VIDEO)", "[فيديو]")."""
    return _MEDIA_TAG.search(line) is not None


def caps_hook(line: str) -> bool:
    """Whether ``line`` opens with an all-caps hook of three words or more and goes on in
    ordinary case ("INEXPLICABLE MOVE, OBAMA IN SHOCK: Putin ordered ...")."""
    match = _CAPS_HOOK.match(line)
    if match is None or sum(ch.isalpha() for ch in match.group(1)) < 8:
        return False
    rest = line[match.end():].split()
    return len(rest) >= 3 and sum(any(ch.islower() for ch in word) for word in rest) >= 2


_ARABIC_MARKS = dict.fromkeys([*range(0x064B, 0x0653), 0x0640])
"""Arabic short-vowel marks and the tatweel: "لن تصدّق" is the same phrase as "لن تصدق"."""


def named_phrase(line: str) -> bool:
    """Whether ``line`` holds a curiosity gap the guide quotes ("you won't believe", "what
    happened next", "لن تصدق", "ماذا حدث بعد ذلك"), Arabic vowel marks aside."""
    return _NAMED_PHRASE.search(line.translate(_ARABIC_MARKS)) is not None


def guide_mark(line: str) -> str | None:
    """The guide mark ``line`` carries ("media tag", "all-caps hook", "named phrase"), or None."""
    if not MIN_WORDS <= len(line.split()) <= MAX_WORDS:
        return None
    if media_tag(line):
        return "media tag"
    if caps_hook(line):
        return "all-caps hook"
    if named_phrase(line):
        return "named phrase"
    return None


def _may_be_marked(line: str) -> bool:
    """A cheap test no marked line fails: a media tag leaves ")" or "]" last once trailing
    space and marks are stripped; a hook after no leading mark fills the first eight
    characters with capitals (a line that opens with a mark or a space is checked in full);
    a named phrase holds one of :data:`_PHRASE_PARTS`."""
    return (line.rstrip().rstrip("!?.…؟").rstrip()[-1:] in (")", "]")
            or line[:8].isupper() or not line[:1].isalnum()
            or any(part in line for part in _PHRASE_PARTS))


def marked_lines(lines: Sequence[str]) -> np.ndarray:
    """Indices of the lines that carry a guide mark, :func:`guide_mark` run only on the lines
    that pass :func:`_may_be_marked` (one in seven of the benchmark's lines)."""
    mark = guide_mark
    return np.asarray([i for i, line in enumerate(lines) if _may_be_marked(line) and mark(line) is not None],
                      dtype=np.intp)


def snippet_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """Indices of the teaser snippets of clickbait teasers: a line ending in an ellipsis,
    of :data:`SNIPPET_WORDS` words with a sentence ending inside, labelled boilerplate,
    right after a clickbait line of the same page (``sizes``: the pages' line counts, in
    order; one page when None)."""
    best = probs.argmax(axis=1)
    starts = np.cumsum([0] + list(sizes if sizes is not None else [len(lines)]))[:-1]
    after_clickbait = np.zeros(len(lines), dtype=bool)
    after_clickbait[1:] = best[:-1] == _CLICKBAIT
    after_clickbait[starts[starts < len(lines)]] = False  # a page's first line follows nothing
    low, high = SNIPPET_WORDS
    # the array test first: a boilerplate line right after a clickbait one is rare
    return np.asarray([i for i in np.flatnonzero((best == _BOILERPLATE) & after_clickbait).tolist()
                       if lines[i].rstrip().endswith(_ELLIPSIS) and low <= len(lines[i].split()) <= high
                       and _SENTENCE_INSIDE.search(lines[i]) is not None], dtype=np.intp)


def apply_marks(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels, the non-blank lines of the pages of ``sizes`` in order)
    with every marked line, and then every snippet of a clickbait teaser, raised to a
    clickbait probability of at least :data:`MARKED_PROBABILITY`, the other labels scaled
    to fill the rest; other lines unchanged. A new array when any line changes, else
    ``probs`` itself."""
    out = raise_label(probs, marked_lines(lines), _CLICKBAIT, MARKED_PROBABILITY)
    return raise_label(out, snippet_rows(out, lines, sizes), _CLICKBAIT, MARKED_PROBABILITY)
