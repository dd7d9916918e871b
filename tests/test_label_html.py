"""HTML pages labelled end to end: ``LineClassifier.label_html`` and ``linesift label page.html``,
with a tiny HTML model trained on pages written for the tests (DOM cues as extra columns)."""

from __future__ import annotations

import html as html_escape
import json
import logging
from itertools import groupby

import pytest

import pagegen
from classifier import LineClassifier
from classifier.html import DOM_NAMES, dom_columns, extract, looks_like_html
from helpers import TINY_PARAMS, run_cli

# Where each label's lines sit in the generated HTML: the DOM cues a real page would give.
_CONTAINERS = {
    "boilerplate": ('<nav class="site-menu"><ul>', "</ul></nav>", '<li><a href="/x">{}</a></li>'),
    "body": ('<article class="story-content">', "</article>", "<p>{}</p>"),
    "comment": ('<section id="comments" class="comment-list">', "</section>",
                '<div class="comment-body">{}</div>'),
    "clickbait": ('<aside class="related-posts"><ul>', "</ul></aside>",
                  '<li class="teaser"><a href="/t">{}</a></li>'),
}


def to_html(lines: list[tuple[str, str | None]], *, doctype: bool = True) -> str:
    """A page as HTML: runs of same-label lines inside a container typical of that label."""
    parts = ["<!DOCTYPE html>" if doctype else "", "<html><head><title>t</title>",
             "<style>p { color: red }</style><script>var menu = 'Home';</script></head><body>"]
    for label, run in groupby([(t, lab) for t, lab in lines if lab is not None], key=lambda x: x[1]):
        start, end, item = _CONTAINERS[label]
        parts.append(start + "".join(item.format(html_escape.escape(t)) for t, _ in run) + end)
    parts.append('<div hidden>hidden text</div></body></html>')
    return "\n".join(parts)


def html_records(n: int, seed: int) -> list[dict]:
    out = []
    for rec in pagegen.training_pages(n=n, seed=seed):
        pairs = [(line["text"], line["label"]) for line in rec["lines"]]
        page = extract(to_html(pairs))
        labels = [lab for _, lab in pairs if lab is not None]
        assert page.lines == [t for t, lab in pairs if lab is not None]  # one line per element
        out.append({"page": page, "labels": labels, "host": rec["host"]})
    return out


@pytest.fixture(scope="module")
def html_bundle(tmp_path_factory):
    records = html_records(36, seed=5)
    clf = LineClassifier(n_folds=2, text_params=dict(TINY_PARAMS))
    clf.fit([r["page"].lines for r in records], [r["labels"] for r in records],
            groups=[r["host"] for r in records],
            extra=[dom_columns(r["page"].cues) for r in records], extra_names=DOM_NAMES)
    out = tmp_path_factory.mktemp("html") / "bundle"
    clf.save(out)
    return out


@pytest.fixture
def shipped_html(monkeypatch, html_bundle):
    """The tiny HTML model stands in for the shipped one."""
    monkeypatch.setenv("LINESIFT_HTML_MODEL", str(html_bundle))
    return LineClassifier.load(html_bundle)


def test_looks_like_html_is_strict():
    assert looks_like_html(b"\xef\xbb\xbf  <!-- x --> <!DOCTYPE html><html>")
    assert looks_like_html("<html lang='ar'><body>")
    assert not looks_like_html(b"Home\nThe <b> tag makes text bold.\n")
    assert not looks_like_html(b"")


def test_label_html_uses_the_html_model_and_returns_lines_paths_and_labels(clf, shipped_html):
    rec = html_records(3, seed=77)[1]
    html = to_html(list(zip(rec["page"].lines, rec["labels"])))
    result = clf.label_html(html)
    assert result.lines == rec["page"].lines and result.paths == rec["page"].paths
    assert len(result) == len(result.labels)
    expected = shipped_html.label(rec["page"].lines, extra=dom_columns(rec["page"].cues))
    assert result.labels == expected
    assert all(p.startswith("html>body>") for p in result.paths)
    assert "hidden text" not in result.lines and "var menu = 'Home';" not in result.lines


def test_the_html_model_reads_the_dom(shipped_html):
    """The same lines, with and without their DOM cues, get different scores: the cues are used."""
    rec = html_records(2, seed=78)[0]
    with_dom = shipped_html.label(rec["page"].lines, extra=dom_columns(rec["page"].cues))
    as_text = shipped_html.label(rec["page"].lines)  # plain text: zero cues, has_dom 0
    assert [a.probs["body"] for a in with_dom] != [b.probs["body"] for b in as_text]


def test_html_model_beats_chance_on_heldout_pages(shipped_html):
    records = html_records(6, seed=101)
    right = total = 0
    for r in records:
        labels = shipped_html.label(r["page"].lines, extra=dom_columns(r["page"].cues))
        right += sum(lab.label == gold for lab, gold in zip(labels, r["labels"]))
        total += len(labels)
    assert right / total > 0.9


def test_without_an_html_model_the_text_model_labels_the_lines(clf, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("LINESIFT_HTML_MODEL", str(tmp_path / "missing"))
    rec = html_records(2, seed=79)[0]
    html = to_html(list(zip(rec["page"].lines, rec["labels"])))
    with caplog.at_level(logging.WARNING, logger="classifier"):
        result = clf.label_html(html)
    assert result.labels == clf.label(rec["page"].lines)


def test_label_html_never_raises_on_junk(clf, shipped_html):
    for junk in ("", b"\x00\xff\xfe", "<html><body><div><p>unclosed", "<<<>>>"):
        result = clf.label_html(junk)
        assert len(result.labels) == len(result.lines)


# --- CLI -----------------------------------------------------------------------------------------

def _page_files(tmp_path, n=2, seed=80, doctype=True):
    files = []
    for i, rec in enumerate(html_records(n, seed=seed)):
        path = tmp_path / f"page{i}.html"
        path.write_text(to_html(list(zip(rec["page"].lines, rec["labels"])), doctype=doctype),
                        encoding="utf-8")
        files.append((path, rec))
    return files


def test_cli_detects_html_and_labels_it_like_the_library(tmp_path, model_dir, shipped_html, html_bundle):
    files = _page_files(tmp_path)
    out = run_cli("label", "--model", str(model_dir), "--dom-path", *[str(p) for p, _ in files],
                  env={**__import__("os").environ, "LINESIFT_HTML_MODEL": str(html_bundle)})
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.decode().splitlines()]
    expected = []
    for path, rec in files:
        labels = shipped_html.label(rec["page"].lines, extra=dom_columns(rec["page"].cues))
        expected += [(str(path), lab.line, lab.label, p, t)
                     for lab, p, t in zip(labels, rec["page"].paths, rec["page"].lines)]
    assert [(g["file"], g["line"], g["label"], g["path"], g["text"]) for g in got] == expected
    assert list(got[0]) == ["file", "line", "label", "score", "path", "text"]


def test_cli_input_html_reads_pages_without_a_doctype_and_keeps_order_with_text(
        tmp_path, clf, model_dir, shipped_html, html_bundle, example_texts):
    (html_path, rec), = _page_files(tmp_path, n=1, seed=81, doctype=False)
    html_path.write_text(html_path.read_text(encoding="utf-8").replace("<html>", "<div>", 1),
                         encoding="utf-8")  # starts like no HTML document
    text_path = tmp_path / "page.txt"
    text_path.write_text(example_texts["en_article"], encoding="utf-8")
    env = {**__import__("os").environ, "LINESIFT_HTML_MODEL": str(html_bundle)}
    auto = run_cli("label", "--model", str(model_dir), "--format", "tsv", str(text_path),
                   str(html_path), env=env)
    forced = run_cli("label", "--model", str(model_dir), "--input", "html", "--format", "tsv",
                     str(html_path), env=env)
    assert auto.returncode == 0 and forced.returncode == 0, (auto.stderr, forced.stderr)
    auto_rows = [r.split("\t") for r in auto.stdout.decode().splitlines()[1:]]
    # read as text, the HTML file's first line is markup: plain-text labelling
    assert {r[0] for r in auto_rows} == {str(text_path), str(html_path)}
    assert [r[0] for r in auto_rows] == sorted((r[0] for r in auto_rows),
                                               key=[str(text_path), str(html_path)].index)
    forced_rows = [r.split("\t") for r in forced.stdout.decode().splitlines()[1:]]
    expected = shipped_html.label(rec["page"].lines, extra=dom_columns(rec["page"].cues))
    assert [(r[2], r[4]) for r in forced_rows] == [(lab.label, t) for lab, t in
                                                   zip(expected, rec["page"].lines)]


def test_cli_tsv_dom_path_column(tmp_path, model_dir, html_bundle):
    files = _page_files(tmp_path, n=1, seed=82)
    out = run_cli("label", "--model", str(model_dir), "--format", "tsv", "--dom-path", str(files[0][0]),
                  env={**__import__("os").environ, "LINESIFT_HTML_MODEL": str(html_bundle)})
    assert out.returncode == 0, out.stderr
    header, *rows = out.stdout.decode().splitlines()
    assert header == "file\tline\tlabel\tscore\tpath\ttext"
    assert [r.split("\t")[4] for r in rows] == files[0][1]["page"].paths


def test_cli_warns_once_when_html_bytes_needed_replacement(tmp_path, model_dir, html_bundle):
    page = tmp_path / "bad.html"
    page.write_bytes(b'<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                     b"<body><p>A paragraph with a bad \xff byte.</p><p>Another one.</p></body></html>")
    out = run_cli("label", "--model", str(model_dir), str(page),
                  env={**__import__("os").environ, "LINESIFT_HTML_MODEL": str(html_bundle)})
    assert out.returncode == 0
    assert out.stderr.decode().count("replaced with U+FFFD") == 1
    texts = [json.loads(line)["text"] for line in out.stdout.decode().splitlines()]
    assert texts == ["A paragraph with a bad \ufffd byte.", "Another one."]


def test_label_pages_streams_extracted_html_through_the_html_model(clf, shipped_html):
    records = html_records(4, seed=83)
    htmls = [to_html(list(zip(r["page"].lines, r["labels"]))) for r in records]
    model = clf.html_model()
    got = list(model.label_pages((i, extract(h)) for i, h in enumerate(htmls)))
    assert [i for i, _ in got] == [0, 1, 2, 3]
    for (_, labels), h in zip(got, htmls):
        assert labels == clf.label_html(h).labels


# --- issue 16 item 4, issue 17 item 6: the command line on HTML -----------------------------

def test_utf16_bom_html_file_is_read_as_html_without_input_html(tmp_path):
    import json as _json

    from helpers import run_cli

    page = "<!DOCTYPE html><html><body><p>Hello there, reader.</p></body></html>"
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("utf-16"))  # with its BOM
    proc = run_cli("label", str(path))
    assert proc.returncode == 0, proc.stderr
    records = [_json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["text"] for r in records] == ["Hello there, reader."]


def test_text_format_puts_a_blank_line_between_html_paragraphs(tmp_path):
    from helpers import run_cli

    html = ("<!DOCTYPE html><html><body><p>First paragraph of the article, long enough.</p>"
            "<p>Second paragraph of the article, also long enough.</p></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    proc = run_cli("label", str(path), "-f", "text", "--keep", "body", "--keep", "boilerplate",
                   "--keep", "comment", "--keep", "clickbait")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode() == ("First paragraph of the article, long enough.\n\n"
                                    "Second paragraph of the article, also long enough.\n")
