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

The models label with the guide rule of :mod:`classifier.guide` unless
``--without-guide-rule`` is given (to compare trainings alone).

``--rates`` instead counts how often the marks of :mod:`classifier.guide` (a media tag or an
all-caps hook; the snippet part needs a model and is not counted) fire on the real pages of
``../shared/data/pages``,
none of which is labelled by that rule, and on the headline sources' plain and clickbait
items: what the rule costs where a source's labels disagree with the guide.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional, Sequence

from classifier import LineClassifier, guide
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


RATE_PAGES = ("cleaneval", "dragnet", "wcxb_dev", "aeb", "arabic_pages")
RATE_HEADLINES = ("webis_clickbait17", "chakraborty2016", "kaggle_train2_titles")


def rule_rates(data: Path) -> dict:
    """How often :func:`classifier.guide.guide_mark` fires: per real-page source, marked
    lines per 1,000 non-blank lines and their gold labels; per headline source, the share
    of its plain and of its clickbait items marked."""
    import collections

    from .sources import iter_pages

    out: dict = {"pages": {}, "headlines": {}}
    for source in RATE_PAGES:
        path = data / "pages" / f"{source}.jsonl.gz"
        if not path.exists():
            continue
        lines, marks = 0, collections.Counter()
        for record in iter_pages(str(path)):
            for line in record["lines"]:
                if line["text"].strip():
                    lines += 1
                    mark = guide.guide_mark(line["text"])
                    if mark:
                        marks[f"{mark}: {line['label']}"] += 1
        out["pages"][source] = {"lines": lines, "per_1000": round(1000 * sum(marks.values()) / max(lines, 1), 2),
                                "gold": dict(sorted(marks.items()))}
    for source in RATE_HEADLINES:
        path = data / "headlines" / f"{source}.jsonl.gz"
        if not path.exists():
            continue
        items = [(r["text"], r["label"] == "clickbait") for r in iter_pages(str(path))]
        rates = {}
        for name, side in (("plain", False), ("clickbait", True)):
            texts = [t for t, cb in items if cb == side]
            rates[name] = {"items": len(texts),
                           "marked": round(sum(guide.guide_mark(t) is not None for t in texts) / max(len(texts), 1), 4)}
        out["headlines"][source] = rates
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, help="a corpus directory (its test.jsonl.gz is read)")
    ap.add_argument("--model", type=Path, action="append", default=[], help="a bundle (repeatable)")
    ap.add_argument("--rates", action="store_true", help="how often the guide rule fires on the data (no model)")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"), help="with --rates: the data folder")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument("--note", default="", help="what the pages are, for the model card")
    ap.add_argument("--without-guide-rule", action="store_true",
                    help="label with the models alone, without classifier/guide.py's rule")
    a = ap.parse_args(argv)
    if a.rates:
        rates = rule_rates(a.data)
        for source, r in rates["pages"].items():
            print(f"{source:14s} {r['lines']:8,d} lines: {r['per_1000']:.2f} marked per 1,000 ({r['gold']})")
        for source, r in rates["headlines"].items():
            print(f"{source:22s} plain {r['plain']['items']:6,d} items, {r['plain']['marked']:.2%} marked; "
                  f"clickbait {r['clickbait']['items']:6,d}, {r['clickbait']['marked']:.2%}")
        if a.json:
            a.json.write_text(json.dumps(rates, indent=1) + "\n", encoding="utf-8")
        return 0
    if a.corpus is None or not a.model:
        ap.error("--corpus and --model are needed (or --rates)")
    pages = [p for p in read_all([a.corpus / "test.jsonl.gz"]) if p.composed]
    command = (f"python -m training.guide_marks_eval --corpus {a.corpus}" + "".join(f" --model {m}" for m in a.model)
               + (" --without-guide-rule" if a.without_guide_rule else ""))
    report: dict = {"command": command, "note": a.note, "models": {}}
    for model in a.model:
        clf = LineClassifier.load(model)
        clf.set_params(guide_marks=not a.without_guide_rule)
        rows = page_rows(clf, pages)
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
