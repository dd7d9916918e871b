"""HTML in, lines out: a page's visible text as a WET-style line list, plus DOM cues per line.

Why this module exists: scrapers hold HTML before they hold text, and the DOM carries what
plain text has lost (whether a line is a link, sits in a ``<nav>`` or a ``div.comments``,
belongs to a list of twenty look-alike items). :func:`extract` turns HTML into exactly the
lines a plain-text extract would give (so the text model reads what it was trained on) and
keeps, for every line, a short DOM path and a row of numeric cues (:data:`CUE_NAMES`).

How lines are cut, and why:

* a line break at every block-level element and at ``<br>`` (what browsers, Common Crawl's
  WET files and html2text-style scrapers do); inline elements (``a``, ``span``, ``b``...)
  join their text into the surrounding line, so ``Hel<b>lo</b>`` stays ``Hello``;
* whitespace collapsed to single spaces inside a line (HTML rendering rules), except in
  ``<pre>``, whose own line breaks are kept;
* dropped: what a browser does not show: ``<head>``, scripts, styles, ``<noscript>``,
  ``<template>``, SVG, iframes and embedded objects, comments, and elements hidden by the
  ``hidden`` attribute, ``aria-hidden="true"`` or an inline ``display:none`` /
  ``visibility:hidden`` style;
* nothing else is dropped or reordered: every visible text node lands in exactly one line,
  in document order.

The module is pure (same input, same output) and never raises on bad HTML: a document lxml
cannot parse, or one without visible text, gives zero lines. libxml2 stops parsing a
document nested deeper than 2048 elements (the rest of the page was lost) and checks a
tag's attributes against each other (quadratic: 200,000 attributes took minutes), so
:func:`_guard` rewrites such markup first, in one linear pass: a tag's attributes beyond
:data:`MAX_ATTRIBUTES` are dropped except the few this module reads, and, only when
libxml2 reported the depth limit, elements deeper than :data:`FLATTEN_DEPTH` become line
breaks (blocks) or nothing (inline), their text kept. Ordinary pages are never rewritten,
so their lines, paths and cues are unchanged.

Why lxml and not a lexbor parser (selectolax, resiliparse): measured with selectolax 1.0.2,
lexbor is quadratic too (200,000 attributes: 275 s; 100,000 nested ``div``: 37 s) and
builds the HTML5 tree (``tbody`` inserted, other repairs), which would change the DOM
paths and cues the HTML model was trained on.
"""

from __future__ import annotations

import codecs
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

__all__ = ["CUE_NAMES", "HtmlLines", "decode_html", "extract"]

# --- element classes ----------------------------------------------------------------

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend",
    "li", "main", "menu", "nav", "ol", "optgroup", "option", "p", "pre", "section", "select",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "textarea",
})
"""Elements that start and end a line (CSS ``display: block``/``list-item``/table parts by
default). ``td``/``th`` are blocks too: plain-text extracts put each cell on its own line."""

PARAGRAPH_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dl", "menu",
    "dir", "figure", "hr", "fieldset", "table", "address", "center", "details", "hgroup",
})
"""Blocks a browser sets apart with a vertical margin: a text writer puts a blank line at
their edges (see :attr:`HtmlLines.paragraph_starts`); other blocks (``div``, ``li``, ``td``)
only break the line."""

SEPARATE_TAGS = frozenset({"label", "input", "button", "select", "output", "meter", "progress",
                           "img"})
"""Inline elements that read as separate words: their edges are word breaks."""

SKIP_TAGS = frozenset({
    "head", "script", "style", "noscript", "template", "svg", "math", "iframe", "frame",
    "object", "embed", "canvas", "video", "audio", "map", "applet", "param", "link", "meta",
    "title", "base",
})
"""Elements whose whole subtree is invisible text-wise (or not text at all)."""

_INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
                             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

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


def _hidden(el) -> bool:
    get = el.get
    if get("hidden") is not None:
        return True
    aria = get("aria-hidden")
    if aria is not None and aria.strip().lower() == "true":
        return True
    style = get("style")
    if style:
        s = style.lower().replace(" ", "")
        if "display:none" in s or "visibility:hidden" in s:
            return True
    return False


def _short(el, tag: str) -> str:
    """``tag#id.class`` with the id and the first class, each cut to 30 characters."""
    out = tag
    ident = el.get("id")
    if ident:
        ident = ident.strip().split()
        if ident:
            out += "#" + ident[0][:30]
    cls = el.get("class")
    if cls:
        parts = cls.split()
        if parts:
            out += "." + parts[0][:30]
    return out


def _shorten_path(path: str, keep: int = 8) -> str:
    parts = path.split(">")
    if len(parts) <= keep + 2:
        return path
    return ">".join(parts[:2] + ["…"] + parts[-keep:])


# --- decoding -------------------------------------------------------------------------

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([a-zA-Z0-9_.:\-]{2,40})""")
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
"""Byte-order marks, longest first: the UTF-32-LE mark starts with the UTF-16-LE one."""
# the WHATWG encoding standard maps these labels to a superset, as browsers do
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
            "us-ascii": "cp1252", "iso8859-1": "cp1252", "iso-8859-9": "cp1254",
            "tis-620": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-sjis": "shift_jis",
            "iso-8859-6": "iso-8859-6", "windows-1256": "cp1256", "x-user-defined": "cp1252"}


def _declared(data: bytes) -> str | None:
    head = data[:8192]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "ignore").lower().strip("-_.")
    label = _ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # a meta tag that says UTF-16 was read as ASCII, so it cannot be UTF-16 (WHATWG rule)
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def decode_html(data: bytes | str) -> tuple[str, str]:
    """HTML bytes -> (text, encoding used). A byte-order mark wins, then the page's own
    ``<meta charset>`` (or XML declaration), then UTF-8; bytes that are not valid UTF-8 go
    to ``charset_normalizer`` when it is installed, else UTF-8 with U+FFFD replacement."""
    if isinstance(data, str):
        return (data[1:] if data.startswith("\ufeff") else data), "str"
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name.startswith("utf-32"):
                # FF FE 00 00 is also a UTF-16-LE mark before a NUL: UTF-32 only when the
                # rest really is UTF-32, else the shorter mark's reading
                try:
                    return data[len(bom):].decode(name), name
                except UnicodeDecodeError:
                    continue
            return data[len(bom):].decode(name, errors="replace"), name
    declared = _declared(data)
    if declared:
        return data.decode(declared, errors="replace"), declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return data.decode("utf-8", errors="replace"), "utf-8"
    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), "utf-8"
    return str(best), best.encoding


_SURROGATE = re.compile("[\ud800-\udfff]")


# --- extraction -----------------------------------------------------------------------

@dataclass(frozen=True)
class HtmlLines:
    """A page's visible text as lines, with each line's DOM path and cue row.

    ``lines`` never holds a blank line; ``paths[i]`` and ``cues[i]`` belong to ``lines[i]``.
    """

    lines: list[str]
    paths: list[str]
    cues: np.ndarray = field(repr=False)
    """float32, ``len(lines)`` x ``len(CUE_NAMES)``."""
    encoding: str = "str"
    paragraph_starts: list[bool] | None = None
    """Per line, whether it opens a paragraph: it follows the edge of an element a browser
    sets apart with a margin (``p``, headings, lists, ``blockquote``, ``pre``...) or a
    ``<br><br>``. Writers of text put a blank line there; ``lines`` itself never holds a
    blank line, since the HTML model's features count lines as they are. None: unknown."""


class _Node:
    """An open element on the walk's stack."""

    __slots__ = ("el", "tag", "mask", "path", "depth", "block", "rep", "rep_anc", "child_keys", "uid")

    def __init__(self, el, tag, mask, path, depth, block, rep, rep_anc, uid):
        self.el, self.tag, self.mask, self.path, self.depth = el, tag, mask, path, depth
        self.block, self.rep, self.rep_anc, self.uid = block, rep, rep_anc, uid
        self.child_keys = None


def _empty(encoding: str) -> HtmlLines:
    return HtmlLines([], [], np.zeros((0, len(CUE_NAMES)), dtype=np.float32), encoding, [])


def _visible(text: str) -> bool:
    return any(c not in _INVISIBLE_CHARS for c in text)


def _parse(text: str, flatten: bool = False):
    """lxml's tree of ``text`` after :func:`_guard`; when libxml2 stopped at its depth limit
    (the rest of the page lost), parsed again with the deep elements flattened."""
    from lxml import etree

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8",
                              recover=True, no_network=True, huge_tree=True)
    # libxml2 reads a NUL as the end of the document: everything after it was lost. HTML
    # parsers replace a NUL in text with U+FFFD, and so does this one.
    data = _SURROGATE.sub("\ufffd", _guard(text, flatten)).replace("\x00", "\ufffd").encode("utf-8")
    if not data.strip():
        return None
    root = etree.fromstring(data, parser)
    if not flatten and any("Excessive depth" in e.message for e in parser.error_log):
        return _parse(text, flatten=True)
    return root


# --- the guard against libxml2's limits and quadratic paths -------------------------------

MAX_ATTRIBUTES = 256
"""A start tag with more attributes keeps only those this module reads (below)."""
FLATTEN_DEPTH = 1024
"""With flattening on, elements nested deeper than this are flattened (libxml2 stops at 2048)."""
_READ_ATTRIBUTES = frozenset({"class", "id", "style", "hidden", "aria-hidden"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
                   "meta", "param", "source", "track", "wbr", "basefont", "bgsound", "frame"})
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea",
                       "title", "noscript", "plaintext"})
"""Elements whose content the tokenizer reads as text up to their end tag: no tags inside."""
_SELF_CLOSING_SIBLINGS = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th"})
"""A start tag of one of these closes an open one of the same name (``<li>a<li>b``)."""
_MARKUP = re.compile(r"<(?:(!--)|(/)?([A-Za-z][^\t\n\f\r />]*)|[!?])")
_SPACE = "\t\n\f\r "
_SIMPLE_BODY = (rf"(?:[{_SPACE}/]+[^{_SPACE}/>=\"'<][^{_SPACE}/>=]*"
                rf"(?:[{_SPACE}]*=[{_SPACE}]*(?:\"[^\"]*\"|'[^']*'|[^{_SPACE}>\"'=<`]+))?){{0,64}}[{_SPACE}/]*>")
_SIMPLE_ATTRS = re.compile(_SIMPLE_BODY)
"""A start tag's rest when it has at most 64 plain attributes: one C-level match per tag."""
_SUSPECT = re.compile(rf"<[A-Za-z][^{_SPACE}/>]*(?![^{_SPACE}/>])(?!{_SIMPLE_BODY})")
"""A start tag that is not simple: when a document has none (one C-level search), no tag
can have too many attributes and the scan is skipped."""
_ATTR = re.compile(
    rf"[{_SPACE}/]*(?:(>)|([^{_SPACE}/>][^{_SPACE}/>=]*)"
    rf"(?:[{_SPACE}]*=[{_SPACE}]*(\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z)|[^{_SPACE}>]*))?)")
"""One attribute (name, optional value; an unclosed quote runs to the end, as in HTML) or
the tag's closing ``>``."""
_END_RAW: dict[str, re.Pattern] = {}
_HIDDEN_ATTRS = re.compile(r"\bhidden\b|aria-hidden\s*=\s*[\"']?\s*true|display\s*:\s*none|"
                           r"visibility\s*:\s*hidden", re.IGNORECASE)


def _end_raw(name: str) -> re.Pattern:
    pattern = _END_RAW.get(name)
    if pattern is None:
        pattern = _END_RAW[name] = re.compile(rf"</{re.escape(name)}[{_SPACE}/>]", re.IGNORECASE)
    return pattern


def _guard(text: str, flatten: bool = False) -> str:
    """``text`` with the markup libxml2 handles badly rewritten, in one linear pass; the
    very string when nothing needs it (every ordinary page).

    * A start tag with more than :data:`MAX_ATTRIBUTES` attributes keeps only the first
      ``class``, ``id``, ``style``, ``hidden`` and ``aria-hidden`` (the first wins in HTML):
      no text lives in attributes, and these are all that extraction reads.
    * With ``flatten``: elements deeper than :data:`FLATTEN_DEPTH` (by a tag stack that
      knows void elements, raw-text elements and the common implied end tags) lose their
      tags: a block's start and end tag become ``<br>``, an inline tag goes, and an element
      that would be dropped anyway (script, style, hidden...) goes with its content. The
      text stays, in order, and line breaks stay where the blocks were.

    Tags are found as the HTML tokenizer finds them (comments, raw text of scripts and
    styles, quoted attribute values holding ``>``); the scan never goes back, so its cost
    is linear in the text.
    """
    if not flatten and (len(text) < 2 * MAX_ATTRIBUTES or _SUSPECT.search(text) is None):
        return text
    out: list[str] = []
    copied = 0          # text[:copied] is in ``out`` (or deliberately left out)
    pos = 0
    n = len(text)
    stack: list[tuple[str, int]] = []   # (name, kind): 0 kept, 1 flattened block, 2 flattened inline
    open_count: dict[str, int] = {}
    drop_from = -1      # inside an element dropped by flattening: where it started
    drop_depth = 0
    changed = False
    while pos < n:
        m = _MARKUP.search(text, pos)
        if m is None:
            break
        start = m.start()
        if m.group(1):  # a comment
            end = text.find("-->", m.end())
            pos = n if end < 0 else end + 3
            continue
        name = m.group(3)
        if name is None:  # <!doctype ...>, <?...>, </ without a name: up to the next ">"
            end = text.find(">", m.end())
            pos = n if end < 0 else end + 1
            continue
        name = name.lower()
        if m.group(2):  # an end tag
            end = text.find(">", m.end())
            pos = n if end < 0 else end + 1
            if not flatten or not open_count.get(name):
                continue
            while stack:
                top, kind = stack.pop()
                open_count[top] -= 1
                if drop_from < 0 and kind:
                    out.append(text[copied:start])
                    out.append("<br>" if kind == 1 else "")
                    copied = pos
                    changed = True
                if drop_from >= 0 and len(stack) < drop_depth:
                    drop_from, copied, changed = -1, pos, True
                if top == name:
                    break
            continue
        # a start tag: its attributes
        simple = _SIMPLE_ATTRS.match(text, m.end())
        if simple is not None:
            pos = simple.end()
        else:
            pos = _long_tag(text, m.end(), start, name, out, copied)
            if pos < 0:  # rewritten: ``out`` holds everything up to the tag's end
                pos, copied, changed = -pos, -pos, True
        if name in _RAW_TEXT:
            end = _end_raw(name).search(text, pos)
            raw_end = n if end is None else end.start()
        else:
            raw_end = pos
        if not flatten or name in _VOID:
            pos = raw_end
            continue
        if name in _SELF_CLOSING_SIBLINGS and stack and stack[-1][0] == name:
            top, _ = stack.pop()  # implied end tag (a flattened one: this tag's <br> ends it)
            open_count[top] -= 1
        if drop_from >= 0 or len(stack) < FLATTEN_DEPTH:
            kind = 0
        elif name in SKIP_TAGS or name in _RAW_TEXT or _HIDDEN_ATTRS.search(text, m.end(), pos):
            out.append(text[copied:start])
            drop_from, drop_depth, changed = start, len(stack) + 1, True
            kind = 0
        else:
            kind = 1 if name in BLOCK_TAGS else 2
            out.append(text[copied:start])
            out.append("<br>" if kind == 1 else "")
            copied, changed = raw_end if name in _RAW_TEXT else pos, True
        if name in _RAW_TEXT:
            pos = raw_end
            if drop_from >= 0 and len(stack) + 1 == drop_depth:  # a dropped raw-text element: over
                end_tag = text.find(">", raw_end)
                pos = n if end_tag < 0 else end_tag + 1
                drop_from, copied = -1, pos
            continue
        stack.append((name, kind))
        open_count[name] = open_count.get(name, 0) + 1
    if not changed:
        return text
    if drop_from < 0:
        out.append(text[copied:])
    return "".join(out)


def _long_tag(text: str, pos: int, start: int, name: str, out: list[str], copied: int) -> int:
    """Scan the attributes of the start tag ``text[start:...]`` from ``pos``, one by one.
    Returns where the tag ends; when it has more than :data:`MAX_ATTRIBUTES` attributes,
    appends ``text[copied:start]`` and the tag rebuilt with only the attributes extraction
    reads to ``out``, and returns minus the end."""
    count = 0
    kept: dict[str, str] = {}
    n = len(text)
    while pos < n:
        a = _ATTR.match(text, pos)
        if a is None or a.end() == pos:  # a stray character: HTML skips it
            pos += 1
            continue
        pos = a.end()
        if a.group(1):
            break
        if a.group(2) is None:
            continue
        count += 1
        key = a.group(2).lower()
        if key in _READ_ATTRIBUTES and key not in kept:
            kept[key] = a.group(0).strip(_SPACE + "/")
    if count <= MAX_ATTRIBUTES:
        return pos
    out.append(text[copied:start])
    out.append(f"<{name} " + " ".join(kept.values()) + ">")
    return -pos


def extract(html: str | bytes) -> HtmlLines:
    """The page's visible text as lines, with a DOM path and a cue row per line.

    Never raises on malformed input: what lxml cannot parse gives zero lines.
    """
    try:
        text, encoding = decode_html(html)
    except Exception:  # noqa: BLE001 - a codec failure is a page without lines, not a crash
        return _empty("unknown")
    try:
        root = _parse(text)
    except Exception:  # noqa: BLE001 - lxml refuses some inputs outright
        return _empty(encoding)
    if root is None:
        return _empty(encoding)
    try:
        return _walk(root, encoding)
    except RecursionError:
        return _empty(encoding)


def _walk(root, encoding: str) -> HtmlLines:
    from lxml import etree

    lines: list[str] = []
    paths: list[str] = []
    fracs: list[np.ndarray] = []
    depths: list[int] = []
    blocks: list[int] = []          # uid of the line's block element
    link_chars: list[float] = []
    reps: list[tuple[int, int]] = []

    pieces: list[str] = []          # raw text of the line being built
    masks: list[tuple[int, int]] = []   # (flag mask, characters) per piece
    starts: list[bool] = []         # per line: opens a paragraph
    para = [True, 0]                # [the next line opens a paragraph, <br>s since the last line]

    stack: list[_Node] = []
    block_stack: list[_Node] = []
    uid_counter = [0]

    def flush() -> None:
        if not pieces:
            return
        raw = "".join(pieces)
        line = " ".join(raw.split())
        if line and _visible(line):
            total = sum(n for _, n in masks) or 1
            by_mask: dict[int, int] = {}
            for m, n in masks:
                by_mask[m] = by_mask.get(m, 0) + n
            vec = np.zeros(_N_FRAC)
            for m, n in by_mask.items():
                vec += _bits_vector(m) * (n / total)
            node = block_stack[-1] if block_stack else None
            lines.append(line)
            starts.append(para[0])
            para[0], para[1] = False, 0
            paths.append(node.path if node else "")
            fracs.append(vec)
            depths.append(node.depth if node else 0)
            blocks.append(node.uid if node else -1)
            link_chars.append(vec[0] * len(line))
            reps.append((node.rep, node.rep_anc) if node else (1, 1))
        pieces.clear()
        masks.clear()

    def add(text: str | None, mask: int) -> None:
        if not text:
            return
        if pre_depth[0] and "\n" in text:
            first = True
            for part in text.split("\n"):
                if not first:
                    flush()
                first = False
                if part:
                    pieces.append(part)
                    masks.append((mask, len(part.strip())))
            return
        pieces.append(text)
        masks.append((mask, len(text.strip())))

    pre_depth = [0]
    skipped = None
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if not isinstance(tag, str):  # entities and the like: no text of their own
            if event == "end":
                add(el.tail, stack[-1].mask if stack else 0)
            continue
        if event == "start":
            tag = tag.lower()
            if ":" in tag:
                tag = tag.rsplit(":", 1)[1]
            if tag in SKIP_TAGS or _hidden(el):
                walker.skip_subtree()
                skipped = el
                continue
            if tag == "br":
                flush()
                para[1] += 1
                if para[1] >= 2:  # <br><br>: a paragraph break
                    para[0] = True
                walker.skip_subtree()
                skipped = el
                continue
            parent = stack[-1] if stack else None
            is_block = tag in BLOCK_TAGS
            if is_block:
                flush()
                if tag in PARAGRAPH_TAGS:
                    para[0] = True
            elif tag in SEPARATE_TAGS and pieces:
                # a form label or control is a word of its own: "Name<input>Email" must not
                # read "NameEmail" (spaces collapse, and count for no cue)
                pieces.append(" ")
                masks.append((0, 0))
            cls, ident = el.get("class"), el.get("id")
            own = _TAG_BITS.get(tag, 0)
            if (cls or ident) and tag not in ("html", "body"):
                own |= _class_bits(f"{cls or ''} {ident or ''}")
            rep = 1
            if parent is not None and parent.tag not in ("html",):
                if parent.child_keys is None:
                    keys: dict = {}
                    for child in parent.el:
                        k = (child.tag, child.get("class")) if isinstance(child.tag, str) else None
                        keys[k] = keys.get(k, 0) + 1
                    parent.child_keys = keys
                rep = parent.child_keys.get((el.tag, cls), 1)
            rep_anc = max(rep, parent.rep_anc) if parent is not None and tag not in ("html", "body") else 1
            uid_counter[0] += 1
            node = _Node(el, tag, (parent.mask if parent else 0) | own,
                         (parent.path + ">" if parent else "") + _short(el, tag),
                         (parent.depth + 1) if parent else 0, is_block, rep, rep_anc,
                         uid_counter[0])
            stack.append(node)
            if is_block:
                block_stack.append(node)
            if tag in ("pre", "textarea"):
                pre_depth[0] += 1
            add(el.text, node.mask)
        else:
            if skipped is el:
                skipped = None
                add(el.tail, stack[-1].mask if stack else 0)
                continue
            node = stack.pop()
            if node.block:
                flush()
                block_stack.pop()
                if node.tag in PARAGRAPH_TAGS:
                    para[0] = True
            elif node.tag in SEPARATE_TAGS and pieces:
                pieces.append(" ")
                masks.append((0, 0))
            if node.tag in ("pre", "textarea"):
                pre_depth[0] -= 1
            add(el.tail, stack[-1].mask if stack else 0)
    flush()

    n = len(lines)
    if not n:
        return _empty(encoding)
    cues = np.zeros((n, len(CUE_NAMES)), dtype=np.float32)
    cues[:, :_N_FRAC] = np.vstack(fracs)
    col = _N_FRAC
    cues[:, col] = np.minimum(np.asarray(depths, dtype=np.float32) / 40.0, 1.0)
    chars = np.fromiter((len(t) for t in lines), dtype=np.float64, count=n)
    before = np.cumsum(chars) - chars
    cues[:, col + 1] = before / max(chars.sum(), 1.0)
    block_ids = np.asarray(blocks)
    _, inverse, counts = np.unique(block_ids, return_inverse=True, return_counts=True)
    cues[:, col + 2] = np.minimum(np.log1p(counts[inverse] - 1) / math.log(64), 1.0)
    block_chars = np.bincount(inverse, weights=chars)
    block_links = np.bincount(inverse, weights=np.asarray(link_chars))
    cues[:, col + 3] = (block_links / np.maximum(block_chars, 1.0))[inverse]
    cues[:, col + 4] = np.minimum(np.log1p(block_chars[inverse]) / math.log(20000), 1.0)
    rep = np.asarray(reps, dtype=np.float64)
    cues[:, col + 5] = np.minimum(np.log(np.maximum(rep[:, 0], 1.0)) / math.log(50), 1.0)
    cues[:, col + 6] = np.minimum(np.log(np.maximum(rep[:, 1], 1.0)) / math.log(50), 1.0)
    _, pinv, pcounts = np.unique(np.asarray(paths, dtype=object).astype(str), return_inverse=True,
                                 return_counts=True)
    cues[:, col + 7] = np.minimum(np.log1p(pcounts[pinv] - 1) / math.log(64), 1.0)
    np.clip(cues, 0.0, 1.0, out=cues)
    return HtmlLines(lines, [_shorten_path(p) for p in paths], cues, encoding, starts)


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


_HTML_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def looks_like_html(data: bytes | str) -> bool:
    """Whether a document starts the way an HTML page does (a doctype, or an html, head or
    body tag, after a BOM, blank space and comments). Deliberately strict: plain text that
    mentions a tag somewhere is still plain text."""
    head = data[:4096]
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    else:
        for bom, name in _BOMS:  # UTF-16 and UTF-32 pages: look at their characters
            if bom != codecs.BOM_UTF8 and head.startswith(bom):
                head = head[len(bom):].decode(name, "replace").encode("utf-8", "replace")
                break
    return _HTML_START.match(head) is not None
