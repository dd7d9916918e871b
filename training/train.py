"""Train the shipped model: corpus in, bundle + model card out. A deliberate, recorded step.

    python -m training.corpus --out build/corpus            # once, reproducible
    python -m training.train --corpus build/corpus --out models/default

Trains on the train split, calibrates on dev, evaluates on the held-out test split (whole
pages from sites never seen in training), and writes the scores into the manifest and the
model card, so the numbers quoted for a bundle are always the ones it produced.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from classifier import LineClassifier
from classifier.bundle import write_manifest
from classifier.data import read_all
from classifier.evaluation import evaluate, format_report, prediction_rows

from .model_card import write_model_card


def _git_commit() -> str:
    """HEAD, marked "+changes" when the tracked files differ from it (the bundle is then
    committed together with those changes)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def _corpus_command(corpus: Path) -> str:
    """How the corpus was built, as its builder recorded it (command.txt), so a bundle trained
    on a licence-filtered or re-seeded corpus says so; the default build when not recorded."""
    try:
        return (corpus / "command.txt").read_text(encoding="utf-8").strip()
    except OSError:
        return f"python -m training.corpus --data ../shared/data --out {corpus} --seed 13"


def _quantization_check(clf: LineClassifier, train, dev) -> dict:
    """Text-model-only macro-F1 on the dev lines, quantised (shipped) vs not, so the card
    can say whether the 10x smaller .ftz keeps accuracy."""
    from classifier.evaluation import prf
    from classifier.settings import LABELS
    from classifier.textmodel import TextModel

    def lines_of(pages):
        pairs = [(t, lab) for p in pages for t, lab in zip(p.lines, p.labels) if lab is not None]
        return [t for t, _ in pairs], [lab for _, lab in pairs]

    train_lines, train_labels = lines_of(train)
    dev_lines, dev_labels = lines_of(dev)
    full = TextModel.train(train_lines, train_labels, params=clf.text_params, quantize=False)
    scores = {}
    for name, model in (("quantized", clf.text_model_), ("full", full)):
        pred = [LABELS[i] for i in model.predict_proba(dev_lines).argmax(axis=1)]
        scores[name + "_macro_f1"] = round(prf(dev_labels, pred)["macro_f1"], 4)
    return scores


def read_headlines(corpus: Path, seed: int = 13, guide_marks: bool = False) -> tuple[list[str], list[str]]:
    """The headline scorer's training items: the corpus's train-split headline pools, each
    item once as it is and once with its surface redrawn (training.surface), so no mark
    ("?", "!", "(VIDEO)", an outlet tag) carries the label; with ``guide_marks``, the
    guide's media tags do (``training.surface.guide_marked``)."""
    import gzip

    from .surface import with_redrawn_copies

    path = corpus / "headlines_train.jsonl.gz"
    if not path.exists():
        raise SystemExit(f"{path} is missing: rebuild the corpus (python -m training.corpus)")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = [json.loads(row) for row in fh]
    return with_redrawn_copies(((r["text"], r["label"], r["lang"]) for r in records), seed,
                               guide_marks=guide_marks)


def fit_on_corpus(corpus: Path, *, seed: int | None = None, site_memory: bool = True, topic_cues: bool = True,
                  headline_scorer: bool = True, discourse_cues: bool = False, lead_cues: bool = True,
                  direction_cues: bool = False, headline_kind: str | None = None, quantize: bool = False,
                  n_folds: int | None = None, guide_marks: bool = False,
                  progress: bool = True) -> tuple[LineClassifier, list, list, list]:
    """A model fitted on a corpus's train split, calibrated on its dev split; returns it with
    the (train, dev, test) pages. Shared by ``training.train`` and ``training.crossval``.
    ``guide_marks``: the train and dev pages' composed headlines, and the headline scorer's
    items, follow the guide's clickbait marks (``training.surface.guide_marked``); the
    test pages are left as built."""
    from classifier import settings

    from .surface import guide_marked_pages

    train = read_all([corpus / "train.jsonl.gz"])
    dev = read_all([corpus / "dev.jsonl.gz"])
    test = read_all([corpus / "test.jsonl.gz"])
    if guide_marks:
        train, dev = guide_marked_pages(train, seed=13), guide_marked_pages(dev, seed=14)
    print(f"pages: train {len(train)}, dev {len(dev)}, test {len(test)}", flush=True)
    clf = LineClassifier(quantize=quantize, site_memory=site_memory, topic_cues=topic_cues,
                         headline_scorer=headline_scorer, discourse_cues=discourse_cues, lead_cues=lead_cues,
                         direction_cues=direction_cues, **({"headline_kind": headline_kind} if headline_kind else {}),
                         n_folds=n_folds or settings.OUT_OF_FOLD_SPLITS,
                         text_params=None if seed is None else {"seed": seed})
    clf.fit([p.lines for p in train], [p.labels for p in train], groups=[p.group for p in train],
            sites=[p.site for p in train],
            calibration=([p.lines for p in dev], [p.labels for p in dev], [p.site for p in dev]),
            headlines=read_headlines(corpus, guide_marks=guide_marks) if headline_scorer else None,
            progress=progress)
    return clf, train, dev, test


def _site_memory_effect(without: dict, with_memory: dict) -> dict:
    """Macro-F1 and per-label F1 of the same pages labelled without and with site memory."""
    def scores(report: dict) -> dict:
        real = report["by_kind"].get("real", {})
        return {"macro_f1": round(report["overall"]["macro_f1"], 4),
                "real_pages_body_f1": round(real.get("labels", {}).get("body", {}).get("f1", float("nan")), 4),
                "f1": {k: round(v["f1"], 4) for k, v in report["overall"]["labels"].items()}}
    return {"without": scores(without), "with": scores(with_memory)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path("build/corpus"))
    ap.add_argument("--out", type=Path, default=Path("models/default"))
    ap.add_argument("--quantize", action="store_true",
                    help="ship a quantised (.ftz-format) text model: ~8x smaller, ~3x slower")
    ap.add_argument("--no-site-memory", action="store_true",
                    help="train without the site-memory columns (for the with/without comparison)")
    ap.add_argument("--no-topic-cues", action="store_true",
                    help="train without the topic-overlap columns (classifier/topic.py)")
    ap.add_argument("--discourse-cues", action="store_true",
                    help="add the discourse columns (classifier/discourse.py: headline, comment-voice and "
                         "past-the-article cues)")
    ap.add_argument("--no-lead-cues", action="store_true",
                    help="train without the second pass's lead columns (classifier/lead.py: the headline "
                         "above the article, distance before and past it)")
    ap.add_argument("--direction-cues", action="store_true",
                    help="the second pass also reads pass one's verdicts on the lines before and after "
                         "each line (classifier/direction.py)")
    ap.add_argument("--headline-kind", choices=("ngram", "fasttext"), default=None,
                    help="the headline scorer's model (default: classifier.headline.KIND, ngram)")
    ap.add_argument("--guide-marks", action="store_true",
                    help="the guide's clickbait marks (a media tag, an all-caps hook) go with the label in "
                         "the training headlines (training/surface.py: guide_marked)")
    ap.add_argument("--oof-folds", type=int, default=None,
                    help="out-of-fold splits for the text model and the first pass (default: settings, 4)")
    ap.add_argument("--no-headline-scorer", action="store_true",
                    help="train without the headline scorer (classifier/headline.py)")
    ap.add_argument("--seed", type=int, default=None,
                    help="fastText seed (default: settings.TEXT_MODEL_PARAMS). Retrains of one "
                         "configuration differed by up to half a point of macro-F1 across three seeds, so compare "
                         "candidates over two or three (python -m training.compare)")
    args = ap.parse_args(argv)

    started = time.time()
    code_commit = _git_commit()  # the code that trains: taken now, not after an hour of edits
    clf, train, dev, test = fit_on_corpus(args.corpus, seed=args.seed, site_memory=not args.no_site_memory,
                                          topic_cues=not args.no_topic_cues,
                                          headline_scorer=not args.no_headline_scorer,
                                          discourse_cues=args.discourse_cues, lead_cues=not args.no_lead_cues,
                                          direction_cues=args.direction_cues, headline_kind=args.headline_kind,
                                          quantize=args.quantize, guide_marks=args.guide_marks,
                                          n_folds=args.oof_folds)
    fit_seconds = time.time() - started

    def summary(pages):
        lines = sum(sum(lab is not None for lab in p.labels) for p in pages)
        return {"pages": len(pages), "lines": lines,
                "composed_pages": sum(p.composed for p in pages)}

    info = {
        "version": time.strftime("%Y.%m.%d"),
        "training": {
            "command": _corpus_command(args.corpus) + " && "
                       "python -m training.train --corpus " + str(args.corpus) + " --out " + str(args.out)
                       + (" --quantize" if args.quantize else "")
                       + (" --no-site-memory" if args.no_site_memory else "")
                       + (" --no-topic-cues" if args.no_topic_cues else "")
                       + (" --no-headline-scorer" if args.no_headline_scorer else "")
                       + (" --discourse-cues" if args.discourse_cues else "")
                       + (" --no-lead-cues" if args.no_lead_cues else "")
                       + (" --direction-cues" if args.direction_cues else "")
                       + (" --guide-marks" if args.guide_marks else "")
                       + (f" --headline-kind {args.headline_kind}" if args.headline_kind else "")
                       + ("" if args.oof_folds is None else f" --oof-folds {args.oof_folds}")
                       + ("" if args.seed is None else f" --seed {args.seed}"),
            "code_commit": code_commit,
            "train": summary(train), "dev (calibration)": summary(dev), "test": summary(test),
            "fit_seconds": round(fit_seconds),
        },
    }
    if args.quantize:
        info["training"]["quantization_check"] = _quantization_check(clf, train, dev)
        print("quantization check (text model alone, dev lines):",
              info["training"]["quantization_check"], flush=True)
    clf.save(args.out, info=info)
    loaded = LineClassifier.load(args.out)
    report = evaluate(prediction_rows(loaded, test))
    text = format_report(report)
    print(text)
    manifest = dict(loaded.manifest_)
    manifest["metrics"] = {
        "split": "test",
        "macro_f1": round(report["overall"]["macro_f1"], 4),
        "body_vs_rest_f1": round(report["body_vs_rest_f1"], 4),
        "ece": round(report["ece"], 4),
        "f1": {k: round(v["f1"], 4) for k, v in report["overall"]["labels"].items()},
        "macro_f1_by_language": {k: round(v["macro_f1"], 4) for k, v in report["by_language"].items()},
    }
    if loaded.site_memory:
        # the same test pages as one stream with their sites: what site memory adds
        remembered = evaluate(prediction_rows(loaded, test, site_memory=True))
        manifest["metrics"]["site_memory"] = _site_memory_effect(report, remembered)
        print("site memory (test split, real pages' hosts):",
              json.dumps(manifest["metrics"]["site_memory"]), flush=True)
    (args.out / "evaluation.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_model_card(args.out, manifest, text, report)
    write_manifest(args.out, {k: v for k, v in manifest.items() if k not in ("format", "files")})
    print(f"bundle written to {args.out} in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
