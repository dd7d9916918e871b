"""A hashed character n-gram logistic regression: the headline scorer's second kind of model.

Why not fastText here: on held-out headline *sources* (train without Webis-17 and score it,
and the other way round with Chakraborty), a strongly regularised linear model over
character 2-5-grams ranked the unseen source's clickbait better than the best fastText
setting (``python -m training.headline_select``), and it is one array of weights: nothing
to load but numbers, nothing that can run code.

The features are computed here, in numpy, for training and prediction alike, so the two
can never disagree: each line is lower-cased, its whitespace collapsed and a space put at
either end; every run of 2 to 5 characters is hashed (a fixed multiply-and-mix over its
code points, not Python's salted ``hash``) into ``2**bits`` buckets; a line's vector is its
buckets' counts divided by the square root of its number of n-grams, so long and short
lines weigh alike. p(clickbait) is ``sigmoid(vector @ weights + intercept)``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from .features import code_points

ORDERS = (2, 3, 4, 5)
MAX_CHARS = 300
"""Characters of a line read: a headline is shorter; a paragraph's score is never used."""
FORMAT = "linesift-ngram-scorer/1"
CHUNK_LINES = 768
"""Lines scored at once: 512-1024 ran fastest on 70-character headlines (a few hundred KB
per array); 20,000 at once took twice as long."""

_MULT = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                  0x94D049BB133111EB], dtype=np.uint64)
_MIX = np.uint64(0xC4CEB9FE1A85EC53)
_ORDER_SALT = {order: np.uint64(order * 0xFF51AFD7ED558CCD % (1 << 64)) for order in ORDERS}
"""Added to an n-gram's hash so that n-grams of different lengths land apart (computed
with Python integers: numpy warns when a scalar product wraps)."""


def _prepared(texts: Sequence[str]) -> list[str]:
    return [" " + " ".join(t[:MAX_CHARS].lower().split()) + " " for t in texts]


def _hashes(prepared: Sequence[str]) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Per order: (order, bucket hash of the n-gram starting at each position of the
    joined lines, whether that n-gram lies inside one line). The hash is ``h >> (64 - bits)``
    of the returned ``uint64`` values."""
    cps = code_points("\n".join(prepared)).astype(np.uint64)
    n = len(cps)
    breaks = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(cps == 10, out=breaks[1:])  # newlines before each position
    h = np.zeros(n, dtype=np.uint64)
    for k in range(min(max(ORDERS), n)):
        # h[i]: the hash of the k+1 characters starting at i (wrapping uint64 arithmetic)
        h[:n - k] += cps[k:] * _MULT[k]
        order = k + 1
        if order in ORDERS:
            mixed = h[:n - k] + _ORDER_SALT[order]
            mixed ^= mixed >> np.uint64(29)
            mixed *= _MIX
            mixed ^= mixed >> np.uint64(32)
            yield order, mixed, breaks[order:] == breaks[:n + 1 - order]


def ngram_buckets(texts: Sequence[str], bits: int) -> tuple[np.ndarray, np.ndarray]:
    """(line, bucket) of every character n-gram of ``texts``, as two int64 arrays."""
    prepared = _prepared(texts)
    line_of = np.repeat(np.arange(len(prepared)), [len(p) + 1 for p in prepared])
    lines, buckets = [], []
    for _, mixed, inside in _hashes(prepared):
        starts = np.flatnonzero(inside)
        lines.append(line_of[starts])
        buckets.append((mixed[starts] >> np.uint64(64 - bits)).astype(np.int64))
    if not lines:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(lines), np.concatenate(buckets)


def ngram_matrix(texts: Sequence[str], bits: int):
    """The lines' feature vectors as a scipy CSR matrix (training only: prediction needs no
    scipy)."""
    from scipy.sparse import csr_matrix

    rows, cols = ngram_buckets(texts, bits)
    weight = 1.0 / np.sqrt(np.maximum(np.bincount(rows, minlength=len(texts)), 1))
    return csr_matrix((weight[rows], (rows, cols)), shape=(len(texts), 1 << bits))


@dataclass(frozen=True)
class NgramScorer:
    """p(clickbait) of a line from its character n-grams (see the module docstring)."""

    weights: np.ndarray
    intercept: float
    bits: int

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], *, bits: int = 18,
              c: float = 0.3, seed: int = 13) -> "NgramScorer":
        """Fit on (text, "clickbait"|"headline") pairs; ``c``: scikit-learn's inverse
        regularisation strength (small: the weights stay close to zero, so no one source's
        phrasing dominates). Classes are weighted to balance."""
        from sklearn.linear_model import LogisticRegression

        y = np.array([lab == "clickbait" for lab in labels])
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=seed)
        model.fit(ngram_matrix(texts, bits), y)
        return cls(model.coef_[0].astype(np.float32), float(model.intercept_[0]), bits)

    def clickbait(self, texts: Sequence[str]) -> np.ndarray:
        """p(clickbait) per line.

        The weights of every position's n-gram of each order are added where they stand
        and summed line by line, with no (line, bucket) pairs built (which training uses,
        through :func:`ngram_buckets`; the tests hold the two to the same result), a few
        hundred lines at a time so the arrays stay in the processor's cache: together
        about 2.5x faster than pairs over a whole batch."""
        if len(texts) > CHUNK_LINES:
            return np.concatenate([self._clickbait(texts[i:i + CHUNK_LINES])
                                   for i in range(0, len(texts), CHUNK_LINES)])
        return self._clickbait(texts)

    def _clickbait(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0)
        prepared = _prepared(texts)
        sizes = np.fromiter((len(p) + 1 for p in prepared), dtype=np.int64, count=len(prepared))
        total = np.zeros(int(sizes.sum()) - 1)
        shift = np.uint64(64 - self.bits)
        for order, mixed, inside in _hashes(prepared):
            w = self.weights[(mixed >> shift).astype(np.intp)]
            total[:len(w)] += np.where(inside, w, 0.0)
        starts = np.cumsum(sizes) - sizes
        dots = np.add.reduceat(total, starts)
        counts = sum(np.maximum(sizes - 1 - order + 1, 0) for order in ORDERS)
        z = dots / np.sqrt(np.maximum(counts, 1)) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(p(clickbait), p(headline)) per line: the columns a fastText headline model gives."""
        p = self.clickbait(texts)
        return np.column_stack([p, 1.0 - p])

    def to_bytes(self) -> bytes:
        """An ``.npz`` of the weights and the settings (read back with ``allow_pickle=False``)."""
        buf = io.BytesIO()
        meta = json.dumps({"format": FORMAT, "bits": self.bits, "intercept": self.intercept,
                           "orders": list(ORDERS), "max_chars": MAX_CHARS})
        np.savez(buf, weights=self.weights, meta=np.frombuffer(meta.encode("utf-8"), dtype=np.uint8))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> "NgramScorer":
        """Read :meth:`to_bytes`; anything else is a ``ValueError`` (nothing is executed)."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                weights, raw = archive["weights"], archive["meta"]
            meta = json.loads(raw.tobytes().decode("utf-8"))
        except Exception as exc:  # noqa: BLE001 - zip, key, JSON or pickle refusal: all "not ours"
            raise ValueError(f"not a linesift n-gram scorer: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ValueError(f"not a linesift n-gram scorer (expected format {FORMAT})")
        bits, intercept = meta.get("bits"), meta.get("intercept")
        if (meta.get("orders") != list(ORDERS) or meta.get("max_chars") != MAX_CHARS
                or not isinstance(bits, int) or not 8 <= bits <= 24 or isinstance(intercept, bool)
                or not isinstance(intercept, (int, float))):
            raise ValueError("n-gram scorer settings differ from what this linesift computes")
        if weights.dtype != np.float32 or weights.shape != (1 << bits,):
            raise ValueError(f"n-gram scorer weights are {weights.dtype} {weights.shape}, expected float32 ({1 << bits},)")
        return cls(weights, float(intercept), bits)
