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
             + [json.dumps({"id": "huge", "text": "word " * 3000}).encode() + b"\n"] + good[25:])
    a = tmp / "a.jsonl"
    a.write_bytes(b"".join(first))
    b = tmp / "b.jsonl.gz"
    b.write_bytes(gzip.compress(b"".join([bad_utf8 + b"\n"] + _records(12, 4, "b"))))
    return [str(a), str(tmp / "missing.jsonl"), str(b)]


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
    assert err.count("invalid UTF-8 bytes replaced") == 2  # once per file
    assert "malformed JSON record" in err and "page larger than" in err and "missing.jsonl" in err


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
