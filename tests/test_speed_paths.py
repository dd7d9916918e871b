"""The fast paths give exactly what the plain ones give. No timing here (see
``training/benchmark.py``): these are equivalence tests.

* ``layout_features`` and ``normalise`` are vectorised over code point tables; the shipped
  model was trained on their output, so they must match, bit for bit, the straightforward
  regex and per-line code they replaced (kept below as oracles, for feature version 3);
* the code point tables agree with ``re`` on every character;
* ``label_pages(jobs=2)`` and ``linesift label --jobs 2`` give exactly the ``jobs=1`` output,
  in input order, with failing inputs still reported.

When a change of feature semantics bumps ``settings.FEATURE_VERSION``, the oracles stop
applying (the tests skip) and should be replaced by the new version's plain code.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

import pagegen
from classifier import features, settings
from classifier.features import (
    AT_HASH, BRACKET, COLON, COMMA, CONTROL, DIGIT, ELLIPSIS, EXCLAIM_QUESTION, FULL_STOP,
    LAYOUT_NAMES, LEGAL, LOWER, N_CLASSES, NEWLINE, OTHER_LETTER, QUOTE, REPLACEMENT, SEPARATOR,
    SPACE, SYMBOL, UPPER, ZERO_WIDTH, ARABIC, ARABIC_MARK, BIDI, CodePointTable,
    layout_features, regex_marks, score_features,
)
from classifier.model import _prepare
from classifier.resources import load_resources
from classifier.textmodel import _DIGITS, _SPACES, _TOKEN, normalise
from helpers import EXAMPLES, run_cli

RES = load_resources()
oracle_applies = pytest.mark.skipif(settings.FEATURE_VERSION != 3,
                                    reason="the oracles are the feature-version-3 code")

# --- oracles: the plain implementations the fast paths replaced ------------------------------


def oracle_normalise(lines):
    cap = settings.MAX_TEXT_MODEL_CHARS
    joined = "\n".join(line[:cap].replace("\n", " ") for line in lines).lower()
    if not joined.isascii():
        try:
            joined.encode("utf-8")
        except UnicodeEncodeError:
            joined = joined.encode("utf-8", "replace").decode("utf-8")
    joined = _SPACES.sub(" ", _DIGITS.sub("0", joined))
    return [t.strip(" ") for t in " ".join(_TOKEN.findall(joined)).split("\n")] if lines else []


def _shift(column, offset, fill):
    out = np.full_like(column, fill)
    if 0 < offset < len(column):
        out[:-offset] = column[offset:]
    elif 0 < -offset < len(column):
        out[-offset:] = column[:offset]
    return out


_pattern_rows = features._pattern_rows  # unchanged by the speed work: shared, not copied


def _per_line(values, line_ids, n):
    return np.bincount(line_ids[values], minlength=n).astype(np.float64)


def oracle_layout(lines, positions, n_total, resources):  # noqa: C901 - a frozen oracle
    names = features._OWN
    index = {name: i for i, name in enumerate(names)}
    m = len(lines)
    out = np.zeros((m, len(LAYOUT_NAMES)), dtype=np.float32)
    if m == 0:
        return out
    cap = settings.MAX_FEATURE_CHARS
    true_len = np.fromiter(map(len, lines), dtype=np.float64, count=m)
    read = [line[:cap].replace("\n", " ") if len(line) > cap or "\n" in line else line
            for line in lines]
    joined = "\n".join(read)
    cps = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = features._CLASS_TABLE[np.minimum(cps, 0xFFFF)]
    cls[cps > 0xFFFF] = SYMBOL
    newline = cls == NEWLINE
    line_ids = np.cumsum(newline) - newline
    counts = np.bincount(line_ids * N_CLASSES + cls, minlength=m * N_CLASSES)
    counts = counts.reshape(m, N_CLASSES).astype(np.float64)
    read_len = np.fromiter(map(len, read), dtype=np.float64, count=m)
    line_starts = np.concatenate(([0], np.flatnonzero(newline) + 1))
    is_space = (cls == SPACE) | newline
    prev_space = np.concatenate(([True], is_space[:-1]))
    word_start = ~is_space & prev_space
    words = _per_line(word_start, line_ids, m)
    title_words = _per_line(word_start & (cls == UPPER), line_ids, m)
    latin_words = _per_line(word_start & ((cls == UPPER) | (cls == LOWER)), line_ids, m)
    arabic_words = _per_line(word_start & (cls == ARABIC), line_ids, m)
    letters = counts[:, UPPER] + counts[:, LOWER] + counts[:, ARABIC] + counts[:, OTHER_LETTER]
    safe_letters = np.maximum(letters, 1.0)
    safe_len = np.maximum(read_len, 1.0)
    punct = counts[:, [FULL_STOP, EXCLAIM_QUESTION, COMMA, COLON, SEPARATOR, QUOTE, BRACKET,
                       ELLIPSIS]].sum(axis=1)
    indent = np.fromiter((len(s) - len(s.lstrip()) for s in read), dtype=np.int64, count=m)
    stripped_len = np.fromiter((len(s.rstrip()) for s in read), dtype=np.int64, count=m)
    first_pos = line_starts + np.minimum(indent, np.maximum(read_len.astype(np.int64) - 1, 0))
    last_pos = line_starts + np.maximum(stripped_len - 1, 0)
    n_cps = len(cps)
    first_pos = np.minimum(first_pos, max(n_cps - 1, 0))
    last_pos = np.minimum(last_pos, max(n_cps - 1, 0))
    first_cls, last_cls, first_cp = cls[first_pos], cls[last_pos], cps[first_pos]
    dots = np.fromiter((s.rstrip().endswith("...") for s in read), dtype=bool, count=m)
    lower = joined.lower()
    tokens = re.sub(r"[^\w\n]+", " ", lower).replace("\n", " \x01 ").split()
    n_tok = len(tokens)
    marker = np.fromiter(map("\x01".__eq__, tokens), dtype=bool, count=n_tok)
    keep = ~marker
    tok_line = np.cumsum(marker)[keep]

    def per_line_tokens(words):
        found = np.fromiter(map(words.__contains__, tokens), dtype=bool, count=n_tok)[keep]
        return np.bincount(tok_line[found], minlength=m).astype(np.float64)

    n_tokens = np.bincount(tok_line, minlength=m).astype(np.float64)
    n_en, n_ar = per_line_tokens(resources.stop_en), per_line_tokens(resources.stop_ar)
    safe_tokens = np.maximum(n_tokens, 1.0)
    cue = {name: per_line_tokens(words) > 0 for name, words in features.WORD_CUES.items()}
    lower_lines = lower.split("\n")
    digit_rows = np.flatnonzero(counts[:, DIGIT] > 0)
    digit_lines = [lower_lines[i] for i in digit_rows]
    for name, pattern in features.PATTERNS.items():
        hit = np.zeros(m, dtype=bool)
        hit[digit_rows] = _pattern_rows(digit_lines, pattern)
        cue[name] = cue.get(name, hit) | hit
    at_rows = np.flatnonzero(counts[:, AT_HASH] > 0)
    cue["email"] = np.zeros(m, dtype=bool)
    cue["email"][at_rows] = _pattern_rows([lower_lines[i] for i in at_rows], features._EMAIL)
    keys = [s.strip().lower() for s in read]
    freq = Counter(keys)
    repeats = np.fromiter((freq[k] for k in keys), dtype=np.float64, count=m)
    seen, repeat_first = set(), np.zeros(m)
    for i, k in enumerate(keys):
        if freq[k] > 1 and k not in seen:
            repeat_first[i] = 1.0
            seen.add(k)
    pos = np.asarray(positions, dtype=np.int64)
    gap_before = np.diff(np.concatenate(([-1], pos))) - 1
    gap_after = np.diff(np.concatenate((pos, [n_total]))) - 1
    block_id = np.cumsum(np.concatenate(([1], gap_before[1:] > 0))) - 1
    block_size = np.bincount(block_id).astype(np.float64)
    block_start = np.concatenate(([0], np.flatnonzero(np.diff(block_id)) + 1))
    pos_in_block = np.arange(m) - block_start[block_id]
    block_mean_len = np.bincount(block_id, weights=true_len) / block_size
    mass = np.cumsum(true_len)
    total_mass = max(mass[-1], 1.0)
    long_line = true_len >= settings.LONG_LINE_CHARS
    idx = np.arange(m, dtype=np.float64)

    def distance(flags, forward, cap=50.0):
        if forward:
            nearest = np.minimum.accumulate(np.where(flags, idx, np.inf)[::-1])[::-1]
            return np.minimum(nearest - idx, cap)
        return np.minimum(idx - np.maximum.accumulate(np.where(flags, idx, -np.inf)), cap)

    col = {
        "log_chars": np.log1p(true_len), "log_chars_read": np.log1p(read_len),
        "log_words": np.log1p(words),
        "mean_word_len": (read_len - counts[:, SPACE]) / np.maximum(words, 1.0),
        "indent": np.minimum(indent, 40),
        "share_upper": counts[:, UPPER] / np.maximum(counts[:, UPPER] + counts[:, LOWER], 1.0),
        "share_arabic": counts[:, ARABIC] / safe_letters,
        "share_latin": (counts[:, UPPER] + counts[:, LOWER]) / safe_letters,
        "share_other_letter": counts[:, OTHER_LETTER] / safe_letters,
        "share_digit": counts[:, DIGIT] / safe_len, "share_space": counts[:, SPACE] / safe_len,
        "share_punct": punct / safe_len,
        "share_title_words": title_words / np.maximum(latin_words, 1.0),
        "share_arabic_words": arabic_words / np.maximum(words, 1.0),
        "first_upper": first_cls == UPPER, "first_digit": first_cls == DIGIT,
        "first_bullet": np.isin(first_cp, features._BULLETS), "first_arabic": first_cls == ARABIC,
        "first_bracket": first_cls == BRACKET,
        "last_full_stop": (last_cls == FULL_STOP) & ~dots,
        "last_exclaim_question": last_cls == EXCLAIM_QUESTION, "last_colon": last_cls == COLON,
        "last_ellipsis": (last_cls == ELLIPSIS) | dots, "last_quote": last_cls == QUOTE,
        "last_bracket": last_cls == BRACKET,
        "last_letter": np.isin(last_cls, (UPPER, LOWER, ARABIC, OTHER_LETTER, ARABIC_MARK)),
        "last_digit": last_cls == DIGIT, "last_separator": last_cls == SEPARATOR,
        "stop_en": n_en / safe_tokens, "stop_ar": n_ar / safe_tokens,
        "n_stop_en": np.log1p(n_en), "n_stop_ar": np.log1p(n_ar),
        "repeats_in_page": np.log1p(repeats - 1), "repeat_first": repeat_first,
        "gap_before": np.minimum(gap_before, 5), "gap_after": np.minimum(gap_after, 5),
        "rel_pos": idx / max(m - 1, 1), "log_pos": np.log1p(idx),
        "log_pos_from_end": np.log1p(m - 1 - idx),
        "block_size": np.log1p(block_size[block_id]), "pos_in_block": np.log1p(pos_in_block),
        "rel_pos_in_block": pos_in_block / np.maximum(block_size[block_id] - 1, 1),
        "mass_before": (mass - true_len) / total_mass, "mass_after": (total_mass - mass) / total_mass,
        "dist_prose_before": distance(long_line, False), "dist_prose_after": distance(long_line, True),
        "len_vs_page_max": true_len / max(true_len.max(), 1.0),
        "len_vs_block_mean": true_len / np.maximum(block_mean_len[block_id], 1.0),
    }
    for name, cls_id in (("n_full_stop", FULL_STOP), ("n_exclaim_question", EXCLAIM_QUESTION),
                         ("n_comma", COMMA), ("n_colon", COLON), ("n_separator", SEPARATOR),
                         ("n_quote", QUOTE), ("n_bracket", BRACKET), ("n_at_hash", AT_HASH),
                         ("n_legal", LEGAL), ("n_ellipsis", ELLIPSIS), ("n_bidi", BIDI),
                         ("n_zero_width", ZERO_WIDTH), ("n_control", CONTROL),
                         ("n_replacement", REPLACEMENT), ("n_symbol", SYMBOL)):
        col[name] = np.log1p(counts[:, cls_id])
    for name, hit in cue.items():
        col[f"has_{name}"] = hit
    for name, values in col.items():
        out[:, index[name]] = values
    page = out[:, len(names):len(names) + len(features._PAGE)]
    page[:, 0] = math.log1p(m)
    page[:, 1] = col["log_chars"].mean()
    page[:, 2] = long_line.mean()
    page[:, 3] = counts[:, ARABIC].sum() / max(letters.sum(), 1.0)
    page[:, 4] = (col["stop_en"] + col["stop_ar"] > 0.2).mean()
    page[:, 5] = math.log1p(block_id[-1] + 1)
    base = out[:, features._CONTEXT_INDEX]
    start, width = len(names) + len(features._PAGE), len(features._CONTEXT_COLUMNS)
    for k, offset in enumerate(settings.CONTEXT_OFFSETS):
        for j in range(width):
            out[:, start + k * width + j] = _shift(base[:, j], offset, -1.0)
    return out


def oracle_score(probs, positions):
    m, k = probs.shape
    parts = [probs]
    for off in settings.CONTEXT_OFFSETS:
        parts.append(np.stack([_shift(probs[:, j], off, -1.0) for j in range(k)], axis=1))
    csum = np.vstack([np.zeros((1, k)), np.cumsum(probs, axis=0)])
    idx = np.arange(m)
    for w in settings.SMOOTHING_WINDOWS:
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, m)
        parts.append((csum[hi] - csum[lo]) / (hi - lo)[:, None])
    pos = np.asarray(positions, dtype=np.int64)
    gap_before = np.diff(np.concatenate(([-1], pos))) - 1
    block_id = np.cumsum(np.concatenate(([1], gap_before[1:] > 0))) - 1 if m else pos
    sizes = np.bincount(block_id, minlength=1).astype(np.float64) if m else np.zeros(0)
    block_mean = np.stack([np.bincount(block_id, weights=probs[:, j]) for j in range(k)],
                          axis=1) / sizes[:, None] if m else np.zeros((0, k))
    parts.append(block_mean[block_id] if m else np.zeros((0, k)))
    parts.append(np.broadcast_to(probs.mean(axis=0) if m else np.zeros(k), (m, k)))
    return np.hstack(parts).astype(np.float32)


# --- inputs ----------------------------------------------------------------------------------

AWKWARD_LINES = [
    " x", "\t", "a", ".", "..", "...", "x..", "\u2026", "\u200b", "\u00a0b", "\u3000ideographic",
    "\x00\x01\x02 nul and control \x7f\x85\x9f", "\x1c\x1d\x1e\x1f sep", "\x0b\x0c ff",
    "\u202eevil override\u202c text", "\u200e\u200f marks \u061c", "\u2066iso\u2069",
    "lone \ud800 surrogate", "\udfff", "pair \U0001F600 emoji \U00010000", "\ud83d\ude00",
    "مرحبا بكم في الموقع الرسمي.", "هل تعلم؟ ما هذا، يا صديقي۔", "كانون الثاني ٢٠٢٤",
    "  \u0640\u064b\u0670 تشكيل", "الرئيسية | أخبار | رياضة", "© ٢٠٢٤ جميع الحقوق محفوظة",
    "line with\nnewline inside", "cr\rinside", "u2028\u2028x", "12/03/2024 at 10:45 pm",
    "(12) comments", "[3]", "mail me at a.b@c.org", "#tag @user", "http://www.example.com/x.html",
    "   indented", "- bullet", "• bullet", "» more", "+ plus", "Title Case Words Here",
    "ALL CAPS LINE!", "İstanbul İİ", "१२३ devanagari ٣٤ ۵۶", "𝟏𝟐 math digits 𝟎 🙂x",
    "１２ fullwidth", "snake_case __init__", "a\u0301b", "\u1680ogham", "Σ ΟΔΟΣ final sigma",
    "ﬁ ligature ß ẞ", "١٢/٠٣/٢٠٢٤", "12:30 ١٢:٣٠", "(5) [٥]", "1.2.3", "\U000104A0\U000104A1/1/1",
    "x" * 5000, "word " * 700, "Home", "home", " HOME ",
]
EXTREME_PAGES = [["."], [".."], ["..", "."], ["solo"], ["a", "b"], ["x" * 1_000_000],
                 AWKWARD_LINES, AWKWARD_LINES[::-1]]

line_chars = st.one_of(
    st.characters(codec="utf-8"),
    st.sampled_from("\r\t \x00\x01\x1b\x7f\x85\u00a0\u2028\u200b\u200e\u202e\ufeff\ufffd\ud800"
                    "\u0130\u03a3\U0001d7cf\u0661\u0967.!?\u2026©|/»-•@#:()[]_"),
    st.sampled_from("abcXYZ 0123456789 ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
)
texts = st.text(line_chars, max_size=120)
pages_st = st.lists(st.sampled_from(["Home", "", "  ", "the of and", "12/3/2024 10:45",
                                     "ما هذا؟"]) | texts, min_size=1, max_size=15)
HSETTINGS = hsettings(max_examples=150, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow])


def example_pages():
    pages = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))]
    pages += [[line["text"] for line in r["lines"]] for r in pagegen.training_pages(n=12, seed=3)]
    return pages + EXTREME_PAGES


def assert_same_features(page):
    prep = _prepare(page)
    fast = layout_features(prep.lines, prep.positions, prep.n_total, RES)
    plain = oracle_layout(prep.lines, prep.positions, prep.n_total, RES)
    assert fast.dtype == plain.dtype and fast.shape == plain.shape
    differing = sorted({LAYOUT_NAMES[j] for j in np.argwhere(fast != plain)[:, 1]})
    assert not differing, differing
    probs = np.random.default_rng(len(prep.lines)).dirichlet(np.ones(4), size=len(prep.lines))
    probs = probs.reshape(len(prep.lines), 4)
    assert np.array_equal(score_features(probs, prep.positions), oracle_score(probs, prep.positions))
    assert normalise(prep.lines) == oracle_normalise(prep.lines)


# --- tests -----------------------------------------------------------------------------------

@oracle_applies
@pytest.mark.parametrize("page", example_pages(), ids=lambda p: f"{len(p)}")
def test_features_equal_the_plain_code_on_examples_and_awkward_pages(page):
    assert_same_features(page)


@oracle_applies
@HSETTINGS
@given(pages_st)
def test_features_equal_the_plain_code_on_any_page(lines):
    assert_same_features(lines)


@oracle_applies
@HSETTINGS
@given(st.lists(texts, max_size=8))
def test_normalise_equals_its_regular_expressions(lines):
    assert normalise(lines) == oracle_normalise(lines)


@pytest.mark.parametrize("pattern", [r"\w", r"\s", r"\d", r"[\w\n]", r"[^\w\s]"])
def test_code_point_tables_agree_with_re_on_every_bmp_character(pattern):
    compiled = re.compile(pattern)
    table = CodePointTable(lambda text: regex_marks(compiled, text))
    cps = np.arange(0x10000, dtype=np.uint32)
    expected = [compiled.fullmatch(chr(c)) is not None for c in range(0x10000)]
    assert table(cps).astype(bool).tolist() == expected


def test_code_point_tables_look_up_astral_characters_one_by_one():
    word = CodePointTable(lambda text: regex_marks(re.compile(r"\d"), text))
    cps = np.array([0x1D7CF, 0x1F600, 0x31, 0x104A0, 0x10FFFF, 0x1D7CF], dtype=np.uint32)
    assert word(cps).astype(bool).tolist() == [True, False, True, True, False, True]


def test_label_pages_with_two_jobs_equals_one_job(model_dir, example_texts):
    from classifier import LineClassifier

    model = LineClassifier.load(model_dir)
    pages = [(f"p{i}", page) for i, page in enumerate(example_pages())]
    pages += [(name, text.encode("utf-8")) for name, text in example_texts.items()]
    pages += [("empty", ""), ("blank", "\n \n"), ("lines", ["Home", "", "Leave a Reply"])]

    def flat(results):
        return [(pid, [None if lab is None else (lab.line, lab.label, lab.score, dict(lab.probs))
                       for lab in labels]) for pid, labels in results]

    one = flat(model.label_pages(iter(pages), batch_lines=200))
    two = flat(model.label_pages(iter(pages), batch_lines=200, jobs=2))
    assert [pid for pid, _ in two] == [pid for pid, _ in pages]
    assert two == one


def test_label_pages_with_jobs_needs_a_saved_bundle(fitted):
    with pytest.raises(ValueError, match="bundle"):
        list(fitted.label_pages([("a", "Home")], jobs=2))


@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "text"])
def test_cli_with_two_jobs_equals_one_job(model_dir, tmp_path, fmt):
    files = []
    for i, page in enumerate(example_pages()[:20]):
        path = tmp_path / f"page{i}.txt"
        path.write_text(page if isinstance(page, str) else "\n".join(page), encoding="utf-8",
                        errors="surrogatepass")
        files.append(str(path))
    files.insert(3, str(tmp_path / "missing.txt"))
    args = ["label", "--model", str(model_dir), "--format", fmt, *files]
    one = run_cli(*args, "--jobs", "1")
    two = run_cli(*args, "--jobs", "2")
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and one.stdout
    assert b"missing.txt" in two.stderr


def test_cli_jsonl_stream_with_two_jobs_equals_one_job(model_dir):
    stream = "".join(json.dumps({"id": f"p{i}", "text": page if isinstance(page, str) else
                                 "\n".join(page)}) + "\n" for i, page in enumerate(example_pages()))
    stream = stream.replace('"id": "p5"', '"id": "p5", BROKEN', 1)
    data = stream.encode("utf-8", "surrogatepass")
    one = run_cli("label", "--model", str(model_dir), "--input", "jsonl", "-", input=data)
    two = run_cli("label", "--model", str(model_dir), "--input", "jsonl", "--jobs", "2", "-",
                  input=data)
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout and one.stdout
    assert b"-:6: malformed JSON" in two.stderr


def test_remembered_predictions_equal_fresh_ones(model_dir):
    """The text model's memory of repeated lines (also when it fills up and starts afresh,
    and under threads) returns exactly what a fresh prediction gives."""
    from concurrent.futures import ThreadPoolExecutor

    from classifier.textmodel import TextModel

    lines = [line for page in example_pages()[:12] for line in
             (page.split("\n") if isinstance(page, str) else page)]
    fresh = TextModel.load(model_dir / "text.bin").predict_proba(lines)
    model = TextModel.load(model_dir / "text.bin")
    model.CACHE_LINES = 37  # fills and starts afresh many times below
    batches = [slice(i, i + 50) for i in range(0, len(lines), 50)]
    for _ in range(2):
        for batch in batches:
            assert np.array_equal(model.predict_proba(lines[batch]), fresh[batch])
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda b: (b, model.predict_proba(lines[b])), batches * 3))
    for batch, probs in results:
        assert np.array_equal(probs, fresh[batch])
