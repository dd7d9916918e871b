"""Issue 18, ``--jobs`` on JSONL: workers parse, label and format the records
(:mod:`classifier.stream_jobs`); the output, notes and errors are exactly those of
``--jobs 1``, which reads the stream in this process with the ordinary reader."""

from __future__ import annotations

import gzip
import io
import json

import pytest

import pagegen
from classifier import parallel, stream_jobs
from classifier.io import Writer
from helpers import run_cli


def _records(n: int, seed: int, prefix: str) -> list[bytes]:
    pages = pagegen.training_pages(n=n, seed=seed)
    return [json.dumps({"id": f"{prefix}{i}", "text": "\n".join(line["text"] for line in page["lines"]),
                        "lang": page.get("lang")}, ensure_ascii=False).encode() + b"\n"
            for i, page in enumerate(pages)]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Two JSONL files with every kind of trouble a record can bring, and a missing file."""
    tmp = tmp_path_factory.mktemp("stream")
    good = _records(30, 3, "a")
    bad_utf8 = json.dumps({"id": "latin", "text": "Caf\u00e9 line one\nline two"}).encode().replace(
        b"Caf\\u00e9", b"Caf\xe9")
    first = (good[:4] + [b"{not json\n", b"\n", bad_utf8 + b"\n"] + good[4:12]
             + [json.dumps({"id": "notext", "body": "x"}).encode() + b"\n"]
             + good[12:25] + [bad_utf8.replace(b"latin", b"latin2") + b"\n"]  # warned once per file
             + [json.dumps({"text": "no id here\nsecond line"}).encode() + b"\n"]
             + [json.dumps({"id": "huge", "text": "word " * 3000}).encode() + b"\n"]
             # nested deeper than io.MAX_NESTING (malformed either way), and nested less
             + [b'{"id": "deep", "text": "a line", "x": ' + b"[" * 800 + b"]" * 800 + b"}\n",
                b'{"id": "nested", "text": "a line\\nanother", "x": ' + b"[" * 300 + b"]" * 300 + b"}\n"]
             + good[25:])
    a = tmp / "a.jsonl"
    a.write_bytes(b"".join(first))
    b = tmp / "b.jsonl.gz"
    b.write_bytes(gzip.compress(b"".join([bad_utf8 + b"\n"] + _records(12, 4, "b"))))
    return [str(a), str(tmp / "missing.jsonl"), str(b), str(a)]  # a file given twice is read twice


FORMATS = [("jsonl",), ("jsonl", "--probs"), ("tsv", "--keep", "body,comment"), ("text",),
           ("text", "--min-score", "0.6"), ("pages",), ("label",)]


def _cli(model_dir, inputs, fmt_args, jobs: str):
    args = ["label", "--model", str(model_dir), "--input", "jsonl", "--max-page-mb", "0.01",
            "--jobs", jobs, "--format", *fmt_args, *inputs]
    return run_cli(*args, timeout=300)


@pytest.mark.parametrize("fmt_args", FORMATS, ids=" ".join)
def test_workers_write_what_one_process_writes(model_dir, inputs, fmt_args):
    one = _cli(model_dir, inputs, fmt_args, "1")
    two = _cli(model_dir, inputs, fmt_args, "2")
    assert one.returncode == two.returncode == 1  # the bad records fail the run
    assert one.stdout and two.stdout == one.stdout
    assert two.stderr == one.stderr
    err = one.stderr.decode()
    assert err.count("invalid UTF-8 bytes replaced") == 3  # once per file read
    assert "malformed JSON record" in err and "page larger than" in err and "missing.jsonl" in err
    assert err.count("nested too deeply") == 2 and '"nested"' not in err


def _in_library(clf, inputs, fmt: str, jobs, monkeypatch, chunk_bytes: int) -> tuple[str, list[str]]:
    """stdout and stderr messages of a run through :func:`stream_jobs.label_stream`, chunks
    of ``chunk_bytes`` (many chunks: records warned about once per file fall in different
    ones)."""
    monkeypatch.setattr(stream_jobs, "CHUNK_BYTES", chunk_bytes)
    out = io.StringIO()
    keep = ("body", "boilerplate", "comment", "clickbait") if fmt != "text" else ("body",)
    writer = Writer(out, fmt, keep)
    options = stream_jobs.StreamOptions(fmt, keep, max_bytes=10_485)
    notes = []
    for done in stream_jobs.label_stream(clf, inputs, options, jobs):
        notes += [note.message for note in done.notes]
        writer.write_formatted(done.text)
    return out.getvalue(), notes


@pytest.mark.parametrize("fmt", ["jsonl", "text"])
def test_small_chunks_in_workers_and_in_process_agree_with_the_cli(clf, model_dir, inputs, fmt,
                                                                    monkeypatch):
    """Chunks of 2 KB: many chunks in flight, the once-per-file note split across them; the
    same run in workers and in this process (what ``--jobs auto`` does when it picks one
    process) give the CLI's one-process output."""
    one = _cli(model_dir, inputs, (fmt,), "1")
    expected_notes = [line.removeprefix("linesift: ").removeprefix("warning: ")
                      for line in one.stderr.decode().splitlines() if "input(s) failed" not in line]
    for jobs in (2, 1):
        text, notes = _in_library(clf, inputs, fmt, jobs, monkeypatch, 2048)
        assert text == one.stdout.decode(), jobs
        assert notes == expected_notes, jobs


def test_auto_reads_the_head_raw_and_keeps_a_small_input_in_this_process(clf, inputs, monkeypatch):
    """``jobs="auto"`` estimates the head's lines from the raw records (escaped line ends)
    and, for an input far smaller than a worker's share, starts no worker."""
    seen = {}

    def fake_auto(lines, exhausted, **_):
        seen.update(lines=lines, exhausted=exhausted)
        return 1

    monkeypatch.setattr(stream_jobs, "auto_jobs", fake_auto)
    monkeypatch.setattr(parallel, "map_in_workers",
                        lambda *a, **k: pytest.fail("workers started for a small input"))
    text, _ = _in_library(clf, inputs, "jsonl", "auto", monkeypatch, 2048)
    assert seen["exhausted"] is True
    labelled = text.count('"line": ')  # non-blank lines labelled
    every_line = 0  # blank ones too, of every record that is read
    for path in inputs:
        if "missing" not in path:
            raw = gzip.decompress(open(path, "rb").read()) if path.endswith(".gz") else open(path, "rb").read()
            for record in raw.decode("utf-8", "replace").splitlines():
                if record.strip() and len(record) <= 10_485:
                    try:
                        every_line += len(json.loads(record).get("text", "").split("\n"))
                    except ValueError:
                        every_line += 1  # a malformed record counts as one line
    assert labelled > 100
    assert labelled <= seen["lines"] <= every_line


def test_estimated_lines_count_escaped_line_ends():
    raw = json.dumps({"id": 1, "text": "one\ntwo\n\nfour"}).encode()
    assert stream_jobs._estimated_lines(("f", 1, raw)) == 4
    assert stream_jobs._estimated_lines(("f", 2, None)) == 0


def test_nesting_counts_brackets_outside_strings():
    from classifier.io import MAX_NESTING, nesting

    assert nesting('{"a": [1, {"b": "[[[{"}], "c": "\\"]]"}') == 3
    assert nesting("[" * 40 + "]" * 40) == 40
    assert nesting('"just a string"') == 0
    assert MAX_NESTING < 900  # well below where the decoder's own stack limit falls


def test_a_failing_record_is_reported_after_the_notes_on_the_records_before_it(model_dir, tmp_path):
    """The one-process CLI reads records ahead into a batch; its notes on them wait for
    the page after them, so stderr is in record order with and without workers."""
    import subprocess
    import sys

    import crashhook
    from helpers import ROOT

    path = tmp_path / "order.jsonl"
    path.write_bytes(b"".join(_records(2, 5, "x")[:1]
                              + [json.dumps({"id": "r", "text": f"Headline\n{crashhook.RAISE}"}).encode() + b"\n",
                                 b"{not json\n"] + _records(2, 6, "y")))
    errs = []
    for jobs in ("1", "2"):
        run = subprocess.run([sys.executable, str(ROOT / "tests" / "crashhook.py"), "label", "--model",
                              str(model_dir), "--input", "jsonl", "--jobs", jobs, str(path)],
                             capture_output=True, cwd=ROOT, timeout=300)
        errs.append(run.stderr.decode().splitlines())
    assert errs[0] == errs[1]
    where = [line.split(": ")[1].split(" ")[0] for line in errs[0][:2]]  # "linesift: FILE:LINE ..."
    assert where == [f"{path}:2", f"{path}:3"]  # the failing record, then the malformed one after it


def test_workers_that_never_start_leave_every_record_named(clf, tmp_path, monkeypatch):
    """Workers dying at start-up: an unreadable input keeps its own note, a record its
    parsing notes and then its failure, a malformed one its own note; nothing raises."""
    import crashhook

    path = tmp_path / "few.jsonl"
    bad_utf8 = json.dumps({"id": "latin", "text": "Caf\u00e9 line"}).encode().replace(b"Caf\\u00e9", b"Caf\xe9")
    path.write_bytes(bad_utf8 + b"\n{oops\n")
    monkeypatch.setattr(parallel, "_init_worker", crashhook.exit_at_start)
    options = stream_jobs.StreamOptions("jsonl", ("body",))
    notes = [note.message for done in stream_jobs.label_stream(clf, [str(tmp_path / "missing.jsonl"), str(path)],
                                                                options, 2)
             for note in done.notes]
    assert "missing.jsonl: cannot read" in notes[0]
    assert "invalid UTF-8 bytes replaced" in notes[1]
    assert notes[2].startswith(f"{path}:1 (id latin): not labelled: the worker process")
    assert "malformed JSON record" in notes[3] and len(notes) == 4
