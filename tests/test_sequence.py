"""The label-sequence model (classifier/sequence.py): counted transitions, the forward-backward
posteriors against a plain-Python oracle, files that are refused, and a bundle that keeps it."""
from __future__ import annotations

import dataclasses
import json
import math
import random

import numpy as np
import pytest

from classifier.sequence import CHUNK, OVERLAP, LabelSequence
from classifier.settings import LABELS


def oracle_posteriors(probs: list[list[float]], T, start, prior, alpha: float) -> list[list[float]]:
    """Forward-backward over one page with Python floats and loops: shares nothing with the
    module but the model's numbers."""
    k, n = len(start), len(probs)
    ev = [[(max(p[j], 1e-9) / prior[j]) ** alpha for j in range(k)] for p in probs]
    fwd = []
    for t in range(n):
        if t == 0:
            f = [start[j] * ev[0][j] for j in range(k)]
        else:
            f = [sum(fwd[-1][i] * T[i][j] for i in range(k)) * ev[t][j] for j in range(k)]
        z = sum(f)
        fwd.append([x / z for x in f])
    bwd = [None] * n
    bwd[n - 1] = [1.0] * k
    for t in range(n - 2, -1, -1):
        b = [sum(T[i][j] * ev[t + 1][j] * bwd[t + 1][j] for j in range(k)) for i in range(k)]
        z = sum(b)
        bwd[t] = [x / z for x in b]
    out = []
    for f, b in zip(fwd, bwd):
        g = [x * y for x, y in zip(f, b)]
        z = sum(g)
        out.append([x / z for x in g])
    return out


def model(alpha=1.0, power=0.5, mix=0.3) -> LabelSequence:
    pages = [["boilerplate", "boilerplate", None, "body", "body", "body", "comment", "comment"],
             ["boilerplate", "body", "body", "boilerplate", "clickbait", "clickbait", "boilerplate"]]
    return LabelSequence.from_labels(pages, alpha=alpha, power=power, mix=mix)


def random_pages(rng: random.Random, sizes) -> tuple[np.ndarray, list]:
    rows, spans, start = [], [], 0
    for n in sizes:
        for _ in range(n):
            w = [rng.random() ** 3 for _ in LABELS]
            rows.append([x / sum(w) for x in w])
        spans.append((start, start + n, None))
        start += n
    return np.array(rows).reshape(-1, len(LABELS)), spans


def test_transitions_are_counted_with_one_added_then_flattened():
    seq = model(power=1.0)
    b, bp, c, cb = (LABELS.index(x) for x in ("body", "boilerplate", "comment", "clickbait"))
    # from body: body->body 3 times, body->comment once, body->boilerplate once; +1 each
    assert seq.transitions[b] == pytest.approx(np.array([4, 2, 2, 1])[[b, bp, c, cb]] / 9)
    assert seq.start[bp] == pytest.approx(3 / 6)  # both pages start with boilerplate, +1 each label
    flat = model(power=0.5)
    row = np.sqrt(seq.transitions[b])
    assert flat.transitions[b] == pytest.approx(row / row.sum())


@pytest.mark.parametrize("sizes", [[1], [5, 1, 30], [CHUNK], [CHUNK + 1, 3], [3 * CHUNK + 17]])
def test_posteriors_equal_the_oracle(sizes):
    seq = model()
    probs, spans = random_pages(random.Random(sum(sizes)), sizes)
    got = seq.posteriors(probs, spans)
    for a, b, _ in spans:
        want = np.array(oracle_posteriors(probs[a:b].tolist(), seq.transitions.tolist(), seq.start.tolist(),
                                          seq.prior.tolist(), seq.alpha))
        # whole pages up to CHUNK lines; longer ones read in chunks with OVERLAP lines of context
        tol = 1e-12 if b - a <= CHUNK else 1e-6
        np.testing.assert_allclose(got[a:b], want, atol=tol, rtol=0)


def test_a_page_gets_the_same_bits_in_any_batch():
    seq = model()
    probs, spans = random_pages(random.Random(7), [40, 700, 3])
    together = seq.smooth(probs, spans)
    for a, b, _ in spans:
        assert np.array_equal(together[a:b], seq.smooth(probs[a:b], [(0, b - a, None)]))


def test_mix_weighs_posterior_and_combiner():
    probs, spans = random_pages(random.Random(3), [12])
    assert np.array_equal(model(mix=0.0).smooth(probs, spans), probs)
    post = model().posteriors(probs, spans)
    np.testing.assert_allclose(model(mix=0.3).smooth(probs, spans), 0.7 * probs + 0.3 * post)
    out = model(mix=0.5).smooth(probs, spans)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_a_run_pulls_an_unsure_line_into_it():
    seq = model(alpha=1.0, power=1.0, mix=1.0)
    c = LABELS.index("comment")
    sure = [0.05, 0.05, 0.85, 0.05]
    unsure = [0.45, 0.25, 0.25, 0.05]  # body by a little on its own
    probs = np.array([sure] * 6 + [unsure] + [sure] * 6)
    out = seq.smooth(probs, [(0, len(probs), None)])
    assert out[6].argmax() == c


@pytest.mark.parametrize("change", [
    {"labels": ["body", "boilerplate", "comment"]},
    {"transitions": [[1.0, 0, 0, 0]] * 3},
    {"transitions": [[0.5, 0.5, 0.5, -0.5]] * 4},
    {"transitions": [[0.2, 0.2, 0.2, 0.2]] * 4},
    {"start": [float("nan"), 0.5, 0.25, 0.25]},
    {"prior": [1.0, 0.0, 0.0, 0.0]},
    {"alpha": 0.0},
    {"mix": 1.5},
    {"mix": True},
    {"power": "0.5"},
])
def test_malformed_sequence_models_are_refused(change):
    data = dict(model().to_dict(), **change)
    with pytest.raises(ValueError):
        LabelSequence.from_dict(json.loads(json.dumps(data)))


def test_round_trip_is_exact():
    seq = model()
    back = LabelSequence.from_dict(json.loads(json.dumps(seq.to_dict())))
    for field in dataclasses.fields(seq):
        assert np.array_equal(getattr(back, field.name), getattr(seq, field.name))
    assert seq.to_dict()["chunk"] == CHUNK and seq.to_dict()["overlap"] == OVERLAP


@pytest.fixture(scope="module")
def sequence_model(training_records, tmp_path_factory):
    from helpers import fit_variant

    return fit_variant(training_records, tmp_path_factory.mktemp("sequence") / "model",
                       sequence_params={"alpha": 1.0, "power": 0.35, "mix": 0.3})


def test_bundle_keeps_the_sequence_model_and_explain_agrees(sequence_model, example_texts):
    from classifier import LineClassifier
    from classifier.explain import SEQUENCE_CUE, explain_page

    clf, path = sequence_model
    assert clf.combiner_.sequence is not None
    back = LineClassifier.load(path)
    assert back.manifest_["sequence"] == {"alpha": 1.0, "power": 0.35, "mix": 0.3}
    assert back.sequence_params == {"alpha": 1.0, "power": 0.35, "mix": 0.3}
    assert json.loads((path / "combiner.json").read_text())["sequence"]["mix"] == 0.3
    pages = list(example_texts.values())
    for a, b in zip(clf.predict_proba(pages), back.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)
    without = dataclasses.replace(back.combiner_, sequence=None)
    X = np.zeros((2, back.combiner_.first.mean.shape[0]), dtype=np.float32)
    assert not math.isclose(0.0, float(np.abs(
        back.combiner_.predict_proba(X, [(0, 2, np.arange(2))]) - without.predict_proba(X, [(0, 2, np.arange(2))])).sum()))
    explained = [e for e in explain_page(back, pages[0], top=50) if e is not None]
    assert [e.label for e in explained] == [lab.label for lab in back.label_text(pages[0]) if lab is not None]
    assert all(SEQUENCE_CUE in {c.name for c in e.cues} for e in explained)
