"""The listing rule of HTML pages (classifier/listing.py): on a page without an article,
the repeated items of its main list are body; a page with an article, lists in its
furniture and pages read as text are left alone. Every page here is written for these
tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, listing, rules
from classifier.html import extract
from classifier.model import _prepare
from classifier.windows import _window
from helpers import verdicts

BODY = LABELS.index("body")

MAIN = "html>body>main#content>div.river"
NAV = "html>body>header.site-header>nav.primary>ul.menu"


def _items(n: int = 5) -> tuple[list[str], list[str]]:
    """A harbour newspaper's index: each item a title and a one-line summary."""
    lines, paths = [], []
    for i in range(n):
        lines += [f"Ferry number {i + 1} returns to the east quay after repairs",
                  f"The council says crossing {i + 1} will run twice a day from Monday."]
        paths += [f"{MAIN}>article#post-{100 + i}.teaser>h3.teaser__title",
                  f"{MAIN}>article#post-{100 + i}.teaser>div.teaser__summary"]
    return lines, paths


def test_item_signature_drops_what_tells_siblings_apart():
    assert listing.item_signature("div.list>article#post-118.card.card-3>h3") == "div.list>article.card>h3"
    assert listing.item_signature(NAV) == NAV


def test_the_items_of_an_index_page_become_body():
    lines, paths = _items()
    probs = verdicts(["boilerplate"] * len(lines))
    probs[:, BODY] = 0.2  # the model's doubt: p(body) 0.2, boilerplate still first
    probs[:, LABELS.index("boilerplate")] = 0.6
    out = listing.apply_listing(probs, lines, None, paths=[paths])
    assert (out.argmax(axis=1) == BODY).all()
    assert out[0, BODY] == pytest.approx(listing.BODY_PROBABILITY)


def test_a_page_with_an_article_keeps_its_lists_as_furniture():
    lines, paths = _items()
    lines.append("The harbour master told the council on Tuesday that the new timetable would "
                 "start once the second ferry had passed its safety checks.")
    paths.append("html>body>main#content>article.story>div.story__body>p")
    labels = ["boilerplate"] * (len(lines) - 1) + ["body"]
    probs = verdicts(labels)
    probs[:-1, BODY] = 0.2
    assert listing.apply_listing(probs, lines, None, paths=[paths]) is probs


@pytest.mark.parametrize("container", [NAV, "html>body>footer>div.links", "html>body>aside.sidebar>ul",
                                       "html>body>div#wrap>div.ads", "html>body>div.widget-area>ul"])
def test_a_list_in_the_pages_furniture_stays_boilerplate(container):
    lines = [f"Harbour walking tour number {i} leaves at nine" for i in range(6)]
    paths = [f"{container}>li.item-{i}" for i in range(6)]
    probs = verdicts(["boilerplate"] * 6)
    probs[:, BODY] = 0.3
    assert listing.listing_rows(probs, lines, None, [paths]).tolist() == []


def test_short_labels_few_items_or_a_confident_model_are_left_alone():
    lines, paths = _items(3)  # six lines, but each group (titles, summaries) has three
    probs = verdicts(["boilerplate"] * len(lines))
    probs[:, BODY] = 0.3
    assert listing.listing_rows(probs, lines, None, [paths]).tolist() == []
    lines, paths = _items()
    sure = verdicts(["boilerplate"] * len(lines))  # p(body) 0.1: the model is sure it is furniture
    assert listing.listing_rows(sure, lines, None, [paths]).tolist() == []
    labels = [f"Quay {i}" for i in range(8)]  # two words a line: section labels, not items
    label_probs = verdicts(["boilerplate"] * 8)
    label_probs[:, BODY] = 0.3
    assert listing.listing_rows(label_probs, labels, None, [[f"{MAIN}>a.tag"] * 8]).tolist() == []


def test_only_html_pages_of_a_batch_are_read():
    lines, paths = _items()
    probs = verdicts(["boilerplate"] * len(lines))
    probs[:, BODY] = 0.3
    batch = np.vstack([probs, probs])
    rows = listing.listing_rows(batch, lines + lines, [len(lines), len(lines)], [None, paths])
    assert rows.tolist() == list(range(len(lines), 2 * len(lines)))


def test_the_rule_joins_only_when_a_page_has_paths_and_runs_last():
    names = [name for name, _ in rules.rules()]
    assert rules.LISTING_CUE not in names
    assert [name for name, _ in rules.rules([None])] == names
    assert [name for name, _ in rules.rules([["html>body>p"]])] == names + [rules.LISTING_CUE]


def test_html_pages_carry_their_paths_to_the_rules_and_through_windows():
    page = extract("<html><body><main><ul class='river'>"
                   + "".join(f"<li><h3>Ferry {i} returns to the quay</h3><p>Crossings resume on day {i}.</p></li>"
                             for i in range(4))
                   + "</ul></main></body></html>")
    prep = _prepare(page)
    assert prep.paths is not None and len(prep.paths) == len(prep.lines) == 8
    assert prep.paths == [page.paths[i] for i in prep.positions.tolist()]
    part = _window(prep, 2, 5)  # a window is no page: the rule waits for the whole one
    assert part.paths is None and part.lines == prep.lines[2:5]
    assert _prepare("Ferry returns\nCrossings resume").paths is None


def test_a_page_in_windows_is_judged_whole(clf, monkeypatch):
    """An article at the top and a long related list below: cut into windows, the last
    window has no article line, yet the page has one, so the list stays as the model
    labelled it, exactly as when the page is labelled in one piece."""
    from classifier import settings

    article = ("The harbour council voted on Tuesday evening to rebuild the old stone "
               "lighthouse on the east quay before the winter storms arrive.")
    items = "".join(f"<li class='more'><a>Ferry timetable change number {i} for the harbour</a></li>"
                    for i in range(60))
    page = extract(f"<html><body><article><p>{article}</p><p>{article}</p></article>"
                   f"<section class='stories'><ul>{items}</ul></section></body></html>")
    calls = []
    real = listing.apply_listing

    def spy(probs, lines, sizes=None, *, paths):
        calls.append(len(lines))
        return real(probs, lines, sizes, paths=paths)

    monkeypatch.setattr(listing, "apply_listing", spy)
    monkeypatch.setattr(settings, "WINDOW_LINES", 24)
    monkeypatch.setattr(settings, "WINDOW_CONTEXT", 4)
    html_clf = clf.html_model()
    (_, windowed), = html_clf.label_pages([("p", page)])
    assert calls == [len(page.lines)]  # once, on the whole page, not per window
    assert len(windowed) == len(page.lines) == 62


def test_label_html_hands_the_paths_to_the_listing_rule(clf, monkeypatch):
    seen = []

    def spy(probs, lines, sizes=None, *, paths):
        seen.append(paths)
        return probs

    monkeypatch.setattr(listing, "apply_listing", spy)
    html = ("<html><body><main>" + "".join(f"<article><h2>Ferry {i} is back</h2></article>" for i in range(5))
            + "</main></body></html>")
    result = clf.label_html(html)
    assert seen and seen[-1] == [list(result.paths)]
    clf.label_text("Ferry 1 is back\nFerry 2 is back")
    assert len(seen) == 1  # a text page brings no paths: the rule is not called
