"""Layout and language cues of every non-blank line, as one numeric matrix per page.

Why vectorised: linesift has to keep pace with a crawl, and per-line Python is what would
set its speed. So a page's (truncated) lines are joined once and turned into an array of
code points, and every character gets its class from a lookup table. One ``bincount`` over
(line, class, follows-a-space) keys then gives every per-line character count and word
count at once. Per-line string work (strip, length, lower) is ``map`` over C-level ``str``
methods, never a Python loop. Word cues (stopwords, month names...) are one dictionary
lookup per token, the tokens cut out of the lower-cased text with a code point table;
regular-expression cues run once over the few lines that can match and are mapped back to
lines with ``searchsorted``.

The code point tables that stand in for regular expressions are built *from* those
expressions (:class:`CodePointTable`), so the vectorised code agrees with ``re`` on every
character by construction, and the matrix stays exactly what the shipped model was trained
on.

All functions here are pure: same lines and resources in, same matrix out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, count, repeat
from typing import Callable, Iterable, Sequence

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

def _build_coded_table() -> np.ndarray:
    """Every code point's class times two, plus one for a space or line end (the characters
    a word can start after): both facts in one lookup. Beyond the BMP: a symbol."""
    classes = np.full(0x110000, SYMBOL, dtype=np.uint8)
    classes[:0x10000] = _CLASS_TABLE
    return (classes * 2 + np.isin(classes, (SPACE, NEWLINE))).astype(np.uint8)


_CODED_OF = _build_coded_table()
_IS_BULLET = np.zeros(0x10000, dtype=bool)
_IS_BULLET[_BULLETS] = True
_IS_LETTER_CLASS = np.isin(np.arange(N_CLASSES), (UPPER, LOWER, ARABIC, OTHER_LETTER, ARABIC_MARK))


# --- code point tables that agree with regular expressions ---------------------------

def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as ``uint32``, lone surrogates included."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def regex_marks(pattern: re.Pattern[str], text: str) -> np.ndarray:
    """For each character of ``text``, whether the one-character ``pattern`` matches it."""
    marked = pattern.sub("\0", text)
    if len(marked) != len(text):
        raise ValueError(f"{pattern.pattern!r} must match single characters")
    hits = code_points(marked) == 0
    if "\0" in text:
        hits[code_points(text) == 0] = pattern.fullmatch("\0") is not None
    return hits


class CodePointTable:
    """A small integer for every code point, as a numpy lookup.

    ``build`` maps a string to one value per character (usually through
    :func:`regex_marks`). It is tabulated over the BMP on first use (a few milliseconds)
    and applied to the rare code points beyond it as they come, so a table is always
    exactly what ``build`` says, character by character.
    """

    def __init__(self, build: Callable[[str], np.ndarray]):
        self._build = build
        self._table: np.ndarray | None = None

    def __call__(self, cps: np.ndarray) -> np.ndarray:
        table = self._table
        if table is None:  # a race here only builds the same table twice
            table = np.zeros(0x110000, dtype=np.uint8)
            bmp = np.arange(0x10000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
            table[:0x10000] = self._build(bmp)
            self._table = table
        values = table[cps]
        if len(cps) and cps.max() > 0xFFFF:
            astral = np.flatnonzero(cps > 0xFFFF)
            unique, inverse = np.unique(cps[astral], return_inverse=True)
            values[astral] = self._build(unique.tobytes().decode("utf-32-le"))[inverse]
        return values


_TOKEN_CHAR = re.compile(r"[\w\n]")
_TOKEN_CHARS = CodePointTable(lambda text: regex_marks(_TOKEN_CHAR, text))
"""Characters kept when cutting word tokens (``\\w`` runs) out of text, line ends included."""

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


@dataclass(frozen=True)
class Resources:
    """Word lists the language cues need, loaded once per model and shared by threads."""

    stop_en: frozenset[str]
    stop_ar: frozenset[str]

    @cached_property
    def word_bits(self) -> dict[str, int]:
        """Every cue word with the bit set of the word cues it belongs to (bit order of
        :data:`_WORD_BITS`): one dictionary lookup per token answers all of them."""
        bits: dict[str, int] = {}
        for bit, words in enumerate(self._cue_sets()):
            for word in words:
                bits[word] = bits.get(word, 0) | (1 << bit)
        return bits

    def _cue_sets(self) -> tuple[frozenset[str], ...]:
        return (self.stop_en, self.stop_ar) + tuple(WORD_CUES[name] for name in _WORD_CUE_NAMES)


_WORD_CUE_NAMES = tuple(WORD_CUES)
_WORD_BITS = ("stop_en", "stop_ar") + _WORD_CUE_NAMES


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



_N_COUNTS = ("n_full_stop", "n_exclaim_question", "n_comma", "n_colon", "n_separator",
             "n_quote", "n_bracket", "n_at_hash", "n_legal", "n_ellipsis", "n_bidi",
             "n_zero_width", "n_control", "n_replacement", "n_symbol")
_N_COUNT_CLASSES = [FULL_STOP, EXCLAIM_QUESTION, COMMA, COLON, SEPARATOR, QUOTE, BRACKET,
                    AT_HASH, LEGAL, ELLIPSIS, BIDI, ZERO_WIDTH, CONTROL, REPLACEMENT, SYMBOL]
_N_COUNT_SLICE = slice(_INDEX[_N_COUNTS[0]], _INDEX[_N_COUNTS[-1]] + 1)
assert [_INDEX[n] for n in _N_COUNTS] == list(range(_N_COUNT_SLICE.start, _N_COUNT_SLICE.stop))
_PUNCT_CLASSES = [FULL_STOP, EXCLAIM_QUESTION, COMMA, COLON, SEPARATOR, QUOTE, BRACKET, ELLIPSIS]


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


def _shifted(target: np.ndarray, values: np.ndarray, offset: int, fill: float) -> None:
    """Write into ``target`` the rows of ``values`` ``offset`` positions away (within the
    rows given), ``fill`` past an edge."""
    n = len(values)
    target.fill(fill)
    if 0 < offset < n:
        target[:-offset] = values[offset:]
    elif 0 < -offset < n:
        target[-offset:] = values[:offset]


def _distance_to(flags: np.ndarray, rows: np.ndarray, first: np.ndarray, last: np.ndarray,
                 forward: bool, cap: float = 50.0) -> np.ndarray:
    """Lines to the nearest flagged line before (or after) each line of the same page, capped.

    ``rows`` are the lines' row numbers in the batch (floats) and ``first``/``last`` the
    first and last row of each line's page. The running nearest flag is taken over the
    whole batch in one pass; one found on another page counts as none (the cap), exactly
    as if the page had been measured alone. Row differences are whole numbers, so the
    distances do not depend on where a page sits in its batch.
    """
    if forward:
        nearest = np.minimum.accumulate(np.where(flags, rows, np.inf)[::-1])[::-1]
        dist = np.where(nearest <= last, nearest - rows, cap)
    else:
        nearest = np.maximum.accumulate(np.where(flags, rows, -np.inf))
        dist = np.where(nearest >= first, rows - nearest, cap)
    return np.minimum(dist, cap)


def _word_cue_counts(lower: str, m: int, word_bits: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Tokens (``\\w`` runs) per line of the lower-cased joined text, and per line how many
    tokens carry each bit of :data:`_WORD_BITS` (an ``m`` x bits array)."""
    cps = code_points(lower)
    cleaned = np.where(_TOKEN_CHARS(cps).view(bool), cps, np.uint32(32))
    per_line = list(map(str.split, cleaned.tobytes().decode("utf-32-le").split("\n")))
    n_tokens = np.fromiter(map(len, per_line), dtype=np.int64, count=m)
    ends = np.cumsum(n_tokens)
    total = int(ends[-1])
    codes = np.fromiter(map(word_bits.get, chain.from_iterable(per_line), repeat(0)),
                        dtype=np.uint8, count=total)
    bits = (codes[:, None] >> np.arange(len(_WORD_BITS), dtype=np.uint8)) & 1
    running = np.zeros((total + 1, len(_WORD_BITS)), dtype=np.int64)
    np.cumsum(bits, axis=0, out=running[1:])
    return n_tokens, running[ends] - running[ends - n_tokens]


def layout_features(lines: Sequence[str], positions: np.ndarray, n_total: int,
                    resources: Resources) -> np.ndarray:
    """Cue matrix (one row per given line) for the non-blank ``lines`` of one page.

    ``positions`` are the lines' 0-based indices in the page (blank lines included) and
    ``n_total`` the page's line count, so blank-line structure is measured on the real page.
    A batch of one page: :func:`layout_features_batch` is the one implementation.
    """
    return layout_features_batch(((lines, positions, n_total),), resources)


PageLines = tuple[Sequence[str], np.ndarray, int]
"""A page as :func:`layout_features` takes it: non-blank lines, their positions, line count."""


def layout_features_batch(pages: Iterable[PageLines], resources: Resources) -> np.ndarray:
    """Cue matrices of several pages, stacked: each page's rows are exactly (bit for bit)
    what :func:`layout_features` gives for that page alone.

    Why a batch: on the short pages scrapers produce (a hundred lines or so), the fixed cost
    of a page's hundred-odd numpy calls outweighed the per-line work. So per-line cues are
    taken over the joined text of all the pages at once, and page-level ones (shares,
    repetition, positions, blocks, distances, the neighbours' columns) are segment operations
    over each row's page (``bincount`` by page, running maxima checked against the page's
    first row, shifts masked at page edges): nothing reaches across a page boundary. The few
    per-page Python steps left are one call per page, not per line.
    """
    pages = [page for page in pages if len(page[0])]
    lines = pages[0][0] if len(pages) == 1 else list(chain.from_iterable(p[0] for p in pages))
    m = len(lines)
    out = np.zeros((m, len(LAYOUT_NAMES)), dtype=np.float32)
    if m == 0:
        return out
    own = out[:, :len(_OWN)]

    # -- the pages as segments of the rows: each row's page, and that page's first and last row
    sizes = np.fromiter((len(p[0]) for p in pages), dtype=np.int64, count=len(pages))
    page_end = np.cumsum(sizes)
    page_start = page_end - sizes
    page_of = np.repeat(np.arange(len(pages)), sizes)
    row_ids = np.arange(m)
    idx_int = row_ids - page_start[page_of]  # the row's index within its page
    size_of = sizes[page_of]

    def put(name: str, values) -> None:
        own[:, _INDEX[name]] = values

    # -- what is read of each line: at most MAX_FEATURE_CHARS, no line end inside
    cap = settings.MAX_FEATURE_CHARS
    true_len = np.fromiter(map(len, lines), dtype=np.float64, count=m)
    joined = "\n".join(lines)
    read: Sequence[str] = lines
    if true_len.max() > cap or joined.count("\n") != m - 1:
        read = [line[:cap].replace("\n", " ") if len(line) > cap or "\n" in line else line
                for line in lines]
        joined = "\n".join(read)
    read_len_int = np.fromiter(map(len, read), dtype=np.int64, count=m)
    read_len = read_len_int.astype(np.float64)

    # -- characters: one class each, counted per line together with word starts
    cps = code_points(joined)
    n_cps = len(cps)
    coded = _CODED_OF[cps]
    code = coded & np.uint8(0xFE)  # class, and whether the character follows a space
    code[:1] |= 1  # (no character at all: a batch of empty lines)
    code[1:] |= coded[:-1] & np.uint8(1)
    width = 2 * N_CLASSES
    line_base = np.repeat(np.arange(0, m * width, width), read_len_int + 1)[:n_cps]
    hist = np.bincount(line_base + code, minlength=m * width).reshape(m, N_CLASSES, 2)
    counts = (hist[:, :, 0] + hist[:, :, 1]).astype(np.float64)
    word_starts = hist[:, :, 1]  # words (runs after a space) by class of their first character
    words = (word_starts.sum(axis=1) - word_starts[:, SPACE] - word_starts[:, NEWLINE]).astype(np.float64)
    title_words = word_starts[:, UPPER].astype(np.float64)
    latin_words = (word_starts[:, UPPER] + word_starts[:, LOWER]).astype(np.float64)
    arabic_words = word_starts[:, ARABIC].astype(np.float64)

    letters = counts[:, UPPER] + counts[:, LOWER] + counts[:, ARABIC] + counts[:, OTHER_LETTER]
    safe_letters = np.maximum(letters, 1.0)
    safe_len = np.maximum(read_len, 1.0)
    punct = counts[:, _PUNCT_CLASSES].sum(axis=1)

    # -- first and last visible characters
    line_starts = np.concatenate(([0], np.cumsum(read_len_int + 1)[:-1]))
    indent = read_len_int - np.fromiter(map(len, map(str.lstrip, read)), dtype=np.int64, count=m)
    stripped_len = np.fromiter(map(len, map(str.rstrip, read)), dtype=np.int64, count=m)
    first_pos = line_starts + np.minimum(indent, np.maximum(read_len_int - 1, 0))
    last_pos = line_starts + np.maximum(stripped_len - 1, 0)
    # An empty line (possible when called directly) has no character of its own: it reads
    # a line end, or past the text's end (clamped below, or nothing at all). Which one
    # depends on the pages around it in a batch, but none of them is a class or code point
    # any first_/last_ cue tests, so the cues are the same.
    first_pos = np.minimum(first_pos, max(n_cps - 1, 0))
    last_pos = np.minimum(last_pos, max(n_cps - 1, 0))
    first_cls = coded[first_pos] >> 1 if n_cps else np.zeros(m, dtype=np.uint8)
    last_cls = coded[last_pos] >> 1 if n_cps else np.zeros(m, dtype=np.uint8)
    first_cp = cps[first_pos] if n_cps else np.zeros(m, dtype=np.uint32)
    dots = np.zeros(m, dtype=bool)
    if n_cps:
        # "..." typed as three full stops, all three inside this line (a line of one or
        # two dots must not borrow the previous line's)
        tail = np.maximum(last_pos - 2, 0)
        dots = ((stripped_len >= 3) & (cps[last_pos] == 46) & (cps[tail] == 46)
                & (cps[np.minimum(tail + 1, n_cps - 1)] == 46))

    # -- word cues: one dictionary lookup per token of the lower-cased text
    lower = joined.lower()
    n_tokens, bit_counts = _word_cue_counts(lower, m, resources.word_bits)
    safe_tokens = np.maximum(n_tokens, 1).astype(np.float64)
    n_en = bit_counts[:, _WORD_BITS.index("stop_en")].astype(np.float64)
    n_ar = bit_counts[:, _WORD_BITS.index("stop_ar")].astype(np.float64)
    cue = {name: bit_counts[:, _WORD_BITS.index(name)] > 0 for name in _WORD_CUE_NAMES}

    # -- pattern cues, run only on the lines that hold the characters a match needs
    has_digit = counts[:, DIGIT] > 0
    can_match = {
        "date": has_digit & (counts[:, FULL_STOP] + counts[:, SEPARATOR] >= 2),  # [/.-] twice
        "time": has_digit & (counts[:, COLON] > 0),
        "counter": has_digit & (counts[:, BRACKET] >= 2),
        "email": (counts[:, AT_HASH] > 0) & (counts[:, FULL_STOP] > 0),
    }
    lower_lines = lower.split("\n") if any(map(np.any, can_match.values())) else []
    for name, pattern in chain(PATTERNS.items(), [("email", _EMAIL)]):
        hit = np.zeros(m, dtype=bool)
        rows = np.flatnonzero(can_match[name])
        if len(rows):
            hit[rows] = _pattern_rows([lower_lines[i] for i in rows], pattern)
        cue[name] = cue[name] | hit if name in cue else hit

    # -- repetition within the page: each key numbered by its first row in the batch (one
    # dictionary pass), then counted per (page, key) pair
    keys = list(map(str.lower, map(str.strip, read)))
    key_rows: dict[str, int] = {}
    key_id = np.fromiter(map(key_rows.setdefault, keys, count()), dtype=np.int64, count=m)
    repeats = np.ones(m)
    repeat_first = np.zeros(m)
    if len(key_rows) < m:
        _, first_rows, inverse, n_same = np.unique(
            page_of * m + key_id, return_index=True, return_inverse=True, return_counts=True)
        repeats = n_same[inverse].astype(np.float64)
        repeat_first[first_rows[n_same > 1]] = 1.0  # first line of each repeated key

    # -- position in the page and in its blocks (runs of lines without a blank between); a
    # page's first line starts a block, so block numbers run on over the batch
    pos = np.concatenate([np.asarray(p[1], dtype=np.int64) for p in pages])
    before = np.empty(m, dtype=np.int64)
    before[1:] = pos[:-1]
    before[page_start] = -1
    after = np.empty(m, dtype=np.int64)
    after[:-1] = pos[1:]
    after[page_end - 1] = np.fromiter((p[2] for p in pages), dtype=np.int64, count=len(pages))
    gap_before = pos - before - 1
    gap_after = after - pos - 1
    new_block = gap_before > 0
    new_block[page_start] = True
    block_id = np.cumsum(new_block) - 1
    block_size = np.bincount(block_id).astype(np.float64)
    block_start = np.flatnonzero(new_block)
    pos_in_block = row_ids - block_start[block_id]
    line_block_size = block_size[block_id]
    block_mean_len = np.bincount(block_id, weights=true_len) / block_size
    # lengths are whole numbers: running sums over the batch, less what came before the
    # page, are exactly the page's own running sums
    mass = np.cumsum(true_len)
    mass -= (mass[page_start] - true_len[page_start])[page_of]
    total_mass = np.maximum(mass[page_end - 1], 1.0)[page_of]
    long_line = true_len >= settings.LONG_LINE_CHARS
    idx = idx_int.astype(np.float64)
    batch_rows = row_ids.astype(np.float64)
    first_row, last_row = batch_rows - idx, batch_rows - idx + (size_of - 1)

    log_chars = np.log1p(true_len)
    put("log_chars", log_chars)
    put("log_chars_read", np.log1p(read_len))
    put("log_words", np.log1p(words))
    put("mean_word_len", (read_len - counts[:, SPACE]) / np.maximum(words, 1.0))
    put("indent", np.minimum(indent, 40))
    put("share_upper", counts[:, UPPER] / np.maximum(counts[:, UPPER] + counts[:, LOWER], 1.0))
    put("share_arabic", counts[:, ARABIC] / safe_letters)
    put("share_latin", (counts[:, UPPER] + counts[:, LOWER]) / safe_letters)
    put("share_other_letter", counts[:, OTHER_LETTER] / safe_letters)
    put("share_digit", counts[:, DIGIT] / safe_len)
    put("share_space", counts[:, SPACE] / safe_len)
    put("share_punct", punct / safe_len)
    put("share_title_words", title_words / np.maximum(latin_words, 1.0))
    put("share_arabic_words", arabic_words / np.maximum(words, 1.0))
    own[:, _N_COUNT_SLICE] = np.log1p(counts[:, _N_COUNT_CLASSES])
    put("first_upper", first_cls == UPPER)
    put("first_digit", first_cls == DIGIT)
    put("first_bullet", _IS_BULLET[np.minimum(first_cp, 0xFFFF)])
    put("first_arabic", first_cls == ARABIC)
    put("first_bracket", first_cls == BRACKET)
    put("last_full_stop", (last_cls == FULL_STOP) & ~dots)
    put("last_exclaim_question", last_cls == EXCLAIM_QUESTION)
    put("last_colon", last_cls == COLON)
    put("last_ellipsis", (last_cls == ELLIPSIS) | dots)
    put("last_quote", last_cls == QUOTE)
    put("last_bracket", last_cls == BRACKET)
    put("last_letter", _IS_LETTER_CLASS[last_cls])
    put("last_digit", last_cls == DIGIT)
    put("last_separator", last_cls == SEPARATOR)
    for name, hit in cue.items():
        put(f"has_{name}", hit)
    stop_en = n_en / safe_tokens
    stop_ar = n_ar / safe_tokens
    put("stop_en", stop_en)
    put("stop_ar", stop_ar)
    put("n_stop_en", np.log1p(n_en))
    put("n_stop_ar", np.log1p(n_ar))
    put("repeats_in_page", np.log1p(repeats - 1))
    put("repeat_first", repeat_first)
    put("gap_before", np.minimum(gap_before, 5))
    put("gap_after", np.minimum(gap_after, 5))
    put("rel_pos", idx / np.maximum(size_of - 1, 1))
    put("log_pos", np.log1p(idx))
    put("log_pos_from_end", np.log1p((size_of - 1) - idx))
    put("block_size", np.log1p(line_block_size))
    put("pos_in_block", np.log1p(pos_in_block))
    put("rel_pos_in_block", pos_in_block / np.maximum(line_block_size - 1, 1))
    put("mass_before", (mass - true_len) / total_mass)
    put("mass_after", (total_mass - mass) / total_mass)
    put("dist_prose_before", _distance_to(long_line, batch_rows, first_row, last_row, forward=False))
    put("dist_prose_after", _distance_to(long_line, batch_rows, first_row, last_row, forward=True))
    page_max = np.maximum.reduceat(true_len, page_start)  # every page has a row
    put("len_vs_page_max", true_len / np.maximum(page_max, 1.0)[page_of])
    put("len_vs_block_mean", true_len / np.maximum(block_mean_len[block_id], 1.0))

    # -- page-level columns. Sums of whole numbers (counts, flags) are exact in any order,
    # so one weighted bincount per column gives every page's. The mean of the log lengths
    # is not: numpy's pairwise summation (np.mean) rounds differently from any segmented
    # sum, so it stays one np.mean per page. math.log1p, as before, for the scalars.
    n_pages = len(pages)
    span_list = list(zip(page_start.tolist(), page_end.tolist()))
    page_vals = np.empty((n_pages, len(_PAGE)))
    page_vals[:, 0] = list(map(math.log1p, sizes.tolist()))
    page_vals[:, 1] = [log_chars[a:b].mean() for a, b in span_list]
    page_vals[:, 2] = np.bincount(page_of, weights=long_line, minlength=n_pages) / sizes
    page_vals[:, 3] = (np.bincount(page_of, weights=counts[:, ARABIC], minlength=n_pages)
                       / np.maximum(np.bincount(page_of, weights=letters, minlength=n_pages), 1.0))
    page_vals[:, 4] = np.bincount(page_of, weights=stop_en + stop_ar > 0.2, minlength=n_pages) / sizes
    n_blocks = np.bincount(page_of, weights=new_block, minlength=n_pages)
    page_vals[:, 5] = list(map(math.log1p, n_blocks.tolist()))
    out[:, len(_OWN):len(_OWN) + len(_PAGE)] = page_vals[page_of]

    # -- the neighbours' columns: shifted over the batch, then -1 wherever the neighbour is
    # past the page's edge (on another page, or none)
    base = out[:, _CONTEXT_INDEX]
    start = len(_OWN) + len(_PAGE)
    width = len(_CONTEXT_COLUMNS)
    for k, offset in enumerate(settings.CONTEXT_OFFSETS):
        target = out[:, start + k * width:start + (k + 1) * width]
        _shifted(target, base, offset, -1.0)
        target[(idx_int + offset < 0) | (idx_int + offset >= size_of)] = -1.0
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
    n_parts = 1 + len(settings.CONTEXT_OFFSETS) + len(settings.SMOOTHING_WINDOWS) + 2
    if m == 0:
        return np.zeros((0, n_parts * k), dtype=np.float32)
    out = np.empty((m, n_parts * k))
    parts = iter(range(0, n_parts * k, k))

    def part() -> np.ndarray:
        start = next(parts)
        return out[:, start:start + k]

    part()[:] = probs
    for off in settings.CONTEXT_OFFSETS:
        _shifted(part(), probs, off, -1.0)
    csum = np.vstack([np.zeros((1, k)), np.cumsum(probs, axis=0)])
    idx = np.arange(m)
    for w in settings.SMOOTHING_WINDOWS:
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, m)
        part()[:] = (csum[hi] - csum[lo]) / (hi - lo)[:, None]
    pos = np.asarray(positions, dtype=np.int64)
    gap_before = np.diff(np.concatenate(([-1], pos))) - 1
    block_id = np.cumsum(np.concatenate(([1], gap_before[1:] > 0))) - 1
    sizes = np.bincount(block_id, minlength=1).astype(np.float64)
    # one bincount over (block, label) bins: each bin still sums its rows in order
    bins = (block_id[:, None] * k + np.arange(k)).ravel()
    block_mean = np.bincount(bins, weights=probs.ravel()).reshape(-1, k) / sizes[:, None]
    part()[:] = block_mean[block_id]
    part()[:] = probs.mean(axis=0)
    return out.astype(np.float32)
