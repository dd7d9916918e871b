"""Seeded generator of ordinary HTML pages (nav, articles, lists, tables, forms, comments,
scripts, hidden parts, pre, entities) for tests that compare extraction before and after a
change, and for property tests. Independent of :mod:`classifier.html`."""

from __future__ import annotations

import random

WORDS = ("the minister said on tuesday that new rules for schools would start next year "
         "readers asked about prices water roads and the long summer").split()
AR_WORDS = "قال الوزير يوم الثلاثاء إن القواعد الجديدة للمدارس ستبدأ العام المقبل".split()
CLASSES = ["nav", "menu", "main-content", "article-body", "sidebar", "comments", "comment-list",
           "footer", "related", "share", "byline", "post", "widget", "promo", "caption", ""]
INLINE = ["b", "i", "em", "strong", "a", "span", "time", "code", "q"]
BLOCKS = ["div", "section", "article", "aside", "header", "footer", "main", "nav", "blockquote"]


def _words(rng: random.Random, lo: int, hi: int) -> str:
    pool = AR_WORDS if rng.random() < 0.25 else WORDS
    return " ".join(rng.choice(pool) for _ in range(rng.randint(lo, hi)))


def _attrs(rng: random.Random) -> str:
    out = ""
    if rng.random() < 0.5:
        out += f' class="{rng.choice(CLASSES)} {rng.choice(CLASSES)}"'
    if rng.random() < 0.2:
        out += f' id="{rng.choice(CLASSES) or "x"}{rng.randint(1, 9)}"'
    return out


def _inline_text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        text = _words(rng, 1, 12)
        if rng.random() < 0.4:
            tag = rng.choice(INLINE)
            href = ' href="/x"' if tag == "a" else ""
            text = f"<{tag}{href}{_attrs(rng)}>{text}</{tag}>"
        if rng.random() < 0.1:
            text += " &amp; &lt;tag&gt; &#1575;"
        parts.append(text)
    return " ".join(parts)


def _block(rng: random.Random, depth: int) -> str:
    r = rng.random()
    if depth > 6 or r < 0.25:
        tag = rng.choice(["p", "h1", "h2", "h3", "li", "td", "p"])
        if tag == "li":
            return f"<ul{_attrs(rng)}>" + "".join(f"<li>{_inline_text(rng)}</li>" for _ in range(rng.randint(1, 5))) + "</ul>"
        if tag == "td":
            rows = "".join("<tr>" + "".join(f"<td>{_words(rng, 1, 4)}</td>" for _ in range(3)) + "</tr>"
                           for _ in range(rng.randint(1, 3)))
            return f"<table{_attrs(rng)}>{rows}</table>"
        return f"<{tag}{_attrs(rng)}>{_inline_text(rng)}</{tag}>"
    if r < 0.3:
        return f"<script>var x = '<p>{_words(rng, 1, 3)}</p>';</script>"
    if r < 0.35:
        return f"<div hidden>{_words(rng, 1, 5)}</div>"
    if r < 0.38:
        return f'<div style="display: none">{_words(rng, 1, 5)}</div>'
    if r < 0.42:
        return f"<!-- {_words(rng, 1, 5)} -->"
    if r < 0.45:
        return f"<pre>{_words(rng, 1, 4)}\n  {_words(rng, 1, 4)}</pre>"
    if r < 0.5:
        return (f'<form{_attrs(rng)}> <label>{_words(rng, 1, 2)}</label> <input name="n"> '
                f'<button>{_words(rng, 1, 1)}</button> </form>')
    if r < 0.55:
        return f"<p>{_words(rng, 2, 8)}<br>{_words(rng, 2, 8)}<br><br>{_words(rng, 1, 5)}</p>"
    tag = rng.choice(BLOCKS)
    inner = "\n".join(_block(rng, depth + 1) for _ in range(rng.randint(1, 4)))
    return f"<{tag}{_attrs(rng)}>\n{inner}\n</{tag}>"


def html_page(seed: int, blocks: int = 12) -> str:
    """One ordinary page; the same seed gives the same page."""
    rng = random.Random(seed)
    body = "\n".join(_block(rng, 0) for _ in range(blocks))
    return (f"<!DOCTYPE html>\n<html><head><title>{_words(rng, 2, 5)}</title>"
            f"<style>p {{ color: red }}</style></head>\n<body>\n{body}\n</body></html>")
