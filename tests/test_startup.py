"""What a one-page ``linesift label`` run spends its time on before and after labelling:
modules it needs no one imports, the model file loaded without copies in Python, and the
exit not walking every object (issue 18's start-up target)."""

import gc
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from classifier import LineClassifier, bundle as bundle_mod, log
from classifier.bundle import BundleError
from helpers import ROOT

PAGE = ("Council approves the new riverside park after a two-year debate\n"
        "Home | News | Sport\n\n"
        "The city council voted on Tuesday to turn the old freight yard into a park, "
        "ending a debate that began when the rail company left the site.\n"
        "Share this article\n")

NOT_ON_THE_LABEL_PATH = ("logging", "numpy.ma", "classifier.report", "joblib", "sklearn", "scipy")


def test_a_plain_label_run_imports_none_of_the_modules_it_does_not_use(model_dir, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    probe = ("import contextlib, io, sys\n"
             f"sys.argv = ['linesift', 'label', '--model', {str(model_dir)!r}, {str(page)!r}]\n"
             "from classifier._entry import main\n"
             "out = io.StringIO()\n"
             "try:\n"
             "    with contextlib.redirect_stdout(out):\n"
             "        main()\n"
             "except SystemExit as exc:\n"
             "    assert not exc.code, exc.code\n"
             "assert out.getvalue().count('\\n') == 4, out.getvalue()\n"
             f"print(' '.join(m for m in {NOT_ON_THE_LABEL_PATH!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_html_report_format_still_finds_its_module(model_dir, tmp_path):
    from helpers import run_cli

    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    done = run_cli("label", "--model", str(model_dir), "--format", "html", str(page))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().lstrip().lower().startswith("<!doctype html")


def test_a_library_warning_goes_through_the_packages_logger_with_one_null_handler(caplog):
    logger = logging.getLogger(log.LOGGER)
    before = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
    with caplog.at_level(logging.WARNING, logger=log.LOGGER):
        log.warning("page %s held %d odd bytes", "p1", 3)
        log.warning("again")
    assert [r.getMessage() for r in caplog.records] == ["page p1 held 3 odd bytes", "again"]
    nulls = [h for h in logger.handlers if isinstance(h, logging.NullHandler)]
    assert len(nulls) == 1 and (not before or nulls == before)


def test_the_cli_leaves_its_objects_out_of_the_exit_collections(monkeypatch):
    from classifier.cli import main

    gc.unfreeze()
    monkeypatch.setattr(sys, "argv", ["linesift", "--help"])
    try:
        with pytest.raises(SystemExit):
            main()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


# -- the text model's file: a sealed private copy -------------------------------------------

needs_memfd = pytest.mark.skipif(not hasattr(os, "memfd_create") or not os.path.isdir("/proc/self/fd"),
                                 reason="sealed in-memory files are Linux's")


@pytest.fixture
def bundle(model_dir, tmp_path):
    return Path(shutil.copytree(model_dir, tmp_path / "bundle"))


def _manifest(bundle: Path) -> dict:
    return json.loads((bundle / bundle_mod.MANIFEST).read_text(encoding="utf-8"))


@needs_memfd
def test_the_private_copy_holds_the_files_bytes_and_cannot_be_changed(bundle):
    name = bundle_mod.TEXT_MODEL_FILE
    fd = bundle_mod.sealed_verified_copy(bundle, _manifest(bundle), name)
    assert fd is not None
    try:
        held = os.pread(fd, os.fstat(fd).st_size + 1, 0)
        assert hashlib.sha256(held).hexdigest() == hashlib.sha256((bundle / name).read_bytes()).hexdigest()
        with pytest.raises(PermissionError):
            os.pwrite(fd, b"x", 0)
        with pytest.raises(PermissionError):
            os.ftruncate(fd, 10)
    finally:
        os.close(fd)


@needs_memfd
def test_a_text_model_changed_after_its_manifest_is_refused(bundle):
    path = bundle / bundle_mod.TEXT_MODEL_FILE
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="does not match its manifest"):
        bundle_mod.sealed_verified_copy(bundle, _manifest(bundle), bundle_mod.TEXT_MODEL_FILE)
    with pytest.raises(BundleError, match="does not match its manifest"):
        LineClassifier.load(bundle)


def test_without_sealed_memory_files_the_model_loads_from_its_verified_bytes(bundle, monkeypatch):
    page = PAGE.splitlines()
    sealed = LineClassifier.load(bundle).label(page)
    monkeypatch.delattr(os, "memfd_create", raising=False)
    assert bundle_mod.sealed_verified_copy(bundle, _manifest(bundle), bundle_mod.TEXT_MODEL_FILE) is None
    assert LineClassifier.load(bundle).label(page) == sealed


@needs_memfd
def test_a_truncated_text_model_is_a_clear_error_through_the_sealed_copy(bundle):
    path = bundle / bundle_mod.TEXT_MODEL_FILE
    path.write_bytes(path.read_bytes()[:1000])
    bundle_mod.write_manifest(bundle, _manifest(bundle))  # a manifest that pins the damage
    with pytest.raises(BundleError, match="not a usable fastText model"):
        LineClassifier.load(bundle)


def _with_a_pruned_pair(data: bytes, pair: tuple[int, int]) -> bytes:
    """``data`` (a fastText model file) declaring one pruned-index pair, ``pair``, written
    after its dictionary: the layout fastText reads for a pruned model."""
    import re
    import struct

    head = 4 + 4 + 12 * 4 + 8  # magic, version, twelve int32 arguments and a double
    n_entries, n_words, n_labels, tokens, _ = struct.unpack_from("<iiiqq", data, head)
    start = head + struct.calcsize("<iiiqq")
    end = re.compile(rb"(?:[^\x00]*\x00.{9}){%d}" % n_entries, re.DOTALL).match(data, start).end()
    return (data[:head] + struct.pack("<iiiqq", n_entries, n_words, n_labels, tokens, 1)
            + data[start:end] + struct.pack("<ii", *pair) + data[end:])


@pytest.mark.parametrize("sealed", [True, False])
def test_a_pruned_index_pointing_outside_the_model_is_a_clear_error_either_way(bundle, monkeypatch, sealed):
    """The layout check reads the pruned index through a view of the mapped copy; the view
    must not keep the mapping open once the check has refused the file."""
    path = bundle / bundle_mod.TEXT_MODEL_FILE
    path.write_bytes(_with_a_pruned_pair(path.read_bytes(), (-1, 0)))
    bundle_mod.write_manifest(bundle, _manifest(bundle))
    if not sealed:
        monkeypatch.delattr(os, "memfd_create", raising=False)
    with pytest.raises(BundleError, match="pruned index points outside the input matrix"):
        LineClassifier.load(bundle)
