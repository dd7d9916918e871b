"""A model bundle on disk: files, their manifest, and the checks made before loading.

A bundle is code as much as data: unpickling the combiner runs whatever the file says. So
the manifest pins the SHA-256 of every file, and :func:`verify` checks them all before
anything is unpickled or handed to fastText (whose loader also trusts its input). A bundle
whose hashes match is exactly what was trained and recorded; anything else is refused with
the name of the offending file.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
TEXT_MODEL_FILE = "text.bin"
"""The fastText model, quantised (.ftz format) or not: fastText reads both from one loader."""
COMBINER_FILE = "combiner.joblib"
HEADLINE_MODEL_FILE = "headline.bin"
"""The headline scorer's fastText file (classifier.headline), in bundles that have one."""
MODEL_CARD = "MODEL_CARD.md"
FORMAT = "linesift-bundle/1"


class BundleError(RuntimeError):
    """A bundle is missing, incomplete, corrupt or tampered with."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_path(name: str = "default") -> Path:
    """A shipped bundle (``default``: the text model, ``html``: the HTML model), installed
    as package data beside the code, or in the source tree. ``LINESIFT_MODEL`` (and
    ``LINESIFT_HTML_MODEL``) point elsewhere."""
    env = os.environ.get("LINESIFT_MODEL" if name == "default" else f"LINESIFT_{name.upper()}_MODEL")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parent / "models" / name
    if (packaged / MANIFEST).is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "models" / name


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / MANIFEST
    if not directory.is_dir():
        raise BundleError(f"model bundle not found: {directory} is not a directory")
    if not path.is_file():
        raise BundleError(f"model bundle {directory} has no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # ValueError: bad UTF-8 or JSON
        raise BundleError(f"cannot read {path}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(f"{path} is not a linesift bundle manifest (expected format {FORMAT})")
    if not isinstance(manifest.get("files"), dict):
        raise BundleError(f"{path} lists no files with their SHA-256")
    return manifest


def verify(directory: Path, manifest: dict[str, Any]) -> None:
    """Check every file the manifest names against its pinned SHA-256.

    Runs before any file is deserialised. The model card is documentation, hashed so
    ``linesift info`` can tell whether it was edited, but never loaded, so it is not checked
    here; every other file must be present and match.
    """
    required = {TEXT_MODEL_FILE, COMBINER_FILE}
    missing = required - set(manifest["files"])
    if missing:
        raise BundleError(f"{directory / MANIFEST} does not pin {', '.join(sorted(missing))}")
    for name, expected in manifest["files"].items():
        path = directory / name
        if Path(name).name != name:
            raise BundleError(f"{directory / MANIFEST} names a file outside the bundle: {name}")
        if name == MODEL_CARD:
            continue
        if not path.is_file():
            raise BundleError(f"model file missing: {path}")
        actual = sha256_file(path)
        if actual != expected:
            raise BundleError(f"model file {path} does not match its manifest "
                              f"(SHA-256 {actual[:12]}..., expected {str(expected)[:12]}...): "
                              "refusing to load a modified or corrupt bundle")


def write_manifest(directory: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Hash the bundle's files into the manifest and write it."""
    files = {}
    for name in (TEXT_MODEL_FILE, COMBINER_FILE, HEADLINE_MODEL_FILE, MODEL_CARD):
        if (directory / name).is_file():
            files[name] = sha256_file(directory / name)
    manifest = dict(manifest, format=FORMAT, files=files)
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return manifest


def read_verified(directory: Path, manifest: dict[str, Any], name: str) -> bytes:
    """A bundle file's bytes, checked against the manifest's hash in the same read."""
    path = directory / name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read model file {path}: {exc.strerror or exc}") from exc
    if hashlib.sha256(data).hexdigest() != manifest["files"].get(name):
        raise BundleError(f"model file {path} does not match its manifest: refusing to load a "
                          "modified or corrupt bundle")
    return data
