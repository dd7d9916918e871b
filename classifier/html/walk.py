"""lxml tree -> lines: the walk that cuts a page's visible text into lines, with their DOM cues.

Why apart: this is the hot loop of HTML extraction; everything before it (decoding,
parsing) and after it (the cue matrix) is a few calls per page.
"""

from __future__ import annotations

import math

import numpy as np

from .cues import _N_FRAC, _TAG_BITS, CUE_NAMES, _bits_vector, _class_bits
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

_INVISIBLE_CHARS = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
                             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

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

