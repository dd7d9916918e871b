"""The fastText text model: what a line's words say about its label.

fastText is used through its two verbs, ``train_supervised`` and ``load_model``, and batch
``predict``. Lines are normalised the same way for training and prediction (lower case,
digits folded to 0, punctuation split off) by one function, so the model is always fed what
it was trained on. Lower-casing matters beyond vocabulary size: one clickbait source is all
Title Case, and the text model must learn words, not casing (casing is a layout cue).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Sequence

import numpy as np

from . import settings

_PREFIX = "__label__"
_DIGITS = re.compile(r"\d")
_TOKEN = re.compile(r"\w+|[^\w\s]|\n")
_SPACES = re.compile(r"[ \t\x00-\x09\x0b-\x1f\x7f\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


class TextModelError(RuntimeError):
    """The fastText file is missing or unreadable."""


def normalise(lines: Sequence[str]) -> list[str]:
    """Lines as the text model sees them; one regex pass over the joined batch."""
    cap = settings.MAX_TEXT_MODEL_CHARS
    joined = "\n".join(line[:cap].replace("\n", " ") for line in lines).lower()
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (a JSON "\ud800" escape): fastText
            joined = joined.encode("utf-8", "replace").decode("utf-8")  # takes UTF-8 only
    joined = _SPACES.sub(" ", _DIGITS.sub("0", joined))
    # words and single punctuation marks as space-separated tokens; findall + join runs
    # in C, where a substitution with a group template expands every match in Python
    return " ".join(_TOKEN.findall(joined)).split("\n") if lines else []


def _fasttext():
    try:
        import fasttext
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise TextModelError("the 'fasttext' module is missing: pip install fasttext-community") from exc
    return fasttext


class TextModel:
    """A trained fastText classifier over normalised line text."""

    def __init__(self, model, labels: Sequence[str] = settings.LABELS):
        self._model = model
        self.labels = tuple(labels)
        self._column = {_PREFIX + lab: i for i, lab in enumerate(self.labels)}

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], *,
              params: dict | None = None, quantize: bool = True,
              label_set: Sequence[str] = settings.LABELS) -> "TextModel":
        """Train on lines and their labels; quantise (``.ftz``) unless told not to."""
        fasttext = _fasttext()
        args = dict(settings.TEXT_MODEL_PARAMS, **(params or {}))
        args.setdefault("verbose", 0)
        with tempfile.TemporaryDirectory(prefix="linesift-") as tmp:
            path = os.path.join(tmp, "train.txt")
            with open(path, "w", encoding="utf-8") as fh:
                for text, label in zip(normalise(texts), labels):
                    fh.write(f"{_PREFIX}{label} {text}\n")
            model = fasttext.train_supervised(input=path, **args)
            if quantize:
                model.quantize(input=path, qnorm=True, retrain=True,
                               cutoff=settings.QUANTIZE_CUTOFF, thread=args.get("thread", 2),
                               verbose=0)
        return cls(model, label_set)

    @classmethod
    def load(cls, path: str | os.PathLike[str], labels: Sequence[str] = settings.LABELS) -> "TextModel":
        """Load a saved model; a missing or unreadable file is a :class:`TextModelError`."""
        path = Path(path)
        if not path.is_file():
            raise TextModelError(f"fastText model file not found: {path}")
        fasttext = _fasttext()
        try:
            model = fasttext.load_model(str(path))
        except (ValueError, RuntimeError, MemoryError) as exc:
            raise TextModelError(f"cannot read fastText model {path}: {exc}") from exc
        return cls(model, labels)

    def save(self, path: str | os.PathLike[str]) -> None:
        self._model.save_model(str(path))

    def predict_proba(self, lines: Sequence[str]) -> np.ndarray:
        """Label probabilities, one row per line, columns in ``labels`` order."""
        n, k = len(lines), len(self.labels)
        out = np.zeros((n, k), dtype=np.float64)
        if n == 0:
            return out
        names, probs = self._model.predict(normalise(lines), k=len(self._model.labels))
        column = self._column
        try:
            cols = np.array([[column[name] for name in row] for row in names], dtype=np.intp)
            out[np.arange(n)[:, None], cols] = np.asarray(probs, dtype=np.float64)
        except ValueError:  # ragged: fastText returned fewer labels for some lines
            for i, (row_names, row_probs) in enumerate(zip(names, probs)):
                for name, p in zip(row_names, row_probs):
                    out[i, column[name]] = p
        return out
