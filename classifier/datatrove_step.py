"""linesift as a datatrove pipeline step (``pip install linesift[datatrove]``).

Crawl-cleaning pipelines at pre-training scale already run on datatrove, with its readers,
writers, sharding, counters and local / Slurm / Ray executors; this step lets them label
lines with linesift instead of linesift growing an engine of its own::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from classifier.datatrove_step import LineSiftStep

    LocalPipelineExecutor(pipeline=[JsonlReader("crawl/"), LineSiftStep(keep={"body"}),
                                    JsonlWriter("clean/")], tasks=8, workers=4).run()

Only this module imports datatrove, so ``import classifier`` works without it.

Two modes:

* ``keep={...}`` rewrites each document's text to the kept lines, exactly as
  :meth:`LineClassifier.clean` would, and records per-label line counts and why dropped lines
  were dropped in ``doc.metadata["linesift"]``; a document left with no kept line is dropped
  (``drop_empty=True``, the default) or passed on with empty text.
* ``keep=None`` (annotate) leaves the text alone and writes per-line labels and scores to the
  metadata, aligned with :func:`classifier.page.split_lines` of the text.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

from . import settings
from .arguments import keep_set
from .model import LABELS, LineClassifier, LineLabel, keep_lines
from .results import PageLabels
from .page import decode, split_lines
from .summary import SCORE_DIGITS, keep_summary, label_counts

METADATA_KEY = "linesift"
"""``doc.metadata`` key of the per-document summary (line counts, kept, dropped)."""
LABELS_KEY = "linesift_labels"
"""``doc.metadata`` key of the per-line labels in annotate mode (``None`` for blank lines)."""
SCORES_KEY = "linesift_scores"
"""``doc.metadata`` key of the per-line scores in annotate mode (``None`` for blank lines)."""
EMPTY_REASON = "linesift_no_kept_lines"
"""``filter_reason`` written on documents dropped because no line was kept."""


# -- pure helpers ----------------------------------------------------------------------

def annotations(labels: Sequence[LineLabel | None] | PageLabels) -> tuple[list[str | None], list[float | None]]:
    """Per-line labels and scores, one entry per line of the text (``None`` for blank
    lines), as plain lists so every writer (JSONL, Parquet) can store them."""
    if isinstance(labels, PageLabels):  # from the arrays, no record per line
        names: list[str | None] = [None] * labels.n_lines
        scores: list[float | None] = [None] * labels.n_lines
        positions = labels.positions.tolist()
        for pos, name, score in zip(positions, labels.labels(), labels.scores.tolist()):
            names[pos] = name
            scores[pos] = round(score, SCORE_DIGITS)
        return names, scores
    return ([None if lab is None else lab.label for lab in labels],
            [None if lab is None else round(lab.score, SCORE_DIGITS) for lab in labels])


def kept_text(text: str, labels: Sequence[LineLabel | None], keep: Collection[str]) -> str:
    """The text :meth:`LineClassifier.clean` returns for these labels: same decoding, same
    line splitting, same paragraph rule (:func:`classifier.model.keep_lines`)."""
    return "\n".join(keep_lines(split_lines(decode(text).text), labels, set(keep)))


def supports_site_memory() -> bool:
    """Whether this linesift's ``label_pages`` takes ``site_memory=`` (and so
    ``(id, text, site)`` items)."""
    return "site_memory" in inspect.signature(LineClassifier.label_pages).parameters


@lru_cache(maxsize=4)
def _load(model: str | None) -> LineClassifier:
    """One loaded model per worker process and bundle: the step object is pickled afresh
    for every task, so the model must live here, not on the step."""
    return LineClassifier.load(model)


# -- the step --------------------------------------------------------------------------

class LineSiftStep(PipelineStep):
    """Label every line of each document with linesift; keep chosen labels or annotate.

    Args:
        keep: labels to keep in ``doc.text`` (e.g. ``{"body"}``); ``None`` to annotate only.
        model: local path of a model bundle, visible to every worker; ``None`` for the
            shipped model. Loaded once per worker process, on first use, never pickled
            with the step.
        drop_empty: in keep mode, drop documents left with no kept line (counted as
            ``dropped`` and ``dropped_linesift_no_kept_lines``); ``False`` passes them on
            with empty text.
        batch_lines: lines gathered across documents per model call (``label_pages``).
        site_key: a ``doc.metadata`` field (e.g. ``"url"``) naming each document's site,
            passed to ``label_pages`` with ``site_memory=True`` so lines a site repeats on
            every page count as boilerplate evidence. Needs a linesift with site memory.
            The memory lives for one task's stream, so shard inputs by site for it to see
            many pages of each site.
        exclusion_writer: optional writer for documents dropped in keep mode.
        guide_marks: apply the rules the guide states outright after the model
            (:mod:`classifier.rules`, each named there); ``False`` labels with the model
            alone.
    """

    name = "✂️ linesift"
    type = "✂️ - FORMAT"
    _requires_dependencies: ClassVar[list] = [("fasttext", "fasttext-community")]

    def __init__(self, keep: Iterable[str] | None = None, *, model: str | os.PathLike[str] | None = None,
                 drop_empty: bool = True, batch_lines: int = settings.DEFAULT_BATCH_LINES,
                 site_key: str | None = None, exclusion_writer: DiskWriter | None = None,
                 guide_marks: bool = True):
        super().__init__()
        if keep is not None:
            # a sorted tuple: deterministic, and written to executor.json as a plain list
            # one name, a comma-separated string or names, exactly as clf.clean takes it
            keep = tuple(sorted(keep_set(keep)))
            if not keep:
                raise ValueError(f"keep must name labels from {', '.join(LABELS)}; got none")
        # a plain, absolute string: the step is pickled to workers (maybe on other hosts,
        # with another working directory) and written to executor.json
        self.model = None if model is None else str(Path(model).resolve())
        self.keep = keep
        self.drop_empty = drop_empty
        self.batch_lines = batch_lines
        # ---- site memory hook -------------------------------------------------------
        # label_pages((id, text, site) ..., site_memory=True) is being added to the model;
        # until it lands, refuse the option here rather than fail inside every worker.
        if site_key is not None and not supports_site_memory():
            raise ValueError(
                f"site_key={site_key!r} needs LineClassifier.label_pages(..., site_memory=True), "
                "which this version of linesift does not have; upgrade linesift or drop site_key")
        self.site_key = site_key
        # -----------------------------------------------------------------------------
        self.exclusion_writer = exclusion_writer
        self.guide_marks = guide_marks

    @property
    def classifier(self) -> LineClassifier:
        """The model, loaded on first use in this process and shared by later tasks."""
        clf = _load(self.model)
        return clf if getattr(self, "guide_marks", True) else clf.with_guide_marks(False)

    def _items(self, docs: Iterable[Document], pending: deque[Document],
               upstream: list[float]) -> Iterator[tuple]:
        """Feed ``label_pages``: each document goes into ``pending`` as its text goes out, so
        results (yielded in input order) pair with documents by position; only the batch
        being labelled is held. Time spent waiting on upstream steps is added to
        ``upstream[0]`` so it can be left out of this step's timing."""
        it = iter(docs)
        while True:
            start = time.perf_counter()
            try:
                doc = next(it)
            except StopIteration:
                return
            finally:
                upstream[0] += time.perf_counter() - start
            pending.append(doc)
            if self.site_key is None:
                yield doc.id, doc.text
            else:  # site memory hook: the site travels with the page
                yield doc.id, doc.text, doc.metadata.get(self.site_key)

    def _labelled(self, data: DocumentsPipeline) -> Iterator[tuple[Document, list[LineLabel | None]]]:
        """``(document, labels)`` in input order, with labelling time (not upstream time)
        recorded in this step's time stats."""
        pending: deque[Document] = deque()
        upstream = [0.0]
        kwargs: dict[str, Any] = {"batch_lines": self.batch_lines}
        if self.site_key is not None:
            kwargs["site_memory"] = True
        labeller = self.classifier
        # the array path (issue 18) where this linesift has it: no record per line
        label = getattr(labeller, "label_arrays", labeller.label_pages)
        results = label(self._items(data, pending, upstream), **kwargs)
        while True:
            upstream[0] = 0.0
            start = time.perf_counter()
            try:
                page_id, labels = next(results)
            except StopIteration:
                return
            self.stats.time_stats.update(max(0.0, time.perf_counter() - start - upstream[0]))
            doc = pending.popleft()
            if page_id != doc.id:  # label_pages broke its order contract: never mislabel
                raise RuntimeError(f"linesift returned page {page_id!r} where {doc.id!r} was expected")
            yield doc, labels

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data is None:
            return
        with self.exclusion_writer if self.exclusion_writer else contextlib.nullcontext() as writer:
            for doc, labels in self._labelled(data):
                self.stat_update(StatHints.total)
                if self.keep is None:
                    self._annotate(doc, labels)
                elif not self._keep(doc, labels):
                    self.stat_update(StatHints.dropped, f"dropped_{EMPTY_REASON}")
                    if writer is not None:
                        doc.metadata["filter_reason"] = EMPTY_REASON
                        writer.write(doc, rank)
                    continue
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc

    def _annotate(self, doc: Document, labels: list[LineLabel | None]) -> None:
        counts = label_counts(labels)
        doc.metadata[LABELS_KEY], doc.metadata[SCORES_KEY] = annotations(labels)
        doc.metadata[METADATA_KEY] = {"lines": counts}
        for label, n in counts.items():
            self.stat_update(f"lines_{label}", value=n)

    def _keep(self, doc: Document, labels: list[LineLabel | None]) -> bool:
        """Rewrite the text to the kept lines; ``False`` when the document should go. A
        document that goes keeps its text as it came, so the exclusion writer saves what
        was dropped, for anyone auditing the filter (its labels are in the metadata)."""
        summary = keep_summary(labels, self.keep)
        doc.metadata[METADATA_KEY] = summary
        for label, n in summary["lines"].items():
            self.stat_update(f"lines_{'kept' if label in self.keep else 'dropped'}_{label}", value=n)
        if not summary["kept"] and self.drop_empty:
            return False
        doc.text = kept_text(doc.text, labels, self.keep)
        return True
