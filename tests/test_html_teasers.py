"""The HTML teaser recipe of training (``training.html_teasers``): widgets land at the end
of the body, outside any comment thread, and labels stay aligned with the extracted lines."""

from __future__ import annotations

import random

from classifier.html import extract
from training.html_teasers import teaser_blocks, with_teaser

PAGE = ("<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav>"
        "<article><p>The council approved the new bridge on Monday.</p>"
        "<p>Work starts in spring.</p></article>"
        "<footer><p>Contact us</p></footer></body></html>")
BLOCK = [("Related", "boilerplate"), ("You Won't Believe What This Bridge Did Next", "clickbait"),
         ("Council sets budget for next year", "boilerplate")]


def test_teaser_goes_at_the_end_of_the_body_with_its_labels():
    lines = extract(PAGE).lines
    labels = ["boilerplate", "body", "body", "boilerplate"]
    html, new_lines, new_labels = with_teaser(PAGE, lines, labels, BLOCK, random.Random(1))
    assert extract(html).lines == new_lines
    assert new_lines == lines + [t for t, _ in BLOCK]
    assert new_labels == labels + [lab for _, lab in BLOCK]
    assert html.index("</footer>") < html.index("Related") < html.index("</body>")


def test_a_page_whose_lines_do_not_line_up_is_refused():
    # the stored lines are not what the page extracts to: nothing to align against
    assert with_teaser(PAGE, ["something else"], ["body"], BLOCK, random.Random(1)) is None


def test_teaser_blocks_come_from_composed_pages_and_stop_at_other_labels():
    line = lambda t, lab: {"text": t, "label": lab}  # noqa: E731
    composed = {"composed": True, "lines": [line("Body text.", "body"), line("", None),
                                            line("Related", "boilerplate"),
                                            line("Shocking news inside", "clickbait"),
                                            line("Leave a comment", "comment"),
                                            line("Footer", "boilerplate")]}
    real = dict(composed, composed=False)
    assert teaser_blocks([composed, real]) == [[("Related", "boilerplate"),
                                                ("Shocking news inside", "clickbait")]]
