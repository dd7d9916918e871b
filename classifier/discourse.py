"""Discourse cues: who is speaking in a line, and where it stands against the article.

Three errors the cross-source table showed are about a line's role, not its look:

* **The page's own headline** sits a few lines above the first paragraph, separated by a
  byline, a date, share buttons; without the article around it, it looks like any related
  headline. But it restates the article: of the short lines above the first prose block,
  the one that shares most words with that block is the headline (``title_overlap``,
  ``title_best``).
* **Comment threads without a heading** read like prose. Readers write in the first and
  second person, with informal punctuation ("!!", "?!", ":)", "lol"), and the thread comes
  after the article has ended (``first_second_person``, ``informal``).
* **Furniture and related headlines after the article**: how far a line is past the end of
  the first prose block, and how much of the article's vocabulary it shares
  (``after_article``, ``article_overlap``).

Words are ``\\w+`` runs of three or more characters, lower-cased, in any script; the
first prose block is the first run of lines of at least ``settings.LONG_LINE_CHARS``
characters, short lines of up to two between them allowed.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

import numpy as np

from . import settings
from .lead import content_words

DISCOURSE_NAMES: tuple[str, ...] = ("title_overlap", "title_best", "article_overlap", "after_article",
                                    "before_article", "first_second_person", "informal")

_PERSON = re.compile(
    r"\b(?:i|i'm|i've|i'd|i'll|me|my|mine|we|we're|us|our|you|you're|your|yours|u|im|ive|dont|lol|imho|imo)\b"
    r"|(?:^|\s)(?:أنا|انا|نحن|احنا|إحنا|أنت|انت|أنتم|انتم|لي|لك|لكم|عندي|عندك|بدي|اعتقد|أعتقد|أرى|ارى|شكرا|الله يعطيك)(?=\s|$|[،.!؟])",
    re.IGNORECASE)
_INFORMAL = re.compile(r"[!?؟]{2,}|:\)|:\(|:D|;\)|\blol\b|\bhaha+\b|ههه+|\.{4,}|[😀-🙏]", re.IGNORECASE)
_MAX_TITLE_WORDS = 25
_TITLE_SEARCH = 40
"""How many lines above the first prose block the headline is looked for."""


def _first_block(long_line: np.ndarray) -> tuple[int, int] | None:
    """(first, last) index of the first prose block, or None when the page has no prose."""
    idx = np.flatnonzero(long_line)
    if not len(idx):
        return None
    start = end = int(idx[0])
    for i in idx[1:]:
        if i - end > 3:  # more than two short lines between: the block has ended
            break
        end = int(i)
    return start, end


def discourse_features(lines: Sequence[str]) -> np.ndarray:
    """:data:`DISCOURSE_NAMES` columns for the non-blank lines of one page."""
    n = len(lines)
    out = np.zeros((n, len(DISCOURSE_NAMES)), dtype=np.float32)
    if n == 0:
        return out
    cut = [line[:settings.MAX_FEATURE_CHARS] for line in lines]
    n_words = np.array([max(1, len(line.split())) for line in cut], dtype=np.float64)
    out[:, 5] = [min(1.0, 3.0 * len(_PERSON.findall(line)) / w) for line, w in zip(cut, n_words)]
    out[:, 6] = [min(3, len(_INFORMAL.findall(line))) / 3.0 for line in cut]
    long_line = np.fromiter((len(line) >= settings.LONG_LINE_CHARS for line in lines), dtype=bool, count=n)
    block = _first_block(long_line)
    if block is None:
        return out
    start, end = block
    article = set().union(*(content_words(lines[i]) for i in range(start, end + 1) if long_line[i]))
    words = [content_words(line) for line in lines]
    overlap = np.array([len(w & article) / len(w) if w else 0.0 for w in words])
    out[:, 2] = overlap
    pos = np.arange(n)
    out[:, 3] = np.where(pos > end, np.log1p(np.maximum(pos - end, 0)) / math.log(200), 0.0)
    out[:, 4] = np.where(pos < start, np.log1p(np.maximum(start - pos, 0)) / math.log(200), 0.0)
    best, best_score = -1, 0.3
    for i in range(max(0, start - _TITLE_SEARCH), start):
        if words[i] and n_words[i] <= _MAX_TITLE_WORDS:
            out[i, 0] = overlap[i]
            if overlap[i] > best_score or (overlap[i] == best_score and best >= 0):
                best, best_score = i, overlap[i]
    if best >= 0:
        out[best, 1] = 1.0
    return out


def discourse_features_batch(pages: Sequence[Sequence[str]]) -> np.ndarray:
    """The columns for several pages, stacked; each page's rows depend on its lines alone."""
    parts = [discourse_features(p) for p in pages]
    return np.vstack(parts) if parts else np.zeros((0, len(DISCOURSE_NAMES)), dtype=np.float32)
