"""Readers and writers for the CLI: pages in, one record per line out.

Readers never raise for bad input: a file that cannot be read or a JSONL record that
cannot be parsed becomes a :class:`Problem` in the stream, in input order, so the caller
names it on stderr, labels everything else, and exits 1 at the end.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, Sequence, TextIO

from . import report
from .html import HtmlLines, extract, looks_like_html
from .model import LineLabel, keep_lines
from .page import decode, split_lines

STDIN = "-"
OUTPUT_FORMATS = ("jsonl", "tsv", "text", "html")
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

    @property
    def payload(self) -> list[str] | HtmlLines:
        """What the model reads: the lines, or for HTML the lines with their DOM cues."""
        return self.html if self.html is not None else self.lines


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used, or was used with a caveat (``fatal=False``)."""

    message: str
    fatal: bool = True


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
            yield name, _stdin_bytes()
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
            yield name, stream


def _read_each(paths: Sequence[str],
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
        except OSError as exc:
            yield Problem(f"{name}: cannot read ({exc.strerror or exc})")


def _page_from_html(name: str, data: bytes) -> Iterator[Page | Problem]:
    page = extract(data)
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


def read_text_inputs(paths: Sequence[str], html: str = "auto") -> Iterator[Page | Problem]:
    """Each file (or ``-`` for stdin) is one page. ``html``: "auto" reads a file that starts
    like an HTML document as HTML (its visible text, see :mod:`classifier.html`), "always"
    reads every file as HTML, "never" none."""
    def read(name: str, stream: BinaryIO) -> Iterable[Page | Problem]:
        data = stream.read()
        if html == "always" or (html == "auto" and looks_like_html(data)):
            return _page_from_html(name, data)
        return _page_from_bytes(name, data)

    return _read_each(paths, read)


def _jsonl_records(name: str, stream: BinaryIO, site_field: str | None = None) -> Iterator[Page | Problem]:
    warned = False  # invalid UTF-8 is reported once per file, at its first record
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        decoded = decode(raw)
        if decoded.replaced and not warned:
            warned = True
            yield Problem(f"{name}:{number}: invalid UTF-8 bytes replaced with U+FFFD "
                          "(later records of this file not reported)", fatal=False)
        try:
            record = json.loads(decoded.text, parse_int=_parse_int)
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else (
                "nested too deeply" if isinstance(exc, RecursionError) else str(exc))
            yield Problem(f"{name}:{number}: malformed JSON record ({reason})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Problem(f"{name}:{number}: record needs a string field \"text\"")
            continue
        page_id = record.get("id")
        page_id = f"{name}:{number}" if page_id is None else decode(str(page_id)).text
        text = decode(record["text"])
        if text.replaced and not warned:
            warned = True
            yield Problem(f"{name}:{number}: lone surrogates in \"text\" replaced with U+FFFD "
                          "(later records of this file not reported)", fatal=False)
        site = record.get(site_field) if site_field else None
        yield Page(page_id, split_lines(text.text),
                   None if site is None else decode(str(site)).text)


def _parse_int(digits: str) -> int | str:
    """A JSON integer; one longer than Python converts (4,300 digits) is valid JSON and
    stays its digits, so a record with a huge id is labelled, not called malformed."""
    try:
        return int(digits)
    except ValueError:
        return digits


def read_jsonl_inputs(paths: Sequence[str], site_field: str | None = None) -> Iterator[Page | Problem]:
    """One page per JSON line, ``{"id": ..., "text": ...}``, streamed record by record;
    ``site_field`` names the field holding the page's URL or site group, if any."""
    return _read_each(paths, lambda name, stream: _jsonl_records(name, stream, site_field))


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


class ReportWriteError(Exception):
    """A page's report file could not be written (``--report-dir``); the message names it."""


class Writer:
    """Writes labelled pages in one of the output formats, keeping only ``keep`` labels.

    ``html`` is a report for people (:mod:`classifier.report`): one document on ``out``,
    streamed as head, one section per page, then batch totals written by :meth:`close`;
    or, with ``report_dir``, one self-contained file per page there and nothing on
    ``out``. In html, lines not in ``keep`` are dimmed rather than dropped. Call
    :meth:`close` once after the last page (a no-op for the line formats).
    """

    def __init__(self, out: TextIO, fmt: str, keep: Iterable[str],
                 report_dir: Optional[Path] = None, dom_path: bool = False):
        self.out = out
        self.fmt = fmt
        self.keep = set(keep)
        self.report_dir = report_dir
        self.dom_path = dom_path
        self._pages = 0
        self._totals: Optional[report.Tally] = None  # the html batch's, while it is open
        self._rows: list[report.IndexRow] = []  # up to report.MAX_INDEX_ROWS, memory flat
        self._file_names: set[str] = set()  # lower-cased
        self._suffixes: dict[str, int] = {}
        if fmt == "tsv":
            out.write((TSV_HEADER_PATH if dom_path else TSV_HEADER) + "\n")
        elif fmt == "html" and report_dir is None:
            self._totals = report.Tally()
            out.write(report.document_head(keep=self.keep))

    def write(self, page: Page, labels: Sequence[LineLabel | None]) -> None:
        out, keep = self.out, self.keep
        if self.fmt == "html":
            self._write_html(page, labels)
            return
        if self.fmt == "text":
            kept = keep_lines(page.lines, labels, keep,
                              page.html.paragraph_starts if page.html is not None else None)
            if kept:
                if self._pages:
                    out.write("\n")
                out.write("\n".join(kept) + "\n")
                self._pages += 1
            return
        chunks = []
        paths: Sequence[str | None] = ([None] * len(page.lines) if page.html is None
                                       else page.html.paths)
        if self.fmt == "jsonl":
            # the text of json.dumps({"file", "line", "label", "score"[, "path"], "text"},
            # ensure_ascii=False), put together from its parts: one dumps call a line was
            # the largest cost of labelling a JSONL stream after the model itself
            head = '{"file": ' + _json_string(page.name) + ', "line": '
            for text, lab, path in zip(page.lines, labels, paths):
                if lab is not None and lab.label in keep:
                    path_item = ""
                    if self.dom_path:
                        path_item = ', "path": ' + ("null" if path is None else _json_string(path))
                    chunks.append(f'{head}{lab.line}, "label": {_json_string(lab.label)}, '
                                  f'"score": {round(lab.score, 4)!r}{path_item}, '
                                  f'"text": {_json_string(text)}}}')
        else:
            name = _tsv_field(page.name)
            for text, lab, path in zip(page.lines, labels, paths):
                if lab is not None and lab.label in keep:
                    path_cell = f"{_tsv_field(path or '')}\t" if self.dom_path else ""
                    chunks.append(f"{name}\t{lab.line}\t{lab.label}\t{lab.score:.4f}\t"
                                  f"{path_cell}{_tsv_field(text)}")
        if chunks:
            text = "\n".join(chunks)
            if self.fmt == "jsonl":
                text = _escape_unicode_breaks(text)
            out.write(text + "\n")

    def _write_html(self, page: Page, labels: Sequence[LineLabel | None]) -> None:
        self._pages += 1
        if self.report_dir is None:
            rendered = report.render_page(page.name, page.lines, labels, index=self._pages,
                                          keep=self.keep)
            self.out.write(rendered.html)
            self._totals = self._totals + rendered.tally
            if len(self._rows) < report.MAX_INDEX_ROWS:
                self._rows.append(report.IndexRow(self._pages, page.name, rendered.tally))
            return
        rendered = report.render_page(page.name, page.lines, labels, keep=self.keep)
        document = (report.document_head(f"linesift report: {page.name}", keep=self.keep)
                    + rendered.html + report.document_foot())
        # a new file, never one already there and never through a symlink (a page id must
        # not write outside the directory): O_EXCL | O_NOFOLLOW, the next free name on a
        # collision with a file left from before
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        for _ in range(1000):
            name = report.report_filename(page.name, self._file_names, lowered=True,
                                          suffixes=self._suffixes)
            self._file_names.add(name.lower())
            path = self.report_dir / name
            try:
                fd = os.open(path, flags, 0o644)
            except FileExistsError:
                continue
            except OSError as exc:
                raise ReportWriteError(f"{page.name}: cannot write report {path} "
                                       f"({exc.strerror or exc})") from exc
            break
        else:
            raise ReportWriteError(f"{page.name}: no free report file name in {self.report_dir}")
        try:
            with open(fd, "w", encoding="utf-8", errors="replace", newline="\n") as fh:
                fh.write(document)
        except OSError as exc:
            raise ReportWriteError(f"{page.name}: cannot write report {path} "
                                   f"({exc.strerror or exc})") from exc

    def close(self) -> None:
        """Finishes the output: the html batch's totals and closing tags. Other formats
        have nothing to finish."""
        if self.fmt == "html" and self.report_dir is None and self._totals is not None:
            self.out.write(report.document_foot(
                report.render_totals(self._totals, self._rows, keep=self.keep)))
            self._totals = None
