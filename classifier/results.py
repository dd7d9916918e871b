"""Labels as they leave the model: a page's probabilities as arrays, records on request.

Why a module of its own: the model computes, per batch, one array of probabilities; most
callers on a crawl (the CLI's writers, the datatrove step) only need, per kept line, its
number, label and score. Building a :class:`LineLabel` object per line for them was a
measurable share of labelling time (issue 18), so :class:`PageLabels` keeps a page's
result as arrays (line positions, probabilities, best label ids, their scores) that those
callers read directly, and makes the records only when asked (:meth:`PageLabels.records`).
It is also a ``Sequence`` of those records, so code written for a list of records reads it
unchanged. This module depends on numpy, the label set and :mod:`.isolation` only, so the
model, the worker pool and the writers can all import it without importing each other.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any, Collection, Iterator, Mapping, Sequence, overload

import numpy as np

from .isolation import PageFailure, failure
from .settings import LABELS

_LABEL_INDEX = {lab: i for i, lab in enumerate(LABELS)}
_LABEL_NAMES = np.array(LABELS, dtype=object)


class LabelProbs(Mapping[str, float]):
    """Read-only label -> probability mapping over one row of a batch's probability array.

    It keeps the array and a row number, and reads a value only when asked: most callers
    read ``label`` and ``score`` and never ``probs``, and copying each row into Python
    floats (or a dict) per line was a measurable share of labelling time. The array is
    never written after labelling, so the mapping is as immutable as the record holding it.
    """

    __slots__ = ("_probs", "_row")

    def __init__(self, probs: np.ndarray, row: int):
        self._probs = probs
        self._row = row

    def __getitem__(self, label: str) -> float:
        return float(self._probs[self._row, _LABEL_INDEX[label]])

    def __iter__(self) -> Iterator[str]:
        return iter(LABELS)

    def __len__(self) -> int:
        return len(LABELS)

    def __repr__(self) -> str:
        return repr(dict(self))


_set = object.__setattr__


class LineLabel:
    """The label of one non-blank input line: an immutable record of ``line`` (1-based line
    number in the input, blank lines counted), ``label``, ``score`` (calibrated probability
    of ``label``) and ``probs`` (calibrated probability of every label, read-only).

    A plain class with slots rather than a dataclass because one is built per line: a
    frozen dataclass plus a mapping object per line was a tenth of labelling time. Here
    ``probs`` is made when read, from the row of the batch's probabilities it keeps.
    """

    __slots__ = ("line", "label", "score", "_probs", "_row")

    def __init__(self, line: int, label: str, score: float, probs: Any, row: int = -1):
        # ``probs`` is a mapping, or (with ``row``) the batch's probability array
        _set(self, "line", line)
        _set(self, "label", label)
        _set(self, "score", score)
        _set(self, "_probs", probs)
        _set(self, "_row", row)

    @property
    def probs(self) -> Mapping[str, float]:
        return self._probs if self._row < 0 else LabelProbs(self._probs, self._row)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"LineLabel is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"LineLabel is immutable: cannot delete {name!r}")

    def _key(self) -> tuple:
        return self.line, self.label, self.score, dict(self.probs)

    def __eq__(self, other: object) -> bool:
        return self._key() == other._key() if isinstance(other, LineLabel) else NotImplemented

    def __hash__(self) -> int:
        return hash((self.line, self.label, self.score))

    def __reduce__(self):
        return LineLabel, (self.line, self.label, self.score, dict(self.probs))

    def __repr__(self) -> str:
        return f"LineLabel(line={self.line!r}, label={self.label!r}, score={self.score!r})"

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON types (``json.dumps(lab.to_dict())`` works):
        ``{"line", "label", "score", "probs": {label: probability}}``."""
        return {"line": self.line, "label": self.label, "score": self.score,
                "probs": {label: float(p) for label, p in self.probs.items()}}


class PageLabels(Sequence["LineLabel | None"]):
    """One page's labels as arrays, one row per non-blank line: ``positions`` (0-based line
    numbers, blank lines counted), ``probs`` (calibrated probabilities, columns in
    :data:`~classifier.settings.LABELS` order, read-only), ``label_ids`` (the best column)
    and ``scores`` (its probability); ``n_lines`` is the page's line count.

    As a sequence it is the page's records, one entry per line (``None`` for a blank
    line), exactly the list :meth:`records` gives, built on first use.
    """

    __slots__ = ("positions", "n_lines", "probs", "label_ids", "scores", "_records")

    def __init__(self, positions: np.ndarray, n_lines: int, probs: np.ndarray):
        probs = np.array(probs, dtype=np.float64)  # owned, so no caller can change it later
        probs.flags.writeable = False
        positions = np.array(positions, dtype=np.int64)
        positions.flags.writeable = False
        n = len(positions)
        if probs.shape != (n, len(LABELS)):
            raise ValueError(f"probabilities of shape {probs.shape} for {n} non-blank lines")
        best = probs.argmax(axis=1) if n else np.zeros(0, dtype=np.intp)
        scores = probs[np.arange(n), best]
        scores.flags.writeable = False
        best.flags.writeable = False
        self.positions = positions
        self.n_lines = int(n_lines)
        self.probs = probs
        self.label_ids = best
        self.scores = scores
        self._records: list[LineLabel | None] | None = None

    def records(self) -> list[LineLabel | None]:
        """One :class:`LineLabel` per non-blank line, ``None`` for a blank one (made once)."""
        if self._records is None:
            out: list[LineLabel | None] = [None] * self.n_lines
            n = len(self.positions)
            if n:
                positions = self.positions.tolist()
                records = map(LineLabel, [p + 1 for p in positions], self.labels(),
                              self.scores.tolist(), repeat(self.probs, n), range(n))
                for pos, record in zip(positions, records):
                    out[pos] = record
            self._records = out
        return self._records

    def labels(self) -> list[str]:
        """The label names of the non-blank lines, in order."""
        return _LABEL_NAMES[self.label_ids].tolist()

    def kept_rows(self, keep: Collection[str], min_score: float = 0.0) -> np.ndarray:
        """The rows (non-blank lines, in order) labelled one of ``keep`` and scored at least
        ``min_score``: what a writer outputs, found without a record per line."""
        wanted = np.zeros(len(_LABEL_INDEX), dtype=bool)  # a lookup table: np.isin sorted
        wanted[[_LABEL_INDEX[lab] for lab in keep if lab in _LABEL_INDEX]] = True  # per page
        mask = wanted[self.label_ids]
        if min_score:
            mask &= self.scores >= min_score
        return np.flatnonzero(mask)

    def __len__(self) -> int:
        return self.n_lines

    @overload
    def __getitem__(self, index: int) -> LineLabel | None: ...

    @overload
    def __getitem__(self, index: slice) -> list[LineLabel | None]: ...

    def __getitem__(self, index):
        return self.records()[index]

    def __iter__(self) -> Iterator[LineLabel | None]:
        return iter(self.records())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (PageLabels, list)):
            return self.records() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PageLabels({len(self.positions)} of {self.n_lines} lines labelled)"



def page_labels(result: "tuple[np.ndarray, int, np.ndarray] | PageFailure",
                report: bool = False) -> "PageLabels | PageFailure":
    """A page's :class:`PageLabels` from the arrays labelling gives (positions of its
    non-blank lines, its line count, their probabilities), built the same way whether they
    were computed in this process or in a worker, so both paths give the same output.
    A failure is passed on; with ``report``, arrays that do not make labels are the page's
    failure rather than the end of the stream (see :mod:`.isolation`)."""
    if isinstance(result, PageFailure):
        return result
    if not report:
        return PageLabels(*result)
    try:
        return PageLabels(*result)
    except Exception as exc:  # noqa: BLE001 - any fault of one page is that page's
        return failure(exc)
