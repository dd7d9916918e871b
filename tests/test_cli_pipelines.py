"""The CLI in pipelines (issue 17, items 4 and 9): gzip input, record keys, page records,
probabilities, score thresholds, page boundaries, and the small flags people reach for."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from classifier import LABELS, __version__
from classifier.io import PAGE_SEPARATOR
from helpers import EXAMPLES

runner = CliRunner()
PAGES = [
    {"doc": "p1", "url": "https://news.example/a", "lang": "en",
     "body": (EXAMPLES / "en_article.txt").read_text(encoding="utf-8")},
    {"doc": "p2", "url": "https://news.example/b", "lang": "ar",
     "body": (EXAMPLES / "ar_article.txt").read_text(encoding="utf-8")},
]


def cli(*args, input=None):
    from classifier.cli import app

    return runner.invoke(app, list(args), input=input)


def label(model_dir, *args, input=None):
    return cli("label", "--model", str(model_dir), *args, input=input)


def jsonl(records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


@pytest.fixture
def crawl(tmp_path):
    plain = tmp_path / "crawl.jsonl"
    plain.write_bytes(jsonl({"id": r["doc"], "text": r["body"], "url": r["url"]} for r in PAGES))
    packed = tmp_path / "crawl.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    return plain, packed


def test_gzipped_jsonl_file_and_stdin_read_like_plain(model_dir, crawl):
    plain, packed = crawl
    expected = label(model_dir, "-i", "jsonl", str(plain))
    assert expected.exit_code == 0 and expected.stdout
    assert label(model_dir, "-i", "jsonl", str(packed)).stdout == expected.stdout
    piped = label(model_dir, "-i", "jsonl", "-", input=packed.read_bytes())
    assert piped.exit_code == 0 and piped.stdout == expected.stdout


def test_gzipped_text_file_and_a_damaged_one(model_dir, tmp_path):
    text = (EXAMPLES / "en_article.txt").read_bytes()
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(text))
    (tmp_path / "bad.txt.gz").write_bytes(gzip.compress(text)[:40])
    good = label(model_dir, str(EXAMPLES / "en_article.txt"))
    result = label(model_dir, str(tmp_path / "bad.txt.gz"), str(tmp_path / "page.txt.gz"))
    assert result.exit_code == 1 and "bad.txt.gz: damaged gzip stream" in result.stderr
    assert result.stdout == good.stdout.replace(str(EXAMPLES / "en_article.txt"),
                                                str(tmp_path / "page.txt.gz"))


def test_text_key_and_id_key(model_dir, tmp_path, clf):
    path = tmp_path / "c.jsonl"
    path.write_bytes(jsonl(PAGES))
    result = label(model_dir, "-i", "jsonl", "--text-key", "body", "--id-key", "doc", str(path))
    assert result.exit_code == 0
    files = {json.loads(line)["file"] for line in result.stdout.splitlines()}
    assert files == {"p1", "p2"}
    wrong = label(model_dir, "-i", "jsonl", str(path))   # default key "text" is missing
    assert wrong.exit_code == 1 and 'field "text"' in wrong.stderr and "--text-key" in wrong.stderr
    refused = label(model_dir, "--text-key", "body", str(EXAMPLES / "en_article.txt"))
    assert refused.exit_code == 2 and "needs --input jsonl" in refused.stderr


def test_pages_format_one_record_per_page_with_fields_text_and_counts(model_dir, tmp_path, clf):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(PAGES)))
    result = label(model_dir, "-i", "jsonl", "--text-key", "body", "--id-key", "doc",
                   "-f", "pages", "--keep", "body,comment", str(path))
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["doc"] for r in out] == ["p1", "p2"]
    for record, page in zip(out, PAGES):
        assert record["url"] == page["url"] and record["lang"] == page["lang"]
        assert record["body"] == clf.clean(page["body"], keep={"body", "comment"})
        labels = clf.label_text(page["body"])
        counts = {lab: sum(1 for x in labels if x and x.label == lab) for lab in LABELS}
        summary = record["linesift"]
        assert summary["lines"] == counts
        assert summary["kept"] == counts["body"] + counts["comment"]
        assert summary["dropped"] == {"boilerplate": counts["boilerplate"], "clickbait": counts["clickbait"]}
        scores = [x.score for x in labels if x]
        assert summary["mean_score"] == pytest.approx(sum(scores) / len(scores), abs=1e-4)
    text_input = label(model_dir, "-f", "pages", str(EXAMPLES / "en_article.txt"))
    record = json.loads(text_input.stdout)
    assert record["id"] == str(EXAMPLES / "en_article.txt")
    assert record["text"] == clf.clean(PAGES[0]["body"])


def test_min_score_and_probs(model_dir, clf):
    path = str(EXAMPLES / "en_article.txt")
    labels = [x for x in clf.label_text(PAGES[0]["body"]) if x]
    threshold = sorted(x.score for x in labels)[len(labels) // 2]
    result = label(model_dir, "--min-score", str(threshold), "--probs", path)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["line"] for r in out] == [x.line for x in labels if x.score >= threshold]
    for r in out:
        assert list(r["probs"]) == list(LABELS) and abs(sum(r["probs"].values()) - 1) < 1e-3
        assert r["probs"][r["label"]] == r["score"]
    tsv = label(model_dir, "-f", "tsv", "--probs", path).stdout.splitlines()
    assert tsv[0] == "file\tline\tlabel\tscore\tp_body\tp_boilerplate\tp_comment\tp_clickbait\ttext"
    assert len(tsv) == len(labels) + 1 and all(len(row.split("\t")) == 9 for row in tsv[1:])
    pages = json.loads(label(model_dir, "-f", "pages", "--min-score", "1.0", path).stdout)
    assert pages["text"] == "" and pages["linesift"]["kept"] == 0
    assert pages["linesift"]["below_min_score"] == sum(x.label == "body" for x in labels)
    assert label(model_dir, "-f", "text", "--probs", path).exit_code == 2


def test_text_format_keeps_page_boundaries(model_dir, clf, tmp_path, crawl):
    plain, _ = crawl
    result = label(model_dir, "-i", "jsonl", "-f", "text", str(plain))
    pages = result.stdout.split(PAGE_SEPARATOR + "\n")
    assert pages == [clf.clean(p["body"]) + "\n" for p in PAGES]
    out = tmp_path / "out"
    result = label(model_dir, "-i", "jsonl", "-f", "text", "--output-dir", str(out), str(plain))
    assert result.exit_code == 0 and result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["p1.txt", "p2.txt"]
    assert (out / "p2.txt").read_text(encoding="utf-8") == clf.clean(PAGES[1]["body"]) + "\n"
    assert label(model_dir, "-f", "jsonl", "--output-dir", str(out)).exit_code == 2


def test_keep_takes_a_comma_list(model_dir):
    path = str(EXAMPLES / "en_article.txt")
    assert (label(model_dir, "--keep", "body,comment", path).stdout
            == label(model_dir, "--keep", "body", "--keep", "comment", path).stdout)
    bad = label(model_dir, "--keep", "body,headline", path)
    assert bad.exit_code == 2 and "headline" in bad.stderr


def test_version():
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout == f"linesift {__version__}\n"


def test_info_is_readable_text_and_json(model_dir, tmp_path):
    text = cli("info", "--model", str(model_dir))
    assert text.exit_code == 0
    assert "labels:      body, boilerplate, comment, clickbait" in text.stdout
    assert "{" not in text.stdout                       # no raw JSON for people
    facts = json.loads(cli("info", "--model", str(model_dir), "--json").stdout)
    assert facts["labels"] == list(LABELS) and "combiner.npz" in facts["files"]


def test_shipped_info_summarises_training_and_quality():
    result = cli("info")
    assert result.exit_code == 0
    assert "trained on:  train: " in result.stdout and "macro-F1" in result.stdout
    assert "build/" not in result.stdout                # the build command's paths stay out


def test_site_key_naming_a_missing_field_warns(model_dir, crawl):
    plain, _ = crawl
    result = label(model_dir, "-i", "jsonl", "--site-key", "host", str(plain))
    assert result.exit_code == 0
    assert result.stderr.count('no field "host" (--site-key)') == 1
    assert result.stdout == label(model_dir, "-i", "jsonl", str(plain)).stdout


def test_input_html_on_a_text_file_warns(model_dir):
    result = label(model_dir, "-i", "html", str(EXAMPLES / "en_article.txt"))
    assert result.exit_code == 0 and "does not start like an HTML document" in result.stderr
    quiet = label(model_dir, "-i", "html", str(EXAMPLES / "mixed_page.html"))
    assert "warning" not in quiet.stderr
