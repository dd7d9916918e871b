"""The ``linesift`` command: a thin layer over the library.

Exit codes: 0 success, 1 when some inputs failed (each named on stderr, the rest still
labelled), 2 for usage errors (typer's own), 130 on Ctrl-C, 141 when stdout is closed
early (``| head``). Results go to stdout, always UTF-8; messages to stderr. fastText and
scikit-learn are imported inside the commands, so ``linesift --help`` stays quick.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from .settings import LABELS

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Label every line of a scraped page: body, boilerplate, comment or clickbait.")


DEFAULT_MAX_PAGE_MB = 256.0
"""``--max-page-mb``: a page is held whole while it is labelled (its text and labels;
labelling itself works in bounded windows, see :mod:`classifier.windows`), so one input
of many gigabytes must not take the whole run down with it."""


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    tsv = "tsv"
    text = "text"
    html = "html"
    pages = "pages"
    label = "label"


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


def _load(model: Optional[Path], trust_pickle: bool = False, guide_rule: bool = True):
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
    return clf.with_guide_marks(guide_rule)


_GUIDE_RULE_HELP = ("Label with the model alone, without the rules the guide states outright "
                    "that run after it (classifier/rules.py: script fragments and tag lines are "
                    "boilerplate, the page's own headline and its lists and tables are body, "
                    "comment threads are comments, dated headline lists are not, and the guide's "
                    "clickbait marks are clickbait).")


_TRUST_PICKLE_HELP = ("Load a bundle from an older linesift whose combiner is a pickle "
                      "(combiner.joblib). Unpickling runs any code the file holds: only for "
                      "bundles from a source you trust.")


def _check_labels(keep: Optional[List[str]], default: tuple[str, ...]) -> tuple[str, ...]:
    """``--keep`` values, each one label or a comma-separated list (``--keep body,comment``)."""
    from .arguments import keep_set

    if not keep:
        return default
    try:
        names = keep_set(",".join(keep))
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--keep")
    return tuple(label for label in LABELS if label in names)


def _version(value: bool) -> None:
    if value:
        from . import __version__

        print(f"linesift {__version__}")
        raise typer.Exit()


def _check_jobs(value: str) -> int | str:
    """``--jobs``: a count or ``auto`` (:func:`classifier.jobs.parse_jobs`)."""
    from .jobs import parse_jobs

    try:
        return parse_jobs(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc))


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print linesift's version and exit.")) -> None:
    """Label every line of a scraped page: body, boilerplate, comment or clickbait."""


@app.command()
def label(
    files: List[str] = typer.Argument(None, help="Files to label; '-' (or nothing) reads stdin."),
    fmt: OutputFormat = typer.Option(OutputFormat.jsonl, "--format", "-f",
                                     help="jsonl and tsv: one record per non-blank line; "
                                          "text: only the kept lines (a form-feed line "
                                          "between pages); pages: one JSON record per page "
                                          "(the input record, its text replaced by the kept "
                                          "text, counts per label, mean score); label: "
                                          "labelled pages in the training data format, to "
                                          "correct and feed to train/evaluate; html: a "
                                          "self-contained report for people, one document "
                                          "for the whole batch."),
    keep: Optional[List[str]] = typer.Option(None, "--keep", "-k",
                                             help="Labels to output (repeatable, or "
                                                  "comma-separated: body,comment). Default: "
                                                  "all for jsonl/tsv/html/label, body for "
                                                  "text and pages. html dims the other lines "
                                                  "instead of dropping them."),
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
    jobs: str = typer.Option("1", "--jobs", "-j", callback=_check_jobs,
                             help="Worker processes labelling in parallel (0: one per CPU; "
                                  "auto: one per free core when the input is big enough, "
                                  "else none); output order is unchanged."),
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
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", "-o",
                                              help="With --format text (or html): one file "
                                                   "per page in this directory (created if "
                                                   "missing), named after the file or page "
                                                   "id, instead of stdout."),
    text_key: str = typer.Option("text", "--text-key",
                                 help="With --input jsonl: the record field holding the "
                                      "page's text."),
    id_key: str = typer.Option("id", "--id-key",
                               help="With --input jsonl: the record field holding the page "
                                    "id (default: file:line)."),
    probs: bool = typer.Option(False, "--probs",
                               help="jsonl/tsv: add every label's probability (jsonl: "
                                    "\"probs\"; tsv: p_<label> columns)."),
    min_score: float = typer.Option(0.0, "--min-score", min=0.0, max=1.0,
                                    help="Keep only lines whose label's score is at least "
                                         "this (with --keep: kept label and confident)."),
    max_page_mb: float = typer.Option(DEFAULT_MAX_PAGE_MB, "--max-page-mb", min=0.000001,
                                      help="A page (file, or JSONL record) larger than this "
                                           "many MB is named on stderr and not labelled; "
                                           "the others still are."),
    no_guide_rule: bool = typer.Option(False, "--no-guide-rule", help=_GUIDE_RULE_HELP),
) -> None:
    """Label the lines of pages from files or stdin (plain, .gz, JSONL or .jsonl.gz)."""
    from . import stream_jobs
    from .article import label_by_kind
    from .io import Problem, ReportWriteError, Writer, read_jsonl_inputs, read_text_inputs
    from .isolation import PageFailure, WorkersKeepDying

    kept = _check_labels(keep, ("body",) if fmt in (OutputFormat.text, OutputFormat.pages) else LABELS)
    if report_dir is not None and fmt is not OutputFormat.html:
        raise typer.BadParameter("needs --format html", param_hint="--report-dir")
    if output_dir is not None:
        if fmt not in (OutputFormat.text, OutputFormat.html):
            raise typer.BadParameter("needs --format text or html", param_hint="--output-dir")
        if report_dir is not None:
            raise typer.BadParameter("give --output-dir or --report-dir, not both", param_hint="--output-dir")
        report_dir = output_dir
    if site_key is not None and input_format is not InputFormat.jsonl:
        raise typer.BadParameter("needs --input jsonl", param_hint="--site-key")
    for name, value, default in (("--text-key", text_key, "text"), ("--id-key", id_key, "id")):
        if value != default and input_format is not InputFormat.jsonl:
            raise typer.BadParameter("needs --input jsonl", param_hint=name)
    if fmt is OutputFormat.label and (keep or min_score):
        raise typer.BadParameter("--format label writes every line (training needs them all)",
                                 param_hint="--keep/--min-score")
    if probs and fmt not in (OutputFormat.jsonl, OutputFormat.tsv):
        raise typer.BadParameter("needs --format jsonl or tsv", param_hint="--probs")
    paths = files or ["-"]
    max_bytes = int(max_page_mb * 2**20)
    clf = _load(model, trust_pickle, guide_rule=not no_guide_rule)
    if input_format is InputFormat.jsonl:
        reader = lambda paths: read_jsonl_inputs(paths, site_key, text_key=text_key,  # noqa: E731
                                                 id_key=id_key, max_bytes=max_bytes)
    else:
        html_mode = "always" if input_format is InputFormat.html else "auto"
        reader = lambda paths: read_text_inputs(paths, html=html_mode, max_bytes=max_bytes)  # noqa: E731
    if report_dir is not None:
        try:
            report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fail(f"cannot create output directory {report_dir}: {exc.strerror or exc}")
    writer = Writer(sys.stdout, fmt.value, kept, report_dir=report_dir, dom_path=dom_path,
                    probs=probs, min_score=min_score, text_key=text_key)
    failed = 0

    # the reader's notes wait for the page after them: pages are read ahead into a batch,
    # and a page's own failure must come after the notes on the records before it
    # (a note waits only while pages read before it are still out; at most
    # MAX_WAITING_NOTES of them, so a stream of bad records holds no memory)
    notes: deque[tuple[int, Problem]] = deque()
    read = done = 0

    def pages():
        nonlocal read
        for item in reader(paths):
            if isinstance(item, Problem):
                notes.append((read, item))
                if read == done or len(notes) > MAX_WAITING_NOTES:
                    say_notes(float("inf"))
            else:
                read += 1
                yield item, item.payload, item.site

    def say_note(note: Problem) -> None:
        nonlocal failed
        _say(note.message if note.fatal else f"warning: {note.message}")
        failed += note.fatal

    def say_notes(before: float) -> None:  # the notes read before page number ``before``
        while notes and notes[0][0] <= before:
            say_note(notes.popleft()[1])

    progress = _progress()

    def write_in_this_process() -> None:  # pages labelled (in workers or here), written here
        nonlocal failed, done
        for number, (page, labels) in enumerate(label_by_kind(
                clf, pages(), jobs=jobs, site_memory=site_key is not None, arrays=True,
                errors="report")):
            say_notes(number)
            done = number + 1
            if isinstance(labels, PageFailure):  # that page alone: name it, go on
                _say(f"{page.where}: not labelled: {labels.reason}")
                failed += 1
                continue
            try:
                writer.write(page, labels)
            except ReportWriteError as exc:  # one report file failed: name it, go on
                _say(str(exc))
                failed += 1
            progress(1)
        say_notes(float("inf"))

    def write_from_workers() -> None:  # workers parse, label and format; this process writes
        options = stream_jobs.StreamOptions(fmt.value, kept, text_key=text_key, id_key=id_key,
                                            max_bytes=max_bytes, dom_path=dom_path, probs=probs,
                                            min_score=min_score)
        for done in stream_jobs.label_stream(clf, paths, options, jobs):
            for note in done.notes:
                say_note(note)
            writer.write_formatted(done.text)
            progress(done.pages)

    in_workers = input_format is InputFormat.jsonl and jobs != 1 and stream_jobs.handles(
        fmt.value, site_memory=site_key is not None, output_dir=report_dir is not None)
    try:
        (write_from_workers if in_workers else write_in_this_process)()
        writer.close()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`| head`): nothing more can be delivered; stop quietly
        _quiet_stdout()
        raise typer.Exit(141 if hasattr(signal, "SIGPIPE") else 1)
    except WorkersKeepDying as exc:  # e.g. workers that cannot start
        raise _fail(str(exc))
    except (OSError, ValueError) as exc:  # a full disk, a closed stdout
        if isinstance(exc, ValueError) and "closed file" not in str(exc):
            raise
        _quiet_stdout()
        raise _fail(f"cannot write the output: {getattr(exc, 'strerror', None) or exc}")
    if failed:
        raise _fail(f"{failed} input(s) failed")


MAX_WAITING_NOTES = 1000
"""Reader notes held back until the page before them is out (see ``label``); past this
many they are printed at once, a little out of order, rather than held."""


def _progress():
    """A page counter on stderr when a person is watching, nothing otherwise."""
    if not sys.stderr.isatty():
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(unit="page", file=sys.stderr, mininterval=0.5, delay=1.0)
    return bar.update


class ExplainFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command()
def explain(
    file: str = typer.Argument(..., help="The page to explain (text or HTML); '-' reads stdin."),
    fmt: ExplainFormat = typer.Option(ExplainFormat.text, "--format", "-f",
                                      help="text: for people; json: one record per line; "
                                           "html: the report, cues shown on hover."),
    top: int = typer.Option(3, "--top", min=1, help="Cues shown per line."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model bundle directory."),
    no_guide_rule: bool = typer.Option(False, "--no-guide-rule", help=_GUIDE_RULE_HELP),
) -> None:
    """Each line's label, its probability and the cues that moved it most."""
    import json

    from . import report
    from .explain import explain_page, format_text, hover_text
    from .io import Problem, read_text_inputs

    clf = _load(model, guide_rule=not no_guide_rule)
    for item in read_text_inputs([file]):
        if isinstance(item, Problem):
            _say(item.message if item.fatal else f"warning: {item.message}")
            if item.fatal:
                raise typer.Exit(1)
            continue
        page_model = clf.html_model() if item.html is not None else clf
        explained = explain_page(page_model, item.payload, top=top)
        if fmt is ExplainFormat.text:
            sys.stdout.write(format_text(explained))
        elif fmt is ExplainFormat.json:
            sys.stdout.write("".join(json.dumps(exp.to_dict(), ensure_ascii=False) + "\n"
                                     for exp in explained if exp is not None))
        else:
            labels = [None if exp is None else _as_label(exp) for exp in explained]
            hovers = [hover_text(exp) if exp is not None else "" for exp in explained]
            rendered = report.render_page(item.name, item.lines, labels, hovers=hovers)
            sys.stdout.write(report.document_head(f"linesift explain: {item.name}")
                             + rendered.html + report.document_foot())


def _as_label(exp):
    from .model import LineLabel

    return LineLabel(exp.line, exp.label, exp.score, exp.probs)


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
    force: bool = typer.Option(False, "--force", help="Replace the bundle already in --out."),
) -> None:
    """Train a model bundle on labelled pages (the format `label --format label` writes)."""
    from .data import DataError, read_all
    from .model import LineClassifier

    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        # found before reading data or training, so minutes of work are not lost at the end
        raise _fail(f"{out} already exists and is not empty: pass --force to replace it, "
                    "or choose another --out", code=2)
    try:
        pages = read_all(data)
        cal = read_all(dev) if dev else None
    except (DataError, OSError) as exc:
        raise _fail(str(exc))
    if not pages:
        raise _fail("no labelled pages in the training data")
    seen = {lab for p in pages for lab in p.labels if lab is not None}
    if len(seen) < 2:
        raise _fail(f"cannot train on this data: every labelled line is {', '.join(seen) or 'unlabelled'}; "
                    f"a classifier needs lines of at least two labels (of {', '.join(LABELS)})")
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
        _remove_old_bundle(out)
    except OSError as exc:
        raise _fail(f"cannot write the bundle to {out}: {exc.strerror or exc}")
    clf.save(out, info={"training": {"files": [str(p) for p in data], "pages": len(pages),
                                     "lines": sum(sum(lab is not None for lab in p.labels)
                                                  for p in pages)}})
    print(f"model written to {out}")


def _remove_old_bundle(directory: Path) -> None:
    """With ``--force``: the files the old bundle's manifest lists (and the manifest), so
    none of them outlives the replacement; nothing else in the directory is touched."""
    import json

    from .bundle import MANIFEST

    manifest = directory / MANIFEST
    if not manifest.is_file():
        return
    try:
        names = list(json.loads(manifest.read_text(encoding="utf-8")).get("files", {}))
    except (ValueError, AttributeError):
        names = []
    for name in names + [MANIFEST]:
        target = directory / name
        if target.is_file() and target.resolve().parent == directory.resolve():
            target.unlink()


@app.command()
def evaluate(
    data: List[Path] = typer.Argument(..., help="Labelled pages to score against."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Model bundle directory."),
    trust_pickle: bool = typer.Option(False, "--trust-pickle", help=_TRUST_PICKLE_HELP),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the report as JSON."),
    site_memory: bool = typer.Option(False, help="Label the pages as one stream with their "
                                                 "sites (real pages' \"host\" or \"url\"), "
                                                 "so site memory is used."),
    no_guide_rule: bool = typer.Option(False, "--no-guide-rule", help=_GUIDE_RULE_HELP),
) -> None:
    """Per-label, per-language, per-source P/R/F1, confusion matrix and calibration error."""
    import json

    from .data import DataError, read_all
    from .evaluation import evaluate as score, format_report, prediction_rows

    clf = _load(model, trust_pickle, guide_rule=not no_guide_rule)
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
         as_json: bool = typer.Option(False, "--json", help="Print the facts as one JSON object."),
         trust_pickle: bool = typer.Option(False, "--trust-pickle", help=_TRUST_PICKLE_HELP)) -> None:
    """Describe a model bundle: version, labels, training data, metrics."""
    import json

    from .describe import describe, format_info

    facts = describe(_load(model, trust_pickle))
    print(json.dumps(facts, ensure_ascii=False, indent=2) if as_json else format_info(facts))


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
    finally:
        _skip_exit_collection()


def _skip_exit_collection() -> None:
    """Leave the objects of this run out of the collections Python makes while it exits.

    Why: at exit the cyclic collector walks every object the imports and the model made,
    about 25 ms of a 0.3 s one-page run, to free memory the process hands back anyway.
    Nothing this command writes waits on it: output files are closed in ``with`` blocks
    before we get here, and the interpreter still flushes stdout and stderr and runs its
    exit handlers. (Objects are still freed as their references go; only cycles stay. A
    program that calls :func:`main` in its own process and goes on should call
    ``gc.unfreeze()`` after it.)"""
    gc.freeze()


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
