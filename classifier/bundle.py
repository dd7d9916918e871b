"""A model bundle on disk: files, their manifest, and the checks made before loading.

A bundle is data, and loading it runs no code from it: the combiner is arrays
(``combiner.npz``, read with ``allow_pickle=False``) plus numbers and names
(``combiner.json``), and the fastText file is checked field by field
(:func:`check_fasttext`) before fastText, whose loader trusts its input, reads it. The
manifest pins the SHA-256 of every file; each file is read once, and the bytes hashed are
the bytes loaded (:func:`read_verified`), so a file swapped after the check is never used.
Anything else is refused with the name of the offending file.

Bundles written before this format hold a pickled combiner (``combiner.joblib``):
unpickling runs whatever the file says, so they load only when the caller says it trusts
them (``trust_pickle=True``, ``--trust-pickle``), with a warning.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
from pathlib import Path
from typing import Any, Iterable

MANIFEST = "manifest.json"
TEXT_MODEL_FILE = "text.bin"
"""The fastText model, quantised (.ftz format) or not: fastText reads both from one loader."""
HEADLINE_MODEL_FILE = "headline.bin"
"""The headline scorer's fastText file (classifier.headline), in bundles whose scorer is
fastText (those of 2026-12-06 and 2026-12-07)."""
HEADLINE_NGRAM_FILE = "headline.npz"
"""The headline scorer as n-gram weights (classifier.ngrams), in bundles whose scorer is one."""
COMBINER_ARRAYS = "combiner.npz"
"""The combiner's arrays (numpy ``.npz``, no object arrays)."""
COMBINER_META = "combiner.json"
"""The combiner's numbers and names (temperatures, which passes are binned, labels)."""
LEGACY_COMBINER = "combiner.joblib"
"""A pickled combiner, as bundles of format ``linesift-bundle/1`` hold it."""
COMBINER_FILE = LEGACY_COMBINER  # the old name of the constant, for callers that import it
MODEL_CARD = "MODEL_CARD.md"
FORMAT = "linesift-bundle/2"
"""Manifests this code writes: the combiner as npz + JSON."""
FORMATS = ("linesift-bundle/1", FORMAT)
"""Manifests this code reads (format 1 only with ``trust_pickle``)."""


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
    if not isinstance(manifest, dict) or manifest.get("format") not in FORMATS:
        raise BundleError(f"{path} is not a linesift bundle manifest (expected format {FORMAT})")
    if not isinstance(manifest.get("files"), dict):
        raise BundleError(f"{path} lists no files with their SHA-256")
    return manifest


def is_pickled(manifest: dict[str, Any]) -> bool:
    """Whether the bundle's combiner is a pickle (an old bundle): no npz pinned."""
    return COMBINER_ARRAYS not in manifest["files"] and LEGACY_COMBINER in manifest["files"]


def verify(directory: Path, manifest: dict[str, Any], read_later: Iterable[str] = ()) -> None:
    """Check every file the manifest names against its pinned SHA-256.

    Runs before any file is deserialised, so a damaged bundle is refused as a whole with the
    first bad file named (the loader then reads each file again through
    :func:`read_verified`, which hashes the very bytes it returns). The model card is
    documentation, hashed so ``linesift info`` can tell whether it was edited, but never
    loaded, so it is not checked here; every other file must be present and match.
    Files in ``read_later`` are only checked to be there: the caller loads them through
    :func:`read_verified`, which hashes them then (hashing the 20 MB text model twice was
    a tenth of a command's start).
    """
    read_later = set(read_later)
    combiner = {LEGACY_COMBINER} if is_pickled(manifest) else {COMBINER_ARRAYS, COMBINER_META}
    required = {TEXT_MODEL_FILE} | combiner
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
        if name in read_later:
            continue
        actual = sha256_file(path)
        if actual != expected:
            raise BundleError(f"model file {path} does not match its manifest "
                              f"(SHA-256 {actual[:12]}..., expected {str(expected)[:12]}...): "
                              "refusing to load a modified or corrupt bundle")


def write_manifest(directory: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Hash the bundle's files into the manifest and write it. A pickled combiner left from
    an older bundle is pinned only when there is no npz one (so an old bundle can be
    re-manifested, and a retrain into an old directory never pins the stale pickle)."""
    files = {}
    names = [TEXT_MODEL_FILE, COMBINER_ARRAYS, COMBINER_META, HEADLINE_MODEL_FILE, HEADLINE_NGRAM_FILE,
             MODEL_CARD]
    if not (directory / COMBINER_ARRAYS).is_file():
        names.insert(1, LEGACY_COMBINER)
    for name in names:
        if (directory / name).is_file():
            files[name] = sha256_file(directory / name)
    manifest = dict(manifest, format=FORMATS[0] if LEGACY_COMBINER in files else FORMAT, files=files)
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


def sealed_verified_copy(directory: Path, manifest: dict[str, Any], name: str) -> int | None:
    """A file descriptor of a private in-memory copy of a bundle file, sealed against any
    change and then checked against the manifest's hash; None where the system has no
    sealable in-memory files (the caller then uses :func:`read_verified`). The caller
    closes it.

    Why: fastText reads a model only from a path, so its 20 MB file used to be read into
    Python, hashed, and written out again to a private copy: two copies that were a tenth
    of a one-page run. Here the kernel copies the file straight into an anonymous memory
    file (Linux ``memfd``, ``sendfile``), which is sealed (no write, no resize) before its
    hash is taken from a read-only mapping: what fastText then reads cannot differ from
    what was verified, whatever happens to the bundle's file meanwhile. (Kernels before 6.7
    refuse a shared read-only mapping of a write-sealed memfd: there the bytes path is
    taken, as before this function existed.)
    """
    import fcntl
    import mmap

    memfd_create = getattr(os, "memfd_create", None)
    seals = getattr(fcntl, "F_ADD_SEALS", None)
    if memfd_create is None or seals is None or not os.path.isdir("/proc/self/fd"):
        return None
    path = directory / name
    try:
        source = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BundleError(f"cannot read model file {path}: {exc.strerror or exc}") from exc
    fd = -1
    try:
        fd = memfd_create(f"linesift-{name}", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        size = os.fstat(source).st_size
        copied = 0
        while copied < size:
            sent = os.sendfile(fd, source, copied, size - copied)
            if not sent:  # the file shrank meanwhile: the hash below tells
                break
            copied += sent
        fcntl.fcntl(fd, seals, fcntl.F_SEAL_WRITE | fcntl.F_SEAL_GROW | fcntl.F_SEAL_SHRINK
                    | fcntl.F_SEAL_SEAL)
        if copied:
            with mmap.mmap(fd, copied, prot=mmap.PROT_READ) as view:
                digest = hashlib.sha256(view).hexdigest()
        else:
            digest = hashlib.sha256(b"").hexdigest()
    except BaseException as exc:  # an interrupt too: no 20 MB copy is left open
        if fd >= 0:
            os.close(fd)
        if isinstance(exc, OSError):  # no memfd, sendfile or seals here: the caller reads the bytes
            return None
        raise
    finally:
        os.close(source)
    if digest != manifest["files"].get(name):
        os.close(fd)
        raise BundleError(f"model file {path} does not match its manifest: refusing to load a "
                          "modified or corrupt bundle")
    return fd


# --- the fastText file ------------------------------------------------------------------

FASTTEXT_MAGIC = 793712314
FASTTEXT_VERSIONS = (11, 12)
_MAX_DIM = 100_000
_ENTRY_CACHE: dict[int, "re.Pattern[bytes]"] = {}


def check_fasttext(data: bytes, name: str = TEXT_MODEL_FILE) -> None:
    """Walk a fastText model file's layout (header, arguments, dictionary, both matrices)
    and check that every count is sane and every size fits, ending exactly at the end of
    the file; raise :class:`BundleError` naming ``name`` otherwise.

    Why: fastText's C++ loader trusts the file. A truncated or crafted one (even one whose
    hash a manifest pins) made it divide by zero (SIGFPE, the process dies) or loop for
    ever; checked here, it is a clear error instead. The layout is fastText's
    ``FastText::loadModel`` (format versions 11 and 12): magic and version (int32),
    12 int32 arguments and a double, the dictionary (entry and label counts, then per
    entry a NUL-terminated word, an int64 count and an int8 type, then the pruned-index
    pairs), then the input and output matrices, dense (int64 rows and columns, float32
    values) or product-quantised.
    """
    def bad(why: str) -> BundleError:
        return BundleError(f"model file {name} is not a usable fastText model: {why}")

    size = len(data)
    pos = 0

    def take(fmt: str) -> tuple:
        nonlocal pos
        width = struct.calcsize(fmt)
        if pos + width > size:
            raise bad(f"truncated at byte {pos} of {size}")
        values = struct.unpack_from(fmt, data, pos)
        pos += width
        return values

    def skip(n: int, what: str) -> None:
        nonlocal pos
        if n < 0 or pos + n > size:
            raise bad(f"{what} needs {n} bytes at byte {pos}, the file has {size}")
        pos += n

    magic, version = take("<ii")
    if magic != FASTTEXT_MAGIC:
        raise bad("wrong magic number (not a fastText .bin/.ftz file)")
    if version not in FASTTEXT_VERSIONS:
        raise bad(f"unsupported format version {version}")
    (dim, ws, epoch, min_count, neg, word_ngrams, loss, model, bucket, minn, maxn,
     lr_update, _t) = take("<12id")
    if not 0 < dim <= _MAX_DIM:
        raise bad(f"dimension {dim}")
    if not (1 <= loss <= 4 and 1 <= model <= 3 and bucket >= 0 and 0 <= minn <= maxn <= 100
            and 1 <= word_ngrams <= 100 and ws >= 0 and epoch >= 0 and neg >= 0
            and min_count >= 0 and lr_update > 0):
        raise bad("arguments out of range")
    n_entries, n_words, n_labels, _tokens, n_pruned = take("<iiiqq")
    if n_words < 0 or n_labels < 0 or n_entries != n_words + n_labels:
        raise bad(f"dictionary counts {n_entries} != {n_words} words + {n_labels} labels")
    if n_entries:
        # every entry is a word, its NUL, an int64 count and an int8 type: one C-level
        # regular expression match walks them all (a Python loop cost ~50 ms a model)
        pattern = _ENTRY_CACHE.get(n_entries)
        if pattern is None:
            pattern = re.compile(rb"(?:[^\x00]*\x00.{9}){%d}" % n_entries, re.DOTALL)
            _ENTRY_CACHE.clear()
            _ENTRY_CACHE[n_entries] = pattern
        match = pattern.match(data, pos)
        if match is None:
            raise bad(f"dictionary of {n_entries} entries runs past the end of the file")
        pos = match.end()
    pruned_at = pos
    if n_pruned > 0:
        skip(8 * n_pruned, "pruned index")
    (quant_input,) = take("<?")
    rows = _matrix(take, skip, bad, quant_input, "input")
    if rows[1] != dim:
        raise bad(f"input matrix has {rows[1]} columns for dimension {dim}")
    if n_pruned > 0:  # (word or n-gram id, row of the input matrix) pairs: rows must exist
        import numpy as np

        pairs = np.frombuffer(data, dtype="<i4", count=2 * n_pruned, offset=pruned_at)
        outside = bool((pairs[0::2] < 0).any() or (pairs[1::2] < 0).any() or (pairs[1::2] >= rows[0]).any())
        del pairs  # a view of ``data``: a mapping it holds open could not be closed after the raise
        if outside:
            raise bad("pruned index points outside the input matrix")
    elif rows[0] != n_words + bucket:
        raise bad(f"input matrix has {rows[0]} rows for {n_words} words and {bucket} buckets")
    (quant_output,) = take("<?")
    out_rows = _matrix(take, skip, bad, quant_input and quant_output, "output")
    if out_rows[1] != dim or (model == 3 and out_rows[0] != n_labels):
        raise bad(f"output matrix of {out_rows[0]} x {out_rows[1]} does not fit the model")
    if pos != size:
        raise bad(f"{size - pos} unexpected bytes after the model")


def _matrix(take, skip, bad, quantized: bool, what: str) -> tuple[int, int]:
    """Check one matrix of a fastText file; returns its (rows, columns)."""
    if not quantized:
        m, n = take("<qq")
        if m < 0 or n < 0:
            raise bad(f"{what} matrix of {m} x {n}")
        skip(4 * m * n, f"{what} matrix")
        return m, n
    qnorm, m, n, codesize = take("<?qqi")
    if m < 0 or n < 0 or codesize < 0:
        raise bad(f"quantised {what} matrix of {m} x {n}")
    skip(codesize, f"{what} codes")
    _quantizer(take, skip, bad, n, what)
    if qnorm:
        skip(m, f"{what} norm codes")
        _quantizer(take, skip, bad, 1, what)
    return m, n


def _quantizer(take, skip, bad, dim: int, what: str) -> None:
    qdim, nsubq, dsub, lastdsub = take("<iiii")
    if qdim != dim or nsubq <= 0 or dsub <= 0 or lastdsub <= 0:
        raise bad(f"{what} product quantiser does not fit the matrix")
    skip(4 * qdim * 256, f"{what} centroids")
