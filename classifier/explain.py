"""Why a line got its label: the few cues that moved it most.

The combiner's final pass is a linear model (:mod:`classifier.combiner`): a label's logit is
its intercept plus, for every feature, ``coef * standardised value`` plus the weight of the
quantile bin the value falls in. So each feature's share of each logit can be read off
exactly, and they add up to the logit. This module does that from the combiner's stored
arrays (it changes nothing in the model and reads no file of its own), then:

* centres each feature's share: the linear part is zero at the training mean by
  construction, and a bin weight is taken relative to the mean weight of that feature's
  bins (quantile bins hold about equal shares of the training lines), so a cue at its
  usual value says nothing;
* sums the shares of related features into a cue people can read ("the line's words",
  "layout of the neighbouring lines", "distance from the article's prose", "class/id
  words"...): ~200 raw columns are too many to read, and neighbouring columns of one kind
  only mean something together;
* measures each cue's *effect* on the chosen label: its share of the label's logit minus
  its mean share of the other labels' logits, times the calibration temperature (softmax
  ignores what all labels share). Positive pushes toward the label, negative away.

The second pass also reads the first pass's verdict on the line and its neighbours; that
verdict is one group of cues here ("first pass: ..."), not traced back through the first
pass's own features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from . import rules
from .arguments import check_page
from .html import HtmlLines
from .direction import DIRECTION_NAMES
from .lead import LEAD_NAMES
from .model import LABELS, LineClassifier, _prepare

DEFAULT_TOP = 3
"""Cues shown per line: enough to see why, few enough to read."""

# (pattern over a feature name, readable cue); the first match names the feature's group
_GROUPS: tuple[tuple[str, str], ...] = (
    (r"^pass1_text_\w+@[-+]\d+$", "first pass: neighbouring lines"),
    (r"^pass1_text_\w+~\d+$", "first pass: lines around"),
    (r"^pass1_text_\w+_block$", "first pass: its block"),
    (r"^pass1_text_\w+_page$", "first pass: the whole page"),
    (r"^pass1_", "first pass: this line"),
    (r"^text_\w+@[-+]\d+$", "words of the neighbouring lines"),
    (r"^text_\w+~\d+$", "words of the lines around"),
    (r"^text_\w+_block$", "words of its block"),
    (r"^text_\w+_page$", "words of the whole page"),
    (r"^text_", "the line's words"),
    (r"@[-+]\d+$", "layout of the neighbouring lines"),
    (r"^site_", "repeated on the site's other pages"),
    (r"^topic_", "shares the vocabulary of the page's prose"),
    (r"^headline_clickbait", "reads like clickbait as a headline (headline scorer)"),
    (r"^title_(overlap|best)$", "restates the article (its own headline)"),
    (r"^(article_overlap)$", "shares the vocabulary of the article's first paragraphs"),
    (r"^(after_article|before_article|before_lead|past_article)$", "distance before or past the article"),
    (r"^before\d+_", "what the lines before it were called (first pass)"),
    (r"^after\d+_", "what the lines after it were called (first pass)"),
    (r"^lead_", "restates the article's opening, just above it (its own headline)"),
    (r"^(first_second_person|informal)$", "a reader's voice (I/you, !!, :))"),
    (r"^dom_in_", "HTML element it sits in"),
    (r"^dom_cls_", "class/id words around it (nav, footer, comment...)"),
    (r"^dom_block_link_density$", "link density"),
    (r"^dom_repeat|^dom_same_path", "repeated DOM siblings (lists, menus)"),
    (r"^dom_", "DOM depth and block size"),
    (r"^page_", "the page's overall shape"),
    (r"^(mass|dist_prose)_", "distance from the article's prose"),
    (r"^(gap_|block_size|pos_in_block|rel_pos_in_block)", "its block (blank lines around, size)"),
    (r"^(rel_pos|log_pos)", "position on the page"),
    (r"^repeat", "repeated elsewhere on the page"),
    (r"^(log_chars|log_words|mean_word_len|len_vs_)", "line length"),
    (r"^(share_upper|share_title_words|first_upper)$", "capital letters"),
    (r"^(share_arabic|share_latin|share_other_letter|share_arabic_words|first_arabic)$", "script (Arabic/Latin)"),
    (r"stop_(en|ar)$", "function words (reads like prose)"),
    (r"^(n_full_stop|last_full_stop|n_comma|last_letter)$", "sentence punctuation"),
    (r"exclaim_question$", "question or exclamation marks"),
    (r"^(share_punct|n_colon|last_colon|n_quote|last_quote|n_bracket|first_bracket|last_bracket"
     r"|n_ellipsis|last_ellipsis)$", "colons, quotes, brackets and ellipses"),
    (r"^(has_date|has_time|has_year)$", "dates and times"),
    (r"^(share_digit|first_digit|last_digit|has_counter)$", "digits and counts"),
    (r"^(has_url|has_email|n_at_hash)$", "URLs, e-mails, @ and #"),
    (r"^(n_separator|last_separator|first_bullet|n_symbol)$", "bullets, separators and symbols"),
    (r"^n_legal$", "copyright and legal words"),
    (r"^(n_bidi|n_zero_width|n_control|n_replacement)$", "invisible and control characters"),
    (r"^(indent|share_space)$", "indentation and spacing"),
)
_COMPILED = tuple((re.compile(pattern), name) for pattern, name in _GROUPS)
OTHER = "other layout cues"


def cue_name(feature: str) -> str:
    """The readable cue a combiner feature belongs to."""
    for pattern, name in _COMPILED:
        if pattern.search(feature):
            return name
    return OTHER


@dataclass(frozen=True, slots=True)
class Cue:
    """One cue's part in a line's label: ``effect`` on the label's log-odds against the
    other labels (positive: toward it), and the label this cue favours most of all (it
    can push toward the chosen label and still favour another one more)."""

    name: str
    effect: float
    favours: str

    def to_dict(self) -> dict[str, Any]:
        return {"cue": self.name, "effect": round(self.effect, 3), "favours": self.favours}


@dataclass(frozen=True, slots=True)
class LineExplanation:
    """A labelled line and the cues that moved its label most, strongest first.
    ``baseline``: the label's effect before any cue (intercepts and the mean bin weights;
    the same on every line); with every cue listed, ``baseline`` plus the effects is the
    label's calibrated log-odds against the mean of the other labels."""

    line: int
    text: str
    label: str
    score: float
    probs: dict[str, float]
    cues: tuple[Cue, ...]
    baseline: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "label": self.label, "score": round(self.score, 4),
                "probs": {k: round(v, 4) for k, v in self.probs.items()},
                "baseline": round(self.baseline, 3),
                "cues": [cue.to_dict() for cue in self.cues], "text": self.text}


SEQUENCE_CUE = "labels of the lines around it (sequence model)"
"""The cue of :mod:`.sequence`: how far reading the page's labels as a sequence moved the line."""


def second_pass_names(clf: LineClassifier) -> tuple[str, ...]:
    """Names of the final pass's columns: the model's features, then the first pass's
    verdicts (named like the text-model columns, prefixed ``pass1_``)."""
    from .features import score_names

    lead = LEAD_NAMES if getattr(clf.combiner_, "lead", False) else ()
    direction = DIRECTION_NAMES if getattr(clf.combiner_, "direction", False) else ()
    return tuple(clf.feature_names_) + tuple(f"pass1_{name}" for name in score_names(LABELS)) + lead + direction


def contributions(p: Any, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, feature and label, the centred share of a :class:`LinearPass`'s logit
    (rows x features x labels), and the per-label constant left over, so that
    ``shares.sum(axis=1) + constant == p.logits(X)`` (before temperature)."""
    X = np.asarray(X, dtype=np.float64)
    shares = ((X - p.mean) / p.scale)[:, :, None] * np.asarray(p.coef, float).T[None, :, :]
    constant = np.asarray(p.intercept, float).copy()
    if p.inner_edges:
        weights = np.asarray(p.bin_weights, float)
        start = 0
        for j, edges in enumerate(p.inner_edges):
            n_bins = len(edges) + 1
            own = weights[start:start + n_bins]
            centre = own.mean(axis=0)
            constant += centre
            if len(edges):
                bins = np.searchsorted(np.asarray(edges, float), X[:, j], side="right")
                shares[:, j, :] += own[bins] - centre
            start += n_bins
    return shares, constant


def explain_page(clf: LineClassifier, page: Any, *, top: int = DEFAULT_TOP) -> list[LineExplanation | None]:
    """Each line of ``page`` (text, bytes, lines, or :class:`HtmlLines` for the HTML model)
    with its label, probability and ``top`` cues, the strongest first; ``None`` for blank
    lines. A rule after the model that set a line's label comes first whatever the size of
    its shift: it is the reason for the label, though a rule that tips a close call moves
    the probabilities less than the cues it overrides."""
    check_page(page)
    clf._check_fitted()
    prep = _prepare(page)
    texts = page.lines if isinstance(page, HtmlLines) else None
    out: list[LineExplanation | None] = [None] * prep.n_total
    if not prep.lines:
        return out
    text_probs = clf.text_model_.predict_proba(prep.lines)
    X, spans = clf._stack([(prep, text_probs)])
    second = clf.combiner_.second
    X2 = clf.combiner_.second_inputs(X, spans, prep.lines)
    before_sequence = second.predict_proba(X2)
    probs = clf.combiner_.finish(before_sequence, spans)
    shares, constant = contributions(second, X2)
    constant = constant * second.temperature
    names = second_pass_names(clf)
    groups = sorted(set(map(cue_name, names)))
    member = np.zeros((len(names), len(groups)))
    for j, name in enumerate(names):
        member[j, groups.index(cue_name(name))] = 1.0
    by_group = np.einsum("ijk,jg->igk", shares, member) * second.temperature
    centred = by_group - by_group.mean(axis=2, keepdims=True)
    k = len(LABELS)
    if clf.combiner_.sequence is not None:
        # what the sequence model did to each label, in the same (log) units as the cues
        moved = np.log(np.maximum(probs, 1e-12)) - np.log(np.maximum(before_sequence, 1e-12))
        groups = groups + [SEQUENCE_CUE]
        by_group = np.concatenate([by_group, moved[:, None, :]], axis=1)
        centred = by_group - by_group.mean(axis=2, keepdims=True)
    decided = np.full(len(prep.lines), -1)  # per line, the group of the last rule that changed its label
    if clf.guide_marks:
        for cue, rule in rules.rules(None if prep.paths is None else [prep.paths]):
            ruled = rule(probs, prep.lines)
            if ruled is not probs:
                moved = np.log(np.maximum(ruled, 1e-12)) - np.log(np.maximum(probs, 1e-12))
                decided[ruled.argmax(axis=1) != probs.argmax(axis=1)] = len(groups)
                groups = groups + [cue]
                by_group = np.concatenate([by_group, moved[:, None, :]], axis=1)
                centred = by_group - by_group.mean(axis=2, keepdims=True)
                probs = ruled
    best = probs.argmax(axis=1)
    for row, pos in enumerate(prep.positions.tolist()):
        b = int(best[row])
        # the chosen label's share against the mean share of the other labels
        effect = (by_group[row, :, b] - (by_group[row].sum(axis=1) - by_group[row, :, b]) / (k - 1))
        order = np.argsort(-np.abs(effect), kind="stable")
        if decided[row] >= 0:  # a rule that set the label is the reason, however small its shift
            order = np.concatenate([[decided[row]], order[order != decided[row]]])
        order = order[:top]
        cues = tuple(Cue(groups[g], float(effect[g]), LABELS[int(centred[row, g].argmax())])
                     for g in order)
        baseline = float(constant[b] - (constant.sum() - constant[b]) / (k - 1))
        out[pos] = LineExplanation(pos + 1, texts[pos] if texts is not None else prep.lines[row],
                                   LABELS[b], float(probs[row, b]),
                                   {lab: float(probs[row, i]) for i, lab in enumerate(LABELS)},
                                   cues, baseline)
    return out


def format_text(explanations: Sequence[LineExplanation | None]) -> str:
    """For people: each line's number, label and score, its text, then its cues."""
    out = []
    for exp in explanations:
        if exp is None:
            continue
        out.append(f"{exp.line:>5}  {exp.label:<11} {exp.score:.2f}  {exp.text}")
        for cue in exp.cues:
            direction = "toward" if cue.effect >= 0 else "away from"
            out.append(f"{'':>7}{cue.effect:+6.2f}  {cue.name} ({direction} {exp.label})")
    return "\n".join(out) + ("\n" if out else "")


def hover_text(exp: LineExplanation) -> str:
    """The cues as short lines for the HTML report's hover title."""
    return "\n".join(f"{cue.effect:+.2f} {cue.name} ({'toward' if cue.effect >= 0 else 'away from'} "
                     f"{exp.label})" for cue in exp.cues)
