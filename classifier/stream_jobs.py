"""``linesift label --input jsonl --jobs N``: a JSONL stream labelled end to end in worker
processes, each record parsed, labelled and formatted where it is labelled.

Why a path of its own: when workers only label (:func:`~classifier.model.LineClassifier.label_arrays`
with ``jobs``), the parent still parses every record, sends its lines to a worker, builds
the labels that come back and formats every output line, one process for all the workers:
4.4-4.9 s of CPU on a 50 MB file, a ceiling on what more workers could give. Here the
parent only reads the raw lines of the input (gunzipped) and writes the text that comes
back (1.1 s on that file; on two cores the total work, not the parent, sets the pace, so
the wall time there barely moved): a worker gets the raw records of a chunk, parses them
(:func:`~classifier.io.parse_record`), labels the chunk's pages in one batch and formats
each with the same :class:`~classifier.io.Writer` code the one-process path uses. The
output is byte for byte that of ``--jobs 1``, notes and errors included, in input order.

It serves inputs whose output depends on each record alone: no site memory (which reads
the stream in order), no ``--format html`` and no ``--output-dir`` (one document, or files
named against each other). The CLI keeps the one-process path for those.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from itertools import count
from typing import Any, Callable, Iterable, Iterator, Sequence

from .io import (Page, Problem, Writer, bounded_lines, first_of_kind, parse_record, read_each,
                 too_large)
from .isolation import PageFailure
from .jobs import AUTO, MIN_LINES_PER_WORKER, auto_jobs, usable_cores
from .model import LineClassifier, worker_model

CHUNK_BYTES = 512 * 1024
"""Raw JSONL handed to a worker at a time: about 7,000 lines of page text, so a chunk
costs a worker a tenth of a second or so (the pool's own cost per chunk is negligible
beside it) and the two chunks in flight per worker hold about a megabyte."""

RawRecord = tuple[str, int, "bytes | None"]
"""``(file name, line number, raw line)``; the raw line is ``None`` when it was longer
than ``max_bytes`` (skipped unread)."""


@dataclass(frozen=True)
class StreamOptions:
    """How records are read and pages written: the CLI's options, sent to each worker."""

    fmt: str
    keep: tuple[str, ...]
    text_key: str = "text"
    id_key: str = "id"
    max_bytes: int | None = None
    dom_path: bool = False
    probs: bool = False
    min_score: float = 0.0


@dataclass(frozen=True, slots=True)
class RecordOutput:
    """One input record done: its notes and errors in order (for stderr), its formatted
    output ("" if none) and how many pages it made (0 or 1)."""

    notes: tuple[Problem, ...]
    text: str
    pages: int


def handles(fmt: str, site_memory: bool, output_dir: bool) -> bool:
    """Whether a run with these options can go through this path (see the module's docstring)."""
    return fmt != "html" and not site_memory and not output_dir


def label_stream(model: LineClassifier, paths: Sequence[str], options: StreamOptions,
                 jobs: int | str) -> Iterator[RecordOutput]:
    """Every non-blank record of the JSONL inputs ``paths``, labelled by ``jobs`` worker
    processes (``"auto"``: :func:`~classifier.jobs.auto_jobs` decides from the stream's
    head; with one, in this process by the same code), in input order. Notes that an
    input file gets once (invalid bytes replaced) come once, as the one-process reader
    gives them."""
    # an item's id: the input it came from (an input given twice is read twice, each time
    # with its own once-per-file notes) and the item itself (to name a record that killed
    # every worker it met)
    items: Iterator[tuple[Any, RawRecord | Problem]] = (
        ((index, item), item) for index, item in _raw_records(paths, options.max_bytes))
    if jobs == AUTO:
        jobs, items = _decide(items)
    from .parallel import chunks_of, map_in_workers  # imported when used: the pool's are heavy

    if jobs == 1:
        handle = functools.partial(_handle, model, _writer(options), options)
        results: Iterable[tuple[Any, RecordOutput | PageFailure]] = (
            result for ids, chunk in chunks_of(items, CHUNK_BYTES, _raw_size)
            for result in zip(ids, handle(chunk, True)))
    else:
        results = map_in_workers(items, jobs=int(jobs), chunk_size=CHUNK_BYTES, size_of=_raw_size,
                                 setup=_worker_setup, setup_args=(model.worker_args(), options),
                                 report=True)
    given: dict[int, set[str]] = {}  # per input read, the kinds of once-per-file notes given
    for (index, item), output in results:
        if isinstance(output, PageFailure):  # a record that killed every worker it met
            output = _failed(item, output, options)
        notes = tuple(first_of_kind(output.notes, given.setdefault(index, set())))
        yield RecordOutput(notes, output.text, output.pages)


def _failed(item: RawRecord | Problem, failure: PageFailure, options: StreamOptions) -> RecordOutput:
    """An item whose worker died every time, as the one-process path reports it: an
    unreadable input or an over-long record by its own note; a record by the notes its
    parsing gives (parsed again here: a record alone parses without raising) and, if it
    makes a page, that page named as not labelled."""
    if isinstance(item, Problem):
        return RecordOutput((item,), "", 0)
    name, number, raw = item
    if raw is None:
        return RecordOutput((too_large(f"{name}:{number}", options.max_bytes or 0),), "", 0)
    parsed = parse_record(name, number, raw, text_key=options.text_key, id_key=options.id_key)
    notes = tuple(p for p in parsed if isinstance(p, Problem))
    if isinstance(parsed[-1], Page):
        notes += (Problem(f"{parsed[-1].where}: not labelled: {failure.reason}"),)
    return RecordOutput(notes, "", 0)


def _raw_records(paths: Sequence[str], max_bytes: int | None) -> Iterator[tuple[int, RawRecord | Problem]]:
    """The non-blank raw lines of every input in order, each with the number of the input
    read (from 0), and the problems of inputs that cannot be read (as
    :func:`~classifier.io.read_jsonl_inputs` finds them; numbered -1: they carry no
    once-per-file note)."""
    opened = count()

    def read(name: str, stream) -> Iterator[tuple[int, RawRecord]]:
        index = next(opened)
        for number, raw in enumerate(bounded_lines(stream, max_bytes), 1):
            if raw is None or raw.strip():
                yield index, (name, number, raw)
    for item in read_each(paths, read):  # type: ignore[arg-type]
        yield item if isinstance(item, tuple) else (-1, item)


def _raw_size(item: RawRecord | Problem) -> int:
    return len(item[2] or b"") if isinstance(item, tuple) else 0


def _estimated_lines(item: RawRecord | Problem) -> int:
    """About how many lines a raw record's text holds: its escaped line ends, plus one (a
    JSON string holds no raw line end), counted without parsing it."""
    return item[2].count(b"\\n") + 1 if isinstance(item, tuple) and item[2] else 0


def _decide(items: Iterator[tuple[Any, RawRecord | Problem]]
            ) -> tuple[int, Iterator[tuple[Any, RawRecord | Problem]]]:
    """``jobs="auto"`` (:func:`~classifier.jobs.auto_jobs`) from the stream's head, read
    raw until it holds enough lines for every usable core; the stream goes on unchanged."""
    enough = usable_cores() * MIN_LINES_PER_WORKER
    head: list[tuple[Any, RawRecord | Problem]] = []
    lines = 0
    for item in items:
        head.append(item)
        lines += _estimated_lines(item[1])
        if lines >= enough:
            break
    return auto_jobs(lines, exhausted=lines < enough), _chain(head, items)


def _chain(head: list, rest: Iterator) -> Iterator:
    yield from head
    yield from rest


def _writer(options: StreamOptions) -> Writer:
    """A writer used only to format pages (:meth:`Writer.formatted`); what it writes itself
    (a TSV header) goes nowhere, the parent's writer writes that."""
    return Writer(io.StringIO(), options.fmt, options.keep, dom_path=options.dom_path,
                  probs=options.probs, min_score=options.min_score, text_key=options.text_key)


def _worker_setup(model_args: tuple, options: StreamOptions) -> Callable[[list, bool], list]:
    """In a worker: the model loaded (:func:`~classifier.model.worker_model`) and the
    function that handles a chunk of raw records with it."""
    return functools.partial(_handle, worker_model(*model_args), _writer(options), options)


def _handle(model: LineClassifier, writer: Writer, options: StreamOptions,
            items: list[RawRecord | Problem], report: bool) -> list[RecordOutput]:  # noqa: ARG001
    """A chunk's records parsed, their pages labelled in one batch and formatted: one
    :class:`RecordOutput` per item. A page the model fails on is named in its notes,
    as the one-process CLI names it."""
    outputs: list[list] = []  # per item: [notes, page or None]
    for item in items:
        if isinstance(item, Problem):
            outputs.append([[item], None])
            continue
        name, number, raw = item
        if raw is None:
            outputs.append([[too_large(f"{name}:{number}", options.max_bytes or 0)], None])
            continue
        parsed = parse_record(name, number, raw, text_key=options.text_key, id_key=options.id_key)
        page = parsed[-1] if isinstance(parsed[-1], Page) else None
        outputs.append([parsed[:-1] if page is not None else parsed, page])
    texts = [""] * len(items)
    pages = [(i, out[1]) for i, out in enumerate(outputs) if out[1] is not None]
    labelled = model.label_arrays(((i, page.payload) for i, page in pages), errors="report")
    for (i, page), (_, labels) in zip(pages, labelled):
        if isinstance(labels, PageFailure):
            outputs[i][0].append(Problem(f"{page.where}: not labelled: {labels.reason}"))
            outputs[i][1] = None
        else:
            texts[i] = writer.formatted(page, labels)
    return [RecordOutput(tuple(notes), text, int(page is not None))
            for (notes, page), text in zip(outputs, texts)]
