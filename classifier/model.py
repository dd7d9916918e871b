"""``LineClassifier``: text-model scores and layout cues combined into calibrated labels.

Shape of the model, and why:

* a fastText model reads each line's words and character n-grams (menus, comment prompts
  and teasers have their own vocabulary, in both languages);
* :mod:`classifier.features` measures each line's layout and language cues and those of its
  neighbours (a comment thread or a related-links list is a run of lines, not one);
* a two-pass linear combiner (:mod:`classifier.combiner`) joins both, trained on
  *out-of-fold* text scores so it learns how far the text model can be trusted on unseen
  lines, not on lines it memorised; its second pass reads the first pass's verdict on the
  neighbouring lines;
* temperature scaling on held-out pages makes ``score`` a probability callers can threshold.

The object follows scikit-learn's conventions (parameters stored by ``__init__``, learned
state ending in ``_``, ``fit`` returns ``self``) with a page as the sample: ``X`` is a
sequence of pages, each a sequence of lines, and ``y`` the matching label sequences.
"""

from __future__ import annotations

import copy
import io
import os
import platform
import dataclasses
import warnings
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from . import bundle, headline, isolation, listing, log, rules, settings, windows
from .arguments import check_page, check_pages, keep_set, page_items
from .combiner import (LinearPass, TwoPassCombiner, fit_vector_scaling, flatten_tiny_ranges, make_pass,
                       second_inputs)
from .features import LAYOUT_NAMES, Resources, layout_features, score_features, score_names
from .html import DOM_NAMES, HtmlLines, dom_columns, extract, no_dom
from .ngrams import NgramScorer
from .page import decode, is_blank, split_lines
from .resources import load_resources, resources_digest
from .sequence import LabelSequence
from .site import SITE_NAMES, SiteMemory, line_keys, page_key, site_key
from .textmodel import TextModel, TextModelError, normalise
from .discourse import DISCOURSE_NAMES, discourse_features_batch
from .topic import TOPIC_NAMES, topic_features_batch
from .results import LabelProbs, LineLabel, PageLabels, page_labels  # noqa: F401 - LabelProbs: re-exported
from .jobs import AUTO, MIN_LINES_PER_WORKER, auto_jobs, parse_jobs, usable_cores

LABELS = settings.LABELS


class NotFittedError(RuntimeError):
    """The classifier was used before ``fit`` or ``load``."""


def _non_blank(lines: Sequence[str]) -> np.ndarray:
    """Positions of the lines that are not blank (see :func:`~classifier.page.is_blank`)."""
    n = len(lines)
    try:  # C-level maps: a generator calling is_blank per line cost ~1 us a line
        spaces = np.fromiter(map(str.isspace, lines), dtype=bool, count=n)
        empty = np.fromiter(map(len, lines), dtype=np.int64, count=n) == 0
    except TypeError:  # not all str: let is_blank decide (and fail) line by line
        return np.fromiter((i for i, line in enumerate(lines) if not is_blank(line)), dtype=np.int64)
    return np.flatnonzero(~(spaces | empty)).astype(np.int64)


@dataclass
class _Prepared:
    """A page reduced to what the model reads: non-blank lines and their positions, plus
    the columns that come from outside the page's text (site memory, caller's extras),
    one row per non-blank line."""

    lines: list[str]
    positions: np.ndarray
    n_total: int
    site: np.ndarray | None = None
    extra: np.ndarray | None = None
    paths: list[str] | None = None
    """The non-blank lines' DOM paths, for a page read from HTML (the listing rule reads
    them, :mod:`.listing`); None for text."""


def _prepare(page: "Sequence[str] | str | bytes | HtmlLines | _Prepared", extra: Any = None) -> _Prepared:
    if isinstance(page, _Prepared):
        return page
    if isinstance(page, HtmlLines):  # lines extracted from HTML carry their DOM cues and paths
        prep = _prepare(page.lines, dom_columns(page.cues) if extra is None else extra)
        prep.paths = list(map(page.paths.__getitem__, prep.positions.tolist()))
        return prep
    if isinstance(page, (str, bytes)):
        decoded = decode(page)
        if decoded.replaced:  # the library's counterpart of the CLI's per-file warning
            log.warning("page text (%s) held undecodable characters: replaced with U+FFFD", decoded.encoding)
        lines = split_lines(decoded.text)
    else:
        lines = list(page)
    positions = _non_blank(lines)
    rows = None
    if extra is not None:
        rows = np.asarray(extra, dtype=np.float32)
        if rows.ndim != 2 or rows.shape[0] != len(lines):
            raise ValueError(f"extra columns need one row per line: got shape {rows.shape} "
                             f"for a page of {len(lines)} lines")
        rows = rows[positions]
    kept = lines if len(positions) == len(lines) else list(map(lines.__getitem__, positions.tolist()))
    return _Prepared(kept, positions, len(lines), extra=rows)


def _remember(pages: Sequence[_Prepared], sites: Sequence[Any], memory: SiteMemory,
              max_chars: int) -> None:
    """Give each page its site-memory columns, in order: a page sees the earlier ones."""
    for prep, site in zip(pages, sites):
        prep.site = memory.observe(site_key(site), line_keys(normalise(prep.lines, max_chars)),
                                   page=page_key(site))


def _pad(pair: tuple, n: int) -> tuple:
    return tuple(pair) + (None,) * (n - len(pair))


class LineClassifier:
    """Labels every non-blank line of a page as body, boilerplate, comment or clickbait.

    Load once (``LineClassifier.load()``) and call from any number of threads: prediction
    reads the fitted state and never writes it.
    """

    def __init__(self, *, text_params: dict | None = None, combiner_params: dict | None = None,
                 n_folds: int = settings.OUT_OF_FOLD_SPLITS, quantize: bool = False,
                 site_memory: bool = False, topic_cues: bool = False, headline_scorer: bool = False,
                 discourse_cues: bool = False, headline_params: dict | None = None,
                 lead_cues: bool = False, direction_cues: bool = False, sequence_params: dict | None = None,
                 headline_kind: str = headline.KIND, guide_marks: bool = True, random_state: int = 13):
        self.text_params = text_params
        self.headline_params = headline_params
        self.combiner_params = combiner_params
        self.n_folds = n_folds
        self.quantize = quantize
        self.site_memory = site_memory
        self.topic_cues = topic_cues
        self.discourse_cues = discourse_cues
        self.headline_scorer = headline_scorer
        self.lead_cues = lead_cues
        self.direction_cues = direction_cues
        self.sequence_params = sequence_params
        self.headline_kind = _checked_kind(headline_kind)
        self.guide_marks = guide_marks
        """Apply the rules the annotation guide states outright, after the model
        (:mod:`.rules` lists them, in the order they run: script fragments, own headline,
        comment threads, dated lists, the article's lists and tables, tag lines, clickbait
        marks). Rules after the model, so they can be switched off on a fitted or loaded model
        (``set_params(guide_marks=False)``); the name is older than the headline rule. Not to
        be confused with ``training.train --guide-marks``, which changes training data."""
        self.random_state = random_state

    # -- scikit-learn conventions -----------------------------------------------------

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"text_params": self.text_params, "combiner_params": self.combiner_params,
                "n_folds": self.n_folds, "quantize": self.quantize,
                "site_memory": self.site_memory, "topic_cues": self.topic_cues,
                "discourse_cues": self.discourse_cues,
                "headline_scorer": self.headline_scorer, "headline_params": self.headline_params,
                "lead_cues": self.lead_cues, "direction_cues": self.direction_cues,
                "sequence_params": self.sequence_params,
                "headline_kind": self.headline_kind, "guide_marks": self.guide_marks,
                "random_state": self.random_state}

    def set_params(self, **params: Any) -> "LineClassifier":
        for key, value in params.items():
            setattr(self, key, _checked_kind(value) if key == "headline_kind" else value)
        return self

    @property
    def classes_(self) -> tuple[str, ...]:
        return LABELS

    def _check_fitted(self) -> None:
        if not hasattr(self, "combiner_"):
            raise NotFittedError("this LineClassifier is not fitted: call fit() or load()")

    def _resources(self) -> Resources:
        if not hasattr(self, "resources_"):
            self.resources_ = load_resources()
        return self.resources_

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str | None]], *,
            groups: Sequence[Any] | None = None, sites: Sequence[Any] | None = None,
            extra: Sequence[Any] | None = None, extra_names: Sequence[str] = (),
            calibration: tuple | None = None, headlines: tuple | None = None,
            progress: bool = False) -> "LineClassifier":
        """Train on pages ``X`` (line sequences) with per-line labels ``y``.

        ``groups`` (one per page, e.g. the site) keeps a site's pages in one fold, so the
        out-of-fold text scores are honest about unseen sites. ``sites`` (one per page: a
        URL or a group name) feeds site memory when the classifier was made with
        ``site_memory=True``; pages are remembered in the order given, as a stream would be.
        ``extra`` gives per page an array of caller-computed columns (one row per line,
        blank lines included; named by ``extra_names``), e.g. DOM cues of HTML pages; a
        model fitted with extras needs them at prediction too. ``calibration`` is
        ``(X, y[, sites[, extra]])`` of pages kept out of training for temperature scaling;
        without it a share of the groups is set aside for that. ``headlines`` is
        ``(texts, labels)`` ("clickbait"/"headline") for the headline scorer of a model made
        with ``headline_scorer=True`` (:mod:`classifier.headline`).
        """
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator
        from sklearn.model_selection import GroupKFold, GroupShuffleSplit

        check_pages(X, "fit")
        if self.headline_scorer and (headlines is None or len(headlines[0]) == 0):
            raise ValueError("headline_scorer=True needs headlines=(texts, labels) to fit on")
        groups = list(groups) if groups is not None else list(range(len(X)))
        sites = list(sites) if sites is not None else [None] * len(X)
        extra = list(extra) if extra is not None else [None] * len(X)
        self.extra_names_ = tuple(extra_names)
        if calibration is None:
            split = GroupShuffleSplit(n_splits=1, test_size=0.15, random_state=self.random_state)
            fit_idx, cal_idx = next(split.split(np.zeros(len(X)), groups=groups))
            calibration = tuple([seq[i] for i in cal_idx] for seq in (X, y, sites, extra))
            X, y, sites, extra, groups = ([seq[i] for i in fit_idx]
                                          for seq in (X, y, sites, extra, groups))
        pages, targets = [], []
        for lines, labels, rows in zip(X, y, extra):
            prep = _prepare(lines, rows)
            pages.append(prep)
            targets.append(np.array([labels[i] for i in prep.positions], dtype=object))
        if self.site_memory:
            _remember(pages, sites, SiteMemory(), settings.MAX_TEXT_MODEL_CHARS)
        page_of_line = np.concatenate([np.full(len(p.lines), i) for i, p in enumerate(pages)])
        all_lines = [line for p in pages for line in p.lines]
        y_lines = np.concatenate(targets).astype(str)
        bad = set(np.unique(y_lines)) - set(LABELS)
        if bad:
            raise ValueError(f"unknown labels in training data: {sorted(bad)}")
        if len(set(y_lines.tolist())) < 2:  # found now, not after minutes of training
            raise ValueError(f"the training data holds one label only ({', '.join(sorted(set(y_lines.tolist()))) or 'none'}): "
                             "a classifier needs lines of at least two labels")

        # out-of-fold text scores for the combiner
        oof = np.zeros((len(all_lines), len(LABELS)))
        n_folds = min(self.n_folds, len(set(groups)))
        line_groups = np.asarray(groups, dtype=object)[page_of_line]
        if n_folds >= 2:
            folds = GroupKFold(n_splits=n_folds)
            for k, (tr, te) in enumerate(folds.split(all_lines, y_lines, groups=line_groups.astype(str))):
                if progress:
                    print(f"  text model, fold {k + 1}/{n_folds} ({len(tr)} lines)", flush=True)
                # fold models stay unquantised: quantising retrains, and costs more
                # than the fold's training; the final model's quantisation is checked
                # against the unquantised one in the model card
                model = TextModel.train([all_lines[i] for i in tr], y_lines[tr],
                                        params=self.text_params, quantize=False)
                oof[te] = model.predict_proba([all_lines[i] for i in te])
        if progress:
            print(f"  text model, all {len(all_lines)} lines", flush=True)
        self.text_model_ = TextModel.train(all_lines, y_lines, params=self.text_params,
                                           quantize=self.quantize)
        if n_folds < 2:
            oof = self.text_model_.predict_proba(all_lines)

        headline_oof = None
        if self.headline_scorer:
            self.headline_scope_ = headline.SCOPE
            self.headline_kind_ = self.headline_kind
            headline_oof = self._fit_headline_scorer(headlines, all_lines, progress)
        X_lines, spans = self._stack([(prep, oof[a:b]) for prep, (a, b) in
                                      zip(pages, _spans([len(p.lines) for p in pages]))], headline_oof)
        params = dict(settings.COMBINER_PARAMS, **(self.combiner_params or {}))

        # pass one, out of fold (by site) so pass two learns from honest neighbours
        first_oof = np.zeros((len(y_lines), len(LABELS)))
        if n_folds >= 2:
            folds = GroupKFold(n_splits=n_folds)
            for k, (tr, te) in enumerate(folds.split(X_lines, y_lines, groups=line_groups.astype(str))):
                if progress:
                    print(f"  combiner pass one, fold {k + 1}/{n_folds}", flush=True)
                fold = LinearPass.from_pipeline(make_pass(params).fit(X_lines[tr], y_lines[tr]))
                first_oof[te] = fold.predict_proba(X_lines[te])
        if progress:
            print(f"  combiner on {X_lines.shape[0]} lines x {X_lines.shape[1]} features", flush=True)
        first = LinearPass.from_pipeline(make_pass(params).fit(X_lines, y_lines))
        if n_folds < 2:
            first_oof = first.predict_proba(X_lines)
        if progress:
            print("  combiner pass two", flush=True)
        with warnings.catch_warnings():
            # constant columns (a cue absent from the whole corpus) get one bin: expected
            warnings.filterwarnings("ignore", message="Bins whose width are too small")
            warnings.filterwarnings("ignore", message="Feature .* is constant")
            second = make_pass(params, bins=settings.SECOND_PASS_BINS).fit(
                flatten_tiny_ranges(second_inputs(first_oof, X_lines, spans, all_lines if self.lead_cues else None,
                                                  self.direction_cues)),
                y_lines)

        # temperature scaling on held-out pages, fed through the same path as prediction
        cal_X, cal_labels, cal_sites, cal_extra = _pad(calibration, 4)
        cal_extra = cal_extra if cal_extra is not None else [None] * len(cal_X)
        cal_pages = [_prepare(lines, rows) for lines, rows in zip(cal_X, cal_extra)]
        if self.site_memory:
            _remember(cal_pages, cal_sites if cal_sites is not None else [None] * len(cal_X),
                      SiteMemory(), self.text_model_.max_chars)
        cal_y = np.array([labels[i] for labels, prep in zip(cal_labels, cal_pages)
                          for i in prep.positions], dtype=str)
        cal_text = self.text_model_.predict_proba([line for p in cal_pages for line in p.lines])
        cal_X, cal_spans = self._stack([(prep, cal_text[a:b]) for prep, (a, b) in
                                        zip(cal_pages, _spans([len(p.lines) for p in cal_pages]))])
        cal_lines = [line for p in cal_pages for line in p.lines] if self.lead_cues else None
        cal_X2 = second_inputs(first.predict_proba(cal_X), cal_X, cal_spans, cal_lines, self.direction_cues)
        calibrated = CalibratedClassifierCV(FrozenEstimator(second), method="temperature")
        calibrated.fit(cal_X2, cal_y)
        beta = float(calibrated.calibrated_classifiers_[0].calibrators[0].beta_)
        second_pass = LinearPass.from_pipeline(second, beta)
        scale, bias = fit_vector_scaling(beta * second_pass.logits(cal_X2), cal_y)
        sequence = (LabelSequence.from_labels(y, **self.sequence_params) if self.sequence_params else None)
        self.combiner_ = TwoPassCombiner(first, dataclasses.replace(second_pass, class_scale=scale, class_bias=bias),
                                         lead=self.lead_cues, direction=self.direction_cues, sequence=sequence)
        return self

    def _fit_headline_scorer(self, headlines: tuple | None, lines: Sequence[str], progress: bool) -> np.ndarray:
        """Train the headline scorer; return out-of-fold scores of the training lines."""
        texts, labels = list(headlines[0]), list(headlines[1])
        n_folds = 3
        item_fold = np.array([headline.headline_fold(t, n_folds) for t in texts])
        line_fold = np.array([headline.headline_fold(t, n_folds) for t in lines])
        out = np.zeros(len(lines))
        for k in range(n_folds):
            if progress:
                print(f"  headline scorer, fold {k + 1}/{n_folds}", flush=True)
            keep = np.flatnonzero(item_fold != k)
            model = headline.train_scorer([texts[i] for i in keep], [labels[i] for i in keep], self.headline_params,
                                          self.headline_kind_)
            rows = np.flatnonzero(line_fold == k)
            out[rows] = headline.scores(model, [lines[i] for i in rows], scope=self.headline_scope_)
        self.headline_model_ = headline.train_scorer(texts, labels, self.headline_params, self.headline_kind_)
        return out

    def _stack(self, items, headline_p: np.ndarray | None = None):
        """Feature rows of several pages stacked, with each page's (start, end, positions);
        ``headline_p``: the headline scorer's scores of the lines when already known (out of
        fold, in training).

        The rows :meth:`_matrix` gives page by page, but each block of columns computed for
        all the pages of the call at once: per page, those were mostly fixed numpy overhead."""
        from .features import layout_features_batch, score_features_batch

        items = [(prep, text_probs) for prep, text_probs in items if len(prep.lines)]
        if not items:
            return np.zeros((0, len(self.feature_names_)), dtype=np.float32), []
        preps = [prep for prep, _ in items]
        spans = [(a, b, prep.positions) for prep, (a, b) in zip(preps, _spans([len(p.lines) for p in preps]))]
        parts = [layout_features_batch([(p.lines, p.positions, p.n_total) for p in preps], self._resources()),
                 score_features_batch(np.vstack([probs for _, probs in items]), spans)]
        if self.site_memory:
            parts.append(np.vstack([self._site_columns(p) for p in preps]))
        if self.topic_cues:
            parts.append(topic_features_batch([p.lines for p in preps]))
        if self.discourse_cues:
            parts.append(discourse_features_batch([p.lines for p in preps]))
        if self.headline_scorer:
            parts.append(self._headline_columns([line for p in preps for line in p.lines], headline_p))
        if getattr(self, "extra_names_", ()):
            parts.append(np.vstack([self._extra_columns(p) for p in preps]))
        return np.hstack(parts), spans

    @property
    def feature_names_(self) -> tuple[str, ...]:
        names = LAYOUT_NAMES + score_names(LABELS)
        if self.site_memory:
            names += SITE_NAMES
        if self.topic_cues:
            names += TOPIC_NAMES
        if self.discourse_cues:
            names += DISCOURSE_NAMES
        if self.headline_scorer:
            names += headline.HEADLINE_NAMES
        return names + tuple(getattr(self, "extra_names_", ()))

    def _matrix(self, prep: _Prepared, text_probs: np.ndarray,
                layout: np.ndarray | None = None) -> np.ndarray:
        """One page's rows; ``layout``: its layout cues when already computed in a batch."""
        if layout is None:
            layout = layout_features(prep.lines, prep.positions, prep.n_total, self._resources())
        parts = [layout, score_features(text_probs, prep.positions)]
        if self.site_memory:
            parts.append(self._site_columns(prep))
        if self.topic_cues:
            parts.append(topic_features_batch([prep.lines]))
        if self.discourse_cues:
            parts.append(discourse_features_batch([prep.lines]))
        if self.headline_scorer:
            parts.append(self._headline_columns(prep.lines))
        if getattr(self, "extra_names_", ()):
            parts.append(self._extra_columns(prep))
        return np.hstack(parts)

    def _headline_columns(self, lines: Sequence[str], headline_p: np.ndarray | None = None) -> np.ndarray:
        """The headline scorer's columns of ``lines``, read in this bundle's scope;
        ``headline_p``: the scores when already known (out of fold, in training)."""
        words = headline.word_counts(lines, self.headline_scope_)
        if headline_p is None:
            headline_p = headline.scores(self.headline_model_, lines, words, self.headline_scope_)
        return headline.columns(headline_p, words)

    def _site_columns(self, prep: _Prepared) -> np.ndarray:
        if prep.site is not None:
            return prep.site
        return np.zeros((len(prep.lines), len(SITE_NAMES)), dtype=np.float32)  # a site's first page

    def _extra_columns(self, prep: _Prepared) -> np.ndarray:
        names = self.extra_names_
        extra = prep.extra
        if extra is None and names == DOM_NAMES:  # plain text given to the HTML model
            extra = no_dom(len(prep.lines))
        if extra is None or extra.shape[1] != len(names):
            raise ValueError(f"this model needs {len(names)} extra columns per line "
                             f"({', '.join(names[:3])}...): pass extra=")
        return extra

    # -- prediction ---------------------------------------------------------------------

    def _predict_prepared(self, pages: Sequence[_Prepared]) -> list[np.ndarray]:
        """Calibrated probabilities for the non-blank lines of several pages at once: one
        text-model call and one combiner call for the whole batch. A page longer than a
        window is labelled window by window, so memory is bounded (:mod:`.windows`)."""
        self._check_fitted()
        if windows.needs_windows(pages):
            out = windows.predict_windowed(self._predict_prepared, pages)
            if self.guide_marks:  # windows carry no paths: the listing rule reads whole pages
                for i, prep in enumerate(pages):
                    if prep.paths is not None and windows.needs_windows([prep]):
                        out[i] = listing.apply_listing(out[i], prep.lines, None, paths=[prep.paths])
            return out
        sizes = [len(p.lines) for p in pages]
        total = sum(sizes)
        if total == 0:
            return [np.zeros((0, len(LABELS))) for _ in pages]
        lines = [line for p in pages for line in p.lines]
        text = self.text_model_.predict_proba(lines)
        X, spans = self._stack([(prep, text[a:b]) for prep, (a, b) in zip(pages, _spans(sizes))])
        probs = self.combiner_.predict_proba(X, spans, lines)
        if self.guide_marks:
            paths = [p.paths for p in pages]
            probs = rules.apply_rules(probs, lines, sizes,
                                      paths if any(x is not None for x in paths) else None)
        out, offset = [], 0
        for n in sizes:
            out.append(probs[offset:offset + n])
            offset += n
        return out

    def _prepare_all(self, X: Sequence[Any], sites: Sequence[Any] | None,
                     extra: Sequence[Any] | None, memory: SiteMemory | None) -> list[_Prepared]:
        check_pages(X, "predict")
        extra = extra if extra is not None else [None] * len(X)
        prepared = []
        for i, (page, rows) in enumerate(zip(X, extra)):
            check_page(page, f"page {i}")
            prepared.append(_prepare(page, rows))
        if sites is not None and self.site_memory:
            _remember(prepared, sites, memory if memory is not None else SiteMemory(),
                      self.text_model_.max_chars)
        return prepared

    def predict_proba(self, X: Sequence[Sequence[str] | str | bytes], *,
                      sites: Sequence[Any] | None = None, extra: Sequence[Any] | None = None,
                      memory: SiteMemory | None = None) -> list[np.ndarray]:
        """Per page, an array (lines x labels) of calibrated probabilities; blank lines are
        rows of NaN so rows stay aligned with the input lines.

        ``sites`` (one per page: URL or group name) turns on site memory for a model that
        has it, pages remembered in order (a fresh memory unless ``memory`` is given);
        ``extra`` gives the per-line extra columns a model fitted with them needs.
        """
        prepared = self._prepare_all(X, sites, extra, memory)
        out = []
        for prep, probs in zip(prepared, self._predict_prepared(prepared)):
            full = np.full((prep.n_total, len(LABELS)), np.nan)
            full[prep.positions] = probs
            out.append(full)
        return out

    def predict(self, X: Sequence[Sequence[str] | str | bytes], **kwargs: Any) -> list[list[str | None]]:
        """Per page, the label of every line (``None`` for blank lines); keyword arguments
        as for :meth:`predict_proba`."""
        return [[None if row[0] != row[0] else LABELS[int(np.argmax(row))] for row in probs]
                for probs in self.predict_proba(X, **kwargs)]

    @staticmethod
    def _records(prep: _Prepared, probs: np.ndarray) -> list[LineLabel | None]:
        return PageLabels(prep.positions, prep.n_total, probs).records()

    def label(self, lines: Sequence[str], *, extra: Any = None) -> list[LineLabel | None]:
        """Label a page given as lines; one entry per line, ``None`` for blank lines.
        ``extra``: the per-line extra columns, for a model fitted with them."""
        prep = _prepare(list(lines), extra)
        return self._records(prep, self._predict_prepared([prep])[0])

    def label_text(self, text: str | bytes) -> list[LineLabel | None]:
        """Label a page given as text (or bytes, decoded as UTF-8 with replacement).
        An HTML document is refused (:class:`~classifier.arguments.HtmlInputError`, a
        ``ValueError``): use :meth:`label_html` or :func:`classifier.extract` for it."""
        check_page(text)
        prep = _prepare(text)
        return self._records(prep, self._predict_prepared([prep])[0])

    def clean(self, text: str | bytes | HtmlLines, keep: str | Iterable[str] = ("body",)) -> str:
        """The page's text with only the kept lines; a run of dropped or blank lines between
        kept lines becomes one blank line, so paragraphs stay paragraphs. ``keep``: label
        names, or one name (``"body"``) or a comma-separated list as a string. Given an HTML
        page's :func:`~classifier.html.extract`, the HTML model labels it and its block
        paragraphs are kept apart by blank lines too; raw HTML is refused as in
        :meth:`label_text`."""
        keep = set(keep_set(keep))
        if isinstance(text, HtmlLines):
            model = self.html_model()
            prep = _prepare(text)
            labels = model._records(prep, model._predict_prepared([prep])[0])
            return "\n".join(keep_lines(text.lines, labels, keep, text.paragraph_starts))
        check_page(text)
        lines = split_lines(decode(text).text)
        return "\n".join(keep_lines(lines, self.label(lines), keep))

    def explain(self, page: Any, *, top: int = 3) -> list:
        """Per line of ``page`` (as :meth:`label_text` takes it, or lines), its label,
        probability and the ``top`` cues that moved it most, as
        :class:`~classifier.explain.LineExplanation` records (``None`` for blank lines).
        Read exactly off the combiner's linear final pass: see :mod:`classifier.explain`."""
        from .explain import explain_page

        return explain_page(self, page, top=top)

    def html_model(self) -> "LineClassifier":
        """The model that labels HTML pages: this one when it reads DOM cues, else the shipped
        HTML model (``models/html``), else, when none is installed, this one on the page's
        text alone (with a warning)."""
        if tuple(getattr(self, "extra_names_", ())) == DOM_NAMES:
            return self
        path = bundle.default_path("html")
        if (path / bundle.MANIFEST).is_file():
            return _load_default(str(path)).with_guide_marks(self.guide_marks)
        _warn_no_html_model(str(path))
        return self

    def with_guide_marks(self, on: bool) -> "LineClassifier":
        """This model with the guide rules (:attr:`guide_marks`) on or off: itself when it
        already is, else a shallow copy, so a model others share (the cached default, the
        HTML model) keeps its setting; the copy shares the arrays and the text models."""
        if self.guide_marks == on:
            return self
        own = copy.copy(self)
        own.guide_marks = on
        return own

    def label_html(self, html: str | bytes) -> "HtmlLabels":
        """Label an HTML page: its visible text as lines (a line break at every block
        element; scripts, styles and hidden elements dropped, see :mod:`classifier.html`),
        each with its label from the HTML model, which also reads the line's DOM cues."""
        page = extract(html)
        model = self.html_model()
        prep = _prepare(page)
        return HtmlLabels(page.lines, page.paths, model._records(prep, model._predict_prepared([prep])[0]))

    def label_pages(self, pages: Iterable[tuple[Any, Any] | tuple[Any, Any, Any]], *,
                    batch_lines: int = settings.DEFAULT_BATCH_LINES, jobs: int | str = 1,
                    site_memory: bool | SiteMemory = False, errors: str = "raise"
                    ) -> Iterator[tuple[Any, "list[LineLabel | None] | isolation.PageFailure"]]:
        """Label a stream of ``(page_id, page)`` pairs, yielding results in input order.

        Pages are gathered into batches of about ``batch_lines`` lines so the models are
        called once per batch; only one batch is held in memory at a time. ``jobs`` > 1
        (0: one per CPU) labels batches in that many worker processes, with the same
        results in the same order (see :mod:`classifier.parallel`); ``"auto"`` uses the
        cores that are free when the stream is big enough to gain from them
        (:mod:`classifier.jobs`).

        ``site_memory`` (True, or a :class:`~classifier.site.SiteMemory` to carry on from):
        items may be ``(page_id, page, site)`` with ``site`` a URL (its host is the site) or
        any group name, and lines a site repeated on its earlier pages in the stream count
        as such (for a model trained with site memory; see :mod:`classifier.site`).
        Memory is kept in this process, so results do not depend on ``jobs``.

        A bare string among the items, or an item of another shape, is a ``TypeError``; a
        page given as an HTML document is refused as in :meth:`label_text`.

        ``errors="report"``: a page that cannot be labelled (any exception; with ``jobs`` >
        1 also a page that kills its worker) is yielded in its place as ``(page_id,``
        :class:`~classifier.isolation.PageFailure` ``)`` and the stream goes on, the other
        pages' results unchanged (see :mod:`classifier.isolation`).
        """
        for page_id, labels in self.label_arrays(pages, batch_lines=batch_lines, jobs=jobs,
                                                 site_memory=site_memory, errors=errors):
            yield page_id, labels if isinstance(labels, isolation.PageFailure) else labels.records()

    def label_arrays(self, pages: Iterable[tuple[Any, Any] | tuple[Any, Any, Any]], *,
                     batch_lines: int = settings.DEFAULT_BATCH_LINES, jobs: int | str = 1,
                     site_memory: bool | SiteMemory = False, errors: str = "raise"
                     ) -> Iterator[tuple[Any, "PageLabels | isolation.PageFailure"]]:
        """:meth:`label_pages` with each page's labels as arrays
        (:class:`~classifier.results.PageLabels`: line positions, probabilities, best label
        ids and scores), for callers that read many lines and need no record per line (the
        CLI's writers, the datatrove step); ``labels.records()`` gives the records.
        Arguments, order and ``errors`` as for :meth:`label_pages`."""
        report = isolation.check_errors(errors)
        pages = page_items(pages)
        if site_memory is not False and site_memory is not None:
            pages = self._with_memory(pages, site_memory if isinstance(site_memory, SiteMemory)
                                      else SiteMemory(), report)
        else:
            pages = ((item[0], item[1]) for item in pages)
        jobs = parse_jobs(jobs)
        if jobs == AUTO:
            jobs, pages = self._auto_jobs(pages, report)
        if jobs != 1:
            yield from self._label_in_workers(pages, jobs, batch_lines, report)
            return
        for batch in _batches(pages, batch_lines, report):
            yield from self._label_batch(batch, report)

    def _label_in_workers(self, pages: Iterator[tuple[Any, Any]], jobs: int, batch_lines: int,
                          report: bool) -> Iterator[tuple[Any, "PageLabels | isolation.PageFailure"]]:
        """The stream labelled by ``jobs`` worker processes, each loading this model's bundle
        by path (:func:`_worker_labeller`); the pool itself knows nothing of the model, so
        :mod:`.parallel` does not import this module."""
        from .parallel import label_pages_parallel

        yield from label_pages_parallel(pages, jobs=jobs, batch_lines=batch_lines, report=report,
                                        setup=_worker_labeller, setup_args=self.worker_args())

    def worker_args(self) -> tuple[str, dict[str, str], bool, bool]:
        """What a worker process needs to load this very model (:func:`worker_model`): its
        bundle's path and manifest, whether pickle was trusted, the guide-rule setting."""
        self._check_fitted()
        path = getattr(self, "path_", None)
        if path is None:
            raise ValueError("jobs > 1 needs a classifier loaded from a bundle: save() it and "
                             "load() it, or use jobs=1")
        return (str(Path(path)), dict(self.manifest_["files"]),
                bool(getattr(self, "trust_pickle_", False)), self.guide_marks)

    def _auto_jobs(self, pages: Iterator[tuple[Any, Any]],
                   report: bool = False) -> tuple[int, Iterator[tuple[Any, Any]]]:
        """``jobs="auto"``: the stream's head read (and prepared: it is labelled from that
        form either way) until it holds enough lines for every usable core, then
        :func:`~classifier.jobs.auto_jobs` decides; the stream goes on unchanged."""
        enough = usable_cores() * MIN_LINES_PER_WORKER
        head = next(_batches(pages, enough, report), [])
        size = sum(_size(prep) for _, prep in head)
        return auto_jobs(size, exhausted=size < enough), chain(head, pages)

    def _with_memory(self, pages: Iterable[tuple], memory: SiteMemory,
                     report: bool = False) -> Iterator[tuple[Any, _Prepared]]:
        for item in pages:
            if report:  # a page that fails here is not remembered either
                yield item[0], isolation.prepare(lambda page: self._remembered(page, item, memory), item[1])
            else:
                yield item[0], self._remembered(item[1], item, memory)

    def _remembered(self, page: Any, item: tuple, memory: SiteMemory) -> _Prepared:
        prep = _prepare(page)
        if self.site_memory:
            _remember([prep], [item[2] if len(item) > 2 else None], memory, self.text_model_.max_chars)
        return prep

    def _label_batch(self, batch: list[tuple[Any, Any]], report: bool = False
                     ) -> Iterator[tuple[Any, "PageLabels | isolation.PageFailure"]]:
        """A batch of prepared pages labelled in this process, the way a worker labels its
        chunk, so both paths give the same labels."""
        results = self._label_chunk([prep for _, prep in batch], report)
        for (page_id, _), result in zip(batch, results):
            yield page_id, page_labels(result, report)

    def _label_chunk(self, pages: list[Any], report: bool = False
                     ) -> "list[tuple[np.ndarray, int, np.ndarray] | isolation.PageFailure]":
        """Per page, the positions of its non-blank lines, its line count and their
        probabilities: only arrays, so little crosses back from a worker (:mod:`.parallel`).
        With ``report``, a page that fails (here or before) is a
        :class:`~classifier.isolation.PageFailure` in its place and the others are labelled
        as if it were not there."""
        preps = [_prepare_page(page, report) for page in pages]
        probs = (isolation.predict_each(self._predict_prepared, preps) if report
                 else self._predict_prepared(preps))
        return [p if isinstance(p, isolation.PageFailure) else (prep.positions, prep.n_total, p)
                for prep, p in zip(preps, probs)]

    # -- persistence ----------------------------------------------------------------

    def save(self, directory: str | os.PathLike[str], *, info: dict[str, Any] | None = None) -> Path:
        """Write the bundle: fastText file, the combiner as arrays (``combiner.npz``) and
        numbers (``combiner.json``), manifest with hashes. Nothing written is a pickle, so
        loading the bundle runs no code from it; a pickled combiner left in ``directory``
        by an older linesift is removed so the manifest never pins it."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.text_model_.save(directory / bundle.TEXT_MODEL_FILE)
        for stale in headline.KINDS.values():  # a retrain into a directory that held the other kind
            (directory / stale).unlink(missing_ok=True)
        if self.headline_scorer:
            target = directory / headline.KINDS[headline.kind_of(self.headline_model_)]
            if isinstance(self.headline_model_, TextModel):
                self.headline_model_.save(target)
            else:
                target.write_bytes(self.headline_model_.to_bytes())
        arrays, meta = self.combiner_.to_files()
        (directory / bundle.COMBINER_ARRAYS).write_bytes(arrays)
        (directory / bundle.COMBINER_META).write_bytes(meta)
        (directory / bundle.LEGACY_COMBINER).unlink(missing_ok=True)
        manifest = {
            "name": "linesift",
            "labels": list(LABELS),
            "feature_version": settings.FEATURE_VERSION,
            "feature_names": list(self.feature_names_),
            "site_memory": bool(self.site_memory),
            "topic_cues": bool(self.topic_cues),
            "discourse_cues": bool(self.discourse_cues),
            "headline_scorer": bool(self.headline_scorer),
            "lead_cues": bool(self.combiner_.lead),
            "direction_cues": bool(self.combiner_.direction),
            **({"sequence": {k: getattr(self.combiner_.sequence, k) for k in ("alpha", "power", "mix")}}
               if self.combiner_.sequence is not None else {}),
            **({"headline_scope": self.headline_scope_, "headline_kind": headline.kind_of(self.headline_model_)}
               if self.headline_scorer else {}),
            "extra_names": list(getattr(self, "extra_names_", ())),
            "settings": {
                "max_feature_chars": settings.MAX_FEATURE_CHARS,
                "max_text_model_chars": self.text_model_.max_chars,
                "context_offsets": list(settings.CONTEXT_OFFSETS),
                "smoothing_windows": list(settings.SMOOTHING_WINDOWS),
                "text_model": dict(settings.TEXT_MODEL_PARAMS, **(self.text_params or {})),
                "combiner": dict(settings.COMBINER_PARAMS, **(self.combiner_params or {})),
                **({"headline_model": dict(headline.NGRAM_PARAMS if headline.kind_of(self.headline_model_) == "ngram"
                                           else headline.HEADLINE_PARAMS, **(self.headline_params or {}))}
                   if self.headline_scorer else {}),
                "quantized": self.quantize,
            },
            "stopwords_sha256": resources_digest(),
            "libraries": _library_versions(),
            **(info or {}),
        }
        bundle.write_manifest(directory, manifest)
        return directory

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None, *,
             trust_pickle: bool = False) -> "LineClassifier":
        """Load a bundle (the shipped default when ``directory`` is None).

        Every file's SHA-256 is checked against the manifest, and each file is loaded from
        the very bytes that were hashed; nothing in a bundle is executed (the combiner is
        arrays read with ``allow_pickle=False``, the fastText file is checked before
        fastText reads it). A bundle from an older linesift holds a pickled combiner, and
        unpickling runs code: it is refused unless ``trust_pickle=True`` (then loaded with
        a warning; re-save it with ``save()`` to convert it). The default bundle is loaded
        once per process and shared.
        """
        if directory is None:
            return _load_default(str(bundle.default_path()))
        return cls._load(Path(directory), trust_pickle=trust_pickle)

    @classmethod
    def _load(cls, directory: Path, trust_pickle: bool = False) -> "LineClassifier":
        manifest = bundle.read_manifest(directory)
        bundle.verify(directory, manifest, read_later=(bundle.TEXT_MODEL_FILE, bundle.COMBINER_ARRAYS,
                                                       bundle.COMBINER_META, bundle.LEGACY_COMBINER))
        if manifest.get("feature_version") != settings.FEATURE_VERSION:
            raise bundle.BundleError(
                f"{directory} was trained with feature version {manifest.get('feature_version')}, "
                f"this linesift computes version {settings.FEATURE_VERSION}: retrain or upgrade")
        if tuple(manifest.get("labels", ())) != LABELS:
            raise bundle.BundleError(f"{directory} has labels {manifest.get('labels')}, expected {LABELS}")
        pickled = bundle.is_pickled(manifest)
        if pickled and not trust_pickle:
            raise bundle.BundleError(
                f"{directory} holds a pickled combiner ({bundle.LEGACY_COMBINER}, written by an "
                "older linesift): loading it would run any code the file holds. If you trust "
                "where it came from, load it with trust_pickle=True (--trust-pickle) and "
                "save() it again to convert it to the pickle-free format")
        self = cls(site_memory=bool(manifest.get("site_memory", False)),
                   topic_cues=bool(manifest.get("topic_cues", False)),
                   discourse_cues=bool(manifest.get("discourse_cues", False)),
                   headline_scorer=bool(manifest.get("headline_scorer", False)))
        self.extra_names_ = tuple(manifest.get("extra_names", ()))
        trained_on = manifest.get("settings", {}).get("max_text_model_chars", settings.MAX_TEXT_MODEL_CHARS)
        # every file is loaded from the very bytes whose hash was checked, never re-opened
        self.text_model_ = _load_text_model(directory, manifest, trained_on)
        if self.headline_scorer:
            self.headline_scope_ = manifest.get("headline_scope", 1)  # bundles before scopes: 1
            if self.headline_scope_ not in headline.SCOPES:
                raise bundle.BundleError(f"{directory} reads headlines in scope {self.headline_scope_!r}; "
                                         f"this linesift knows scopes {sorted(headline.SCOPES)}: upgrade")
            kind = manifest.get("headline_kind", "fasttext")  # bundles before kinds: fastText
            if kind not in headline.KINDS:
                raise bundle.BundleError(f"{directory} has a headline scorer of kind {kind!r}; "
                                         f"this linesift knows {sorted(headline.KINDS)}: upgrade")
            name = headline.KINDS[kind]
            if name not in manifest["files"]:
                raise bundle.BundleError(f"{directory} uses a headline scorer but its manifest does not pin {name}")
            head_bytes = bundle.read_verified(directory, manifest, name)
            try:
                self.headline_model_ = (NgramScorer.from_bytes(head_bytes) if kind == "ngram" else
                                        TextModel.from_bytes(head_bytes, str(directory / name),
                                                             labels=headline.HEADLINE_LABELS))
            except (TextModelError, ValueError) as exc:
                raise bundle.BundleError(f"cannot load {directory / name}: {exc}") from exc
            self.headline_kind = self.headline_kind_ = kind
        if pickled:
            self.combiner_ = _unpickle_combiner(directory, manifest)
        else:
            arrays = bundle.read_verified(directory, manifest, bundle.COMBINER_ARRAYS)
            meta = bundle.read_verified(directory, manifest, bundle.COMBINER_META)
            try:
                self.combiner_ = TwoPassCombiner.from_files(arrays, meta)
            except ValueError as exc:  # verified, yet not a combiner this code can read
                raise bundle.BundleError(f"cannot load {directory / bundle.COMBINER_ARRAYS}: {exc}") from exc
        self.lead_cues = bool(getattr(self.combiner_, "lead", False))
        self.direction_cues = bool(getattr(self.combiner_, "direction", False))
        sequence = getattr(self.combiner_, "sequence", None)
        self.sequence_params = ({k: getattr(sequence, k) for k in ("alpha", "power", "mix")}
                                if sequence is not None else None)
        self.manifest_ = manifest
        self.path_ = directory
        self.trust_pickle_ = pickled  # workers (jobs > 1) load it again, as trusted as here
        self._resources()
        return self


def _load_text_model(directory: Path, manifest: dict, max_chars: int) -> TextModel:
    """The bundle's fastText model, from a sealed private copy of its verified file where the
    system has one, else from its verified bytes."""
    name = str(directory / bundle.TEXT_MODEL_FILE)
    fd = bundle.sealed_verified_copy(directory, manifest, bundle.TEXT_MODEL_FILE)
    try:
        if fd is not None:
            return TextModel.from_sealed_fd(fd, name, max_chars=max_chars)
        return TextModel.from_bytes(bundle.read_verified(directory, manifest, bundle.TEXT_MODEL_FILE),
                                    name, max_chars=max_chars)
    except TextModelError as exc:
        raise bundle.BundleError(str(exc)) from exc
    finally:
        if fd is not None:
            os.close(fd)


@dataclass(frozen=True)
class HtmlLabels:
    """An HTML page as labelled lines: ``lines[i]`` (the text), ``paths[i]`` (the DOM path of
    the element it came from) and ``labels[i]`` belong together; iterate for triples."""

    lines: list[str]
    paths: list[str]
    labels: list[LineLabel | None]

    def __iter__(self) -> Iterator[tuple[str, str, LineLabel | None]]:
        return iter(zip(self.lines, self.paths, self.labels))

    def __len__(self) -> int:
        return len(self.lines)


def _unpickle_combiner(directory: Path, manifest: dict[str, Any]) -> TwoPassCombiner:
    """An old bundle's pickled combiner, loaded because the caller said it trusts it."""
    import joblib

    message = (f"loading the pickled combiner of {directory} ({bundle.LEGACY_COMBINER}): "
               "unpickling runs any code the file holds; re-save the bundle to convert it")
    warnings.warn(message, UserWarning, stacklevel=4)
    data = bundle.read_verified(directory, manifest, bundle.LEGACY_COMBINER)
    try:
        return TwoPassCombiner.from_dict(joblib.load(io.BytesIO(data)))
    except Exception as exc:  # a verified file that still fails is a version mismatch
        raise bundle.BundleError(f"cannot load {directory / bundle.LEGACY_COMBINER}: {exc}") from exc


@lru_cache(maxsize=1)
def _warn_no_html_model(path: str) -> None:
    log.warning("no HTML model at %s: HTML pages are labelled by the text model on their "
                 "lines alone", path)


def _batches(pages: Iterable[tuple[Any, Any]], lines: int,
             report: bool = False) -> Iterator[list[tuple[Any, Any]]]:
    """The pages prepared, in order, in lists of at least ``lines`` non-blank lines (the
    last list: what is left); a page is read only when the list it goes into is wanted.
    With ``report`` a page that cannot be prepared is its failure, of no lines."""
    batch: list[tuple[Any, Any]] = []
    size = 0
    for page_id, page in pages:
        prep = _prepare_page(page, report)
        batch.append((page_id, prep))
        size += _size(prep)
        if size >= lines:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _prepare_page(page: Any, report: bool) -> "_Prepared | isolation.PageFailure":
    """:func:`_prepare`; with ``report``, the failure it raised instead (see :mod:`.isolation`)."""
    return isolation.prepare(_prepare, page) if report else _prepare(page)


def _size(prep: "_Prepared | isolation.PageFailure") -> int:
    """Non-blank lines of a prepared page (a failed one has none)."""
    return len(getattr(prep, "lines", ()))


def worker_model(path: str, files: dict[str, str], trust_pickle: bool = False,
                 guide_marks: bool = True) -> "LineClassifier":
    """In a worker process: the bundle at ``path`` loaded, checked against the caller's
    manifest ``files`` (the bundle must not have changed since the caller loaded it).
    ``trust_pickle`` is what the caller's own load allowed, ``guide_marks`` the caller's
    setting; the caller has given any load warning once already."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LineClassifier.load(path, trust_pickle=trust_pickle)
    model.guide_marks = guide_marks
    if model.manifest_.get("files") != files:
        raise bundle.BundleError(f"{path} changed after it was loaded: its files no longer match")
    return model


def _worker_labeller(path: str, files: dict[str, str], trust_pickle: bool = False,
                     guide_marks: bool = True) -> "Callable[[list[Any], bool], list]":
    """In a worker process (:mod:`.parallel`): the function that labels a chunk of prepared
    pages with :func:`worker_model`. Handed to the pool by reference, so the pool needs no
    import of this module."""
    model = worker_model(path, files, trust_pickle, guide_marks)
    return lambda pages, report: model._label_chunk(pages, report)


def _checked_kind(kind: Any) -> str:
    """A headline scorer kind, refused before any training when it is not one this code has."""
    if kind not in headline.KINDS:
        raise ValueError(f"headline_kind must be one of {sorted(headline.KINDS)}, not {kind!r}")
    return kind


def _spans(sizes: Sequence[int]) -> list[tuple[int, int]]:
    ends = np.cumsum(sizes).tolist()
    return [(end - n, end) for n, end in zip(sizes, ends)]


@lru_cache(maxsize=4)
def _load_default(path: str) -> LineClassifier:
    return LineClassifier._load(Path(path))


def keep_lines(lines: Sequence[str], labels: Sequence[LineLabel | None] | PageLabels,
               keep: set[str], paragraph_starts: Sequence[bool] | None = None,
               min_score: float = 0.0) -> list[str]:
    """Kept lines in order (of a label in ``keep``, scored at least ``min_score``). Blank
    lines between kept lines collapse to one blank line, so paragraphs stay paragraphs;
    dropped lines leave no trace, so a caption removed from inside a paragraph does not
    split it. ``paragraph_starts`` (HTML pages, whose lines hold no blank line:
    :attr:`~classifier.html.HtmlLines.paragraph_starts`) marks the lines that open a
    paragraph, as a blank line before them would."""
    if isinstance(labels, PageLabels):
        return _keep_rows(lines, labels, keep, paragraph_starts, min_score)
    out: list[str] = []
    gap = False
    starts = paragraph_starts if paragraph_starts is not None else repeat(False)
    for line, lab, start in zip(lines, labels, starts):
        if start:
            gap = True
        if lab is None:
            gap = True
        elif lab.label in keep and lab.score >= min_score:
            if gap and out:
                out.append("")
            out.append(line)
            gap = False
    return out


def _keep_rows(lines: Sequence[str], labels: PageLabels, keep: set[str],
               paragraph_starts: Sequence[bool] | None, min_score: float) -> list[str]:
    """:func:`keep_lines` read off the arrays, with no record per line: a blank line goes
    between two kept lines when a blank line lies between them (the lines before a kept line
    less the non-blank ones before it) or a paragraph starts after the first, up to the
    second."""
    kept = labels.kept_rows(keep, min_score)
    if not len(kept):
        return []
    pos = labels.positions[kept]
    blanks_before = pos - kept
    gap = blanks_before[1:] > blanks_before[:-1]
    if paragraph_starts is not None:
        opened = np.cumsum(np.asarray(paragraph_starts, dtype=np.int64))
        gap |= opened[pos[1:]] > opened[pos[:-1]]
    texts = list(map(lines.__getitem__, pos.tolist()))
    out = [texts[0]]
    for text, blank in zip(texts[1:], gap.tolist()):
        if blank:
            out.append("")
        out.append(text)
    return out


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for dist in ("scikit-learn", "numpy", "fasttext-community", "joblib", "justext"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "not installed"
    return out
