"""The linesift command (SPEC sections 3 and 7): formats, exit codes, bad input."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pagegen
from classifier import LABELS, LineClassifier
from classifier.io import TSV_HEADER
from classifier.page import split_lines
from helpers import EXAMPLES, ROOT, run_cli

runner = CliRunner()


def invoke(model_dir, *args, input=None):
    return runner.invoke(app_(), ["label", "--model", str(model_dir), *args], input=input)


def app_():
    from classifier.cli import app

    return app


def records(stdout: str) -> list[dict]:
    """JSONL records; every physical line (even by ``str.splitlines``) is one record."""
    assert stdout.splitlines() == stdout.split("\n")[:-1] if stdout else True
    return [json.loads(line) for line in stdout.splitlines()]


def non_blank(text: str) -> list[tuple[int, str]]:
    return [(i + 1, line) for i, line in enumerate(split_lines(text)) if line.strip()]


@pytest.fixture
def write(tmp_path):
    def _write(name: str, data: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        return path
    return _write


# --- output formats -------------------------------------------------------------------------

def test_jsonl_one_record_per_non_blank_line(model_dir, clf):
    path = EXAMPLES / "en_article.txt"
    text = path.read_text(encoding="utf-8")
    result = invoke(model_dir, str(path))
    assert result.exit_code == 0, result.stderr
    recs = records(result.stdout)
    assert all(set(r) == {"file", "line", "label", "score", "text"} for r in recs)
    assert [(r["line"], r["text"]) for r in recs] == non_blank(text)
    assert {r["file"] for r in recs} == {str(path)}
    expected = [lab for lab in clf.label_text(text) if lab]
    assert [r["label"] for r in recs] == [lab.label for lab in expected]
    assert all(abs(r["score"] - lab.score) < 1e-4 for r, lab in zip(recs, expected))
    assert all(r["label"] in LABELS and 0.0 <= r["score"] <= 1.0 for r in recs)


def test_several_files_in_order(model_dir, example_texts):
    paths = [EXAMPLES / f"{name}.txt" for name in ("mixed_article", "en_article", "ar_article")]
    result = invoke(model_dir, *map(str, paths))
    assert result.exit_code == 0
    recs = records(result.stdout)
    expected = [(str(p), n, line) for p in paths for n, line in non_blank(example_texts[p.stem])]
    assert [(r["file"], r["line"], r["text"]) for r in recs] == expected


def test_tsv_header_columns_and_escaping(model_dir, write):
    path = write("tabs.txt", "Home\n\ncol\tumn and back\\slash\nplain\n")
    result = invoke(model_dir, "--format", "tsv", str(path))
    assert result.exit_code == 0
    rows = result.stdout.splitlines()
    assert rows[0] == TSV_HEADER == "file\tline\tlabel\tscore\ttext"
    cells = [row.split("\t") for row in rows[1:]]
    assert all(len(c) == 5 for c in cells)
    assert [c[1] for c in cells] == ["1", "3", "4"]
    assert cells[1][4] == "col\\tumn and back\\\\slash"
    assert all(c[2] in LABELS and 0 <= float(c[3]) <= 1 for c in cells)


@pytest.mark.parametrize("keep", [[], ["--keep", "body"]])
def test_text_format_keeps_body_and_paragraphs(model_dir, clf, example_texts, keep):
    result = invoke(model_dir, "--format", "text", *keep, str(EXAMPLES / "en_article.txt"))
    assert result.exit_code == 0
    expected = clf.clean(example_texts["en_article"])
    assert result.stdout == (expected + "\n" if expected else "")


def test_text_format_with_keep_and_several_pages(model_dir, clf, example_texts):
    names = ("en_article", "ar_article")
    keep = ("comment", "clickbait")
    args = ["--format", "text"] + [a for k in keep for a in ("--keep", k)]
    result = invoke(model_dir, *args, *(str(EXAMPLES / f"{n}.txt") for n in names))
    assert result.exit_code == 0
    parts = [clf.clean(example_texts[n], keep=keep) for n in names]
    # pages apart by a form-feed line (classifier.io.PAGE_SEPARATOR), paragraphs by blank lines
    assert result.stdout == "\f\n".join(p + "\n" for p in parts if p)


def test_keep_filters_jsonl(model_dir, clf, example_texts):
    result = invoke(model_dir, "-k", "body", "-k", "comment", str(EXAMPLES / "ar_article.txt"))
    assert result.exit_code == 0
    recs = records(result.stdout)
    expected = [lab for lab in clf.label_text(example_texts["ar_article"])
                if lab and lab.label in ("body", "comment")]
    assert [r["line"] for r in recs] == [lab.line for lab in expected]


def test_unknown_keep_label_is_a_usage_error(model_dir):
    result = invoke(model_dir, "--keep", "headline", str(EXAMPLES / "en_article.txt"))
    assert result.exit_code == 2
    assert "headline" in result.stderr
    assert result.stdout == ""


def test_unknown_format_is_a_usage_error(model_dir):
    result = invoke(model_dir, "--format", "xml", str(EXAMPLES / "en_article.txt"))
    assert result.exit_code == 2


def test_stdin_dash_and_no_arguments(model_dir, example_texts):
    data = example_texts["mixed_article"].encode("utf-8")
    with_dash = invoke(model_dir, "-", input=data)
    without = invoke(model_dir, input=data)
    assert with_dash.exit_code == without.exit_code == 0
    assert with_dash.stdout == without.stdout
    recs = records(with_dash.stdout)
    assert [(r["line"], r["text"]) for r in recs] == non_blank(example_texts["mixed_article"])
    assert {r["file"] for r in recs} == {"-"}


# --- JSONL input ------------------------------------------------------------------------------

@pytest.fixture
def example_jsonl(write, example_texts):
    """The example pages as a JSONL stream, one ``{"id", "text"}`` record each."""
    return write("pages.jsonl", "".join(json.dumps({"id": name, "text": text}, ensure_ascii=False)
                                        + "\n" for name, text in example_texts.items()))


def test_jsonl_input_pages(model_dir, clf, example_jsonl):
    source = example_jsonl
    result = invoke(model_dir, "--input", "jsonl", str(source))
    assert result.exit_code == 0
    recs = records(result.stdout)
    pages = [json.loads(line) for line in source.read_text("utf-8").splitlines()]
    expected = [(p["id"], lab.line) for p in pages for lab in clf.label_text(p["text"]) if lab]
    assert [(r["file"], r["line"]) for r in recs] == expected


def test_jsonl_malformed_record_named_and_others_labelled(model_dir, write):
    good = [json.dumps({"id": "first", "text": "Home\n\nSome words."}),
            '{"id": "broken", "text": "unterminated',
            json.dumps({"id": "third", "text": "Leave a Reply"}),
            json.dumps(["not", "an", "object"]),
            json.dumps({"id": "no-text"}),
            json.dumps({"text": "An id-less page"}),
            "[" * 100_000,
            json.dumps({"id": "last", "text": "Final line"})]
    path = write("pages.jsonl", "\n".join(good) + "\n")
    result = invoke(model_dir, "--input", "jsonl", str(path))
    assert result.exit_code == 1
    for n in (2, 4, 5, 7):
        assert f"pages.jsonl:{n}:" in result.stderr
    assert "Traceback" not in result.stderr
    recs = records(result.stdout)
    assert [r["file"] for r in recs] == ["first", "first", "third", f"{path}:6", "last"]


def test_jsonl_lone_surrogate_and_invalid_utf8(model_dir, write):
    lines = [json.dumps({"id": "s", "text": "bad \ud800 char"}).encode(),
             b'{"id": "b", "text": "caf\xe9"}',
             b'{"id": "c", "text": "\xff\xfe again"}']
    path = write("odd.jsonl", b"\n".join(lines) + b"\n")
    result = invoke(model_dir, "-i", "jsonl", str(path))
    assert result.exit_code == 0
    assert result.stderr.count("warning") == 1
    recs = records(result.stdout)
    assert [r["file"] for r in recs] == ["s", "b", "c"]
    assert recs[0]["text"] == "bad \ufffd char"


def test_jsonl_from_stdin(model_dir):
    data = (json.dumps({"id": 7, "text": "Home"}) + "\n\n" + json.dumps({"id": "x", "text": "b"})).encode()
    result = invoke(model_dir, "-i", "jsonl", "-", input=data)
    assert result.exit_code == 0
    assert [r["file"] for r in records(result.stdout)] == ["7", "x"]


# --- bad files ------------------------------------------------------------------------------

def test_missing_file_and_directory_among_good_files(model_dir, write, tmp_path):
    a = write("a.txt", "Home\nText line\n")
    b = write("b.txt", "Another\n")
    missing = tmp_path / "missing.txt"
    result = invoke(model_dir, str(a), str(missing), str(tmp_path), str(b))
    assert result.exit_code == 1
    assert str(missing) in result.stderr
    assert f"{tmp_path}: is a directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert [(r["file"], r["line"]) for r in records(result.stdout)] == \
        [(str(a), 1), (str(a), 2), (str(b), 1)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(model_dir, write):
    locked = write("locked.txt", "secret\n")
    locked.chmod(0)
    good = write("good.txt", "Home\n")
    result = invoke(model_dir, str(locked), str(good))
    assert result.exit_code == 1
    assert "locked.txt" in result.stderr
    assert [r["file"] for r in records(result.stdout)] == [str(good)]


def test_missing_jsonl_file(model_dir, tmp_path, example_jsonl):
    result = invoke(model_dir, "-i", "jsonl", str(tmp_path / "none.jsonl"), str(example_jsonl))
    assert result.exit_code == 1
    assert "none.jsonl" in result.stderr
    assert len(records(result.stdout)) > 0


@pytest.mark.parametrize("content", [b"", b"\n\n\n", b"  \t \r\n \r \n", b"\xef\xbb\xbf"])
def test_empty_and_blank_files_give_no_records(model_dir, write, content):
    path = write("empty.txt", content)
    for fmt in ("jsonl", "tsv", "text"):
        result = invoke(model_dir, "--format", fmt, str(path))
        assert result.exit_code == 0
        assert result.stdout == (TSV_HEADER + "\n" if fmt == "tsv" else "")
        assert result.stderr == ""


def test_invalid_utf8_one_warning_per_file_lines_kept(model_dir, write):
    bad = write("bad.txt", b"Caf\xe9 one\n\xff\xfe\xfd\n\nok \xc3\x28 three\n" + b"\x80" * 50 + b"\n")
    good = write("good.txt", "fine\n")
    result = invoke(model_dir, str(bad), str(good))
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "bad.txt" in warnings[0]
    recs = records(result.stdout)
    assert [(r["file"], r["line"]) for r in recs] == \
        [(str(bad), 1), (str(bad), 2), (str(bad), 4), (str(bad), 5), (str(good), 1)]
    assert recs[0]["text"].startswith("Caf\ufffd")


def test_utf16_file_with_bom(model_dir, write, example_texts):
    text = example_texts["ar_article"]
    path = write("u16.txt", b"\xfe\xff" + text.encode("utf-16-be"))
    result = invoke(model_dir, str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert [(r["line"], r["text"]) for r in records(result.stdout)] == non_blank(text)


def test_control_bidi_and_zero_width_characters_survive(model_dir, write):
    lines = ["nul\x00byte", "bell\x07 and esc\x1b[0m", "\u202eevil override\u202c",
             "\u200f\u0639\u0631\u0628\u064a\u200e mark", "zero\u200bwidth\ufeffjoiner",
             "form\ffeed\u2028inside", "\x85next-line char"]
    path = write("odd.txt", "\r\n".join(lines) + "\r")
    result = invoke(model_dir, str(path))
    assert result.exit_code == 0
    recs = records(result.stdout)
    assert [(r["line"], r["text"]) for r in recs] == list(enumerate(lines, 1))


def test_a_ten_megabyte_line(model_dir, write):
    line = ("lorem ipsum dolor " * 600_000)[:10_000_000]
    path = write("big.txt", "Home\n" + line + "\n")
    result = invoke(model_dir, str(path))
    assert result.exit_code == 0
    recs = records(result.stdout)
    assert len(recs) == 2
    assert recs[1]["line"] == 2 and len(recs[1]["text"]) == 10_000_000


# --- other commands ---------------------------------------------------------------------------

def test_info_prints_labels_and_files(model_dir):
    result = runner.invoke(app_(), ["info", "--model", str(model_dir)])
    assert result.exit_code == 0
    assert "labels:      body, boilerplate, comment, clickbait" in result.stdout
    assert "combiner.npz sha256:" in result.stdout


def test_evaluate_prints_macro_f1_and_confusion(model_dir, data_dir, tmp_path):
    report_path = tmp_path / "report.json"
    result = runner.invoke(app_(), ["evaluate", str(data_dir / "heldout.jsonl"),
                                    "--model", str(model_dir), "--json", str(report_path)])
    assert result.exit_code == 0, result.stderr
    assert "macro-F1" in result.stdout
    assert "confusion (rows gold, columns predicted)" in result.stdout
    for label in LABELS:
        assert any(line.startswith(label) for line in result.stdout.splitlines())
    report = json.loads(report_path.read_text())
    n_lines = sum(1 for r in pagegen.training_pages(n=6, seed=101) for line in r["lines"]
                  if line["label"])
    assert report["overall"]["n"] == n_lines
    assert sum(map(sum, report["confusion"])) == n_lines
    assert 0.0 <= report["overall"]["macro_f1"] <= 1.0


def test_evaluate_names_a_bad_data_file(model_dir, write):
    path = write("bad.jsonl", '{"page_id": "x", "lines": [{"text": "a", "label": "body"}]}\n{oops\n')
    result = runner.invoke(app_(), ["evaluate", str(path), "--model", str(model_dir)])
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.stderr


@pytest.mark.parametrize("content", [b"\xff\xfe\x00garbage", b"\x1f\x8b\x08\x00broken gzip"])
def test_evaluate_undecodable_data_file(model_dir, write, content):
    path = write("bad.jsonl.gz" if content.startswith(b"\x1f\x8b") else "bad.jsonl", content)
    result = runner.invoke(app_(), ["evaluate", str(path), "--model", str(model_dir)])
    assert result.exit_code == 1
    assert path.name in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_evaluate_missing_data_file(model_dir, tmp_path):
    result = runner.invoke(app_(), ["evaluate", str(tmp_path / "none.jsonl"), "--model", str(model_dir)])
    assert result.exit_code == 1
    assert "none.jsonl" in result.stderr


def test_train_writes_a_loadable_bundle(tmp_path):
    data = pagegen.write_jsonl(tmp_path / "small.jsonl", pagegen.training_pages(n=12, seed=5))
    out = tmp_path / "model"
    proc = run_cli("train", str(data), "--out", str(out), "--no-quantize", "--topic-cues")
    assert proc.returncode == 0, proc.stderr.decode()
    clf = LineClassifier.load(out)
    assert clf.manifest_["training"]["pages"] == 12
    assert clf.topic_cues and "topic_prose_share" in clf.manifest_["feature_names"]
    labels = clf.label_text((EXAMPLES / "en_article.txt").read_bytes())
    assert len(labels) == len(split_lines((EXAMPLES / "en_article.txt").read_text("utf-8")))


def test_train_rejects_bad_data(write, tmp_path):
    path = write("bad.jsonl", '{"page_id": "x", "lines": [{"text": "a", "label": "headline"}]}\n')
    result = runner.invoke(app_(), ["train", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.stderr and "headline" in result.stderr
    assert not (tmp_path / "m").exists()


def test_train_with_too_little_data_fails_cleanly(write, tmp_path):
    page = {"page_id": "only", "lines": [{"text": "Home", "label": "boilerplate"}]}
    path = write("one.jsonl", json.dumps(page) + "\n")
    result = runner.invoke(app_(), ["train", str(path), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert result.stderr.startswith("linesift: ")
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


# --- the process: python -m classifier.cli, pipes, signals ---------------------------------------

def test_module_entry_point_runs(model_dir):
    proc = run_cli("--help")
    assert proc.returncode == 0
    assert b"label" in proc.stdout and b"train" in proc.stdout
    proc = run_cli("label", "--model", str(model_dir), str(EXAMPLES / "ar_article.txt"))
    assert proc.returncode == 0 and proc.stderr == b""
    text = (EXAMPLES / "ar_article.txt").read_text("utf-8")
    assert len(proc.stdout.decode("utf-8").splitlines()) == len(non_blank(text))


def test_process_exit_codes(model_dir, tmp_path):
    assert run_cli("label", "--model", str(model_dir), "--keep", "nope", "-", input=b"x").returncode == 2
    proc = run_cli("label", "--model", str(model_dir), str(tmp_path / "missing"))
    assert proc.returncode == 1
    assert b"missing" in proc.stderr and b"Traceback" not in proc.stderr


def test_closed_pipe_is_quiet(model_dir, tmp_path):
    page = {"id": "p", "text": "Home\n\nA line of text about the quay.\nLeave a Reply\n" * 20}
    path = tmp_path / "many.jsonl"
    path.write_text((json.dumps(page) + "\n") * 300, encoding="utf-8")  # far beyond a pipe buffer
    proc = subprocess.Popen([sys.executable, "-m", "classifier.cli", "label", "--model",
                             str(model_dir), "-i", "jsonl", str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()           # the reader goes away, like `| head -1`
    stderr = proc.stderr.read()
    proc.wait(timeout=120)
    assert json.loads(first)["file"] == "p"
    assert b"Traceback" not in stderr and b"Error" not in stderr, stderr
    assert proc.returncode == 141


def test_closed_pipe_in_a_shell_pipeline(model_dir, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("A line of text about the quay.\n\n" * 20_000, encoding="utf-8")
    cmd = (f"{sys.executable} -m classifier.cli label --model '{model_dir}' '{path}' | head -n 2")
    proc = subprocess.run(["sh", "-c", cmd], cwd=ROOT, capture_output=True, timeout=120)
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 2
    assert proc.stderr == b""


def _blocked_reading_stdin(pid: int) -> bool:
    """True when the process's main thread sits in read(0, ...) (Linux /proc)."""
    fields = Path(f"/proc/{pid}/syscall").read_text().split()
    read_nr = {"x86_64": "0", "aarch64": "63"}.get(os.uname().machine)
    return len(fields) > 1 and fields[0] == read_nr and int(fields[1], 16) == 0


@pytest.mark.skipif(not Path("/proc/self/syscall").exists() or
                    os.uname().machine not in ("x86_64", "aarch64"),
                    reason="needs Linux /proc/PID/syscall to see the process waiting on stdin")
def test_ctrl_c_while_waiting_on_stdin_prints_no_traceback(model_dir):
    proc = subprocess.Popen([sys.executable, "-m", "classifier.cli", "label", "--model",
                             str(model_dir), "-"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # wait (no fixed sleep) until start-up and model loading are over and the process
        # is blocked reading stdin; the deadline only guards against a hang
        deadline = time.monotonic() + 60
        try:
            while not _blocked_reading_stdin(proc.pid):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"never blocked on stdin: {proc.stderr.read()!r}")
                time.sleep(0.02)
        except PermissionError:
            pytest.skip("/proc/PID/syscall not readable here")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert b"Traceback" not in err and b"KeyboardInterrupt" not in err, err
    assert out == b""
    assert proc.returncode == 130


def test_output_is_utf8_whatever_the_locale(model_dir):
    env = dict(os.environ, PYTHONIOENCODING="ascii", LC_ALL="C")
    proc = run_cli("label", "--model", str(model_dir), str(EXAMPLES / "ar_article.txt"), env=env)
    assert proc.returncode == 0, proc.stderr
    texts = [json.loads(line)["text"] for line in proc.stdout.decode("utf-8").splitlines()]
    assert texts == [line for _, line in
                     non_blank((EXAMPLES / "ar_article.txt").read_text(encoding="utf-8"))]


def test_unexpected_error_is_one_line_not_a_traceback(model_dir, tmp_path):
    """A bundle that verifies but holds the wrong kind of combiner: one line on stderr."""
    import shutil

    from classifier.bundle import read_manifest, write_manifest

    bundle = Path(shutil.copytree(model_dir, tmp_path / "odd"))
    (bundle / "combiner.json").write_text('{"not": "a combiner"}', encoding="utf-8")
    write_manifest(bundle, read_manifest(bundle))      # re-pinned: the bundle is "trusted"
    proc = run_cli("label", "--model", str(bundle), "-", input=b"Home\n")
    assert proc.returncode == 1
    stderr = proc.stderr.decode()
    assert stderr.startswith("linesift: ") and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_main_limits_openmp_threads_unless_told(monkeypatch):
    from classifier.cli import main

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr("classifier.cli._skip_exit_collection", lambda: None)  # this process goes on
    monkeypatch.setattr(sys, "argv", ["linesift", "--help"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 0
    assert os.environ["OMP_NUM_THREADS"] == "1"
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    with pytest.raises(SystemExit):
        main()
    assert os.environ["OMP_NUM_THREADS"] == "3"


def test_jsonl_records_are_exactly_what_json_dumps_writes(clf):
    """The JSONL writer builds each record's text from its parts (for speed); it must be
    byte for byte json.dumps of the record, whatever the line and file name hold."""
    import io

    import numpy as np

    from classifier import LABELS
    from classifier.html import HtmlLines
    from classifier.io import Page, Writer

    lines = ['He said "go" \\ now', "tab\there\x1f", "عربي “مقتبس”", "bell\x07 and é", "x" * 300]
    name = 'dir/"odd" name\t.txt'
    labels = clf.label(lines)
    for dom_path in (False, True):
        html = HtmlLines(lines, ["/html/body/p[1]", None, "/p\"q", None, "/x"],
                         np.zeros((len(lines), 44), dtype=np.float32), "utf-8") if dom_path else None
        out = io.StringIO()
        Writer(out, "jsonl", LABELS, dom_path=dom_path).write(Page(name, lines, html=html), labels)
        expected = []
        for i, (text, lab) in enumerate(zip(lines, labels)):
            record = {"file": name, "line": lab.line, "label": lab.label, "score": round(lab.score, 4)}
            if dom_path:
                record["path"] = html.paths[i]
            record["text"] = text
            expected.append(json.dumps(record, ensure_ascii=False))
        assert out.getvalue() == "\n".join(expected) + "\n"


def test_an_html_page_that_cannot_be_read_is_named_and_the_others_are_labelled(model_dir, tmp_path, monkeypatch):
    """extract() is not meant to raise; should it ever on one page, that page is named on
    stderr and the run goes on with the rest (a page's failure stopped the whole run)."""
    import classifier.io as io_module

    real = io_module.extract

    def fragile(data):
        if b"poison" in data:
            raise ValueError("All strings must be XML compatible")
        return real(data)

    monkeypatch.setattr(io_module, "extract", fragile)
    good = "<html><body><h1>River rises</h1><p>The river rose two metres overnight.</p></body></html>"
    paths = []
    for name, html in (("a.html", good), ("bad.html", good.replace("River rises", "poison")), ("c.html", good)):
        (tmp_path / name).write_text(html, encoding="utf-8")
        paths.append(str(tmp_path / name))
    result = invoke(model_dir, "--input", "html", "--format", "label", *paths)
    assert result.exit_code == 1
    assert "bad.html: not read as HTML: ValueError" in result.stderr
    assert [r["page_id"] for r in records(result.stdout)] == [paths[0], paths[2]]
