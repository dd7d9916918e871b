"""Does ``classifier.html.extract`` still give the lines it gave before, and how much faster is it?

    python -m training.html_parity [--against main] [--per-source 100] [--rounds 1] [--show 3]

Why: a faster HTML walk must give the same lines, DOM paths, cue columns and paragraph
starts as the code the HTML model was trained on, wherever that code was right; every
difference has to be read and either fixed or explained. This script runs both on the same
real pages (the ``*.html``/``*.html.gz`` members of the tar files in ``../shared/data/html``,
a seeded sample of up to ``--per-source`` pages from each tar file, read in place, never
copied) and prints how many pages are identical and, for the rest, what kind of difference
each one shows, with the first lines that differ for ``--show`` pages of each kind.

Each side runs in a subprocess of its own with only its code on ``PYTHONPATH``: the old
side is a git revision (``--against``, default ``main``) whose ``classifier`` package is
exported with ``git archive`` into a temporary directory, the new side this checkout. The
subprocess runs this very file with ``--record`` (which imports nothing from the project
but ``classifier.html``) and pickles its results and the CPU seconds ``extract`` took.
With ``--rounds R`` the two sides alternate R times (old, new, old, new...), so both meet
the same load on a shared machine, and the best CPU time of each is compared.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import io
import os
import pickle
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "html"
_GOLD_DIRS = ("Corrected", "GoldStandard", "ground-truth")


def read_pages(data: Path, per_source: int, seed: int = 18) -> list[tuple[str, bytes]]:
    """``(name, html bytes)`` for a seeded sample of each tar file's HTML members, in a fixed
    order (tar file name, then member name), so both sides read the same pages."""
    pages: list[tuple[str, bytes]] = []
    for tar_path in sorted(data.glob("*.tar.gz")):
        with tarfile.open(tar_path) as tar:
            members = sorted((m for m in tar.getmembers() if m.isfile() and _is_page(m.name)),
                             key=lambda m: m.name)
            random.Random(seed).shuffle(members)
            for member in sorted(members[:per_source], key=lambda m: m.name):
                raw = tar.extractfile(member).read()
                if member.name.endswith(".gz"):
                    raw = gzip.decompress(raw)
                pages.append((f"{tar_path.name}:{member.name}", raw))
    return pages


def _is_page(name: str) -> bool:
    return (name.endswith((".html", ".htm", ".html.gz"))
            and not any(part in _GOLD_DIRS for part in name.split("/")))


def record(pages: list[tuple[str, bytes]]) -> tuple[dict[str, dict], float]:
    """Each page's extraction as plain Python values (picklable across versions), and the
    CPU seconds the ``extract`` calls took."""
    from classifier.html import extract

    out = {}
    seconds = 0.0
    for name, raw in pages:
        start = time.process_time()
        got = extract(raw)
        seconds += time.process_time() - start
        out[name] = {"lines": list(got.lines), "paths": list(got.paths),
                     "cues": np.asarray(got.cues), "starts": list(got.paragraph_starts or []),
                     "encoding": got.encoding}
    return out, seconds


def record_in_subprocess(code_dir: Path, data: Path,
                         per_source: int) -> tuple[dict[str, dict], float]:
    """:func:`record` run on the ``classifier`` package in ``code_dir``, in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="html-parity-out-") as tmp:
        out_file = Path(tmp) / "out.pickle"
        env = dict(os.environ, PYTHONPATH=str(code_dir))
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--record", str(out_file),
                        "--data", str(data), "--per-source", str(per_source)],
                       check=True, env=env, cwd=tmp)
        with out_file.open("rb") as fh:
            return pickle.load(fh)


def export_revision(rev: str, into: Path) -> None:
    """``rev``'s ``classifier`` package, written into ``into`` with ``git archive``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "classifier"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def classify(old: dict, new: dict) -> list[str]:
    """The kinds of difference between two extractions of one page (empty: identical)."""
    kinds = []
    if old["encoding"] != new["encoding"]:
        kinds.append("encoding")
    if old["lines"] != new["lines"]:
        a, b = old["lines"], new["lines"]
        if "".join("".join(a).split()) != "".join("".join(b).split()):
            kinds.append("text lost or added")
        elif " ".join(a).split() != " ".join(b).split():
            kinds.append("words joined or split")
        elif len(a) != len(b):
            kinds.append("lines merged or split")
        else:
            kinds.append("whitespace inside lines")
        return kinds  # paths and cues of different lines are not comparable row by row
    if old["paths"] != new["paths"]:
        kinds.append("paths")
    if old["starts"] != new["starts"]:
        kinds.append("paragraph starts")
    oc, nc = old["cues"], new["cues"]
    if oc.shape != nc.shape:
        kinds.append("cue shape")
    elif not np.array_equal(oc, nc):
        worst = float(np.abs(oc.astype(np.float64) - nc).max())
        kinds.append("cues (float rounding, < 1e-6)" if worst < 1e-6 else "cues")
    return kinds


def show(name: str, old: dict, new: dict, limit: int = 12) -> None:
    """The first differing lines (or paths, or cue columns) of one page."""
    print(f"  -- {name}")
    if old["lines"] != new["lines"]:
        diff = difflib.unified_diff(old["lines"], new["lines"], "old", "new", n=1, lineterm="")
        for i, row in enumerate(diff):
            if i >= limit:
                print("     ...")
                break
            print("     " + row[:160])
        return
    for i, (a, b) in enumerate(zip(old["paths"], new["paths"])):
        if a != b:
            print(f"     line {i}: path {a!r} -> {b!r}")
            break
    oc, nc = old["cues"], new["cues"]
    if oc.shape == nc.shape and not np.array_equal(oc, nc):
        rows, cols = np.nonzero(oc != nc)
        from classifier.html import CUE_NAMES

        names = sorted({CUE_NAMES[c] for c in cols})
        print(f"     cue columns differing: {', '.join(names)} on {len(set(rows))} lines, "
              f"largest {float(np.abs(oc.astype(np.float64) - nc).max()):.2g}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default="main", help="git revision of the old code")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of *.tar.gz")
    parser.add_argument("--per-source", type=int, default=100, help="pages per tar file")
    parser.add_argument("--show", type=int, default=3, help="pages shown per kind of difference")
    parser.add_argument("--rounds", type=int, default=1,
                        help="times each side runs, alternating; the best CPU time counts")
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pages = read_pages(args.data, args.per_source)
    if args.record:
        with args.record.open("wb") as fh:
            pickle.dump(record(pages), fh)
        return 0
    print(f"pages: {len(pages)} from {args.data} (up to {args.per_source} per tar file)")
    old_times, new_times = [], []
    with tempfile.TemporaryDirectory(prefix="html-parity-old-") as old_dir:
        export_revision(args.against, Path(old_dir))
        for _ in range(max(args.rounds, 1)):
            old, seconds = record_in_subprocess(Path(old_dir), args.data, args.per_source)
            old_times.append(seconds)
            new, seconds = record_in_subprocess(ROOT, args.data, args.per_source)
            new_times.append(seconds)
    best_old, best_new = min(old_times), min(new_times)
    print(f"extract CPU seconds over the {len(pages)} pages, best of {len(old_times)} "
          f"alternating rounds: old {best_old:.2f}, new {best_new:.2f}: x{best_old / best_new:.2f} "
          "(per round: " + ", ".join(f"x{o / n:.2f}" for o, n in zip(old_times, new_times)) + ")")
    kinds: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    identical = 0
    for name, _ in pages:
        found = classify(old[name], new[name])
        if not found:
            identical += 1
        for kind in found:
            kinds[kind] += 1
            examples.setdefault(kind, []).append(name)
    total_lines = sum(len(v["lines"]) for v in old.values())
    print(f"old ({args.against}) lines: {total_lines:,}; new lines: "
          f"{sum(len(v['lines']) for v in new.values()):,}")
    print(f"identical pages (lines, paths, cue columns, paragraph starts, encoding): "
          f"{identical} / {len(pages)}")
    for kind, count in kinds.most_common():
        print(f"{kind}: {count} pages")
        for name in examples[kind][:args.show]:
            show(name, old[name], new[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
