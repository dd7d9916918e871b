"""Fragments of a page's scripts that broken extraction left in its text are boilerplate.

Why a rule: the guide (``LABELS.md``) makes CMS shortcodes (``[ssba]``, ``fbpx``) and
everything "not written as this page's content" boilerplate, and a reader sees at once that
``'); document.write('أيام الاقتصاد'); document.write('`` is a script's text, not the
page's. The model does not: the words inside the script's strings read like a section
name, and on a held-out Arabic listing page it called 154 such lines body with p(body)
0.9-1.0, one after every headline.

The test is the fragment's shape, not any word in it: the line *starts* inside a string
argument, with the string's closing quote and the call's closing parenthesis and semicolon
(``');``, ``");``, ``'));``), and goes on with the script's next call. A code sample in a
tutorial starts where a statement starts, so it is left alone, and so is a bare ``');``
closing a multi-line string in one: WCXB's documentation pages, held out, hold hundreds of
code lines that are body, and none starts so. Such a line the model called body or comment
becomes boilerplate with probability :data:`BOILERPLATE_PROBABILITY`.

Measured on held-out real pages (``python -m training.rules_eval``): it changes 154 lines,
all on one Arabic listing page and all boilerplate by the gold (the Arabic listing pages'
body F1 0.835 -> 0.858); no line of WCXB, CleanEval, Dragnet or the Arabic news pages
starts so. One page is thin evidence of how often crawls hold such fragments; the rule is
kept because that shape does not occur in prose.

The same goes for the two other kinds of residue the guide names (session 15,
:func:`apply_cms_residue`): a line that is nothing but CMS shortcodes with attributes or
closing ones (``[gallery ids="3,4"]``, ``[/caption]``) or a tracking pixel's ``fbpx``, and a
feed's footer ("The post TITLE appeared first on SITE.", WordPress's wording, and its
Arabic translation). A bare ``[name]`` such as the guide's ``[ssba]`` is left to the model:
a transcript's marks have its shape ("[int]", three such lines of the corpus test split are
body by their gold, and a first version that took them cost the split 0.0001 of
macro-F1). A line the model called body becomes boilerplate with probability
:data:`BOILERPLATE_PROBABILITY`. This one runs after the rules that raise short lines to
body (a shortcode between two paragraphs looks like the article's own list to
:mod:`.article_lists`). Held out (``python -m training.rules_eval --crossval build/crossval5``)
it changes 1 line, a WCXB article's, boilerplate by its gold; the model already labels
nearly every such line of the data boilerplate. It is there for the pages
where it does not: on a page written for the tests the feed footer came out body.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .overrides import raise_label, rows_where
from .settings import LABELS

BOILERPLATE_PROBABILITY = 0.9
"""A stated confidence: a line that opens inside a script's string is not prose."""

_FRAGMENT = re.compile(r"\s*['\"]\s*\)+\s*;\s*[\w.$]+\s*\(")
"""A line's start that closes a string argument and the call around it (``');``, ``"));``)
and goes on with the script's next call (``document.write(``): a bare ``');`` can close a
multi-line string in a tutorial's code sample."""
_BOILERPLATE = LABELS.index("boilerplate")
_BODY = LABELS.index("body")
_CHANGEABLE = (_BODY, LABELS.index("comment"))
_SHORTCODES = re.compile(r"\s*(?:\[(?:/[a-z][a-z0-9_-]*|[a-z][a-z0-9_-]*(?:\s+[\w-]+\s*=\s*[^\[\]]*)+)\]\s*)+$")
"""A line of CMS shortcodes only, each with attributes (``[name key=value ...]``) or closing
(``[/name]``): a bare ``[name]`` has the shape of a transcript's mark ("[int]", "[laughs]")."""
_FEED_FOOTER = re.compile(r"\s*(?:The (?:post|entry|article) .+ appeared first on .+"
                          r"|ظهرت (?:المقالة|التدوينة|المشاركة) .+ أولاً? على .+)\.\s*$")
"""A feed's footer in WordPress's wording (English and Arabic), with its final full stop."""


def is_script_fragment(line: str) -> bool:
    """Whether ``line`` starts inside a script's string argument (see the module's docstring)."""
    return line.lstrip()[:1] in ("'", '"') and _FRAGMENT.match(line) is not None


def fragment_rows(probs: np.ndarray, lines: Sequence[str]) -> np.ndarray:
    """Rows of ``lines`` that are script fragments and that the model labelled body or
    comment. Every fragment holds ``);``: the lines joined are searched for it (a C-level
    search; a Python loop over every line cost more than the rule is worth), and only the
    lines holding it are tested with :func:`is_script_fragment`."""
    text = "\n".join(lines)
    best = probs.argmax(axis=1)
    rows, row, counted = [], 0, 0
    at = text.find(");")
    while at >= 0:
        row += text.count("\n", counted, at)  # the hits come in order: one pass over the text
        counted = at
        if is_script_fragment(lines[row]) and best[row] in _CHANGEABLE:
            rows.append(row)
        end = text.find("\n", at)
        if end < 0:
            break
        row += 1
        counted = end + 1
        at = text.find(");", counted)
    return np.asarray(rows, dtype=np.intp)


def apply_fragments(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels) with script fragments raised to boilerplate at
    :data:`BOILERPLATE_PROBABILITY`. ``sizes`` is not needed (the test reads one line at a
    time) but taken, as every rule takes it. A new array when a line changes, else ``probs``
    itself."""
    del sizes
    return raise_label(probs, fragment_rows(probs, lines), _BOILERPLATE, BOILERPLATE_PROBABILITY)


def is_cms_residue(line: str) -> bool:
    """Whether ``line`` is CMS or feed residue: shortcodes only, ``fbpx``, or a feed's
    "appeared first on" footer (see the module's docstring)."""
    return (_SHORTCODES.match(line) is not None or line.strip().lower() == "fbpx"
            or _FEED_FOOTER.match(line) is not None)


def cms_residue_rows(probs: np.ndarray, lines: Sequence[str]) -> np.ndarray:
    """Rows of ``lines`` labelled body that are CMS or feed residue; only the body rows are
    read."""
    return rows_where(probs, lines, (_BODY,), is_cms_residue)


def apply_cms_residue(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels) with CMS and feed residue the model called body raised to
    boilerplate at :data:`BOILERPLATE_PROBABILITY`. ``sizes`` is not needed but taken, as
    every rule takes it. A new array when a line changes, else ``probs`` itself."""
    del sizes
    return raise_label(probs, cms_residue_rows(probs, lines), _BOILERPLATE, BOILERPLATE_PROBABILITY)
