"""Text -> lxml tree, guarded against libxml2's limits and quadratic paths.

Why apart: the guard (:func:`_guard`) is a linear pre-pass over the markup that only
matters for hostile or broken documents (too many attributes on a tag, nesting deeper than
libxml2 accepts); the walk never needs to know about it.
"""

from __future__ import annotations

import re

from .walk import BLOCK_TAGS, SKIP_TAGS

_SURROGATE = re.compile("[\ud800-\udfff]")

def _parse(text: str, flatten: bool = False):
    """lxml's tree of ``text`` after :func:`_guard`; when libxml2 stopped at its depth limit
    (the rest of the page lost), parsed again with the deep elements flattened."""
    from lxml import etree

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8",
                              recover=True, no_network=True, huge_tree=True)
    # libxml2 reads a NUL as the end of the document: everything after it was lost. HTML
    # parsers replace a NUL in text with U+FFFD, and so does this one.
    text = _guard(text, flatten).replace("\x00", "\ufffd")
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (from a str caller): U+FFFD, as decoding does
        data = _SURROGATE.sub("\ufffd", text).encode("utf-8")
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
    if not flatten and not _may_have_long_tag(text):
        return text
    return _rewrite(text, flatten)


def _rewrite(text: str, flatten: bool) -> str:
    """:func:`_guard`'s scan, whatever the pre-check says."""
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


def _may_have_long_tag(text: str) -> bool:
    """False when no start tag of ``text`` can have more than :data:`MAX_ATTRIBUTES`
    attributes, so :func:`_guard` would change nothing; True when one may.

    Why: the guard's scan is Python-speed per tag, and on ordinary pages it found nothing
    to do. Every tag the scan would rewrite is a :data:`_SUSPECT` match (more than 64
    attributes are never simple), and its attributes are counted here the same way, from
    every suspect position, stopping at :data:`MAX_ATTRIBUTES` + 1. When the counting
    needs more steps than a budget linear in the text (a page of many odd tags), the
    answer is True and the scan decides, so the cost stays linear either way."""
    if len(text) < 2 * MAX_ATTRIBUTES:
        return False
    budget = len(text) // 4 + 4096
    for m in _SUSPECT.finditer(text):
        pos, count, end = m.end(), 0, len(text)
        while pos < end:
            budget -= 1
            if budget < 0:
                return True
            a = _ATTR.match(text, pos)
            if a is None or a.end() == pos:  # a stray character, as in _long_tag
                pos += 1
                continue
            pos = a.end()
            if a.group(1):
                break
            if a.group(2) is not None:
                count += 1
                if count > MAX_ATTRIBUTES:
                    return True
    return False


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

