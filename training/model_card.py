"""The model card, written from the bundle's own manifest and evaluation so it cannot drift
from the model it describes."""

from __future__ import annotations

import json
from pathlib import Path

from classifier.bundle import MODEL_CARD
from training.card_crosssource import (annotations_section, calibration_section, crosssource_section,
                                       guide_marks_section, headline_select_section, rules_section)

_SOURCES = """\
| source (in ../shared/data) | used for | licence |
|---|---|---|
| pages/dragnet.jsonl.gz (Dragnet, Moz blog study 2012) | real English pages, comments | AGPL-3.0 |
| pages/cleaneval.jsonl.gz (CleanEval 2007) | real English pages (generic) | not stated |
| pages/aeb.jsonl.gz (Scrapinghub article-extraction-benchmark) | real English pages | MIT repo, third-party pages |
| pages/arabic_pages.jsonl.gz (CNN Arabic + four 2020 news pages) | real Arabic pages, Arabic chrome for composed pages | pages belong to their publishers |
| text/saudinewsnet_articles.jsonl.gz (SaudiNewsNet 2015) | Arabic article paragraphs in composed pages | CC BY-NC-SA 4.0 (non-commercial) |
| text/aoc_comments_articles.jsonl.gz (Arabic Online Commentary) | Arabic reader comments | not stated |
| text/hespress_comments.jsonl.gz | Arabic reader comments with timestamps | not stated |
| text/wp_core_ar_ui.jsonl.gz, text/joomla_ar_ui.jsonl.gz | Arabic chrome and comment-form strings | GPL / GPL-2.0 |
| headlines/chakraborty2016.jsonl.gz (Stop Clickbait) | English clickbait and plain headlines | MIT repo |
| headlines/saudinewsnet_annotated.jsonl.gz | Arabic clickbait and plain headlines | CC BY-NC-SA 4.0 |
| training/annotations/snn_titles.tsv (this repository: labels of the other 8,821 SaudiNewsNet titles, keyed by hash) | more Arabic clickbait for training; bait kept out of plain-headline pools | labels only; the titles are SaudiNewsNet's |
| pages/wcxb_dev.jsonl.gz (WCXB development split, Foley 2026: 2025 pages of 7 types, 1,100+ domains) | real modern English pages (forum pages left out: their gold counts replies as main content) | CC-BY-4.0: cite the benchmark |
| headlines/webis_clickbait17.jsonl.gz (Webis-Clickbait-17, Potthast et al. 2018) | English teaser posts, clickbait and plain (items the 5 annotators scored 0.4-0.6 left out) | CC-BY-4.0: cite the corpus |
| headlines/kaggle_train2_titles.jsonl.gz (Kaggle News Clickbait train2) | plain English headlines in outlet style (its noisy clickbait side unused) | not stated |
| headlines/ar_pools/ + training/annotations/ar_pool_titles.tsv (this repository: 3,227 titles labelled by reading, keyed by hash) | Arabic clickbait and plain titles of seven sources (the Moroccan tabloid Goud held out for testing) | goud.ma/MArSum CC-BY-4.0; the others not stated |
| html/arabic_listing_pages.tar.gz + training/annotations/ar_listing_lines.tsv (this repository: 4,579 lines of 51 pages labelled by reading) | real Arabic home, listing and forum-index pages | pages belong to their publishers |

Because of the non-commercial (CC BY-NC-SA) and copyleft (AGPL, GPL) sources, and the
sources with no stated licence, check the terms before using this bundle commercially.

To train without them, build the corpus from chosen licence classes only (the table of
each file's licence and class is `SOURCE_LICENCES` in `training/sources.py`):
`python -m training.corpus --data ../shared/data --out build/corpus_permissive --seed 13
--licences permissive`, then `python -m training.train --corpus build/corpus_permissive
--out DIR` (the bundle's manifest records both commands). "permissive" reads only the two
MIT-licensed repositories (the AEB pages and the Stop Clickbait headlines; the MIT licence
is the repository's, the page text belongs to its publishers). No Arabic source is
permissive, so that model has no Arabic body, comment or clickbait to learn from: measured on
the test split before this release's label fixes it scored macro-F1 0.476 (Arabic lines 0.19, English 0.52), and
0.738 on its own permissive test split (built and trained in under 3 minutes).
"""

_RECIPES = """\
Real pages are the labelled pages of `pages/`, minus misaligned ones (`gold_recall` < 0.8),
with rule-labelled lines checked by hand on samples (findings at the top of
`training/relabel.py`). Body lines that the sources keep as content and the annotation
guide does not (bylines and dates standing alone, captions, breadcrumbs, related-story
lists; CleanEval's reader comments) are relabelled from their DOM path, which the model
never sees (`guide_relabel`: 1,965 of ~81k real body lines). Half of the real pages get blank lines between DOM blocks, as scraped
text usually has. Composed pages are built from real parts, labels known by construction,
each recipe a seeded function in `training/compose.py`:

* `ar_news`: Arabic chrome (WordPress/Joomla UI strings, boilerplate of real Arabic pages,
  generated dates and counters), a title (plain = body, a clickbait title = clickbait), a
  SaudiNewsNet article's paragraphs, then a related/teaser block, a comment form and reader
  comments (AOC, Hespress), a footer.
* `mixed_en_article_ar_chrome` / `mixed_ar_article_en_chrome`: an English article with
  Arabic chrome and Arabic comments, and the reverse (English chrome and comments from real
  English pages).
* `en_news`: real English header/footer lines, a plain or clickbait headline, real body
  lines, a teaser block, sometimes a real comment run.
* `real_en_teaser`: a real English page with a teaser block after its last body line.

Teaser blocks sit under a "Related"/"اقرأ أيضا"-style heading (boilerplate) and mix clickbait
headlines (clickbait) with plain headlines (boilerplate). Every English headline gets a
casing style drawn independently of its label, so the all-Title-Case clickbait side of
the Chakraborty set teaches no casing shortcut. Splits are by site (URL host; Dragnet sites
recovered from the HTML), saved in `training/splits.json`; text and headline pools are split
the same way, so test pages use held-out sites, articles, comments and headlines.

Since this release, every headline placed in a page (and every item the headline scorer
learns from) gets its surface redrawn independently of its label (`training/surface.py`:
trailing "?", "!", "…", a "(VIDEO)"/"(فيديو)" tag, an outlet tag, an emoji or a short clause
added or stripped), so no mark carries the label; half the composed English articles get
1-15 furniture lines (bylines, datelines, captions, credits, real chrome) between the
title and the first paragraph, and some a caption inside or a credit after the article.
Clickbait and plain headlines come from Chakraborty, Webis-17 (agreement-filtered),
Kaggle titles (plain only) and the annotated Arabic pools; real pages from WCXB and the
annotated Arabic listing pages join the older sources.

The lines of every teaser widget and composed page title carry a `part` tag in the corpus
files (never shown to the model), so the evaluation below scores clickbait where it was put
("composed part": teaser / title by line language), apart from the article and chrome lines.
"""


_GUIDE_RULE = """\
These are the bundle's own figures, measured when it was trained. Labelling with linesift
from 2026-12-07 on also applies ten rules the guide states outright, after the model
(`classifier/rules.py`): script fragments left in the text (`classifier/residue.py`: a line
that opens inside a script's string, "'); document.write('", is boilerplate), the page's own headline (`classifier/own_title.py`: the short line
just above the article that restates its opening is body when the model called it
boilerplate), comment threads (`classifier/comment_thread.py`: after the article, posts by
different people under author-and-time lines, with prose between, are comments), dated
lists (`classifier/dated_list.py`: headlines under bare dates that the model called
comments are boilerplate), the article's own lists and tables (`classifier/article_lists.py`:
short lines between two paragraphs of the article, on its topic and holding no share,
credit, date or call-to-action line, are body), tag lines (`classifier/tag_lines.py`: a line
opening with "Tags:", "Filed under:", "Categories:" and the like is boilerplate), credit
lines (`classifier/credit_lines.py`: a short line opening with "Photo:", "Image credit:",
"Credit:" and the like is boilerplate), CMS and
feed residue (`classifier/residue.py`: a line of shortcodes with attributes only, or a feed's
"The post ... appeared first on ..." footer, is boilerplate), clickbait inside the article's
prose (`classifier/prose_clickbait.py`: a line the model called clickbait between two body
lines, or continuing the sentence of the body line above, is body: a teaser is a title or a widget's
item) and the guide's clickbait marks (`classifier/guide.py`: a headline-length line with a bracketed
media tag, an all-caps hook or a curiosity gap the guide quotes ("you won't believe", "what
happened next", "لن تصدق", "ماذا حدث بعد ذلك") is clickbait, and so is the snippet under a clickbait
teaser). They are code, not part of the bundle; what they change on the test split and on
held-out real pages is measured in the README (The model: `python -m training.rules_eval`,
`python -m training.guide_marks_eval`), and `python -m training.quality_gate` scores the
default bundle with them."""


_TOPIC = """\
Topic-overlap cues (`classifier/topic.py`, in this model): per line, the share of its words
(four letters or more) that the page's other long lines hold, the share any other line
holds, and whether it has such words at all. An article's headline, subheadings and list
items reuse its words; menus, share prompts and headlines of other stories do not. They
came in with the bundle shipped before this one (the "topic bundle"), measured then on the
corpus before the label fixes below:

| measured | without the cues | with | command |
|---|---|---|---|
| same cached out-of-fold matrices, combiner fitted both ways: macro-F1 dev / test | 0.8490 / 0.8406 | 0.8499 / 0.8488 | throw-away script on cached matrices |
| the same: body F1 dev / test | 0.8316 / 0.8029 | 0.8372 / 0.8154 | |
| the same: real pages' body F1 dev / test | 0.8055 / 0.7777 | 0.8118 / 0.7940 | |
| retrained: the bundle before it against the topic bundle, test macro-F1 | 0.8441 | 0.8451 | `python -m training.train ...` |
| retrained: dev macro-F1 | 0.8449 | 0.8594 | |
| retrained: test body / real pages' body / comment F1 | 0.807 / 0.784 / 0.878 | 0.816 / 0.794 / 0.867 | |
| retrained: Arabic / English macro-F1 (test) | 0.828 / 0.864 | 0.841 / 0.864 | |
| labelling speed, the two bundles alternating in one process (9 rounds) | 1.00 | 0.90 (per-round median; range 0.89-0.95) | throw-away script |

A control retrain without the cues (`--no-topic-cues`) scored test macro-F1 0.8112
(comment recall 0.67), and the `--no-site-memory` run 0.8367: those runs trained fastText
on two threads, which is not deterministic, and moved test macro-F1 by up to three points.
Training now uses one thread: two one-thread retrains of the topic configuration
(`build/models/det1`, `det2`) wrote byte-identical bundles (test macro-F1 0.8475, Arabic
0.816 against English 0.872), and the topic bundle's 2.3-point Arabic gap turned out to be
that one two-thread run's, not its configuration's. Compare retrains over several seeds
(`training.train --seed`, `training.compare`), or on fixed out-of-fold matrices as the first
three rows do.
"""

_TRIED = """\
Tried against the quality targets and not shipped, each measured on the corpus of its day
(before this release's label fixes; dev and test splits; a change that moves the two in opposite directions, or by less than a
retrain's own noise of about a point of test macro-F1, counts as no gain):

| change | measured | verdict |
|---|---|---|
| second pass with wider context (neighbours +-4, windows 3/10/25) | test macro-F1 0.8378 vs 0.8406 for the same fit with today's context | no gain |
| weaker regularisation (C 4 instead of 1, both passes) | test 0.8393 vs 0.8406 | no gain |
| 16 quantile bins instead of 8 | test 0.8312 vs 0.8406 | worse |
| forward-backward smoothing of the final probabilities with label-transition rates learned from training pages | dev macro-F1 0.8449 -> 0.8448 at best; stronger transitions lower it | no gain: the second pass already reads the neighbours |
| relabelling standalone bylines and dates on real pages as boilerplate, as the guide has it | 338 test lines change label; the model trained on the old labels calls most of them body, and no more than 338 of 21,297 body lines could move | too small to pay for a retrain |
| dropping unannotated Arabic titles with a hook word from the plain-headline pools | a headline-only fastText model: ROC AUC 0.935 vs 0.936 on held-out annotated titles | no gain |
| a separate headline-only fastText model for Arabic clickbait | finds 4 of the 13 held-out sure titles at precision ~0.2 among 2,000 plain titles (AUC 0.94); the shipped text model, 3 to 6 of 13 | no gain |
| Arabic letter folding before the text model (diacritics, tatweel, alef forms, final ya) | text model alone, Arabic clickbait F1: dev 0.58 -> 0.41, test 0.52 -> 0.68; other labels within 2 points | noise: 6-7 distinct titles per split |
| sure Arabic clickbait titles drawn 4x as often in training pages | dev Arabic clickbait F1 unchanged (0.294), test 0.455 -> 0.331 | no gain |
| comment prompts and counts on real pages ("Leave a Reply", "12 comments", "Comments (3)") relabelled boilerplate -> comment, as the guide has them (408 lines), on top of this release's fixes; three seeds each, scored on the relabelled splits | dev macro-F1 +0.39 / -0.28 / -0.35 (seeds 13 / 7 / 21), test +0.45 / +0.52 / +0.33; comment F1 dev +0.6 / -0.4 / -0.2, test +0.5 / +1.4 / +1.1 | not shipped: dev and test disagree, and the model is chosen on dev |

The combiner rows start from one cached fit of the features with out-of-fold text scores
(base: dev 0.8490, test 0.8406). The Arabic clickbait rows are dominated by how few
sure annotated titles existed (41 in all, 6 in the test split; the second annotation of
this release adds 24): more annotated Arabic clickbait is what that target needs, not
another model.
"""

_RELABEL = """\
## Labels fixed to the guide (this release), compared over seeds

Two corpus changes (`training/relabel.py`, `training/pools.py`, `training/annotations/`):
real-page body lines the guide calls furniture or comments are relabelled from their DOM
path (1,965 lines, 357 of them in the test split), and a second annotation of the 8,821
SaudiNewsNet titles the first one did not cover takes 245 clickbait titles out of the plain-headline pools and
adds 164 to the training clickbait (agreement with the first annotation on 400 blind
titles: kappa 0.77; 98% on the titles it was sure of). Trained with one thread, so each
row is reproducible; the fastText seed varies across rows. All rows are scored on the same
new labels (dev and test splits):

| corpus | fastText seed | dev macro-F1 | test macro-F1 | test real-page body | test Arabic / English macro-F1 | Arabic teaser clickbait dev / test |
|---|---|---|---|---|---|---|
{rows}

The fixed corpus is ahead on both splits for {ahead} seeds: on dev by {dev_gain}, on test
by {test_gain} points of macro-F1 (means); Arabic lines gain {ar_gain} points, English lines
{en_gain}. This bundle is the seed-13 row, the seed `training.train` uses by default, so its
command above rebuilds it (one-thread training is deterministic: two retrains of the
previous configuration wrote byte-identical bundles). Seed 21 scored higher on dev, by
less than the spread between seeds; the default seed was kept so the plain command is the
shipped model's.
"""

_SEED_ROWS = [  # python -m training.compare MODELS --corpus build/corpus (the fixed corpus)
    ("before", "13", "0.8546", "0.8474", "0.795", "0.818 / 0.873", "0.439 / 0.398"),
    ("before", "7", "0.8602", "0.8458", "0.794", "0.817 / 0.871", "0.480 / 0.393"),
    ("before", "21", "0.8614", "0.8469", "0.797", "0.813 / 0.873", "0.465 / 0.379"),
    ("fixed", "13", "0.8641", "0.8506", "0.802", "0.831 / 0.874", "0.574 / 0.453"),
    ("fixed", "7", "0.8675", "0.8488", "0.800", "0.835 / 0.871", "0.600 / 0.468"),
    ("fixed", "21", "0.8691", "0.8512", "0.800", "0.836 / 0.874", "0.606 / 0.466"),
]


def _relabel_section() -> str:
    rows = "\n".join("| " + " | ".join(r) + " |" for r in _SEED_ROWS)

    def value(r: tuple, col: int, part: int = 0) -> float:
        return float(r[col].split(" / ")[part])

    def gain(col: int, part: int = 0) -> str:
        mean = {c: sum(value(r, col, part) for r in _SEED_ROWS if r[0] == c) /
                sum(r[0] == c for r in _SEED_ROWS) for c in ("before", "fixed")}
        return f"{100 * (mean['fixed'] - mean['before']):.1f}"

    by_seed = {(r[0], r[1]): r for r in _SEED_ROWS}
    seeds = sorted({r[1] for r in _SEED_ROWS})
    ahead = sum(all(value(by_seed["fixed", s], c) > value(by_seed["before", s], c) for c in (2, 3))
                for s in seeds)
    return _RELABEL.format(rows=rows, dev_gain=gain(2), test_gain=gain(3), ar_gain=gain(5, 0),
                           en_gain=gain(5, 1), ahead="all" if ahead == len(seeds) else f"{ahead} of {len(seeds)}")


def _audit_section(path: Path = Path(__file__).resolve().parent / "annotations" / "label_audit.tsv") -> str:
    """Estimates from the by-the-guide audit of real test-page lines (training/label_audit.py)."""
    if not path.is_file():
        return ""
    from .label_audit import read_judgements, score

    result = score(path)
    pop, share, est = result["population"], result["guide_body_share"], result["estimates"]
    rows = read_judgements(path)[1]
    judged, unsure = len(rows), sum(r["confidence"] != "sure" for r in rows)

    def show(key: str) -> str:
        v, lo, hi = est[key]
        return f"{v:.3f} (95% interval {lo:.3f}-{hi:.3f})"

    return f"""## The real-page body target against the guide (label audit)

The real pages' labels come from the sources' gold text, whose conventions differ from the
guide's. A reader with the guide labelled 150 real test-page lines, blind to both labels,
sampled from the body-vs-rest confusion of the model trained on this corpus
(`python -m training.label_audit score`; judgements in `training/annotations/label_audit.tsv`):

* where the model says body and the source does not ({pop['fp']:,} lines), the guide says
  body for {share['fp']:.0%} of the judged lines;
* where the source says body and the model does not ({pop['fn']:,} lines), the guide says
  body for {share['fn']:.0%};
* where both say body ({pop['tp']:,} lines), {share['tp']:.0%}.

Estimated body F1 of the source labels against the guide: {show('source_vs_guide')}; of
the model against the guide: {show('model_vs_guide')}, where it scores
{est['model_vs_source'][0]:.3f} against the source labels. So a model that followed the
guide exactly would score about {est['source_vs_guide'][0]:.2f} on these labels: the 0.97
target cannot be reached on them, and the estimates are optimistic, since lines both call
non-body are not sampled. One reader (a model annotator session) judged the lines, and
marked {unsure} of its {judged} calls unsure.

"""


_TEXT_MODEL_CHOICE = """\
Text model settings, compared with a throw-away script (`build/exp/ftspeed2.py`, not
shipped): trained on the train split's lines, text-model-alone macro-F1 on the dev lines,
and batch prediction speed of the models side by side in one process on 20k dev lines
(best of 7 interleaved rounds; the machine was shared, so read the ratios):

| settings | size | dev macro-F1 | speed vs the previous model |
|---|---|---|---|
| previous: dim 32, char 3-5-grams, 600 chars, bucket 400k, quantised (.ftz) | 2.6 MB | 0.667 | 1.00x |
| the same, not quantised | 63.8 MB | 0.677 | 2.54x |
| dim 16, char 3-4-grams, 150 chars, bucket 200k | 18.5 MB | 0.676 | 3.35x |
| dim 16, char 3-4-grams, 200 chars, bucket 100k, minCount 3 | 10.7 MB | 0.676 | 3.58x |
| dim 16, char 3-5-grams, 300 chars, bucket 200k | 19.4 MB | 0.680 | 3.01x |
| **dim 24, char 3-4-grams, 200 chars, bucket 150k, minCount 3 (shipped)** | 20.4 MB | 0.683 | 3.15x |

Product quantisation decodes every n-gram's row at prediction time; a smaller full-precision
model is both faster and more accurate than the quantised larger one, and fits the 25 MB
bundle budget.
"""


def _site_memory_section(effect: dict | None) -> str:
    """Test-split scores of this bundle without and with site memory (see train.py)."""
    if not effect:
        return "Site memory: this bundle was trained without it.\n"
    rows = ["| test split | macro-F1 | real pages body F1 | "
            + " | ".join(f"{lab} F1" for lab in effect["without"]["f1"]) + " |",
            "|---|---|---|" + "---|" * len(effect["without"]["f1"])]
    titles = {"without": "this model, pages alone", "with": "this model, with site memory",
              "model_trained_without": "a model trained without site memory"}
    for name, title in titles.items():
        if name not in effect:
            continue
        e = effect[name]
        rows.append(f"| {title} | {e['macro_f1']} | {e['real_pages_body_f1']} | "
                    + " | ".join(str(v) for v in e["f1"].values()) + " |")
    table = "\n".join(rows)
    return f"""## Site memory

Columns counting how often a line recurred on the earlier pages of its site in the stream
(`classifier/site.py`); trained with each real training page's host as its site, pages
remembered in corpus order (composed pages have no site: their parts come from many sites).
The same test pages, labelled page by page and as one stream with their hosts (`linesift
evaluate build/corpus/test.jsonl.gz --site-memory`):

{table}

Without a site (a single page, or `label_text`), the site columns are those of a site's
first page. The last row is the same training command with `--no-site-memory`: a separate
training run, so it differs from the first row by run-to-run noise as well as by the
columns (one-thread retrains with other fastText seeds moved macro-F1 by up to half a
point, see the seed table above); the first two rows are the same model. With sites it gains
on body and boilerplate, so it ships. The gain is small because the test
split's sites have few pages each (462 sites for 1,056 pages; at most 12 pages a site) and
memory starts empty on each site's first page; crawls with hundreds of pages a site give it
far more to remember. Clickbait F1 moves most between rows, but Arabic clickbait lines
come from only a handful of distinct held-out titles, so read that column as noise.
"""


def _f1_table(rows: list, systems: list[str], titles: list[str]) -> list[str]:
    """Markdown rows of body-vs-rest F1: one row per line group, one column per system."""
    out = ["| lines | n | " + " | ".join(titles) + " |", "|---|---|" + "---|" * len(systems)]
    for name, by_system in rows:
        n = next(iter(by_system.values()))["n"]
        out.append(f"| {name} | {n} | " + " | ".join(f"{by_system[s]['f1']:.3f}" for s in systems) + " |")
    return out


def _read_baselines(directory: Path) -> dict | None:
    """The bundle's baselines.json (written by ``python -m training.baselines ... --json``),
    or None when it has none."""
    path = directory / "baselines.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _baselines_table(directory: Path) -> str:
    """Body-vs-rest F1 beside jusText and C4 rules, from the bundle's baselines.json."""
    data = _read_baselines(directory)
    if data is None:
        return "Not measured for this bundle: run `python -m training.baselines` (below)."
    systems = data["systems"]
    rows = [("all lines", data["overall"])]
    rows += [(f"{k} lines", data["language"][k]) for k in ("ar", "en") if k in data["language"]]
    rows += [(f"{k} pages", data["kind"][k]) for k in ("real", "composed") if k in data["kind"]]
    rows += [(f"source {k}", v) for k, v in data["source"].items()]
    out = _f1_table(rows, systems, systems)
    speed = data.get("speed", {})
    if speed:
        out.append("")
        out.append("Speed on the same lines, one thread (lines/s): " + ", ".join(
            f"{s} {v.get('lines_per_s', 0):,.0f}" for s, v in speed.items() if isinstance(v, dict)))
    return "\n".join(out)


def _targets_section(report: dict | None, directory: Path) -> str:
    """SPEC section 6 / issue targets beside this bundle's own test-split scores, computed
    from its evaluation report, so the card cannot claim a target the numbers do not meet."""
    if not report:
        return ""

    def f1(group: dict | None, label: str) -> float | None:
        return (group or {}).get("labels", {}).get(label, {}).get("f1")

    lang = report.get("by_language", {})
    parts = report.get("by_part", {})
    ar, en = lang.get("ar", {}).get("macro_f1"), lang.get("en", {}).get("macro_f1")
    rows = [("macro-F1, four labels", ">= 0.90", report["overall"]["macro_f1"], 0.90),
            ("body F1, real pages", ">= 0.97", f1(report.get("by_kind", {}).get("real"), "body"), 0.97)]
    gap = None if ar is None or en is None else round(100 * (en - ar), 1)
    out = ["| target | wanted | this model | met |", "|---|---|---|---|"]
    for name, want, got, bar in rows:
        out.append(f"| {name} | {want} | {'-' if got is None else f'{got:.3f}'} | "
                   f"{'-' if got is None else ('yes' if got >= bar else 'no')} |")
    out.append(f"| Arabic macro-F1 below English | <= 3 points | "
               f"{'-' if gap is None else f'{gap} ({ar:.3f} vs {en:.3f})'} | "
               f"{'-' if gap is None else ('yes' if gap <= 3 else 'no')} |")
    for lg, name in (("en", "English"), ("ar", "Arabic")):
        got = f1(parts.get(f"teaser {lg}"), "clickbait")
        out.append(f"| clickbait F1, teaser widgets, {name} lines | >= 0.90 | "
                   f"{'-' if got is None else f'{got:.3f}'} | "
                   f"{'-' if got is None else ('yes' if got >= 0.90 else 'no')} |")
    baselines = _read_baselines(directory)
    if baselines is not None:
        data = baselines["overall"]
        mine = next((v["f1"] for k, v in data.items() if k.startswith("linesift")), None)
        others = {k: v["f1"] for k, v in data.items() if not k.startswith("linesift")}
        if mine is not None and others:
            out.append(f"| body-vs-rest F1 above jusText and C4 | > {max(others.values()):.3f} | {mine:.3f} | "
                       f"{'yes' if mine > max(others.values()) else 'no'} |")
    return "## Targets\n\nFrom the evaluation below (test split) and the baselines table:\n\n" + "\n".join(out) + "\n\n"


def _second_pass_columns(manifest: dict) -> list[str]:
    """What the combiner's second pass reads beyond its neighbours' verdicts, one phrase per
    optional group of columns the bundle has."""
    parts = []
    if manifest.get("lead_cues"):
        parts.append("where the line stands against the article the first pass found (`classifier/lead.py`:\n"
                     "  the page's own headline above the first body paragraph, distance before and past it)")
    if manifest.get("direction_cues"):
        parts.append("what the first pass called the 3, 12 and 48 lines before and after it\n"
                     "  (`classifier/direction.py`)")
    return parts


def _lead_clause(manifest: dict) -> str:
    """The text card's tail of its combiner bullet: the second pass's optional columns."""
    return "".join(",\n  and " + part for part in _second_pass_columns(manifest))


def _html_second_pass(manifest: dict) -> str:
    """The HTML card's word for the second pass's optional columns (the text card says it in
    its combiner bullet)."""
    parts = _second_pass_columns(manifest)
    return ";\n  the combiner's second pass also reads " + ",\n  and ".join(parts) if parts else ""


def _headline_bullet(manifest: dict) -> str:
    """The headline scorer's own bullet: its fastText settings and which lines it reads."""
    if not manifest.get("headline_scorer"):
        return ""
    from classifier.headline import MAX_HEADLINE_WORDS, SCOPES
    p = manifest.get("settings", {}).get("headline_model", {})
    scope_id = manifest.get("headline_scope", 1)
    scope = SCOPES[scope_id]
    words = "`\\w+` runs" if scope.regex_words else "whitespace-separated words"
    if manifest.get("headline_kind") == "ngram":
        return (f"* headline scorer (`headline.npz`, `classifier/headline.py`, `classifier/ngrams.py`): a logistic\n"
                f"  regression over the headline pools alone, on character 2-5-grams hashed into 2**{p.get('bits')} "
                f"buckets\n  (C {p.get('c')}, classes balanced); chosen over fastText on held-out headline sources "
                f"(`headline_select.json`).\n"
                f"  It scores lines of {scope.min_words}-{MAX_HEADLINE_WORDS} {words} (scope {scope_id}), the rest "
                f"score 0, and its out-of-fold\n  score is two columns of the combiner.\n")
    return (f"* headline scorer (`headline.bin`, `classifier/headline.py`): a second fastText model over the\n"
            f"  headline pools alone (dimension {p.get('dim')}, {p.get('bucket'):,} buckets, words seen at least\n"
            f"  {p.get('minCount')} times, char n-grams {p.get('minn')}-{p.get('maxn')}, lr {p.get('lr')}, "
            f"{p.get('epoch')} epochs); it scores lines of\n"
            f"  {scope.min_words}-{MAX_HEADLINE_WORDS} {words} (scope {scope_id}), the rest score 0, and its "
            f"out-of-fold score is\n  two columns of the combiner.\n")


def write_model_card(directory: Path, manifest: dict, report_text: str, report: dict | None = None) -> None:
    training = manifest.get("training", {})
    metrics = manifest.get("metrics", {})
    settings = manifest.get("settings", {})
    card = f"""# linesift default model — model card

Labels every non-blank line of a scraped page's plain text as `body`, `boilerplate`,
`comment` or `clickbait` (see `LABELS.md` in the project's shared folder for the guide),
for English, Arabic and mixed pages.

* version: {manifest.get('version')}, feature version {manifest.get('feature_version')}
* built from code commit {training.get('code_commit')} by:

      {training.get('command')}

* model: fastText supervised text model (`text.bin`, quantised: {settings.get('quantized')};
  word bigrams, char n-grams {settings.get('text_model', {}).get('minn')}-{settings.get('text_model', {}).get('maxn')},
  dimension {settings.get('text_model', {}).get('dim')}, first {settings.get('max_text_model_chars')} characters of a line)
  whose out-of-fold probabilities, with {len(manifest.get('feature_names', [])) } layout,
  language and context features{' (topic-overlap cues included: `classifier/topic.py`)' if manifest.get('topic_cues') else ''},
  feed a two-pass scikit-learn combiner (`combiner.npz` arrays and `combiner.json`:
  standardised logistic regression; the second pass also sees the first pass's
  probabilities of neighbouring lines, the block and the page{_lead_clause(manifest)}), temperature-calibrated
  and vector-scaled on the dev split.
{_headline_bullet(manifest)}* libraries: {', '.join(f'{k} {v}' for k, v in manifest.get('libraries', {}).items())}

## Data

Training: {json.dumps(training.get('train'))}; calibration (dev):
{json.dumps(training.get('dev (calibration)'))}; test: {json.dumps(training.get('test'))}.

{_SOURCES}
## How the corpus is built

{_RECIPES}
{guide_marks_section(manifest, directory)}{crosssource_section(directory)}{rules_section(directory)}{headline_select_section(directory)}{calibration_section(report)}{_targets_section(report, directory)}## Evaluation (test split: whole pages from held-out sites)

Command: `linesift evaluate build/corpus/test.jsonl.gz --model {directory}`

Headline numbers: macro-F1 {metrics.get('macro_f1')}, body-vs-rest F1
{metrics.get('body_vs_rest_f1')}, ECE {metrics.get('ece')}.

{_GUIDE_RULE}

```
{report_text}
```

Languages are per line (Arabic letters outnumber Latin ones: `ar`; else `en`; `none`: no
letters at all). `real` are the pages of the source datasets, `composed` the pages built
from real parts (above).

## Beside jusText and C4's line rules (body-vs-rest F1, same lines)

Command: `python -m training.baselines --corpus build/corpus --split test --model {directory} --json {directory}/baselines.json`
(`C4` applies the paper's page-level rules too, `C4-lines` only its line rules.)

{_baselines_table(directory)}

## Quality gate

`python -m training.quality_gate` (run by `.ci/run` when `../shared/data` is present)
rebuilds the corpus test split and fails if this bundle, run by the current code, loses
more than one macro-F1 point against `tests/quality_baseline.json`.

## How the design was chosen (measured)

Combiners compared on the same cached feature matrices (train split with out-of-fold text
scores, test split), corpus as of this session before the `every` blank-line style,
macro-F1 over the four labels / prediction speed on one core:

| combiner | macro-F1 | body F1 | comment F1 | clickbait F1 | rows/s |
|---|---|---|---|---|---|
| text model alone (argmax) | 0.678 | 0.622 | 0.637 | 0.597 | - |
| logistic regression, one pass | 0.823 | 0.790 | 0.854 | 0.719 | 1.4M |
| MLP (64 hidden), one pass | 0.821 | 0.797 | 0.834 | 0.722 | 0.46M |
| HistGradientBoosting, 100 iterations | 0.806 | 0.804 | 0.856 | 0.628 | 31k |
| logistic regression, two passes | 0.829 | 0.798 | 0.868 | 0.722 | - |
| + quantile bins (8 per feature) | 0.841 | 0.814 | 0.878 | 0.741 | - |

The shipped combiner is the last two rows together: a linear first pass, and a second pass
with binned features that also sees the first pass's scores of neighbouring lines. Trees
were slower by ~40x and no better. (These comparisons were run with throw-away scripts on
cached matrices; the table records their output.)

{_TOPIC}
{_relabel_section()}
{_audit_section()}{_TRIED}
{_TEXT_MODEL_CHOICE}
{_site_memory_section(metrics.get('site_memory'))}

{annotations_section()}
## Limits

* Only English and Arabic are modelled; other languages get labels, with lower quality.
* Arabic real pages are few (five); Arabic comment threads and every clickbait line in
  context come from composed pages.
* Clickbait is learned from 2014-2017 English headlines and teaser posts (Chakraborty,
  Webis-17) and annotated Arabic titles (about 200 sure and 670 arguable clickbait titles
  in all, from 2015 Saudi news, social posts, YouTube and tabloid sites); newer styles may
  be missed.
* Real pages are labelled by the sources' conventions where the DOM rules do not reach;
  the label audit above estimates how far that is from the guide.
* The bundle holds no pickle: loading it runs no code from it (the combiner's arrays are
  read with `allow_pickle=False`, the fastText file's layout is checked before fastText
  reads it), and every file is loaded from the bytes whose SHA-256 matched `manifest.json`.{_converted(manifest)}
"""
    (directory / MODEL_CARD).write_text(card, encoding="utf-8")


def _converted(manifest: dict) -> str:
    """The card's note on a bundle whose combiner was converted from a pickle after training."""
    note = manifest.get("converted")
    return f"\n* {note}" if note else ""


def _html_comparison(directory: Path, name: str = "comparison.json") -> str:
    """Body-vs-rest F1 beside trafilatura and jusText on the same held-out HTML pages, from
    ``comparison.json`` (written by ``python -m training.html_baselines ... --json``)."""
    path = directory / name
    if not path.is_file():
        return "Not measured for this bundle: run `python -m training.html_baselines` (below)."
    data = json.loads(path.read_text(encoding="utf-8"))
    systems = data["systems"]
    short = [s.split(" (")[0] for s in systems]
    rows = [("all lines", data["overall"])]
    rows += [(f"source {k}", v) for k, v in data.get("source", {}).items()]
    rows += [(f"{k} lines", v) for k, v in data.get("language", {}).items()]
    out = _f1_table(rows, systems, short)
    four = data.get("four_label", {})
    if four:
        out += ["", "Four labels on the same lines (F1), linesift bundles:", "",
                "| bundle | body | boilerplate | comment | clickbait | macro-F1 |", "|---|---|---|---|---|---|"]
        for name, m in four.items():
            cells = [f"{m['labels'][lab]['f1']:.3f}" if lab in m["labels"] else "-"
                     for lab in ("body", "boilerplate", "comment", "clickbait")]
            out.append(f"| {name} | " + " | ".join(cells) + f" | {m['macro_f1']:.3f} |")
    return "\n".join(out)


def _html_data(directory: Path) -> str:
    """The HTML training data, as this bundle was trained: with WCXB when its own test
    evaluation scored WCXB pages (``evaluation.json`` by source), else the four older sets.
    Re-rendering an older bundle's card must not claim data it never saw."""
    path = directory / "evaluation.json"
    sources = json.loads(path.read_text(encoding="utf-8")).get("by_source", {}) if path.is_file() else {}
    common = """each extracted with `classifier.html.extract` and its lines aligned to the
set's gold content and gold comments by `training/html_corpus.py` (token 3-gram coverage
>= 0.6, repeated copies of gold text counted once, one- and two-word lines only beside a
matched line; {areas} lines inside a comment container are `comment`; pages whose gold
recall is below 0.8 are dropped)."""
    if "wcxb" not in sources:
        return ("""HTML pages of `../shared/data/html/` (Dragnet, CleanEval, the Scrapinghub article
extraction benchmark, five Arabic news pages; sources and licences as in the default
model's card), """ + common.format(areas="Dragnet/AEB") + """ Splits are the text corpus's
(`training/splits.json`): the same held-out sites. This bundle was trained before WCXB
joined the HTML corpus: every WCXB page below is unseen by it.""")
    return ("""HTML pages of `../shared/data/html/` (Dragnet, CleanEval, the Scrapinghub article
extraction benchmark, five Arabic news pages, and WCXB's development split: 1,310 pages of
2025 from 1,100+ domains in seven page types; sources and licences as in the default
model's card, WCXB under CC-BY-4.0: Foley 2026, the Web Content eXtraction Benchmark), """
            + common.format(areas="Dragnet/AEB/WCXB") + """ On WCXB pages the headline, which
WCXB's gold leaves out, is labelled body when it matches the gold title (else og:title,
else `<title>`), and gold captions, bylines, dates, breadcrumbs and related lists go to
boilerplate by the text corpus's DOM-name rule. WCXB's forum pages are kept out of
training: its gold counts every post as main content, where the guide calls the replies
comments. Splits are the text corpus's (`training/splits.json`, and for WCXB the split the
text corpus gave the page's site group): the same held-out sites.""")


def _wcxb_table(directory: Path, name: str = "wcxb.json") -> str:
    """WCXB's own word F1 on held-out WCXB pages by page type, every system of ``wcxb.json``
    (written by ``python -m training.wcxb_html_eval ... --json``), best of each row in bold."""
    path = directory / name
    if not path.is_file():
        return "Not measured for this bundle: run `python -m training.wcxb_html_eval` (above)."
    data = json.loads(path.read_text(encoding="utf-8"))
    systems = data["systems"]
    own = f"linesift ({directory.as_posix()})"

    def head(s: str) -> str:
        if s == own:
            return f"linesift, this bundle (`{directory.as_posix()}`)"
        return f"linesift (`{s[len('linesift ('):-1]}`)" if s.startswith("linesift (") else s

    out = ["| page type | pages | " + " | ".join(head(s) for s in systems) + " |",
           "|---|---|" + "---|" * len(systems)]
    for group, block in data["by_type"].items():
        shown = {s: f"{block[s]['f1']:.3f}" for s in systems}
        best = max(shown.values(), key=float)  # ties at the printed precision are all bold
        cells = [f"**{shown[s]}**" if shown[s] == best else shown[s] for s in systems]
        out.append(f"| {group} | {block['pages']} | " + " | ".join(cells) + " |")
    ov = data["by_type"]["overall"]
    out += ["", "Overall precision / recall: " + "; ".join(
        f"{head(s)} {ov[s]['precision']:.3f} / {ov[s]['recall']:.3f}" for s in systems) + "."]
    left = data.get("left_out") or {}
    if left:
        out += ["", "Not scored (WCXB pages outside the held-out set): " +
                ", ".join(f"{k}: {v}" for k, v in sorted(left.items())) + "."]
    for s, t in (data.get("title_words") or {}).items():
        if t.get("pages_with_title"):
            out += ["", f"{head(s)} keeps the page's headline as body (the guide) on "
                        f"{t['pages_with_title']} pages, {t['mean_words']:.1f} words each, which WCXB's "
                        "main content leaves out: that much precision it gives away by design."]
    return "\n".join(out)


def _clickbait_note(directory: Path) -> str:
    """The HTML sets hold no clickbait: compare the labels on the composed test pages, which
    both models label from text alone."""
    def composed(path: Path) -> dict | None:
        if not path.is_file():
            return None
        kinds = json.loads(path.read_text(encoding="utf-8")).get("by_kind", {})
        return kinds.get("composed")
    own, text = composed(directory / "evaluation.json"), composed(directory.parent / "default" / "evaluation.json")
    note = ("No line of the HTML test pages is clickbait (the sets have none), so that column "
            "is 0 for both: it only counts false alarms.")
    if own and text:
        cells = " / ".join(f"{lab} {text['labels'][lab]['f1']:.3f} vs {own['labels'][lab]['f1']:.3f}"
                           for lab in ("body", "boilerplate", "comment", "clickbait"))
        if own.get("n") == text.get("n"):
            note += (" On the composed test pages (no DOM, the same pages for both), F1 of the text "
                     f"model vs the HTML model: {cells}.")
        else:  # the default model was retrained on a later corpus build than this bundle
            note += (" On composed test pages (no DOM), F1 of the text model vs the HTML model: "
                     f"{cells}; each on the composed pages of the corpus it was trained with "
                     f"({text.get('n')} and {own.get('n')} lines), so read them as indicative.")
    return note


def write_html_model_card(directory: Path, manifest: dict, report_text: str) -> None:
    """The HTML model's card: how it was trained, its own evaluation, and the comparison with
    trafilatura and jusText on the same held-out HTML pages."""
    training = manifest.get("training", {})
    settings = manifest.get("settings", {})
    card = f"""# linesift HTML model — model card

Labels the lines of an HTML page (its visible text, a line break at every block element;
scripts, styles and hidden elements dropped: `classifier/html/`) as `body`,
`boilerplate`, `comment` or `clickbait`. Used by `LineClassifier.label_html` and by
`linesift label page.html` (HTML detected from the content, or `--input html`).

* version: {manifest.get('version')}, feature version {manifest.get('feature_version')}
* built from code commit {training.get('code_commit', 'see the commit that added this card')} by:

      {training.get('command')}

* model: the linesift model (fastText text model, layout and language cues, two-pass
  combiner; `text.bin` dimension {settings.get('text_model', {}).get('dim')}) plus
  {len(manifest.get('extra_names', []))} extra columns per line: the DOM cues of
  `classifier.html.CUE_NAMES` (share of the line's characters inside links, lists, nav,
  header, footer, aside, forms, tables, headings, paragraphs...; class/id words along the
  ancestors such as nav, share, comment, related, byline, caption, content; depth, position
  in the page, block size and link density, repeated sibling structure) and `has_dom`{_html_second_pass(manifest)}.
{_headline_bullet(manifest)}* training pages: {json.dumps(training.get('train'))}; calibration: {json.dumps(training.get('dev (calibration)'))};
  test: {json.dumps(training.get('test'))}.

## Data

{_html_data(directory)} The text corpus's composed pages (Arabic, mixed, teaser and
clickbait-title pages) are added with zero DOM cues and `has_dom` 0, so the HTML model
keeps what the text model knows about Arabic and clickbait, which the HTML sets lack.

No HTML page of the sets holds clickbait, so half of the HTML pages of every split (seeded
per page) get a recommendation widget at the end of their body (`training/html_teasers.py`,
recipe `html teaser`): an `<aside>` with a "Related"-style heading and a list of links,
taken from a teaser block the text corpus composed for the same split (held-out clickbait
and plain headlines mixed, labels known by construction, mostly in the page's language).
Clickbait and plain headlines share the container, so the DOM says "teaser list" and the
words say which is which. The comparison below uses the HTML pages as they are (no widget).

## Beside trafilatura and jusText (same held-out HTML pages, same lines)

Command: `python -m training.html_baselines --corpus build/html_corpus --split test --model models/default --model {directory} --json {directory}/comparison.json`

Each system marks every extracted line body or not: trafilatura's and jusText's extracted
text is aligned to the lines with the rule that aligned the gold; linesift's text model
reads the lines alone; the HTML model reads them with their DOM cues.

{_html_comparison(directory)}

{_clickbait_note(directory)}

### The same pages, half with a teaser widget (clickbait in an HTML context)

Command: the one above with `--teasers build/corpus --json {directory}/comparison_teasers.json`
(widgets built as for training, from the test split's held-out headlines).

{_html_comparison(directory, "comparison_teasers.json")}

## Held-out WCXB pages: WCXB's word F1 beside trafilatura and jusText

Commands (the HTML corpus with WCXB, its WCXB splits taken from the text corpus; a previous
bundle, when listed, was copied aside before this one replaced it):

    python -m training.corpus --data ../shared/data --out build/corpus --seed 13
    python -m training.html_corpus --data ../shared/data --out build/html_corpus --text-corpus build/corpus
    python -m training.wcxb_html_eval --model {directory} --json {directory}/wcxb.json

The WCXB pages of the HTML corpus's test split whose site is in no train page, all of them
(forum pages and pages the corpus dropped as misaligned too), scored with WCXB's metric:
`\\w+` tokens of the lower-cased text, multiset overlap of the extracted text with the gold
`main_content`, F1 per page, mean over pages. linesift keeps its body lines (body and
comment lines on forum pages, where WCXB counts every post); trafilatura runs
`trafilatura.extract(html)` with comments only on forum pages; jusText keeps its
non-boilerplate paragraphs. WCXB data: CC-BY-4.0, cite Foley 2026.

The extraction reads a page whose content is hidden until its script runs (a forum's posts
in `<noscript>`, an article in a `visibility:hidden` or `display: none` wrapper) with that
block shown, and puts a React page's streamed segments (`<div hidden id="S:n">` after the
footer) into their slots (`classifier/html/reveal.py`, 2026-12-07, no retraining). On these
held-out pages, the same bundle in one session: overall 0.816 before, 0.830 with the hidden
block shown (5 pages that had come out empty), **0.837** with the segments placed too
(articles 0.928 -> 0.938, service 0.810 -> 0.823, documentation 0.916 -> 0.918; one
listing page 0.817 -> 0.793). The line-level comparison above was measured on the HTML
corpus's lines, extracted before this change.

Since session 16 (code, not this bundle) the rules after the model read the DOM paths of an
HTML page: on a page without an article (no line labelled body of 12 words or more), the
repeated items of a list outside the navigation, header, footer, sidebars and adverts,
whose lines the model gives a mean p(body) of 0.15 or more, are body
(`classifier/listing.py`, the guide: a listing page's own content is its list; the last
rule, judged on the whole page). On these
held-out pages: overall 0.837 -> 0.848, listing pages 0.596 -> 0.695, collection pages
0.420 -> 0.518, every other page type unchanged; the held-out pages of the HTML corpus's
other sources keep their line-level body F1 (Dragnet 0.858, CleanEval 0.860 -> 0.860, AEB
0.790) and the 51 real Arabic listing pages, labelled by reading and never in the HTML
corpus, 0.888 -> 0.889 (one page). The table below has it.

{_wcxb_table(directory)}

## Evaluation of this bundle (test pages: HTML pages, half with a teaser widget, and composed text pages)

```
{report_text}
```

{_GUIDE_RULE}

## Limits

* The HTML sets are English (one Arabic test page); Arabic HTML relies on the composed
  text pages (no DOM cues) for its Arabic knowledge.
* WCXB forum pages are never trained on (see Data): on them the model has only what the
  other sources teach about posts and replies. 20 WCXB forum pages (Discourse) hold their
  posts only inside `<noscript>`: since session 14 `classifier.html.extract` reads such a
  block (`classifier/html/reveal.py`), but this bundle was trained before, on extractions
  that left those pages empty (so the corpus dropped them).
* Clickbait in HTML is learned from composed widgets (above), not from real pages with
  teaser widgets: real widgets vary more (thumbnails, sponsored labels, carousels).
* AEB pages (news article pages of many sites) are where trafilatura stays ahead.
* Comment lines of Dragnet and AEB are partly labelled by the comment-container rule, which
  the `comment` class/id cue also reads: the comment score is optimistic.
* The bundle holds no pickle: loading it runs no code from it (the combiner's arrays are
  read with `allow_pickle=False`, the fastText file's layout is checked before fastText
  reads it), and every file is loaded from the bytes whose SHA-256 matched `manifest.json`.{_converted(manifest)}
"""
    (directory / MODEL_CARD).write_text(card, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Re-render a bundle's card from its own manifest and evaluation.json (after editing
    this template), and re-pin the card's hash; the model files are untouched."""
    import argparse

    from classifier.bundle import read_manifest, write_manifest
    from classifier.evaluation import format_report

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--bundle", type=Path, default=Path("models/default"))
    args = ap.parse_args(argv)
    manifest = read_manifest(args.bundle)
    report = json.loads((args.bundle / "evaluation.json").read_text(encoding="utf-8"))
    if manifest.get("kind") == "html":
        write_html_model_card(args.bundle, manifest, format_report(report))
    else:
        write_model_card(args.bundle, manifest, format_report(report), report)
    write_manifest(args.bundle, {k: v for k, v in manifest.items() if k not in ("format", "files")})
    print(f"model card re-rendered: {args.bundle / MODEL_CARD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
