"""Bytes or text in, lines out: decoding and line splitting.

Line numbering is a contract with callers (``line`` in every output record is the 1-based
position in the input), so splitting recognises exactly the three line ends a scraped page
uses (``\\n``, ``\\r\\n``, lone ``\\r``) and nothing else: ``str.splitlines`` would also split
on form feeds, ``\\x1c``-``\\x1e`` and U+2028, and silently renumber the page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile("[\ud800-\udfff]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes, and whether any bytes had to be replaced."""

    text: str
    encoding: str
    replaced: bool


def decode(data: bytes | str) -> Decoded:
    """Decode page bytes to text.

    A byte-order mark decides the encoding (and is dropped); otherwise the bytes are read
    as UTF-8, and invalid sequences become U+FFFD rather than failing the page, because a
    scraped page with one bad byte still has lines worth labelling. A ``str`` is taken as
    it is, except that lone surrogates become U+FFFD. ``replaced`` tells the caller to warn.
    """
    if isinstance(data, str):
        text = data[1:] if data.startswith("\ufeff") else data
        # a str can hold lone surrogates (from JSON "\\ud800" escapes or "surrogateescape"
        # decoding); they cannot be encoded, so they would fail the text model and the
        # output writer: replace them like invalid bytes
        if _SURROGATE.search(text):
            return Decoded(_SURROGATE.sub("\ufffd", text), "str", True)
        return Decoded(text, "str", False)
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name.startswith("utf-32"):
                # FF FE 00 00 is also a UTF-16-LE mark before a NUL: UTF-32 only when the
                # rest really is UTF-32, else the shorter mark's reading (a lost line otherwise)
                try:
                    return Decoded(data[len(bom):].decode(name), name, False)
                except UnicodeDecodeError:
                    continue
            data, encoding = data[len(bom):], name
            break
    try:
        return Decoded(data.decode(encoding), encoding, False)
    except UnicodeDecodeError:
        return Decoded(data.decode(encoding, errors="replace"), encoding, True)


def split_lines(text: str) -> list[str]:
    """Split text at ``\\n``, ``\\r\\n`` and lone ``\\r``; a final line end opens no new line."""
    if not text:
        return []
    # str.split is several times faster than the regular expression, and the same when
    # the text holds no carriage return
    lines = text.split("\n") if "\r" not in text else _LINE_END.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def to_lines(data: bytes | str) -> list[str]:
    """Decode (if needed) and split; the convenience path for callers that need no warning."""
    return split_lines(decode(data).text)


def is_blank(line: str) -> bool:
    """A line is blank when it holds only whitespace; blank lines carry no label."""
    return not line or line.isspace()
