"""Throughput of linesift inside a datatrove pipeline, printed as figures (never asserted).

    python -m training.benchmark_datatrove [--pages N] [--workers 1,2] [--tasks T]
        [--model DIR] [--data DIR] [--annotate]

The pipeline is the one the README shows: ``JsonlReader -> LineSiftStep -> JsonlWriter`` on
datatrove's ``LocalPipelineExecutor``, run once per worker count over the same pages, split
into T input files (T tasks). Wall time covers the whole ``executor.run()``: worker start-up,
imports and model loading in each worker included, because that is what a pipeline pays.

Pages: a fixed selection of N real pages taken in turn from the files
``../shared/data/pages/*.jsonl.gz`` (each page's lines joined by ``\\n``), read at run time and
written only to a temporary directory; without that data, seeded generated stand-in pages.

``training.benchmark`` can call :func:`run` and print :meth:`Throughput.line`.
"""

from __future__ import annotations

import os

# one native thread per process, as in training.benchmark; set before numpy is imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import itertools
import json
import math
import shlex
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_PAGES = ROOT.parent / "shared" / "data" / "pages"

Page = tuple[str, str]
"""``(id, text)``: one document of the benchmark."""


@dataclass(frozen=True)
class Throughput:
    """One pipeline run's figures."""

    workers: int
    tasks: int
    docs: int
    lines: int
    wall: float
    """Seconds for the whole ``executor.run()``."""
    step_seconds: float
    """Labelling time the step itself recorded, summed over tasks (upstream reading and
    downstream writing excluded)."""

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall if self.wall else math.nan

    @property
    def lines_per_s(self) -> float:
        return self.lines / self.wall if self.wall else math.nan

    def line(self) -> str:
        return (f"  workers {self.workers} ({self.tasks} tasks): {self.wall:6.2f} s wall, "
                f"{self.docs_per_s:8,.1f} docs/s, {self.lines_per_s:9,.0f} lines/s   "
                f"(step's own labelling time {self.step_seconds:.2f} s over all tasks)")


def read_shared_pages(n: int, folder: Path = SHARED_PAGES) -> list[Page]:
    """A fixed selection of ``n`` pages from the labelled-page files in ``folder``: taken
    in turn from each file (sorted by name, pages in file order), so every source, English
    and Arabic, is in it even when one file is short. ``(page_id, text)``."""
    from classifier.data import read_pages

    per_file = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        pages = []
        for page in read_pages(path):
            if len(pages) >= n:
                break
            pages.append((page.page_id, "\n".join(page.lines)))
        per_file.append(pages)
    mixed = [p for group in itertools.zip_longest(*per_file) for p in group if p is not None]
    return mixed[:n]


def generated_pages(n: int) -> list[Page]:
    """Seeded stand-in pages (the ones ``training.benchmark`` uses), as ``(id, text)``."""
    from training.benchmark import standin_pages

    return [(pid, "\n".join(lines)) for pid, lines in standin_pages(n)]


def load_pages(n: int, folder: Path = SHARED_PAGES) -> tuple[str, list[Page]]:
    """Real pages when ``folder`` (``../shared/data/pages``) holds some, else generated
    ones; and a description saying which."""
    if any(folder.glob("*.jsonl.gz")):
        pages = read_shared_pages(n, folder)
        return f"{len(pages)} real pages (taken in turn from the files in {folder})", pages
    return f"{n} generated stand-in pages (seed 13; no pages in {folder})", generated_pages(n)


def non_blank_lines(pages: Iterable[Page]) -> int:
    from classifier.page import is_blank, split_lines

    return sum(1 for _, text in pages for line in split_lines(text) if not is_blank(line))


def write_inputs(pages: Sequence[Page], folder: Path, tasks: int) -> None:
    """``pages`` round-robin over ``tasks`` JSONL files, so every task has a share."""
    folder.mkdir(parents=True, exist_ok=True)
    for t in range(tasks):
        with open(folder / f"part{t:03d}.jsonl", "w", encoding="utf-8") as f:
            f.writelines(json.dumps({"id": page_id, "text": text}, ensure_ascii=False) + "\n"
                         for page_id, text in pages[t::tasks])


def _step_seconds(stats) -> float:
    for step in getattr(stats, "stats", []):
        if "linesift" in step.name:
            return float(step.time_stats.total)
    return math.nan


def quiet_logs() -> None:
    """datatrove logs every task to stderr; figures go to stdout: keep stderr for warnings."""
    from datatrove.utils.logging import logger

    logger.remove()
    logger.add(sys.stderr, level="WARNING")


def run(pages: str | os.PathLike[str] | Sequence[Page], workers: int, *, tasks: int = 4,
        model: str | os.PathLike[str] | None = None, keep: Sequence[str] | None = ("body",)
        ) -> Throughput:
    """Run ``JsonlReader -> LineSiftStep -> JsonlWriter`` over ``pages`` with ``workers``
    worker processes and ``tasks`` tasks, in a temporary directory; return the figures.

    ``pages``: ``(id, text)`` pairs, or a folder (or one file) of labelled pages in the data
    format (every page of it). ``keep=None`` runs the step in annotate mode.
    """
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from classifier.datatrove_step import LineSiftStep

    if isinstance(pages, (str, os.PathLike)):
        from classifier.data import read_pages

        path = Path(pages)
        files = sorted(path.glob("*.jsonl*")) if path.is_dir() else [path]
        pages = [(p.page_id, "\n".join(p.lines)) for f in files for p in read_pages(f)]
    docs = [(pid, text) for pid, text in pages if text]  # datatrove's reader skips empty text
    with tempfile.TemporaryDirectory(prefix="linesift-datatrove-") as tmp:
        write_inputs(docs, Path(tmp) / "in", tasks)
        executor = LocalPipelineExecutor(
            pipeline=[JsonlReader(str(Path(tmp) / "in")),
                      LineSiftStep(keep=keep, model=model),
                      JsonlWriter(str(Path(tmp) / "out"))],
            tasks=tasks, workers=workers, logging_dir=str(Path(tmp) / "logs"))
        start = time.perf_counter()
        stats = executor.run()
        wall = time.perf_counter() - start
    return Throughput(workers, tasks, len(docs), non_blank_lines(docs), wall, _step_seconds(stats))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=600, help="pages in the fixed selection")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--tasks", type=int, default=4, help="tasks (input files)")
    parser.add_argument("--model", type=Path, default=None, help="bundle (default: the shipped model)")
    parser.add_argument("--data", type=Path, default=SHARED_PAGES,
                        help="folder of labelled pages (*.jsonl.gz; default ../shared/data/pages)")
    parser.add_argument("--annotate", action="store_true", help="annotate instead of keeping body lines")
    args = parser.parse_args(argv)

    quiet_logs()
    print("command: " + shlex.join(["python", "-m", "training.benchmark_datatrove",
                                    *(sys.argv[1:] if argv is None else argv)]))
    print(f"machine: {os.cpu_count()} CPUs, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    description, pages = load_pages(args.pages, args.data)
    mode = "annotate" if args.annotate else "keep body"
    print(f"pages: {description}; {non_blank_lines(pages):,} non-blank lines; step mode: {mode}")
    print("datatrove JsonlReader -> LineSiftStep -> JsonlWriter, LocalPipelineExecutor:")
    base = None
    for workers in (int(w) for w in args.workers.split(",")):
        figures = run(pages, workers, tasks=args.tasks, model=args.model,
                      keep=None if args.annotate else ("body",))
        base = base or figures.wall
        print(figures.line() + f"  speed-up x{base / figures.wall:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
