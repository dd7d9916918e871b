"""The numpy evaluation of the combiner reproduces scikit-learn's fitted models."""

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from classifier.combiner import LinearPass, make_pass
from classifier.settings import LABELS


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(600, 7)) * rng.uniform(0.1, 50, size=7) + rng.normal(size=7)
    y = np.array(LABELS)[(X[:, 0] > 0) * 1 + (X[:, 1] > 0) * 2]
    return X, y


def test_linear_pass_matches_the_pipeline(data):
    X, y = data
    pipe = make_pass({"max_iter": 500}).fit(X, y)
    ours = LinearPass.from_pipeline(pipe).predict_proba(X)
    theirs = pipe.predict_proba(X)[:, [list(pipe.classes_).index(lab) for lab in LABELS]]
    assert np.allclose(ours, theirs, atol=1e-9)


def test_temperature_matches_sklearn_calibration(data):
    X, y = data
    pipe = make_pass({"max_iter": 500, "C": 100.0}).fit(X[:300], y[:300])
    cal = CalibratedClassifierCV(FrozenEstimator(pipe), method="temperature").fit(X[300:], y[300:])
    beta = cal.calibrated_classifiers_[0].calibrators[0].beta_
    assert beta != pytest.approx(1.0)
    ours = LinearPass.from_pipeline(pipe, beta).predict_proba(X)
    theirs = cal.predict_proba(X)[:, [list(cal.classes_).index(lab) for lab in LABELS]]
    assert np.allclose(ours, theirs, atol=1e-7)


def test_label_missing_from_training_gets_zero_probability(data):
    X, y = data
    keep = y != "clickbait"
    probs = LinearPass.from_pipeline(make_pass({}).fit(X[keep], y[keep])).predict_proba(X)
    assert np.all(probs[:, LABELS.index("clickbait")] == 0.0)
    assert np.allclose(probs.sum(axis=1), 1.0)


def test_rows_do_not_depend_on_their_batch(data):
    X, y = data
    lp = LinearPass.from_pipeline(make_pass({}).fit(X, y))
    whole = lp.predict_proba(X)
    assert all(np.array_equal(lp.predict_proba(X[i:i + 1])[0], whole[i]) for i in range(0, 600, 37))


def test_binned_pass_matches_the_pipeline(data):
    X, y = data
    X = X.astype(np.float32)
    pipe = make_pass({"max_iter": 500}, bins=6).fit(X, y)
    ours = LinearPass.from_pipeline(pipe).predict_proba(X)
    theirs = pipe.predict_proba(X)[:, [list(pipe.classes_).index(lab) for lab in LABELS]]
    assert np.allclose(ours, theirs, atol=1e-9)
    plain = make_pass({"max_iter": 500}).fit(X, y).predict_proba(X)
    assert not np.allclose(plain, theirs, atol=1e-3)  # the bins do change the model
