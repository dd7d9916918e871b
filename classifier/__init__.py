"""linesift: label every line of a scraped page as body, boilerplate, comment or clickbait.

    from classifier import LineClassifier
    clf = LineClassifier.load()          # the shipped model, loaded once per process
    labels = clf.label_text(page_text)   # one LineLabel (or None for a blank line) per line

    from classifier import extract
    article = extract(html_bytes)        # HTML or text in; title, text, labelled lines out
"""

from typing import TYPE_CHECKING, Any

from .settings import LABELS

__all__ = ["LABELS", "Article", "ArticleLine", "HtmlInputError", "HtmlLabels", "LineClassifier",
           "LineLabel", "NotFittedError", "extract", "extract_many"]
__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .arguments import HtmlInputError
    from .article import Article, ArticleLine, extract, extract_many
    from .model import HtmlLabels, LineClassifier, LineLabel, NotFittedError

_LAZY = {"HtmlLabels": "model", "LineClassifier": "model", "LineLabel": "model", "NotFittedError": "model",
         "Article": "article", "ArticleLine": "article", "extract": "article", "extract_many": "article",
         "HtmlInputError": "arguments"}


def __getattr__(name: str) -> Any:
    """The model classes, imported on first use: ``import classifier.<module>`` (the
    command line's entry first of all, see :mod:`classifier._entry`) then costs no numpy
    import, so signal handlers can be in place before the heavy imports start."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
