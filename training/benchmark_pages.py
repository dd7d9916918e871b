"""Memory and per-line time of labelling ONE long page, by page length (never a timed test).

    python -m training.benchmark_pages [--model DIR] [--lines 10000,300000] [--repeat 2]

Why: a scraped "page" can be a whole forum dump or a log of a million lines, and a page is
the unit linesift labels, so its cost must grow linearly with its length and its memory
must not grow with it at all beyond the page's own text and its labels (issue 16, item 15:
before windowed labelling a 1.6M-line page took 4.5 GB and per-line time doubled from 10k
to 300k lines).

Each length is measured in a fresh child process (so one run's peak is not the next's
floor): the model is loaded and warmed up on a small page of other stand-in pages, the page
is built (stand-in news-page lines of :func:`training.benchmark.standin_pages`, joined into
one page), then ``label_pages`` labels it and its records are built, ``--repeat`` times,
each round with the text models' line caches emptied first. Printed per length:

* extra memory: the child's peak resident set while labelling, less its resident set just
  before (``/proc/self/statm``), so the page's own text is not counted but everything
  labelling allocates is. The peak is reset just before labelling (``/proc/self/clear_refs``)
  and read after (``VmHWM``): the lifetime peak (``ru_maxrss``, used before 2026-12-07) was
  set while the bundle loaded (fastText reads a private copy of the verified bytes), so it
  reported some 300 MB at every page length, more at 10k lines than at 300k;
* CPU time per non-blank line (CPU, not wall: the machine is shared), best of ``--repeat``.

Until 2026-12-07 the warm-up page was the first 2,000 lines of the measured page itself, and
one round was timed: the 10k-line page then started with about a third of its non-blank
lines in the text model's cache, and its 0.15 s round swung by 20% from run to run, which
made the 300k/10k ratio read 1.32 (20.7 against 27.4 us a line). Measured this way, three
runs in a row on the same machine gave 1.19, 1.18 and 1.16.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from training.benchmark import ROOT, default_model, forget_lines, standin_pages  # noqa: E402

WARM_UP_SEED = 10_000
"""Seed of the warm-up page's stand-in pages: far from the measured pages' seeds (0, 1, ...),
so warming up fills no cache with lines that are then measured."""


def long_page(n_lines: int) -> list[str]:
    """``n_lines`` lines of stand-in news pages, one after another, as one page."""
    lines: list[str] = []
    seed = 0
    while len(lines) < n_lines:
        for _, page in standin_pages(200, seed=seed):
            lines += page + [""]
        seed += 1
    return lines[:n_lines]


def _reset_peak() -> bool:
    """Start a new peak-resident-set measurement (Linux >= 4.0); False where the system
    cannot, and then the lifetime peak is all there is."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    """Peak resident set since the last :func:`_reset_peak` (the lifetime peak without it)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child(model_dir: Path, n_lines: int, repeat: int) -> dict:
    """In the child: label one page of ``n_lines`` lines; the figures as a dict."""
    import gc

    from classifier.model import LineClassifier

    clf = LineClassifier.load(model_dir)
    warm_up = [line for _, lines in standin_pages(20, seed=WARM_UP_SEED) for line in lines + [""]]
    list(clf.label_pages([("warm-up", warm_up)]))
    page = long_page(n_lines)
    non_blank = sum(1 for line in page if line.strip())
    gc.collect()
    before = _rss_mb()
    peak_reset = _reset_peak()
    cpus = []
    for _ in range(repeat):
        forget_lines(clf)
        start = time.process_time()
        ((_, labels),) = list(clf.label_pages([("page", page)]))
        cpus.append(time.process_time() - start)
        assert len(labels) == len(page)
        del labels
        gc.collect()
    peak = _peak_mb()
    return {"lines": n_lines, "non_blank": non_blank, "extra_mb": round(peak - before, 1),
            "peak_reset": peak_reset,
            "cpu_s": round(min(cpus), 3), "us_per_line": round(1e6 * min(cpus) / non_blank, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--lines", default="10000,300000", help="page lengths, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    model_dir = args.model or default_model()
    if args.child is not None:
        print(json.dumps(child(model_dir, args.child, args.repeat)))
        return 0
    from classifier import settings

    print(f"one page of N lines, model {model_dir}; windows of {settings.WINDOW_LINES:,} "
          f"non-blank lines with {settings.WINDOW_CONTEXT:,} lines of context each side")
    for n in (int(x) for x in args.lines.split(",")):
        out = subprocess.run([sys.executable, "-m", "training.benchmark_pages", "--model", str(model_dir),
                              "--repeat", str(args.repeat), "--child", str(n)],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"  {r['lines']:>9,} lines ({r['non_blank']:,} non-blank): extra memory "
              f"{r['extra_mb']:>7,.1f} MB{'' if r['peak_reset'] else ' (lifetime peak: could not reset it)'}, "
              f"{r['us_per_line']:.1f} us CPU per line "
              f"({r['cpu_s']:.2f} s, best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
