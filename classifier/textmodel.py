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
import threading
from itertools import chain, compress, count, repeat
from operator import itemgetter
from pathlib import Path
from typing import Sequence

import numpy as np

from . import settings
from .features import CodePointTable, code_points, regex_marks

_PREFIX = "__label__"
_DIGITS = re.compile(r"\d")
_TOKEN = re.compile(r"\w+|[^\w\s]|\n")
_SPACES = re.compile(r"[ \t\x00-\x09\x0b-\x1f\x7f\u00a0\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")
"""What normalisation means, as regular expressions: digits fold to 0, the characters of
``_SPACES`` (invisible and control characters too) separate tokens like whitespace, and a
token is a run of word characters or one other visible character. :func:`normalise` applies
them through the code point table below, which is built from these very expressions."""

_SKIP, _WORD, _MARK, _LINE_END, _DIGIT, _SURROGATE = range(6)


def _kinds(text: str) -> np.ndarray:
    """What normalisation does with each character of ``text`` (see ``_SPACES``, ``_TOKEN``)."""
    cps = code_points(text)
    single = lambda pattern: re.compile(pattern.pattern.rstrip("+"))  # noqa: E731
    space = regex_marks(single(_SPACES), text) | regex_marks(re.compile(r"\s"), text)
    word = regex_marks(re.compile(r"\w"), text)
    kinds = np.where(space, _SKIP, np.where(word, _WORD, _MARK)).astype(np.uint8)
    kinds[word & ~space & regex_marks(_DIGITS, text)] = _DIGIT
    kinds[(cps >= 0xD800) & (cps <= 0xDFFF)] = _SURROGATE  # fastText takes UTF-8 only: "?"
    kinds[cps == 10] = _LINE_END
    return kinds


_KINDS = CodePointTable(_kinds)


class TextModelError(RuntimeError):
    """The fastText file is missing or unreadable."""


def normalise(lines: Sequence[str], max_chars: int | None = None) -> list[str]:
    """Lines as the text model sees them: the first ``max_chars`` characters (default
    ``settings.MAX_TEXT_MODEL_CHARS``), lower case, digits folded to 0, tokens (words and
    single punctuation marks) separated by one space.

    Vectorised over the joined batch: every character gets its kind from a table, token
    starts are where a word character does not follow another, and the output is written
    into a code point array in one go (``re`` would build a string object per token).
    """
    if not lines:
        return []
    cap = settings.MAX_TEXT_MODEL_CHARS if max_chars is None else max_chars
    joined = "\n".join(lines)
    if joined.count("\n") != len(lines) - 1:  # a line end inside a line
        joined = "\n".join(line[:cap].replace("\n", " ") for line in lines)
    elif max(map(len, lines)) > cap:
        joined = "\n".join(map(itemgetter(slice(0, cap)), lines))
    cps = code_points(joined.lower())
    kinds = _KINDS(cps)
    kept = np.flatnonzero(kinds)
    if not len(kept):  # one line, and no token in it
        return [""]
    word = (kinds == _WORD) | (kinds == _DIGIT)
    starts = ~word  # a token starts wherever a word character does not go on from another
    starts[1:] |= starts[:-1].copy()
    starts[0] = True
    kept_starts = starts[kept]
    chars = cps[kept]
    kept_kinds = kinds[kept]
    chars[kept_kinds == _DIGIT] = ord("0")
    chars[kept_kinds == _SURROGATE] = ord("?")
    # a space before every token but a line's first; line ends are kept as tokens of their
    # own but get no space on either side, so a line's form (and its cache key) is the same
    # wherever it sits in the batch
    spaced = kept_starts
    line_end = kept_kinds == _LINE_END
    spaced[0] = False
    spaced[line_end] = False
    spaced[1:][line_end[:-1]] = False
    out = np.full(len(kept) + int(np.count_nonzero(spaced)), ord(" "), dtype=np.uint32)
    out[np.arange(len(kept)) + np.cumsum(spaced)] = chars
    return out.tobytes().decode("utf-32-le").split("\n")


def _fasttext():
    try:
        import fasttext
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise TextModelError("the 'fasttext' module is missing: pip install fasttext-community") from exc
    return fasttext


def _load_private_copy(fasttext, data: bytes):
    """``fasttext.load_model`` on a private copy of ``data`` (see :meth:`TextModel.from_bytes`)."""
    memfd_create = getattr(os, "memfd_create", None)
    if memfd_create is not None and os.path.isdir("/proc/self/fd"):
        try:
            fd = memfd_create("linesift-text-model", getattr(os, "MFD_CLOEXEC", 0))
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                return fasttext.load_model(f"/proc/self/fd/{fd}")
            finally:
                os.close(fd)
    with tempfile.TemporaryDirectory(prefix="linesift-model-") as tmp:  # mode 0700
        path = os.path.join(tmp, "text.bin")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return fasttext.load_model(path)


class TextModel:
    """A trained fastText classifier over normalised line text.

    Predictions of short lines are remembered (up to ``CACHE_LINES`` of them, then the
    memory starts afresh): the menus, footers and share prompts of a site come back on
    every page of a crawl, and fastText's answer for a line never changes, so a repeated
    line costs a dictionary lookup instead of a prediction.
    """

    CACHE_LINES = 100_000
    CACHE_MAX_CHARS = 200
    """Only normalised lines up to this long are remembered (paragraphs rarely repeat)."""

    def __init__(self, model, labels: Sequence[str] = settings.LABELS, max_chars: int | None = None):
        self._model = model
        self.max_chars = settings.MAX_TEXT_MODEL_CHARS if max_chars is None else int(max_chars)
        """How much of a line the model reads: what it was trained on, kept in the bundle."""
        self.labels = tuple(labels)
        self._column = {_PREFIX + lab: i for i, lab in enumerate(self.labels)}
        self._lock = threading.Lock()
        self._cache: dict[str, int] = {}  # normalised line -> row of _cached
        self._by_line: dict[str, int] = {}  # line as given -> row of _cached
        self._cached = np.zeros((self.CACHE_LINES, len(self.labels)))
        self._next_row = 0

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
                for text, label in zip(normalise(texts, settings.MAX_TEXT_MODEL_CHARS), labels):
                    fh.write(f"{_PREFIX}{label} {text}\n")
            model = fasttext.train_supervised(input=path, **args)
            if quantize:
                model.quantize(input=path, qnorm=True, retrain=True,
                               cutoff=settings.QUANTIZE_CUTOFF, thread=args.get("thread", 2),
                               verbose=0)
        return cls(model, label_set)

    @classmethod
    def load(cls, path: str | os.PathLike[str], labels: Sequence[str] = settings.LABELS,
             max_chars: int | None = None) -> "TextModel":
        """Load a saved model (trained on the first ``max_chars`` characters of lines); a
        missing or unreadable file is a :class:`TextModelError`. The file is read once and
        loaded from those bytes (see :meth:`from_bytes`)."""
        path = Path(path)
        if not path.is_file():
            raise TextModelError(f"fastText model file not found: {path}")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TextModelError(f"cannot read fastText model {path}: {exc.strerror or exc}") from exc
        return cls.from_bytes(data, str(path), labels, max_chars)

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "text.bin",
                   labels: Sequence[str] = settings.LABELS,
                   max_chars: int | None = None) -> "TextModel":
        """Load a model from its file's bytes: the bytes a caller has already hashed, so
        what fastText reads is exactly what was verified (re-opening the bundle's path
        would read whatever is there by then).

        The layout is checked first (:func:`classifier.bundle.check_fasttext`: a truncated
        or crafted file made fastText's loader divide by zero or hang). fastText reads only
        from a path, so the bytes go to a private copy that no other process can name: an
        anonymous in-memory file where the system has them (Linux ``memfd``), else a file
        in a fresh directory only this user can enter, removed after loading.
        """
        from .bundle import BundleError, check_fasttext

        try:
            check_fasttext(data, name)
        except BundleError as exc:
            raise TextModelError(str(exc)) from exc
        fasttext = _fasttext()
        try:
            model = _load_private_copy(fasttext, data)
        except (ValueError, RuntimeError, MemoryError, OSError) as exc:
            raise TextModelError(f"cannot read fastText model {name}: {exc}") from exc
        return cls(model, labels, max_chars)

    @classmethod
    def from_sealed_fd(cls, fd: int, name: str = "text.bin",
                       labels: Sequence[str] = settings.LABELS,
                       max_chars: int | None = None) -> "TextModel":
        """Load a model from a sealed in-memory file whose hash the caller has checked
        (:func:`classifier.bundle.sealed_verified_copy`): its layout is checked through a
        read-only mapping, then fastText reads it by its ``/proc/self/fd`` path, with no
        copy in Python (see :meth:`from_bytes` for why each step)."""
        import mmap

        from .bundle import BundleError, check_fasttext

        size = os.fstat(fd).st_size
        try:
            if size:
                with mmap.mmap(fd, size, prot=mmap.PROT_READ) as view:
                    check_fasttext(view, name)
            else:
                check_fasttext(b"", name)
        except BundleError as exc:
            raise TextModelError(str(exc)) from exc
        fasttext = _fasttext()
        try:
            model = fasttext.load_model(f"/proc/self/fd/{fd}")
        except (ValueError, RuntimeError, MemoryError, OSError) as exc:
            raise TextModelError(f"cannot read fastText model {name}: {exc}") from exc
        return cls(model, labels, max_chars)

    def save(self, path: str | os.PathLike[str]) -> None:
        self._model.save_model(str(path))

    def predict_proba(self, lines: Sequence[str]) -> np.ndarray:
        """Label probabilities, one row per line, columns in ``labels`` order.

        A line is predicted once per batch however often it occurs (and not at all when a
        recent batch had it, see the class notes); fastText's answer for a line does not
        depend on the other lines, so the result is the same either way. Lines are looked
        up as given before they are normalised, so a repeated line costs no normalising.
        """
        n, k = len(lines), len(self.labels)
        out = np.zeros((n, k), dtype=np.float64)
        if n == 0:
            return out
        with self._lock:
            rows = np.fromiter(map(self._by_line.get, lines, repeat(-1)), dtype=np.intp, count=n)
            hit = rows >= 0
            out[hit] = self._cached[rows[hit]]
        todo = np.flatnonzero(~hit)
        if not len(todo):
            return out
        todo_lines = list(map(lines.__getitem__, todo.tolist())) if len(todo) < n else list(lines)
        texts = normalise(todo_lines, self.max_chars)
        with self._lock:
            rows = np.fromiter(map(self._cache.get, texts, repeat(-1)), dtype=np.intp, count=len(texts))
            hit = rows >= 0
            out[todo[hit]] = self._cached[rows[hit]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            first_seen: dict[str, int] = {}
            first = np.fromiter(map(first_seen.setdefault, [texts[i] for i in miss], count()),
                                dtype=np.intp, count=len(miss))  # first occurrence among misses
            distinct = list(first_seen)  # in order of first occurrence
            order = np.zeros(len(miss), dtype=np.intp)
            order[np.flatnonzero(first == np.arange(len(miss)))] = np.arange(len(distinct))
            probs = self._predict_distinct(distinct)
            out[todo[miss]] = probs[order[first]]
            self._remember(distinct, probs)
        self._remember_lines(todo_lines, texts)
        return out

    def forget(self) -> None:
        """Empty the line cache: labels stay the same, only the next calls are slower (for
        timing one model against another from a cold start)."""
        with self._lock:
            self._cache.clear()
            self._by_line.clear()
            self._next_row = 0

    def _remember(self, texts: list[str], probs: np.ndarray) -> None:
        keep = [i for i, text in enumerate(texts) if len(text) <= self.CACHE_MAX_CHARS]
        keep = keep[:self.CACHE_LINES]
        with self._lock:
            start = self._next_row  # not len(_cache): another thread may have stored a line too
            if start + len(keep) > self.CACHE_LINES:
                self._cache.clear()
                self._by_line.clear()
                start = 0
            self._cached[start:start + len(keep)] = probs[keep]
            self._cache.update(zip([texts[i] for i in keep], range(start, start + len(keep))))
            self._next_row = start + len(keep)

    def _remember_lines(self, lines: list[str], texts: list[str]) -> None:
        """Point short lines, as given, at the rows their normalised forms now have."""
        short = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) <= self.CACHE_MAX_CHARS
        with self._lock:
            rows = np.fromiter(map(self._cache.get, texts, repeat(-1)), dtype=np.intp, count=len(texts))
            keep = short & (rows >= 0)
            self._by_line.update(zip(compress(lines, keep.tolist()), rows[keep].tolist()))

    def _predict_distinct(self, texts: list[str]) -> np.ndarray:
        n, k = len(texts), len(self.labels)
        out = np.zeros((n, k), dtype=np.float64)
        # the batch call behind FastText.predict, minus its per-line Python check for "\n"
        # (normalised lines never hold one)
        names, probs = self._model.f.multilinePredict([text + "\n" for text in texts],
                                                      len(self._model.labels), 0.0, "strict")
        column = self._column
        widths = set(map(len, names))
        if len(widths) == 1:
            width = widths.pop()
            cols = np.fromiter(map(column.__getitem__, chain.from_iterable(names)),
                               dtype=np.intp, count=n * width).reshape(n, width)
            out[np.arange(n)[:, None], cols] = np.asarray(probs, dtype=np.float64).reshape(n, width)
        else:  # ragged: fastText returned fewer labels for some lines
            for i, (row_names, row_probs) in enumerate(zip(names, probs)):
                for name, p in zip(row_names, row_probs):
                    out[i, column[name]] = p
        return out
