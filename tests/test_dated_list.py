"""The dated-list rule (classifier/dated_list.py): which lines are bare dates, which runs of
them are lists of dated headlines, and that only lines the model called comment change.
Every page here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, dated_list as dl
from classifier.explain import explain_page
from classifier.rules import DATED_LIST_CUE
from helpers import verdicts

BOILER, COMMENT = LABELS.index("boilerplate"), LABELS.index("comment")

ARTICLE = [
    "Harbour council votes to rebuild the lighthouse",
    "The harbour council voted on Friday to rebuild the old stone lighthouse, which has stood empty "
    "since the storm of last winter.",
]
EN_LIST = [
    "Related stories",
    "Ferry Timetable Changes For The Summer Season", "March 4, 2024",            # 3, 4
    "New Fish Market Opens On The Quay", "Mon 26 Feb 2024 09:15 GMT",           # 5, 6
    "Storm Damage Repairs Finished Ahead Of Schedule", "February 12, 2024",    # 7, 8
]
AR_LIST = [
    "مواضيع ذات علاقة",
    "الرياض تطلق خدمة جديدة لتصاريح التنقل في المدينة", "الاحد 12 / 04 / 2020 21:29",
    "افتتاح سوق السمك الجديد على رصيف الميناء", "الاثنين 4 / 05 / 2020 12:49",
    "انتهاء أعمال ترميم الجسر القديم قبل موعدها", "الخميس 1 / 11 / 2018 03:45",
]


@pytest.mark.parametrize("line", ["March 4, 2024", "Mon 26 Feb 2024 09:15 GMT", "12/04/2020", "10:12 am",
                                  "الاحد 12 / 04 / 2020 21:29", "25 ديسمبر 2020", "Published: 4 March 2024"])
def test_bare_dates(line):
    assert dl.is_bare_date(line)


@pytest.mark.parametrize("line", ["by Marta Quill on 9 March 2024 at 10:12 am", "March", "2 Comments",
                                  "Ferry Timetable Changes For The Summer Season", "سمير - منذ 3 ساعات",
                                  "Updated March 4, 2024 with a statement from the council"])
def test_not_bare_dates(line):
    assert not dl.is_bare_date(line)


@pytest.mark.parametrize("listing", [EN_LIST, AR_LIST])
def test_the_comment_lines_of_a_dated_list_become_boilerplate(listing):
    lines = ARTICLE + listing
    labels = ["body", "body", "boilerplate"] + ["comment", "comment", "boilerplate", "comment", "comment", "comment"]
    probs = verdicts(labels)
    assert dl.dated_list_spans(lines) == [(2, len(lines))]  # from one typical gap above the first date
    out = dl.apply_dated_lists(probs, lines)
    changed = [i for i in range(len(lines)) if not np.array_equal(out[i], probs[i])]
    assert changed == [i for i, label in enumerate(labels) if label == "comment"]
    assert all(out[i].argmax() == BOILER and out[i, BOILER] == pytest.approx(dl.BOILERPLATE_PROBABILITY)
               for i in changed)


def test_a_thread_of_comments_is_not_a_dated_list():
    """Posts are prose, and their time lines carry their authors' names."""
    thread = ["March 4, 2024", "About time too, the harbour has felt dark and unsafe every night since the storm.",
              "March 5, 2024", "I remember climbing those stairs as a child and I am glad my grandchildren will too.",
              "March 6, 2024", "who is paying for all of this, that is what i would like the council to tell us."]
    lines = ARTICLE + thread
    assert dl.dated_list_spans(lines) == []
    probs = verdicts(["body", "body"] + ["comment"] * len(thread))
    assert dl.apply_dated_lists(probs, lines) is probs


def test_names_above_the_dates_make_a_thread_not_a_list():
    """Short Arabic comments, without capitals or punctuation, look like headlines; the
    author's name just above each date tells the thread."""
    thread = ["سعيد", "18/05/2020", "نسأل الله الشفاء للجميع في هذه الأيام الصعبة",
              "فاطمة", "2013/11/19 20:05", "متى يفتح الجسر الجديد للمشاة والدراجات",
              "كريم", "2020/08/26 16:10", "خبر جميل جدا عن مدينتنا القديمة"]
    lines = ARTICLE + thread
    assert dl.dated_list_spans(lines) == []
    assert dl.dated_list_spans(ARTICLE + AR_LIST) != []  # the same shape without the names is a list


def test_a_page_with_no_comment_is_left_alone():
    lines = ARTICLE + EN_LIST
    probs = verdicts(["body"] * 2 + ["boilerplate"] * len(EN_LIST))
    assert dl.apply_dated_lists(probs, lines) is probs


def test_pages_in_one_batch_are_read_one_by_one():
    first, second = ARTICLE + EN_LIST[:3], EN_LIST[3:] + ARTICLE  # the list cut across two pages
    labels = ["body", "body", "boilerplate", "comment", "comment", "comment", "comment", "comment", "comment",
              "body", "body"]
    probs = verdicts(labels)
    assert dl.dated_list_rows(probs, first + second, [len(first), len(second)]).tolist() == []
    assert dl.dated_list_rows(probs[:9], (ARTICLE + EN_LIST)).tolist() == [3, 4, 5, 6, 7, 8]


def test_explain_names_the_rule(clf, monkeypatch):
    """The tiny model's verdicts on the list are pinned to comment, so the rule has lines to
    move; explain must name it among the cues of those lines and agree with label_pages."""
    from classifier import rules

    real = dl.apply_dated_lists

    def pinned(probs, lines, sizes=None):
        probs = np.array(probs, dtype=np.float64)
        for row, line in enumerate(lines):
            if line in EN_LIST[1:]:
                probs[row] = 0.04
                probs[row, COMMENT] = 0.88
        return real(probs, lines, sizes)

    monkeypatch.setattr(dl, "apply_dated_lists", pinned)
    text = "\n".join(ARTICLE + [""] + EN_LIST)
    exps = explain_page(clf, text, top=20)
    ((_, labels),) = list(clf.label_pages([("p", text)]))
    moved = [e for e in exps if e is not None and e.text in EN_LIST[1:]]
    assert len(moved) == len(EN_LIST) - 1 and DATED_LIST_CUE in [cue for cue, _ in rules.rules()]
    assert all(e.label == "boilerplate" and DATED_LIST_CUE in [c.name for c in e.cues] for e in moved)
    assert all(e.probs == pytest.approx(dict(labels[e.line - 1].probs)) for e in moved)
