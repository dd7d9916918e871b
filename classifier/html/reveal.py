"""Pages that hide their content until a script runs: read the hidden block that holds it.

Why: the walk drops what a browser does not show (:mod:`.walk`), but some pages ship their
whole content hidden and let a script show it: a forum (Discourse) serves its posts inside
``<noscript>`` as its crawler view, a Next.js page wraps everything in a
``visibility:hidden`` div until it has loaded, a shop keeps its product block in a
``display: none`` "defer" wrapper. A scraper gets that HTML, and a reader of the page sees
the content once the script has run; reading only what is shown gave those pages no line
of content at all (on WCXB's development split, 25 of 1,310 pages came out empty this way,
18 of them forum threads).

So after the ordinary walk, a page whose visible prose is thin is checked for one hidden
block (an element hidden by its attributes, or a ``<noscript>``, with no hidden ancestor)
that holds at least :data:`RATIO` times the prose the page shows, plus :data:`MARGIN`
words; if there is one, the page is walked again with that block read as if shown. Only
the block is revealed: the menus, dialogs and tabs a page also hides stay hidden, since
revealing everything hidden, tried first, made 98 of 419 WCXB pages worse (menus and
modals in the main text) against 118 better.

*Prose* is the words of the lines of at least :data:`PROSE_WORDS` words: content is
written in sentences, and a hidden mega-menu of a thousand links has none.

Before that, React pages that stream their content get it put in place
(:func:`place_streamed_segments`): such a page sends its parts as hidden
``<div id="S:n">`` segments after the footer, and a script moves each into its slot, a
``<template id="B:n">`` or ``<template id="P:n">`` up in the page. Read as they stand, the
parts were hidden (an article came out as its headline and "Loading paragraph..."), and
shown, they would come after the footer; put in place, they read in the page's order.
30 of WCXB's 1,310 pages stream this way.

Measured with ``python -m training.wcxb_html_eval`` on the 251 held-out WCXB pages (the
model card of ``models/html`` quotes the run): word F1 0.816 before, 0.830 with the hidden
block shown, 0.837 with the streamed segments placed too (trafilatura: 0.825).
"""

from __future__ import annotations

import re
from typing import Sequence

from .result import HtmlLines
from .walk import _walk

PROSE_WORDS = 10
"""A line of at least this many words is prose (a sentence, not a menu item)."""
RATIO = 3
"""A hidden block is the page's content when it holds this many times the shown prose..."""
MARGIN = 50
"""...plus this many words: a page that shows nothing is not revealed for a hidden
sentence or two (a "please enable JavaScript" notice, a cookie dialog's paragraph)."""


def prose_words(lines: Sequence[str]) -> int:
    """Words in the lines of at least :data:`PROSE_WORDS` words."""
    return sum(n for n in map(len, map(str.split, lines)) if n >= PROSE_WORDS)


_SEGMENTS = "//div[@hidden][starts-with(@id, 'S:')]"
"""React's streamed segments (``<div hidden id="S:4">``), in one XPath query."""
MAX_SEGMENTS = 1000
"""The most segments placed on one page (React pages stream tens): finding a slot climbs its
ancestors, so a hostile page with a hundred thousand segments must not get a climb each."""
_SLOTS = "//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]"
"""Where they go: a Suspense boundary's ``<template id="B:4">`` or a pending segment's
``<template id="P:4">``."""


def place_streamed_segments(root) -> int:
    """Move each streamed segment of a React page into its slot, as the page's script would:
    the segment ``S:n`` goes before ``<template id="B:n">`` or ``<template id="P:n">``
    (React pairs them by that number; the scripts that do it, ``$RC("B:n","S:n")`` and
    ``$RS("S:n","P:n")``, are not always kept by a scraper). The boundary's fallback
    ("Loading...") stays, since the comments that delimit it are gone after parsing.

    As a browser's ``getElementById`` would, the first segment and the first slot of an id
    are the ones used; a segment or slot inside a ``<template>`` or ``<noscript>`` is not in
    the page a script sees, and a slot inside its own segment cannot take it: such segments
    stay where they are, hidden. Returns how many were placed."""
    segments = root.xpath(_SEGMENTS)
    if not segments:
        return 0
    slots: dict[str, object] = {}
    for el in root.xpath(_SLOTS):
        slots.setdefault(el.get("id")[2:], el)
    used: set[str] = set()
    placed = 0
    for segment in segments[:MAX_SEGMENTS]:
        key = segment.get("id")[2:]
        slot = slots.get(key)
        if (key in used or slot is None or slot.getparent() is None or _inert(segment) or _inert(slot)
                or any(a is segment for a in slot.iterancestors())):
            continue
        used.add(key)
        if segment.text and not _move_text(segment, slot):
            continue
        for child in list(segment):  # moves its subtree and its tail; addprevious, not
            slot.addprevious(child)  # insert(index): an index walk per child was quadratic
        placed += 1
    return placed


_INERT = frozenset({"template", "noscript"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters lxml refuses in a string it is given, though its parser keeps them in a page."""


def _inert(el) -> bool:
    """Whether ``el`` sits inside a ``<template>`` or ``<noscript>``."""
    return any(isinstance(a.tag, str) and a.tag.lower() in _INERT for a in el.iterancestors())


def _move_text(segment, slot) -> bool:
    """Move the segment's loose text (before its first child) to just before the slot: onto
    the tail of the slot's previous sibling, or the parent's text. Characters lxml refuses
    in a string become U+FFFD there, the only change to the page's text; False (nothing
    moved) if it still refuses."""
    before = slot.getprevious()
    owner, attr = (slot.getparent(), "text") if before is None else (before, "tail")
    joined = (getattr(owner, attr) or "") + segment.text
    for value in (joined, _NOT_XML.sub("\ufffd", joined)):
        try:
            setattr(owner, attr, value)
        except ValueError:
            continue
        segment.text = None
        return True
    return False


def walk_revealing(root, encoding: str) -> HtmlLines:
    """The page's lines as :func:`.walk._walk` reads them, after React's streamed segments
    are put in their slots (:func:`place_streamed_segments`); for a page whose content is
    hidden in one block (see the module's docstring), the lines with that block read."""
    place_streamed_segments(root)
    hidden: list = []
    shown = _walk(root, encoding, hidden=hidden)
    if not hidden:
        return shown
    need = RATIO * prose_words(shown.lines) + MARGIN
    block = _content_block(hidden, need)
    if block is None:
        return shown
    revealed = _walk(root, encoding, reveal=block)
    return revealed if prose_words(revealed.lines) >= need else shown


def _words(el) -> int:
    """Whitespace-separated words of the text under ``el`` but its scripts' and styles':
    at least its prose, in a pass linear in the subtree (a predicate on each text node's
    ancestors would be quadratic on a deeply nested page)."""
    words = len(" ".join(el.itertext()).split())
    for code in el.iter("script", "style"):
        words -= len(" ".join(code.itertext()).split())
    return words


def _content_block(hidden: list, need: int):
    """Of the ``hidden`` blocks the walk skipped (disjoint subtrees, so reading them all is
    at most one pass over the page), the one with the most words, if it has at least
    ``need`` of them: None when none could hold that much prose."""
    best, best_words = None, need - 1
    for el in hidden:
        words = _words(el)
        if words > best_words:
            best, best_words = el, words
    return best
