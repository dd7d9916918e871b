"""HTML bytes -> text: the page's character encoding, and whether a document is HTML at all.

Why apart: deciding how to read the bytes (byte-order mark, ``<meta charset>``, UTF-8, a
guess) and whether a file is HTML are the first steps of every HTML call, and the CLI's
input sniffing needs them without the parser.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode_html", "looks_like_html"]

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

