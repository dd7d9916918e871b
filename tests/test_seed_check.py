"""training.seed_check --against: the lines two bundles label differently."""
from __future__ import annotations

import copy
import dataclasses

import numpy as np

from classifier.settings import LABELS
from training import seed_check


def test_same_model_differs_nowhere_and_a_shifted_one_where_its_labels_move(clf, example_texts, capsys):
    text = example_texts["en_article"]
    assert seed_check.differences(clf, clf, text) == []
    # the same model with its final boilerplate logit raised: lines it called something
    # else and now calls boilerplate are exactly the differences
    shifted = copy.copy(clf)
    second = clf.combiner_.second
    bias = np.zeros(len(LABELS)) if second.class_bias is None else np.array(second.class_bias, float)
    scale = np.ones(len(LABELS)) if second.class_scale is None else second.class_scale
    bias[LABELS.index("boilerplate")] += 3.0
    shifted.combiner_ = dataclasses.replace(clf.combiner_, second=dataclasses.replace(
        second, class_scale=scale, class_bias=bias))
    before, after = clf.label_text(text), shifted.label_text(text)
    expected = [i + 1 for i, (x, y) in enumerate(zip(before, after)) if x is not None and x.label != y.label]
    rows = seed_check.differences(clf, shifted, text)
    assert expected and [r[0] for r in rows] == expected
    assert all(r[2] == "boilerplate" and r[1] != "boilerplate" for r in rows)
    assert all(r[3] == text.splitlines()[r[0] - 1] for r in rows)
    seed_check.print_differences(clf, shifted, [seed_check.EXAMPLES / "en_article.txt"])
    assert f"{len(rows)} line(s) in all" in capsys.readouterr().out
