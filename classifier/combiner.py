"""The combiner: text scores and cues in, label probabilities out, in two passes.

Pass one is a standardised multinomial logistic regression over a line's cues and
text-model scores. Pass two sees the same inputs plus pass one's probabilities for the
line's neighbours, block and page: whether the lines around are a comment thread or a
teaser list is the strongest evidence a short line has. Pass two's logits are
temperature-scaled on held-out pages so scores are calibrated.

scikit-learn fits the passes; what is kept and saved is their learned parameters as plain
arrays (``combiner.npz``, read with ``allow_pickle=False``) and a few numbers (``combiner.json``),
evaluated here with numpy. So loading a bundle runs no code from it and needs no
scikit-learn import (a large share of a CLI start), and a row's result
does not depend on which other rows share its batch (``einsum`` sums each row in a fixed
order, where BLAS kernels may not). Measured on the corpus test split, this combiner beat
gradient-boosted trees on macro-F1 and predicts about 40x faster (see the model card).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from .features import score_features_batch, score_names
from .direction import DIRECTION_NAMES, direction_features_batch
from .lead import LEAD_NAMES, lead_features_batch
from .sequence import LabelSequence
from .settings import LABELS


def make_pass(params: dict[str, Any], bins: int = 0):
    """A fresh, unfitted scikit-learn pass: standardised features (and, with ``bins``, each
    feature's quantile bin one-hot encoded beside it, so the model can learn a curve per
    feature rather than a slope) into a multinomial logistic regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.preprocessing import KBinsDiscretizer, StandardScaler

    features = StandardScaler()
    if bins:
        features = make_union(StandardScaler(), KBinsDiscretizer(
            n_bins=bins, encode="onehot", strategy="quantile", quantile_method="averaged_inverted_cdf",
            subsample=200_000, random_state=0))
    return make_pipeline(features, LogisticRegression(**params))


def flatten_tiny_ranges(X: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """X with every column whose values span less than ``tol`` set to its minimum.

    The second pass's quantile binning drops bins narrower than 1e-8; a column that varies
    only below that (a score pinned near 0 on a small training set) is left with no bin at
    all and the fit fails. A spread that small carries no signal, so such a column becomes
    constant, which the binning handles with one bin."""
    span = X.max(axis=0) - X.min(axis=0) if len(X) else np.zeros(X.shape[1])
    tiny = np.flatnonzero((span > 0) & (span < tol))
    if not len(tiny):
        return X
    X = X.copy()
    X[:, tiny] = X[:, tiny].min(axis=0)
    return X


@dataclass(frozen=True)
class LinearPass:
    """A fitted pass as arrays: ``softmax(temperature * (((X - mean) / scale) @ coef.T + b))``,
    columns already in LABELS order (a label never seen in training gets probability 0)."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    present: np.ndarray
    temperature: float = 1.0
    inner_edges: tuple[np.ndarray, ...] = ()
    """Per feature, the inner quantile bin edges (empty: no binned part)."""
    bin_weights: np.ndarray | None = None
    """(total bins, labels): the logit each feature's bin adds, features one after another."""
    class_scale: np.ndarray | None = None
    class_bias: np.ndarray | None = None
    """Vector scaling (per label, on top of ``temperature``): ``z * class_scale + class_bias``,
    fitted on held-out pages so each label's probabilities are calibrated on their own
    (one temperature left p(comment) and p(clickbait) too low). None: not fitted."""

    @classmethod
    def from_pipeline(cls, pipeline, temperature: float = 1.0) -> "LinearPass":
        features, lr = pipeline[0], pipeline[-1]
        scaler = features if hasattr(features, "mean_") else features.transformer_list[0][1]
        classes = [str(c) for c in lr.classes_]
        coef, intercept = np.asarray(lr.coef_, float), np.asarray(lr.intercept_, float)
        if len(classes) == 2:  # binary LogisticRegression keeps one row: logits (-z, z)
            coef, intercept = np.vstack([-coef, coef]) / 2, np.hstack([-intercept, intercept]) / 2
        rows = [classes.index(lab) if lab in classes else -1 for lab in LABELS]
        present = np.array([r >= 0 for r in rows])
        take = [max(r, 0) for r in rows]
        coef, intercept = coef[take], intercept[take]
        d = len(scaler.mean_)
        edges: tuple[np.ndarray, ...] = ()
        weights = None
        if coef.shape[1] > d:
            kbins = features.transformer_list[1][1]
            edges = tuple(np.asarray(e[1:-1], float) for e in kbins.bin_edges_)
            weights = coef[:, d:].T.copy()
        return cls(np.asarray(scaler.mean_, float), np.asarray(scaler.scale_, float),
                   coef[:, :d], intercept, present, float(temperature), edges, weights)

    def __post_init__(self) -> None:
        # the parameters rearranged once for fast evaluation: derived, never saved
        object.__setattr__(self, "_evaluator", _Evaluator(self))

    def logits(self, X: np.ndarray) -> np.ndarray:
        return self._evaluator.logits(X)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        z = self.temperature * self.logits(X)
        if self.class_scale is not None:
            z = z * self.class_scale + self.class_bias
        if not self.present.all():
            z[:, ~self.present] = -np.inf
        top = z[:, 0].copy()  # the row maximum, column by column: few labels, many rows
        for k in range(1, z.shape[1]):
            np.maximum(top, z[:, k], out=top)
        z -= top[:, None]
        e = np.exp(z, out=z)
        e /= e.sum(axis=1, keepdims=True)
        return e

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "scale": self.scale, "coef": self.coef,
                "intercept": self.intercept, "present": self.present,
                "temperature": self.temperature, "inner_edges": list(self.inner_edges),
                "bin_weights": self.bin_weights, "class_scale": self.class_scale,
                "class_bias": self.class_bias}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LinearPass":
        return cls(data["mean"], data["scale"], data["coef"], data["intercept"], data["present"],
                   float(data["temperature"]), tuple(data.get("inner_edges", ())),
                   data.get("bin_weights"), data.get("class_scale"), data.get("class_bias"))


def fit_vector_scaling(logits: np.ndarray, labels: np.ndarray, weight: np.ndarray | None = None,
                       reg: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """Per-label scale and bias minimising the log loss of ``softmax(z * scale + bias)`` on
    held-out rows (vector scaling, Guo et al. 2017): one temperature cannot fix a
    combiner that is over-confident on one label and under-confident on another. Labels
    absent from ``labels`` keep scale 1 and bias 0. ``weight`` weighs the rows (default:
    equally); ``reg`` pulls scale and bias towards the identity."""
    from scipy.optimize import minimize

    k = logits.shape[1]
    y = np.array([LABELS.index(str(v)) for v in labels])
    seen = np.zeros(k, bool)
    seen[np.unique(y)] = True
    z = np.where(np.isfinite(logits), logits, -1e9)
    n = len(y)
    w = np.full(n, 1.0 / n) if weight is None else np.asarray(weight, float) / np.sum(weight)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        a, b = theta[:k], theta[k:]
        u = z * a + b
        u -= u.max(axis=1, keepdims=True)
        p = np.exp(u)
        p /= p.sum(axis=1, keepdims=True)
        nll = -(w * np.log(np.maximum(p[np.arange(n), y], 1e-300))).sum()
        g = p.copy()
        g[np.arange(n), y] -= 1
        g *= w[:, None]
        ga, gb = (g * z).sum(axis=0), g.sum(axis=0)
        # a little pull towards the identity keeps rare labels from running away
        pen = reg * (((a - 1) ** 2).sum() + (b ** 2).sum())
        return nll + pen, np.concatenate([ga + 2 * reg * (a - 1), gb + 2 * reg * b])

    theta0 = np.concatenate([np.ones(k), np.zeros(k)])
    res = minimize(loss, theta0, jac=True, method="L-BFGS-B")
    a, b = res.x[:k].copy(), res.x[k:].copy()
    a[~seen], b[~seen] = 1.0, 0.0
    return a, b


def _round_up_to_float32(values: np.ndarray) -> np.ndarray:
    """Per value ``e``, the smallest float32 ``f >= e``: for any float32 ``x``,
    ``x < e`` exactly when ``x < f``, so float32 rows are compared without a cast."""
    f = values.astype(np.float32)
    below = f.astype(np.float64) < values
    f[below] = np.nextafter(f[below], np.float32(np.inf))
    return f


_BLOCK_ROWS = 512
"""Rows evaluated at a time: the temporaries of a block stay in the CPU cache (twice as
fast as whole 4096-line batches)."""


class _Evaluator:
    """A :class:`LinearPass` evaluated fast, with the same result up to rounding (~1e-14).

    * Standardisation is folded into the weights: ``X @ (coef / scale).T + shift``, where
      ``shift = intercept - (mean / scale) @ coef.T`` (plus the bin weight of every feature
      with a single bin), so there is no (rows, features) float64 temporary beyond ``X``'s
      cast.
    * A feature's bin (``searchsorted(edges, x, side="right")``, as KBinsDiscretizer assigns
      it) is found from the count of its edges above ``x``: one vectorised comparison per
      edge rank over a contiguous, transposed copy of the binned columns, ordered by edge
      count so that rank ``m`` touches only the features with more than ``m`` edges. For
      float32 rows the edges are rounded up to float32, which gives the same comparisons as
      float64 edges do. (NaN compares below no edge: the last bin, as searchsorted gives.)
    * The binned features are paired, and each pair's bin weights summed beforehand into a
      table over both bins, so one gather of a whole row of label weights per pair (and a
      sum over pairs) adds every bin's logits.

    Every row is computed on its own in a fixed order (``einsum``, elementwise operations,
    a sum over pairs in order), so its result does not depend on the other rows.
    """

    def __init__(self, p: LinearPass) -> None:
        mean, scale = np.asarray(p.mean, float), np.asarray(p.scale, float)
        coef, intercept = np.asarray(p.coef, float), np.asarray(p.intercept, float)
        self.coef = np.ascontiguousarray(coef / scale)
        shift = intercept - np.einsum("j,kj->k", mean / scale, coef)
        self.cols: np.ndarray | None = None
        if not p.inner_edges:
            self.shift = shift
            return
        edges = [np.asarray(e, float) for e in p.inner_edges]
        n_edges = np.array([len(e) for e in edges], dtype=np.intp)
        weights = np.asarray(p.bin_weights, float)
        start = np.concatenate([[0], np.cumsum(n_edges + 1)[:-1]]).astype(np.intp)
        self.shift = shift + weights[start[n_edges == 0]].sum(axis=0)  # one bin: a constant
        cols = np.flatnonzero(n_edges > 0)
        if not len(cols):
            return
        cols = cols[np.argsort(-n_edges[cols], kind="stable")]
        nb = n_edges[cols]
        self.cols = cols
        self.ranks = [int((nb > m).sum()) for m in range(int(nb[0]))]
        by_rank = [np.array([edges[j][m] for j in cols[:k]])[:, None]
                   for m, k in enumerate(self.ranks)]
        self.edges64 = by_rank
        self.edges32 = [_round_up_to_float32(e) for e in by_rank]
        # weight of each feature by count c of its edges above x (bin nb - c), padded
        bits = int(nb[0]).bit_length()  # counts 0..nb fit in ``bits`` bits
        stride = 1 << bits
        labels = weights.shape[1]
        F = len(cols)
        self.count_dtype = np.uint8 if nb[0] < 256 else np.uint16
        self.paired = bits <= 4  # a pair's code (ca << bits | cb) fits a uint8
        rows = 2 * ((F + 1) // 2) if self.paired else F
        by_count = np.zeros((rows, stride, labels))
        for i, (j, b) in enumerate(zip(cols, nb)):
            by_count[i, :b + 1] = weights[start[j]:start[j] + b + 1][::-1]
        if self.paired:
            half = rows // 2
            table = by_count[:half, :, None, :] + by_count[half:, None, :, :]
            self.half, self.bits = half, bits
        else:
            table = by_count
        groups = table.shape[0]
        table = np.ascontiguousarray(table.reshape(-1, labels))
        self.table = table.view(np.dtype((np.void, table.itemsize * labels))).ravel()
        self.labels = labels
        self.count_rows = rows
        self.offsets = (np.arange(groups, dtype=np.intp) * (len(self.table) // groups))[:, None]

    def logits(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        out = np.empty((len(X), len(self.shift)))
        for a in range(0, len(X), _BLOCK_ROWS):
            self._block(X[a:a + _BLOCK_ROWS], out[a:a + _BLOCK_ROWS])
        return out

    def _block(self, X: np.ndarray, out: np.ndarray) -> None:
        X64 = X if X.dtype == np.float64 else X.astype(np.float64)
        np.einsum("ij,kj->ik", X64, self.coef, out=out)
        out += self.shift
        if self.cols is not None:
            out += self._bins(X if X.dtype == np.float32 else X64)

    def _bins(self, X: np.ndarray) -> np.ndarray:
        edges = self.edges32 if X.dtype == np.float32 else self.edges64
        Xt = np.ascontiguousarray(X[:, self.cols].T)
        n = Xt.shape[1]
        counts = np.zeros((self.count_rows, n), self.count_dtype)
        above = np.empty(Xt.shape, bool)
        small = self.count_dtype == np.uint8
        for e, k in zip(edges, self.ranks):
            np.less(Xt[:k], e, out=above[:k])
            counts[:k] += above[:k].view(np.uint8) if small else above[:k]
        if self.paired:
            code = counts[:self.half] << self.bits
            code |= counts[self.half:]
        else:
            code = counts
        gathered = np.take(self.table, code + self.offsets)
        return gathered.view(np.float64).reshape(len(code), n, self.labels).sum(axis=0)


def context(probs: np.ndarray, pages: Sequence[tuple[int, int, np.ndarray]]) -> np.ndarray:
    """Pass-one probabilities of each line's neighbourhood, page by page."""
    return score_features_batch(probs, pages)


def second_inputs(first_probs: np.ndarray, X: np.ndarray, pages: Sequence[tuple[int, int, np.ndarray]],
                  lines: Sequence[str] | None = None, direction: bool = False) -> np.ndarray:
    """Pass two's input rows: ``X``, pass one's probabilities around each line, when the
    rows' ``lines`` are given where each line stands against the article (:mod:`.lead`),
    and with ``direction`` pass one's verdicts before and after it (:mod:`.direction`).
    Shared by fitting, prediction and ``explain``."""
    parts = [X, context(first_probs, pages)]
    if lines is not None:
        parts.append(lead_features_batch(lines, first_probs[:, LABELS.index("body")], pages))
    if direction:
        parts.append(direction_features_batch(first_probs, pages))
    return np.hstack(parts)


@dataclass(frozen=True)
class TwoPassCombiner:
    first: LinearPass
    second: LinearPass
    lead: bool = False
    """Pass two also reads the :mod:`.lead` columns (combiners fitted before them do not)."""
    direction: bool = False
    """Pass two also reads the :mod:`.direction` columns."""
    sequence: LabelSequence | None = None
    """Pass two's probabilities read once more as a label sequence (:mod:`.sequence`)."""

    def second_inputs(self, X: np.ndarray, pages: Sequence[tuple[int, int, np.ndarray]],
                      lines: Sequence[str] | None = None) -> np.ndarray:
        """Pass two's input rows for the rows of ``X`` (see :func:`second_inputs`)."""
        if self.lead and lines is None:
            raise ValueError("this combiner reads the lines' text in its second pass: pass lines=")
        return second_inputs(self.first.predict_proba(X), X, pages, lines if self.lead else None, self.direction)

    def predict_proba(self, X: np.ndarray, pages: Sequence[tuple[int, int, np.ndarray]],
                      lines: Sequence[str] | None = None) -> np.ndarray:
        """Probabilities in LABELS order for the rows of ``X``; ``pages`` gives each page's
        (start, end, positions) among those rows, ``lines`` the rows' text (needed when
        the combiner reads the lead columns)."""
        return self.finish(self.second.predict_proba(self.second_inputs(X, pages, lines)), pages)

    def finish(self, probs: np.ndarray, pages: Sequence[tuple[int, int, np.ndarray]]) -> np.ndarray:
        """Pass two's probabilities as labelled: through the sequence model when there is one."""
        return probs if self.sequence is None else self.sequence.smooth(probs, pages)

    def to_dict(self) -> dict[str, Any]:
        return {"format": "linesift-combiner/1", "labels": list(LABELS),
                "first": self.first.to_dict(), "second": self.second.to_dict(),
                **({"lead": True} if self.lead else {}), **({"direction": True} if self.direction else {}),
                **({"sequence": self.sequence.to_dict()} if self.sequence is not None else {})}

    def to_files(self) -> tuple[bytes, bytes]:
        """The combiner as (``.npz`` bytes, JSON bytes): every array in the npz (plain float
        and bool arrays, loadable with ``allow_pickle=False``), every number and name in the
        JSON. Floats round-trip exactly (npz keeps the bits; JSON writes ``repr``, which
        reads back to the same double), so probabilities are bit-identical after a reload."""
        arrays: dict[str, np.ndarray] = {}
        meta: dict[str, Any] = {"format": ARRAY_FORMAT, "labels": list(LABELS), "passes": {},
                                **({"lead": list(LEAD_NAMES)} if self.lead else {}),
                                **({"direction": list(DIRECTION_NAMES)} if self.direction else {}),
                                **({"sequence": self.sequence.to_dict()} if self.sequence is not None else {})}
        for name, part in (("first", self.first), ("second", self.second)):
            arrays[f"{name}.mean"] = np.asarray(part.mean, np.float64)
            arrays[f"{name}.scale"] = np.asarray(part.scale, np.float64)
            arrays[f"{name}.coef"] = np.asarray(part.coef, np.float64)
            arrays[f"{name}.intercept"] = np.asarray(part.intercept, np.float64)
            arrays[f"{name}.present"] = np.asarray(part.present, bool)
            binned = part.bin_weights is not None
            if binned:
                edges = [np.asarray(e, np.float64).ravel() for e in part.inner_edges]
                arrays[f"{name}.edges"] = (np.concatenate(edges) if edges else np.zeros(0))
                arrays[f"{name}.edge_counts"] = np.array([len(e) for e in edges], np.int64)
                arrays[f"{name}.bin_weights"] = np.asarray(part.bin_weights, np.float64)
            scaled = part.class_scale is not None
            if scaled:
                arrays[f"{name}.class_scale"] = np.asarray(part.class_scale, np.float64)
                arrays[f"{name}.class_bias"] = np.asarray(part.class_bias, np.float64)
            meta["passes"][name] = {"temperature": float(part.temperature), "binned": binned,
                                    "vector_scaled": scaled}
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        return buf.getvalue(), (json.dumps(meta, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_files(cls, npz: bytes, meta_json: bytes) -> "TwoPassCombiner":
        """Read what :meth:`to_files` wrote; a file that is not such a combiner (wrong
        names, shapes or types, an object array) is a ``ValueError``. Nothing in either
        file is executed: npz is read with ``allow_pickle=False``."""
        try:
            meta = json.loads(meta_json.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ValueError(f"combiner description is not JSON: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("format") != ARRAY_FORMAT:
            raise ValueError(f"not a linesift combiner (expected format {ARRAY_FORMAT})")
        if tuple(meta.get("labels", ())) != LABELS:
            raise ValueError(f"combiner labels {meta.get('labels')} differ from {LABELS}")
        passes = meta.get("passes")
        if not isinstance(passes, dict):
            raise ValueError("combiner description lists no passes")
        try:
            with np.load(io.BytesIO(npz), allow_pickle=False) as archive:
                arrays = {key: archive[key] for key in archive.files}
        except Exception as exc:  # noqa: BLE001 - zip, format or pickle refusal: all "not ours"
            raise ValueError(f"combiner arrays unreadable: {exc}") from exc
        lead = meta.get("lead")
        if lead is not None and lead != list(LEAD_NAMES):
            raise ValueError(f"combiner reads lead columns {lead}, this linesift computes {list(LEAD_NAMES)}")
        direction = meta.get("direction")
        if direction is not None and direction != list(DIRECTION_NAMES):
            raise ValueError(f"combiner reads direction columns {direction}, "
                             f"this linesift computes {list(DIRECTION_NAMES)}")
        first = _pass_from_arrays("first", passes.get("first"), arrays, None)
        second = _pass_from_arrays("second", passes.get("second"), arrays,
                                   first.mean.shape[0] + len(score_names(LABELS))
                                   + (len(LEAD_NAMES) if lead else 0)
                                   + (len(DIRECTION_NAMES) if direction else 0))
        sequence = meta.get("sequence")
        return cls(first, second, lead=bool(lead), direction=bool(direction),
                   sequence=None if sequence is None else LabelSequence.from_dict(sequence))

    @classmethod
    def from_dict(cls, data: Any) -> "TwoPassCombiner":
        if not isinstance(data, dict) or data.get("format") != "linesift-combiner/1":
            raise ValueError("not a linesift combiner")
        if tuple(data.get("labels", ())) != LABELS:
            raise ValueError(f"combiner labels {data.get('labels')} differ from {LABELS}")
        return cls(LinearPass.from_dict(data["first"]), LinearPass.from_dict(data["second"]),
                   lead=bool(data.get("lead", False)), direction=bool(data.get("direction", False)),
                   sequence=None if data.get("sequence") is None else LabelSequence.from_dict(data["sequence"]))


ARRAY_FORMAT = "linesift-combiner-arrays/1"
"""The ``combiner.json`` format tag of :meth:`TwoPassCombiner.to_files`."""

def _pass_from_arrays(name: str, meta: Any, arrays: Mapping[str, np.ndarray],
                      width: int | None) -> LinearPass:
    """One pass from the npz arrays, with every shape checked, so a crafted file is refused
    here instead of failing (or reading out of bounds) at prediction time."""
    if not isinstance(meta, dict):
        raise ValueError(f"combiner description has no pass {name!r}")

    def get(key: str, dtype, ndim: int) -> np.ndarray:
        full = f"{name}.{key}"
        if full not in arrays:
            raise ValueError(f"combiner arrays lack {full}")
        value = arrays[full]
        if value.dtype != dtype or value.ndim != ndim:
            raise ValueError(f"combiner array {full} is {value.dtype} with {value.ndim} "
                             f"dimension(s), expected {np.dtype(dtype)} with {ndim}")
        return value

    k = len(LABELS)
    mean, scale = get("mean", np.float64, 1), get("scale", np.float64, 1)
    coef, intercept = get("coef", np.float64, 2), get("intercept", np.float64, 1)
    present = get("present", np.bool_, 1)
    d = mean.shape[0]
    if scale.shape != (d,) or coef.shape != (k, d) or intercept.shape != (k,) or present.shape != (k,):
        raise ValueError(f"combiner pass {name!r} has inconsistent array shapes")
    if width is not None and d != width:
        raise ValueError(f"combiner pass {name!r} reads {d} columns, expected {width}")
    temperature = meta.get("temperature")
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool):
        raise ValueError(f"combiner pass {name!r} has no numeric temperature")
    edges: tuple[np.ndarray, ...] = ()
    weights = None
    if meta.get("binned"):
        flat, counts = get("edges", np.float64, 1), get("edge_counts", np.int64, 1)
        weights = get("bin_weights", np.float64, 2)
        if counts.shape != (d,) or (counts < 0).any() or int(counts.sum()) != flat.shape[0]:
            raise ValueError(f"combiner pass {name!r} has inconsistent bin edges")
        if weights.shape != (int((counts + 1).sum()), k):
            raise ValueError(f"combiner pass {name!r} has bin weights of the wrong shape")
        edges = tuple(np.split(flat, np.cumsum(counts)[:-1])) if d else ()
    class_scale = class_bias = None
    if meta.get("vector_scaled"):
        class_scale, class_bias = get("class_scale", np.float64, 1), get("class_bias", np.float64, 1)
        if class_scale.shape != (k,) or class_bias.shape != (k,):
            raise ValueError(f"combiner pass {name!r} has vector scaling of the wrong shape")
    return LinearPass(mean, scale, coef, intercept, present, float(temperature), edges, weights,
                      class_scale, class_bias)
