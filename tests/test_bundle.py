"""A model bundle is trusted only when every file matches its manifest (SPEC section 7)."""

import json
import pickle
import shutil
from pathlib import Path

import joblib
import pytest
from typer.testing import CliRunner

from classifier import LineClassifier
from classifier.bundle import BundleError, read_manifest, sha256_file, verify
from classifier.cli import app
from helpers import run_cli


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


def test_flipped_byte_in_combiner_is_refused(bundle):
    path = bundle / "combiner.joblib"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="combiner.joblib"):
        LineClassifier.load(bundle)


def test_tampered_pickle_is_never_unpickled(bundle, tmp_path):
    # the payload works: loading it from anywhere else runs its code
    proof = tmp_path / "payload-ran"
    joblib.dump(_Touch(proof), tmp_path / "payload.joblib")
    joblib.load(tmp_path / "payload.joblib")
    assert proof.exists()

    marker = tmp_path / "bundle-payload-ran"
    (bundle / "combiner.joblib").write_bytes(pickle.dumps(_Touch(marker)))
    with pytest.raises(BundleError, match="combiner.joblib") as err:
        LineClassifier.load(bundle)
    assert "does not match" in str(err.value)
    assert not marker.exists()


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


def test_missing_combiner(bundle):
    (bundle / "combiner.joblib").unlink()
    with pytest.raises(BundleError, match="combiner.joblib"):
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


def test_manifest_must_pin_both_model_files(bundle):
    manifest = _manifest(bundle)
    del manifest["files"]["combiner.joblib"]
    _write_manifest(bundle, manifest)
    with pytest.raises(BundleError, match="combiner.joblib"):
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
    (bundle / "combiner.joblib").write_bytes(pickle.dumps(_Touch(tmp_path / "ran")))
    for args in (["label", "--model", str(bundle), str(page)], ["info", "--model", str(bundle)],
                 ["evaluate", "--model", str(bundle), str(page)]):
        proc = run_cli(*args)
        assert proc.returncode == 1, args
        stderr = proc.stderr.decode()
        assert "combiner.joblib" in stderr and "Traceback" not in stderr
        assert proc.stdout == b""
    assert not (tmp_path / "ran").exists()


def test_cli_with_missing_model(tmp_path):
    result = CliRunner().invoke(app, ["label", "--model", str(tmp_path / "none"), "-"], input="x\n")
    assert result.exit_code == 1
    assert "not found" in result.stderr
    assert result.stdout == ""
