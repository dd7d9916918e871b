"""One call from a scraped page (HTML bytes, HTML text or plain text) to its article.

Why: a scraper holds raw responses, and before this it had to choose the right call itself
(``label_html`` for HTML, ``clean`` for text), pick the title out of the lines, and keep
lines, paths and labels together by hand. :func:`extract` does that for one page and
:func:`extract_many` for a stream, labelling lines in batches across pages (HTML pages
through the HTML model, text pages through the text model, input order kept).

The result is a small typed record, :class:`Article`: the title, the kept text with its
paragraphs, and every line with its label (and, for HTML, its DOM path), so a caller can
audit why a line was kept or dropped.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Iterable, Iterator

from .arguments import keep_set
from .html import HtmlLines, extract as html_lines, looks_like_html
from .isolation import PageFailure
from .model import LineClassifier, LineLabel, keep_lines
from .page import decode, split_lines
from .results import PageLabels
from .settings import DEFAULT_BATCH_LINES

TITLE_MAX_WORDS = 30
"""A title candidate has at most this many words: a headline, not a paragraph."""
_TITLE_LABELS = frozenset({"body", "clickbait"})
"""A page's own headline is body, or clickbait when it is sensational; never furniture."""


@dataclass(frozen=True, slots=True)
class ArticleLine:
    """One line of the page as linesift read it: its text, its label (``None`` for a blank
    line) and, for an HTML page, the DOM path of the element it came from."""

    text: str
    label: LineLabel | None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: ``{"text", "path", "label", "score", "line"}`` (blank: nulls)."""
        lab = self.label
        return {"text": self.text, "path": self.path,
                "label": None if lab is None else lab.label,
                "score": None if lab is None else lab.score,
                "line": None if lab is None else lab.line}


@dataclass(frozen=True, slots=True)
class Article:
    """What :func:`extract` found on a page.

    ``title``: the page's headline (see :func:`find_title`), or ``None``. ``text``: the kept
    lines (``keep``, default body), a blank line between paragraphs, as
    :meth:`LineClassifier.clean` gives them (the title is in it when it was kept).
    ``lines``: every line read, in order, with its label. ``url``: as given. ``html``:
    whether the page was read as HTML.
    """

    title: str | None
    text: str
    lines: tuple[ArticleLine, ...]
    url: str | None = None
    html: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title, "text": self.text, "html": self.html,
                "lines": [line.to_dict() for line in self.lines]}


def find_title(lines: Iterable[ArticleLine]) -> str | None:
    """The page's headline: on an HTML page the first ``<h1>`` line labelled body or
    clickbait; otherwise (or without one) the first line so labelled that is short enough
    to be a headline (:data:`TITLE_MAX_WORDS`). A page's headline is where it starts, so
    the first such line is taken rather than the most likely one."""
    lines = [line for line in lines if line.label is not None and line.label.label in _TITLE_LABELS]
    for line in lines:
        if line.path and line.path.rsplit(">", 1)[-1].split(".")[0].split("#")[0] == "h1":
            return line.text.strip()
    for line in lines:
        if len(line.text.split()) <= TITLE_MAX_WORDS:
            return line.text.strip()
    return None


def _read(page: str | bytes) -> list[str] | HtmlLines:
    """What the models read: for an HTML document its extracted lines with their DOM
    cues (:func:`classifier.html.extract`), for text its lines."""
    if not isinstance(page, (str, bytes)):
        raise TypeError(f"a page is str or bytes (HTML or text), not {type(page).__name__}")
    if looks_like_html(page):
        return html_lines(page)
    return split_lines(decode(page).text)


def label_by_kind(clf: LineClassifier, items: Iterable[tuple], *, arrays: bool = False,
                  **options: Any) -> Iterator[tuple[Any, "list[LineLabel | None] | PageLabels | PageFailure"]]:
    """``label_pages`` over items whose page is either lines or :class:`HtmlLines`: runs of
    HTML pages go to the HTML model (``clf.html_model()``), runs of text pages to ``clf``;
    results come out in input order either way. ``arrays``: each page's labels as
    :class:`~classifier.results.PageLabels` (``label_arrays``) rather than a list of records;
    with ``errors="report"`` among the options, a page that failed is its
    :class:`~classifier.isolation.PageFailure`."""
    for is_html, run in groupby(items, key=lambda item: isinstance(item[1], HtmlLines)):
        model = clf.html_model() if is_html else clf
        yield from (model.label_arrays if arrays else model.label_pages)(run, **options)


def _article(payload: list[str] | HtmlLines, labels: list[LineLabel | None],
             keep: frozenset[str], url: str | None) -> Article:
    if isinstance(payload, HtmlLines):
        texts, paths = payload.lines, payload.paths
    else:
        texts, paths = payload, [None] * len(payload)
    lines = tuple(map(ArticleLine, texts, labels, paths))
    return Article(find_title(lines), "\n".join(keep_lines(texts, labels, set(keep))), lines,
                   url, isinstance(payload, HtmlLines))


def extract(page: str | bytes, url: str | None = None, *, keep: str | Iterable[str] = "body",
            model: LineClassifier | None = None) -> Article:
    """The article of one page: HTML (bytes, charset from BOM or ``<meta>``, or text) is
    read through the HTML model, anything else as plain text through the text model.
    ``keep``: the labels that make up ``Article.text``; ``model``: a loaded classifier
    (default: the shipped one, loaded once per process)."""
    return next(extract_many([(url, page)], keep=keep, model=model))


def extract_many(pages: Iterable[str | bytes | tuple[str | None, str | bytes]], *,
                 keep: str | Iterable[str] = "body", model: LineClassifier | None = None,
                 batch_lines: int = DEFAULT_BATCH_LINES) -> Iterator[Article]:
    """:func:`extract` for a stream: items are pages, or ``(url, page)`` pairs; one
    :class:`Article` per item, in input order. Lines are labelled in batches of about
    ``batch_lines`` across pages; only one batch is held at a time."""
    keeping = keep_set(keep)
    clf = model if model is not None else LineClassifier.load()

    pending: deque[tuple[str | None, list[str] | HtmlLines]] = deque()

    def items() -> Iterator[tuple[int, list[str] | HtmlLines]]:
        for number, item in enumerate(pages):
            url, page = item if isinstance(item, tuple) else (None, item)
            pending.append((url, _read(page)))
            yield number, pending[-1][1]

    for _, labels in label_by_kind(clf, items(), batch_lines=batch_lines):
        # results come in input order; pages read ahead into the batch wait in ``pending``
        url, payload = pending.popleft()
        yield _article(payload, labels, keeping, url)
