"""The DOM cues of a line: tag and class/id flags, block statistics, the HTML model's columns.

Why apart: the cue columns are the HTML model's contract (:data:`CUE_NAMES`,
:data:`DOM_NAMES`); the walk only records what each line sat in, and this module turns
that into numbers.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np

# --- cues -----------------------------------------------------------------------------

# flags set by the element's tag; each cue is the share of the line's characters inside
# such an element (so ``in_a`` is the line's link density)
_TAG_FLAGS: tuple[tuple[str, frozenset[str]], ...] = (
    ("in_a", frozenset({"a"})),
    ("in_li", frozenset({"li", "dt", "dd"})),
    ("in_list", frozenset({"ul", "ol", "dl", "menu", "dir"})),
    ("in_nav", frozenset({"nav"})),
    ("in_header", frozenset({"header"})),
    ("in_footer", frozenset({"footer"})),
    ("in_aside", frozenset({"aside"})),
    ("in_form", frozenset({"form", "fieldset", "input", "textarea"})),
    ("in_table", frozenset({"table"})),
    ("in_heading", frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hgroup"})),
    ("in_h1", frozenset({"h1"})),
    ("in_p", frozenset({"p"})),
    ("in_article", frozenset({"article"})),
    ("in_main", frozenset({"main"})),
    ("in_blockquote", frozenset({"blockquote", "q"})),
    ("in_figure", frozenset({"figure", "figcaption"})),
    ("in_button", frozenset({"button"})),
    ("in_label", frozenset({"label", "legend"})),
    ("in_select", frozenset({"select", "option", "optgroup"})),
    ("in_emphasis", frozenset({"strong", "b", "em", "i"})),
    ("in_time", frozenset({"time"})),
    ("in_pre", frozenset({"pre", "code"})),
)

# flags set by words in an element's class or id. Long stems match inside a token
# ("commentlist", "sitenav", "sidebar-widget"), short ones only as a whole token ("ad"
# must not fire on "header", "post" not on "poster").
_CLASS_FLAGS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # name, substrings, whole tokens
    ("cls_nav", ("nav", "menu"), ()),
    ("cls_breadcrumb", ("breadcrumb", "crumb"), ()),
    ("cls_header", ("header", "masthead", "topbar"), ("top",)),
    ("cls_footer", ("footer", "copyright", "colophon"), ("foot", "bottom")),
    ("cls_sidebar", ("sidebar", "widget", "aside"), ("rail", "side")),
    ("cls_share", ("share", "social", "sharing", "facebook", "twitter", "follow"), ()),
    ("cls_comment", ("comment", "reply", "respond", "discussion", "disqus"), ()),
    ("cls_related", ("related", "recommend", "popular", "trending", "outbrain", "taboola",
                     "readmore", "read-more"), ("more", "also", "next", "prev")),
    ("cls_promo", ("promo", "advert", "sponsor", "banner", "newsletter", "subscribe", "adsense",
                   "signup"), ("ad", "ads", "adv", "dfp", "gpt")),
    ("cls_tag", ("category", "categories", "keyword"), ("tag", "tags", "topic", "topics")),
    ("cls_meta", ("byline", "author", "dateline", "timestamp", "published", "posted"),
     ("date", "time", "meta", "by", "info")),
    ("cls_caption", ("caption", "credit", "photo"), ("img", "image", "media")),
    ("cls_title", ("title", "headline", "heading"), ("hed", "head")),
    ("cls_content", ("content", "article", "entry", "story", "body", "text"),
     ("post", "main", "blog")),
)

_FRACTION_NAMES = tuple(name for name, _ in _TAG_FLAGS) + tuple(name for name, _, _ in _CLASS_FLAGS)

CUE_NAMES: tuple[str, ...] = _FRACTION_NAMES + (
    "depth",                   # depth of the line's block in the DOM, /40, capped at 1
    "text_before",             # share of the page's text (characters) before this line
    "block_lines",             # lines in the same block element, log-scaled to [0, 1]
    "block_link_density",      # link characters / characters over all lines of that block
    "block_chars",             # characters of that block, log-scaled to [0, 1]
    "repeat_self",             # siblings of the block with its tag and class, log-scaled
    "repeat_ancestor",         # the same, largest over the block's ancestors (comment threads)
    "same_path_lines",         # lines on the page with the same DOM path, log-scaled
)
"""Names of the columns of :attr:`HtmlLines.cues`, in order. All values lie in [0, 1]."""

_N_FRAC = len(_FRACTION_NAMES)
_TAG_BITS: dict[str, int] = {}
for _i, (_name, _tags) in enumerate(_TAG_FLAGS):
    for _t in _tags:
        _TAG_BITS[_t] = _TAG_BITS.get(_t, 0) | (1 << _i)
_CLASS_BASE = len(_TAG_FLAGS)
_TOKEN = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


_CACHED_CLASS_CHARS = 200
"""Only class/id strings up to this long are cached: the cache then holds at most about
65,536 x 200 characters (a distinct 1 MB class per page grew it by 1 MB a page)."""


def _class_bits(words: str) -> int:
    """Class/id string -> bitmask of class-word flags. Cached: pages repeat class names."""
    if len(words) <= _CACHED_CLASS_CHARS:
        return _class_bits_cached(words)
    return _class_bits_uncached(words)


def _class_bits_uncached(words: str) -> int:
    low = _CAMEL.sub(r"\1 \2", words).lower()
    tokens = set(_TOKEN.findall(low))
    joined = " ".join(tokens)
    bits = 0
    for i, (_, subs, whole) in enumerate(_CLASS_FLAGS):
        if any(s in joined for s in subs) or any(w in tokens for w in whole):
            bits |= 1 << (_CLASS_BASE + i)
    return bits


_class_bits_cached = lru_cache(maxsize=65536)(_class_bits_uncached)


@lru_cache(maxsize=4096)
def _bits_vector(mask: int) -> np.ndarray:
    return np.array([(mask >> i) & 1 for i in range(_N_FRAC)], dtype=np.float64)


def tag_fractions(bounds: list[int], masks: list[int], chars: list[int],
                  n_lines: int) -> np.ndarray:
    """Per line, the share of its characters inside each flagged element (the first
    ``_N_FRAC`` cue columns), float64.

    Pieces of text come as flag ``masks`` and ``chars`` (characters), line ``i``'s being
    ``masks[bounds[i]:bounds[i + 1]]``. A line's pieces with the same mask are summed
    first and the masks then added in the order they first appear, so the sums are the
    very floats a per-line loop gives (the HTML model was trained on those)."""
    out = np.zeros((n_lines, _N_FRAC))
    if not masks:
        return out
    mask_arr = np.asarray(masks, dtype=np.int64)
    char_arr = np.asarray(chars, dtype=np.float64)
    line_of = np.repeat(np.arange(n_lines), np.diff(np.asarray(bounds)))
    runs = np.flatnonzero(np.r_[True, (mask_arr[1:] != mask_arr[:-1]) | (line_of[1:] != line_of[:-1])])
    if len(runs) == len(np.unique(line_of[runs])):
        # every line's pieces share one mask (most pages): its shares are n / n = 1.0
        distinct, mask_idx = np.unique(mask_arr[runs], return_inverse=True)
        out[line_of[runs]] = np.vstack([_bits_vector(int(m)) for m in distinct])[mask_idx]
        return out
    distinct, mask_idx = np.unique(mask_arr, return_inverse=True)
    keys, first, key_idx = np.unique(line_of * len(distinct) + mask_idx, return_index=True,
                                     return_inverse=True)
    key_chars = np.bincount(key_idx, weights=char_arr)
    order = np.argsort(first, kind="stable")
    key_line, key_mask = np.divmod(keys[order], len(distinct))
    totals = np.bincount(line_of, weights=char_arr, minlength=n_lines)
    share = key_chars[order] / np.where(totals > 0, totals, 1.0)[key_line]
    bits = np.vstack([_bits_vector(int(m)) for m in distinct])
    rows = bits[key_mask] * share[:, None]
    # added one rank at a time (a line's first mask, then its second...): the order of a
    # per-line loop; ``np.add.reduceat`` sums in another order, which moves the last bit
    new_line = np.r_[True, key_line[1:] != key_line[:-1]]
    seg_start = np.flatnonzero(new_line)
    rank = np.arange(len(key_line)) - seg_start[np.cumsum(new_line) - 1]
    for r in range(int(rank.max()) + 1):
        sel = rank == r
        out[key_line[sel]] += rows[sel]
    return out


def cue_matrix(lines: list[str], bounds: list[int], masks: list[int], chars: list[int],
               depths: list[int], blocks: list[int], reps: list[tuple[int, int]],
               paths: list[str]) -> np.ndarray:
    """The float32 cue rows (:data:`CUE_NAMES`) of a page's lines, from what the walk kept
    per line: its pieces' flag masks (see :func:`tag_fractions`), its block's depth, index
    and repetition counts, its full DOM path."""
    n = len(lines)
    fracs = tag_fractions(bounds, masks, chars, n)
    cues = np.zeros((n, len(CUE_NAMES)), dtype=np.float32)
    cues[:, :_N_FRAC] = fracs
    col = _N_FRAC
    cues[:, col] = np.minimum(np.asarray(depths, dtype=np.float32) / 40.0, 1.0)
    line_chars = np.fromiter((len(t) for t in lines), dtype=np.float64, count=n)
    before = np.cumsum(line_chars) - line_chars
    cues[:, col + 1] = before / max(line_chars.sum(), 1.0)
    _, inverse, counts = np.unique(np.asarray(blocks), return_inverse=True, return_counts=True)
    cues[:, col + 2] = np.minimum(np.log1p(counts[inverse] - 1) / math.log(64), 1.0)
    block_chars = np.bincount(inverse, weights=line_chars)
    block_links = np.bincount(inverse, weights=fracs[:, 0] * line_chars)
    cues[:, col + 3] = (block_links / np.maximum(block_chars, 1.0))[inverse]
    cues[:, col + 4] = np.minimum(np.log1p(block_chars[inverse]) / math.log(20000), 1.0)
    rep = np.asarray(reps, dtype=np.float64)
    cues[:, col + 5] = np.minimum(np.log(np.maximum(rep[:, 0], 1.0)) / math.log(50), 1.0)
    cues[:, col + 6] = np.minimum(np.log(np.maximum(rep[:, 1], 1.0)) / math.log(50), 1.0)
    path_ids: dict[str, int] = {}
    pinv = np.fromiter((path_ids.setdefault(p, len(path_ids)) for p in paths), dtype=np.intp,
                       count=n)  # a dict, not np.unique: sorting strings cost more
    pcounts = np.bincount(pinv)
    cues[:, col + 7] = np.minimum(np.log1p(pcounts[pinv] - 1) / math.log(64), 1.0)
    np.clip(cues, 0.0, 1.0, out=cues)
    return cues


# -- the HTML model's extra columns ------------------------------------------------------

DOM_NAMES: tuple[str, ...] = tuple(f"dom_{name}" for name in CUE_NAMES) + ("dom_has_dom",)
"""The extra columns of the HTML model: the DOM cues, then whether the page had a DOM at
all (pages that came as plain text train it with zero cues and ``has_dom`` 0, so it keeps
what the text model knows about Arabic and clickbait, which the HTML sets lack)."""


def dom_columns(cues: np.ndarray, *, has_dom: bool = True) -> np.ndarray:
    """``extract().cues`` as the HTML model's extra columns (cues, then ``has_dom``)."""
    flag = np.full((cues.shape[0], 1), 1.0 if has_dom else 0.0, dtype=np.float32)
    return np.hstack([cues.astype(np.float32), flag])


def no_dom(n_lines: int) -> np.ndarray:
    """The extra columns of a page that came as plain text: zeros, ``has_dom`` 0."""
    return np.zeros((n_lines, len(DOM_NAMES)), dtype=np.float32)

