"""Reading the annotation files of ``training/annotations/``: tab-separated keys and labels.

Every annotation made for this project is kept as keys (hashes, page ids, line numbers)
and labels, never the annotated text, one row per item with ``#`` comment lines; this is
the one reader for them.
"""
from __future__ import annotations

import os
from typing import Iterator, List


def tsv_rows(path: str) -> Iterator[List[str]]:
    """The fields of each data row of an annotation file; nothing when it is absent."""
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as fh:
        for row in fh:
            if row.startswith("#") or not row.strip():
                continue
            yield row.rstrip("\n").split("\t")
