"""The record :func:`classifier.html.extract` returns: lines, DOM paths, cue rows."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .cues import CUE_NAMES


@dataclass(frozen=True)
class HtmlLines:
    """A page's visible text as lines, with each line's DOM path and cue row.

    ``lines`` never holds a blank line; ``paths[i]`` and ``cues[i]`` belong to ``lines[i]``.
    """

    lines: list[str]
    paths: list[str]
    cues: np.ndarray = field(repr=False)
    """float32, ``len(lines)`` x ``len(CUE_NAMES)``."""
    encoding: str = "str"
    paragraph_starts: list[bool] | None = None
    """Per line, whether it opens a paragraph: it follows the edge of an element a browser
    sets apart with a margin (``p``, headings, lists, ``blockquote``, ``pre``...) or a
    ``<br><br>``. Writers of text put a blank line there; ``lines`` itself never holds a
    blank line, since the HTML model's features count lines as they are. None: unknown."""


def _empty(encoding: str) -> HtmlLines:
    return HtmlLines([], [], np.zeros((0, len(CUE_NAMES)), dtype=np.float32), encoding, [])
