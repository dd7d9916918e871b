"""The array shortcuts of ``classifier.features`` against the plain code they stand in for.

* ``_word_cue_counts`` (tokens packed into numeric keys, looked up in a hash table) against
  ``re.findall(r"\\w+")`` and a dictionary lookup per token, on the lower-cased text and on
  the table-lowered original (the path taken when no character is special);
* ``_WordTable.lowered`` (lower-casing character by character) against ``str.lower``;
* ``_pattern_candidates`` against the regular expressions themselves;
* the whitespace marked in the character codes against ``str.isspace``, and the indent and
  stripped lengths taken with them against ``str.lstrip``/``str.rstrip``;
* the repetition cues (texts compared only where a fingerprint says they may be equal)
  against a dictionary of every line's stripped, lower-cased text;
* ``score_features_batch`` against ``score_features`` page by page, bit for bit.
"""

from __future__ import annotations

import re
from itertools import pairwise

import numpy as np
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from classifier import settings
from classifier.features import (
    _CODED_OF,
    _EMAIL,
    _STRIP_BIT,
    _WORD_BITS,
    LAYOUT_NAMES,
    PATTERNS,
    Resources,
    _bit_counts,
    _cut_lines,
    _pattern_candidates,
    _strip_lengths,
    _word_cue_counts,
    code_points,
    layout_features,
    layout_features_batch,
    score_features,
    score_features_batch,
)
from classifier.resources import load_resources

RES = load_resources()
TABLE = RES.word_table
HSETTINGS = hsettings(max_examples=150, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- text ------------------------------------------------------------------------------------

CUE_WORDS = sorted(RES.word_bits)
TRICKY = ["İstanbul", "ΣΟΦΟΣ σ", "ß ẞ ﬁ", "a\u0301b", "\U0001F600x", "\ud800", "１２ fullwidth",
          "१२/३/४", "12:30", "١٢:٣٠", "(5) [ 7 ]", "a.b@c.org", "@x.y", "1.2.3", "the_of",
          "international internationally internationa", "approximately", "the", "THE", "Of"]
chars = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from(" \t\n.,:/-()[]@_'\u00a0\u200b\u0130\u03a3\u03c3\u0301١٢0123456789"),
    st.sampled_from("abcdefghijklmnopqrstuvwxyzTHEOF ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
)
word_or_noise = st.one_of(st.sampled_from(CUE_WORDS), st.sampled_from(TRICKY),
                          st.text(chars, max_size=12), st.sampled_from(CUE_WORDS).map(str.upper))
line_st = st.lists(word_or_noise, max_size=10).flatmap(
    lambda words: st.sampled_from([" ", "  ", ",", "-", "", "\t"]).map(lambda sep: sep.join(words)))
lines_st = st.lists(line_st.map(lambda s: s.replace("\n", " ")), min_size=1, max_size=8)


def oracle_word_cues(lines: list[str], word_bits: dict[str, int]):
    n_tokens, counts = [], []
    for line in "\n".join(lines).lower().split("\n"):
        tokens = re.findall(r"\w+", line)
        n_tokens.append(len(tokens))
        codes = [word_bits.get(t, 0) for t in tokens]
        counts.append([sum(c >> b & 1 for c in codes) for b in range(len(_WORD_BITS))])
    return np.array(n_tokens), np.array(counts).reshape(len(lines), len(_WORD_BITS))


def fast_word_cues(lines: list[str], table=TABLE, lowered: bool = False):
    joined = "\n".join(lines)
    if lowered:  # the original text, lower-cased by the table
        cps = code_points(joined)
        digits = table.lowered(cps)
        assert not (len(cps) and digits.max() == table.special)
    else:
        cps = code_points(joined.lower())
        digits = table.digits(cps)
    return _word_cue_counts(digits, np.flatnonzero(cps == 10), len(lines), table)[:2]


def is_special(text: str) -> bool:
    cps = code_points(text)
    return bool(len(cps)) and TABLE.lowered(cps).max() == TABLE.special


# --- word cues -------------------------------------------------------------------------------

@HSETTINGS
@given(lines_st)
@example(["the of and", "THE Of", "", "  "])
@example(["approximately international professional", "internationally approximatelyx"])
@example(["1990 2040 2041 january jan 12:30 am", "www http com", "في من على إلى"])
@example(["İstanbul the", "ΣΟΦΟΣ the"])
def test_word_cue_counts_equal_a_dictionary_lookup_per_token(lines):
    n_tokens, counts = oracle_word_cues(lines, RES.word_bits)
    fast_tokens, fast_counts = fast_word_cues(lines)
    assert np.array_equal(fast_tokens, n_tokens)
    assert np.array_equal(fast_counts, counts)
    if not is_special("\n".join(lines)):
        fast_tokens, fast_counts = fast_word_cues(lines, lowered=True)
        assert np.array_equal(fast_tokens, n_tokens)
        assert np.array_equal(fast_counts, counts)


@hsettings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.text(chars, min_size=1, max_size=20).filter(lambda w: "\n" not in w),
                min_size=1, max_size=40), lines_st)
def test_any_word_list(words, lines):
    """Other word lists: long words, words sharing a hash slot or a prefix, non-word words."""
    res = Resources(stop_en=frozenset(w.lower() for w in words), stop_ar=frozenset(words))
    lines = lines + [" ".join(words), " ".join(words).upper()]
    n_tokens, counts = oracle_word_cues(lines, res.word_bits)
    fast_tokens, fast_counts = fast_word_cues(lines, res.word_table)
    assert np.array_equal(fast_tokens, n_tokens)
    assert np.array_equal(fast_counts, counts)


def test_a_large_alphabet_gets_wider_digits():
    words = frozenset(chr(0x4E00 + i) * 3 for i in range(300))  # 300 letters: uint16 digits
    res = Resources(stop_en=words, stop_ar=frozenset())
    lines = [" ".join(sorted(words)[:50]), "一一 一一一 一一一一", "x"]
    assert res.word_table.special == 0xFFFF
    n_tokens, counts = oracle_word_cues(lines, res.word_bits)
    fast_tokens, fast_counts = fast_word_cues(lines, res.word_table)
    assert np.array_equal(fast_tokens, n_tokens) and np.array_equal(fast_counts, counts)


def test_words_that_share_a_hash_slot_are_all_found():
    shared = [w for w in np.unique(TABLE.groups) if w < TABLE.n_words]
    assert shared  # the shipped lists have some
    words = [w for w in CUE_WORDS if "\n" not in w]
    lines = [" ".join(words), " ".join(w.upper() for w in words), " ".join(reversed(words))]
    n_tokens, counts = oracle_word_cues(lines, RES.word_bits)
    fast_tokens, fast_counts = fast_word_cues(lines)
    assert np.array_equal(fast_tokens, n_tokens) and np.array_equal(fast_counts, counts)


@hsettings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.integers(0, 63), max_size=60), st.lists(st.integers(0, 60), max_size=8),
       st.sampled_from([0, 1, 5, 1000, 2**20, 2**40]))
def test_bit_counts_equal_counting_bit_by_bit(sets, cuts, extra):
    sets = np.array(sets, dtype=np.uint8)
    bounds = np.array(sorted({0, len(sets), *[min(c, len(sets)) for c in cuts]}))
    most = int(np.diff(bounds).max(initial=0)) + extra  # wider fields: several uint64 words
    expected = np.array([[sum(int(v) >> b & 1 for v in sets[a:z]) for b in range(len(_WORD_BITS))]
                         for a, z in pairwise(bounds)]).reshape(-1, len(_WORD_BITS))
    assert np.array_equal(_bit_counts(sets, bounds, most), expected)


def test_lowering_by_table_agrees_with_str_lower_on_every_bmp_character():
    """Where the table lower-cases (not special), it is ``str.lower``, one character each."""
    bmp = np.arange(0x10000, dtype=np.uint32)
    text = bmp.tobytes().decode("utf-32-le", "surrogatepass")
    lowered = TABLE.lowered(bmp)
    ordinary = np.flatnonzero(lowered != TABLE.special)
    low = [text[i].lower() for i in ordinary]
    assert all(len(c) == 1 for c in low)
    low_cps = code_points("".join(low))
    assert np.array_equal(TABLE.digits(low_cps), lowered[ordinary])
    assert TABLE.lowered(code_points("\u0130\u03a3"))[0] == TABLE.special  # İ, Σ: special
    assert (TABLE.lowered(code_points("\u0130\u03a3")) == TABLE.special).all()


@given(st.lists(st.text(chars, max_size=15), min_size=1, max_size=6))
@hsettings(max_examples=100, deadline=None, derandomize=True)
def test_a_line_lower_cased_alone_is_that_line_of_the_lower_cased_text(lines):
    lines = [line.replace("\n", " ") for line in lines]
    assert "\n".join(lines).lower().split("\n") == [line.lower() for line in lines]


# --- pattern candidates ----------------------------------------------------------------------

pattern_chars = st.one_of(st.sampled_from("0123456789١٢३４/.-:([)] @x_a\n"), st.characters(codec="utf-8"))


@HSETTINGS
@given(st.text(pattern_chars, max_size=80))
@example("12/3/2024 10:45 (3) a.b@c.org")
@example("1.22.3 1:22 [ 5 ] x@y.z")
@example("1-2 :12 1:2 (x5) @")
def test_pattern_candidates_hold_every_matching_line(text):
    cps = code_points(text)
    newlines = np.flatnonzero(cps == 10)
    candidates = _pattern_candidates(cps, newlines)
    lines = text.split("\n")
    for name, pattern in [*PATTERNS.items(), ("email", _EMAIL)]:
        matching = {i for i, line in enumerate(lines) if pattern.search(line)}
        found = set(candidates[name].tolist())
        assert matching <= found, name
        if name in ("date", "time"):  # these two are the patterns exactly
            assert matching == found, name


# --- whitespace, strip lengths, repetition --------------------------------------------------

def test_strip_marks_are_str_isspace_and_no_astral_character_is_whitespace():
    bmp = np.arange(0x10000, dtype=np.uint32)
    text = bmp.tobytes().decode("utf-32-le", "surrogatepass")
    marked = (_CODED_OF(bmp) & _STRIP_BIT) != 0
    assert marked.tolist() == [c.isspace() for c in text]
    astral = np.arange(0x10000, 0x110000, dtype=np.uint32).tobytes().decode("utf-32-le")
    assert re.search(r"\s", astral) is None and not (_CODED_OF(np.arange(0x10000, 0x110000)) & _STRIP_BIT).any()


WHITESPACE = [chr(c) for c in range(0x10000) if chr(c).isspace()]
edge_chars = st.one_of(st.sampled_from(WHITESPACE), st.characters(codec="utf-8"),
                       st.sampled_from("ab İΣ"))


@HSETTINGS
@given(st.lists(st.text(edge_chars, max_size=8).map(lambda s: s.replace("\n", " ")),
                min_size=1, max_size=8))
@example(["", " ", "\u3000x\x85", "\x1c\x1f", "a\u2028"])
@example(["", ""])
def test_strip_lengths_equal_str_strip(lines):
    cps = code_points("\n".join(lines))
    newlines = np.flatnonzero(cps == 10)
    starts = np.concatenate(([0], newlines + 1))
    read_len = np.append(newlines, len(cps)) - starts
    indent, stripped_len = _strip_lengths(lines, _CODED_OF(cps), starts, read_len)
    assert indent.tolist() == [len(s) - len(s.lstrip()) for s in lines]
    assert stripped_len.tolist() == [len(s.rstrip()) for s in lines]


@HSETTINGS
@given(st.lists(st.text(edge_chars, max_size=12).map(lambda s: s.replace("\n", " ")), min_size=1,
                max_size=8), st.integers(0, 6))
@example(["abcdef", "", "xyz"], 2)
@example(["abcdef"], 0)
def test_cutting_lines_equals_joining_them_cut(lines, cap):
    cps = code_points("\n".join(lines))
    lengths = np.array([len(line) for line in lines])
    rows = np.flatnonzero(lengths > cap)
    cut, newlines = _cut_lines(cps, np.flatnonzero(cps == 10), rows, lengths[rows] - cap)
    expected = code_points("\n".join(line[:cap] for line in lines))
    assert np.array_equal(cut, expected)
    assert np.array_equal(newlines, np.flatnonzero(expected == 10))


REPEATS = [LAYOUT_NAMES.index("repeats_in_page"), LAYOUT_NAMES.index("repeat_first")]


def oracle_repeats(lines):
    """Columns repeats_in_page and repeat_first of one page, by a dictionary of every line."""
    keys = [line.strip().lower() for line in lines]
    n_same = np.array([keys.count(k) for k in keys], dtype=np.float64)
    first = [n > 1 and keys.index(k) == i for i, (k, n) in enumerate(zip(keys, n_same))]
    return np.column_stack([np.log1p(n_same - 1), first]).astype(np.float32)


variants = st.sampled_from(["Reply", "reply", " REPLY ", "Share", "share\u3000", "the of", "The Of",
                            "ΣΟΦΟΣ", "σοφος", "σοφοσ", "İstanbul", "i̇stanbul", "a b", "b a", "ab",
                            "\u2028x", "x", "X\t", "", " ", "\x85", "- 1 -", "-  1 -", "١٢", "12"])
repeat_pages = st.lists(st.lists(variants | st.text(edge_chars, max_size=6).map(
    lambda s: s.replace("\n", " ")), min_size=1, max_size=12), min_size=1, max_size=4)


@HSETTINGS
@given(repeat_pages)
@example([["Reply", "reply", " REPLY "], ["Reply"], ["a b", "b a", "ab", "a b"]])
@example([["ΣΟΦΟΣ", "σοφος", "σοφοσ"], ["İstanbul", "i̇stanbul"]])
@example([[" ", "\x85", ""], ["x", "X\t", " x"]])
def test_repetition_cues_equal_a_dictionary_of_lines(pages):
    batch = layout_features_batch([(lines, np.arange(len(lines)), len(lines)) for lines in pages],
                                  RES)
    assert np.array_equal(batch[:, REPEATS], np.vstack([oracle_repeats(lines) for lines in pages]))
    for lines in pages:  # and each page alone
        alone = layout_features(lines, np.arange(len(lines)), len(lines), RES)
        assert np.array_equal(alone[:, REPEATS], oracle_repeats(lines))


# --- score_features_batch --------------------------------------------------------------------

@st.composite
def score_pages(draw):
    sizes = draw(st.lists(st.integers(0, 30), max_size=8))
    pages = []
    for size in sizes:
        gaps = draw(st.lists(st.integers(0, 3), min_size=size, max_size=size))
        pages.append(np.cumsum(np.asarray(gaps, dtype=np.int64) + 1) - 1)
    seed = draw(st.integers(0, 2**32 - 1))
    k = draw(st.sampled_from([4, 1, 3]))
    lead = draw(st.integers(0, 3))  # rows before the first page
    return pages, seed, k, lead


def spans_of(pages, lead=0):
    spans, a = [], lead
    for positions in pages:
        spans.append((a, a + len(positions), positions))
        a += len(positions)
    return spans


def per_page_scores(probs, spans, k):
    width = (1 + len(settings.CONTEXT_OFFSETS) + len(settings.SMOOTHING_WINDOWS) + 2) * k
    return np.vstack([score_features(probs[a:b], positions) for a, b, positions in spans]
                     + [np.zeros((0, width), dtype=np.float32)])


def assert_identical(batch, reference):
    assert batch.dtype == reference.dtype == np.float32
    assert batch.shape == reference.shape
    assert np.array_equal(batch, reference)


@HSETTINGS
@given(score_pages())
@example(([np.array([0]), np.array([0, 1, 5]), np.array([], dtype=np.int64), np.array([3])], 0, 4, 0))
@example(([np.arange(25), np.arange(2)], 1, 4, 2))
def test_score_features_batch_equals_its_pages_one_by_one(case):
    pages, seed, k, lead = case
    spans = spans_of(pages, lead)
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(k), size=lead + sum(map(len, pages)) + 2)
    assert_identical(score_features_batch(probs, spans), per_page_scores(probs, spans, k))
    # pages given out of order, or with rows between them
    shuffled = spans[::-1]
    assert_identical(score_features_batch(probs, shuffled), per_page_scores(probs, shuffled, k))
    assert_identical(score_features_batch(probs, iter(spans)), per_page_scores(probs, spans, k))


def test_score_features_batch_float32_and_raw_scores():
    rng = np.random.default_rng(7)
    spans = spans_of([np.arange(40), np.array([0, 3, 4]), np.arange(1)])
    for probs in (rng.random((44, 4)).astype(np.float32), rng.normal(size=(44, 4)) * 1e6):
        assert_identical(score_features_batch(probs, spans), per_page_scores(probs, spans, 4))


def test_score_features_batch_of_nothing():
    assert score_features_batch(np.zeros((0, 4)), []).shape == (0, 36)
    assert score_features_batch(np.zeros((3, 4)), [(1, 1, np.array([], dtype=np.int64))]).shape == (0, 36)
