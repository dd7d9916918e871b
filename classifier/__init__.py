"""linesift: label every line of a scraped page as body, boilerplate, comment or clickbait.

    from classifier import LineClassifier
    clf = LineClassifier.load()          # the shipped model, loaded once per process
    labels = clf.label_text(page_text)   # one LineLabel (or None for a blank line) per line
"""

import logging
from typing import TYPE_CHECKING, Any

from .settings import LABELS

__all__ = ["LABELS", "HtmlLabels", "LineClassifier", "LineLabel", "NotFittedError"]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:  # pragma: no cover
    from .model import HtmlLabels, LineClassifier, LineLabel, NotFittedError


def __getattr__(name: str) -> Any:
    """The model classes, imported on first use: ``import classifier.<module>`` (the
    command line's entry first of all, see :mod:`classifier._entry`) then costs no numpy
    import, so signal handlers can be in place before the heavy imports start."""
    if name in ("HtmlLabels", "LineClassifier", "LineLabel", "NotFittedError"):
        from . import model

        return getattr(model, name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
