"""Labelled pages as one self-contained HTML document, for a person checking the labels.

JSON records are for programs; a person judging what linesift did would rather look at the
page itself, every line in place and coloured by its label. Everything here is a pure
function returning a string, so :class:`classifier.io.Writer` can stream a batch (head,
one section per page as it is labelled, totals and foot at the end) and memory stays flat
however many pages go through.

Design choices, and why:

* one file, no external resources and no JavaScript: a report is mailed, attached to an
  issue or opened from a CI artifact, and must look the same offline and in a locked-down
  viewer. Filtering by label uses checkboxes and CSS ``:has()``; hovering a line shows its
  score and all four probabilities through the ``title`` attribute;
* colours from the Okabe-Ito palette (distinguishable with every common colour-vision
  deficiency), and never colour alone: each line also carries its label as text and a
  border style of its own (solid, dotted, dashed, double);
* every line gets an explicit ``dir``: right-to-left when most of its letters are from a
  right-to-left script. Browsers' ``dir="auto"`` follows the *first* strong letter, which
  sets an Arabic headline that opens with a Latin brand name ("BBC ...") left to right;
* ``data-label``, ``data-line``, ``data-score`` on every line, so tests and users can query
  the report like data.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Collection, Iterable, Sequence

from .settings import LABELS

if TYPE_CHECKING:  # the renderer needs only the record's fields, not the model's imports
    from .model import LineLabel

UNSURE_BELOW = 0.6
"""A line whose score is below this is marked uncertain (and can be shown alone)."""

DIRECTION_SAMPLE_CHARS = 2000
"""Letters counted to decide a line's direction; a 10 MB line is decided by its start."""

MAX_INDEX_ROWS = 1000
"""Pages listed in the batch's closing table; past that only totals grow, so memory stays
flat on endless streams."""


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """How one label looks: a strong colour (tags, borders, bars), a light tint (line
    background) and a border style, so the label is readable without colour too."""

    strong: str
    tint: str
    border: str
    meaning: str


STYLES: dict[str, LabelStyle] = {
    "body": LabelStyle("#0072b2", "#e6f0f8", "solid", "the page's own content"),
    "boilerplate": LabelStyle("#666666", "#efefef", "dotted",
                              "navigation, bylines, captions, related links, footers"),
    "comment": LabelStyle("#00775a", "#e0f3ec", "dashed",
                          "the comment section and reader comments"),
    "clickbait": LabelStyle("#c05300", "#fce9da", "double", "sensational teasers"),
}
_FALLBACK_STYLE = LabelStyle("#7a4d8c", "#f1e9f5", "solid", "")

# C0 controls (except tab), DEL and C1 controls are not allowed as text in HTML; shown as
# the Unicode "control pictures" so a reader sees that they are there.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CSS_NAME = re.compile(r"[^a-z0-9_-]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _style(label: str) -> LabelStyle:
    return STYLES.get(label, _FALLBACK_STYLE)


def _css_class(label: str) -> str:
    return "l-" + _CSS_NAME.sub("_", label.lower())


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def text_html(text: str) -> str:
    """``text`` safe as HTML element content: markup escaped, control characters made
    visible (HTML forbids them as text; a parser would silently drop or change them)."""
    return html.escape(_CONTROLS.sub(_picture, text), quote=False)


def attr_html(text: str) -> str:
    """``text`` safe inside a double-quoted attribute value."""
    return html.escape(_CONTROLS.sub(_picture, text), quote=True)


@dataclass(frozen=True, slots=True)
class Script:
    """What a line is written in, as far as display is concerned."""

    direction: str
    """``rtl``, ``ltr``, or ``auto`` when the line has no letters (numbers, punctuation)."""
    lang: str | None
    """``ar`` when Arabic letters are the majority (browsers pick fonts and shaping by it)."""


def line_script(text: str) -> Script:
    """Direction by the majority of strong letters in the line's start (see module notes
    for why not the first letter); ``lang="ar"`` when those are mostly Arabic script."""
    rtl = ltr = 0
    for ch in text[:DIRECTION_SAMPLE_CHARS]:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            ltr += 1
        elif kind in ("R", "AL"):
            rtl += 1
    if not rtl and not ltr:
        return Script("auto", None)
    if rtl > ltr:
        arabic = len(_ARABIC.findall(text, 0, DIRECTION_SAMPLE_CHARS))
        return Script("rtl", "ar" if arabic * 2 > rtl else None)
    return Script("ltr", None)


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts over one page or a whole batch; ``+`` adds two tallies."""

    pages: int = 0
    lines: int = 0
    """Non-blank (labelled) lines."""
    blank: int = 0
    counts: tuple[int, ...] = (0,) * len(LABELS)
    """Lines per label, in ``LABELS`` order."""
    rtl: int = 0
    ltr: int = 0
    arabic: int = 0
    unsure: int = 0
    kept: int = 0
    score_sum: float = 0.0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.pages + other.pages, self.lines + other.lines,
                     self.blank + other.blank,
                     tuple(a + b for a, b in zip(self.counts, other.counts)),
                     self.rtl + other.rtl, self.ltr + other.ltr, self.arabic + other.arabic,
                     self.unsure + other.unsure, self.kept + other.kept,
                     self.score_sum + other.score_sum)

    def count(self, label: str) -> int:
        return self.counts[LABELS.index(label)] if label in LABELS else 0


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """One page's ``<section>`` and its tally (the writer adds tallies into batch totals)."""

    html: str
    tally: Tally
    name: str = field(default="")


def _probs_title(lab: "LineLabel") -> str:
    probs = " · ".join(f"{name} {lab.probs[name]:.3f}" for name in LABELS if name in lab.probs)
    return f"line {lab.line}: {lab.label} {lab.score:.3f}\n{probs}"


def render_line(text: str, lab: "LineLabel", *, kept: bool = True, hover: str = "") -> tuple[str, Script]:
    """One labelled line as a ``div`` (and its script, which the page tally needs);
    ``hover``: more lines for its tooltip (the cues behind the label, from ``explain``)."""
    script = line_script(text)
    classes = ["ln", _css_class(lab.label)]
    if lab.score < UNSURE_BELOW:
        classes.append("unsure")
    if not kept:
        classes.append("off")
    lang = f' lang="{script.lang}"' if script.lang else ""
    kept_attr = "" if kept else ' data-kept="no"'
    label = text_html(lab.label)
    return (f'<div class="{" ".join(classes)}" data-label="{attr_html(lab.label)}" '
            f'data-line="{lab.line}" data-score="{lab.score:.4f}"{kept_attr} '
            f'dir="{script.direction}"{lang} '
            f'title="{attr_html(_probs_title(lab) + (chr(10) + hover if hover else ""))}">'
            f'<span class="no">{lab.line}</span><span class="tag">{label}</span>'
            f'<span class="sc">{lab.score:.2f}</span>'
            f'<span class="tx">{text_html(text)}</span></div>'), script


def _gap(blank: int) -> str:
    title = "1 blank line" if blank == 1 else f"{blank} blank lines"
    return f'<div class="gap" data-blank="{blank}" title="{title}"></div>'


def _percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.0f}%" if whole else "0%"


def _bar(tally: Tally) -> str:
    """A stacked bar of the label shares: the page's make-up at a glance."""
    if not tally.lines:
        return ""
    parts = []
    for name, n in zip(LABELS, tally.counts):
        if n:
            share = 100.0 * n / tally.lines
            parts.append(f'<span class="{_css_class(name)}" style="width:{share:.2f}%" '
                         f'title="{name}: {n} ({share:.0f}%)"></span>')
    return f'<div class="bar" aria-hidden="true">{"".join(parts)}</div>'


def _counts(tally: Tally) -> str:
    """Per-label counts, each chip also a legend entry (swatch, name, number, share)."""
    items = []
    for name, n in zip(LABELS, tally.counts):
        items.append(f'<li class="chip {_css_class(name)}" data-count-label="{name}">'
                     f'<span class="sw"></span>{name} <b class="n">{n}</b>'
                     f'<small>{_percent(n, tally.lines)}</small></li>')
    return f'<ul class="counts">{"".join(items)}</ul>'


def _facts(tally: Tally, keep: Collection[str]) -> str:
    """One sentence of numbers: size, directions and scripts, confidence, what is kept."""
    if not tally.lines:
        return '<p class="facts">no non-blank lines</p>'
    facts = [f"{tally.lines} labelled line{'s' * (tally.lines != 1)}",
             f"{tally.blank} blank"]
    if tally.rtl:
        arabic = f", {tally.arabic} in Arabic script" if tally.arabic else ""
        facts.append(f'<span class="dir-rtl">{tally.rtl} right-to-left{arabic}</span>')
    if tally.ltr:
        facts.append(f"{tally.ltr} left-to-right")
    facts.append(f"mean score {tally.score_sum / tally.lines:.2f}")
    facts.append(f'<span class="unsure-n">{tally.unsure} uncertain (score &lt; '
                 f'{UNSURE_BELOW:g})</span>')
    if set(LABELS) - set(keep):
        facts.append(f"{tally.kept} kept")
    return f'<p class="facts">{" · ".join(facts)}</p>'


def page_direction(tally: Tally) -> str:
    """The page's main direction (for its heading): rtl when most lines are."""
    return "rtl" if tally.rtl > tally.ltr else "ltr"


def render_page(name: str, lines: Sequence[str], labels: Sequence["LineLabel | None"], *,
                index: int = 1, keep: Collection[str] = LABELS,
                hovers: Sequence[str] | None = None) -> RenderedPage:
    """One page as a ``<section>``: name, facts, stacked bar, counts, then every line in
    input order, runs of blank lines as one small gap. Lines whose label is not in
    ``keep`` are dimmed, not dropped, so the reader still sees what was left out.
    ``hovers``: per line, extra tooltip text (the cues from ``linesift explain``)."""
    keep = set(keep)
    body: list[str] = []
    blank = lines_n = rtl = ltr = arabic = unsure = kept_n = 0
    counts = [0] * len(LABELS)
    score_sum = 0.0
    gap = 0
    for i, (text, lab) in enumerate(zip(lines, labels)):
        if lab is None:
            gap += 1
            blank += 1
            continue
        if gap:
            body.append(_gap(gap))
            gap = 0
        kept = lab.label in keep
        line_html, script = render_line(text, lab, kept=kept, hover=hovers[i] if hovers else "")
        body.append(line_html)
        lines_n += 1
        kept_n += kept
        score_sum += lab.score
        unsure += lab.score < UNSURE_BELOW
        if lab.label in LABELS:
            counts[LABELS.index(lab.label)] += 1
        if script.direction == "rtl":
            rtl += 1
            arabic += script.lang == "ar"
        elif script.direction == "ltr":
            ltr += 1
    if gap:
        body.append(_gap(gap))
    tally = Tally(1, lines_n, blank, tuple(counts), rtl, ltr, arabic, unsure, kept_n,
                  score_sum)
    lines_html = "\n".join(body) if body else '<p class="empty">This page has no lines.</p>'
    section = (f'<section class="page" id="page-{index}" data-page="{index}" '
               f'data-name="{attr_html(name)}" data-dir="{page_direction(tally)}">\n'
               f'<header class="page-head"><h2><span class="pno">{index}</span> '
               f'<bdi>{text_html(name)}</bdi></h2>\n'
               f'{_facts(tally, keep)}\n{_bar(tally)}\n{_counts(tally)}</header>\n'
               f'<div class="lines">\n{lines_html}\n</div>\n</section>\n')
    return RenderedPage(section, tally, name)


def _css() -> str:
    """The style sheet; per-label rules are generated from :data:`STYLES`."""
    rules = [
        ":root{color-scheme:light;--ink:#1d1d1f;--muted:#6b6b70;--line:#d9d9de}",
        "*{box-sizing:border-box}",
        "html{background:#f6f6f3}",
        "body{margin:0;color:var(--ink);font:15px/1.5 system-ui,-apple-system,'Segoe UI',"
        "'Noto Sans','Noto Sans Arabic','DejaVu Sans',sans-serif}",
        ".top{position:sticky;top:0;z-index:2;background:rgba(250,250,248,.96);"
        "border-bottom:1px solid var(--line);padding:.6rem 1.2rem;display:flex;"
        "flex-wrap:wrap;gap:.4rem 1.4rem;align-items:center}",
        ".top h1{font-size:1.1rem;margin:0;font-weight:650;letter-spacing:.01em}",
        ".top h1 small{font-weight:400;color:var(--muted);margin-inline-start:.5em}",
        ".legend{display:flex;flex-wrap:wrap;gap:.35rem;margin:0;padding:0;list-style:none}",
        ".legend label{display:flex;align-items:center;gap:.35em;cursor:pointer;"
        "padding:.15em .6em;border-radius:99px;background:#fff;border:1px solid var(--line);"
        "font-size:.85rem}",
        ".legend input{margin:0;accent-color:#444}",
        ".legend .what{color:var(--muted);font-size:.78rem}",
        ".note{color:var(--muted);font-size:.8rem;margin:0}",
        "main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 2rem}",
        ".page{background:#fff;border:1px solid var(--line);border-radius:10px;"
        "margin:1.2rem 0;padding:1rem 1.2rem 1.2rem;box-shadow:0 1px 2px rgba(0,0,0,.04);"
        "scroll-margin-top:8rem}",
        ".page-head h2{font-size:1.05rem;margin:0 0 .2rem;overflow-wrap:anywhere}",
        ".pno{display:inline-block;min-width:1.7em;padding:0 .4em;margin-inline-end:.3em;"
        "border-radius:6px;background:#eceef2;color:var(--muted);text-align:center;"
        "font-variant-numeric:tabular-nums}",
        ".facts{color:var(--muted);font-size:.85rem;margin:.1rem 0 .5rem}",
        ".bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#eee;"
        "margin:.3rem 0 .5rem}",
        ".bar span{display:block;height:100%}",
        ".counts{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;margin:0 0 .8rem;"
        "padding:0}",
        ".chip{display:flex;align-items:center;gap:.35em;font-size:.85rem;padding:.1em .6em;"
        "border-radius:99px;background:#f4f4f6}",
        ".chip small{color:var(--muted)}",
        ".sw{display:inline-block;width:.8em;height:.8em;border-radius:2px}",
        ".lines{display:flex;flex-direction:column;gap:2px}",
        ".ln{display:flex;align-items:baseline;gap:.6em;padding:.22em .6em;"
        "border-inline-start:5px solid;border-radius:3px}",
        ".ln:hover{filter:brightness(.96);outline:1px solid #999}",
        ".no{flex:0 0 2.6em;text-align:end;color:var(--muted);font-size:.75rem;"
        "font-variant-numeric:tabular-nums}",
        ".tag{flex:0 0 6.6em;text-align:center;font-size:.7rem;font-weight:650;color:#fff;"
        "border-radius:3px;padding:0 .3em;letter-spacing:.03em}",
        ".sc{flex:0 0 2.4em;font-size:.72rem;color:var(--muted);direction:ltr;"
        "unicode-bidi:isolate;font-variant-numeric:tabular-nums}",
        ".unsure .sc{color:#b00020;font-weight:700}",
        ".unsure .sc::after{content:'?'}",
        ".tx{flex:1 1 auto;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}",
        ".ln:lang(ar) .tx{font-size:1.1em;line-height:1.7}",
        ".l-boilerplate .tx{color:#4a4a4f;font-size:.93em}",
        ".off{opacity:.38}",
        ".gap{height:.55rem}",
        ".empty{color:var(--muted);font-style:italic}",
        ".totals{max-width:72rem;margin:0 auto 2rem;padding:0 1.2rem}",
        ".totals .box{background:#fff;border:1px solid var(--line);border-radius:10px;"
        "padding:1rem 1.2rem}",
        ".totals h2{font-size:1.05rem;margin:0 0 .2rem}",
        ".totals table{border-collapse:collapse;width:100%;font-size:.85rem}",
        ".totals th,.totals td{padding:.25em .5em;border-bottom:1px solid #eee;"
        "text-align:end;font-variant-numeric:tabular-nums}",
        ".totals th:first-child,.totals td:first-child{text-align:start}",
        ".totals a{color:inherit}",
        "footer.made{color:var(--muted);font-size:.8rem;text-align:center;margin:0 0 2rem}",
        # filters without JavaScript: the legend's checkboxes hide labels
        "body:has(#only-unsure:checked) .ln:not(.unsure){display:none}",
        "body:has(#only-unsure:checked) .gap{display:none}",
    ]
    for name in LABELS:
        s, cls = _style(name), _css_class(name)
        rules += [
            f".ln.{cls}{{background:{s.tint};border-inline-start-color:{s.strong};"
            f"border-inline-start-style:{s.border}}}",
            f".{cls} .tag,.bar .{cls},.{cls} .sw{{background:{s.strong}}}",
            f"body:has(#show-{name}:not(:checked)) .ln.{cls}{{display:none}}",
        ]
    return "\n".join(rules)


def _legend(keep: Collection[str]) -> str:
    """Label swatches that are also show/hide switches, plus the uncertain-only switch."""
    items = []
    for name in LABELS:
        s = _style(name)
        items.append(f'<li><label class="{_css_class(name)}" title="{attr_html(s.meaning)}">'
                     f'<input type="checkbox" id="show-{name}" checked>'
                     f'<span class="sw"></span>{name} <span class="what">{text_html(s.meaning)}'
                     f'</span></label></li>')
    items.append('<li><label title="show only lines whose score is below '
                 f'{UNSURE_BELOW:g}"><input type="checkbox" id="only-unsure">'
                 'only uncertain</label></li>')
    dropped = [name for name in LABELS if name not in set(keep)]
    note = ("Hover a line for its score and all four probabilities; untick a label to "
            "hide it.")
    if dropped:
        note += f" Dimmed: lines not kept by --keep ({', '.join(dropped)})."
    return f'<ul class="legend">{"".join(items)}</ul><p class="note">{text_html(note)}</p>'


def document_head(title: str = "linesift report", *, keep: Collection[str] = LABELS,
                  subtitle: str = "") -> str:
    """Everything before the first page: the style sheet and a sticky header with the
    legend, so the colours are explained wherever the reader has scrolled to."""
    small = f"<small>{text_html(subtitle)}</small>" if subtitle else ""
    return ('<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="linesift">\n'
            f'<title>{text_html(title)}</title>\n<style>\n{_css()}\n</style>\n</head>\n'
            f'<body>\n<header class="top"><h1>{text_html(title)}{small}</h1>'
            f'{_legend(keep)}</header>\n<main>\n')


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One page's line in the batch's closing table."""

    index: int
    name: str
    tally: Tally


def render_totals(totals: Tally, rows: Sequence[IndexRow] = (), *,
                  keep: Collection[str] = LABELS) -> str:
    """The batch's closing summary: all pages' counts, and a table linking each page."""
    head = "".join(f'<th><span class="sw {_css_class(n)}" style="background:'
                   f'{_style(n).strong}"></span> {n}</th>' for n in LABELS)
    body = []
    for row in rows:
        cells = "".join(f"<td>{n}</td>" for n in row.tally.counts)
        body.append(f'<tr><td><a href="#page-{row.index}">{row.index}. '
                    f'<bdi>{text_html(row.name)}</bdi></a></td><td>{row.tally.lines}</td>'
                    f'{cells}<td>{row.tally.rtl}</td></tr>')
    more = totals.pages - len(rows)
    if more > 0:
        body.append(f'<tr><td colspan="{len(LABELS) + 3}">and {more} more '
                    f'page{"s" * (more != 1)}</td></tr>')
    table = (f'<table><thead><tr><th>page</th><th>lines</th>{head}<th>right-to-left</th>'
             f'</tr></thead><tbody>{"".join(body)}</tbody></table>') if body else ""
    pages = f"{totals.pages} page{'s' * (totals.pages != 1)}"
    return (f'</main>\n<section class="totals" id="totals" data-pages="{totals.pages}" '
            f'data-lines="{totals.lines}"><div class="box">\n<h2>All pages: {pages}</h2>\n'
            f'{_facts(totals, keep)}\n{_bar(totals)}\n{_counts(totals)}\n{table}\n'
            f'</div></section>\n')


def document_foot(totals_html: str = "") -> str:
    """Closes the document, after the totals when there are any."""
    closing = "" if totals_html else "</main>\n"
    return (f"{totals_html}{closing}<footer class=\"made\">Labelled by linesift. Each line: "
            "number, label, score; hover for the probabilities.</footer>\n</body>\n</html>\n")


def render_document(pages: Iterable[tuple[str, Sequence[str], Sequence["LineLabel | None"]]],
                    *, keep: Collection[str] = LABELS, title: str = "linesift report",
                    totals: bool = True) -> str:
    """A whole report in one string: (name, lines, labels) per page. Convenient for the
    library and tests; the CLI streams the same pieces instead."""
    parts = [document_head(title, keep=keep)]
    total = Tally()
    rows = []
    for index, (name, lines, labels) in enumerate(pages, 1):
        page = render_page(name, lines, labels, index=index, keep=keep)
        parts.append(page.html)
        total += page.tally
        if len(rows) < MAX_INDEX_ROWS:
            rows.append(IndexRow(index, name, page.tally))
    parts.append(document_foot(render_totals(total, rows, keep=keep) if totals else ""))
    return "".join(parts)


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


_MAX_NAME_BYTES = 200
"""File names are cut to this many UTF-8 bytes (file systems allow 255 bytes, not 255
characters: 100 non-BMP letters were 400 bytes, "File name too long")."""


def report_filename(name: str, taken: Collection[str], suffix: str = ".html", *, lowered: bool = False,
                    suffixes: dict[str, int] | None = None) -> str:
    """A safe file name for a page's report (or, with ``suffix``, its text): the last part
    of its path or id, without a short extension, reduced to letters, digits, ``.``, ``_``
    and ``-`` and to at most :data:`_MAX_NAME_BYTES` bytes; ``-2``, ``-3`` ... appended
    while it collides (case-insensitively, for case-insensitive file systems) with a name
    in ``taken``.

    For many pages (``--report-dir``), pass ``taken`` already lower-cased with
    ``lowered=True`` and a ``suffixes`` dict kept between calls (the next number to try per
    name): each call is then constant time, not linear in the pages so far."""
    last = re.split(r"[\\/]+", name.strip().rstrip("/\\"))[-1] if name.strip() else ""
    if last == "-":
        last = "stdin"
    stem, dot, ext = last.rpartition(".")
    if dot and stem and 0 < len(ext) <= 5 and ext.isalnum():
        last = stem
    safe = _UNSAFE_NAME.sub("_", last).strip("._")[:100]
    safe = safe.encode("utf-8")[:_MAX_NAME_BYTES].decode("utf-8", "ignore") or "page"
    names = taken if lowered else {t.lower() for t in taken}
    key = safe.lower() + suffix
    n = suffixes.get(key, 1) if suffixes is not None else 1
    candidate = f"{safe}{suffix}" if n == 1 else f"{safe}-{n}{suffix}"
    while candidate.lower() in names:
        n += 1
        candidate = f"{safe}-{n}{suffix}"
    if suffixes is not None:
        suffixes[key] = n
    return candidate
