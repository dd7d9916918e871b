"""Checks on what callers hand the library, failing early with a message that names the fix.

Why a module of its own: the mistakes people make with a line labeller are few and
recurring (a bare string where a list of pages is expected, a label string where a set of
labels is expected, raw HTML given to a text call), and each one used to *work*, giving
wrong output instead of an error: a string is a sequence of one-character pages, and
``set("body")`` is four unknown labels. Catching them here keeps :mod:`classifier.model`
about labelling, and gives every entry point (library, CLI, datatrove step) the same rules
and the same messages.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

from .html import looks_like_html
from .settings import LABELS


class HtmlInputError(ValueError):
    """Raw HTML was given to a call that reads plain text.

    linesift refuses it rather than label the markup as text (tags and attributes would
    come back as "clean" lines) or silently switch to the HTML model (whose lines are not
    the input's lines, so line numbers and ``clean`` would no longer match the input).
    """


HTML_FIX = ("use clf.label_html(html) for its lines and labels, or classifier.extract(html) "
            "for the article text; to label it as plain text anyway, split it into lines and "
            "call clf.label(lines)")


def keep_set(keep: str | Iterable[str] | None, *, default: Iterable[str] = ("body",)) -> frozenset[str]:
    """The labels to keep, as a set: one label name (``"body"``), a comma-separated list
    (``"body,comment"``, as the CLI's ``--keep`` takes) or any iterable of names, so
    ``clean(text, keep="body")`` means what ``LineSiftStep(keep="body")`` means. ``None``
    gives ``default``. Unknown names are a ``ValueError`` listing the known ones."""
    if keep is None:
        keep = default
    if isinstance(keep, str):
        keep = keep.split(",")
    elif isinstance(keep, bytes):
        raise TypeError("keep takes label names as str, e.g. keep={'body'}")
    names = frozenset(name.strip() for name in keep)
    unknown = sorted(names - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels: {unknown}; choose from {', '.join(LABELS)}")
    return names


def check_page(page: Any, where: str | Callable[[], str] = "the page") -> None:
    """A page given as text (``str``/``bytes``) must not be an HTML document (see
    :class:`HtmlInputError`); pages given as lines are the caller's split and pass.
    ``where`` names the page in the message, or builds that name when called: a stream's
    page id may be a whole record, too costly to format for every page that passes."""
    if isinstance(page, (str, bytes)) and looks_like_html(page):
        raise HtmlInputError(f"{where() if callable(where) else where} is an HTML document, "
                             f"not text: {HTML_FIX}")


def check_pages(X: Any, call: str) -> None:
    """``X`` of ``fit``/``predict``/``predict_proba`` is a sequence of pages: refuse a lone
    page (a str or bytes would be read as one page per character)."""
    if isinstance(X, (str, bytes)):
        raise TypeError(f"{call} takes a sequence of pages, not one page as {type(X).__name__}: "
                        f"call {call}([page]) (or clf.label_text(page) for one page)")


def page_items(items: Iterable[Any]) -> Iterator[tuple]:
    """The items of ``label_pages``, checked one by one as the stream goes: each must be a
    ``(page_id, page)`` or ``(page_id, page, site)`` tuple. A bare string is refused (it
    would unpack into an id and a one-character page) with the fix in the message."""
    if isinstance(items, (str, bytes)):
        raise TypeError("label_pages takes an iterable of (page_id, page) pairs, not one page: "
                        "call label_pages([(page_id, text)]) or clf.label_text(text)")
    for number, item in enumerate(items):
        if isinstance(item, (str, bytes)):
            raise TypeError(f"label_pages item {number} is a bare {type(item).__name__}; items are "
                            "(page_id, page) pairs: pass enumerate(texts), or ((url, text) ...)")
        if not isinstance(item, (tuple, list)) or len(item) not in (2, 3):
            raise TypeError(f"label_pages item {number} is {type(item).__name__}"
                            f"{'' if not hasattr(item, '__len__') else f' of length {len(item)}'}; "
                            "items are (page_id, page) or (page_id, page, site) tuples")
        # the name is built only for a page refused: formatting an id's repr for every page
        # cost the CLI's parent process 8% of its time with --jobs 2
        check_page(item[1], lambda: f"label_pages item {number} (page {item[0]!r})")
        yield tuple(item)
