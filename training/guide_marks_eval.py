"""Clickbait in context, split by whether a headline carries a mark the guide names.

    python -m training.guide_marks_eval --corpus build/crossval3/A/corpus \
        --model build/crossval5/A/model --model build/cv_gm/A/model-guide_marks

Why: a model trained with ``--guide-marks`` calls a headline with a media tag ("(VIDEO)")
clickbait, as the annotation guide does; the corpus's composed test pages, built before,
put media tags on plain headlines and on clickbait alike (``training.surface.vary``). So a
plain headline with a tag, labelled plain there, counts against such a model though the
guide agrees with it. This prints, per model, the in-context scores of
``training.crossval`` on the test pages' composed headlines three ways: all of them, those
without a media tag (where both kinds of model are judged on wording alone) and those with
one. Run it on a fold's corpus with the fold's models for held-out figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from classifier import LineClassifier
from classifier.data import read_all

from .crossval import clickbait_in_context, page_rows
from .surface import strip_media


def has_media_tag(text: str) -> bool:
    return strip_media(text) != text


def slices(rows: list[dict]) -> dict:
    """``clickbait_in_context`` per language, over all composed headlines and split by tag."""
    out = {}
    for lang in ("en", "ar"):
        in_lang = [r for r in rows if r["lang"] == lang]
        out[lang] = {"all": clickbait_in_context(in_lang),
                     "no_media_tag": clickbait_in_context([r for r in in_lang if not has_media_tag(r["text"])]),
                     "media_tag": clickbait_in_context([r for r in in_lang if has_media_tag(r["text"])])}
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True, help="a corpus directory (its test.jsonl.gz is read)")
    ap.add_argument("--model", type=Path, action="append", required=True, help="a bundle (repeatable)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--note", default="", help="what the pages are, for the model card")
    a = ap.parse_args(argv)
    pages = [p for p in read_all([a.corpus / "test.jsonl.gz"]) if p.composed]
    command = f"python -m training.guide_marks_eval --corpus {a.corpus}" + "".join(f" --model {m}" for m in a.model)
    report: dict = {"command": command, "note": a.note, "models": {}}
    for model in a.model:
        rows = page_rows(LineClassifier.load(model), pages)
        report["models"][str(model)] = slices(rows)
        print(f"== {model}")
        for lang, parts in report["models"][str(model)].items():
            for name, s in parts.items():
                if s.get("lines"):
                    print(f"  {lang} {name:13s} headlines {s['lines']:5d} clickbait {s['clickbait']:5d} "
                          f"cb F1 {s['clickbait_f1']:.3f} plain->cb {s['plain_called_clickbait']:.3f}")
    if a.json:
        a.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
