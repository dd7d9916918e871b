"""The second pass's quantile binning on columns that barely vary (``combiner.flatten_tiny_ranges``).

Found by the README's training loop: retraining on the three example pages labelled by the
shipped model crashed inside scikit-learn's binning, because one score column varied only
in its ninth decimal and every one of its bins was dropped."""
from __future__ import annotations

import numpy as np

from classifier.combiner import flatten_tiny_ranges, make_pass


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(80, 4))
    X[:, 1] = 0.25                                       # constant
    X[:, 2] = 1e-7 + rng.random(80) * 1e-9               # varies only far below 1e-8
    y = np.where(X[:, 0] > 0, "body", "boilerplate")
    return X, y


def test_only_tiny_ranges_are_flattened():
    X, _ = _data()
    out = flatten_tiny_ranges(X)
    assert np.array_equal(out[:, [0, 1, 3]], X[:, [0, 1, 3]])
    assert np.ptp(out[:, 2]) == 0 and out[0, 2] == X[:, 2].min()
    assert np.ptp(X[:, 2]) > 0  # the input is left as it was
    assert flatten_tiny_ranges(out) is out  # nothing left to flatten: no copy


def test_binned_pass_fits_a_barely_varying_column_once_flattened():
    X, y = _data()
    fitted = make_pass({"max_iter": 200}, bins=8).fit(flatten_tiny_ranges(X), y)
    assert set(fitted.predict(X)) <= {"body", "boilerplate"}
    assert (fitted.predict(X) == y).mean() > 0.9
