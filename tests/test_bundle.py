"""A model bundle is trusted only when every file matches its manifest, and loading one
never runs code from it (SPEC section 7)."""

import io
import json
import pickle
import shutil
import warnings
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
from typer.testing import CliRunner

from classifier import LineClassifier, bundle as bundle_mod
from classifier.bundle import BundleError, check_fasttext, read_manifest, sha256_file, verify, write_manifest
from classifier.cli import app
from helpers import ROOT as REPO, run_cli


@pytest.fixture
def bundle(model_dir, tmp_path):
    """A private copy of the session bundle, free to damage."""
    return Path(shutil.copytree(model_dir, tmp_path / "bundle"))


class _Touch:
    """Unpickling this creates a file: the stand-in for a malicious payload."""

    def __init__(self, path: Path):
        self.path = path

    def __reduce__(self):
        return (Path.touch, (self.path,))


def _manifest(bundle: Path) -> dict:
    return json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(bundle: Path, manifest: dict) -> None:
    (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_intact_bundle_loads(bundle):
    clf = LineClassifier.load(bundle)
    assert clf.label(["Home"])[0].label
    verify(bundle, read_manifest(bundle))


@pytest.mark.parametrize("name", ["combiner.npz", "combiner.json"])
def test_flipped_byte_in_combiner_is_refused(bundle, name):
    path = bundle / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match=name):
        LineClassifier.load(bundle)


def _repin(bundle: Path) -> None:
    """Rewrite the manifest's hashes: what an attacker who can edit the bundle does."""
    manifest = read_manifest(bundle)
    write_manifest(bundle, {k: v for k, v in manifest.items() if k not in ("format", "files")})


def _as_pickled_bundle(bundle: Path, payload) -> None:
    """Turn a bundle into the old format (format 1: ``combiner.joblib``), hashes re-pinned."""
    (bundle / "combiner.npz").unlink()
    (bundle / "combiner.json").unlink()
    joblib.dump(payload, bundle / "combiner.joblib")
    _repin(bundle)
    assert read_manifest(bundle)["format"] == "linesift-bundle/1"


def test_saved_bundle_holds_no_pickle(model_dir):
    """The tiny bundle and the shipped ones: the combiner is arrays and JSON, the npz holds
    no object array (it loads with allow_pickle=False), and no file is a pickle stream."""
    for directory in (model_dir, REPO / "models" / "default", REPO / "models" / "html"):
        files = set(read_manifest(directory)["files"])
        assert {"combiner.npz", "combiner.json"} <= files and "combiner.joblib" not in files
        assert not (directory / "combiner.joblib").exists()
        with np.load(directory / "combiner.npz", allow_pickle=False) as arrays:
            assert all(arrays[key].dtype != object for key in arrays.files)
        for path in directory.iterdir():
            assert not path.read_bytes()[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05"), path


def test_rewritten_hashes_cannot_make_loading_run_code(bundle, tmp_path):
    """Issue 16 item 7: with the manifest's hashes rewritten, an old-format bundle holding a
    malicious pickle is refused unless the caller opts in, and the payload never runs."""
    # the payload works: loading it from anywhere else runs its code
    proof = tmp_path / "payload-ran"
    joblib.dump(_Touch(proof), tmp_path / "payload.joblib")
    joblib.load(tmp_path / "payload.joblib")
    assert proof.exists()

    marker = tmp_path / "bundle-payload-ran"
    _as_pickled_bundle(bundle, _Touch(marker))
    with pytest.raises(BundleError, match="trust_pickle"):
        LineClassifier.load(bundle)
    assert not marker.exists()
    proc = run_cli("label", "--model", str(bundle), "-", input=b"Home\n")
    assert proc.returncode == 1 and b"--trust-pickle" in proc.stderr and b"Traceback" not in proc.stderr
    assert not marker.exists()


def test_npz_with_an_object_array_is_refused_without_unpickling(bundle, tmp_path):
    marker = tmp_path / "npz-payload-ran"
    with np.load(bundle / "combiner.npz", allow_pickle=False) as arrays:
        content = {key: arrays[key] for key in arrays.files}
    content["first.mean"] = np.array([_Touch(marker)], dtype=object)
    buf = io.BytesIO()
    np.savez(buf, **content)
    (bundle / "combiner.npz").write_bytes(buf.getvalue())
    _repin(bundle)
    with pytest.raises(BundleError, match="combiner.npz"):
        LineClassifier.load(bundle)
    assert not marker.exists()


@pytest.mark.parametrize("damage", ["missing array", "wrong shape", "not a zip", "bad json"])
def test_verified_but_malformed_combiner_is_a_clear_error(bundle, damage):
    if damage == "bad json":
        (bundle / "combiner.json").write_text('{"format": "linesift-combiner-arrays/1"}')
    elif damage == "not a zip":
        (bundle / "combiner.npz").write_bytes(b"PK\x03\x04 not really")
    else:
        with np.load(bundle / "combiner.npz", allow_pickle=False) as arrays:
            content = {key: arrays[key] for key in arrays.files}
        if damage == "missing array":
            del content["second.coef"]
        else:
            content["second.coef"] = content["second.coef"][:, :-1]
        buf = io.BytesIO()
        np.savez(buf, **content)
        (bundle / "combiner.npz").write_bytes(buf.getvalue())
    _repin(bundle)
    with pytest.raises(BundleError, match="combiner"):
        LineClassifier.load(bundle)


def test_old_pickled_bundle_loads_when_trusted_with_a_warning(bundle, clf, example_texts):
    combiner = clf.combiner_.to_dict()
    _as_pickled_bundle(bundle, combiner)
    with pytest.warns(UserWarning, match="unpickling runs"):
        old = LineClassifier.load(bundle, trust_pickle=True)
    pages = list(example_texts.values())
    for a, b in zip(old.predict_proba(pages), clf.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)
    # and jobs > 1 workers load it as trusted too
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = list(old.label_pages(enumerate(pages), jobs=2))
    assert [labels for _, labels in got] == [clf.label_text(t) for t in pages]
    proc = run_cli("label", "--model", str(bundle), "--trust-pickle", "-", input=b"Home\n")
    assert proc.returncode == 0 and b"warning" in proc.stderr and b'"label"' in proc.stdout
    # saving converts it: no pickle left, same probabilities
    old.save(bundle)
    assert not (bundle / "combiner.joblib").exists()
    again = LineClassifier.load(bundle)
    for a, b in zip(again.predict_proba(pages), clf.predict_proba(pages)):
        assert np.array_equal(a, b, equal_nan=True)


def test_combiner_files_round_trip_bit_identical(clf):
    from classifier.combiner import TwoPassCombiner

    arrays, meta = clf.combiner_.to_files()
    back = TwoPassCombiner.from_files(arrays, meta)
    rng = np.random.default_rng(3)
    X = rng.normal(size=(700, clf.combiner_.first.mean.shape[0])).astype(np.float32)
    spans = [(0, 300, np.arange(300)), (300, 700, np.arange(0, 800, 2))]
    a, b = clf.combiner_.predict_proba(X, spans), back.predict_proba(X, spans)
    assert a.tobytes() == b.tobytes()


# --- the fastText file ----------------------------------------------------------------------

@pytest.mark.parametrize("size", [0, 4, 7, 8, 60, 100, 1000, -384, -1])
def test_truncated_but_verified_text_model_is_a_clear_error(bundle, size):
    """Issue 16 item 6: a crafted text.bin whose hash is re-pinned, cut to 4 bytes, killed
    the process (SIGFPE); cut to 100 bytes, it hung. Run in a subprocess so a crash or a
    hang shows as one."""
    path = bundle / "text.bin"
    path.write_bytes(path.read_bytes()[:size])
    _repin(bundle)
    proc = run_cli("label", "--model", str(bundle), "-", input=b"Home\n", timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert b"text.bin" in proc.stderr and b"Traceback" not in proc.stderr


def test_crafted_text_model_headers_are_refused(model_dir):
    import struct

    good = (model_dir / "text.bin").read_bytes()
    check_fasttext(good)
    # magic, version, dim, loss, model, minn (> maxn), dictionary size, word count
    for offset, value in ((0, 1), (4, 99), (8, 0), (8, -5), (32, 9), (36, 0), (44, 50),
                          (64, -1), (64, 10 ** 6), (68, 7)):
        data = bytearray(good)
        struct.pack_into("<i", data, offset, value)
        with pytest.raises(BundleError, match="fastText"):
            check_fasttext(bytes(data))
    with pytest.raises(BundleError, match="unexpected bytes"):
        check_fasttext(good + b"\0")


def test_text_model_is_loaded_from_the_bytes_that_were_verified(bundle, monkeypatch):
    """Issue 16 item 6: text.bin was hashed by path and opened again by fastText, so a file
    swapped in between loaded unverified. Swap it right after the check: the model loaded
    must still be the verified one."""
    reference = LineClassifier.load(bundle)
    other = REPO / "models" / "default" / "text.bin"  # a valid model, but not this bundle's
    real = bundle_mod.read_verified

    def read_then_swap(directory, manifest, name):
        data = real(directory, manifest, name)
        if name == "text.bin":
            shutil.copyfile(other, directory / "text.bin")
        return data

    monkeypatch.setattr(bundle_mod, "read_verified", read_then_swap)
    loaded = LineClassifier.load(bundle)
    lines = ["Home", "Read more", "Share this article", "The minister said on Tuesday"]
    assert np.array_equal(loaded.text_model_.predict_proba(lines),
                          reference.text_model_.predict_proba(lines))
    assert loaded.text_model_._model.get_dimension() == reference.text_model_._model.get_dimension()


def test_quantized_text_model_passes_the_layout_check(training_records, tmp_path):
    from classifier.textmodel import TextModel

    lines = [l for r in training_records for l in r["lines"] if l["label"]]
    model = TextModel.train([l["text"] for l in lines] * 3, [l["label"] for l in lines] * 3,
                            quantize=True)
    model.save(tmp_path / "q.ftz")
    data = (tmp_path / "q.ftz").read_bytes()
    check_fasttext(data)
    loaded = TextModel.load(tmp_path / "q.ftz")
    assert np.allclose(loaded.predict_proba(["Home", "Reply"]), model.predict_proba(["Home", "Reply"]))
    with pytest.raises(BundleError):
        check_fasttext(data[:-10])


def test_tampered_text_model_is_refused_before_fasttext_reads_it(bundle):
    path = bundle / "text.bin"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="text.bin"):
        LineClassifier.load(bundle)


def test_truncated_text_model(bundle):
    path = bundle / "text.bin"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(BundleError, match="text.bin"):
        LineClassifier.load(bundle)


def test_missing_text_model(bundle):
    (bundle / "text.bin").unlink()
    with pytest.raises(BundleError, match="missing.*text.bin"):
        LineClassifier.load(bundle)


@pytest.mark.parametrize("name", ["combiner.npz", "combiner.json"])
def test_missing_combiner(bundle, name):
    (bundle / name).unlink()
    with pytest.raises(BundleError, match=name):
        LineClassifier.load(bundle)


def test_missing_manifest(bundle):
    (bundle / "manifest.json").unlink()
    with pytest.raises(BundleError, match="manifest.json"):
        LineClassifier.load(bundle)


def test_missing_directory(tmp_path):
    with pytest.raises(BundleError, match="not found"):
        LineClassifier.load(tmp_path / "nowhere")


def test_a_file_is_not_a_bundle(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(BundleError):
        LineClassifier.load(tmp_path / "file")


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": "something/else", "files": {}}',
                                     '{"format": "linesift-bundle/1"}', "\xff", "[" * 100_000])
def test_unreadable_or_foreign_manifest(bundle, content):
    (bundle / "manifest.json").write_text(content, encoding="latin-1")
    with pytest.raises(BundleError, match="manifest.json"):
        LineClassifier.load(bundle)


@pytest.mark.parametrize("name", ["text.bin", "combiner.json"])
def test_manifest_must_pin_every_model_file(bundle, name):
    manifest = _manifest(bundle)
    del manifest["files"][name]
    _write_manifest(bundle, manifest)
    with pytest.raises(BundleError, match=name):
        LineClassifier.load(bundle)


def test_manifest_cannot_point_outside_the_bundle(bundle, tmp_path):
    outside = tmp_path / "elsewhere.bin"
    outside.write_bytes(b"x")
    manifest = _manifest(bundle)
    manifest["files"]["../elsewhere.bin"] = sha256_file(outside)
    _write_manifest(bundle, manifest)
    with pytest.raises(BundleError, match="outside"):
        LineClassifier.load(bundle)


def test_wrong_feature_version_is_refused(bundle):
    manifest = _manifest(bundle)
    manifest["feature_version"] = -1
    _write_manifest(bundle, manifest)
    with pytest.raises(BundleError, match="feature version"):
        LineClassifier.load(bundle)


def test_wrong_labels_are_refused(bundle):
    manifest = _manifest(bundle)
    manifest["labels"] = ["body", "other"]
    _write_manifest(bundle, manifest)
    with pytest.raises(BundleError, match="labels"):
        LineClassifier.load(bundle)


def test_edited_model_card_does_not_block_loading_and_info_says_so(bundle):
    (bundle / "MODEL_CARD.md").write_text("# card\n", encoding="utf-8")
    manifest = _manifest(bundle)
    manifest["files"]["MODEL_CARD.md"] = "0" * 64
    _write_manifest(bundle, manifest)
    LineClassifier.load(bundle)
    result = CliRunner().invoke(app, ["info", "--model", str(bundle)])
    assert result.exit_code == 0
    assert "edited since the bundle was written" in result.stdout


def test_cli_with_tampered_model_exits_1_without_traceback(bundle, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text("Home\n", encoding="utf-8")
    (bundle / "combiner.npz").write_bytes(pickle.dumps(_Touch(tmp_path / "ran")))
    for args in (["label", "--model", str(bundle), str(page)], ["info", "--model", str(bundle)],
                 ["evaluate", "--model", str(bundle), str(page)]):
        proc = run_cli(*args)
        assert proc.returncode == 1, args
        stderr = proc.stderr.decode()
        assert "combiner.npz" in stderr and "Traceback" not in stderr
        assert proc.stdout == b""
    assert not (tmp_path / "ran").exists()


def test_cli_with_missing_model(tmp_path):
    result = CliRunner().invoke(app, ["label", "--model", str(tmp_path / "none"), "-"], input="x\n")
    assert result.exit_code == 1
    assert "not found" in result.stderr
    assert result.stdout == ""
