"""linesift: label every line of a scraped page as body, boilerplate, comment or clickbait.

    from classifier import LineClassifier
    clf = LineClassifier.load()          # the shipped model, loaded once per process
    labels = clf.label_text(page_text)   # one LineLabel (or None for a blank line) per line

    from classifier import extract
    article = extract(html_bytes)        # HTML or text in; title, text, labelled lines out
"""

import logging

from .arguments import HtmlInputError
from .extract import Article, ArticleLine, extract, extract_many
from .model import HtmlLabels, LineClassifier, LineLabel, NotFittedError
from .settings import LABELS

__all__ = ["LABELS", "Article", "ArticleLine", "HtmlInputError", "HtmlLabels", "LineClassifier",
           "LineLabel", "NotFittedError", "extract", "extract_many"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
