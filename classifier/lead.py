"""Where the article starts and ends on a page, read from the first pass: the headline
above it, and how far a line stands before or past it.

The second pass sees each line's neighbours, but a page's own headline is usually several
lines above the first paragraph (a byline, a date, share buttons between), where it looks
like any other short line. A reader finds it differently: the article is where the prose
the first pass calls body begins (the *lead*), and the headline is the short line just
above it that restates the opening: of the lines up to :data:`WINDOW` above the lead, the
one sharing most words with the first :data:`OPENING_LINES` body paragraphs. Measured on
WCXB pages with a gold title line, picking by the number of shared words found the title
about 1.3x as often as picking by the share of the line's words, and searching above the
first body paragraph rather than above the first run of long lines doubled the hits.

The same lead, and the last body paragraph, give two positions the neighbour window
cannot: how far a line is before the article (menus, breadcrumbs) and how far past its
end (related headlines, share prompts, comment forms).

Words are runs of three or more letters, lower-cased, in any script. Pass-one body means
p(body) >= 0.5 on a line of at least ``settings.LONG_LINE_CHARS`` characters.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

import numpy as np

from . import settings

LEAD_NAMES: tuple[str, ...] = ("lead_headline", "lead_shared_words", "before_lead", "past_article")
"""Per line: 1 for the chosen headline; for lines in the search window, the words shared
with the opening (capped at :data:`SHARED_CAP`, scaled to 0-1); lines to the lead and lines
past the last body paragraph, each ``log1p(distance) / log(200)`` capped at 1, 0 on the
other side."""

WINDOW = 20
"""How many lines above the lead the headline is looked for."""
OPENING_LINES = 5
"""The headline restates the article's opening, not its later sections."""
MIN_WORDS, MAX_WORDS = 2, 25
"""A headline candidate's whitespace words: not a lone menu word, not a paragraph."""
MIN_SHARE = 0.3
"""At least this share of a candidate's words must be the opening's."""
SHARED_CAP = 8
_DISTANCE_SCALE = math.log(200.0)
_WORD = re.compile(r"[^\W\d_]{3,}")


def content_words(line: str) -> set[str]:
    """The line's distinct words of three or more letters, lower-cased (also what
    :mod:`.discourse` compares lines by)."""
    return set(_WORD.findall(line[:settings.MAX_FEATURE_CHARS].lower()))


def _headline(lines: Sequence[str], lead: int, opening: set[str], out: np.ndarray) -> None:
    """Fill the headline columns of one page's search window (rows of ``out``)."""
    best, best_shared = -1, 0
    for i in range(max(0, lead - WINDOW), lead):
        n_words = len(lines[i].split())
        if not MIN_WORDS <= n_words <= MAX_WORDS:
            continue
        words = content_words(lines[i])
        shared = len(words & opening)
        if not words or shared < MIN_SHARE * len(words):
            continue
        out[i, 1] = min(shared, SHARED_CAP) / SHARED_CAP
        if shared >= best_shared:  # ties: the line nearer the lead
            best, best_shared = i, shared
    if best >= 0:
        out[best, 0] = 1.0


def opening_rows(lines: Sequence[str], body_rows: Sequence[int], k: int = OPENING_LINES) -> list[int]:
    """The first ``k`` of ``body_rows`` (rows called body, in order) that are prose, at least
    ``settings.LONG_LINE_CHARS`` characters: the lead first. Used by the rules after the
    model (:mod:`.own_title`, :mod:`.comment_thread`) on its final p(body); reads the
    lengths of only as many rows as it needs."""
    out = []
    for i in body_rows:
        if len(lines[i]) >= settings.LONG_LINE_CHARS:
            out.append(int(i))
            if len(out) == k:
                break
    return out


def lead_features(lines: Sequence[str], body: np.ndarray) -> np.ndarray:
    """:data:`LEAD_NAMES` columns of one page's non-blank ``lines``, given pass one's
    p(body) of each."""
    n = len(lines)
    out = np.zeros((n, len(LEAD_NAMES)), dtype=np.float32)
    long_line = np.fromiter((len(line) >= settings.LONG_LINE_CHARS for line in lines), dtype=bool, count=n)
    prose = np.flatnonzero(long_line & (np.asarray(body) >= 0.5))
    if not len(prose):
        return out
    lead, last = int(prose[0]), int(prose[-1])
    opening = set().union(*(content_words(lines[i]) for i in prose[:OPENING_LINES]))
    _headline(lines, lead, opening, out)
    pos = np.arange(n)
    out[:, 2] = np.minimum(1.0, np.log1p(np.maximum(lead - pos, 0)) / _DISTANCE_SCALE)
    out[:, 3] = np.minimum(1.0, np.log1p(np.maximum(pos - last, 0)) / _DISTANCE_SCALE)
    return out


def lead_features_batch(lines: Sequence[str], body: np.ndarray,
                        spans: Sequence[tuple[int, int, np.ndarray]]) -> np.ndarray:
    """The columns of several pages' rows: ``lines`` and ``body`` hold all the rows,
    ``spans`` each page's (start, end, positions) among them; a page's rows depend on that
    page alone."""
    out = np.zeros((len(body), len(LEAD_NAMES)), dtype=np.float32)
    for a, b, _ in spans:
        if b > a:
            out[a:b] = lead_features(lines[a:b], body[a:b])
    return out
