"""Helpers shared by the test modules (paths, the tiny model's settings, the CLI runner)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

TINY_PARAMS = {"epoch": 5, "dim": 16, "bucket": 20000, "minn": 0, "maxn": 0, "thread": 1}


def tiny_classifier():
    from classifier import LineClassifier

    return LineClassifier(n_folds=2, quantize=False, text_params=dict(TINY_PARAMS))


def fit_variant(records, directory: Path, **params):
    """The tiny classifier with ``params`` set, fitted on ``records`` and saved to
    ``directory``: (the fitted model, its bundle path), for a variant's round-trip tests."""
    X, y, groups = as_xy(records)
    clf = tiny_classifier().set_params(**params).fit(X, y, groups=groups)
    clf.save(directory)
    return clf, directory


def as_xy(records):
    X = [[line["text"] for line in r["lines"]] for r in records]
    y = [[line["label"] for line in r["lines"]] for r in records]
    groups = [r["host"] for r in records]
    return X, y, groups


def run_cli(*args: str, input: bytes | None = None, timeout: float = 120,
            **kwargs) -> subprocess.CompletedProcess:
    """``python -m classifier.cli ARGS`` in a fresh process, from the project root."""
    return subprocess.run([sys.executable, "-m", "classifier.cli", *args], input=input,
                          capture_output=True, cwd=ROOT, timeout=timeout, **kwargs)


def verdicts(labels):
    """A page's probabilities (lines x labels) as if the model had called line ``i``
    ``labels[i]`` at 0.7 and every other label 0.1: what the rules after the model read,
    without a model."""
    import numpy as np

    from classifier import LABELS

    out = np.full((len(labels), len(LABELS)), 0.1)
    for row, label in enumerate(labels):
        out[row, LABELS.index(label)] = 0.7
    return out


def pinned(rule, line: str, row_probs):
    """``rule`` (a rule after the model) run on probabilities where every row of ``line`` is
    first set to ``row_probs``: gives a test a line the rule has to move, whatever the tiny
    model made of it."""
    import numpy as np

    def run(probs, lines, sizes=None):
        probs = np.array(probs, dtype=np.float64)
        for row, text in enumerate(lines):
            if text == line:
                probs[row] = row_probs
        return rule(probs, lines, sizes)
    return run
