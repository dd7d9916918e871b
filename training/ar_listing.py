"""Real Arabic home, listing and forum-index pages, labelled by reading, as corpus pages.

    python -m training.ar_listing import build/ar_listing      # answers -> annotations/ar_listing_lines.tsv

Why: no other real Arabic page in reach shows Arabic headline lists in context. 2015 Saudi
news gives article paragraphs, and teaser widgets are composed, so the model had never
seen a real Arabic page whose main content *is* a list of headlines and leads, nor the
sidebars, tickers and directories around it. 51 pages of 24 sites (2008-2021) were read
line by line with the guide (``training/annotations/LISTING_INSTRUCTIONS.md``): the page's own listing is body, its chrome boilerplate, teasers
clickbait wherever they stand.

The repository keeps (file, line number, key, label), the key being the first 16 hex
digits of the SHA-1 of the stripped line; the text is re-extracted from the HTML in
``../shared/data`` with ``classifier.html.extract`` at build time. A page whose extracted
lines no longer match its keys (the extractor changed) is dropped and counted, never
mislabelled.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import tarfile
from typing import Dict, List, Optional, Sequence, Tuple

from .annotation_files import tsv_rows
from .sources import title_key

LABELS_TSV = os.path.join(os.path.dirname(os.path.abspath(__file__)), "annotations", "ar_listing_lines.tsv")
ARCHIVE = "html/arabic_listing_pages.tar.gz"


def read_labels(path: str = LABELS_TSV) -> Dict[str, List[Tuple[int, str, str]]]:
    """file -> [(line number, key, label), ...] in line order."""
    out: Dict[str, List[Tuple[int, str, str]]] = collections.defaultdict(list)
    for name, num, key, label in tsv_rows(path):
        out[name].append((int(num), key, label))
    for rows in out.values():
        rows.sort()
    return out


def load_pages(archive_path: str, stats: collections.Counter, path: str = LABELS_TSV) -> List[dict]:
    """Labelled pages in the corpus builder's real-page form (lines with text, label, dom)."""
    from classifier.html import extract

    labels = read_labels(path)
    if not labels or not os.path.exists(archive_path):
        return []
    pages = []
    with tarfile.open(archive_path, "r:gz") as tar:
        manifest = {}
        members = {}
        for m in tar.getmembers():
            if m.name.endswith("manifest.jsonl"):
                for row in tar.extractfile(m).read().decode("utf-8").splitlines():
                    if row.strip():
                        rec = json.loads(row)
                        manifest[rec["file"]] = rec
            elif m.isfile() and m.name.endswith(".html"):
                members[os.path.basename(m.name)] = m
        for name in sorted(labels):
            if name not in members:
                stats["ar_listing: page missing from the archive"] += 1
                continue
            got = extract(tar.extractfile(members[name]).read())
            rows = labels[name]
            if len(rows) != len(got.lines) or any(title_key(got.lines[n - 1]) != k for n, k, _ in rows):
                stats["ar_listing: page dropped (extracted lines differ from the annotation)"] += 1
                continue
            site = manifest.get(name, {}).get("site") or name.split("__")[0]
            lines = [{"text": t, "label": lab, "dom": p, "title_heur": False}
                     for t, p, (_, _, lab) in zip(got.lines, got.paths, rows)]
            pages.append({"page_id": "ar_listing/" + name, "source": "ar_listing", "lang": "ar",
                          "url": "http://" + site + "/", "lines": lines,
                          "page_type": manifest.get(name, {}).get("page_type", "listing")})
            stats["ar_listing: pages"] += 1
    return pages


def import_answers(answer_dir: str, dest: str = LABELS_TSV) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    rows = []
    for name in sorted(os.listdir(answer_dir)):
        if name.startswith("answers_") and name.endswith(".tsv"):
            with open(os.path.join(answer_dir, name), encoding="utf-8") as fh:
                for row in fh:
                    parts = row.rstrip("\n").split("\t")
                    if len(parts) == 4:
                        rows.append(parts)
                        counts[parts[3]] += 1
    rows.sort(key=lambda r: (r[0], int(r[1])))
    with open(dest, "w", encoding="utf-8") as out:
        out.write("# file\tline (1-based, classifier.html.extract lines)\tkey (sha1 of the stripped line, 16 hex)\tlabel; see README.md\n")
        for r in rows:
            out.write("\t".join(r) + "\n")
    return counts


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.ar_listing", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    i = sub.add_parser("import")
    i.add_argument("dir")
    a = ap.parse_args(argv)
    print(dict(import_answers(a.dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
