"""Readers and writers for the CLI: pages in, one record per line out.

Readers never raise for bad input: a file that cannot be read or a JSONL record that
cannot be parsed becomes a :class:`Problem` in the stream, in input order, so the caller
names it on stderr, labels everything else, and exits 1 at the end.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Callable, Iterable, Iterator, Optional, Sequence, TextIO

from .html import HtmlLines, extract, looks_like_html
from .model import LineLabel, keep_lines
from .page import decode, split_lines
from .results import _LABEL_NAMES, PageLabels
from .settings import LABELS
from .summary import SCORE_DIGITS, keep_summary, mean_score

if TYPE_CHECKING:  # pragma: no cover
    from . import report

STDIN = "-"
OUTPUT_FORMATS = ("jsonl", "tsv", "text", "html", "pages")
PAGE_SEPARATOR = "\f"
"""``--format text`` on stdout: a line holding only a form feed (the ASCII page break)
stands between two pages, so a reader can split the stream back into pages (a blank line
cannot: it separates paragraphs). Written only between pages, never after the last."""
GZIP_MAGIC = b"\x1f\x8b"
INPUT_FORMATS = ("text", "jsonl", "html")
TSV_HEADER = "file\tline\tlabel\tscore\ttext"
TSV_HEADER_PATH = "file\tline\tlabel\tscore\tpath\ttext"
"""With ``--dom-path``: the DOM path of an HTML line's element (empty for plain text)."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page to label: its name in the output, its lines, and its site (for site memory;
    from a JSONL field named by the caller)."""

    name: str
    lines: list[str]
    site: str | None = None
    html: HtmlLines | None = None
    """For an HTML input: its extracted lines with their DOM paths and cues."""
    record: dict | None = None
    """For a JSONL input: the whole record, for ``--format pages``."""
    origin: str | None = None
    """For a JSONL input: ``file:line`` of its record, to name it in messages."""

    @property
    def where(self) -> str:
        """The page as messages name it: its file, or its record's ``file:line`` and id."""
        if self.origin is None or self.origin == self.name:
            return self.name
        return f"{self.origin} (id {self.name})"

    @property
    def payload(self) -> list[str] | HtmlLines:
        """What the model reads: the lines, or for HTML the lines with their DOM cues."""
        return self.html if self.html is not None else self.lines


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used, or was used with a caveat (``fatal=False``)."""

    message: str
    fatal: bool = True
    once: str | None = None
    """A note given once per input file: the reader drops later ones of the same kind
    (their message says so)."""


def _stdin_bytes() -> BinaryIO:
    return sys.stdin.buffer


def looks_like_utf16(data: bytes) -> bool:
    """Whether BOM-less bytes look like UTF-16: a NUL in at least 40% of the even or of the
    odd positions of the first 4 KB (UTF-8 text has next to none). Read as UTF-8, such
    text keeps its NULs, and a final NUL after the last line end counts as a line."""
    if len(data) < 4 or data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    head = data[:4096]
    half = len(head) // 2
    return max(head[0::2].count(0), head[1::2].count(0)) >= 0.4 * half


def _page_from_bytes(name: str, data: bytes) -> Iterator[Page | Problem]:
    if looks_like_utf16(data):
        yield Problem(f"{name}: looks like UTF-16 without a byte-order mark; read as UTF-8 "
                      "(its NUL bytes kept, so lines may not match a UTF-16 reader's)", fatal=False)
    decoded = decode(data)
    if decoded.replaced:
        yield Problem(f"{name}: invalid {decoded.encoding.upper()} bytes replaced with U+FFFD",
                      fatal=False)
    yield Page(name, split_lines(decoded.text))


def _streams(paths: Sequence[str]) -> Iterator[tuple[str, BinaryIO] | Problem]:
    """Each input opened for reading (``-``: stdin), or the Problem that stopped it. A
    file stays open until the consumer asks for the next input."""
    for name in paths:
        if name == STDIN:
            yield name, _gunzipped(name, _stdin_bytes())
            continue
        path = Path(name)
        if path.is_dir():
            yield Problem(f"{name}: is a directory")
            continue
        try:
            stream = open(path, "rb")
        except OSError as exc:
            yield Problem(f"{name}: cannot read ({exc.strerror or exc})")
            continue
        with stream:
            yield name, _gunzipped(name, stream)


def _gunzipped(name: str, stream: BinaryIO) -> BinaryIO:
    """The stream decompressed when it is gzip (named ``.gz``, or starting with gzip's
    magic bytes, so stdin works too): datatrove and most crawlers write ``.jsonl.gz``."""
    if not hasattr(stream, "peek"):  # e.g. a BytesIO standing in for stdin
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    if name.endswith(".gz") or stream.peek(2)[:2] == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def read_each(paths: Sequence[str],
              read: Callable[[str, BinaryIO], Iterable[Page | Problem]]) -> Iterator[Page | Problem]:
    """``read`` applied to every input that opens; an I/O error while reading one input
    names it and moves on to the next."""
    for item in _streams(paths):
        if isinstance(item, Problem):
            yield item
            continue
        name, stream = item
        try:
            yield from read(name, stream)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            yield Problem(f"{name}: damaged gzip stream ({exc or 'truncated'})")
        except OSError as exc:
            yield Problem(f"{name}: cannot read ({exc.strerror or exc})")


def _page_from_html(name: str, data: bytes) -> Iterator[Page | Problem]:
    try:
        page = extract(data)
    except Exception as exc:  # noqa: BLE001 - extract should not raise; if it ever does, that
        # page is named and the run goes on with the others (it stopped the whole run)
        yield Problem(f"{name}: not read as HTML: {type(exc).__name__}: {exc}")
        return
    if page.encoding == "unknown":
        yield Problem(f"{name}: not decodable as HTML")
        return
    if _has_invalid_bytes(data, page.encoding):
        yield Problem(f"{name}: invalid {page.encoding.upper()} bytes replaced with U+FFFD",
                      fatal=False)
    yield Page(name, page.lines, html=page)


def _has_invalid_bytes(data: bytes, encoding: str) -> bool:
    """Whether decoding ``data`` as ``encoding`` needed replacement characters."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return True
    except LookupError:
        return False
    return False


def too_large(where: str, max_bytes: int) -> Problem:
    return Problem(f"{where}: page larger than {max_bytes / 2**20:.3g} MB (--max-page-mb): not labelled")


def read_text_inputs(paths: Sequence[str], html: str = "auto",
                     max_bytes: int | None = None) -> Iterator[Page | Problem]:
    """Each file (or ``-`` for stdin) is one page. ``html``: "auto" reads a file that starts
    like an HTML document as HTML (its visible text, see :mod:`classifier.html`), "always"
    reads every file as HTML, "never" none. ``max_bytes``: a file longer than this (after
    gunzipping) is a :class:`Problem`, read no further than one byte past the limit, so
    one huge input (or a gzip bomb) cannot take the run's memory."""
    def read(name: str, stream: BinaryIO) -> Iterable[Page | Problem]:
        data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
        if max_bytes is not None and len(data) > max_bytes:
            return [too_large(name, max_bytes)]
        if html == "always" and data.strip() and not looks_like_html(data):
            # one warning, then read as told: an HTML fragment is still HTML, but plain
            # text read as HTML loses its line breaks (one long line per paragraph run)
            return _warn_then(Problem(f"{name}: does not start like an HTML document "
                                      "(doctype, <html>, <head> or <body>), read as HTML as "
                                      "--input html says; drop --input html to read it as "
                                      "text", fatal=False), _page_from_html(name, data))
        if html == "always" or (html == "auto" and looks_like_html(data)):
            return _page_from_html(name, data)
        return _page_from_bytes(name, data)

    return read_each(paths, read)


def _warn_then(problem: Problem, items: Iterable[Page | Problem]) -> Iterator[Page | Problem]:
    yield problem
    yield from items


def bounded_lines(stream: BinaryIO, max_bytes: int | None) -> Iterator[bytes | None]:
    """The stream's lines; ``None`` for a line longer than ``max_bytes`` (its newline not
    counted), which is skipped without ever being held whole."""
    if max_bytes is None:
        yield from stream
        return
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw
            continue
        while raw and not raw.endswith(b"\n"):  # the rest of the long line, in pieces
            raw = stream.readline(1 << 20)
        yield None


def _jsonl_records(name: str, stream: BinaryIO, site_field: str | None = None,
                   text_key: str = "text", id_key: str = "id",
                   max_bytes: int | None = None) -> Iterator[Page | Problem]:
    once: set[str] = set()  # the kinds of once-per-file notes already given
    for number, raw in enumerate(bounded_lines(stream, max_bytes), 1):
        if raw is None:
            yield too_large(f"{name}:{number}", max_bytes or 0)
        elif raw.strip():
            yield from first_of_kind(parse_record(name, number, raw, site_field, text_key, id_key),
                                     once)


def first_of_kind(items: Iterable[Page | Problem], given: set[str]) -> Iterator[Page | Problem]:
    """``items`` less the once-per-file notes of a kind already in ``given`` (which records
    the kinds passed on)."""
    for item in items:
        if isinstance(item, Problem) and item.once is not None:
            if item.once in given:
                continue
            given.add(item.once)
        yield item


def parse_record(name: str, number: int, raw: bytes, site_field: str | None = None,
                 text_key: str = "text", id_key: str = "id") -> list[Page | Problem]:
    """Line ``number`` of JSONL input ``name`` (non-blank): its page, or the problem that
    stopped it, after any notes on it. A record is read alone, without the file around it,
    so worker processes can parse the records of one file side by side
    (:mod:`classifier.stream_jobs`); notes meant once per file carry
    :attr:`Problem.once` and the caller drops repeats (:func:`first_of_kind`)."""
    out: list[Page | Problem] = []
    decoded = decode(raw)
    if decoded.replaced:
        out.append(Problem(f"{name}:{number}: invalid UTF-8 bytes replaced with U+FFFD "
                           "(later records of this file not reported)", fatal=False, once="replaced"))
    try:
        if raw.count(b"[") + raw.count(b"{") > MAX_NESTING and nesting(decoded.text) > MAX_NESTING:
            raise RecursionError("nested too deeply")
        record = json.loads(decoded.text, parse_int=_parse_int)
    except (ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else (
            "nested too deeply" if isinstance(exc, RecursionError) else str(exc))
        out.append(Problem(f"{name}:{number}: malformed JSON record ({reason})"))
        return out
    if not isinstance(record, dict) or not isinstance(record.get(text_key), str):
        hint = (f" (its fields: {', '.join(list(record)[:8])}; --text-key names another)"
                if isinstance(record, dict) else "")
        out.append(Problem(f"{name}:{number}: record needs a string field {_json_string(text_key)}{hint}"))
        return out
    page_id = record.get(id_key)
    page_id = f"{name}:{number}" if page_id is None else decode(str(page_id)).text
    text = decode(record[text_key])
    if text.replaced:
        out.append(Problem(f"{name}:{number}: lone surrogates in \"text\" replaced with U+FFFD "
                           "(later records of this file not reported)", fatal=False, once="replaced"))
    site = record.get(site_field) if site_field else None
    if site_field and site is None:
        out.append(Problem(f"{name}:{number}: no field {_json_string(site_field)} (--site-key): "
                           "such pages are labelled without site memory (later records of this "
                           "file not reported)", fatal=False, once="no site"))
    out.append(Page(page_id, split_lines(text.text),
                    None if site is None else decode(str(site)).text, record=record,
                    origin=f"{name}:{number}"))
    return out


MAX_NESTING = 500
"""The deepest JSON nesting a record may have. Python's decoder gives up where its own
call stack runs out, which depends on how deep the caller already is (a worker process
parses with a shallower stack than the CLI's reader), so a fixed limit below that keeps
``--jobs N`` and ``--jobs 1`` in agreement on which records are malformed."""
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def nesting(text: str) -> int:
    """How deep JSON ``text``'s arrays and objects nest (brackets inside strings not
    counted); read only for records with many brackets."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _parse_int(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (4,300 digits) is valid JSON and
    stays its digits, so a record with a huge id is labelled, not called malformed."""
    try:
        return int(digits)
    except ValueError:
        return digits


def read_jsonl_inputs(paths: Sequence[str], site_field: str | None = None, *,
                      text_key: str = "text", id_key: str = "id",
                      max_bytes: int | None = None) -> Iterator[Page | Problem]:
    """One page per JSON line, ``{"id": ..., "text": ...}`` (gzipped or not), streamed record
    by record; ``text_key``/``id_key`` name other fields for the text and the page id, and
    ``site_field`` the field holding the page's URL or site group, if any. A record longer
    than ``max_bytes`` is a :class:`Problem` naming its line, skipped unread."""
    return read_each(paths, lambda name, stream: _jsonl_records(name, stream, site_field,
                                                                text_key, id_key, max_bytes))


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\v": "\\v",
                "\f": "\\f", "\x1c": "\\x1c", "\x1d": "\\x1d", "\x1e": "\\x1e",
                "\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
"""The backslash, the tab, and every character ``str.splitlines`` breaks a line at: a
reader splitting rows that way must see as many rows as there are records."""
_TSV_SPECIAL = re.compile("[" + re.escape("".join(_TSV_ESCAPES)) + "]")


def _tsv_field(text: str) -> str:
    """TSV cells cannot hold tabs or line ends of any kind; escape them (and the
    backslash) C-style."""
    if _TSV_SPECIAL.search(text) is None:
        return text
    return _TSV_SPECIAL.sub(lambda m: _TSV_ESCAPES[m.group()], text)


_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


_json_string = json.encoder.encode_basestring  # a str as a JSON string, non-ASCII kept


def _escape_unicode_breaks(text: str) -> str:
    """JSON allows U+0085, U+2028 and U+2029 raw inside strings, but line-splitting readers
    (Python's ``str.splitlines``, JavaScript) break records there; write them escaped."""
    if any(c in text for c in _UNICODE_BREAKS):
        text = (text.replace("\x85", "\\u0085").replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029"))
    return text


LABEL_RECORD_FIELDS = ("url", "host", "source", "lang")
"""Fields of a JSONL input record carried into ``--format label`` output: the site fields
site memory reads in training, and the slices evaluation reports by."""


def labelled_page_record(page: Page, labels: Sequence[LineLabel | None]) -> dict:
    """A page in the labelled-pages format :mod:`classifier.data` reads (``train`` and
    ``evaluate``): every line in order, blank ones with a null label, each with the
    model's label and score; a person corrects the labels and feeds the file back. The
    score (and an HTML line's ``path``) are for that person and ignored by the reader."""
    paths = page.html.paths if page.html is not None else None
    lines = []
    for i, (text, lab) in enumerate(zip(page.lines, labels)):
        item: dict = {"text": text, "label": None if lab is None else lab.label}
        if lab is not None:
            item["score"] = round(lab.score, SCORE_DIGITS)
        if paths is not None:
            item["path"] = paths[i]
        lines.append(item)
    record = {"page_id": page.name}
    if page.record is not None:
        record.update((k, page.record[k]) for k in LABEL_RECORD_FIELDS if k in page.record)
    record["lines"] = lines
    return record


class ReportWriteError(Exception):
    """A page's report file could not be written (``--report-dir``); the message names it."""


class Writer:
    """Writes labelled pages in one of the output formats, keeping only ``keep`` labels
    (and, with ``min_score``, only lines scored at least that).

    ``html`` is a report for people (:mod:`classifier.report`): one document on ``out``,
    streamed as head, one section per page, then batch totals written by :meth:`close`;
    or, with ``report_dir``, one self-contained file per page there and nothing on
    ``out``. In html, lines not in ``keep`` are dimmed rather than dropped. ``text`` with
    ``report_dir`` writes one ``.txt`` file per page there. ``pages`` writes one JSON
    record per page: the input record (or ``{"id": name}``) with ``text_key`` replaced by
    the kept text and a ``"linesift"`` summary. ``probs`` adds every label's probability
    to jsonl and tsv. Call :meth:`close` once after the last page.
    """

    def __init__(self, out: TextIO, fmt: str, keep: Iterable[str],
                 report_dir: Optional[Path] = None, dom_path: bool = False, *,
                 probs: bool = False, min_score: float = 0.0, text_key: str = "text"):
        self.out = out
        self.fmt = fmt
        self.keep = set(keep)
        self.report_dir = report_dir
        self.dom_path = dom_path
        self.probs = probs
        self.min_score = min_score
        self.text_key = text_key
        self._pages = 0
        self._totals: Optional[report.Tally] = None  # the html batch's, while it is open
        self._rows: list[report.IndexRow] = []  # up to report.MAX_INDEX_ROWS, memory flat
        self._file_names: set[str] = set()  # lower-cased
        self._suffixes: dict[str, int] = {}
        if fmt == "tsv":
            header = TSV_HEADER_PATH if dom_path else TSV_HEADER
            if probs:
                header = header.replace("\tscore\t", "\tscore\t" + "".join(f"p_{lab}\t" for lab in LABELS))
            out.write(header + "\n")
        elif fmt == "html" and report_dir is None:
            from . import report  # only the html format reads it: kept off a plain run's start

            self._totals = report.Tally()
            out.write(report.document_head(keep=self.keep))

    def _kept(self, lab: LineLabel | None) -> bool:
        return lab is not None and lab.label in self.keep and lab.score >= self.min_score

    def _kept_lines(self, page: Page, labels: Sequence[LineLabel | None]) -> list[str]:
        return keep_lines(page.lines, labels, self.keep,
                          page.html.paragraph_starts if page.html is not None else None,
                          min_score=self.min_score)

    def write(self, page: Page, labels: Sequence[LineLabel | None] | PageLabels) -> None:
        if self.fmt == "html":
            self._write_html(page, labels)
        elif self.fmt == "text" and self.report_dir is not None:
            self._write_file(page, "".join(line + "\n" for line in self._kept_lines(page, labels)),
                             ".txt")  # even an empty one, so every input has its file
        else:
            self.write_formatted(self.formatted(page, labels))

    def write_formatted(self, text: str) -> None:
        """A page's :meth:`formatted` output, on ``out`` in stream order; for ``text``,
        :data:`PAGE_SEPARATOR` goes between two pages that kept lines."""
        if not text:
            return
        if self.fmt == "text":
            if self._pages:
                self.out.write(PAGE_SEPARATOR + "\n")
            self._pages += 1
        self.out.write(text)

    def formatted(self, page: Page, labels: Sequence[LineLabel | None] | PageLabels) -> str:
        """The page's part of a jsonl, tsv, text, pages or label stream ("" when it keeps
        no line), newline-terminated. Depends on the page alone, so worker processes
        format pages side by side and the parent only writes (:mod:`classifier.stream_jobs`)."""
        if self.fmt == "text":
            kept = self._kept_lines(page, labels)
            return "\n".join(kept) + "\n" if kept else ""
        if self.fmt in ("pages", "label"):
            record = (self._page_record(page, labels) if self.fmt == "pages"
                      else labelled_page_record(page, labels))
            return _escape_unicode_breaks(json.dumps(record, ensure_ascii=False)) + "\n"
        chunks = []
        rows, numbers, names, scores, probs = self._kept_columns(labels)
        texts = list(map(page.lines.__getitem__, rows))
        paths = (map(page.html.paths.__getitem__, rows) if page.html is not None
                 else [None] * len(rows))
        if self.fmt == "jsonl":
            # the text of json.dumps({"file", "line", "label", "score"[, "probs"][, "path"],
            # "text"}, ensure_ascii=False), put together from its parts: one dumps call a
            # line was the largest cost of labelling a JSONL stream after the model itself
            head = '{"file": ' + _json_string(page.name) + ', "line": '
            label_items = {name: _json_string(name) for name in LABELS}
            for number, name, score, row_probs, path, text in zip(numbers, names, scores,
                                                                  probs, paths, texts):
                path_item = probs_item = ""
                if self.probs:
                    probs_item = ', "probs": {' + ", ".join(
                        f'"{label}": {round(p, SCORE_DIGITS)!r}'
                        for label, p in zip(LABELS, row_probs)) + "}"
                if self.dom_path:
                    path_item = ', "path": ' + ("null" if path is None else _json_string(path))
                chunks.append(f'{head}{number}, "label": {label_items[name]}, '
                              f'"score": {round(score, 4)!r}{probs_item}{path_item}, '
                              f'"text": {_json_string(text)}}}')
        else:
            page_name = _tsv_field(page.name)
            for number, name, score, row_probs, path, text in zip(numbers, names, scores,
                                                                  probs, paths, texts):
                path_cell = f"{_tsv_field(path or '')}\t" if self.dom_path else ""
                probs_cells = "".join(f"{p:.4f}\t" for p in row_probs) if self.probs else ""
                chunks.append(f"{page_name}\t{number}\t{name}\t{score:.4f}\t"
                              f"{probs_cells}{path_cell}{_tsv_field(text)}")
        if not chunks:
            return ""
        text = "\n".join(chunks)
        if self.fmt == "jsonl":
            text = _escape_unicode_breaks(text)
        return text + "\n"

    def _kept_columns(self, labels: Sequence[LineLabel | None] | PageLabels
                      ) -> tuple[list[int], list[int], list[str], list[float], Sequence[Sequence[float]]]:
        """The kept lines as columns: their indices in the page, line numbers, labels,
        scores and (with ``probs``) probability rows in label order. From
        :class:`~classifier.results.PageLabels` these are array operations, with no record
        per line (issue 18); from a list of records, read off each kept record."""
        if isinstance(labels, PageLabels):
            kept = labels.kept_rows(self.keep, self.min_score)
            rows = labels.positions[kept].tolist()
            names = _LABEL_NAMES[labels.label_ids[kept]].tolist()
            probs = labels.probs[kept].tolist() if self.probs else [()] * len(rows)
            return rows, [r + 1 for r in rows], names, labels.scores[kept].tolist(), probs
        kept_labels = [(i, lab) for i, lab in enumerate(labels) if self._kept(lab)]
        probs = ([[lab.probs[name] for name in LABELS] for _, lab in kept_labels] if self.probs
                 else [()] * len(kept_labels))
        return ([i for i, _ in kept_labels], [lab.line for _, lab in kept_labels],
                [lab.label for _, lab in kept_labels], [lab.score for _, lab in kept_labels], probs)

    def _page_record(self, page: Page, labels: Sequence[LineLabel | None]) -> dict:
        """The input record's fields, ``text_key`` now the kept text, and a summary."""
        record = dict(page.record) if page.record is not None else {"id": page.name}
        record[self.text_key] = "\n".join(self._kept_lines(page, labels))
        summary = keep_summary(labels, self.keep)
        if self.min_score:  # kept lines of a kept label, scored too low to keep
            summary["kept"] = sum(map(self._kept, labels))
            summary["below_min_score"] = sum(1 for lab in labels if lab is not None and
                                             lab.label in self.keep and lab.score < self.min_score)
        summary["mean_score"] = mean_score(labels)
        record["linesift"] = summary
        return record

    def _write_file(self, page: Page, document: str, suffix: str) -> None:
        """A new file in ``report_dir`` named after the page, never one already there and
        never through a symlink (a page id must not write outside the directory):
        O_EXCL | O_NOFOLLOW, the next free name on a collision with a file left from before."""
        from . import report

        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        for _ in range(1000):
            name = report.report_filename(page.name, self._file_names, suffix, lowered=True,
                                          suffixes=self._suffixes)
            self._file_names.add(name.lower())
            path = self.report_dir / name
            try:
                fd = os.open(path, flags, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise ReportWriteError(f"{page.name}: cannot write {path} "
                                       f"({exc.strerror or exc})") from exc
            break
        else:
            raise ReportWriteError(f"{page.name}: no free file name in {self.report_dir}")
        try:
            with open(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
                fh.write(document)
        except OSError as exc:
            raise ReportWriteError(f"{page.name}: cannot write {path} "
                                   f"({exc.strerror or exc})") from exc

    def _write_html(self, page: Page, labels: Sequence[LineLabel | None]) -> None:
        from . import report

        self._pages += 1
        # an HTML page's lines show the DOM path they came from on hover
        hovers = ["DOM: " + path for path in page.html.paths] if page.html is not None else None
        if self.report_dir is None:
            rendered = report.render_page(page.name, page.lines, labels, index=self._pages,
                                          keep=self.keep, hovers=hovers)
            self.out.write(rendered.html)
            self._totals = self._totals + rendered.tally
            if len(self._rows) < report.MAX_INDEX_ROWS:
                self._rows.append(report.IndexRow(self._pages, page.name, rendered.tally))
            return
        rendered = report.render_page(page.name, page.lines, labels, keep=self.keep, hovers=hovers)
        document = (report.document_head(f"linesift report: {page.name}", keep=self.keep)
                    + rendered.html + report.document_foot())
        self._write_file(page, document, ".html")

    def close(self) -> None:
        """Finishes the output: the html batch's totals and closing tags. Other formats
        have nothing to finish."""
        if self.fmt == "html" and self.report_dir is None and self._totals is not None:
            from . import report

            self.out.write(report.document_foot(
                report.render_totals(self._totals, self._rows, keep=self.keep)))
            self._totals = None
