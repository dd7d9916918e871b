"""The html report (issue 7, item 3): the renderer, the CLI's ``--format html`` and
``--report-dir``, and the report as a real browser renders it.

The report is read back with the standard library's HTML parser, never with string
searches, so the tests see what a browser sees: escaped text unescaped, attributes parsed.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifier import LABELS
from classifier.io import Page, Writer
from classifier.model import LineLabel
from classifier.page import split_lines
from classifier.report import (UNSURE_BELOW, document_head, line_script,
                               render_document, render_page, report_filename)
from helpers import run_cli

runner = CliRunner()


# --- reading a report back --------------------------------------------------------------------

class ReportDom(HTMLParser):
    """Every labelled line (its attributes and the text of its ``tx`` span), every gap,
    every page section and every count chip of a report."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.lines: list[dict] = []
        self.gaps: list[dict] = []
        self.sections: list[dict] = []
        self.counts: list[dict] = []  # {"label", "n", "in"} per chip; "in": section index
        self.tags = Counter()
        self._in_tx = False
        self._in_count = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        self.tags[tag] += 1
        classes = a.get("class", "").split()
        if tag == "section":
            self.sections.append(a)
        if "data-label" in a:
            self.lines.append({**a, "text": "", "classes": classes})
        elif "gap" in classes:
            self.gaps.append(a)
        elif tag == "span" and "tx" in classes:
            self._in_tx = True
        elif "data-count-label" in a:
            self.counts.append({"label": a["data-count-label"], "n": "",
                                "in": len(self.sections) - 1})
        elif tag == "b" and "n" in classes and self.counts:
            self._in_count = self.counts[-1]

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_tx = False
        if tag == "b":
            self._in_count = None

    def handle_data(self, data):
        if self._in_tx:
            self.lines[-1]["text"] += data
        if self._in_count is not None:
            self._in_count["n"] += data


def lab(line: int, label: str, score: float = 0.9) -> LineLabel:
    rest = (1.0 - score) / (len(LABELS) - 1)
    return LineLabel(line, label, score, {k: (score if k == label else rest) for k in LABELS})


def labelled(lines: list[str], labels: list[str]) -> list[LineLabel | None]:
    """Labels for ``lines``: the next of ``labels`` for each non-blank line."""
    it = iter(labels)
    return [None if not text.strip() else lab(i + 1, next(it)) for i, text in enumerate(lines)]


# --- the renderer -----------------------------------------------------------------------------

def test_markup_in_lines_and_names_is_escaped():
    lines = ['<script>alert("x")</script>', "Fish & chips < 5 > 3", "Say \"hi\" & 'bye'"]
    page = render_page('<b>evil</b> & "name".txt', lines, labelled(lines, ["body"] * 3)).html
    assert "<script>" not in page and "<b>evil" not in page
    dom = ReportDom(page)
    assert [line["text"] for line in dom.lines] == lines
    assert dom.sections[0]["data-name"] == '<b>evil</b> & "name".txt'
    assert dom.tags["script"] == 0 and dom.tags["b"] == len(LABELS)  # only the count chips


def test_every_non_blank_line_in_order_with_its_label():
    lines = ["Home | News", "", "Headline here", "First paragraph.", "", "", "",
             "A comment", "   ", "Shocking teaser!", "Footer"]
    labels = ["boilerplate", "body", "body", "comment", "clickbait", "boilerplate"]
    dom = ReportDom(render_page("p", lines, labelled(lines, labels)).html)
    expected = [(i + 1, text) for i, text in enumerate(lines) if text.strip()]
    assert [(int(d["data-line"]), d["text"]) for d in dom.lines] == expected
    assert [d["data-label"] for d in dom.lines] == labels
    assert all(f"l-{d['data-label']}" in d["classes"] for d in dom.lines)
    # runs of blank lines become one gap each, holding the run's length
    assert [int(g["data-blank"]) for g in dom.gaps] == [1, 3, 1]


def test_counts_per_label_match_the_lines():
    lines = [f"line {i}" for i in range(10)]
    labels = ["body"] * 5 + ["boilerplate"] * 3 + ["clickbait"] * 2
    rendered = render_page("p", lines, labelled(lines, labels))
    dom = ReportDom(rendered.html)
    assert {c["label"]: int(c["n"]) for c in dom.counts} == {
        "body": 5, "boilerplate": 3, "comment": 0, "clickbait": 2}
    assert rendered.tally.lines == 10 and rendered.tally.count("comment") == 0


def test_title_shows_label_score_and_all_probabilities():
    dom = ReportDom(render_page("p", ["x"], [lab(1, "comment", 0.72)]).html)
    title = dom.lines[0]["title"]
    assert "comment 0.720" in title
    assert all(re.search(rf"{name} \d\.\d{{3}}", title) for name in LABELS)
    assert dom.lines[0]["data-score"] == "0.7200"


@pytest.mark.parametrize("text, direction, lang", [
    ("وقال رئيس المجلس إن الميزانية ستدعم القراءة", "rtl", "ar"),
    ("BBC عربي: مجلس المدينة يوافق على ميزانية جديدة", "rtl", "ar"),  # majority, not first
    ("The mayor said «شكرا» to the council today", "ltr", None),
    ("שלום לכולם", "rtl", None),
    ("12 / 03 / 2024 — 09:40", "auto", None),
    ("Plain English line.", "ltr", None),
])
def test_line_direction_follows_the_majority_of_letters(text, direction, lang):
    script = line_script(text)
    assert (script.direction, script.lang) == (direction, lang)
    dom = ReportDom(render_page("p", [text], [lab(1, "body")]).html)
    assert dom.lines[0]["dir"] == direction
    assert dom.lines[0].get("lang") == lang


def test_page_summary_counts_directions():
    lines = ["مرحبا بكم في الموقع", "Welcome to the site", "أخبار اليوم"]
    rendered = render_page("p", lines, labelled(lines, ["body"] * 3))
    assert (rendered.tally.rtl, rendered.tally.ltr, rendered.tally.arabic) == (2, 1, 2)
    assert "2 right-to-left, 2 in Arabic script" in rendered.html
    assert ReportDom(rendered.html).sections[0]["data-dir"] == "rtl"


def test_control_characters_are_shown_not_emitted():
    lines = ["nul\x00here", "bell\x07 and del\x7f", "tab\tstays"]
    page = render_page("p", lines, labelled(lines, ["body"] * 3)).html
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", page)
    texts = [d["text"] for d in ReportDom(page).lines]
    assert texts == ["nul\u2400here", "bell\u2407 and del\u2421", "tab\tstays"]


def test_lines_outside_keep_are_dimmed_not_dropped():
    lines = ["Menu", "Story", "Nice post"]
    page = render_page("p", lines, labelled(lines, ["boilerplate", "body", "comment"]),
                       keep={"body"}).html
    dom = ReportDom(page)
    assert [d["text"] for d in dom.lines] == lines
    assert [("off" in d["classes"], d.get("data-kept")) for d in dom.lines] == [
        (True, "no"), (False, None), (True, "no")]
    head = document_head(keep={"body"})
    assert "Dimmed: lines not kept by --keep (boilerplate, comment, clickbait)" in head


def test_uncertain_lines_are_marked():
    dom = ReportDom(render_page("p", ["a", "b"], [lab(1, "body", UNSURE_BELOW - 0.01),
                                                   lab(2, "body", UNSURE_BELOW)]).html)
    assert ["unsure" in d["classes"] for d in dom.lines] == [True, False]


def test_document_is_self_contained():
    lines = ["Hello", "", "مرحبا"]
    doc = render_document([("a", lines, labelled(lines, ["body", "comment"])),
                           ("b", [], [])])
    assert doc.startswith("<!DOCTYPE html>") and doc.rstrip().endswith("</html>")
    for external in ("<script", "<link", "src=", "@import", "url(", "http://", "https://"):
        assert external not in doc
    dom = ReportDom(doc)
    assert [s.get("data-page") for s in dom.sections] == ["1", "2", None]  # None: totals
    assert dom.sections[-1]["data-pages"] == "2" and dom.sections[-1]["data-lines"] == "2"
    assert "This page has no lines." in doc


def test_writer_streams_the_same_document_as_render_document():
    pages = [("one.txt", ["Menu", "", "Story line"]), ("two.txt", ["تعليق جميل", "Footer"])]
    labels = [labelled(lines, ["boilerplate", "body", "comment", "boilerplate"][i * 2:])
              for i, (_, lines) in enumerate(pages)]
    out = io.StringIO()
    writer = Writer(out, "html", LABELS)
    for (name, lines), labs in zip(pages, labels):
        writer.write(Page(name, lines), labs)
    writer.close()
    expected = render_document([(n, lines, labs) for (n, lines), labs in zip(pages, labels)])
    assert out.getvalue() == expected


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "text"])
def test_close_adds_nothing_to_line_formats(fmt):
    out = io.StringIO()
    writer = Writer(out, fmt, {"body"})
    writer.write(Page("p", ["Story"]), [lab(1, "body")])
    before = out.getvalue()
    writer.close()
    assert out.getvalue() == before


def test_report_filenames_are_safe_and_distinct():
    taken: set[str] = set()
    names = []
    for page in ["a/page.txt", "b/page.txt", "B/PAGE.txt", "-", "../../etc/passwd",
                 "https://example.com/news/story?id=1", "crawl.jsonl:17", "", "مقال.txt",
                 "..", "x" * 300]:
        name = report_filename(page, taken)
        taken.add(name)
        names.append(name)
    assert names[:10] == ["page.html", "page-2.html", "PAGE-3.html", "stdin.html",
                          "passwd.html", "story_id_1.html", "crawl.jsonl_17.html",
                          "page-4.html", "مقال.html", "page-5.html"]
    assert len(names[10]) <= 105
    assert len({n.lower() for n in names}) == len(names)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)


# --- the command line -------------------------------------------------------------------------

def invoke(model_dir, *args, input=None):
    from classifier.cli import app

    return runner.invoke(app, ["label", "--model", str(model_dir), *args], input=input)


EN_PAGE = """Home | World | Business | Sport
Sign in

City council approves new budget for public libraries

The council voted on Tuesday to raise library funding by 12% & extend opening hours.
"We want <every> child to have a quiet place to read," the mayor said.

Related: You won't BELIEVE what this librarian found in a returned book!
23 comments
Great news for our neighbourhood.
© 2024 The Daily Example
"""

AR_PAGE = """الرئيسية | أخبار | رياضة | اقتصاد

افتتاح مكتبة عامة جديدة في وسط المدينة

افتتحت البلدية صباح الأحد مكتبة عامة جديدة تضم أكثر من عشرين ألف كتاب.
وقال رئيس البلدية إن المكتبة ستفتح أبوابها للطلاب مجانا طوال أيام الأسبوع.

لن تصدق ماذا وجد أمين المكتبة داخل هذا الكتاب!
التعليقات (4)
خبر رائع، شكرا للبلدية
جميع الحقوق محفوظة © 2024
"""

MIXED_PAGE = """Home | الرئيسية | News | أخبار

Bilingual school opens its doors / مدرسة ثنائية اللغة تفتح أبوابها

The new school teaches in English and Arabic from the first year.
وتدرس المدرسة الجديدة باللغتين العربية والإنجليزية منذ السنة الأولى.
BBC عربي: المدرسة تستقبل ثلاثمئة طالب هذا العام

Comments: 2
رائع جدا
Share this article
"""

PAGES = {"en_page.txt": EN_PAGE, "ar_page.txt": AR_PAGE, "mixed_page.txt": MIXED_PAGE}


def arabic_majority(text: str) -> bool:
    """The test's own rule for a right-to-left line: more Arabic than Latin letters."""
    return len(re.findall("[\u0600-\u06ff]", text)) > len(re.findall("[A-Za-z]", text))


@pytest.fixture
def page_files(tmp_path) -> list[Path]:
    paths = []
    for name, text in PAGES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def expected_lines(clf, text: str) -> list[tuple[int, str, str]]:
    return [(lab.line, line, lab.label)
            for line, lab in zip(split_lines(text), clf.label_text(text)) if lab]


def test_cli_html_is_one_document_with_every_line(model_dir, clf, page_files):
    result = invoke(model_dir, "--format", "html", *map(str, page_files))
    assert result.exit_code == 0, result.stderr
    doc = result.stdout
    assert doc.startswith("<!DOCTYPE html>") and doc.count("</html>") == 1
    dom = ReportDom(doc)
    pages = [s for s in dom.sections if s.get("data-page")]
    assert [s["data-name"] for s in pages] == list(map(str, page_files))
    got = [(int(d["data-line"]), d["text"], d["data-label"]) for d in dom.lines]
    assert got == [x for p in page_files for x in expected_lines(clf, PAGES[p.name])]
    totals = dom.sections[-1]
    assert totals["id"] == "totals" and int(totals["data-lines"]) == len(got)
    assert all(d["dir"] == "rtl" for d in dom.lines if arabic_majority(d["text"]))


def test_cli_html_with_keep_dims_the_rest(model_dir, clf, page_files):
    result = invoke(model_dir, "--format", "html", "--keep", "body", str(page_files[0]))
    assert result.exit_code == 0
    dom = ReportDom(result.stdout)
    assert len(dom.lines) == len(expected_lines(clf, EN_PAGE))
    assert all(("off" in d["classes"]) == (d["data-label"] != "body") for d in dom.lines)


def test_cli_report_dir_writes_one_file_per_input(model_dir, clf, tmp_path, page_files):
    twin = tmp_path / "other" / "en_page.txt"  # same file name as page_files[0]
    twin.parent.mkdir()
    twin.write_text(MIXED_PAGE, encoding="utf-8")
    out = tmp_path / "reports" / "nested"
    result = invoke(model_dir, "--format", "html", "--report-dir", str(out),
                    *map(str, page_files), str(twin))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    files = sorted(p.name for p in out.iterdir())
    assert files == ["ar_page.html", "en_page-2.html", "en_page.html", "mixed_page.html"]
    twin_dom = ReportDom((out / "en_page-2.html").read_text(encoding="utf-8"))
    assert twin_dom.sections[0]["data-name"] == str(twin)
    assert [d["text"] for d in twin_dom.lines] == [t for _, t, _ in expected_lines(clf, MIXED_PAGE)]
    for name in files:
        doc = (out / name).read_text(encoding="utf-8")
        assert doc.startswith("<!DOCTYPE html>") and doc.rstrip().endswith("</html>")


def test_cli_report_dir_needs_html(model_dir, tmp_path, page_files):
    result = invoke(model_dir, "--report-dir", str(tmp_path / "r"), str(page_files[0]))
    assert result.exit_code == 2
    assert "--report-dir" in result.stderr
    assert not (tmp_path / "r").exists()


def test_cli_html_report_from_jsonl_pages(model_dir, tmp_path):
    data = ('{"id": "site/a", "text": "Menu\\n\\nA story <b>"}\n'
            '{"id": "site/a", "text": "Same id again"}\n')
    result = invoke(model_dir, "--input", "jsonl", "--format", "html", "--report-dir",
                    str(tmp_path / "r"), "-", input=data.encode())
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["a-2.html", "a.html"]


# --- in a real browser ------------------------------------------------------------------------

def chromium_binary() -> str:
    """Debian's ``chromium``; skipped when absent, except under CI, which must render."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    reason = "no chromium binary on PATH (apt-get install chromium); the report is not rendered"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI is set: .ci/run should have installed it")
    pytest.skip(reason)


# A probe added to a copy of the report only (the report itself has no script): it records
# what the browser computed for each line, so --dump-dom shows the rendered direction and
# whether the line number really sits on the right of right-to-left text.
PROBE = """<script>
for (const el of document.querySelectorAll('[data-label]')) {
  const box = el.getBoundingClientRect();
  const no = el.querySelector('.no').getBoundingClientRect();
  const tx = el.querySelector('.tx').getBoundingClientRect();
  el.dataset.computedDir = getComputedStyle(el).direction;
  el.dataset.numberSide = no.left > tx.left ? 'right' : 'left';
  el.dataset.shown = box.width > 0 && box.height > 0 ? 'yes' : 'no';
}
document.getElementById('show-boilerplate').checked = false;  // the legend's CSS filter
for (const el of document.querySelectorAll('[data-label]')) {
  el.dataset.shownUnticked = el.getBoundingClientRect().height > 0 ? 'yes' : 'no';
}
</script>"""


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu",
                           "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars",
                           f"--user-data-dir={profile}", *args],
                          capture_output=True, timeout=60, check=False)


def test_report_renders_in_headless_chromium(model_dir, clf, tmp_path, page_files):
    binary = chromium_binary()
    result = run_cli("label", "--model", str(model_dir), "--format", "html",
                     *map(str, page_files))
    assert result.returncode == 0, result.stderr.decode()
    report = tmp_path / "report.html"
    report.write_bytes(result.stdout)
    probed = tmp_path / "probed.html"
    probed.write_text(result.stdout.decode("utf-8").replace("</body>", PROBE + "\n</body>"),
                      encoding="utf-8")

    dumped = run_chromium(binary, tmp_path / "profile-dom", "--dump-dom", probed.as_uri())
    assert dumped.returncode == 0, dumped.stderr.decode(errors="replace")[-2000:]
    dom = ReportDom(dumped.stdout.decode("utf-8"))
    expected = [x for p in page_files for x in expected_lines(clf, PAGES[p.name])]
    got = [(int(d["data-line"]), d["text"], d["data-label"]) for d in dom.lines]
    assert got == expected
    assert all(d["data-shown"] == "yes" for d in dom.lines)
    # unticking "boilerplate" in the legend hides exactly those lines, without JavaScript
    assert [d["data-shown-unticked"] == "no" for d in dom.lines] == [
        d["data-label"] == "boilerplate" for d in dom.lines]
    rtl = [d for d in dom.lines if arabic_majority(d["text"])]
    assert len(rtl) >= 10
    for d in rtl:
        assert (d["dir"], d["data-computed-dir"], d["data-number-side"]) == (
            "rtl", "rtl", "right"), d["text"]
    for d in dom.lines:
        if not arabic_majority(d["text"]) and re.search("[A-Za-z]", d["text"]):
            assert (d["data-computed-dir"], d["data-number-side"]) == ("ltr", "left")

    shot = tmp_path / "report.png"
    shown = run_chromium(binary, tmp_path / "profile-shot", f"--screenshot={shot}",
                         "--window-size=1200,1600", report.as_uri())
    assert shown.returncode == 0 and shot.is_file(), shown.stderr.decode(errors="replace")
    check_screenshot(shot)


def check_screenshot(path: Path) -> None:
    """Not blank: many colours, pixels far from uniform, and the label tints present."""
    from PIL import Image, ImageStat

    from classifier.report import STYLES

    image = Image.open(path).convert("RGB")
    assert image.size == (1200, 1600)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200
    assert max(ImageStat.Stat(image).stddev) > 20
    by_colour = {rgb: n for n, rgb in colours}
    tints = {name: by_colour.get(tuple(bytes.fromhex(s.tint[1:])), 0)
             for name, s in STYLES.items()}
    assert sum(n > 2000 for n in tints.values()) >= 2, tints


def test_html_page_report_shows_dom_paths_on_hover(tmp_path):
    """Issue 17 item 6: an HTML page's report named no DOM path."""
    import io as _io

    from classifier import LABELS as _LABELS
    from classifier.html import extract as _extract
    from classifier.io import Page, Writer
    from classifier.model import LineLabel as _LineLabel

    html = _extract("<html><body><nav><a>Home</a></nav><article><p>The harbour trams return.</p></article></body></html>")
    labels = [_LineLabel(i + 1, "body", 0.9, {k: (0.9 if k == "body" else 0.1 / 3) for k in _LABELS})
              for i in range(len(html.lines))]
    out = _io.StringIO()
    writer = Writer(out, "html", _LABELS)
    writer.write(Page("page.html", html.lines, html=html), labels)
    writer.close()
    text = out.getvalue()
    for path in html.paths:
        assert "DOM: " + path.replace(">", "&gt;") in text
