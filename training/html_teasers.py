"""Clickbait in an HTML context: real HTML pages with a recommendation widget added.

No page of the HTML sets holds a clickbait line, so an HTML model trained on them alone
learns "a link in a related list is boilerplate" and never sees a sensational teaser in
its DOM. This recipe takes the teaser blocks the text corpus already composed for the same
split (a "Related"-style heading, then held-out clickbait and plain headlines mixed, labels
known by construction; see ``training.compose``) and renders one as a widget inside a real
HTML page of that split. Clickbait and plain headlines sit in the same
container, so the DOM says "a teaser list" and the words must say which is which.

Seeded per page; a page whose extracted lines do not come out as its own lines with the
widget's lines inserted in one run is left out (the widget landed inside something that
reflowed the text). The widget goes at the end of the page's body.
"""

from __future__ import annotations

import html as html_text
import random
import re
from typing import Sequence

from classifier.evaluation import line_language
from classifier.html import extract

from .compose import AR_RELATED_HEADINGS, EN_RELATED_HEADINGS

HEADINGS = frozenset(AR_RELATED_HEADINGS) | frozenset(EN_RELATED_HEADINGS)

# container class names of recommendation widgets, from explicit to neutral
_CLASSES = ("related-posts", "recommended", "more-stories", "read-more", "trending",
            "sponsored-links", "widget", "box", "sidebar-list", "links")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)

Block = list[tuple[str, str]]


MAX_ITEMS = 12
"""Lines of a widget after its heading (composed teaser blocks hold 3-8 headlines, with an
occasional date line)."""


def teaser_blocks(pages: Sequence[dict]) -> list[Block]:
    """The teaser blocks of composed text-corpus pages: a heading line then its headlines,
    with their labels (heading and plain headlines boilerplate). A block ends at a blank
    line or at the first line that is neither clickbait nor boilerplate: composed pages may
    run a comment section straight after a teaser block, and a comment inside a widget
    would teach the model that comments sit in link lists."""
    blocks = []
    for page in pages:
        if not page.get("composed"):
            continue
        lines = page["lines"]
        for i, line in enumerate(lines):
            if line["text"] not in HEADINGS:
                continue
            block = [(line["text"], line["label"])]
            for nxt in lines[i + 1:i + 1 + MAX_ITEMS]:
                if not nxt["text"].strip() or nxt["label"] not in ("clickbait", "boilerplate"):
                    break
                block.append((nxt["text"], nxt["label"]))
            if any(label == "clickbait" for _, label in block):
                blocks.append(block)
    return blocks


def render(block: Block, rng: random.Random) -> str:
    """A block as a widget: heading, then one list item (a link) per headline."""
    heading, *items = block
    css = rng.choice(_CLASSES)
    lis = "".join(f'<li><a href="/story/{rng.randrange(10**6)}">{html_text.escape(t)}</a></li>'
                  for t, _ in items)
    return f'<aside class="{css}"><h3>{html_text.escape(heading[0])}</h3><ul>{lis}</ul></aside>'


def with_teaser(html: str, lines: list[str], labels: list[str], block: Block,
                rng: random.Random) -> tuple[str, list[str], list[str]] | None:
    """``html`` with the widget at the end of its body, and the extracted lines and labels
    that result; None when the lines do not line up.

    At the end, not before the first ``<footer>``: comment threads hold ``<footer>``
    elements of their own (WordPress puts one in every comment), and a widget inside a
    comment container taught a first trained model that comment containers hold teasers
    (its comment F1 fell by 5 points)."""
    widget = render(block, rng)
    ends = list(_BODY_END.finditer(html))
    at = ends[-1].start() if ends else len(html)
    new_html = html[:at] + widget + html[at:]
    new_lines = extract(new_html).lines
    added = [" ".join(t.split()) for t, _ in block]  # as extraction collapses white space
    n = len(added)
    for k in range(len(lines) + 1):
        if [" ".join(t.split()) for t in new_lines[k:k + n]] == added:
            if new_lines[:k] + new_lines[k + n:] == lines:
                return new_html, new_lines, labels[:k] + [lab for _, lab in block] + labels[k:]
            return None
    return None


TEASER_SHARE = 0.5
"""Share of HTML pages given a teaser widget."""


def maybe_teaser(rec: dict, teasers: Sequence[Block], seed: int = 13,
                 share: float = TEASER_SHARE) -> tuple[str, list[str], list[str], str]:
    """An HTML corpus record's (html, lines, labels, recipe), with a widget for a seeded
    ``share`` of pages (recipe "html teaser"), mostly in the page's own language; the same
    pages get the same widget in training and in every comparison."""
    html = rec["html"]
    lines = [ln["text"] for ln in rec["lines"]]
    labels = [ln["label"] for ln in rec["lines"]]
    rng = random.Random(f"{seed}:teaser:{rec['page_id']}")
    if teasers and rng.random() < share:
        same = [b for b in teasers if line_language(b[0][0]) == rec["lang"]]
        block = rng.choice(same if same and rng.random() < 0.8 else list(teasers))
        added = with_teaser(html, lines, labels, block, rng)
        if added is not None:
            return (*added, "html teaser")
    return html, lines, labels, "real page"

