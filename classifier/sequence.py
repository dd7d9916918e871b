"""Labels come in runs: the combiner's verdicts read once more as a sequence.

A page is made of blocks, and a line's label depends on its neighbours' *labels*, not only
on their look: a reply in the middle of a thread is a comment even where its words read
like an article; a teaser between two teasers is bait even when its own words are mild.
The second pass sees its neighbours' first-pass probabilities, but only a fixed few lines
away and without knowing which labels tend to follow which. A hidden Markov model over the
page's non-blank lines does: its states are the four labels, its transition probabilities
are counted on the training pages' gold label sequences, and each line's evidence is the
combiner's probability divided by the label's share of training lines (the scaled
likelihood of hybrid classifier/HMM models). The forward-backward posterior of each line's
label is mixed with the combiner's own probability, so a line the combiner is sure of keeps
its label, and a short line between two runs (a page's headline above its article) is not
smoothed away.

Three settings, chosen on sources held out of training (``training.sequence_select``):
``alpha`` weighs the evidence, ``power`` flattens the counted transitions (1: as counted;
smaller: runs matter less), ``mix`` is the posterior's share of the final probability.

Pages are read in chunks of at most :data:`CHUNK` lines with :data:`OVERLAP` lines of
context on each side, and every chunk of a batch advances together, one line per step,
so the Python loop runs a few hundred steps per batch whatever the batch holds. Pages up
to :data:`CHUNK` lines are read whole; on longer ones the posteriors differ from a
whole-page reading by less than 1e-7 on real pages (messages fade long before
:data:`OVERLAP` lines). The matrix products are written as elementwise products summed in
a fixed order, so a page's numbers do not depend on which pages share its batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from .settings import LABELS

CHUNK = 256
OVERLAP = 32
_FLOOR = 1e-9


def _vector(value: Any, name: str, shape: tuple[int, ...]) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"sequence {name} is not numeric: {exc}") from exc
    if arr.shape != shape or not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"sequence {name} must be finite, non-negative, of shape {shape}")
    return arr


def _number(value: Any, name: str, lo: float, hi: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
            or not lo <= value <= hi:
        raise ValueError(f"sequence {name} must be a number in [{lo}, {hi}], got {value!r}")
    return float(value)


@dataclass(frozen=True)
class LabelSequence:
    transitions: np.ndarray
    """(labels, labels): row ``i`` is p(next line's label | this line's label ``i``),
    already flattened by ``power``."""
    start: np.ndarray
    """p(first non-blank line's label)."""
    prior: np.ndarray
    """Each label's share of training lines: the combiner's probability is divided by it."""
    alpha: float
    power: float
    mix: float

    @classmethod
    def from_labels(cls, pages: Iterable[Sequence[str | None]], *, alpha: float, power: float,
                    mix: float) -> "LabelSequence":
        """Count transitions on gold label sequences (blank lines, ``None``, skipped), with
        one added to every count so no transition is impossible."""
        k = len(LABELS)
        index = {lab: i for i, lab in enumerate(LABELS)}
        counts, starts, totals = np.ones((k, k)), np.ones(k), np.ones(k)
        for labels in pages:
            seq = [index[lab] for lab in labels if lab is not None]
            if not seq:
                continue
            starts[seq[0]] += 1
            np.add.at(totals, seq, 1)
            if len(seq) > 1:
                np.add.at(counts, (seq[:-1], seq[1:]), 1)
        flat = (counts / counts.sum(axis=1, keepdims=True)) ** power
        return cls(flat / flat.sum(axis=1, keepdims=True), starts / starts.sum(), totals / totals.sum(),
                   float(alpha), float(power), float(mix))

    def to_dict(self) -> dict[str, Any]:
        return {"labels": list(LABELS), "transitions": self.transitions.tolist(), "start": self.start.tolist(),
                "prior": self.prior.tolist(), "alpha": self.alpha, "power": self.power, "mix": self.mix,
                "chunk": CHUNK, "overlap": OVERLAP}

    @classmethod
    def from_dict(cls, data: Any) -> "LabelSequence":
        """Read :meth:`to_dict`'s output; anything else is a ``ValueError``."""
        if not isinstance(data, dict) or data.get("labels") != list(LABELS):
            raise ValueError(f"sequence model must name the labels {list(LABELS)}")
        k = len(LABELS)
        transitions = _vector(data.get("transitions"), "transitions", (k, k))
        start, prior = _vector(data.get("start"), "start", (k,)), _vector(data.get("prior"), "prior", (k,))
        if not np.allclose(transitions.sum(axis=1), 1.0) or not np.isclose(start.sum(), 1.0) \
                or not np.isclose(prior.sum(), 1.0) or (prior <= 0).any():
            raise ValueError("sequence transitions, start and prior must be probability distributions")
        return cls(transitions, start, prior, _number(data.get("alpha"), "alpha", 1e-3, 10.0),
                   _number(data.get("power"), "power", 0.0, 10.0), _number(data.get("mix"), "mix", 0.0, 1.0))

    def posteriors(self, probs: np.ndarray, spans: Sequence[tuple[int, int, Any]]) -> np.ndarray:
        """p(label | the whole chunk's evidence) for every row of ``probs`` (LABELS order);
        ``spans`` gives each page's (start, end, ...) among the rows.

        The forward and the backward recursion run in one loop: the backward message with
        the line's own evidence folded in follows the forward recursion's form on the
        reversed chunk, with the transitions transposed. Chunks are sorted longest first
        and interleaved (forward, backward, forward, ...), so the chunks still running at
        step ``t`` are always the first rows of the state."""
        probs = np.asarray(probs, dtype=np.float64)
        m, k = probs.shape
        out = np.empty_like(probs)
        if m == 0:
            return out
        evidence = (np.maximum(probs, _FLOOR) / self.prior) ** self.alpha
        chunks = []  # (first row, rows, first core row, end of core)
        for a, b, *_ in spans:
            for lo in range(a, b, CHUNK):
                hi = min(lo + CHUNK, b)
                first, last = max(a, lo - OVERLAP), min(b, hi + OVERLAP)
                chunks.append((first, last - first, lo, hi))
        chunks.sort(key=lambda c: -c[1])
        first = np.array([c[0] for c in chunks], dtype=np.int64)
        length = np.array([c[1] for c in chunks], dtype=np.int64)
        n = len(chunks)
        # interleaved rows: 2j forward over chunk j, 2j + 1 backward over it
        origin = np.empty(2 * n, dtype=np.int64)
        origin[0::2], origin[1::2] = first, first + length - 1
        step = np.tile(np.array([1, -1], dtype=np.int64), n)
        matrices = [np.tile(np.stack([self.transitions[i], self.transitions[:, i]]), (n, 1)) for i in range(k)]
        init = np.tile(np.stack([self.start, np.ones(k)]), (n, 1))
        running = 2 * np.searchsorted(-length, -np.arange(int(length[0])), side="left")  # rows of chunks longer than t
        offset = np.concatenate([[0], np.cumsum(np.repeat(length, 2))[:-1]])
        messages = np.empty((2 * int(length.sum()), k))
        state = init
        for t, r in enumerate(running.tolist()):
            e = evidence[origin[:r] + step[:r] * t]
            if t == 0:
                state = init * e
            else:
                prev = state[:r]
                state = prev[:, :1] * matrices[0][:r]
                for i in range(1, k):
                    state += prev[:, i:i + 1] * matrices[i][:r]
                state *= e
            state /= state.sum(axis=1, keepdims=True)
            messages[offset[:r] + t] = state
        post = np.empty_like(out)
        for j, (lo_row, rows, core_lo, core_hi) in enumerate(chunks):
            fwd = messages[offset[2 * j]:offset[2 * j] + rows]
            bwd = messages[offset[2 * j + 1]:offset[2 * j + 1] + rows][::-1]  # back in line order
            a, b = core_lo - lo_row, core_hi - lo_row
            # the backward message holds the line's own evidence: divided out once
            g = fwd[a:b] * bwd[a:b] / evidence[core_lo:core_hi]
            post[core_lo:core_hi] = g / g.sum(axis=1, keepdims=True)
        return post

    def smooth(self, probs: np.ndarray, spans: Sequence[tuple[int, int, Any]]) -> np.ndarray:
        """The final probabilities: ``(1 - mix) * probs + mix * posteriors``."""
        probs = np.asarray(probs, dtype=np.float64)
        if self.mix == 0.0 or len(probs) == 0:
            return probs
        return (1.0 - self.mix) * probs + self.mix * self.posteriors(probs, spans)
