"""Page-level word F1 on held-out WCXB pages, with WCXB's own metric: linesift's HTML model
beside trafilatura and jusText on the same pages.

    python -m training.wcxb_html_eval --model models/html --json models/html/wcxb.json
        [--model build/models/html_new ...] [--corpus build/html_corpus] [--data ../shared/data]

Why this and not ``training.html_baselines``: that script scores lines of the pages the HTML
corpus kept, against labels the alignment made. WCXB ships its own measure, so here every
system is scored the way the benchmark scores an extractor, against the benchmark's gold
``main_content`` and nothing of ours: ``\\w+`` tokens of the lower-cased text, the multiset
overlap of the extracted text's tokens with the gold's, precision = overlap / extracted
tokens, recall = overlap / gold tokens, F1 per page, then the mean over pages (by page type
and overall). A page with no gold token is not scored; an empty extraction scores 0.

Which pages: the WCXB pages of the HTML corpus's *test* split (``training.html_corpus``
writes every WCXB page's split and the site keys of all its train pages to
``<corpus>/wcxb_pages.json``) whose site is not among the train sites. All of them are
scored, also those the corpus itself dropped (forum pages, pages whose gold the alignment
could not recover from our extraction): dropping those would flatter linesift.

What each system keeps:

* linesift: ``LineClassifier.load(model).label_html(html)``, the body lines; on forum pages
  body *and* comment lines, since WCXB counts every post as main content where the guide
  calls the replies comments;
* trafilatura: ``trafilatura.extract(html)``, plain text, comments included on forum pages
  only (the same page-type knowledge linesift gets; its default keeps comments everywhere);
* jusText: the paragraphs it does not call boilerplate (English stop list).

Every system gets the page's raw bytes and decodes them itself. linesift labels the page's
own headline body (the guide); WCXB's main content leaves the title out, so that line costs
linesift a few words of precision that the other two, which do not emit a title in plain
text, do not pay; the JSON records the size of that effect (``title_words``).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from .html_corpus import WCXB_PAGES, RawPage, read_wcxb

_TOKEN = re.compile(r"\w+")
KEEP_FORUM = frozenset({"body", "comment"})
KEEP = frozenset({"body"})


def word_tokens(text: str) -> List[str]:
    """WCXB's tokens: runs of word characters of the lower-cased text."""
    return _TOKEN.findall((text or "").lower())


def word_prf(extracted: str, gold: str) -> Optional[Tuple[float, float, float]]:
    """(precision, recall, F1) of one page's extracted text against its gold main content,
    over token multisets; None when the gold has no token (the page cannot be scored)."""
    g = collections.Counter(word_tokens(gold))
    if not g:
        return None
    e = collections.Counter(word_tokens(extracted))
    n_e = sum(e.values())
    if not n_e:
        return 0.0, 0.0, 0.0
    overlap = sum((e & g).values())
    p, r = overlap / n_e, overlap / sum(g.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def held_out(corpus: Path) -> Tuple[Dict[str, dict], dict]:
    """The held-out WCXB pages (id -> record of ``wcxb_pages.json``) and the counts of why
    other test pages were left out."""
    path = corpus / WCXB_PAGES
    if not path.exists():
        raise SystemExit(f"{path} is missing: build the HTML corpus with WCXB "
                         "(python -m training.html_corpus --data ../shared/data --out build/html_corpus "
                         "--text-corpus build/corpus)")
    info = json.loads(path.read_text(encoding="utf-8"))
    train_sites = set(info["train_sites"])
    pages, why = {}, collections.Counter()
    for pid, rec in info["pages"].items():
        if rec["split"] != "test":
            why[f"not test ({rec['split']})"] += 1
        elif rec.get("site") in train_sites or rec.get("group") in train_sites:
            why["test page of a train site"] += 1
        else:
            pages[pid] = rec
    return pages, dict(why)


# --------------------------------------------------------------------------- systems
class Linesift:
    """A linesift bundle reading the HTML (``label_html``)."""

    def __init__(self, directory: str, guide_rules: bool = True):
        from classifier.model import LineClassifier

        self.name = f"linesift ({directory}{'' if guide_rules else ', no guide rules'})"
        self.clf = LineClassifier.load(directory).with_guide_marks(guide_rules)
        self.title_words: List[int] = []

    def __call__(self, raw: RawPage, forum: bool) -> str:
        keep = KEEP_FORUM if forum else KEEP
        kept = [text for text, _path, lab in self.clf.label_html(raw.html)
                if lab is not None and lab.label in keep]
        title = set(word_tokens(raw.meta.get("title", "")))
        # the headline line, when linesift kept it: what the title costs in precision
        self.title_words.append(next((len(word_tokens(t)) for t in kept
                                      if title and set(word_tokens(t)) == title), 0))
        return "\n".join(kept)


class Trafilatura:
    name = "trafilatura"

    def __init__(self) -> None:
        import trafilatura

        self.extract = trafilatura.extract
        self.failed = 0

    def __call__(self, raw: RawPage, forum: bool) -> str:
        try:
            return self.extract(raw.html, include_comments=forum) or ""
        except Exception:  # noqa: BLE001 - a page it fails on extracts nothing
            self.failed += 1
            return ""


class JusText:
    name = "jusText"

    def __init__(self) -> None:
        import justext

        self.justext = justext
        self.stoplist = justext.get_stoplist("English")
        self.failed = 0

    def __call__(self, raw: RawPage, forum: bool) -> str:
        try:
            paragraphs = self.justext.justext(raw.html, self.stoplist)
        except Exception:  # noqa: BLE001
            self.failed += 1
            return ""
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


# --------------------------------------------------------------------------- scoring
def score(pages: Iterable[RawPage], systems: Sequence[Callable], types: Dict[str, str]) -> dict:
    """Per-page P/R/F1 of every system on every page, and their means by page type."""
    rows: List[dict] = []
    seconds = collections.Counter()
    unscored = 0
    for raw in pages:
        forum = types[raw.page_id] == "forum"
        row = {"page_id": raw.page_id, "page_type": types[raw.page_id], "scores": {}}
        for system in systems:
            t0 = time.perf_counter()
            text = system(raw, forum)
            seconds[system.name] += time.perf_counter() - t0
            prf = word_prf(text, raw.body)
            if prf is None:
                break
            row["scores"][system.name] = [round(x, 4) for x in prf]
        if len(row["scores"]) != len(systems):
            unscored += 1
            continue
        rows.append(row)
    names = [s.name for s in systems]
    return {"systems": names, "seconds": {k: round(v, 1) for k, v in seconds.items()},
            "unscored_pages": unscored, "by_type": summarise(rows, names), "pages": rows}


def summarise(rows: List[dict], names: Sequence[str]) -> Dict[str, dict]:
    """Mean P/R/F1 and page count per page type, and over all pages ("overall")."""
    out: Dict[str, dict] = {}
    groups = sorted({r["page_type"] for r in rows}) + ["overall"]
    for g in groups:
        rs = [r for r in rows if g in ("overall", r["page_type"])]
        if not rs:
            continue
        out[g] = {"pages": len(rs)}
        for n in names:
            p, r, f = (sum(x["scores"][n][k] for x in rs) / len(rs) for k in range(3))
            out[g][n] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    return out


def format_table(report: dict) -> str:
    names = report["systems"]
    short = [n[len("linesift ("):-1] if n.startswith("linesift (") else n for n in names]
    width = max(12, *(len(s) for s in short))
    out = [f"WCXB word F1 (mean over pages) on {report['by_type']['overall']['pages']} held-out pages "
           f"({report['corpus']}: test split, sites not in its train split)", ""]
    out.append(f"{'page type':<14} {'pages':>5} " + " ".join(f"{s:>{width}}" for s in short))
    for g, block in report["by_type"].items():
        out.append(f"{g:<14} {block['pages']:>5} " +
                   " ".join(f"{block[n]['f1']:>{width}.3f}" for n in names))
    ov = report["by_type"]["overall"]
    out += ["", "overall precision / recall: " +
            "; ".join(f"{s} {ov[n]['precision']:.3f} / {ov[n]['recall']:.3f}" for s, n in zip(short, names))]
    out.append("seconds: " + ", ".join(f"{s} {report['seconds'].get(n, 0):.0f}" for s, n in zip(short, names)))
    if report.get("left_out"):
        out.append("WCXB pages not scored here: " + ", ".join(f"{k} {v}" for k, v in report["left_out"].items()))
    if report.get("unscored_pages"):
        out.append(f"held-out pages without gold tokens (not scored): {report['unscored_pages']}")
    for n, v in report.get("title_words", {}).items():
        out.append(f"{n}: headline line kept on {v['pages_with_title']} pages, "
                   f"{v['mean_words']:.1f} words each (not in WCXB's gold)")
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.wcxb_html_eval", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", default=None,
                    help="a linesift HTML bundle (repeatable; default models/html)")
    ap.add_argument("--corpus", type=Path, default=Path("build/html_corpus"))
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--no-baselines", action="store_true", help="linesift bundles only")
    ap.add_argument("--both-ways", action="store_true",
                    help="each bundle with and without the rules after the model (classifier.guide, .own_title)")
    ap.add_argument("--limit", type=int, default=None, help="first N held-out pages (quick runs)")
    ap.add_argument("--json", dest="json_out", type=Path, default=None)
    args = ap.parse_args(argv)

    chosen, left_out = held_out(args.corpus)
    if args.limit is not None:
        chosen = dict(sorted(chosen.items())[:args.limit])
    systems: List[Callable] = [Linesift(m, rules) for m in (args.model or ["models/html"])
                               for rules in ((True, False) if args.both_ways else (True,))]
    if not args.no_baselines:
        systems += [Trafilatura(), JusText()]
    pages = (raw for raw in read_wcxb(args.data) if raw.page_id in chosen)
    print(f"scoring {len(chosen)} held-out WCXB pages with {len(systems)} systems", file=sys.stderr, flush=True)
    report = score(pages, systems, {pid: rec["page_type"] for pid, rec in chosen.items()})
    report.update(corpus=str(args.corpus), metric="WCXB word F1: \\w+ tokens of lower-cased text, "
                  "multiset overlap with gold main_content, mean over pages; linesift keeps body lines "
                  "(body and comment on forum pages)", left_out=left_out,
                  failed={s.name: s.failed for s in systems if getattr(s, "failed", 0)},
                  title_words={s.name: {"pages_with_title": sum(1 for w in s.title_words if w),
                                        "mean_words": (sum(s.title_words) / max(1, sum(1 for w in s.title_words if w)))}
                               for s in systems if isinstance(s, Linesift)},
                  command="python -m training.wcxb_html_eval " + " ".join(sys.argv[1:] if argv is None else argv))
    # page order and per-page numbers are kept so two runs can be compared page by page
    print(format_table(report))
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
