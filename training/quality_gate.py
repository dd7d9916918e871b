"""Quality gate: the shipped model, run by today's code, must not lose more than one point
of macro-F1 on a fixed evaluation sample.

    python -m training.quality_gate            # check (CI runs this when ../shared/data exists)
    python -m training.quality_gate --update   # record new scores after a deliberate retrain

The sample is the held-out test split of the corpus (sites never trained on), rebuilt
from ../shared/data with the committed split file and seed, so it is the same lines on
every machine. The baseline lives beside the tests (tests/quality_baseline.json).
Without ../shared/data the gate says so and passes: the core tests stay self-contained.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from . import ar_listing, ar_pools, compose, corpus, headline_pools, pools, relabel, sources, splitting, surface

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tests" / "quality_baseline.json"
TOLERANCE = 0.01


BUILDER_INPUTS = (Path(corpus.__file__), Path(sources.__file__), Path(relabel.__file__),
                  Path(splitting.__file__), Path(pools.__file__), Path(compose.__file__),
                  Path(splitting.SPLITS_JSON), Path(sources.TITLE_LABELS),
                  Path(headline_pools.__file__), Path(surface.__file__), Path(ar_pools.__file__),
                  Path(ar_pools.LABELS_TSV), Path(ar_listing.__file__), Path(ar_listing.LABELS_TSV))
"""What the corpus depends on besides ../shared/data, named by the builder itself: a change
to any of them rebuilds it."""


def _builder_stamp() -> str:
    digest = hashlib.sha256()
    for path in BUILDER_INPUTS:
        digest.update(path.name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"(absent)") + b"\0")
    return digest.hexdigest()


def _build_corpus(data: Path, out: Path) -> None:
    """Build the sample once and reuse it while the builder, split and annotations stay the
    same; a local cache built by older code would score the model on stale labels."""
    stamp, current = out / "builder.sha256", _builder_stamp()
    if (out / "test.jsonl.gz").is_file() and stamp.is_file() and stamp.read_text().strip() == current:
        return
    subprocess.run([sys.executable, "-m", "training.corpus", "--data", str(data), "--out", str(out),
                    "--seed", "13"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    stamp.write_text(current + "\n")


def measure(corpus: Path, model: Path | None) -> dict:
    from classifier import LineClassifier
    from classifier.data import read_all
    from classifier.evaluation import evaluate, prediction_rows

    clf = LineClassifier.load(model)
    report = evaluate(prediction_rows(clf, read_all([corpus / "test.jsonl.gz"])))
    return {
        "sample": "corpus test split (seed 13, training/splits.json)",
        "lines": report["overall"]["n"],
        "macro_f1": round(report["overall"]["macro_f1"], 4),
        "f1": {k: round(v["f1"], 4) for k, v in report["overall"]["labels"].items()},
        "macro_f1_by_language": {k: round(v["macro_f1"], 4) for k, v in report["by_language"].items()},
        "body_vs_rest_f1": round(report["body_vs_rest_f1"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--corpus", type=Path, default=ROOT / "build" / "gate-corpus")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--update", action="store_true", help="write the measured scores as the baseline")
    args = ap.parse_args(argv)

    if not args.data.is_dir():
        print(f"quality gate skipped: {args.data} not found (the labelled data lives outside the repo)")
        return 0
    _build_corpus(args.data, args.corpus)
    scores = measure(args.corpus, args.model)
    print("quality gate:", json.dumps(scores))
    if args.update or not BASELINE.is_file():
        BASELINE.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
        print(f"baseline written to {BASELINE}")
        return 0
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    drop = baseline["macro_f1"] - scores["macro_f1"]
    if drop > TOLERANCE:
        print(f"quality gate FAILED: macro-F1 {scores['macro_f1']:.4f} is {drop * 100:.2f} points below "
              f"the baseline {baseline['macro_f1']:.4f} (tolerance {TOLERANCE * 100:.0f} point)")
        return 1
    print(f"quality gate passed: macro-F1 {scores['macro_f1']:.4f} vs baseline {baseline['macro_f1']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
