"""The label audit's estimates (training/label_audit.py): body F1 of the model and of the
source labels against the guide, from each confusion cell's size and its share of lines
the guide calls body. Made-up judgements; no ../shared needed."""

from __future__ import annotations

import pytest

from training import label_audit

POP = {"tp": 800, "fp": 100, "fn": 200}


def test_when_the_guide_agrees_with_the_source_labels_nothing_moves():
    e = label_audit.estimates(POP, {"tp": 1.0, "fp": 0.0, "fn": 1.0})
    assert e["source_vs_guide"] == pytest.approx(1.0)
    assert e["model_vs_guide"] == pytest.approx(e["model_vs_source"]) == pytest.approx(1600 / 1900)


def test_when_the_guide_agrees_with_the_model_the_source_labels_carry_the_errors():
    e = label_audit.estimates(POP, {"tp": 1.0, "fp": 1.0, "fn": 0.0})
    assert e["model_vs_guide"] == pytest.approx(1.0)
    assert e["source_vs_guide"] == pytest.approx(e["model_vs_source"])


def test_a_split_decision_is_counted_by_hand():
    # guide body: tp 720, fp 50, fn 100
    e = label_audit.estimates(POP, {"tp": 0.9, "fp": 0.5, "fn": 0.5})
    m_tp, m_fp, m_fn = 770, 900 - 770, 100
    s_tp, s_fp, s_fn = 820, 1000 - 820, 50
    assert e["model_vs_guide"] == pytest.approx(2 * m_tp / (2 * m_tp + m_fp + m_fn))
    assert e["source_vs_guide"] == pytest.approx(2 * s_tp / (2 * s_tp + s_fp + s_fn))


def test_score_reads_the_judgement_file_and_brackets_the_estimate(tmp_path):
    rows = ["# population: tp=800 fp=100 fn=200",
            "# page_id\tline\tsource\tcell\tsource_label\tmodel_label\tguide_label\tconfidence"]
    judged = [("tp", "body")] * 9 + [("tp", "boilerplate")] + [("fp", "body")] * 5 + [("fp", "comment")] * 5 \
        + [("fn", "body")] * 5 + [("fn", "boilerplate")] * 5
    for k, (cell, guide) in enumerate(judged):
        rows.append(f"dragnet/{k}\t{k}\tdragnet\t{cell}\tx\ty\t{guide}\t{'sure' if k % 2 else 'unsure'}")
    path = tmp_path / "audit.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = label_audit.score(path, rounds=200)
    assert result["judged"] == {"tp": 10, "fp": 10, "fn": 10}
    assert result["guide_body_share"] == pytest.approx({"tp": 0.9, "fp": 0.5, "fn": 0.5})
    point, lo, hi = result["estimates"]["source_vs_guide"]
    assert point == pytest.approx(label_audit.estimates(POP, {"tp": 0.9, "fp": 0.5, "fn": 0.5})["source_vs_guide"])
    assert lo < point < hi
    assert label_audit.score(path, rounds=10, sure_only=True)["judged"] == {"tp": 5, "fp": 5, "fn": 5}


def test_a_cell_without_judgements_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "audit.tsv"
    path.write_text("# population: tp=8 fp=1 fn=2\nd/1\t1\tdragnet\ttp\tbody\tbody\tbody\tsure\n", encoding="utf-8")
    with pytest.raises(ValueError, match="none in fp, fn"):
        label_audit.score(path)
    assert label_audit.main(["score", "--judgements", str(path)]) == 1
    assert "none in fp, fn" in capsys.readouterr().err
