"""linesift: label every line of a scraped page as body, boilerplate, comment or clickbait.

    from classifier import LineClassifier
    clf = LineClassifier.load()          # the shipped model, loaded once per process
    labels = clf.label_text(page_text)   # one LineLabel (or None for a blank line) per line
"""

import logging

from .model import HtmlLabels, LineClassifier, LineLabel, NotFittedError
from .settings import LABELS

__all__ = ["LABELS", "HtmlLabels", "LineClassifier", "LineLabel", "NotFittedError"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
