"""The rules the annotation guide states outright, applied after the model, in order.

Why rules and not training: each is a reading the guide spells out and a reader applies at
a glance, which no labelled source follows closely enough to teach it (see each module):
a fragment of a script left in the text is boilerplate (:mod:`.residue`), the page's own
headline is body (:mod:`.own_title`), a thread of posts under author-and-time
lines is comments (:mod:`.comment_thread`), a list of headlines under bare dates is not
(:mod:`.dated_list`), short lines between two paragraphs of the article are its own list or
table (:mod:`.article_lists`), a tag or category line is boilerplate (:mod:`.tag_lines`: after
the rules that can raise a line to body or comment), so is a photo credit or caption line
(:mod:`.credit_lines`, beside it), so are CMS shortcodes and a feed's
"appeared first on" footer (:func:`.residue.apply_cms_residue`: after them too), a line
called clickbait inside the article's prose is the article's text (:mod:`.prose_clickbait`:
a teaser is a title or a widget's item), and the guide's clickbait marks are clickbait
(:mod:`.guide`). On a page read from HTML, the items of the main list of a page without an
article are its content (:mod:`.listing`, last: it reads the DOM paths and the whole
page's labels).
They run in that order, so the guide's precedence holds: clickbait last, over everything.
``LineClassifier(guide_marks=False)`` (``--no-guide-rule`` on the command line) labels with
the model alone.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Sequence

import numpy as np

from . import (article_lists, comment_thread, credit_lines, dated_list, guide, listing, own_title, prose_clickbait,
               residue, tag_lines)

Rule = Callable[[np.ndarray, Sequence[str], "Sequence[int] | None"], np.ndarray]

RESIDUE_CUE = "a fragment of a script left in the text (the guide: not written as the page's content)"
TITLE_CUE = "the page's own headline, just above the article (the guide's rule)"
THREAD_CUE = "a thread of posts under author-and-time lines (the guide's comment rule)"
DATED_LIST_CUE = "a list of headlines under bare dates (the guide: related lists and standing dates are boilerplate)"
LIST_CUE = "a list or table between two paragraphs of the article (the guide: its list items and tables are body)"
LISTING_CUE = "an item of the main list of an HTML page without an article (the guide: the page's own content is body)"
TAGS_CUE = "a tag or category line (the guide: tag lists are boilerplate)"
CREDIT_CUE = "a photo credit or caption line (the guide: image captions and credits are boilerplate)"
CMS_CUE = "CMS shortcodes or a feed footer (the guide: shortcodes and RSS footers are boilerplate)"
PROSE_CUE = "a line inside the article's prose (the guide: clickbait is a title or a widget's teaser)"
GUIDE_CUE = "a clickbait mark the guide names (media tag, all-caps hook, named phrase, teaser snippet)"


def rules(paths: "Sequence[Sequence[str] | None] | None" = None) -> tuple[tuple[str, Rule], ...]:
    """Each rule with the cue ``explain`` names it by, in the order they apply (read at
    call time, so a test can replace one). ``paths``: per page of the batch, its lines' DOM
    paths (None for a page read as text); given, the listing rule of HTML pages
    (:mod:`.listing`) joins, last: it judges a whole page's labels (has it an article?), so
    a page labelled in windows gets it once they are put together
    (``LineClassifier._predict_prepared``), and it only raises boilerplate lines, so the
    clickbait marks keep their precedence."""
    listing_rule = (((LISTING_CUE, partial(listing.apply_listing, paths=paths)),)
                    if paths is not None and any(p is not None for p in paths) else ())
    return ((RESIDUE_CUE, residue.apply_fragments), (TITLE_CUE, own_title.apply_title),
            (THREAD_CUE, comment_thread.apply_threads),
            (DATED_LIST_CUE, dated_list.apply_dated_lists), (LIST_CUE, article_lists.apply_lists),
            (TAGS_CUE, tag_lines.apply_tags), (CREDIT_CUE, credit_lines.apply_credits),
            (CMS_CUE, residue.apply_cms_residue), (PROSE_CUE, prose_clickbait.apply_prose),
            (GUIDE_CUE, guide.apply_marks), *listing_rule)


def apply_rules(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None,
                paths: "Sequence[Sequence[str] | None] | None" = None) -> np.ndarray:
    """``probs`` (lines x labels, the non-blank lines of the pages of ``sizes`` in order)
    after every rule; ``probs`` itself when none changes a line. ``paths``: see :func:`rules`."""
    for _, rule in rules(paths):
        probs = rule(probs, lines, sizes)
    return probs
