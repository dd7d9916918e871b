"""The ``linesift`` command: a thin layer over the library.

Exit codes: 0 success, 1 when some inputs failed (each named on stderr, the rest still
labelled), 2 for usage errors (typer's own), 130 on Ctrl-C, 141 when stdout is closed
early (``| head``). Results go to stdout, always UTF-8; messages to stderr. fastText and
scikit-learn are imported inside the commands, so ``linesift --help`` stays quick.
"""

from __future__ import annotations

import os
import signal
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .settings import LABELS

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Label every line of a scraped page: body, boilerplate, comment or clickbait.")


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    tsv = "tsv"
    text = "text"
    html = "html"


class InputFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"
    html = "html"


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM, raised by our own signal handler. A BaseException that is not
    KeyboardInterrupt, so click does not turn it into "Aborted!" and every ``finally``
    (worker pools, open files) still runs on the way out to :func:`main`."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame) -> None:  # noqa: ARG001 - the signal handler's signature
    raise Interrupted(signum)


def install_signal_handlers() -> None:
    """Ctrl-C and SIGTERM end the command through :class:`Interrupted` (see :func:`main`)."""
    signal.signal(signal.SIGINT, _on_signal)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _on_signal)


def _say(message: str) -> None:
    print(f"linesift: {message}", file=sys.stderr, flush=True)


def _fail(message: str, code: int = 1) -> "typer.Exit":
    _say(message)
    return typer.Exit(code)


def _load(model: Optional[Path], trust_pickle: bool = False):
    import warnings

    from .bundle import BundleError
    from .model import LineClassifier
    from .resources import ResourceError
    from .textmodel import TextModelError

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = LineClassifier.load(model, trust_pickle=trust_pickle) if model is not None \
                else LineClassifier.load()
    except (BundleError, TextModelError, ResourceError) as exc:
        raise _fail(str(exc) + ("" if trust_pickle or "trust_pickle" not in str(exc)
                                else " [command line: --trust-pickle]"))
    for warning in caught:
        _say(f"warning: {warning.message}")
    return clf


_TRUST_PICKLE_HELP = ("Load a bundle from an older linesift whose combiner is a pickle "
                      "(combiner.joblib). Unpickling runs any code the file holds: only for "
                      "bundles from a source you trust.")


def _check_labels(keep: Optional[List[str]], default: tuple[str, ...]) -> tuple[str, ...]:
    if not keep:
        return default
    unknown = [k for k in keep if k not in LABELS]
    if unknown:
        raise typer.BadParameter(f"unknown label(s) {', '.join(unknown)}; choose from "
                                 f"{', '.join(LABELS)}", param_hint="--keep")
    return tuple(keep)


@app.command()
def label(
    files: List[str] = typer.Argument(None, help="Files to label; '-' (or nothing) reads stdin."),
    fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f",
                                     help="jsonl and tsv: one record per non-blank line; "
                                          "text: only the kept lines; html: a self-contained "
                                          "report for people, every line coloured by its "
                                          "label, one document for the whole batch."),
    keep: Optional[List[str]] = typer.Option(None, "--keep", "-k",
                                             help="Labels to output (repeatable). Default: all "
                                                  "for jsonl/tsv/html, body for text. html "
                                                  "dims the other lines instead of dropping "
                                                  "them."),
    input_format: InputFormat = typer.Option(InputFormat.text, "--input", "-i",
                                             help="text: each file is a page (a file that "
                                                  "starts like an HTML document is read as "
                                                  "HTML); html: each file is an HTML page; "
                                                  "jsonl: one page per line as "
                                                  "{\"id\": ..., \"text\": ...}."),
    dom_path: bool = typer.Option(False, "--dom-path",
                                  help="jsonl/tsv: add each HTML line's DOM path (the "
                                       "element its text came from)."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model bundle directory."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help=_TRUST_PICKLE_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=0,
                             help="Worker processes labelling in parallel (0: one per CPU); "
                                  "output order is unchanged."),
    site_key: Optional[str] = typer.Option(None, "--site-key",
                                           help="With --input jsonl: the record field holding "
                                                "the page's URL (its host is the site) or site "
                                                "name. Lines a site repeats across its pages "
                                                "in the stream then count as such (site "
                                                "memory; bounded, earlier pages only)."),
    report_dir: Optional[Path] = typer.Option(None, "--report-dir",
                                              help="With --format html: write one report "
                                                   "file per input into this directory "
                                                   "(created if missing) instead of one "
                                                   "document on stdout."),
) -> None:
    """Label the lines of pages from files or stdin."""
    from .io import Problem, ReportWriteError, Writer, read_jsonl_inputs, read_text_inputs

    kept = _check_labels(keep, ("body",) if fmt is OutputFormat.text else LABELS)
    if report_dir is not None and fmt is not OutputFormat.html:
        raise typer.BadParameter("needs --format html", param_hint="--report-dir")
    if site_key is not None and input_format is not InputFormat.jsonl:
        raise typer.BadParameter("needs --input jsonl", param_hint="--site-key")
    paths = files or ["-"]
    clf = _load(model, trust_pickle)
    if input_format is InputFormat.jsonl:
        reader = lambda paths: read_jsonl_inputs(paths, site_key)  # noqa: E731
    else:
        html_mode = "always" if input_format is InputFormat.html else "auto"
        reader = lambda paths: read_text_inputs(paths, html=html_mode)  # noqa: E731
    if report_dir is not None:
        try:
            report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fail(f"cannot create report directory {report_dir}: {exc.strerror or exc}")
    writer = Writer(sys.stdout, fmt.value, kept, report_dir=report_dir, dom_path=dom_path)
    failed = 0

    def pages():
        nonlocal failed
        for item in reader(paths):
            if isinstance(item, Problem):
                _say(item.message if item.fatal else f"warning: {item.message}")
                failed += item.fatal
            else:
                yield item, item.payload, item.site

    progress = _progress()
    try:
        for page, labels in _label_by_kind(clf, pages(), jobs=jobs, site_memory=site_key is not None):
            try:
                writer.write(page, labels)
            except ReportWriteError as exc:  # one report file failed: name it, go on
                _say(str(exc))
                failed += 1
            progress(1)
        writer.close()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`| head`): nothing more can be delivered; stop quietly
        _quiet_stdout()
        raise typer.Exit(141 if hasattr(signal, "SIGPIPE") else 1)
    except (OSError, ValueError) as exc:  # a full disk, a closed stdout
        if isinstance(exc, ValueError) and "closed file" not in str(exc):
            raise
        _quiet_stdout()
        raise _fail(f"cannot write the output: {getattr(exc, 'strerror', None) or exc}")
    if failed:
        raise _fail(f"{failed} input(s) failed")


def _label_by_kind(clf, items, **options):
    """Runs of plain-text pages go to ``clf``, runs of HTML pages to its HTML model; pages
    come out in input order either way."""
    from itertools import groupby

    for is_html, run in groupby(items, key=lambda item: item[0].html is not None):
        model = clf.html_model() if is_html else clf
        yield from model.label_pages(run, **options)


def _progress():
    """A page counter on stderr when a person is watching, nothing otherwise."""
    if not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(unit="page", file=sys.stderr, mininterval=0.5, delay=1.0)
    return bar.update


@app.command()
def train(
    data: List[Path] = typer.Argument(..., help="Labelled pages (JSONL, optionally gzipped)."),
    out: Path = typer.Option(..., "--out", "-o", help="Directory to write the bundle to."),
    dev: Optional[List[Path]] = typer.Option(None, "--dev",
                                             help="Held-out pages for calibration (default: "
                                                  "15% of the training sites)."),
    quantize: bool = typer.Option(False, help="Quantise the fastText model (.ftz format): "
                                              "about 8x smaller, about 3x slower to predict."),
    site_memory: bool = typer.Option(False, help="Add site-memory columns, from each real "
                                                 "page's \"host\" (or \"url\"), pages "
                                                 "remembered in file order."),
    topic_cues: bool = typer.Option(False, help="Add topic-overlap columns: how much of each "
                                                "line's vocabulary the page's prose shares."),
) -> None:
    """Train a model bundle on labelled pages."""
    from .data import DataError, read_all
    from .model import LineClassifier

    try:
        pages = read_all(data)
        cal = read_all(dev) if dev else None
    except (DataError, OSError) as exc:
        raise _fail(str(exc))
    if not pages:
        raise _fail("no labelled pages in the training data")
    clf = LineClassifier(quantize=quantize, site_memory=site_memory, topic_cues=topic_cues)
    try:
        clf.fit([p.lines for p in pages], [p.labels for p in pages],
                groups=[p.group for p in pages], sites=[p.site for p in pages],
                calibration=([p.lines for p in cal], [p.labels for p in cal], [p.site for p in cal])
                if cal else None,
                progress=True)
    except ValueError as exc:  # e.g. too few pages or sites to split, a label never seen
        raise _fail(f"cannot train on this data: {exc}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _fail(f"cannot write the bundle to {out}: {exc.strerror or exc}")
    clf.save(out, info={"training": {"files": [str(p) for p in data], "pages": len(pages),
                                     "lines": sum(sum(lab is not None for lab in p.labels)
                                                  for p in pages)}})
    print(f"model written to {out}")


@app.command()
def evaluate(
    data: List[Path] = typer.Argument(..., help="Labelled pages to score against."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model bundle directory."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help=_TRUST_PICKLE_HELP),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON."),
    site_memory: bool = typer.Option(False, help="Label the pages as one stream with their "
                                                 "sites (real pages' \"host\" or \"url\"), "
                                                 "so site memory is used."),
) -> None:
    """Per-label, per-language, per-source P/R/F1, confusion matrix and calibration error."""
    import json

    from .data import DataError, read_all
    from .evaluation import evaluate as score, format_report, prediction_rows

    clf = _load(model, trust_pickle)
    try:
        pages = read_all(data)
    except (DataError, OSError) as exc:
        raise _fail(str(exc))
    rows = prediction_rows(clf, pages, site_memory=site_memory)
    if not rows:
        raise _fail("no labelled lines to evaluate on")
    report = score(rows)
    print(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


@app.command()
def info(model: Optional[Path] = typer.Option(None, "--model", "-m",
                                              help="Model bundle directory."),
         trust_pickle: bool = typer.Option(False, "--trust-pickle", help=_TRUST_PICKLE_HELP)) -> None:
    """Describe a model bundle: version, labels, training data, metrics."""
    import json

    from .bundle import MODEL_CARD, sha256_file

    clf = _load(model, trust_pickle)
    manifest = clf.manifest_
    card = clf.path_ / MODEL_CARD
    card_state = "missing"
    if card.is_file():
        card_state = ("matches manifest" if manifest["files"].get(MODEL_CARD) == sha256_file(card)
                      else "edited since the bundle was written")
    print(f"model:       {clf.path_}")
    print(f"version:     {manifest.get('version', 'unversioned')}")
    print(f"labels:      {', '.join(manifest['labels'])}")
    print(f"features:    version {manifest.get('feature_version')}, "
          f"{len(manifest.get('feature_names', ()))} columns")
    print("libraries:   " + ", ".join(f"{k} {v}" for k, v in manifest.get("libraries", {}).items()))
    print(f"training:    {json.dumps(manifest.get('training', {}), ensure_ascii=False)}")
    metrics = manifest.get("metrics")
    if metrics:
        print(f"metrics:     {json.dumps(metrics, ensure_ascii=False)}")
    print(f"model card:  {card} ({card_state})")
    print("files:       " + ", ".join(f"{k} sha256:{v[:12]}" for k, v in manifest["files"].items()))


def main() -> None:
    """Entry point: quiet on a closed pipe and on Ctrl-C, as a Unix filter should be.

    Typer already turns Ctrl-C inside a command into exit 130 and a closed stdout into a
    quiet exit; the handlers here cover the moments outside a command (start-up, the
    final flush). Any other exception is a bug, reported in one line (``LINESIFT_DEBUG=1``
    shows the traceback) rather than as a traceback a pipeline would have to parse around.
    """
    # scikit-learn's tree ensembles predict with OpenMP threads, which spin: on a busy
    # machine they slow labelling down twenty-fold and more, and the CLI is one process
    # per core by design. Set before scikit-learn (and its OpenMP runtime) is loaded;
    # an explicit OMP_NUM_THREADS in the environment wins.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    install_signal_handlers()
    try:
        if sys.stdout is None:  # started with stdout closed (`>&-`)
            _say("cannot write the output: standard output is closed")
            sys.exit(1)
        try:
            # results are UTF-8 whatever the locale: an ASCII or Latin-1 terminal encoding
            # would otherwise turn every Arabic letter into "?" and lose the text
            sys.stdout.reconfigure(encoding="utf-8", errors="replace")
        except AttributeError:  # pragma: no cover - stdout replaced by an embedding program
            pass
        app()
    except (KeyboardInterrupt, Interrupted) as exc:
        _quiet_stdout()
        signum = getattr(exc, "signum", signal.SIGINT)
        _say("interrupted" if signum == signal.SIGINT else "terminated")
        sys.exit(128 + int(signum))
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(141 if hasattr(signal, "SIGPIPE") else 1)
    except OSError as exc:  # the final flush on a full disk
        _quiet_stdout()
        _say(f"cannot write the output: {exc.strerror or exc}")
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence, see above
        if os.environ.get("LINESIFT_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (set LINESIFT_DEBUG=1 for details)")
        sys.exit(1)


def _quiet_stdout() -> None:
    """The reader went away (``| head``): point stdout at devnull so the interpreter's
    final flush does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # pragma: no cover - stdout already closed or replaced
        pass


if __name__ == "__main__":  # pragma: no cover
    main()
