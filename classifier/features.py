"""Layout and language cues of every non-blank line, as one numeric matrix per page.

Why vectorised: linesift has to keep pace with a crawl, and per-line Python is what would
set its speed. So a page's (truncated) lines are joined once and turned into an array of
code points, and every character gets its code (class, word start, whitespace) and the
digit of its lower case from one lookup table. One ``bincount`` over (line, class,
follows-a-space) keys then gives every per-line character count and word count at once.
Per-line string work is left only where arrays say it is needed (lines that start or end
with whitespace, lines whose fingerprint says they may repeat), and is ``map`` over C-level
``str`` methods, never a Python loop. Word cues (stopwords, month names...) never cut
tokens out as strings: each token of the lower-cased text is packed from its characters'
codes into an exact numeric key and looked up in a hash table of the cue words' keys
(:class:`_WordTable`), and the text is lower-cased through a table too, unless a character
needs ``str.lower``. Regular-expression cues run only over the lines that array checks
around their digits and punctuation leave (:func:`_pattern_candidates`; for dates and times
those checks are the whole pattern) and are mapped back to lines with ``searchsorted``.

The code point tables that stand in for regular expressions are built *from* those
expressions (:class:`CodePointTable`), so the vectorised code agrees with ``re`` on every
character by construction, and the matrix stays exactly what the shipped model was trained
on.

All functions here are pure: same lines and resources in, same matrix out.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, pairwise
from typing import Callable, Iterable, NamedTuple, Sequence

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
    :func:`regex_marks`), each character's value its own (``str.lower``'s final sigma, the
    one rule that reads a neighbour, sees the same neighbours: blocks are built whole, in
    code point order). The table is filled lazily, so a table is always exactly what
    ``build`` says, character by character, whichever way it was filled:

    * block by block (:data:`BLOCK` code points) as characters of a block first come, while
      few characters have been looked up. Why: tabulating the whole BMP took a few tens of
      milliseconds per table, and the one-page command paid it for four tables on a page
      that uses a few hundred code points (issue 18, start-up);
    * then, once :data:`EAGER_AFTER` characters have been looked up (a stream, not a page),
      the whole BMP at once, after which a lookup checks only for characters past the BMP:
      the per-block check is a pass over the characters that bulk labelling need not pay.
    """

    BLOCK = 256
    EAGER_AFTER = 1 << 20
    _N_BLOCKS = 0x110000 // BLOCK
    _BMP_BLOCKS = 0x10000 // BLOCK

    def __init__(self, build: Callable[[str], np.ndarray], dtype: type = np.uint8):
        self._build = build
        self._dtype = dtype
        self._table: np.ndarray | None = None
        self._ready: np.ndarray | None = None  # per block: filled
        self._bmp_ready = False
        self._seen = 0
        self._lock = threading.Lock()

    def __call__(self, cps: np.ndarray) -> np.ndarray:
        cps = np.asarray(cps)
        table = self._table
        if table is None:
            with self._lock:
                if self._table is None:
                    self._ready = np.zeros(self._N_BLOCKS, dtype=bool)
                    self._table = np.zeros(0x110000, dtype=self._dtype)
            table = self._table
        if len(cps):
            if not self._bmp_ready:
                self._seen += len(cps)
                if self._seen >= self.EAGER_AFTER:
                    self._fill(np.arange(self._BMP_BLOCKS))
                    self._bmp_ready = True
            if not self._bmp_ready or cps.max() > 0xFFFF:
                self._fill_for(cps if not self._bmp_ready else cps[cps > 0xFFFF])
        return np.take(table, cps.astype(np.intp, copy=False))  # (faster than table[cps])

    def _fill_for(self, cps: np.ndarray) -> None:
        """Fill the blocks of ``cps`` not filled yet."""
        needed = np.zeros(self._N_BLOCKS, dtype=bool)
        needed[cps >> 8] = True
        missing = np.flatnonzero(needed & ~self._ready)
        if len(missing):
            self._fill(missing)

    def _fill(self, blocks: np.ndarray) -> None:
        """Build the values of whole ``blocks`` (their code points in order, one string)."""
        blocks = blocks[~self._ready[blocks]]
        if not len(blocks):
            return
        cps = (blocks[:, None] * self.BLOCK + np.arange(self.BLOCK)).ravel().astype(np.uint32)
        values = self._build(cps.tobytes().decode("utf-32-le", "surrogatepass"))
        with self._lock:  # a race only writes the same values twice; readers see them whole
            self._table[cps] = values
            self._ready[blocks] = True


_TOKEN_CHAR = re.compile(r"[\w\n]")

# --- every character's code: class, word start, whitespace ---------------------------

_AFTER_BIT = 0x01
"""In a character's code: a word can start after it (a space or a line end)."""
_STRIP_BIT = 0x40
"""In a character's code: ``str.strip`` removes it (``str.isspace``)."""
_CLASS_BITS = 0x3E
"""In a character's code: its class, times two."""


_CODES = (np.arange(N_CLASSES, dtype=np.uint8) * 2
          + np.isin(np.arange(N_CLASSES), (SPACE, NEWLINE)).astype(np.uint8))
_SPACE_RE = re.compile(r"\s")


def _coded(text: str) -> np.ndarray:
    """Each character's code: its class times two, plus :data:`_AFTER_BIT` and
    :data:`_STRIP_BIT` where they hold. Beyond the BMP: a symbol, as in the class table
    (no whitespace lies there: tested).

    Why one byte with all three: each is read for every character, and a table lookup over
    the whole text costs more than the arithmetic that takes the facts apart. Whitespace is
    ``re``'s ``\\s``, which is ``str.isspace`` (and so what ``str.strip`` removes): lines
    that start or end with none (nearly all) need no ``str`` method for their indent."""
    cps = code_points(text)
    classes = np.where(cps <= 0xFFFF, _CLASS_TABLE[np.minimum(cps, 0xFFFF)], SYMBOL)
    return _CODES[classes] | regex_marks(_SPACE_RE, text).astype(np.uint8) * np.uint8(_STRIP_BIT)


_CODED_OF = CodePointTable(_coded)
"""Every code point's code (:func:`_coded`), tabulated as characters come."""


def _class_of(coded: np.ndarray) -> np.ndarray:
    """The classes of characters given by their codes (:func:`_build_coded_table`)."""
    return (coded & np.uint8(_CLASS_BITS)) >> 1


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

_DIGIT_CHARS = CodePointTable(lambda text: regex_marks(re.compile(r"\d"), text))
"""The characters ``\\d`` matches."""


_PATTERN_SET = "/.-:([ @\n"


def _pattern_kinds(text: str) -> np.ndarray:
    """Per character, what :func:`_pattern_candidates` can tell of it: which of the ASCII
    characters it compares with it is (1 + index in ``_PATTERN_SET``, or 0), plus 16 for
    a ``\\d`` character."""
    cps = code_points(text)
    kinds = _DIGIT_CHARS(cps) * np.uint8(16)
    for i, ch in enumerate(_PATTERN_SET):
        kinds[cps == ord(ch)] += np.uint8(i + 1)
    return kinds


_PATTERN_CLASSES = [int(_CLASS_TABLE[ord(c)]) for c in "/.-:([@"]
_PATTERN_CODES = (2 * min(_PATTERN_CLASSES), 2 * max(_PATTERN_CLASSES) + 1)
"""The range of character codes that holds the codes of every character a pattern cue
starts its search from (:func:`_pattern_candidates`): the classes full stop to at-hash."""


_EXACT_CANDIDATES = ("date", "time")
"""The patterns whose candidate lines (:func:`_pattern_candidates`) are exactly the lines
they match (tested), so that no regular expression need run for them."""


def _pattern_candidates(cps: np.ndarray, newlines: np.ndarray,
                        coded: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per pattern, the lines (numbers, in the text whose code points are ``cps``, line
    ends ``newlines`` and character codes ``coded``, ``_CODED_OF(cps)``) where it may match:
    a superset of the lines it matches, so the regular expressions need only run over these.

    Why: few lines hold a date or a time, yet scanning every line with a digit cost more
    than all other cues together (Python's engine tries ``\\d`` at every position). Each
    pattern needs an ASCII character (a separator, a colon, a bracket, an ``@``), and the
    digits around the few of those are looked up. Those characters are found among the
    punctuation, which one range test over the one-byte character codes finds (a quarter
    of the memory the code points take). For ``date`` and ``time`` that is exactly the
    pattern; for ``counter`` and ``email`` only its start.
    """
    n = len(cps)
    if coded is None:
        coded = _CODED_OF(cps)
    low, high = _PATTERN_CODES
    at = np.flatnonzero(coded - np.uint8(low) <= np.uint8(high - low))  # uint8: wraps below
    mark = cps[at]
    at = at[(mark == ord("/")) | (mark == ord(".")) | (mark == ord("-")) | (mark == ord(":"))
            | (mark == ord("(")) | (mark == ord("[")) | (mark == ord("@"))]
    # the characters from one before each of those marks to four after (0 past either end
    # of the text), by offset from the mark: which are digits, which date separators
    offsets = range(-1, 5)
    pos = at[:, None] + np.array(offsets)
    near = np.where((pos >= 0) & (pos < n), cps[np.clip(pos, 0, max(n - 1, 0))], 0)
    is_digit = _DIGIT_CHARS(near.ravel()).view(bool).reshape(near.shape)
    is_sep = (near == ord("/")) | (near == ord(".")) | (near == ord("-"))
    char, digit, sep = ({k: column for k, column in zip(offsets, a.T)}
                        for a in (near, is_digit, is_sep))

    # \d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}: a digit, a separator, one or two digits, a separator
    # and a digit
    date = (digit[-1] & sep[0] & digit[1]
            & ((sep[2] & digit[3]) | (digit[2] & sep[3] & digit[4])))
    time = (char[0] == ord(":")) & digit[-1] & digit[1] & digit[2]  # \d{1,2}:\d{2}
    counter = (((char[0] == ord("(")) | (char[0] == ord("[")))  # [(\[] ?\d
               & (digit[1] | ((char[1] == ord(" ")) & digit[2])))
    email = char[0] == ord("@")
    return {name: distinct_sorted(np.searchsorted(newlines, at[marks])) for name, marks in
            (("date", date), ("time", time), ("counter", counter), ("email", email))}


def distinct_sorted(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array: ``np.unique`` without its sort, nor its check
    for a masked array (which imports ``numpy.ma`` on first use, a hundredth of a second)."""
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


@dataclass(frozen=True)
class Resources:
    """Word lists the language cues need, loaded once per model and shared by threads."""

    stop_en: frozenset[str]
    stop_ar: frozenset[str]

    @cached_property
    def word_bits(self) -> dict[str, int]:
        """Every cue word with the bit set of the word cues it belongs to (bit order of
        :data:`_WORD_BITS`): one lookup per token answers all of them (made through
        :attr:`word_table`)."""
        bits: dict[str, int] = {}
        for bit, words in enumerate(self._cue_sets()):
            for word in words:
                bits[word] = bits.get(word, 0) | (1 << bit)
        return bits

    @cached_property
    def word_table(self) -> _WordTable:
        """:attr:`word_bits` as numeric keys in a hash table, for :func:`_word_cue_counts`
        (built on first use: a few tens of milliseconds)."""
        return _WordTable.build(self.word_bits)

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


def _token_keys(digits: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                n_windows: int) -> list[np.ndarray]:
    """Each token's digits (:class:`_WordTable`) packed into ``n_windows`` uint64 words, the
    first character in the lowest bits; digits past the token, and past ``n_windows`` words,
    are masked to zero.

    The digits are read as overlapping 8-byte words, one starting at every character (a
    strided view, no copy), so a window of every token is one gather and one mask.
    """
    size = digits.itemsize
    per = 8 // size  # characters a window holds
    span = len(digits) + (n_windows - 1) * per
    padded = np.zeros(span + per, dtype=digits.dtype)
    padded[:len(digits)] = digits
    windows = np.ndarray((span,), dtype="<u8", buffer=padded, strides=(size,))
    masks = np.array([(1 << (8 * size * j)) - 1 for j in range(per + 1)], dtype=np.uint64)
    keys = [windows[starts] & masks[np.minimum(lengths, per)]]
    for w in range(1, n_windows):  # later windows: zero but for the few long tokens
        key = np.zeros(len(starts), dtype=np.uint64)
        longer = np.flatnonzero(lengths > w * per)
        key[longer] = (windows[starts[longer] + w * per]
                       & masks[np.minimum(lengths[longer] - w * per, per)])
        keys.append(key)
    return keys


class _WordCues(NamedTuple):
    """What :func:`_word_cue_counts` finds per line."""

    n_tokens: np.ndarray
    """Tokens (``\\w`` runs) per line."""
    bit_counts: np.ndarray
    """Per line (rows) how many tokens carry each bit of :data:`_WORD_BITS` (columns)."""
    token_hash: np.ndarray
    """Per line the sum (mod 2**64) of its tokens' hashes: equal for lines whose lower-cased
    text has the same tokens, so a cheap necessary test of two lines being equal."""


def _word_cue_counts(digits: np.ndarray, newlines: np.ndarray, m: int,
                     table: _WordTable) -> _WordCues:
    """Tokens per line of the lower-cased joined text, how many of them carry each bit of
    :data:`_WORD_BITS`, and a hash of them (:class:`_WordCues`). The text is given as its
    characters' digits (:class:`_WordTable`) and the positions of its line ends.

    Why no strings: cutting a million tokens out as ``str`` objects and looking each up in a
    dictionary was half the cost of the layout cues. Here tokens are runs in the code point
    array, packed into exact numeric keys (:func:`_token_keys`) and looked up in a hash table
    of the cue words' keys (:class:`_WordTable`). Equal keys are equal strings, so the counts
    are exactly the dictionary's. Per-line figures are differences of running sums taken at
    the lines' bounds (tokens and cue tokens are in text order): no per-token bins.
    """
    # a token starts where a word character follows a non-word one (or the text's start)
    # and ends where the reverse happens
    in_word = np.zeros(len(digits) + 2, dtype=bool)
    np.not_equal(digits, 0, out=in_word[1:-1])
    edges = np.flatnonzero(in_word[1:] != in_word[:-1])
    starts, lengths = edges[0::2], edges[1::2] - edges[0::2]
    # line k holds the characters before its line end: its tokens are those from
    # token_at[k] to token_at[k + 1]
    token_at = np.searchsorted(starts, np.concatenate(([0], newlines, [len(digits)])))
    n_tokens = np.diff(token_at)

    keys = _token_keys(digits, starts, lengths, table.n_windows)
    hashes = table.hash(keys)
    found, word = table.lookup(hashes, keys)
    bit_counts = _bit_counts(table.bits[word], np.searchsorted(found, token_at),
                             int(n_tokens.max(initial=0)))
    token_hash = np.diff(_running_sum(hashes)[token_at])
    return _WordCues(n_tokens, bit_counts, token_hash)


def _running_sum(values: np.ndarray) -> np.ndarray:
    """0, then the running sums of ``values`` (uint64: they wrap, as intended)."""
    running = np.zeros(len(values) + 1, dtype=np.uint64)
    np.cumsum(values, out=running[1:])
    return running


def _bit_counts(bit_sets: np.ndarray, bounds: np.ndarray, most: int) -> np.ndarray:
    """Per segment (``bit_sets[bounds[k]:bounds[k + 1]]``, none holding more than ``most``
    entries), how many of its bit sets hold each bit of :data:`_WORD_BITS`.

    Why so: a running sum per bit, or a bin per (segment, bit set), went over half a million
    cue tokens six times. Here each bit set is spread into fields wide enough for a
    segment's count (a 64-entry table), and one running sum of those per uint64 gives every
    field's segment sums at once: a segment's sum of a field is at most ``most``, so it
    never carries into the next field, and differences of wrapping sums are exact.
    """
    n_bits = len(_WORD_BITS)
    width = max(most.bit_length(), 1)
    per_word = 64 // width  # fields a uint64 holds: all six while a segment has < 1024
    counts = np.empty((len(bounds) - 1, n_bits), dtype=np.int64)
    sets = np.arange(1 << n_bits)
    for first in range(0, n_bits, per_word):
        bits = range(first, min(first + per_word, n_bits))
        spread = np.zeros(len(sets), dtype=np.uint64)
        for b in bits:
            spread |= ((sets >> b) & 1).astype(np.uint64) << np.uint64(width * (b - first))
        sums = np.diff(_running_sum(spread[bit_sets])[bounds])
        for b in bits:
            counts[:, b] = (sums >> np.uint64(width * (b - first))) & np.uint64((1 << width) - 1)
    return counts


_WIDER = {np.dtype(np.uint8): np.uint16, np.dtype(np.uint16): np.uint32,
          np.dtype(np.uint32): np.uint64}


def _odd_multipliers(n: int, seed: int = 0) -> tuple[np.uint64, ...]:
    """``n`` odd 64-bit multipliers for a multiply-shift hash, from splitmix64: fixed, and
    without importing ``numpy.random`` (a hundredth of a second's start-up, for a few
    numbers)."""
    mask, out, x = (1 << 64) - 1, [], seed
    for _ in range(n):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(np.uint64((z ^ (z >> 31)) | 1))
    return tuple(out)


@dataclass(frozen=True)
class _WordTable:
    """The cue words as :func:`_word_cue_counts` looks them up, without strings.

    Every token character gets a nonzero digit (``digits``): each character of some cue word
    its own, every other ``\\w`` character one shared digit that no word holds; line ends and
    other characters get 0. A token's digits packed into ``n_windows`` uint64 words
    (:func:`_token_keys`) are its key. No digit is zero, so two tokens that fit in the
    windows have equal keys exactly when they are equal strings; and the windows hold at
    least one character more than the longest cue word, so a longer token (its key cut
    short) has a nonzero digit where every word's key has a zero, and matches none.

    ``chars`` gives each character its code (:data:`_CODED_OF`) in the low byte and, above
    it, the digit of its lower case (:meth:`lowered`), so that the original text need not be
    lower-cased, or ``special`` where that would not be the same: a character whose lower
    case is several characters, depends on its neighbours (capital sigma), or differs from
    it in what :func:`_pattern_candidates` reads (:func:`_pattern_kinds`). With no special
    character, positions, line ends and those kinds are the lower-cased text's, character
    for character. Both in one table because every character needs both: one lookup over
    the text instead of two.

    A multiply-shift hash of the key (:meth:`hash`) picks a slot of ``slots``: the one word
    whose key hashes there, ``n_words`` (the empty entry) for none, or, where several words
    do, ``n_words + 1 + g`` for their row ``g`` of ``groups``. A token matches the word whose
    key equals its own, so hash collisions cost a comparison, never a wrong count. The keys
    of the empty entry and of the group entries are zero, which no token's key is.
    """

    digits: CodePointTable
    chars: CodePointTable
    digit_dtype: np.dtype
    special: int
    n_windows: int
    multipliers: tuple[np.uint64, ...]
    shift: np.uint64
    slots: np.ndarray
    groups: np.ndarray
    keys: tuple[np.ndarray, ...]
    bits: np.ndarray

    @property
    def n_words(self) -> int:
        return len(self.bits) - 1

    def split(self, chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What :attr:`chars` gives, taken apart: the characters' codes and lowered digits."""
        return chars.astype(np.uint8), (chars >> 8).astype(self.digit_dtype)

    def lowered(self, cps: np.ndarray) -> np.ndarray:
        """The digits of the characters' lower case, ``special`` where that is not a plain
        one-character lower case."""
        return self.split(self.chars(cps))[1]

    def hash(self, keys: Sequence[np.ndarray]) -> np.ndarray:
        """A 64-bit hash of each key; its top bits pick the key's slot."""
        mixed = keys[0] * self.multipliers[0]  # uint64 arithmetic wraps, as intended
        for key, multiplier in zip(keys[1:], self.multipliers[1:]):
            mixed += key * multiplier
        return mixed

    def lookup(self, hashes: np.ndarray,
               keys: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The keys (their indices, in order) that are some cue word's, and those words.

        A key matches the word of its slot (resolved first where words share the slot) if
        all their windows are equal: the later windows are compared only where the first
        ones are."""
        word = np.take(self.slots, hashes >> self.shift)
        shared = np.flatnonzero(word > self.n_words)  # in the few slots words share
        if len(shared):  # each of those keys: the word of its group it equals, or none
            resolved = np.full(len(shared), self.n_words)
            for other in self.groups[word[shared] - (self.n_words + 1)].T:
                hit = np.ones(len(shared), dtype=bool)
                for key, word_keys in zip(keys, self.keys):
                    hit &= word_keys[other] == key[shared]
                resolved[hit] = other[hit]
            word[shared] = resolved
        found = np.flatnonzero(np.take(self.keys[0], word) == keys[0])
        for key, word_keys in zip(keys[1:], self.keys[1:]):
            found = found[word_keys[word[found]] == key[found]]
        return found, word[found]

    @classmethod
    def build(cls, word_bits: dict[str, int]) -> _WordTable:
        # a word that is not one \w run (a comma or space inside) can never equal a token
        words = [w for w in word_bits if w and "\n" not in w]
        if words:
            starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
            word_char = regex_marks(_TOKEN_CHAR, "\n".join(words))
            words = [w for w, ok in zip(words, np.logical_and.reduceat(word_char, starts)) if ok]
        alphabet = np.array(sorted(map(ord, set("".join(words)))), dtype=np.int64)
        other = len(alphabet) + 1
        dtype = np.dtype(np.uint8 if other < 0xFF else np.uint16 if other < 0xFFFF else np.uint32)
        special = np.iinfo(dtype).max
        lut = np.zeros(0x110000, dtype=dtype)
        lut[alphabet] = np.arange(1, other)

        def build_digits(text: str) -> np.ndarray:
            cps = code_points(text)
            word_char = regex_marks(_TOKEN_CHAR, text) & (cps != 10)
            return np.where(word_char, np.where(lut[cps] != 0, lut[cps], other), 0)

        def build_lowered(text: str) -> np.ndarray:
            lows = list(map(str.lower, text))  # each character alone
            sizes = np.fromiter(map(len, lows), dtype=np.int64, count=len(lows))
            firsts = code_points("".join(lows))[np.cumsum(sizes) - sizes]
            cps = code_points(text)
            single = (sizes == 1) & (cps != 0x3A3)  # capital sigma: by context
            lowered = np.where(single, firsts, cps).tobytes().decode("utf-32-le", "surrogatepass")
            same = single & (_pattern_kinds(text) == _pattern_kinds(lowered))
            return np.where(same, build_digits(lowered), special)

        wide = _WIDER[dtype]

        def build_chars(text: str) -> np.ndarray:
            coded = _CODED_OF(code_points(text)).astype(wide)
            return coded | (build_lowered(text).astype(wide) << wide(8))

        per = 8 // dtype.itemsize
        n_windows = (max(map(len, words), default=0) + 1 + per - 1) // per
        joined = "\n".join(words)
        digits = build_digits(joined).astype(dtype)
        starts = np.concatenate(([0], np.flatnonzero(code_points(joined) == 10) + 1))
        keys = _token_keys(digits, starts, np.array([len(w) for w in words], dtype=np.int64),
                           n_windows)
        bits = np.array([word_bits[w] for w in words] + [0], dtype=np.uint8)
        slot_bits = max(8, len(words).bit_length() + 5)  # 32+ slots a word: few shared
        shift = np.uint64(64 - slot_bits)
        table = cls(CodePointTable(build_digits, dtype), CodePointTable(build_chars, wide), dtype,
                    special, n_windows, _odd_multipliers(n_windows), shift,
                    np.zeros(0, dtype=np.uint8), np.zeros((0, 1), dtype=np.int64), keys, bits)
        slot = (table.hash(keys) >> shift).astype(np.int64)
        used, n_here = np.unique(slot, return_counts=True)
        shared = used[n_here > 1]
        n_words = len(words)
        slots = np.full(1 << slot_bits, n_words,
                        dtype=np.min_scalar_type(n_words + len(shared)))
        slots[slot] = np.arange(n_words)
        groups = np.full((len(shared), int(n_here.max(initial=1))), n_words, dtype=np.int64)
        for g, at in enumerate(shared.tolist()):
            members = np.flatnonzero(slot == at)
            groups[g, :len(members)] = members
            slots[at] = n_words + 1 + g
        # the empty entry and the group entries: keys no token has
        keys = tuple(np.append(k, np.zeros(1 + len(shared), dtype=np.uint64)) for k in keys)
        return dataclasses.replace(table, slots=slots, groups=groups, keys=keys)


def _cut_lines(cps: np.ndarray, newlines: np.ndarray, rows: np.ndarray,
               excess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points and line ends of a text (``cps``, ``newlines``) with the last
    ``excess`` characters of each of its lines ``rows`` (in order) taken out: what joining
    those lines cut short would give, without joining and encoding the text again."""
    ends = np.append(newlines, len(cps))[rows]  # where each of those lines ends
    keep_from = np.concatenate(([0], ends))
    keep_to = np.append(ends - excess, len(cps))
    kept = np.concatenate([cps[a:b] for a, b in zip(keep_from.tolist(), keep_to.tolist())])
    removed = np.zeros(len(newlines) + 1, dtype=np.int64)
    removed[rows] = excess
    return kept, newlines - np.cumsum(removed)[:-1]


def _strip_lengths(read: Sequence[str], coded: np.ndarray, line_starts: np.ndarray,
                   read_len: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per line (``read``, whose characters' codes are ``coded``, lines starting at
    ``line_starts``, ``read_len`` long), what ``str.lstrip`` takes off (its indent) and
    what ``str.rstrip`` leaves (its length less trailing whitespace).

    Why: both methods over every line cost more than the rest of the per-line string work.
    The codes mark what they strip (:data:`_STRIP_BIT`), so only the lines that start (or
    end) with such a character, hardly any, need the methods.
    """
    indent = np.zeros(len(read_len), dtype=np.int64)
    stripped_len = read_len.copy()
    n_cps = len(coded)
    if n_cps == 0:  # nothing but empty lines
        return indent, stripped_len
    strip = np.uint8(_STRIP_BIT)
    nonempty = read_len > 0
    first = coded[np.minimum(line_starts, n_cps - 1)]
    last = coded[np.maximum(line_starts + read_len - 1, 0)]
    lead = np.flatnonzero(nonempty & ((first & strip) != 0))
    trail = np.flatnonzero(nonempty & ((last & strip) != 0))
    indent[lead] = read_len[lead] - np.fromiter(
        (len(read[i].lstrip()) for i in lead.tolist()), dtype=np.int64, count=len(lead))
    stripped_len[trail] = np.fromiter(
        (len(read[i].rstrip()) for i in trail.tolist()), dtype=np.int64, count=len(trail))
    return indent, stripped_len


def _repeats(read: Sequence[str], page_of: np.ndarray,
             fingerprint: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per line, how many lines of its page (itself included) have its text, stripped and
    lower-cased; and 1 for the first of each such set of two or more lines, else 0.

    Why a fingerprint: stripping, lower-casing and looking up every line in a dictionary
    cost a tenth of the layout cues, and most lines are alone of their kind. The
    ``fingerprint`` of a line is a function of that text (equal texts, equal fingerprints),
    so only the lines that share page and fingerprint with another line need their text;
    each other line is a text of its own.
    """
    m = len(page_of)
    repeats = np.ones(m)
    repeat_first = np.zeros(m)
    group = page_of.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + fingerprint
    order = np.argsort(group)
    same_as_next = group[order[1:]] == group[order[:-1]]
    shares = np.zeros(m, dtype=bool)
    shares[:-1] |= same_as_next
    shares[1:] |= same_as_next
    maybe = np.sort(order[shares])
    # each text numbered by its first row among those lines (one dictionary pass), then
    # counted per (page, text) pair
    key_rows: dict[str, int] = {}
    rows = maybe.tolist()
    texts = map(str.lower, map(str.strip, map(read.__getitem__, rows)))
    key_id = np.fromiter(map(key_rows.setdefault, texts, rows), dtype=np.int64, count=len(rows))
    if len(key_rows) < len(rows):
        _, first, inverse, n_same = np.unique(page_of[maybe] * m + key_id, return_index=True,
                                              return_inverse=True, return_counts=True)
        repeats[maybe] = n_same[inverse]
        repeat_first[maybe[first[n_same > 1]]] = 1.0  # first line of each repeated text
    return repeats, repeat_first


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

    # -- what is read of each line: at most MAX_FEATURE_CHARS, no line end inside; its code
    # points, line ends and line lengths. When no line holds a line end (nearly always), the
    # joined text's line ends are the lines' bounds, and give the true lengths too
    cap = settings.MAX_FEATURE_CHARS
    read: Sequence[str] = lines
    joined = "\n".join(lines)
    cps = code_points(joined)
    newlines = np.flatnonzero(cps == 10)
    whole = len(newlines) == m - 1
    if whole:
        true_len_int = np.append(newlines, len(cps)) - np.concatenate(([0], newlines + 1))
    else:
        true_len_int = np.fromiter(map(len, lines), dtype=np.int64, count=m)
    true_len = true_len_int.astype(np.float64)
    if not whole:  # a line end inside some line (rare): read as a space
        read = [line[:cap].replace("\n", " ") if len(line) > cap or "\n" in line else line
                for line in lines]
        cps = code_points("\n".join(read))
        newlines = np.flatnonzero(cps == 10)
    elif true_len_int.max() > cap:  # a few long lines: their tails cut out of the code points
        long_rows = np.flatnonzero(true_len_int > cap)
        read = list(lines)
        for i in long_rows.tolist():
            read[i] = lines[i][:cap]
        cps, newlines = _cut_lines(cps, newlines, long_rows, true_len_int[long_rows] - cap)
    line_starts = np.concatenate(([0], newlines + 1))
    read_len_int = np.append(newlines, len(cps)) - line_starts
    read_len = read_len_int.astype(np.float64)

    # -- characters: each one's code (class, word start, whitespace) and the digit of its
    # lower case for the word cues, in one lookup (:class:`_WordTable`); classes counted per
    # line together with word starts
    table = resources.word_table
    n_cps = len(cps)
    coded, digits = table.split(table.chars(cps))
    code = coded & np.uint8(_CLASS_BITS)  # class, and whether the character follows a space
    code[:1] |= 1  # (no character at all: a batch of empty lines)
    code[1:] |= coded[:-1] & np.uint8(_AFTER_BIT)
    width = 2 * N_CLASSES
    line_base = np.repeat(np.arange(0, m * width, width), read_len_int + 1)[:n_cps]
    line_base += code
    hist = np.bincount(line_base, minlength=m * width).reshape(m, N_CLASSES, 2)
    counts = np.add(hist[:, :, 0], hist[:, :, 1], dtype=np.float64)  # whole numbers: exact
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
    indent, stripped_len = _strip_lengths(read, coded, line_starts, read_len_int)
    first_pos = line_starts + np.minimum(indent, np.maximum(read_len_int - 1, 0))
    last_pos = line_starts + np.maximum(stripped_len - 1, 0)
    # An empty line (possible when called directly) has no character of its own: it reads
    # a line end, or past the text's end (clamped below, or nothing at all). Which one
    # depends on the pages around it in a batch, but none of them is a class or code point
    # any first_/last_ cue tests, so the cues are the same.
    first_pos = np.minimum(first_pos, max(n_cps - 1, 0))
    last_pos = np.minimum(last_pos, max(n_cps - 1, 0))
    first_cls = _class_of(coded[first_pos]) if n_cps else np.zeros(m, dtype=np.uint8)
    last_cls = _class_of(coded[last_pos]) if n_cps else np.zeros(m, dtype=np.uint8)
    first_cp = cps[first_pos] if n_cps else np.zeros(m, dtype=np.uint32)
    dots = np.zeros(m, dtype=bool)
    if n_cps:
        # "..." typed as three full stops, all three inside this line (a line of one or
        # two dots must not borrow the previous line's)
        tail = np.maximum(last_pos - 2, 0)
        dots = ((stripped_len >= 3) & (cps[last_pos] == 46) & (cps[tail] == 46)
                & (cps[np.minimum(tail + 1, n_cps - 1)] == 46))

    # -- word cues: every token of the lower-cased text looked up among the cue words. The
    # text is lower-cased through a table, character by character, unless some character's
    # lower case is not one character of the same kind (:class:`_WordTable`): only then is
    # the lower-cased text built
    lower_cps, lower_newlines, lower_coded = cps, newlines, coded
    special = bool(n_cps) and digits.max() == table.special
    if special:
        lower_cps = code_points("\n".join(read).lower())
        lower_newlines = np.flatnonzero(lower_cps == 10)  # lower-casing keeps every line end
        lower_coded = _CODED_OF(lower_cps)
        digits = table.digits(lower_cps)
    word_cues = _word_cue_counts(digits, lower_newlines, m, table)
    n_tokens, bit_counts = word_cues.n_tokens, word_cues.bit_counts
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
    candidates = _pattern_candidates(lower_cps, lower_newlines, lower_coded)
    for name, pattern in chain(PATTERNS.items(), [("email", _EMAIL)]):
        hit = np.zeros(m, dtype=bool)
        rows = candidates[name][can_match[name][candidates[name]]]
        if name in _EXACT_CANDIDATES:
            hit[rows] = True
        elif len(rows):  # a line lower-cased alone is that line of the lower-cased text
            hit[rows] = _pattern_rows([read[i].lower() for i in rows.tolist()], pattern)
        cue[name] = cue[name] | hit if name in cue else hit

    # -- repetition within the page. With no special character, a line's stripped text,
    # lower-cased, is its lower-cased characters between indent and stripped length: so
    # its length and the hash of its tokens are a fingerprint of it (otherwise, none).
    if special:
        fingerprint = np.zeros(m, dtype=np.uint64)
    else:
        key_len = np.maximum(stripped_len - indent, 0).astype(np.uint64)
        fingerprint = word_cues.token_hash + key_len * np.uint64(0xD6E8FEB86659FD93)
    repeats, repeat_first = _repeats(read, page_of, fingerprint)

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


def score_features_batch(probs: np.ndarray,
                         spans: Iterable[tuple[int, int, np.ndarray]]) -> np.ndarray:
    """:func:`score_features` of several pages at once: ``spans`` gives each page's rows of
    ``probs`` and its lines' positions (as ``(start, end, positions)``), and the result is,
    bit for bit, ``np.vstack([score_features(probs[a:b], positions) for a, b, positions in
    spans])``.

    Why: per page, the columns were a couple of dozen numpy calls on a few dozen rows, so
    their fixed cost was most of the time. Here each column is one call over all the rows,
    with each row's page (shifts masked at page edges, windows clipped to the page, blocks
    numbered on over the pages). Floating point sums are made in the per-page order:
    running sums stay one ``np.cumsum`` per page (a running sum over all rows, less what
    came before the page, would round differently), block sums are one ``bincount`` (which
    adds in row order), and the page mean stays one ``np.mean`` per page. Values are
    computed in float64 and rounded once to float32, as per page.
    """
    spans = [(int(a), int(b), positions) for a, b, positions in spans]
    k = probs.shape[1]
    n_parts = 1 + len(settings.CONTEXT_OFFSETS) + len(settings.SMOOTHING_WINDOWS) + 2
    sizes = np.array([b - a for a, b, _ in spans], dtype=np.int64)
    m = int(sizes.sum())
    out = np.empty((m, n_parts * k), dtype=np.float32)
    if m == 0:
        return out
    rows = [(a, b) for a, b, _ in spans if b > a]
    if all(b1 == a2 for (_, b1), (a2, _) in pairwise(rows)):
        values = probs[rows[0][0]:rows[-1][1]]  # consecutive pages: no copy
    else:
        values = np.concatenate([probs[a:b] for a, b in rows])
    n_pages = len(spans)
    page_start = np.cumsum(sizes) - sizes
    page_of = np.repeat(np.arange(n_pages), sizes)
    idx = np.arange(m) - page_start[page_of]  # row within its page
    size_of = sizes[page_of]
    parts = [slice(j * k, (j + 1) * k) for j in range(n_parts)]

    out[:, parts[0]] = values
    for j, off in enumerate(settings.CONTEXT_OFFSETS, start=1):
        _shifted(out[:, parts[j]], values, off, -1.0)
        # the rows whose neighbour is past their page's edge: the first or last few
        steps = np.arange(abs(off))
        edge = (page_start + sizes - 1 - steps[:, None] if off > 0
                else page_start + steps[:, None])
        out[edge[steps[:, None] < sizes], parts[j]] = -1.0
    # each page's running sums after a zero row, as score_features builds them: page p's
    # zero row is row start + p of ``csum``, its rows follow
    csum = np.zeros((m + n_pages, k))
    row_base = (page_start + np.arange(n_pages))[page_of]
    csum[row_base + idx + 1] = np.concatenate([np.cumsum(probs[a:b], axis=0) for a, b in rows])
    for j, w in enumerate(settings.SMOOTHING_WINDOWS, start=1 + len(settings.CONTEXT_OFFSETS)):
        lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, size_of)
        out[:, parts[j]] = ((np.take(csum, row_base + hi, axis=0) - np.take(csum, row_base + lo, axis=0))
                            / (hi - lo)[:, None])
    pos = np.concatenate([np.asarray(positions, dtype=np.int64) for _, _, positions in spans])
    new_block = np.ones(m, dtype=bool)
    new_block[1:] = pos[1:] - pos[:-1] - 1 > 0
    new_block[page_start[sizes > 0]] = True
    block_id = np.cumsum(new_block) - 1
    block_sizes = np.bincount(block_id).astype(np.float64)
    bins = (block_id[:, None] * k + np.arange(k)).ravel()
    block_mean = np.bincount(bins, weights=values.ravel()).reshape(-1, k) / block_sizes[:, None]
    out[:, parts[-2]] = np.take(block_mean, block_id, axis=0)
    page_mean = np.array([probs[a:b].mean(axis=0) for a, b in rows])
    out[:, parts[-1]] = np.take(page_mean, np.cumsum(sizes > 0)[page_of] - 1, axis=0)
    return out
