"""Issue 16, item 3: one page that fails (an exception while labelling it, a worker that
dies under it) is named and the run goes on; a dead worker is replaced; the other pages'
output is exactly what it would have been."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
from pathlib import Path

import pytest

import crashhook
import pagegen
from classifier import parallel
from classifier.isolation import PageFailedError, PageFailure
from classifier.model import LineClassifier
from classifier.workers import DIED
from helpers import ROOT, run_cli

TESTS = Path(__file__).resolve().parent


def _pages(n: int = 24, seed: int = 5) -> list[tuple[str, list[str]]]:
    return [(f"p{i}", [line["text"] for line in record["lines"]])
            for i, record in enumerate(pagegen.training_pages(n=n, seed=seed))]


def _with_bad(pages, index: int, marker: str):
    bad = ("bad", ["A headline", marker, "A closing line of the page."])
    return pages[:index] + [bad] + pages[index:]


@pytest.fixture()
def planted_raise(monkeypatch):
    real = LineClassifier._predict_prepared

    def predict_or_raise(self, pages):
        if any(crashhook.RAISE in page.lines for page in pages):
            raise RuntimeError("planted fault")
        return real(self, pages)

    monkeypatch.setattr(LineClassifier, "_predict_prepared", predict_or_raise)


def test_a_page_that_raises_is_reported_in_its_place_and_the_rest_unchanged(clf, planted_raise):
    pages = _pages()
    expected = dict(clf.label_pages(pages, batch_lines=10**6))
    got = list(clf.label_pages(_with_bad(pages, 7, crashhook.RAISE), batch_lines=10**6,
                               errors="report"))
    assert [page_id for page_id, _ in got] == [p for p, _ in pages[:7]] + ["bad"] + [p for p, _ in pages[7:]]
    failures = {page_id: res for page_id, res in got if isinstance(res, PageFailure)}
    assert failures == {"bad": PageFailure("RuntimeError: planted fault")}
    assert {page_id: res for page_id, res in got if page_id != "bad"} == expected


def test_a_page_that_runs_out_of_memory_is_reported(clf, monkeypatch):
    real = LineClassifier._predict_prepared

    def predict_or_run_out(self, pages):
        if any(crashhook.RAISE in page.lines for page in pages):
            raise MemoryError()
        return real(self, pages)

    monkeypatch.setattr(LineClassifier, "_predict_prepared", predict_or_run_out)
    pages = _pages(5)
    got = dict(clf.label_pages(_with_bad(pages, 2, crashhook.RAISE), errors="report"))
    assert got.pop("bad") == PageFailure("MemoryError")
    assert got == dict(clf.label_pages(pages))


def test_without_report_the_exception_still_ends_the_stream(clf, planted_raise):
    with pytest.raises(RuntimeError, match="planted fault"):
        list(clf.label_pages(_with_bad(_pages(4), 1, crashhook.RAISE)))
    with pytest.raises(ValueError, match="errors must be"):
        list(clf.label_pages(_pages(1), errors="ignore"))


def test_a_page_that_cannot_even_be_read_is_reported(clf):
    """No planted fault: a page whose 'lines' are not text fails in preparation."""
    pages = _pages(3)
    got = dict(clf.label_pages(pages[:1] + [("odd", [None, 3])] + pages[1:], errors="report"))
    assert isinstance(got["odd"], PageFailure) and got["odd"].reason.startswith(("TypeError", "AttributeError"))
    assert {k: v for k, v in got.items() if k != "odd"} == dict(clf.label_pages(pages))


def test_a_page_that_fails_with_site_memory_is_reported(clf):
    pages = [(pid, lines, "https://example.org/" + pid) for pid, lines in _pages(3)]
    items = pages[:1] + [("odd", [None, 3], "https://example.org/odd")] + pages[1:]
    got = dict(clf.label_pages(items, site_memory=True, errors="report"))
    assert isinstance(got.pop("odd"), PageFailure)
    assert got == dict(clf.label_pages(pages, site_memory=True))


def test_a_page_that_kills_its_worker_fails_alone_and_the_worker_is_replaced(clf, monkeypatch):
    """jobs=2: the page makes any worker that labels it exit at once (as the OOM killer
    would end it); every other page is labelled, in order, exactly as with jobs=1."""
    pages = _pages(30)
    expected = list(clf.label_pages(pages, batch_lines=150))
    monkeypatch.setattr(parallel, "_label_chunk", crashhook.label_chunk_or_exit)
    got = list(clf.label_pages(_with_bad(pages, 11, crashhook.KILL), batch_lines=150, jobs=2,
                               errors="report"))
    assert got[11] == ("bad", PageFailure(DIED))
    assert got[:11] + got[12:] == expected
    assert not multiprocessing.active_children() or all(
        p.exitcode is None for p in multiprocessing.active_children())  # no zombies kept


def _pool_threads() -> list:
    import threading
    from concurrent.futures import process

    return [t for t in threading.enumerate() if isinstance(t, process._ExecutorManagerThread)]


@pytest.mark.parametrize("bad_line", [None, crashhook.KILL])
def test_no_pool_thread_outlives_the_run(clf, monkeypatch, bad_line):
    """Once the labels are all out, every pool (the replaced ones too) has finished its
    manager thread: one still ending at interpreter exit races Python's exit hook, which
    then prints a traceback after the output (seen once in CI, --jobs 2, a killed worker)."""
    pages = _pages(12)
    if bad_line:
        pages = _with_bad(pages, 4, bad_line)
    monkeypatch.setattr(parallel, "_label_chunk", crashhook.label_chunk_or_exit)
    before = _pool_threads()
    got = list(clf.label_pages(pages, batch_lines=100, jobs=2, errors="report"))
    assert len(got) == len(pages)
    assert [t for t in _pool_threads() if t not in before] == []


def test_a_page_that_kills_its_worker_raises_without_report(clf, monkeypatch):
    monkeypatch.setattr(parallel, "_label_chunk", crashhook.label_chunk_or_exit)
    with pytest.raises(PageFailedError, match="'bad'.*died"):
        list(clf.label_pages(_with_bad(_pages(6), 2, crashhook.KILL), batch_lines=100, jobs=2))


def test_a_page_that_raises_in_a_worker_is_reported(clf, monkeypatch):
    pages = _pages(12)
    expected = list(clf.label_pages(pages, batch_lines=150))
    monkeypatch.setattr(parallel, "_label_chunk", crashhook.label_chunk_or_exit)
    got = list(clf.label_pages(_with_bad(pages, 5, crashhook.RAISE), batch_lines=150, jobs=2,
                               errors="report"))
    assert got[5] == ("bad", PageFailure("RuntimeError: planted fault"))
    assert got[:5] + got[6:] == expected


def test_a_worker_killed_from_outside_is_replaced_and_every_page_labelled(clf):
    """SIGKILL of a worker process in the middle of a run: its chunk is labelled again by
    a new worker; no page is lost and none fails."""
    pages = _pages(40)
    expected = list(clf.label_pages(pages, batch_lines=100))
    killed = []

    def stream():
        for number, page in enumerate(pages):
            if number == 20:
                workers = multiprocessing.active_children()
                assert workers
                os.kill(workers[0].pid, signal.SIGKILL)
                killed.append(workers[0].pid)
            yield page

    got = list(clf.label_pages(stream(), batch_lines=100, jobs=2, errors="report"))
    assert killed and got == expected


def _jsonl(pages) -> bytes:
    return "".join(json.dumps({"id": pid, "text": "\n".join(lines)}) + "\n"
                   for pid, lines in pages).encode()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_names_the_failed_pages_labels_the_rest_and_exits_1(model_dir, jobs):
    """The CLI with faults planted from outside (tests/crashhook.py): a page that raises
    and, with --jobs 2, a page that kills its worker; each named with its file:line and id,
    the other pages' records byte-identical to a run without them, exit 1."""
    pages = _pages(20)
    bad = [("raises", ["Headline", crashhook.RAISE])]
    if jobs == "2":
        bad.append(("kills", ["Headline", crashhook.KILL]))
    stream = pages[:6] + bad[:1] + pages[6:14] + bad[1:] + pages[14:]
    args = ["label", "--model", str(model_dir), "--input", "jsonl", "--jobs", jobs, "-"]
    clean = run_cli(*args, input=_jsonl(pages))
    assert clean.returncode == 0, clean.stderr
    import subprocess

    run = subprocess.run([sys.executable, str(TESTS / "crashhook.py"), *args], input=_jsonl(stream),
                         capture_output=True, cwd=ROOT, timeout=300)
    err = run.stderr.decode()
    assert run.returncode == 1, err
    assert run.stdout == clean.stdout
    assert "-:7 (id raises): not labelled: RuntimeError: planted fault" in err
    if jobs == "2":
        assert f"-:16 (id kills): not labelled: {DIED}" in err
    assert f"{len(bad)} input(s) failed" in err
    assert "Traceback" not in err


def test_a_page_too_large_is_named_and_the_rest_labelled(model_dir, tmp_path):
    """--max-page-mb: a file, a gzipped file (read no further than the limit) and a JSONL
    record over the limit are each named (the record by file:line) and not labelled."""
    import gzip

    limit_mb = 0.01  # 10,485 bytes
    small = tmp_path / "small.txt"
    small.write_text("Home\nThe council said on friday that the bridge would open.\n")
    big = tmp_path / "big.txt"
    big.write_text("A long line of the page.\n" * 1000)
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"x" * 50_000_000))
    args = ["label", "--model", str(model_dir), "--max-page-mb", str(limit_mb)]
    run = run_cli(*args, str(small), str(big), str(bomb), str(small))
    err = run.stderr.decode()
    assert run.returncode == 1
    assert f"{big}: page larger than {limit_mb:g} MB (--max-page-mb): not labelled" in err
    assert f"{bomb}: page larger than" in err
    alone = run_cli(*args, str(small))
    assert run.stdout == alone.stdout * 2

    records = _jsonl(_pages(3))
    huge = json.dumps({"id": "huge", "text": "word " * 5000}).encode() + b"\n"
    stream = records + huge + records
    run = run_cli(*args, "--input", "jsonl", "-", input=stream)
    err = run.stderr.decode()
    assert run.returncode == 1 and "-:4: page larger than" in err
    clean = run_cli(*args, "--input", "jsonl", "-", input=records + records)
    assert run.stdout == clean.stdout  # the pages have ids: byte-identical


def test_the_array_path_and_jobs_auto_report_a_failing_page_in_its_place(clf, planted_raise):
    """Issue 18's array path (what the CLI reads) and ``jobs="auto"`` (which reads the head
    of the stream before deciding) keep a failing page to itself, like ``label_pages``."""
    from classifier.results import PageLabels

    pages = _pages(6)
    expected = dict(clf.label_pages(pages))
    bad = _with_bad(pages, 3, crashhook.RAISE)
    arrays = list(clf.label_arrays(bad, errors="report"))
    assert arrays[3] == ("bad", PageFailure("RuntimeError: planted fault"))
    assert all(isinstance(labels, PageLabels) for page_id, labels in arrays if page_id != "bad")
    assert {page_id: labels.records() for page_id, labels in arrays if page_id != "bad"} == expected
    auto = dict(clf.label_pages(bad + [("odd", [None, 3])], jobs="auto", errors="report"))
    assert auto.pop("bad") == PageFailure("RuntimeError: planted fault")
    assert isinstance(auto.pop("odd"), PageFailure)
    assert auto == expected


def test_the_worker_pool_does_not_import_the_model():
    """Issue 18: one direction of dependency, the model uses the pool; the pool gets the
    worker's set-up function passed in (read from the source, not from a run)."""
    import ast

    source = (ROOT / "classifier" / "parallel.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "model" not in imported and "classifier.model" not in imported, imported


def test_a_run_stopped_early_ends_its_workers_and_leaves_no_pool_thread(clf, monkeypatch):
    """The caller stops reading while a worker hangs on a page: the workers are ended, not
    waited for (the hang lasts 600 s), and no manager thread is left to race the exit."""
    import time

    monkeypatch.setattr(parallel, "_label_chunk", crashhook.label_chunk_or_exit)
    before = _pool_threads()
    stream = clf.label_pages(_with_bad(_pages(40), 3, crashhook.HANG), batch_lines=50, jobs=2)
    next(stream)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 60
    assert [t for t in _pool_threads() if t not in before] == []
    assert not [p for p in multiprocessing.active_children() if p.exitcode is None]
