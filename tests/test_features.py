"""classifier.features.layout_features: pure functions on small handcrafted pages."""

import math

import numpy as np
import pytest

from classifier import settings
from classifier.features import LAYOUT_NAMES, layout_features
from classifier.page import is_blank
from classifier.resources import load_resources

RES = load_resources()


def feats(page: list[str]) -> dict[str, np.ndarray]:
    """Columns by name for the non-blank lines of ``page`` (blank lines given as '')."""
    positions = np.array([i for i, line in enumerate(page) if not is_blank(line)], dtype=np.int64)
    lines = [page[i] for i in positions]
    matrix = layout_features(lines, positions, len(page), RES)
    assert matrix.shape == (len(lines), len(LAYOUT_NAMES))
    assert np.isfinite(matrix).all()
    return {name: matrix[:, j] for j, name in enumerate(LAYOUT_NAMES)}


def one(line: str, name: str) -> float:
    return float(feats([line])[name][0])


def test_names_are_unique_and_match_the_matrix():
    assert len(set(LAYOUT_NAMES)) == len(LAYOUT_NAMES)
    assert layout_features(["x"], np.array([0]), 1, RES).shape[1] == len(LAYOUT_NAMES)


def test_empty_page_gives_an_empty_matrix():
    out = layout_features([], np.array([], dtype=np.int64), 3, RES)
    assert out.shape == (0, len(LAYOUT_NAMES))


def test_share_of_scripts():
    f = feats(["افتتاح محمية جديدة للطيور", "A new bird reserve opens", "Reserve محمية"])
    assert f["share_arabic"][0] == pytest.approx(1.0)
    assert f["share_latin"][0] == pytest.approx(0.0)
    assert f["share_arabic"][1] == pytest.approx(0.0)
    assert f["share_latin"][1] == pytest.approx(1.0)
    assert 0.3 < f["share_arabic"][2] < 0.7
    assert f["first_arabic"].tolist() == [1.0, 0.0, 0.0]


def test_page_share_arabic_is_the_same_on_every_line():
    f = feats(["عربي", "Latin"])
    assert f["page_share_arabic"][0] == f["page_share_arabic"][1]
    assert 0.0 < f["page_share_arabic"][0] < 1.0


@pytest.mark.parametrize("line, full_stop, ellipsis, question", [
    ("The council met on Friday.", 1, 0, 0),
    ("The council met on Friday.   ", 1, 0, 0),     # trailing spaces do not count
    ("Read what happened next...", 0, 1, 0),
    ("Read what happened next\u2026", 0, 1, 0),
    ("Is this the end?", 0, 0, 1),
    ("هل انتهى الأمر؟", 0, 0, 1),
    ("اختتم المؤتمر أعماله\u06d4", 1, 0, 0),           # Arabic full stop
    ("Home", 0, 0, 0),
])
def test_terminal_punctuation(line, full_stop, ellipsis, question):
    f = feats([line])
    assert f["last_full_stop"][0] == full_stop
    assert f["last_ellipsis"][0] == ellipsis
    assert f["last_exclaim_question"][0] == question


@pytest.mark.parametrize("page", [["..", "Next line"], ["The end.", ".."], ["a.", ".", "x"]])
def test_a_short_run_of_dots_does_not_borrow_dots_from_the_line_before(page):
    f = feats(page)
    assert not f["last_ellipsis"].any()


@pytest.mark.parametrize("line, bullet", [
    ("\u2022 First item", 1), ("- dash item", 1), ("\u00bb next page", 1), ("* star", 1),
    ("   \u2022 indented bullet", 1), ("Plain line", 0), ("42 items", 0), ("\u0623\u062e\u0628\u0627\u0631", 0),
])
def test_first_bullet(line, bullet):
    assert one(line, "first_bullet") == bullet


def test_indent_is_measured():
    f = feats(["    four spaces", "none"])
    assert f["indent"].tolist() == [4.0, 0.0]


@pytest.mark.parametrize("line, expected", [
    ("Published 12 March 2024", 1),
    ("2024-03-12", 1),
    ("12/03/2024 at noon", 1),
    ("الثلاثاء 12 مارس 2024", 1),
    ("Friday", 1),
    ("The council approved the plan", 0),
    ("Version 3 of the plan", 0),
])
def test_has_date(line, expected):
    assert one(line, "has_date") == expected


def test_has_time_and_year():
    f = feats(["Updated 10:45 GMT", "No clock here", "Founded in 2019"])
    assert f["has_time"].tolist() == [1.0, 0.0, 0.0]
    assert f["has_year"].tolist() == [0.0, 0.0, 1.0]


@pytest.mark.parametrize("line, expected", [
    ("Write to letters@fenwick-chronicle.example", 1),
    ("Contact: news.desk+tips@example.org today", 1),
    ("Follow @chronicle on social media", 0),
    ("An ordinary sentence.", 0),
])
def test_has_email(line, expected):
    assert one(line, "has_email") == expected


def test_has_url():
    f = feats(["See https://www.example.com/story.html", "No link in this one"])
    assert f["has_url"].tolist() == [1.0, 0.0]


def test_counter_pattern():
    f = feats(["عدد القراءات (57)", "Comments [12]", "Chapter 57"])
    assert f["has_counter"].tolist() == [1.0, 1.0, 0.0]


def test_stopword_density_by_language():
    f = feats(["the cat is on the mat and it is there", "وقال إن المشروع في المدينة هو من أهم",
               "Facebook Twitter WhatsApp"])
    assert f["stop_en"][0] > 0.5
    assert f["stop_ar"][0] < f["stop_en"][0]
    assert f["stop_ar"][1] > 0.3
    assert f["stop_en"][1] == 0.0
    assert f["stop_en"][2] == 0.0 and f["stop_ar"][2] == 0.0


def test_arabic_stopwords_do_not_fire_on_english():
    assert one("the cat and the dog went to the park in a van", "stop_ar") == 0.0


def test_gaps_count_blank_lines_around_each_line():
    page = ["", "first", "", "", "second", "third", "", "", "", "", "", "", "", "fourth", ""]
    f = feats(page)
    assert f["gap_before"].tolist() == [1.0, 2.0, 0.0, 5.0]   # capped at 5
    assert f["gap_after"].tolist() == [2.0, 0.0, 5.0, 1.0]
    assert f["block_size"].tolist() == pytest.approx([math.log1p(1), math.log1p(2),
                                                      math.log1p(2), math.log1p(1)])


def test_whitespace_only_lines_count_as_gaps():
    f = feats(["a", "   ", "\t", "b"])
    assert f["gap_after"][0] == 2.0 and f["gap_before"][1] == 2.0


def test_repeats_in_page_ignores_case_and_outer_spaces():
    f = feats(["Reply", "A comment.", "Reply", " reply ", "Another comment."])
    expected = math.log1p(2)
    assert f["repeats_in_page"].tolist() == pytest.approx([expected, 0, expected, expected, 0])
    assert f["repeat_first"].tolist() == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_a_huge_line_is_read_only_up_to_the_cap_but_its_length_is_known():
    n = 1_000_000
    f = feats(["Home", "word " * (n // 5), "Footer"])
    assert f["log_chars"][1] == pytest.approx(math.log1p(n), rel=1e-6)
    assert f["log_chars_read"][1] == pytest.approx(math.log1p(settings.MAX_FEATURE_CHARS), rel=1e-6)
    # the capped read is what the counts see: its words, not a million characters' worth
    assert f["log_words"][1] <= math.log1p(settings.MAX_FEATURE_CHARS)
    assert f["len_vs_page_max"][1] == pytest.approx(1.0)


def test_bidi_zero_width_control_and_replacement_counts():
    f = feats(["\u202eevil\u202c text \u200f", "zero\u200bwidth\u200c\u200d", "nul\x00 and \x01",
               "bad \ufffd byte", "plain"])
    assert f["n_bidi"].tolist()[0] == pytest.approx(math.log1p(3))
    assert f["n_zero_width"].tolist()[1] == pytest.approx(math.log1p(3))
    assert f["n_control"].tolist()[2] == pytest.approx(math.log1p(2))
    assert f["n_replacement"].tolist()[3] == pytest.approx(math.log1p(1))
    for name in ("n_bidi", "n_zero_width", "n_control", "n_replacement"):
        assert f[name][4] == 0.0


def test_characters_outside_the_bmp_do_not_break_counting():
    f = feats(["\U0001F600\U0001F4F0 news", "ok"])
    assert f["log_chars"][0] == pytest.approx(math.log1p(7))


def test_upper_case_share_and_copyright():
    f = feats(["SHOCKING NEWS TODAY", "calm words", "\u00a9 2024 The Chronicle"])
    assert f["share_upper"].tolist()[:2] == pytest.approx([1.0, 0.0])
    assert f["n_legal"].tolist() == pytest.approx([0, 0, math.log1p(1)])


def test_context_columns_copy_the_neighbours_cues():
    f = feats(["a", "bb bb", "ccc ccc ccc"])
    assert f["log_chars@-1"].tolist() == pytest.approx([-1.0, f["log_chars"][0], f["log_chars"][1]])
    assert f["log_chars@+1"].tolist() == pytest.approx([f["log_chars"][1], f["log_chars"][2], -1.0])
    assert f["log_chars@+2"].tolist() == pytest.approx([f["log_chars"][2], -1.0, -1.0])


def test_features_are_pure():
    page = ["Home", "", "عنوان", "A paragraph of text.", "", "\u00a9 2024"]
    a, b = feats(page), feats(page)
    for name in LAYOUT_NAMES:
        assert np.array_equal(a[name], b[name]), name


def test_newline_inside_a_given_line_does_not_shift_other_lines():
    # label(lines) may be handed lines with embedded line ends; counts must stay per line
    f = feats(["two\nparts", "third"])
    assert f["log_chars"].tolist() == pytest.approx([math.log1p(9), math.log1p(5)])
    assert f["log_words"].tolist() == pytest.approx([math.log1p(2), math.log1p(1)])
