"""Model-card sections for this release's cross-source work: the cross-source table (from
the bundle's ``crossval.json``, written by ``python -m training.crossval``), calibration
per label, and the annotations made for it. Kept apart from ``training.model_card`` so each
section is found where its name says."""
from __future__ import annotations

import collections
import json
from pathlib import Path

from training import ar_listing, ar_pools
from training.crossval import format_table

def _pool_counts() -> str:
    """Per source, "clickbait sure/unsure, headline sure/unsure", counted from the labels file."""
    counts = collections.Counter((src, label, conf) for src, label, conf in ar_pools.read_labels().values())
    sources = sorted({src for src, _, _ in counts})
    return "; ".join(f"{src} {counts[src, 'clickbait', 'sure']}/{counts[src, 'clickbait', 'unsure']}, "
                     f"{counts[src, 'headline', 'sure']:,}/{counts[src, 'headline', 'unsure']}" for src in sources)


def annotations_section() -> str:
    """The annotations made for this release, with their counts taken from the files
    themselves (the agreement figure comes from the annotators' answers, which stay in
    ``build/`` because they sit beside the titles' text)."""
    pools = collections.Counter((label, conf) for _, label, conf in ar_pools.read_labels().values())
    listing = collections.Counter(label for rows in ar_listing.read_labels().values() for _, _, label in rows)
    n_pages = len(ar_listing.read_labels())
    return f"""## Annotations made for this release

* **Arabic titles** (`training/annotations/ar_pool_titles.tsv`, `python -m training.ar_pools`):
  {sum(pools.values()):,} titles and posts of `headlines/ar_pools/` (every title of the small pools; from the
  Goud, Al Jazeera social and AraNews pools half drawn among titles holding a hook, half
  uniformly, `stratum` says which) labelled clickbait/headline, sure/unsure, by four model
  annotator sessions reading every title with `training/annotations/POOL_INSTRUCTIONS.md`.
  Outlet suffixes, URLs and hashtags are stripped first (`ar_pools.clean_title`), so they
  carry no label. Found: {pools['clickbait', 'sure']:,} sure and {pools['clickbait', 'unsure']:,} unsure clickbait,
  {pools['headline', 'sure']:,} sure and {pools['headline', 'unsure']:,} unsure headlines; by source (clickbait
  sure/unsure, headline sure/unsure): {_pool_counts()}.
  Rule for unsure titles: unsure clickbait joins the *training* clickbait pool only (as
  with the SaudiNewsNet annotation: a title a reader found arguably baiting must not be
  taught as plain); unsure headlines are kept out of both pools; dev and test use sure
  labels only. Held-out part, split by source: all of Goud (Moroccan Darija tabloid) is
  test-only in every build.
  Second reading: 160 titles were put blind into two annotators' chunks; agreement on
  clickbait-or-not 98.1%, Cohen's kappa 0.90 (15 called clickbait by both, 3 by one)
  (`python -m training.ar_pools agreement build/ar_annot`).
* **Arabic listing pages** (`training/annotations/ar_listing_lines.tsv`,
  `python -m training.ar_listing`): the {n_pages} pages of `html/arabic_listing_pages.tar.gz`,
  {sum(listing.values()):,} extracted lines, each labelled by two model annotator sessions reading the page
  ({', '.join(f'{k} {v:,}' for k, v in sorted(listing.items()))}; no page has a comment section). A page's own
  listing (headlines and leads) is body, its chrome, sidebars and tickers boilerplate,
  teasers clickbait. Pages whose content loads in iframes came out all boilerplate.
  Kept as file, line number, a hash of the line and the label; a page whose extracted lines
  no longer match the hashes is dropped, never mislabelled.
"""


def crosssource_section(directory: Path) -> str:
    path = directory / "crossval.json"
    if not path.is_file():
        return ("## Cross-source evaluation\n\nNot run for this bundle (`python -m training.crossval "
                "--json DIR/crossval.json`).\n\n")
    data = json.loads(path.read_text(encoding="utf-8"))
    folds = data.get("folds", [])
    return f"""## Cross-source evaluation (what chooses between variants)

Command: `{data.get('command', 'python -m training.crossval')}` (the same code and
corpus recipe as this bundle; each fold's model is trained with {folds[0].get('oof_folds') if folds else '?'}
out-of-fold splits instead of this bundle's 4, the cheaper proxy). Every source in the table is
scored by a model that never saw it, neither its pages nor its headlines (`training.corpus
--holdout`); folds: {', '.join(f"{f['fold']} = {' + '.join(f['holdout'])}" for f in folds)}.
"cb FP/1k": lines called clickbait per 1,000 lines of pages that hold none. "title rec":
share of the page's own headline lines (from the source's gold title) called body.
"cw-ECE max": the largest per-label calibration error.

```
{format_table(folds)}
```

"""


def rules_section(directory: Path) -> str:
    """Held-out figures with the rules after the model (``classifier/rules.py``), from the
    bundle's ``rules_eval.json`` (``python -m training.rules_eval --json``): the table
    above is the model alone, but labelling applies the rules, so a reader needs both."""
    path = directory / "rules_eval.json"
    if not path.is_file():
        return ""
    data = json.loads(path.read_text(encoding="utf-8"))
    every = data["variants"]["all rules"]
    ece = data.get("classwise_ece", {})
    rows = ["| held out | pages | own title called body | body F1 | comment F1 | macro F1 | cw-ECE max |",
            "|---|---|---|---|---|---|---|"]
    shown: set[str] = set()
    for group, r in every.items():
        b, a = r["model"], r["with"]
        title = f"{b['title_recall']:.3f} -> {a['title_recall']:.3f}" if r.get("titles") else "-"
        sides = ece.get(group.split("/")[0], {})
        source = group.split("/")[0]
        worst = (f"{max(sides['model'].values()):.3f} -> {max(sides['all rules'].values()):.3f}"
                 if sides and source not in shown else "")  # a source's figure on its first row
        shown.add(source)
        rows.append(f"| {group} | {r['pages']:,} | {title} | {b['body_f1']:.3f} -> {a['body_f1']:.3f} | "
                    f"{b['comment_f1']:.3f} -> {a['comment_f1']:.3f} | {b['macro_f1']:.3f} -> {a['macro_f1']:.3f} | {worst} |")
    return f"""## Held out, with the rules after the model

The table above scores the model alone. Labelling applies the guide's rules after it
(`classifier/rules.py`: {', '.join(k for k in data['variants'] if k != 'all rules')}); on the same fold models and held-out pages, the model alone -> with all
of them (command: `{data.get('command', 'python -m training.rules_eval')}`; "cw-ECE max": the
largest per-label calibration error of the source, on its first row):

{chr(10).join(rows)}

"""


def headline_select_section(directory: Path) -> str:
    """The headline scorer's settings against held-out headline sources
    (``training.headline_select``), when the run's JSON is in the bundle."""
    path = directory / "headline_select.json"
    if not path.is_file():
        return ""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = ["| setting | held out | ROC AUC | clickbait found at p >= 0.5 | plain called clickbait "
            "| file MB |",
            "|---|---|---|---|---|---|"]
    for name, by_source in data.get("results", {}).items():
        for held, r in by_source.items():
            size = f"{r['size_mb']:.1f}" if "size_mb" in r else "-"
            rows.append(f"| {name} | {held} | {r['auc']:.3f} | {r['clickbait_found']:.3f} | "
                        f"{r['plain_called_clickbait']:.3f} | {size} |")
    body = "\n".join(rows)
    return f"""## Headline scorer settings (held-out headline sources)

Command: `{data.get('command', 'python -m training.headline_select')}`. Each setting of the
scorer (fastText, or the n-gram logistic regression of `classifier/ngrams.py`) is trained on
every headline source but one and scores the one left out. (The JSON also holds each
setting's time per item, measured on a shared machine: too noisy to rank settings by.)
{(chr(10) + data['note'] + chr(10)) if data.get('note') else ''}
{body}

"""


def calibration_section(report: dict | None) -> str:
    cw = (report or {}).get("classwise_ece")
    if not cw:
        return ""
    rows = " | ".join(f"{k} {v:.4f}" for k, v in cw.items())
    return f"""## Calibration per label (test split)

Vector scaling (a scale and a bias per label, fitted on the dev pages after the
temperature; `classifier.combiner.fit_vector_scaling`). Top-label ECE
{report.get('ece', float('nan')):.4f}; classwise ECE (p(label) against how often the label is right,
15 bins over every line): {rows}.

"""


def guide_marks_section(manifest: dict, directory: Path) -> str:
    """What ``--guide-marks`` changed in training, and (from the bundle's ``guide_marks.json``,
    written by ``python -m training.guide_marks_eval``) the held-out clickbait in context
    with and without it; empty for a bundle trained without it."""
    if "--guide-marks" not in manifest.get("training", {}).get("command", ""):
        return ""
    text = """## The guide's clickbait marks (`--guide-marks`)

Every headline's surface is redrawn independently of its label (above), except two marks
the annotation guide itself names as clickbait: a media tag ("(VIDEO)", "(فيديو)") and an
all-caps hook ("OBAMA IN SHOCK: ..."). In the training and calibration pages' composed
titles and teaser widgets, and in the headline scorer's items, a plain headline loses its
media tag and a clickbait one gains a media tag (30%) or, in English, an all-caps hook
(20%) (`training/surface.py`: `guide_marked`). No source labels by that rule (Webis-17's
crowd called 9 of its 28 posts with a media tag clickbait), and without it the model
ignored the guide's own examples. The test pages are built as before, so their plain
headlines carry media tags as often as their clickbait ones do, and a plain headline with
a tag called clickbait counts against this model there, though the guide agrees with it.
"""
    path = directory / "guide_marks.json"
    if not path.exists():
        return text + "\n"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = ["", f"Held out ({data.get('note', '')}); command: `{data.get('command', '')}`", "",
            "| model | language | headlines | cb F1 all | plain->cb all | cb F1 without a media tag "
            "| plain->cb without | plain->cb with a tag |", "|---|---|---|---|---|---|---|---|"]
    for name, langs in data["models"].items():
        for lang, parts in langs.items():
            a, n, t = parts["all"], parts["no_media_tag"], parts["media_tag"]
            if not a.get("lines"):
                continue
            rows.append(f"| {name} | {lang} | {a['lines']:,} | {a['clickbait_f1']:.3f} | "
                        f"{a['plain_called_clickbait']:.3f} | {n.get('clickbait_f1', 0):.3f} | "
                        f"{n.get('plain_called_clickbait', 0):.3f} | {t.get('plain_called_clickbait', 0):.3f} |")
    return text + "\n".join(rows) + "\n\n"
