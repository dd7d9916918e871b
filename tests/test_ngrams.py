"""The hashed character n-gram scorer (classifier/ngrams.py): its features against a
plain-Python oracle, its file format, and what it learns."""

from __future__ import annotations

import io
import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from classifier.ngrams import FORMAT, MAX_CHARS, ORDERS, NgramScorer, ngram_buckets

M64 = (1 << 64) - 1
MULT = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0x94D049BB133111EB)


def oracle(texts, bits):
    """The n-grams as the module docstring describes them, one at a time in Python integers."""
    out = Counter()
    for row, text in enumerate(texts):
        s = " " + " ".join(text[:MAX_CHARS].lower().split()) + " "
        for n in ORDERS:
            for i in range(len(s) - n + 1):
                h = sum(ord(c) * MULT[k] for k, c in enumerate(s[i:i + n])) & M64
                h = (h + n * 0xFF51AFD7ED558CCD) & M64
                h ^= h >> 29
                h = (h * 0xC4CEB9FE1A85EC53) & M64
                h ^= h >> 32
                out[(row, h >> (64 - bits))] += 1
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab Z\t\n!?éك😀ـ") + ["\u0130"]), max_size=40), max_size=5),
       st.integers(min_value=8, max_value=20))
def test_buckets_match_the_oracle(texts, bits):
    rows, buckets = ngram_buckets(texts, bits)
    assert Counter(zip(rows.tolist(), buckets.tolist())) == oracle(texts, bits)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab Z\t\n!?éك😀")), max_size=30), max_size=6))
def test_fast_scores_equal_the_scores_of_the_buckets(texts):
    """Prediction sums weights where the n-grams stand; training reads (line, bucket) pairs:
    both must give every line the same score."""
    rng = np.random.default_rng(len(texts))
    scorer = NgramScorer(rng.normal(size=1 << 10).astype(np.float32), -0.2, 10)
    rows, cols = ngram_buckets(texts, 10)
    counts = np.bincount(rows, minlength=len(texts))
    dots = np.bincount(rows, weights=scorer.weights[cols].astype(np.float64), minlength=len(texts))
    expected = 1 / (1 + np.exp(-(dots / np.sqrt(np.maximum(counts, 1)) - 0.2)))
    assert np.allclose(scorer.clickbait(texts), expected, rtol=1e-12, atol=1e-12)


def test_only_the_first_characters_are_read():
    long = "x" * MAX_CHARS + " tail words here"
    assert Counter(zip(*map(list, ngram_buckets([long], 12)))) == Counter(zip(*map(list, ngram_buckets(["x" * MAX_CHARS], 12))))


@pytest.fixture(scope="module")
def scorer():
    bait = ["You won't believe what this cat did next", "10 secrets doctors don't want you to know",
            "This one trick will change your life forever", "What happened next shocked everyone"]
    plain = ["Council approves budget for new library", "Rail strike talks resume on Monday",
             "Central bank holds interest rate at 4 percent", "Storm closes schools across the region"]
    texts = bait * 5 + plain * 5
    return NgramScorer.train(texts, ["clickbait"] * 20 + ["headline"] * 20, bits=14, c=10.0)


def test_learns_and_round_trips(scorer):
    p = scorer.clickbait(["You won't believe what this dog did next", "Council approves budget for new museum"])
    assert p[0] > 0.5 > p[1]
    back = NgramScorer.from_bytes(scorer.to_bytes())
    texts = ["What happened next", "Rail talks resume", ""]
    assert np.array_equal(back.predict_proba(texts), scorer.predict_proba(texts))
    assert np.allclose(scorer.predict_proba(texts).sum(axis=1), 1.0)


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _meta(**changes) -> np.ndarray:
    meta = {"format": FORMAT, "bits": 14, "intercept": 0.1, "orders": list(ORDERS), "max_chars": MAX_CHARS}
    meta.update(changes)
    return np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


@pytest.mark.parametrize("data", [
    b"not a zip",
    _npz(weights=np.zeros(1 << 14, np.float32)),                                  # no settings
    _npz(weights=np.zeros(1 << 14, np.float32), meta=_meta(format="other")),
    _npz(weights=np.zeros(1 << 14, np.float32), meta=_meta(orders=[3, 4])),       # other features
    _npz(weights=np.zeros(1 << 13, np.float32), meta=_meta()),                    # wrong size
    _npz(weights=np.zeros(1 << 14, np.float64), meta=_meta()),                    # wrong type
    _npz(weights=np.zeros(1 << 14, np.float32), meta=_meta(intercept="0")),
    _npz(weights=np.array([{"a": 1}], dtype=object), meta=_meta()),               # a pickle inside
])
def test_other_files_are_refused(data):
    with pytest.raises(ValueError, match="n-gram scorer"):
        NgramScorer.from_bytes(data)
