"""Word lists behind the language cues.

The stopword lists are jusText's (about a hundred languages, Arabic and English included).
They are read straight from jusText's installed data files instead of importing jusText,
whose import pulls in lxml and would add a tenth of a second to every CLI start.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from .features import Resources


class ResourceError(RuntimeError):
    """A word list the model needs could not be found."""


def _stoplist_path(language: str) -> Path:
    spec = importlib.util.find_spec("justext")
    if spec is None or spec.origin is None:
        raise ResourceError("the 'justext' package is not installed; it provides the stopword "
                            "lists linesift uses (pip install justext)")
    path = Path(spec.origin).parent / "stoplists" / f"{language}.txt"
    if not path.is_file():
        raise ResourceError(f"jusText has no stopword list for {language} at {path}")
    return path


def _read_words(path: Path) -> frozenset[str]:
    text = path.read_text(encoding="utf-8")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip())


def _has_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in word)


def load_resources() -> Resources:
    """English and Arabic stopword sets, loaded once per model.

    jusText's Arabic list also holds Latin tokens ("the", "of", "a"...), which would make
    the Arabic stopword density fire on English lines; only Arabic-script words are kept.
    """
    arabic = frozenset(w for w in _read_words(_stoplist_path("Arabic")) if _has_arabic(w))
    return Resources(stop_en=_read_words(_stoplist_path("English")), stop_ar=arabic)


def resources_digest() -> str:
    """SHA-256 over the stoplists, recorded in a bundle so a changed list is noticed."""
    h = hashlib.sha256()
    for language in ("English", "Arabic"):
        h.update(_stoplist_path(language).read_bytes())
    return h.hexdigest()
