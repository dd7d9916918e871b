"""Train the HTML model: the linesift model with each line's DOM cues as extra columns.

    python -m training.train_html --corpus build/html_corpus --text-corpus build/corpus \\
        --out models/html

Training pages:

* the HTML corpus's train pages (``training.html_corpus``: Dragnet, CleanEval, AEB, the
  Arabic pages and WCXB without its forum pages), each line with the cues of
  ``classifier.html.extract`` plus ``has_dom`` = 1;
* the text corpus's *composed* train pages (Arabic, mixed, teaser and clickbait-title
  pages, built from real parts by ``training.corpus``) with all-zero DOM cues and
  ``has_dom`` = 0: the HTML sets hold no clickbait and almost no Arabic, and without these
  pages the HTML model would lose what the text model knows about both. ``has_dom`` = 0
  also tells the model when the cues are absent rather than all "no".

The headline scorer (``classifier/headline.py``) is fitted as ``training.train`` fits it, on
the text corpus's train headline pools (``--no-headline-scorer`` leaves it out).
Calibration (per-label vector scaling) on the dev pages of both, built the same way; evaluation on their test pages
(written to ``<out>/evaluation.json``). The text corpus is built first when missing
(``python -m training.corpus --data ../shared/data --out build/corpus --seed 13``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path


from classifier.html import DOM_NAMES, dom_columns, extract, no_dom

from .html_corpus import read_corpus
from .html_teasers import maybe_teaser, teaser_blocks

def html_pages(path: Path, teasers: list | None = None, seed: int = 13) -> list[dict]:
    """HTML corpus pages as (lines, labels, extra, group, meta) dicts, cues recomputed.
    With ``teasers`` (blocks from ``training.html_teasers.teaser_blocks``), half of the
    pages get one as a recommendation widget (recipe "html teaser")."""
    out, bad = [], 0
    for rec in read_corpus(path):
        html, lines, labels, recipe = maybe_teaser(rec, teasers or [], seed)
        ext = extract(html)
        if ext.lines != lines:
            bad += 1
            continue
        out.append({"lines": lines, "labels": labels,
                    "extra": dom_columns(ext.cues, has_dom=True), "group": rec.get("group") or rec["page_id"],
                    "source": rec["source"], "lang": rec["lang"], "kind": "html", "recipe": recipe})
    if bad:
        print(f"warning: {path}: {bad} pages skipped, their lines differ from extract(html) "
              "(rebuild the HTML corpus)", file=sys.stderr)
    return out


def composed_pages(path: Path) -> list[dict]:
    out = []
    for rec in read_corpus(path):
        if not rec.get("composed"):
            continue
        lines = [ln["text"] for ln in rec["lines"]]
        labels = [ln["label"] if ln["text"].strip() else None for ln in rec["lines"]]
        out.append({"lines": lines, "labels": labels, "extra": no_dom(len(lines)),
                    "group": rec.get("host") or rec["page_id"], "source": rec["source"],
                    "lang": rec["lang"], "kind": "composed", "recipe": rec.get("recipe") or ""})
    return out


def ensure_text_corpus(text_corpus: Path, data: str) -> None:
    if (text_corpus / "train.jsonl.gz").exists():
        return
    print(f"{text_corpus} missing: building it", flush=True)
    subprocess.run([sys.executable, "-m", "training.corpus", "--data", data, "--out",
                    str(text_corpus), "--seed", "13"], check=True)


def evaluation_rows(clf, pages: list[dict]) -> list[dict]:
    from classifier.evaluation import line_language

    rows = []
    for page in pages:
        for text, gold, lab in zip(page["lines"], page["labels"],
                                   clf.label(page["lines"], extra=page["extra"])):
            if lab is None or gold is None:
                continue
            rows.append({"gold": gold, "pred": lab.label, "score": lab.score,
                         "lang": line_language(text), "source": page["source"],
                         "kind": page["kind"], "recipe": page["recipe"]})
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.train_html", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path("build/html_corpus"))
    ap.add_argument("--text-corpus", type=Path, default=Path("build/corpus"))
    ap.add_argument("--data", default="../shared/data", help="to build the text corpus if missing")
    ap.add_argument("--out", type=Path, default=Path("models/html"))
    ap.add_argument("--quantize", action="store_true",
                    help="ship a quantised (.ftz-format) text model: ~8x smaller, ~3x slower")
    ap.add_argument("--topic-cues", action="store_true",
                    help="add the topic-overlap columns (classifier/topic.py) beside the DOM cues")
    ap.add_argument("--no-headline-scorer", action="store_true",
                    help="train without the headline scorer (classifier/headline.py), which the "
                         "text model has and which is fitted on the text corpus's train headlines")
    ap.add_argument("--no-lead-cues", action="store_true",
                    help="train without the lead columns (classifier/lead.py) that the combiner's "
                         "second pass reads to find the page's own headline")
    args = ap.parse_args(argv)

    from classifier.bundle import write_manifest
    from classifier.evaluation import evaluate, format_report
    from classifier.model import LineClassifier

    from .model_card import write_html_model_card
    from .train import _git_commit, read_headlines

    started = time.time()
    code_commit = _git_commit()  # the code that trains: taken now, not after an hour of edits
    ensure_text_corpus(args.text_corpus, args.data)
    split = {}
    for s in ("train", "dev", "test"):
        # teaser widgets from the same split's composed pages: held-out headlines for test
        teasers = teaser_blocks(read_corpus(args.text_corpus / f"{s}.jsonl.gz"))
        split[s] = html_pages(args.corpus / f"{s}.jsonl.gz", teasers) + \
            composed_pages(args.text_corpus / f"{s}.jsonl.gz")
        kinds = {k: sum(p["kind"] == k for p in split[s]) for k in ("html", "composed")}
        print(f"{s}: {len(split[s])} pages ({kinds['html']} HTML, {kinds['composed']} composed)",
              flush=True)
    train, dev, test = split["train"], split["dev"], split["test"]

    # the headline scorer as training.train fits it: on the text corpus's train-split
    # headline pools (clickbait vs plain), each item also with its surface redrawn
    scorer = not args.no_headline_scorer
    clf = LineClassifier(quantize=args.quantize, topic_cues=args.topic_cues, headline_scorer=scorer,
                         lead_cues=not args.no_lead_cues)
    clf.fit([p["lines"] for p in train], [p["labels"] for p in train],
            groups=[p["group"] for p in train],
            extra=[p["extra"] for p in train], extra_names=DOM_NAMES,
            calibration=([p["lines"] for p in dev], [p["labels"] for p in dev], None,
                         [p["extra"] for p in dev]),
            headlines=read_headlines(args.text_corpus) if scorer else None,
            progress=True)

    def summary(pages):
        return {"pages": len(pages),
                "html_pages": sum(p["kind"] == "html" for p in pages),
                "composed_pages": sum(p["kind"] == "composed" for p in pages),
                "lines": sum(sum(lab is not None for lab in p["labels"]) for p in pages)}

    info = {
        "version": time.strftime("%Y.%m.%d"),
        "kind": "html",
        "training": {
            "command": f"python -m training.corpus --data ../shared/data --out {args.text_corpus} --seed 13 && "
                       f"python -m training.html_corpus --data ../shared/data --out {args.corpus} "
                       f"--text-corpus {args.text_corpus} && "
                       f"python -m training.train_html --corpus {args.corpus} "
                       f"--text-corpus {args.text_corpus} --out {args.out}"
                       + (" --topic-cues" if args.topic_cues else "")
                       + (" --no-headline-scorer" if args.no_headline_scorer else "")
                       + (" --no-lead-cues" if args.no_lead_cues else ""),
            "code_commit": code_commit,
            "train": summary(train), "dev (calibration)": summary(dev), "test": summary(test),
            "fit_seconds": round(time.time() - started),
        },
    }
    clf.save(args.out, info=info)
    loaded = LineClassifier.load(args.out)
    report = evaluate(evaluation_rows(loaded, test))
    print(format_report(report))
    (args.out / "evaluation.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    manifest = dict(loaded.manifest_)
    write_html_model_card(args.out, manifest, format_report(report))
    write_manifest(args.out, {k: v for k, v in manifest.items() if k not in ("format", "files")})
    print(f"bundle written to {args.out} in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
