"""lxml tree -> lines: the walk that cuts a page's visible text into lines, with their DOM cues.

Why apart: this is the hot loop of HTML extraction; everything before it (decoding,
parsing) and after it (the cue matrix) is a few calls per page.
"""

from __future__ import annotations

from .cues import _TAG_BITS, _class_bits, cue_matrix
from .result import HtmlLines, _empty

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

_INVISIBLE = ("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
              "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Characters that show nothing: a line of only these (and spaces) is blank."""

_ROOT_TAGS = frozenset({"html", "body"})
"""Their class/id words say nothing about one line, and repetition counts stop at them."""


def _hidden(el, names: list[str]) -> bool:
    """Whether the element is hidden by its attributes (``names``: the ones it has)."""
    if "hidden" in names:
        return True
    if "aria-hidden" in names and el.get("aria-hidden").strip().lower() == "true":
        return True
    if "style" in names:
        s = el.get("style").lower().replace(" ", "")
        if "display:none" in s or "visibility:hidden" in s:
            return True
    return False


def _segment(tag: str, ident: str | None, cls: str | None) -> str:
    """``tag#id.class`` with the id and the first class, each cut to 30 characters."""
    out = tag
    if ident:
        parts = ident.split()
        if parts:
            out += "#" + parts[0][:30]
    if cls:
        parts = cls.split()
        if parts:
            out += "." + parts[0][:30]
    return out


def _shorten_path(path: str, keep: int = 8) -> str:
    if path.count(">") <= keep + 1:
        return path
    parts = path.split(">")
    return ">".join(parts[:2] + ["…"] + parts[-keep:])


_SHARED_PATH_DEPTH = 32
"""Below this depth a path is built by concatenation for each element (short and cheap);
from it on, siblings with the same segment share one string: 20,000 paragraphs under
1,000 nested ``div`` held 20,000 copies of a 36 KB path."""

# A node on the walk's stack is a tuple (one allocation, no Python frame to build it):
# its tag (lower-case, no namespace prefix), flag mask (its own and its ancestors'),
# parent node, depth, full DOM path, a number of its own, and the key it is counted
# under among its parent's children (see ``_repeats``).
_TAG, _MASK, _PARENT, _DEPTH, _PATH, _UID, _KEY = range(7)


def _repeats(line_nodes: list, siblings: dict) -> list[tuple[int, int]]:
    """Per line node: how many siblings share its tag and class (``rep``), and the largest
    such count over it and its ancestors below ``body`` (``rep_anc``, high inside comment
    threads). ``siblings`` counts ``(parent uid, tag, class)`` over every element child
    the walk met, which is all of them (skipped elements get a start event too); the
    ancestors are climbed once each, iteratively (a page may nest thousands)."""
    def rep(node: tuple) -> int:
        return siblings[node[_KEY]] if node[_KEY] is not None else 1

    memo: dict[int, int] = {}   # uid -> rep_anc
    out = []
    for node in line_nodes:
        if node is None:
            out.append((1, 1))
            continue
        chain = []
        item = node
        while item is not None and item[_UID] not in memo:
            chain.append(item)
            item = item[_PARENT]
        for item in reversed(chain):
            parent = item[_PARENT]
            memo[item[_UID]] = (1 if parent is None or item[_TAG] in _ROOT_TAGS
                                else max(rep(item), memo[parent[_UID]]))
        out.append((rep(node), memo[node[_UID]]))
    return out


def _walk(root, encoding: str, reveal=None, hidden: list | None = None) -> HtmlLines:
    """Lines of the tree under ``root``: one pass of lxml's ``iterwalk`` (start and end
    events), text gathered into the line being built, a line ended at every block edge
    and ``<br>``. ``reveal``: one hidden element (or ``<noscript>``) to read
    all the same, the block :mod:`.reveal` found holding the page's content; ``hidden``:
    a list that gets the hidden elements and ``<noscript>`` blocks the walk skipped, each
    with no skipped ancestor (what :mod:`.reveal` chooses from).

    Per element only a small tuple is built (tag, flag mask, path, a count
    among its siblings); per line its text, its block element and where its pieces' flag
    masks end; the cue matrix is built afterwards, in a few numpy operations per page
    (:func:`classifier.html.cues.cue_matrix`)."""
    from lxml import etree

    lines: list[str] = []
    starts: list[bool] = []             # per line: opens a paragraph
    line_nodes: list[tuple | None] = []  # per line: its block element
    piece_masks: list[int] = []         # flag mask of every piece of text with characters,
    piece_chars: list[int] = []         # its characters (stripped),
    bounds: list[int] = [0]             # and where each kept line's pieces end
    pieces: list[str] = []              # raw text of the line being built
    para = [True, 0]                    # [the next line opens a paragraph, <br>s since the last line]
    stack: list[tuple] = []
    block_stack: list[tuple] = []
    siblings: dict[tuple, int] = {}     # (parent uid, raw tag, class) -> children so keyed
    pre_depth = 0
    uid = 0
    tag_names: dict[str, str] = {}
    deep_paths: dict[tuple[int, str], str] = {}  # (parent uid, segment) -> path, when deep

    def flush() -> None:
        line = " ".join("".join(pieces).split())
        pieces.clear()
        if line and line.strip(_INVISIBLE):
            lines.append(line)
            starts.append(para[0])
            para[0], para[1] = False, 0
            line_nodes.append(block_stack[-1] if block_stack else None)
            bounds.append(len(piece_masks))
        else:
            del piece_masks[bounds[-1]:], piece_chars[bounds[-1]:]

    def add_pre(text: str, mask: int) -> None:
        """Text inside ``<pre>``/``<textarea>``: its own line breaks end lines."""
        first = True
        for part in text.split("\n"):
            if not first and pieces:
                flush()
            first = False
            if part:
                pieces.append(part)
                chars = len(part.strip())
                if chars:
                    piece_masks.append(mask)
                    piece_chars.append(chars)

    skipped = None
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        raw_tag = el.tag
        if raw_tag.__class__ is not str:  # entities and the like: no text of their own
            text = el.tail if event == "end" else None
            mask = stack[-1][_MASK] if stack else 0
        elif event == "start":
            names = el.keys()  # one call; most elements have none of the attributes read
            cls = el.get("class") if names and "class" in names else None
            parent = stack[-1] if stack else None
            if parent is not None and parent[_TAG] != "html":
                key = (parent[_UID], raw_tag, cls)
                siblings[key] = siblings.get(key, 0) + 1
            else:
                key = None
            tag = tag_names.get(raw_tag)
            if tag is None:
                tag = raw_tag.lower()
                if ":" in tag:
                    tag = tag.rsplit(":", 1)[1]
                tag_names[raw_tag] = tag
            if (tag in SKIP_TAGS or (names and _hidden(el, names))) and el is not reveal:
                if hidden is not None and (tag == "noscript" or tag not in SKIP_TAGS):
                    hidden.append(el)
                walker.skip_subtree()
                skipped = el
                continue
            if tag == "br":
                if pieces:
                    flush()
                para[1] += 1
                if para[1] >= 2:  # <br><br>: a paragraph break
                    para[0] = True
                walker.skip_subtree()
                skipped = el
                continue
            is_block = tag in BLOCK_TAGS
            if is_block:
                if pieces:
                    flush()
                if tag in PARAGRAPH_TAGS:
                    para[0] = True
            elif tag in SEPARATE_TAGS and pieces:
                # a form label or control is a word of its own: "Name<input>Email" must not
                # read "NameEmail" (spaces collapse, and count for no cue)
                pieces.append(" ")
            ident = el.get("id") if names and "id" in names else None
            mask = _TAG_BITS.get(tag, 0)
            if cls or ident:
                seg = _segment(tag, ident, cls)
                if tag not in _ROOT_TAGS:
                    mask |= _class_bits(f"{cls or ''} {ident or ''}")
            else:
                seg = tag
            uid += 1
            if parent is not None:
                if parent[_DEPTH] < _SHARED_PATH_DEPTH:
                    path = parent[_PATH] + ">" + seg
                else:  # deep: siblings share one path string (memory and time linear)
                    path = deep_paths.get((parent[_UID], seg))
                    if path is None:
                        path = deep_paths[parent[_UID], seg] = parent[_PATH] + ">" + seg
                node = (tag, parent[_MASK] | mask, parent, parent[_DEPTH] + 1, path, uid, key)
            else:
                node = (tag, mask, None, 0, seg, uid, None)
            stack.append(node)
            if is_block:
                block_stack.append(node)
            if tag == "pre" or tag == "textarea":
                pre_depth += 1
            text, mask = el.text, node[_MASK]
        else:
            if skipped is el:
                skipped = None
            else:
                tag = stack.pop()[_TAG]
                if tag in BLOCK_TAGS:
                    if pieces:
                        flush()
                    block_stack.pop()
                    if tag in PARAGRAPH_TAGS:
                        para[0] = True
                elif tag in SEPARATE_TAGS and pieces:
                    pieces.append(" ")
                if tag == "pre" or tag == "textarea":
                    pre_depth -= 1
            text = el.tail
            mask = stack[-1][_MASK] if stack else 0
        if text:
            if pre_depth and "\n" in text:
                add_pre(text, mask)
            else:
                pieces.append(text)
                chars = len(text.strip())
                if chars:
                    piece_masks.append(mask)
                    piece_chars.append(chars)
    if pieces:
        flush()

    if not lines:
        return _empty(encoding)
    paths = [node[_PATH] if node is not None else "" for node in line_nodes]
    depths = [node[_DEPTH] if node is not None else 0 for node in line_nodes]
    blocks = [node[_UID] if node is not None else -1 for node in line_nodes]
    cues = cue_matrix(lines, bounds, piece_masks, piece_chars, depths, blocks,
                      _repeats(line_nodes, siblings), paths)
    short: dict[str, str] = {}  # lines share path strings: shorten each once
    shown = [short.get(p) or short.setdefault(p, _shorten_path(p)) for p in paths]
    return HtmlLines(lines, shown, cues, encoding, starts)
