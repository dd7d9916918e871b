"""Layout and language cues of every non-blank line, as one numeric matrix per page.

Why vectorised: linesift has to keep pace with a crawl, and per-line Python is what would
set its speed. So a page's (truncated) lines are joined once, turned into an array of code
points, and every character gets exactly one class from a lookup table; per-line counts are
then a single ``bincount``. Word-level cues (stopwords) use ``map`` over C-level set
membership, regular-expression cues run once over the joined text and are mapped back to
lines with ``searchsorted``.

All functions here are pure: same lines and resources in, same matrix out.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from . import settings

# --- character classes --------------------------------------------------------------

(
    SPACE, UPPER, LOWER, ARABIC, ARABIC_MARK, DIGIT, OTHER_LETTER, FULL_STOP, EXCLAIM_QUESTION,
    COMMA, COLON, SEPARATOR, QUOTE, BRACKET, AT_HASH, LEGAL, ELLIPSIS, BIDI, ZERO_WIDTH,
    CONTROL, SYMBOL, NEWLINE, REPLACEMENT,
) = range(23)
N_CLASSES = 23

_CLASS_NAMES = (
    "space", "upper", "lower", "arabic", "arabic_mark", "digit", "other_letter", "full_stop",
    "exclaim_question", "comma", "colon", "separator", "quote", "bracket", "at_hash", "legal",
    "ellipsis", "bidi", "zero_width", "control", "symbol", "newline", "replacement",
)


def _build_class_table() -> np.ndarray:
    """Map every BMP code point to one class; later assignments win over earlier ones."""
    table = np.full(0x10000, SYMBOL, dtype=np.uint8)

    def put(cls: int, *spans: tuple[int, int] | str) -> None:
        for span in spans:
            if isinstance(span, str):
                table[[ord(c) for c in span]] = cls
            else:
                table[span[0]:span[1] + 1] = cls

    put(OTHER_LETTER, (0x0370, 0x05FF), (0x0900, 0x1FFF), (0x3040, 0x9FFF), (0xAC00, 0xD7AF))
    put(LOWER, (0x61, 0x7A), (0xDF, 0xFF), (0x0100, 0x024F))
    put(UPPER, (0x41, 0x5A), (0xC0, 0xDE))
    table[0xD7] = table[0xF7] = SYMBOL
    put(ARABIC, (0x0620, 0x064A), (0x066E, 0x06D3), (0x06D5, 0x06D5), (0x06FA, 0x06FF),
        (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFC))
    put(ARABIC_MARK, (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640))
    put(DIGIT, (0x30, 0x39), (0x0660, 0x0669), (0x06F0, 0x06F9))
    put(SPACE, " \t\x0b\x0c\x1c\x1d\x1e\x1f\xa0\u3000\u202f\u205f", (0x2000, 0x200A))
    put(FULL_STOP, ".\u06d4\u3002")
    put(EXCLAIM_QUESTION, "!?\u061f\u00a1\u00bf")
    put(COMMA, ",;\u060c\u061b")
    put(COLON, ":")
    put(SEPARATOR, "|/\\\u2022\u00b7\u00bb\u00ab\u203a\u2039><\u25aa\u25ba\u25c4-\u2013\u2014_~"
        "\u2192\u2190\u25cf\u25a0\u25e6\u2023")
    put(QUOTE, "\"'\u201c\u201d\u2018\u2019\u201e`\u00b4")
    put(BRACKET, "()[]{}")
    put(AT_HASH, "@#")
    put(LEGAL, "\u00a9\u00ae\u2122")
    put(ELLIPSIS, "\u2026")
    put(BIDI, "\u200e\u200f\u061c", (0x202A, 0x202E), (0x2066, 0x2069))
    put(ZERO_WIDTH, "\u200b\u200c\u200d\u2060\ufeff")
    put(CONTROL, (0x00, 0x08), (0x0E, 0x1B), (0x7F, 0x9F))
    put(NEWLINE, "\n")
    put(REPLACEMENT, "\ufffd")
    return table


_CLASS_TABLE = _build_class_table()
_BULLETS = np.array([ord(c) for c in "\u2022\u00b7-*\u2013\u2014\u25aa\u25ba\u25e6\u25cb\u25cf"
                     "\u25a0\u25a1\u2713\u2192>\u00bb\u2023+"], dtype=np.uint32)

# --- pattern cues -------------------------------------------------------------------

_MONTHS = ("january february march april may june july august september october november "
           "december jan feb mar apr jun jul aug sep sept oct nov dec "
           "يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر "
           "نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين محرم صفر ربيع "
           "جمادى رجب شعبان رمضان شوال القعدة الحجة")
_WEEKDAYS = ("monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat "
             "sun الاثنين الإثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة السبت الأحد الاحد")
WORD_CUES: dict[str, frozenset[str]] = {
    "date": frozenset((_MONTHS + " " + _WEEKDAYS).split()),
    "time": frozenset("am pm مساء صباحا مساءً صباحاً الساعة".split()),
    "year": frozenset(str(y) for y in range(1990, 2041)),
    "url": frozenset("http https www com org net html php aspx".split()),
}
"""Cues found by token lookup: far cheaper than an alternation of words in a regex, which
Python's engine tries at every position of the page."""

PATTERNS: dict[str, re.Pattern[str]] = {
    "date": re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}"),
    "time": re.compile(r"\d{1,2}:\d{2}"),
    "counter": re.compile(r"[(\[] ?\d+ ?[)\]]"),
}
"""Digit patterns, run only over the lines that hold a digit."""

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.\w")
_NON_WORD = re.compile(r"[^\w\n]+")


@dataclass(frozen=True)
class Resources:
    """Word lists the language cues need, loaded once per model and shared by threads."""

    stop_en: frozenset[str]
    stop_ar: frozenset[str]


# --- the matrix ---------------------------------------------------------------------

_OWN = (
    "log_chars", "log_chars_read", "log_words", "mean_word_len", "indent",
    "share_upper", "share_arabic", "share_latin", "share_other_letter", "share_digit",
    "share_space", "share_punct", "share_title_words", "share_arabic_words",
    "n_full_stop", "n_exclaim_question", "n_comma", "n_colon", "n_separator", "n_quote",
    "n_bracket", "n_at_hash", "n_legal", "n_ellipsis", "n_bidi", "n_zero_width",
    "n_control", "n_replacement", "n_symbol",
    "first_upper", "first_digit", "first_bullet", "first_arabic", "first_bracket",
    "last_full_stop", "last_exclaim_question", "last_colon", "last_ellipsis", "last_quote",
    "last_bracket", "last_letter", "last_digit", "last_separator",
    "has_url", "has_email", "has_date", "has_time", "has_year", "has_counter",
    "stop_en", "stop_ar", "n_stop_en", "n_stop_ar",
    "repeats_in_page", "repeat_first",
    "gap_before", "gap_after", "rel_pos", "log_pos", "log_pos_from_end",
    "block_size", "pos_in_block", "rel_pos_in_block", "mass_before", "mass_after",
    "dist_prose_before", "dist_prose_after", "len_vs_page_max", "len_vs_block_mean",
)
_PAGE = ("page_log_lines", "page_mean_log_chars", "page_share_long", "page_share_arabic",
         "page_share_stop_lines", "page_n_blocks")
_CONTEXT_COLUMNS = ("log_chars", "log_words", "share_upper", "share_arabic", "share_digit",
                    "share_punct", "last_full_stop", "first_bullet", "stop_en", "stop_ar",
                    "has_date", "n_separator", "repeats_in_page", "gap_before", "share_title_words")

LAYOUT_NAMES: tuple[str, ...] = (
    _OWN + _PAGE + tuple(f"{name}@{off:+d}" for off in settings.CONTEXT_OFFSETS
                         for name in _CONTEXT_COLUMNS)
)
_INDEX = {name: i for i, name in enumerate(_OWN)}
_CONTEXT_INDEX = np.array([_INDEX[n] for n in _CONTEXT_COLUMNS])


def _per_line(values: np.ndarray, line_ids: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(line_ids, weights=values, minlength=n) if values.dtype != bool \
        else np.bincount(line_ids[values], minlength=n).astype(np.float64)


def _pattern_rows(texts: Sequence[str], pattern: re.Pattern[str]) -> np.ndarray:
    """Which of ``texts`` the pattern matches, with one regex scan over their joined text."""
    hits = np.zeros(len(texts), dtype=bool)
    if not texts:
        return hits
    joined = "\n".join(texts)
    positions = [m.start() for m in pattern.finditer(joined)]
    if positions:
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        hits[np.searchsorted(starts, np.asarray(positions), side="right") - 1] = True
    return hits


def _shift(column: np.ndarray, offset: int, fill: float) -> np.ndarray:
    """Value of the line ``offset`` positions away (within the page), ``fill`` past an edge."""
    out = np.full_like(column, fill)
    if offset > 0 and offset < len(column):
        out[:-offset] = column[offset:]
    elif offset < 0 and -offset < len(column):
        out[-offset:] = column[:offset]
    return out


def _distance_to(flags: np.ndarray, forward: bool, cap: float = 50.0) -> np.ndarray:
    """Lines to the nearest flagged line before (or after) each line, capped."""
    n = len(flags)
    idx = np.arange(n, dtype=np.float64)
    if forward:
        marks = np.where(flags, idx, np.inf)
        nearest = np.minimum.accumulate(marks[::-1])[::-1]
        dist = nearest - idx
    else:
        marks = np.where(flags, idx, -np.inf)
        nearest = np.maximum.accumulate(marks)
        dist = idx - nearest
    return np.minimum(dist, cap)


def layout_features(lines: Sequence[str], positions: np.ndarray, n_total: int,
                    resources: Resources) -> np.ndarray:
    """Cue matrix (one row per given line) for the non-blank ``lines`` of one page.

    ``positions`` are the lines' 0-based indices in the page (blank lines included) and
    ``n_total`` the page's line count, so blank-line structure is measured on the real page.
    """
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
    cls = _CLASS_TABLE[np.minimum(cps, 0xFFFF)]
    cls[cps > 0xFFFF] = SYMBOL
    newline = cls == NEWLINE
    line_ids = np.cumsum(newline) - newline  # the newline belongs to the line it ends
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
    first_cls = cls[first_pos] if n_cps else np.zeros(m, dtype=np.uint8)
    last_cls = cls[last_pos] if n_cps else np.zeros(m, dtype=np.uint8)
    first_cp = cps[first_pos] if n_cps else np.zeros(m, dtype=np.uint32)
    dots = np.zeros(m, dtype=bool)
    if n_cps:
        tail = np.maximum(last_pos - 2, 0)
        dots = (cps[last_pos] == 46) & (cps[tail] == 46) & (cps[np.minimum(tail + 1, n_cps - 1)] == 46)

    # word cues: one pass over the lower-cased text, a marker token between lines
    lower = joined.lower()
    tokens = _NON_WORD.sub(" ", lower).replace("\n", " \x01 ").split()
    n_tok = len(tokens)
    marker = np.fromiter(map("\x01".__eq__, tokens), dtype=bool, count=n_tok)
    keep = ~marker
    tok_line = np.cumsum(marker)[keep]

    def per_line_tokens(words: frozenset[str]) -> np.ndarray:
        found = np.fromiter(map(words.__contains__, tokens), dtype=bool, count=n_tok)[keep]
        return np.bincount(tok_line[found], minlength=m).astype(np.float64)

    n_tokens = np.bincount(tok_line, minlength=m).astype(np.float64)
    n_en = per_line_tokens(resources.stop_en)
    n_ar = per_line_tokens(resources.stop_ar)
    safe_tokens = np.maximum(n_tokens, 1.0)
    cue = {name: per_line_tokens(words) > 0 for name, words in WORD_CUES.items()}
    lower_lines = lower.split("\n")
    digit_rows = np.flatnonzero(counts[:, DIGIT] > 0)
    digit_lines = [lower_lines[i] for i in digit_rows]
    for name, pattern in PATTERNS.items():
        hit = np.zeros(m, dtype=bool)
        hit[digit_rows] = _pattern_rows(digit_lines, pattern)
        cue[name] = cue.get(name, hit) | hit
    at_rows = np.flatnonzero(counts[:, AT_HASH] > 0)
    cue["email"] = np.zeros(m, dtype=bool)
    cue["email"][at_rows] = _pattern_rows([lower_lines[i] for i in at_rows], _EMAIL)

    keys = [s.strip().lower() for s in read]
    freq = Counter(keys)
    repeats = np.fromiter((freq[k] for k in keys), dtype=np.float64, count=m)
    seen: set[str] = set()
    repeat_first = np.zeros(m)
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

    col = {
        "log_chars": np.log1p(true_len),
        "log_chars_read": np.log1p(read_len),
        "log_words": np.log1p(words),
        "mean_word_len": (read_len - counts[:, SPACE]) / np.maximum(words, 1.0),
        "indent": np.minimum(indent, 40),
        "share_upper": counts[:, UPPER] / np.maximum(counts[:, UPPER] + counts[:, LOWER], 1.0),
        "share_arabic": counts[:, ARABIC] / safe_letters,
        "share_latin": (counts[:, UPPER] + counts[:, LOWER]) / safe_letters,
        "share_other_letter": counts[:, OTHER_LETTER] / safe_letters,
        "share_digit": counts[:, DIGIT] / safe_len,
        "share_space": counts[:, SPACE] / safe_len,
        "share_punct": punct / safe_len,
        "share_title_words": title_words / np.maximum(latin_words, 1.0),
        "share_arabic_words": arabic_words / np.maximum(words, 1.0),
        "first_upper": first_cls == UPPER,
        "first_digit": first_cls == DIGIT,
        "first_bullet": np.isin(first_cp, _BULLETS),
        "first_arabic": first_cls == ARABIC,
        "first_bracket": first_cls == BRACKET,
        "last_full_stop": (last_cls == FULL_STOP) & ~dots,
        "last_exclaim_question": last_cls == EXCLAIM_QUESTION,
        "last_colon": last_cls == COLON,
        "last_ellipsis": (last_cls == ELLIPSIS) | dots,
        "last_quote": last_cls == QUOTE,
        "last_bracket": last_cls == BRACKET,
        "last_letter": np.isin(last_cls, (UPPER, LOWER, ARABIC, OTHER_LETTER, ARABIC_MARK)),
        "last_digit": last_cls == DIGIT,
        "last_separator": last_cls == SEPARATOR,
        "stop_en": n_en / safe_tokens,
        "stop_ar": n_ar / safe_tokens,
        "n_stop_en": np.log1p(n_en),
        "n_stop_ar": np.log1p(n_ar),
        "repeats_in_page": np.log1p(repeats - 1),
        "repeat_first": repeat_first,
        "gap_before": np.minimum(gap_before, 5),
        "gap_after": np.minimum(gap_after, 5),
        "rel_pos": idx / max(m - 1, 1),
        "log_pos": np.log1p(idx),
        "log_pos_from_end": np.log1p(m - 1 - idx),
        "block_size": np.log1p(block_size[block_id]),
        "pos_in_block": np.log1p(pos_in_block),
        "rel_pos_in_block": pos_in_block / np.maximum(block_size[block_id] - 1, 1),
        "mass_before": (mass - true_len) / total_mass,
        "mass_after": (total_mass - mass) / total_mass,
        "dist_prose_before": _distance_to(long_line, forward=False),
        "dist_prose_after": _distance_to(long_line, forward=True),
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

    own = out[:, :len(_OWN)]
    for name, values in col.items():
        own[:, _INDEX[name]] = values

    page = out[:, len(_OWN):len(_OWN) + len(_PAGE)]
    page[:, 0] = math.log1p(m)
    page[:, 1] = col["log_chars"].mean()
    page[:, 2] = long_line.mean()
    page[:, 3] = counts[:, ARABIC].sum() / max(letters.sum(), 1.0)
    page[:, 4] = (col["stop_en"] + col["stop_ar"] > 0.2).mean()
    page[:, 5] = math.log1p(block_id[-1] + 1)

    base = out[:, _CONTEXT_INDEX]
    start = len(_OWN) + len(_PAGE)
    width = len(_CONTEXT_COLUMNS)
    for k, offset in enumerate(settings.CONTEXT_OFFSETS):
        for j in range(width):
            out[:, start + k * width + j] = _shift(base[:, j], offset, -1.0)
    return out


def score_names(labels: Sequence[str]) -> tuple[str, ...]:
    """Names of the columns :func:`score_features` adds, for explanations and the manifest."""
    names = [f"text_{lab}" for lab in labels]
    for off in settings.CONTEXT_OFFSETS:
        names += [f"text_{lab}@{off:+d}" for lab in labels]
    for w in settings.SMOOTHING_WINDOWS:
        names += [f"text_{lab}~{w}" for lab in labels]
    names += [f"text_{lab}_block" for lab in labels]
    names += [f"text_{lab}_page" for lab in labels]
    return tuple(names)


def score_features(probs: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Text-model probabilities of a line, its neighbours, windows around it, its block and
    its page: a comment thread or a teaser list is a run of similar lines, and a single
    line's words rarely tell the whole story."""
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
