"""Speed, start-up, memory and size of linesift, printed as figures (never a timed test).

    python -m training.benchmark [--model DIR] [--pages N] [--repeat R] [--stream-mb MB]
        [--jobs-mb MB] [--skip-stream] [--skip-cli] [--skip-datatrove]

Every figure of issue 18's "Done when", each beside its yardstick measured in the same
run, on a fixed set of pages (the first N pages of ``build/corpus/test.jsonl.gz`` when it
exists, else a seeded generated stand-in):

1. library: ``LineClassifier.label_pages`` over the pages as text, in this process, with
   native thread pools limited to one thread (threadpoolctl, ``OMP_NUM_THREADS=1``):
   lines/s (non-blank lines labelled) and pages/s, each round with a freshly loaded model
   (so nothing is remembered from an earlier round); then jusText labelling the same lines
   (each non-blank line one ``<p>`` of one HTML document per page; English stoplist, Arabic
   for pages whose lines are mostly Arabic) and the ratio (target 5x, goal 6x), R rounds of
   each, alternating, so both meet the same load on a shared machine; then the shipped
   fastText model alone on the distinct lines (target: linesift at least 45% of it);
2. HTML: ``label_html`` against trafilatura's ``extract`` on the same pages (target 4x), and
   the same pages in batches (``extract`` each, then the HTML model's ``label_pages``, the
   way the README labels many pages: the same labels, one model call per batch);
3. one page of 10,000 and of 300,000 lines (:mod:`training.benchmark_pages`' measure):
   per-line time (target: within 20%) and extra memory (target: under 300 MB);
4. the model bundle's size on disk;
5. one page, whole process: ``python -m classifier.cli label examples/en_article.txt``
   (and the installed ``linesift`` script when on PATH), median of 7 runs (target 0.25 s),
   beside ``python -c 'import numpy'`` as the yardstick of this machine's state, split into
   interpreter start, imports, model loading and the rest, and the heavy modules the label
   path imports (none of joblib, scikit-learn, scipy is wanted); with the bytecode cache on,
   as an installed package has it (:func:`child_env`);
6. ``--jobs auto`` against ``--jobs 1`` on a ``--jobs-mb`` MB JSONL file, whole process: as
   the machine is (target 1.7x on 2 free cores) and with every core kept busy (target:
   never slower);
7. the datatrove pipeline with 1 and 2 workers;
8. memory: peak resident set of ``linesift label --input jsonl -`` while a seeded
   generator streams ``--stream-mb`` MB of JSONL into its stdin (output to /dev/null).
"""

from __future__ import annotations

import os

# one native thread everywhere, set before numpy (and its BLAS) is imported
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import html  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS_TEST = ROOT / "build" / "corpus" / "test.jsonl.gz"
EXAMPLE = ROOT / "examples" / "en_article.txt"
_BAD_HTML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def default_model() -> Path:
    shipped = ROOT / "models" / "default"
    return shipped if (shipped / "manifest.json").is_file() else ROOT / "build" / "model2"


# -- the pages --------------------------------------------------------------------------------

def standin_pages(n: int, seed: int = 13) -> list[tuple[str, list[str]]]:
    """Seeded pages shaped like scraped news pages (nav, headline, paragraphs, comments,
    footer), English and Arabic, for when the corpus is not built."""
    rng = random.Random(seed)
    en = ("the council said on friday that the new bridge over the river would open next "
          "spring after three years of work and a long dispute about its cost").split()
    ar = "قال المجلس يوم الجمعة إن الجسر الجديد فوق النهر سيفتتح في الربيع المقبل بعد ثلاث سنوات من العمل".split()
    nav = ["Home", "News", "Sport", "Business", "Opinion", "Contact us", "Subscribe", "Sign in",
           "الرئيسية", "أخبار", "رياضة", "اتصل بنا"]
    pages = []
    for i in range(n):
        words = ar if rng.random() < 0.3 else en
        lines = rng.sample(nav, rng.randint(3, 8)) + [""]
        lines.append(" ".join(rng.choices(words, k=rng.randint(6, 12))).capitalize())
        lines.append("")
        for _ in range(rng.randint(3, 12)):
            lines.append(" ".join(rng.choices(words, k=rng.randint(20, 70))) + ".")
            lines.append("")
        for _ in range(rng.randint(0, 8)):
            lines += [f"user{rng.randint(1, 999)} · {rng.randint(1, 59)} minutes ago",
                      " ".join(rng.choices(words, k=rng.randint(4, 25))), "Reply", ""]
        lines += ["Privacy policy | Terms of use", f"© {rng.randint(2015, 2025)} The Daily"]
        pages.append((f"standin/{i}", lines))
    return pages


def load_pages(n: int) -> tuple[str, list[tuple[str, list[str]]]]:
    if CORPUS_TEST.is_file():
        from classifier.data import read_pages

        pages = []
        for page in read_pages(CORPUS_TEST):
            pages.append((page.page_id, page.lines))
            if len(pages) >= n:
                break
        return f"first {len(pages)} pages of {CORPUS_TEST.relative_to(ROOT)}", pages
    return f"{n} generated stand-in pages (seed 13; {CORPUS_TEST.name} not found)", standin_pages(n)


def forget_lines(clf) -> None:
    """Empty the line caches of ``clf``'s text models (an n-gram scorer has none), so a
    round labels every line as if for the first time: a round after another over the same
    lines would otherwise look them all up."""
    for model in (clf.text_model_, getattr(clf, "headline_model_", None)):
        if hasattr(model, "forget"):
            model.forget()


def arabic_majority(lines: list[str]) -> bool:
    from classifier.evaluation import line_language

    langs = [line_language(t) for t in lines if t.strip()]
    return langs.count("ar") > langs.count("en")


# -- 1. library throughput --------------------------------------------------------------------

def timed(fn, repeat: int, setup=lambda: None) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeat):
        setup()
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus


def rate_line(name: str, n_lines: int, n_pages: int, walls: list[float], cpus: list[float]) -> float:
    best, med, cpu = min(walls), statistics.median(walls), min(cpus)
    print(f"  {name:9s} {n_lines / best:>10,.0f} lines/s  {n_pages / best:>8,.1f} pages/s   "
          f"(best of {len(walls)}: {best:.3f} s wall; median {med:.3f} s; "
          f"CPU best {cpu:.3f} s = {n_lines / cpu:,.0f} lines/s)")
    return n_lines / best


def library_throughput(model_dir: Path, pages: list[tuple[str, list[str]]], repeat: int) -> None:
    from threadpoolctl import threadpool_limits

    from classifier import LineClassifier

    threadpool_limits(1)
    texts = [(pid, "\n".join(lines)) for pid, lines in pages]
    n_lines = sum(1 for _, lines in pages for t in lines if t.strip())
    for _ in LineClassifier.load(model_dir).label_pages(texts[:20]):  # warm-up: lazy tables
        pass
    state = {}

    def fresh_model():  # every round starts cold: the text model remembers repeated lines
        state["clf"] = LineClassifier.load(model_dir)

    def run_linesift():
        for _ in state["clf"].label_pages(texts):
            pass

    import justext

    stoplists = {False: justext.get_stoplist("English"), True: justext.get_stoplist("Arabic")}
    docs = []
    for _, lines in pages:
        paragraphs = "".join("<p>" + html.escape(_BAD_HTML_CHARS.sub(" ", t), quote=False) + "</p>\n"
                             for t in lines if t.strip())
        docs.append(("<html><body>\n" + paragraphs + "</body></html>", stoplists[arabic_majority(lines)]))
    seen = []

    def run_justext():
        seen.clear()
        for doc, stoplist in docs:
            seen.append(len(justext.justext(doc, stoplist)))

    print(f"library, one process, one thread: {n_lines:,} non-blank lines in {len(pages)} pages")
    # rounds alternate (linesift, jusText, linesift, ...) so both meet the same load on a
    # shared machine; the ratio is also given per pair of neighbouring rounds
    ours_w, ours_c, theirs_w, theirs_c = [], [], [], []
    for _ in range(repeat):
        for fn, setup, walls, cpus in ((run_linesift, fresh_model, ours_w, ours_c),
                                       (run_justext, lambda: None, theirs_w, theirs_c)):
            w, c = timed(fn, 1, setup)
            walls += w
            cpus += c
    ours = rate_line("linesift", n_lines, len(pages), ours_w, ours_c)
    theirs = rate_line("jusText", n_lines, len(pages), theirs_w, theirs_c)
    if sum(seen) != n_lines:
        print(f"  (jusText returned {sum(seen):,} paragraphs for the {n_lines:,} lines)")
    paired = sorted(t / o for o, t in zip(ours_c, theirs_c))
    print(f"  ratio     linesift / jusText = {ours / theirs:.2f}x best against best; per pair of "
          f"alternating rounds (CPU time) median {statistics.median(paired):.2f}x, range "
          f"{paired[0]:.2f}-{paired[-1]:.2f}x")
    fasttext_rate = raw_fasttext(model_dir, pages, repeat)
    print(f"  linesift / raw fastText = {ours / fasttext_rate:.0%} (linesift's lines/s over all "
          f"lines, fastText's over the distinct lines)")
    print(f"  targets: >= 5x jusText (goal 6x) {'met' if ours >= 5 * theirs else 'NOT met'}; "
          f">= 45% of raw fastText {'met' if ours >= 0.45 * fasttext_rate else 'NOT met'}")


def raw_fasttext(model_dir: Path, pages: list[tuple[str, list[str]]], repeat: int) -> float:
    """The shipped fastText model alone (``predict`` of its Python package, all labels) on
    the distinct non-blank lines of the same pages, normalised beforehand as linesift feeds
    them (normalising is not counted): the yardstick of the model's own arithmetic."""
    from classifier import LineClassifier
    from classifier.textmodel import normalise

    clf = LineClassifier.load(model_dir)
    distinct = list(dict.fromkeys(t for _, lines in pages for t in lines if t.strip()))
    texts = normalise(distinct, clf.text_model_.max_chars)
    model = clf.text_model_._model
    walls, cpus = timed(lambda: model.predict(texts, k=-1), repeat)
    return rate_line("fastText", len(texts), len(pages), walls, cpus)


# -- 2. one page, whole process ---------------------------------------------------------------

def child_env() -> dict[str, str]:
    """The environment of the measured processes: this checkout on the path, and Python's
    bytecode cache on, in a directory of its own (``build/pycache``).

    Why: an installed linesift has its modules compiled (pip does it at install), but a
    shell with PYTHONDONTWRITEBYTECODE set (as on the development machines) compiles every
    module of an editable checkout at each start, about 0.2 s of the one-page figure that
    no installed user pays. The first measured run fills the cache; the median is of runs
    that read it. The cache lives under build/ so the checkout is not strewn with it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONPYCACHEPREFIX=str(ROOT / "build" / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def median_run(cmd: list[str], runs: int, env: dict, capture: bool = False) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=env, cwd=ROOT, text=True)
        times.append(time.perf_counter() - t)
        if done.returncode:
            raise SystemExit(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr[-500:]}")
        out = done.stdout or ""
    return statistics.median(times), out


def one_page_process(model_dir: Path, env: dict, runs: int = 7) -> None:
    py = sys.executable
    label = ["label", "--model", str(model_dir), str(EXAMPLE)]
    imports = "import classifier.cli, classifier.io, classifier.model, classifier.article, fasttext"
    median_run([py, "-m", "classifier.cli", *label], 1, env)  # fills the bytecode cache (child_env)
    start, _ = median_run([py, "-c", "pass"], runs, env)
    numpy_only, _ = median_run([py, "-c", "import numpy"], runs, env)
    print(f"  yardstick, same run: python -c 'import numpy' {numpy_only:.3f} s (interpreter alone "
          f"{start:.3f} s)")
    probe_label = ("import sys, contextlib, io\n"
                   f"sys.argv = ['linesift', 'label', {str(EXAMPLE)!r}]\n"
                   "from classifier._entry import main\n"
                   "try:\n"
                   "    with contextlib.redirect_stdout(io.StringIO()):\n"
                   "        main()\n"
                   "except SystemExit:\n"
                   "    pass\n"
                   "print(' '.join(m for m in ('joblib', 'sklearn', 'scipy', 'pydantic', 'lxml') "
                   "if m in sys.modules))")
    _, loaded = median_run([py, "-c", probe_label], 1, env, capture=True)
    print(f"  heavy modules imported by the label path: {loaded.strip() or 'none'} "
          "(of joblib, sklearn, scipy, pydantic, lxml)")
    imported, _ = median_run([py, "-c", imports], runs, env)
    loads = []
    for _ in range(runs):
        _, out = median_run([py, "-c", imports + "\nimport time\nt = time.perf_counter()\n"
                             f"classifier.model.LineClassifier.load({str(model_dir)!r})\n"
                             "print(time.perf_counter() - t)"], 1, env, capture=True)
        loads.append(float(out))
    load = statistics.median(loads)
    n_lines = sum(1 for t in EXAMPLE.read_text(encoding="utf-8").splitlines() if t.strip())
    print(f"one page, whole process ({EXAMPLE.relative_to(ROOT)}, {n_lines} non-blank lines), "
          f"median of {runs} runs:")
    commands = [("python -m classifier.cli", [py, "-m", "classifier.cli", *label])]
    installed = shutil.which("linesift")
    if installed:
        commands.append((installed, [installed, *label]))
    for name, cmd in commands:
        total, _ = median_run(cmd, runs, env)
        rest = total - imported - load
        verdict = "met" if total <= 0.25 else "NOT met"
        print(f"  {name}: {total:.3f} s (target <= 0.25 s {verdict}; {total / numpy_only:.2f}x the "
              f"yardstick) = interpreter start {start:.3f} s + imports "
              f"{imported - start:.3f} s ({(imported - start) / total:.0%}) + model load {load:.3f} s "
              f"({load / total:.0%}) + label, write, exit {rest:.3f} s ({rest / total:.0%})")
    if not installed:
        print("  (no installed 'linesift' script on PATH)")
    probe = subprocess.run([py, "-X", "importtime", "-c", imports], stderr=subprocess.PIPE,
                           stdout=subprocess.DEVNULL, env=env, cwd=ROOT, text=True).stderr
    costs = {}
    for line in probe.splitlines():  # "import time: self [us] | cumulative | imported package"
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            if not name.startswith("  ") and name.strip():  # top-level imports only
                costs[name.strip()] = int(parts[1]) / 1e6
    top = sorted(costs.items(), key=lambda kv: -kv[1])[:6]
    print("  largest top-level imports (-X importtime, cumulative): "
          + ", ".join(f"{k} {v:.3f} s" for k, v in top))


# -- 3. memory on a stream --------------------------------------------------------------------

def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def stream_memory(model_dir: Path, pages: list[tuple[str, list[str]]], stream_mb: int,
                  env: dict) -> None:
    cmd = [sys.executable, "-m", "classifier.cli", "label", "--model", str(model_dir),
           "--input", "jsonl", "-"]
    target = stream_mb * 1024 * 1024
    pool = [json.dumps("\n".join(lines), ensure_ascii=False) for _, lines in pages]
    pool_lines = [sum(1 for t in lines if t.strip()) for _, lines in pages]
    errors = tempfile.TemporaryFile()
    child = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                             stderr=errors, env=env, cwd=ROOT)
    sent = {"bytes": 0, "pages": 0, "lines": 0}

    def feed():
        rng = random.Random(13)
        order = list(range(len(pool)))
        try:
            while sent["bytes"] < target:
                rng.shuffle(order)
                for k in order:
                    record = f'{{"id": "gen/{sent["pages"]}", "text": {pool[k]}}}\n'.encode("utf-8")
                    child.stdin.write(record)
                    sent["bytes"] += len(record)
                    sent["pages"] += 1
                    sent["lines"] += pool_lines[k]
                    if sent["bytes"] >= target:
                        break
        except BrokenPipeError:
            pass
        finally:
            try:
                child.stdin.close()
            except BrokenPipeError:
                pass

    t0 = time.perf_counter()
    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    samples = []  # (share of the stream sent, RSS MB)
    while True:
        # wait4 reaps exactly this child and keeps its own rusage (ru_maxrss: its peak)
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            break
        rss = _rss_mb(child.pid)
        if rss is not None:
            samples.append((sent["bytes"] / target, rss))
        time.sleep(0.5)
    feeder.join()
    elapsed = time.perf_counter() - t0
    errors.seek(0)
    err = errors.read().decode("utf-8", "replace")
    print(f"memory on a stream: {sent['bytes'] / 2**20:,.0f} MB of JSONL ({sent['pages']:,} pages, "
          f"{sent['lines']:,} non-blank lines) into linesift label --input jsonl - > /dev/null")
    peak = usage.ru_maxrss / 1024
    print(f"  peak resident {peak:,.0f} MB (ru_maxrss of the child; target < 500 MB "
          f"{'met' if peak < 500 else 'NOT met'}); exit "
          f"{child.returncode}; {elapsed:,.0f} s, {sent['lines'] / elapsed:,.0f} lines/s, "
          f"{sent['bytes'] / 2**20 / elapsed:.2f} MB/s")
    trace = []
    for mark in (0.1, 0.25, 0.5, 0.75, 1.0):
        at = [rss for share, rss in samples if share <= mark]
        if at:
            trace.append(f"{mark:.0%} {max(at):,.0f} MB")
    print("  resident (VmRSS every 0.5 s), highest by share of the stream sent: " + ", ".join(trace))
    if child.returncode:
        print("  stderr: " + err[-500:])


# -- 4 and 5 ----------------------------------------------------------------------------------

def bundle_size(model_dir: Path) -> None:
    files = sorted(p for p in model_dir.iterdir() if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print(f"bundle {model_dir}: {total / 2**20:.2f} MB on disk ("
          + ", ".join(f"{p.name} {p.stat().st_size / 2**20:.2f} MB" for p in files)
          + f"); target <= 25 MB {'met' if total <= 25 * 2**20 else 'NOT met'}")


def jobs_auto(model_dir: Path, pages, stream_mb: int, env: dict) -> None:
    """``linesift label --input jsonl --jobs auto`` against ``--jobs 1`` on a ``stream_mb`` MB
    JSONL file, whole process, alternating (best of 2 each): first as the machine is, then
    with every usable core kept busy by a spinning process (started here, stopped after)."""
    from classifier.jobs import auto_jobs, current_load, usable_cores

    target = stream_mb * 2**20
    rng = random.Random(18)
    with tempfile.TemporaryDirectory(prefix="linesift-bench-") as tmp:
        path = Path(tmp) / "stream.jsonl"
        size = n_lines = n_pages = 0
        with open(path, "w", encoding="utf-8") as fh:
            while size < target:
                _, lines = pages[rng.randrange(len(pages))]
                record = json.dumps({"id": f"p{n_pages}", "text": "\n".join(lines)}, ensure_ascii=False) + "\n"
                fh.write(record)
                size += len(record.encode("utf-8"))
                n_lines += sum(1 for t in lines if t.strip())
                n_pages += 1
        base = [sys.executable, "-m", "classifier.cli", "label", "--model", str(model_dir),
                "--input", "jsonl", str(path), "--jobs"]
        print(f"--jobs auto: {size / 2**20:.0f} MB of JSONL ({n_pages:,} pages, {n_lines:,} non-blank "
              f"lines), whole process, output to /dev/null, best of 2, alternating:")
        for busy in (False, True):
            spinners = []
            if busy:
                spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                            for _ in range(usable_cores())]
                time.sleep(2)  # auto samples the CPU counters; the spinners need only be running
            try:
                chosen, load = auto_jobs(10**9, False), current_load()
                times = {"1": [], "auto": []}
                for _ in range(2):
                    for jobs in ("1", "auto"):
                        times[jobs].append(median_run(base + [jobs], 1, env)[0])
                one, auto = min(times["1"]), min(times["auto"])
                state = (f"every core busy ({len(spinners)} spinning processes)" if busy
                         else "the machine as it is")
                print(f"  {state}, {load:.2f} cores busy (sampled) on {usable_cores()} usable cores "
                      f"(auto chooses {chosen} {'workers' if chosen > 1 else 'process: this one'}):")
                print(f"    --jobs 1 {one:.2f} s ({n_lines / one:,.0f} lines/s); --jobs auto {auto:.2f} s "
                      f"({n_lines / auto:,.0f} lines/s): x{one / auto:.2f}; target "
                      + ("never slower than one core (x >= 0.95 allowing noise) "
                         + ("met" if one / auto >= 0.95 else "NOT met") if busy else
                         ">= 1.7x on 2 free cores " + ("met" if one / auto >= 1.7 else
                                                         "NOT met (are 2 cores free?)")))
            finally:
                for proc in spinners:
                    proc.kill()
                    proc.wait()


def big_page(model_dir: Path, env: dict) -> None:
    """Per-line time and extra memory of one page of 10,000 and of 300,000 lines, each in a
    fresh process, measured as :mod:`training.benchmark_pages` measures them (one way to
    measure, so its README figures and these agree): the peak resident set while labelling (the
    peak reset just before) less the resident set just before it."""
    print("one big page, fresh process each (training.benchmark_pages: CPU time of labelling, "
          "peak resident over the resident set before labelling):")
    per_line = {}
    for n in (10_000, 300_000):
        done = subprocess.run([sys.executable, "-m", "training.benchmark_pages", "--model", str(model_dir),
                               "--repeat", "3", "--child", str(n)],
                              capture_output=True, text=True, env=env, cwd=ROOT)
        if done.returncode:
            print(f"  {n:,} lines: failed: {done.stderr[-300:]}")
            return
        result = json.loads(done.stdout.strip().splitlines()[-1])
        per_line[n] = result["us_per_line"]
        print(f"  {n:,} lines ({result['non_blank']:,} non-blank): {per_line[n]:.1f} us/line, "
              f"extra memory {result['extra_mb']:,.0f} MB (target < 300 MB "
              f"{'met' if result['extra_mb'] < 300 else 'NOT met'})")
    ratio = per_line[300_000] / per_line[10_000]
    print(f"  300k / 10k per-line time: {ratio:.2f} (target <= 1.20 {'met' if ratio <= 1.2 else 'NOT met'})")


def html_pages_figure(model_dir: Path, pages, repeat: int) -> None:
    """``label_html`` against trafilatura's ``extract`` on the same HTML pages (the stand-in
    pages as news-like documents: navigation list, headline, paragraphs, comments, footer),
    pages/s, alternating rounds, best of ``repeat``; and the batched path a crawler takes
    (one page at a time, each call pays the model's fixed cost: at 190 lines a page that is
    a third of the time)."""
    try:
        import trafilatura
    except ImportError:
        print("HTML pages: skipped (trafilatura not installed: pip install 'linesift[training]')")
        return
    from classifier import LineClassifier

    docs = []
    for _, lines in pages:
        chunks = [t for t in lines if t.strip()]
        esc = [html.escape(_BAD_HTML_CHARS.sub(" ", t), quote=False) for t in chunks]
        nav = "".join(f"<li><a href='/{i}'>{t}</a></li>" for i, t in enumerate(esc[:6]))
        body = "".join(f"<p>{t}</p>" for t in esc[6:-2])
        docs.append(f"<!DOCTYPE html><html><head><title>{esc[6] if len(esc) > 6 else ''}</title></head>"
                    f"<body><nav><ul>{nav}</ul></nav><article><h1>{esc[6] if len(esc) > 6 else ''}</h1>"
                    f"{body}</article><footer>{''.join(f'<p>{t}</p>' for t in esc[-2:])}</footer>"
                    "</body></html>")
    from classifier.html import extract

    clf = LineClassifier.load(model_dir)
    clf.label_html(docs[0])  # the HTML model loaded, tables built
    html_clf = clf.html_model()

    def batched():  # the README's way for many pages: extract each, label them in batches
        for _ in html_clf.label_pages((i, extract(d)) for i, d in enumerate(docs)):
            pass

    ours_w, batch_w, theirs_w = [], [], []
    for _ in range(repeat):
        ours_w += timed(lambda: [clf.label_html(d) for d in docs], 1)[0]
        batch_w += timed(batched, 1)[0]
        theirs_w += timed(lambda: [trafilatura.extract(d, include_comments=False) for d in docs], 1)[0]
    ours, batch, theirs = (len(docs) / min(w) for w in (ours_w, batch_w, theirs_w))
    print(f"HTML pages ({len(docs)} generated documents), best of {repeat}: linesift label_html "
          f"{ours:,.1f} pages/s, trafilatura extract {theirs:,.1f} pages/s: x{ours / theirs:.2f} "
          f"(target >= 4x {'met' if ours >= 4 * theirs else 'NOT met'}); in batches (extract, then "
          f"the HTML model's label_pages, the same labels) {batch:,.1f} pages/s: x{batch / theirs:.2f} "
          f"({'met' if batch >= 4 * theirs else 'NOT met'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=None,
                        help="bundle (default: models/default, else build/model2)")
    parser.add_argument("--pages", type=int, default=1000, help="pages for the library figures")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the library figures")
    parser.add_argument("--stream-mb", type=int, default=1024, help="size of the JSONL stream")
    parser.add_argument("--jobs-mb", type=int, default=50, help="size of the --jobs auto JSONL file")
    parser.add_argument("--skip-stream", action="store_true", help="skip the memory figure")
    parser.add_argument("--skip-cli", action="store_true", help="skip the whole-process figures")
    parser.add_argument("--skip-datatrove", action="store_true",
                        help="skip the datatrove pipeline figure (needs the 'datatrove' extra)")
    args = parser.parse_args(argv)
    model_dir = (args.model or default_model()).resolve()

    import numpy

    print("command: " + shlex.join(["python", "-m", "training.benchmark",
                                    *(sys.argv[1:] if argv is None else argv)]))
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, load average "
          + " ".join(f"{x:.2f}" for x in os.getloadavg())
          + f"; Python {platform.python_version()}, numpy {numpy.__version__}; model {model_dir}")
    description, pages = load_pages(args.pages)
    print(f"pages: {description}")
    env = child_env()
    print()
    library_throughput(model_dir, pages, args.repeat)
    print()
    html_pages_figure(model_dir, pages, args.repeat)
    print()
    big_page(model_dir, env)
    print()
    bundle_size(model_dir)
    if not args.skip_cli:
        print()
        one_page_process(model_dir, env)
        print()
        jobs_auto(model_dir, pages, args.jobs_mb, env)
    if not args.skip_datatrove:
        print()
        datatrove_pipeline(model_dir, pages)
    if not args.skip_stream:
        print()
        stream_memory(model_dir, pages, args.stream_mb, env)
    return 0


def datatrove_pipeline(model_dir: Path, pages: list[tuple[str, list[str]]], tasks: int = 4) -> None:
    """JSONL reader -> linesift step -> JSONL writer on datatrove's local executor, the same
    pages, with 1 and 2 worker processes (see ``training.benchmark_datatrove``)."""
    try:
        from training.benchmark_datatrove import quiet_logs, run
    except ImportError as exc:  # pragma: no cover - depends on the environment
        print(f"datatrove pipeline: skipped ({exc}; pip install 'linesift[datatrove]')")
        return
    quiet_logs()
    docs = [(pid, "\n".join(lines)) for pid, lines in pages]
    print(f"datatrove pipeline (JsonlReader -> LineSiftStep keep=body -> JsonlWriter, {tasks} tasks, "
          f"local executor; wall time includes worker start and model loads):")
    for workers in (1, 2):
        print(run(docs, workers, tasks=tasks, model=model_dir).line())


if __name__ == "__main__":
    sys.exit(main())
