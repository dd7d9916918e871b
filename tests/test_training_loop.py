"""The training loop closed (issue 17, item 7): `label --format label` output is the
labelled-pages format that `train` and `evaluate` read, and bad training runs stop early."""

from __future__ import annotations

import json
import time

import pytest
from typer.testing import CliRunner

from classifier import LineClassifier
from classifier.data import read_pages
from helpers import EXAMPLES, tiny_classifier

runner = CliRunner()


def cli(*args):
    from classifier.cli import app

    return runner.invoke(app, [str(a) for a in args])


def test_label_format_reads_back_as_labelled_pages(model_dir, clf, tmp_path, example_texts):
    out = cli("label", "--model", model_dir, "-f", "label", EXAMPLES / "en_article.txt",
              EXAMPLES / "mixed_page.html")
    assert out.exit_code == 0
    path = tmp_path / "labelled.jsonl"
    path.write_text(out.stdout, encoding="utf-8")
    text_page, html_page = read_pages(path)
    labels = clf.label_text(example_texts["en_article"])
    assert text_page.labels == [None if lab is None else lab.label for lab in labels]
    assert text_page.lines == example_texts["en_article"].split("\n")[:len(labels)]
    assert html_page.lines == clf.label_html((EXAMPLES / "mixed_page.html").read_bytes()).lines
    first = json.loads(out.stdout.splitlines()[1])["lines"][0]
    assert set(first) == {"text", "label", "score", "path"}     # the DOM path, for the corrector


def test_corrected_labels_change_what_evaluate_scores(model_dir, tmp_path):
    records = [json.loads(line) for line in cli("label", "--model", model_dir, "-f", "label",
                                                EXAMPLES / "en_article.txt").stdout.splitlines()]
    path = tmp_path / "corrected.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    as_labelled = cli("evaluate", "--model", model_dir, path, "--json", tmp_path / "a.json")
    assert as_labelled.exit_code == 0
    assert json.loads((tmp_path / "a.json").read_text())["overall"]["accuracy"] == 1.0
    for line in records[0]["lines"]:   # a person corrects: every labelled line is body
        if line["label"] is not None:
            line["label"] = "body" if line["label"] != "body" else "boilerplate"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    cli("evaluate", "--model", model_dir, path, "--json", tmp_path / "b.json")
    assert json.loads((tmp_path / "b.json").read_text())["overall"]["accuracy"] == 0.0


def test_train_on_label_output_and_out_needs_force(tmp_path):
    out = tmp_path / "model"
    data = EXAMPLES / "labelled_pages.jsonl"
    first = cli("train", data, "--out", out)
    assert first.exit_code == 0, first.stderr
    (out / "stray.txt").write_text("mine", encoding="utf-8")
    before = (out / "manifest.json").read_bytes()
    import classifier.model as model_module

    def no_training(*args, **kwargs):
        raise AssertionError("trained before refusing the existing --out")

    original = model_module.LineClassifier.fit
    model_module.LineClassifier.fit = no_training            # refused before any training
    try:
        again = cli("train", data, "--out", out)
    finally:
        model_module.LineClassifier.fit = original
    assert again.exit_code == 2 and "--force" in again.stderr
    assert (out / "manifest.json").read_bytes() == before
    forced = cli("train", data, "--out", out, "--force")
    assert forced.exit_code == 0
    assert LineClassifier.load(out).manifest_["training"]["pages"] == 3
    assert (out / "stray.txt").read_text(encoding="utf-8") == "mine"   # only bundle files replaced


def test_single_label_data_is_refused_before_training(tmp_path):
    page = {"page_id": "p", "lines": [{"text": f"line {i}", "label": "body"} for i in range(30)]}
    path = tmp_path / "one_label.jsonl"
    path.write_text("".join(json.dumps({**page, "page_id": f"p{i}"}) + "\n" for i in range(8)))
    result = cli("train", path, "--out", tmp_path / "m")
    assert result.exit_code == 1 and "at least two labels" in result.stderr
    assert not (tmp_path / "m").exists()
    with pytest.raises(ValueError, match="one label only"):
        tiny_classifier().fit([["a", "b"], ["c"], ["d"]], [["body", "body"], ["body"], ["body"]])
