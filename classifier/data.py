"""Labelled pages in linesift's data format (SPEC section 5), for training and evaluation.

One page per JSON line, optionally gzipped::

    {"page_id": ..., "source": ..., "lang": ..., "lines": [{"text": ..., "label": ...}, ...]}

A line whose label is null (or which is blank) is layout only. Fields other than ``text``
and ``label`` describe where a line came from and are never shown to the model.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .settings import LABELS


class DataError(ValueError):
    """A labelled-page file that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class LabelledPage:
    page_id: str
    lines: list[str]
    labels: list[str | None]
    source: str = ""
    lang: str = ""
    group: str = ""
    composed: bool = False
    meta: dict = field(default_factory=dict, compare=False, repr=False)
    parts: tuple[str | None, ...] = field(default=(), compare=False, repr=False)
    """Per line, the part of a composed page it was built into ("teaser", "title"), or
    None; empty when the file marks no parts. For evaluation slices only."""

    @property
    def site(self) -> str | None:
        """The site for site memory: a real page's host (or URL); none for a composed page,
        whose parts come from many sites, so its recurring lines say nothing about a site."""
        if self.composed:
            return None
        return self.meta.get("host") or self.meta.get("url") or None


def _open(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_pages(path: str | os.PathLike[str]) -> Iterator[LabelledPage]:
    """Stream the pages of one file, checking labels as they come.

    A file that is not UTF-8, a damaged gzip stream or a bad record is a
    :class:`DataError` naming the file (and line); a file that cannot be opened is the
    ``OSError`` itself.
    """
    path = Path(path)
    try:
        yield from _read_pages(path)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise DataError(f"{path}: damaged gzip stream ({exc})") from exc


def _read_pages(path: Path) -> Iterator[LabelledPage]:
    with _open(path) as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
                lines = [str(item["text"]) for item in rec["lines"]]
                labels = [item.get("label") for item in rec["lines"]]
                parts = [item.get("part") for item in rec["lines"]]
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
                raise DataError(f"{path}:{number}: not a labelled page ({exc})") from exc
            for text, label in zip(lines, labels):
                if label is not None and label not in LABELS:
                    raise DataError(f"{path}:{number}: unknown label {label!r}")
            labels = [None if (not t.strip()) else lab for t, lab in zip(lines, labels)]
            if any(lab is None and t.strip() for t, lab in zip(lines, labels)):
                raise DataError(f"{path}:{number}: a non-blank line has no label")
            page_id = str(rec.get("page_id", f"{path.name}:{number}"))
            yield LabelledPage(
                page_id=page_id, lines=lines, labels=labels,
                source=str(rec.get("source", "")), lang=str(rec.get("lang", "")),
                group=str(rec.get("host") or rec.get("group") or page_id),
                composed=bool(rec.get("composed", False)),
                meta={k: rec[k] for k in ("recipe", "url", "host", "page_type") if k in rec},
                parts=tuple(str(x) if x else None for x in parts) if any(parts) else (),
            )


def read_all(paths: Iterable[str | os.PathLike[str]]) -> list[LabelledPage]:
    return [page for path in paths for page in read_pages(path)]
