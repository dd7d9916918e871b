"""Session fixtures: a tiny model trained on the synthetic pages of :mod:`pagegen`.

The suite is self-contained: nothing here reads ``../shared``. Training takes a few
seconds; every test that needs a model shares the one bundle written here.
"""

from __future__ import annotations

import os

# One OpenMP thread for scikit-learn's tree code: on a busy two-core machine, OpenMP's
# spinning worker threads make the combiner's fit many times slower. Set before any
# test imports scikit-learn; subprocesses inherit it.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest

import pagegen
from helpers import EXAMPLES, as_xy, tiny_classifier


@pytest.fixture(scope="session")
def training_records():
    return pagegen.training_pages()


@pytest.fixture(scope="session")
def heldout_records():
    """Pages from the same generator with another seed (same kind, different draws)."""
    return pagegen.training_pages(n=6, seed=101)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory, training_records, heldout_records):
    d = tmp_path_factory.mktemp("data")
    pagegen.write_jsonl(d / "train.jsonl", training_records)
    pagegen.write_jsonl(d / "heldout.jsonl", heldout_records)
    return d


@pytest.fixture(scope="session")
def fitted(training_records):
    """The tiny classifier as ``fit`` left it (not loaded from disk)."""
    X, y, groups = as_xy(training_records)
    return tiny_classifier().fit(X, y, groups=groups)


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory, fitted):
    out = tmp_path_factory.mktemp("bundle") / "tiny"
    fitted.save(out)
    return out


@pytest.fixture(scope="session")
def clf(model_dir):
    from classifier import LineClassifier

    return LineClassifier.load(model_dir)


@pytest.fixture(scope="session")
def with_and_without_rules(clf):
    """A page's labels from the tiny model with the rules after the model (on) and without
    them (off), the model left as it was."""
    def label(text: str):
        try:
            clf.set_params(guide_marks=False)
            ((_, off),) = list(clf.label_pages([("p", text)]))
        finally:
            clf.set_params(guide_marks=True)
        ((_, on),) = list(clf.label_pages([("p", text)]))
        return on, off
    return label


@pytest.fixture(scope="session")
def example_texts():
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}
