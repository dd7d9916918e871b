"""Convert a bundle with a pickled combiner (``combiner.joblib``, bundle format 1) to the
pickle-free format (``combiner.npz`` + ``combiner.json``), in place.

Why a step of its own: the shipped bundles were trained before the format existed, and a
retrain costs a quarter of an hour and moves the scores by up to half a point across
seeds; converting keeps the very model (the probabilities of every line are checked to be
bit-identical before the pickle is removed). The manifest keeps every field and gets the
new hashes from the bundle code's own writer; the model card gains one line saying so.

    python -m training.convert_bundle models/default models/html
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

from classifier import bundle
from classifier.model import LineClassifier
from classifier.html import extract
from classifier.page import to_lines

NOTE = ("The combiner was trained as `combiner.joblib` (a pickle) and converted to "
        "`combiner.npz` + `combiner.json` by `training.convert_bundle`, its probabilities "
        "checked bit-identical on the example pages.")


def convert(directory: Path, check_pages: list) -> None:
    """Convert one bundle in place (see the module notes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        old = LineClassifier.load(directory, trust_pickle=True)
    if not bundle.is_pickled(old.manifest_):
        print(f"{directory}: already pickle-free")
        return
    arrays, meta = old.combiner_.to_files()
    (directory / bundle.COMBINER_ARRAYS).write_bytes(arrays)
    (directory / bundle.COMBINER_META).write_bytes(meta)
    card = directory / bundle.MODEL_CARD
    if card.is_file():
        text = card.read_text(encoding="utf-8")
        text = text.replace("(`combiner.joblib`:", "(`combiner.npz` arrays and `combiner.json`:")
        for old_note in (
                "* Loading a bundle runs code (joblib/pickle): load only bundles you trust. linesift checks\n"
                "  every file's SHA-256 against `manifest.json` before loading.\n",
                "* Loading a bundle runs code (joblib/pickle): load only bundles you trust; every file's\n"
                "  SHA-256 is checked against `manifest.json` first.\n"):
            text = text.replace(old_note, (
                "* The bundle holds no pickle: loading it runs no code from it (the combiner's arrays are\n"
                "  read with `allow_pickle=False`, the fastText file's layout is checked before fastText\n"
                "  reads it), and every file is loaded from the bytes whose SHA-256 matched `manifest.json`.\n"
                f"* {NOTE}\n"))
        card.write_text(text, encoding="utf-8")
    (directory / bundle.LEGACY_COMBINER).unlink()
    fields = {k: v for k, v in old.manifest_.items() if k not in ("format", "files")}
    bundle.write_manifest(directory, dict(fields, converted=NOTE))
    new = LineClassifier.load(directory)
    extra = [None] * len(check_pages)
    if old.extra_names_:  # the HTML model: text pages without DOM, HTML pages with it
        from classifier.html import HtmlLines, dom_columns, no_dom
        extra = [dom_columns(p.cues) if isinstance(p, HtmlLines) else no_dom(len(p)) for p in check_pages]
        check_pages = [p.lines if isinstance(p, HtmlLines) else p for p in check_pages]
    before = old.predict_proba(check_pages, extra=extra)
    after = new.predict_proba(check_pages, extra=extra)
    if not all(np.array_equal(a, b, equal_nan=True) for a, b in zip(before, after)):
        raise SystemExit(f"{directory}: probabilities differ after conversion")
    print(f"{directory}: converted, probabilities bit-identical on {len(check_pages)} pages")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundles", type=Path, nargs="+")
    args = ap.parse_args(argv)
    examples = Path(__file__).resolve().parent.parent / "examples"
    pages: list = [to_lines(p.read_bytes()) for p in sorted(examples.glob("*.txt"))]
    pages += [extract(p.read_bytes()) for p in sorted(examples.glob("*.html"))]
    for directory in args.bundles:
        convert(directory, pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
