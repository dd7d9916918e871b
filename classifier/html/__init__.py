"""HTML in, lines out: a page's visible text as a WET-style line list, plus DOM cues per line.

Why this module exists: scrapers hold HTML before they hold text, and the DOM carries what
plain text has lost (whether a line is a link, sits in a ``<nav>`` or a ``div.comments``,
belongs to a list of twenty look-alike items). :func:`extract` turns HTML into exactly the
lines a plain-text extract would give (so the text model reads what it was trained on) and
keeps, for every line, a short DOM path and a row of numeric cues (:data:`CUE_NAMES`).

How lines are cut, and why:

* a line break at every block-level element and at ``<br>`` (what browsers, Common Crawl's
  WET files and html2text-style scrapers do); inline elements (``a``, ``span``, ``b``...)
  join their text into the surrounding line, so ``Hel<b>lo</b>`` stays ``Hello``;
* whitespace collapsed to single spaces inside a line (HTML rendering rules), except in
  ``<pre>``, whose own line breaks are kept;
* dropped: what a browser does not show: ``<head>``, scripts, styles, ``<noscript>``,
  ``<template>``, SVG, iframes and embedded objects, comments, and elements hidden by the
  ``hidden`` attribute, ``aria-hidden="true"`` or an inline ``display:none`` /
  ``visibility:hidden`` style; except that a page showing little prose while one hidden
  block (or a ``<noscript>``) holds several times as much is read with that block shown
  (:mod:`.reveal`: pages that show their content only once a script has run);
* nothing else is dropped or reordered: every visible text node lands in exactly one line,
  in document order.

The module is pure (same input, same output) and never raises on bad HTML: a document lxml
cannot parse, or one without visible text, gives zero lines. libxml2 stops parsing a
document nested deeper than 2048 elements (the rest of the page was lost) and checks a
tag's attributes against each other (quadratic: 200,000 attributes took minutes), so
:func:`_guard` rewrites such markup first, in one linear pass: a tag's attributes beyond
:data:`MAX_ATTRIBUTES` are dropped except the few this module reads, and, only when
libxml2 reported the depth limit, elements deeper than :data:`FLATTEN_DEPTH` become line
breaks (blocks) or nothing (inline), their text kept. Ordinary pages are never rewritten,
so their lines, paths and cues are unchanged.

The stages, one module each: :mod:`.decode` (bytes -> text), :mod:`.parse` (text -> lxml
tree, behind the guard), :mod:`.walk` (tree -> lines, the hot loop), :mod:`.cues` (what
the walk kept -> the cue matrix; the HTML model's columns), :mod:`.reveal` (content a
script would show), :mod:`.result` (the record).

Why lxml and not a lexbor parser (selectolax, resiliparse), measured for issue 18 with
selectolax 1.0.2 (``python -m training.html_parser_choice``, 456 real pages of WCXB,
Dragnet, CleanEval, AEB and the Arabic sets): lexbor parses about 4x faster than
libxml2, but after the walk was rewritten the parse is about a quarter of extraction time
and the walk, which is Python with either parser, the rest, so the whole would be about
1.25x faster; selectolax's node accessors are no cheaper than lxml's. And lexbor builds
the HTML5 tree: a ``tbody`` the markup lacks on 109 of the 456 pages, and other repairs,
which change the DOM paths, depths and sibling counts the HTML model was trained on: switching needs a
retrain, not only a faster parser. It is also quadratic where libxml2 is (200,000
attributes: 275 s; 100,000 nested ``div``: 37 s).
"""

from __future__ import annotations

from .cues import CUE_NAMES, DOM_NAMES, _class_bits_cached, dom_columns, no_dom
from .decode import decode_html, looks_like_html
from .parse import FLATTEN_DEPTH, MAX_ATTRIBUTES, _guard, _parse
from .result import HtmlLines, _empty
from .reveal import walk_revealing
from .walk import BLOCK_TAGS, PARAGRAPH_TAGS, SEPARATE_TAGS, SKIP_TAGS, _walk

__all__ = ["CUE_NAMES", "DOM_NAMES", "HtmlLines", "decode_html", "dom_columns", "extract",
           "looks_like_html", "no_dom"]


def extract(html: str | bytes) -> HtmlLines:
    """The page's visible text as lines, with a DOM path and a cue row per line.

    Never raises on malformed input: what lxml cannot parse gives zero lines.
    """
    try:
        text, encoding = decode_html(html)
    except Exception:  # noqa: BLE001 - a codec failure is a page without lines, not a crash
        return _empty("unknown")
    try:
        root = _parse(text)
    except Exception:  # noqa: BLE001 - lxml refuses some inputs outright
        return _empty(encoding)
    if root is None:
        return _empty(encoding)
    try:
        return walk_revealing(root, encoding)
    except RecursionError:
        return _empty(encoding)
    except Exception:  # noqa: BLE001 - see below
        # revealing moves elements and text (:mod:`.reveal`): should lxml ever refuse a
        # move, the page is read as shown, as it was before that step, not lost
        try:
            return _walk(_parse(text), encoding)
        except RecursionError:
            return _empty(encoding)


