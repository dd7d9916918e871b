"""The comment-thread rule (classifier/comment_thread.py): which lines are author-and-time
lines, which runs of them are threads, what the rule does to the probabilities, and that the
model and explain apply it. Every page here is written for these tests."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import LABELS, comment_thread as ct
from classifier.explain import explain_page
from classifier.rules import THREAD_CUE
from helpers import verdicts

BODY, BOILER, COMMENT, CB = (LABELS.index(k) for k in ("body", "boilerplate", "comment", "clickbait"))

ARTICLE = [
    "Harbour council votes to rebuild the lighthouse",
    "The harbour council voted on Friday to rebuild the old stone lighthouse, which has stood empty "
    "since the storm of last winter.",
    "Work will start in the spring, and the council expects the lamp to shine again before the end of the year.",
]
THREAD = [
    "by Marta Quill on 9 March 2024 at 10:12 am",                                  # 3
    "About time too, the harbour has felt dark and unsafe every night since the storm.",
    "by Tom Barrow on 9 March 2024 at 1:37 pm",                                     # 5
    "I remember climbing those stairs as a child and I am glad my grandchildren will too.",
    "Reply",
    "by Old Quay Resident on 10 March 2024 at 8:05 am",                             # 8
    "who is paying for all of this, that is what i would like the council to tell us.",
]
THREAD_LABELS = ["boilerplate", "body", "boilerplate", "body", "comment", "boilerplate", "body"]

AR_ARTICLE = [
    "المجلس البلدي يقرر ترميم المنارة القديمة",
    "قرر المجلس البلدي يوم الجمعة ترميم المنارة القديمة في الميناء بعد أن بقيت مهجورة منذ العاصفة "
    "التي ضربت المدينة في الشتاء الماضي.",
]
AR_THREAD = [
    "سمير - منذ 3 ساعات",
    "خطوة جميلة ننتظرها منذ سنوات طويلة وشكرا للمجلس على هذا القرار.",
    "ليلى - منذ 5 ساعات",
    "أتمنى أن يحافظوا على الحجارة القديمة كما كانت في أيام أجدادنا.",
    "كريم - منذ يوم",
    "ومن سيدفع تكاليف الترميم كلها في هذه الظروف الصعبة يا ترى.",
]


@pytest.mark.parametrize("line", [
    "by Marta Quill on 9 March 2024 at 10:12 am", "Posted by: Dan at Jan 17, 2005 5:39:50 PM",
    "Jane Doe says:", "Kelly wrote:", "3 hours ago", "an hour ago", "سمير - منذ 3 ساعات", "08:26",
])
def test_author_and_time_lines(line):
    assert ct.is_meta(line)


@pytest.mark.parametrize("line", [
    "Posted by Jane at 2:26 PM | Comments (5) | TrackBack",  # a post's footer
    "10:12 am | Permalink",
    "Health Policy Plan 2001, 16:113-121.",  # a citation, not a time
    "Sessions 13:30-17:45",
    "The minister says the new bridge will open in the spring after a long delay",  # a headline
    "وماذا عن الصيادين الذين يعيشون من البحيرة منذ عشرات السنين",  # "since", not "ago"
    "خطوة ننتظرها منذ سنوات طويلة",  # "for years": a plural unit with no number
    " ".join(["The council met at 10:30 on Friday and agreed the budget."] * 3),  # a paragraph
])
def test_not_author_and_time_lines(line):
    assert not ct.is_meta(line)


def test_the_scan_finds_exactly_the_lines_the_full_test_accepts():
    """meta_rows' one-scan pre-filter against is_meta on every line of a varied sample."""
    base = ARTICLE + THREAD + AR_ARTICLE + AR_THREAD + ["", "12:30", "x", "Kelly wrote", "a day ago."]
    lines = base + [line.upper() for line in base] + [f"  {line}  " for line in base] + [f"({line})" for line in base]
    assert ct.meta_rows(lines) == [i for i, line in enumerate(lines) if ct.is_meta(line)]
    assert len(ct.meta_rows(lines)) >= 20


def test_a_lone_surrogate_does_not_stop_the_scan():
    """A caller may hand lines the page reader did not clean: the byte scan must not raise."""
    lines = ["Jane \ud800 says:", "3 hours ago \udfff", "plain \ud800 text", "08:26"]
    assert ct.meta_rows(lines) == [i for i, line in enumerate(lines) if ct.is_meta(line)] == [0, 1, 3]


@pytest.mark.parametrize("article,thread,labels", [
    (ARTICLE, THREAD, THREAD_LABELS),
    (AR_ARTICLE, AR_THREAD, ["boilerplate", "body"] * 3),
])
def test_a_thread_after_the_article_becomes_comments(article, thread, labels):
    lines = article + thread + ["© 2024 The Harbour Chronicle"]
    page_labels = ["body"] * len(article) + labels + ["boilerplate"]
    probs = verdicts(page_labels)
    start, end = len(article), len(article) + len(thread)
    assert ct.thread_spans(lines, probs[:, BODY]) == [(start, end)]  # the footer is past one typical gap
    out = ct.apply_threads(probs, lines)
    changed = [i for i in range(len(lines)) if not np.array_equal(out[i], probs[i])]
    assert changed == [i for i in range(start, end) if page_labels[i] in ("body", "boilerplate")]
    assert all(out[i].argmax() == COMMENT and out[i, COMMENT] == pytest.approx(ct.COMMENT_PROBABILITY)
               for i in changed)
    assert all(out[i, [BODY, BOILER, CB]].sum() == pytest.approx(1 - ct.COMMENT_PROBABILITY) for i in changed)


def test_the_thread_ends_one_typical_gap_past_its_last_author_line():
    lines = ARTICLE + THREAD + ["Most read", "Ferry timetable changes for the summer season", "About us"]
    spans = ct.thread_spans(lines, verdicts(["body"] * len(ARTICLE) + THREAD_LABELS + ["boilerplate"] * 3)[:, BODY])
    metas = [3, 5, 8]
    assert spans == [(3, 8 + int(np.median(np.diff(metas))))]


def test_clickbait_and_comment_lines_in_a_thread_keep_their_label():
    lines = ARTICLE + THREAD
    labels = ["body"] * len(ARTICLE) + THREAD_LABELS
    labels[4] = "clickbait"
    probs = verdicts(labels)
    out = ct.apply_threads(probs, lines)
    assert np.array_equal(out[4], probs[4]) and np.array_equal(out[7], probs[7])


def test_one_authors_posts_are_a_blog_not_a_thread():
    posts = []
    for hour in ("9:05 am", "11:48 am", "2:26 pm"):
        posts += [f"Posted by Jane Ferry at {hour}",
                  "we walked along the harbour wall today and watched the boats come in slowly."]
    lines = ARTICLE + posts
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) == []


def test_a_related_list_with_times_is_not_a_thread():
    items = []
    for n, title in ((3, "Ferry Timetable Changes For The Summer Season"), (5, "New Fish Market Opens On The Quay"),
                     (7, "Storm Damage Repairs Finished Ahead Of Schedule")):
        items += [title, f"{n} hours ago",
                  "the council said the work went well and thanked everyone who helped along the way."]
    lines = ARTICLE + items
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) == []


def test_reply_subjects_in_title_case_are_not_headlines():
    """Some forums head each reply with its subject, in title case: "Re: ..." marks a reply."""
    assert ct.is_headline("Ferry Timetable Changes For The Summer Season")
    assert not ct.is_headline("Re: Ferry Timetable Changes For The Summer Season")
    posts = []
    for n, name in enumerate(("marta", "tombarrow", "oldquay")):
        posts += [f"Re:Lighthouse Rebuild Costs (Score:{n + 2}, Interesting)",
                  f"by {name} (1234{n}) on Friday March 08, 2024 @10:1{n}AM",
                  "the council has not said who pays for the new lamp, and i would like to know."]
    lines = ARTICLE + posts
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) != []


NAMED_THREAD = [  # a name on its own line over a bare time; one poster replies twice
    "Marta Quill", "2 hours ago Reply Report",
    "Do you know if the old lamp will go back in, or are they fitting a new one?",
    "Tom Barrow", "3 hours ago Reply Report",
    "I remember climbing those stairs as a child and I am glad my grandchildren will too.",
    "Marta Quill", "3 hours ago Reply Report",
    "We asked the council last year and they said the lamp was beyond repair.",
    "Ann Lee", "5 hours ago Reply Report",
    "Who is paying for all of this? That is what my neighbours keep asking me.",
]


def test_names_on_their_own_lines_make_a_thread_when_the_posts_speak_in_person():
    """Every time line masks to one form, but the name lines above them differ, and the
    posts say "I", "you", "we" or ask: people talking, so a thread."""
    lines = ARTICLE + NAMED_THREAD
    assert len({ct._MASK.sub("0", line.lower()) for line in NAMED_THREAD[1::3]}) == 1
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) != []


def test_a_news_listing_with_section_names_and_times_is_not_a_thread():
    """The same shape in a listing: a time and a section name per item, but the summaries are
    in the third person, and the headlines are in sentence case, so no headline test catches
    them."""
    items = []
    for section, headline, summary in (
            ("Harbour", "Council votes to rebuild the old lighthouse",
             "The harbour council voted on Friday to rebuild the stone lighthouse after the storm."),
            ("Transport", "Ferry timetable changes for the summer season",
             "Boats will leave the quay every hour from June, the operator said in a statement."),
            ("Business", "New fish market opens on the quay",
             "Traders moved into the hall on Monday after two years of building work."),
            ("Weather", "Storm damage repairs finished ahead of schedule",
             "Crews finished the sea wall three weeks early, the county engineer said.")):
        items += [section, "4 hours ago", headline, summary]
    lines = ARTICLE + items
    assert not any(ct.is_headline(line) for line in items)
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) == []
    # the voice test is what decides: the same listing with summaries in the first person reads as posts
    voiced = [f"I think {line[0].lower()}{line[1:]}" if line.endswith(".") else line for line in items]
    assert ct.thread_spans(ARTICLE + voiced, verdicts(["body"] * len(lines))[:, BODY]) != []


def test_posts_headed_by_two_author_lines_count_once():
    """WordPress-style posts: "NAME says:" over a date line, both author-and-time lines. The
    gaps between posts are read, not the empty ones inside a post."""
    posts = []
    for name, hour, text in (("Jane", "3:00 pm", "I walked past the lighthouse today and the scaffolding is already up."),
                             ("Omar", "4:12 pm", "Do you know who won the contract for the new lamp and the glass?"),
                             ("Lee", "6:45 pm", "We used to fish off the rocks below it every summer as children."),
                             ("Ravi", "9:05 pm", "My grandfather kept that light for thirty years and would be proud.")):
        posts += [f"{name} says:", f"December 3, 2008 at {hour}", text]
    lines = ARTICLE + posts
    assert all(ct.is_meta(line) for line in posts[0:2])
    start = len(ARTICLE)
    spans = ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY])
    assert spans == [(start, len(lines))]  # one typical post past the last post's start


@pytest.mark.parametrize("line,voiced", [
    ("I remember climbing those stairs as a child.", True),
    ("Who is paying for all of this, and when will it be finished?", True),
    ("The harbour council voted on Friday to rebuild the stone lighthouse.", False),
    ("Thank you!", False),  # too short to be prose
    ("The US president said on Tuesday that tariffs on steel would rise next month.", False),
    ('The mayor told the meeting "we will rebuild it before the winter" and left early.', False),
    ("What a goal that was from the edge of the box in the last minute!", False),  # a live blog's cheer
    ("أعتقد أن المجلس اتخذ القرار الصحيح بعد سنوات من الانتظار الطويل في المدينة", True),
    ("قرر المجلس البلدي يوم الجمعة ترميم المنارة القديمة في الميناء بعد العاصفة.", False),
])
def test_a_persons_voice(line, voiced):
    assert ct.is_voiced(line) is voiced


def test_author_lines_without_prose_between_are_not_a_thread():
    lines = ARTICLE + ["by Marta Quill on 9 March 2024 at 10:12 am", "Like", "by Tom Barrow on 9 March 2024 at 1:37 pm",
                       "Like", "by Ann Lee on 10 March 2024 at 8:05 am", "Like"]
    assert ct.thread_spans(lines, verdicts(["body"] * len(lines))[:, BODY]) == []


def test_a_thread_before_the_article_is_not_read():
    lines = THREAD + ARTICLE
    assert ct.thread_spans(lines, verdicts(THREAD_LABELS + ["body"] * len(ARTICLE))[:, BODY]) == []


def test_pages_in_one_batch_are_read_one_by_one():
    first = ARTICLE + THREAD
    second = ARTICLE + ["Most read", "About us"]
    labels = ["body"] * len(ARTICLE) + THREAD_LABELS + ["body"] * len(ARTICLE) + ["boilerplate"] * 2
    probs = verdicts(labels)
    rows = ct.thread_rows(probs, first + second, [len(first), len(second)]).tolist()
    assert rows and max(rows) < len(first)
    assert rows == ct.thread_rows(probs[:len(first)], first).tolist()


def _page_text():
    return "\n".join(ARTICLE + [""] + THREAD + ["", "© 2024 The Harbour Chronicle"])


def test_the_model_applies_the_rule_unless_switched_off(with_and_without_rules):
    on, off = with_and_without_rules(_page_text())
    thread = range(len(ARTICLE) + 1, len(ARTICLE) + 1 + len(THREAD))
    moved = [i for i in thread if off[i].label in ("body", "boilerplate")]
    assert moved, "the test needs thread lines the model alone does not call comment"
    assert all(on[i].label == "comment" and on[i].score == pytest.approx(ct.COMMENT_PROBABILITY) for i in moved)
    assert [i for i in thread if on[i] != off[i]] == moved
    outside = [i for i in range(len(on)) if i not in thread and on[i] is not None]
    assert all(on[i].label != "comment" or off[i].label == "comment" for i in outside)


def test_explain_names_the_rule(clf):
    exps = explain_page(clf, _page_text())
    ((_, labels),) = list(clf.label_pages([("p", _page_text())]))
    moved = [e for e in exps if e is not None and any(c.name == THREAD_CUE for c in e.cues)]
    assert moved and all(e.label == "comment" for e in moved)
    assert all(e.probs == pytest.approx(dict(labels[e.line - 1].probs)) for e in moved)


BLOGGER_THREAD = [
    "3 comments:",
    "Marta Quill said...",
    "About time too, the harbour has felt dark and unsafe every night since the storm.",
    "9 March 2024 10:12 AM",
    "Tom Barrow said...",
    "I remember climbing those stairs as a child and I am glad my grandchildren will too.",
    "9 March 2024 1:37 PM",
    "Old Quay Resident said…",
    "who is paying for all of this, that is what i would like the council to tell us.",
    "10 March 2024 8:05 AM",
]


def test_a_blogger_thread_of_name_said_lines_is_a_thread():
    """Blogger heads each comment "NAME said..." and closes it with a bare date and time:
    the dates alone take one form, so the names are what shows different people."""
    lines = ARTICLE + BLOGGER_THREAD
    probs = verdicts(["body"] * len(ARTICLE) + ["boilerplate"] + ["boilerplate", "body", "boilerplate"] * 3)
    assert ct.is_meta("Marta Quill said...") and ct.is_meta("Old Quay Resident said…")
    assert ct.thread_spans(lines, probs[:, BODY]) == [(len(ARTICLE) + 1, len(lines))]


def test_a_log_with_a_time_on_every_line_heads_no_post():
    """A forum's opening post with a build log pasted in three pieces, a time on every line:
    each piece is a run of adjacent time lines, not a post's header, so no thread."""
    stages = ("install", "build", "upload")
    logs = [[f"6:5{k}:{s:02d} AM: {stage} step {s} done" for s in range(5)] for k, stage in enumerate(stages)]
    prose = "Then it fails again and I do not understand why the deploy stops at this point."
    lines = ARTICLE + logs[0] + [prose] + logs[1] + [prose] + logs[2] + [prose]
    probs = verdicts(["body"] * len(lines))
    assert ct.thread_spans(lines, probs[:, BODY]) == []
