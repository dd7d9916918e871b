"""Evaluation slices: clickbait scored where composed pages put it (teaser widgets, titles)."""

from __future__ import annotations

import json

import pytest

from classifier.data import read_pages
from classifier.evaluation import evaluate, format_report, prediction_rows


def _row(gold, pred, part=None, lang="en"):
    return {"gold": gold, "pred": pred, "score": 0.9, "lang": lang, "source": "composed",
            "kind": "composed", "recipe": "en_news", "part": part}


def test_by_part_scores_only_the_marked_lines():
    rows = [_row("body", "body")] * 5 + [
        _row("boilerplate", "boilerplate", "teaser en"),
        _row("clickbait", "clickbait", "teaser en"),
        _row("clickbait", "boilerplate", "teaser en"),
        _row("clickbait", "clickbait", "teaser ar", "ar"),
        _row("body", "clickbait", "title ar", "ar"),
    ]
    report = evaluate(rows)
    assert set(report["by_part"]) == {"teaser en", "teaser ar", "title ar"}
    teaser_en = report["by_part"]["teaser en"]
    assert teaser_en["n"] == 3
    # one of two clickbait lines found, no false alarm: P 1, R 0.5
    assert teaser_en["labels"]["clickbait"]["f1"] == pytest.approx(2 / 3)
    assert report["by_part"]["title ar"]["labels"]["clickbait"]["f1"] == 0.0
    text = format_report(report)
    assert "composed part" in text and "teaser ar" in text


def test_a_report_without_parts_has_no_part_table():
    report = evaluate([_row("body", "body"), _row("comment", "boilerplate")])
    assert report["by_part"] == {}
    assert "composed part" not in format_report(report)


def _page(lines):
    return json.dumps({"page_id": "p1", "source": "composed", "composed": True, "lines": lines})


def test_parts_are_read_per_line_and_reach_the_rows(tmp_path, clf):
    path = tmp_path / "pages.jsonl"
    path.write_text(_page([
        {"text": "Harbour council opens the new ferry pier", "label": "body", "part": "title"},
        {"text": "", "label": None},
        {"text": "The pier took two summers to build, the council said on Monday.", "label": "body"},
        {"text": "More from the coast", "label": "boilerplate", "part": "teaser"},
        {"text": "لن تصدق ماذا وجد الصيادون تحت الرصيف!", "label": "clickbait", "part": "teaser"},
    ]) + "\n" + _page([{"text": "Plain page, no parts", "label": "body"}]) + "\n", encoding="utf-8")
    first, second = list(read_pages(path))
    assert first.parts == ("title", None, None, "teaser", "teaser")
    assert second.parts == ()
    rows = prediction_rows(clf, [first, second])
    assert [r["part"] for r in rows] == ["title en", None, "teaser en", "teaser ar", None]


def test_model_card_targets_follow_the_report(tmp_path):
    from training.model_card import _targets_section

    rows = ([_row("body", "body")] * 8 + [_row("boilerplate", "boilerplate")] * 8
            + [_row("clickbait", "clickbait", "teaser en")] * 9 + [_row("clickbait", "boilerplate", "teaser en")]
            + [_row("clickbait", "clickbait", "teaser ar", "ar")] + [_row("clickbait", "boilerplate", "teaser ar", "ar")]
            + [_row("body", "body", None, "ar")] * 4)
    text = _targets_section(evaluate(rows), tmp_path)
    lines = {line.split(" | ")[0].lstrip("| "): line for line in text.splitlines() if line.startswith("| ")}
    assert lines["clickbait F1, teaser widgets, English lines"].endswith("| 0.947 | yes |")
    assert lines["clickbait F1, teaser widgets, Arabic lines"].endswith("| 0.667 | no |")
    assert "body-vs-rest" not in text  # no baselines.json beside this bundle
    assert _targets_section(None, tmp_path) == ""
