"""``python -m training.compare``: bundles side by side on a corpus's dev and test splits."""

from __future__ import annotations

import gzip

import pagegen
from classifier.data import read_all
from classifier.evaluation import evaluate, prediction_rows
from training import compare


def _corpus(tmp_path, training_records, heldout_records):
    for split, records in (("dev", training_records[:4]), ("test", heldout_records)):
        plain = tmp_path / f"{split}.jsonl"
        pagegen.write_jsonl(plain, records)
        (tmp_path / f"{split}.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
        plain.unlink()
    return tmp_path


def test_one_row_per_bundle_with_the_evaluation_scores(tmp_path, capsys, model_dir, clf,
                                                       training_records, heldout_records):
    corpus = _corpus(tmp_path, training_records, heldout_records)
    assert compare.main([str(model_dir), str(model_dir), "--corpus", str(corpus)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("| model | dev macro | test macro")
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    assert len(rows) == 2 and rows[0] == rows[1]  # the same bundle twice scores the same
    expected = {s: evaluate(prediction_rows(clf, list(read_all([corpus / f"{s}.jsonl.gz"]))))
                for s in ("dev", "test")}
    assert rows[0][0] == str(model_dir)
    assert rows[0][1] == f"{expected['dev']['overall']['macro_f1']:.4f}"
    assert rows[0][2] == f"{expected['test']['overall']['macro_f1']:.4f}"
    assert len(rows[0]) == 1 + len(compare.COLUMNS)
