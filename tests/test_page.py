"""classifier.page: bytes in, lines out, with line numbers callers can rely on."""

import codecs

import pytest

from classifier.page import decode, is_blank, split_lines, to_lines


@pytest.mark.parametrize("text, lines", [
    ("", []),
    ("one", ["one"]),
    ("one\n", ["one"]),
    ("one\n\n", ["one", ""]),
    ("\n", [""]),
    ("a\nb", ["a", "b"]),
    ("a\r\nb\r\n", ["a", "b"]),
    ("a\rb\r", ["a", "b"]),
    ("a\r\rb", ["a", "", "b"]),
    ("a\n\rb", ["a", "", "b"]),          # "\n" then a lone "\r": two line ends
    ("a\r\n\r\nb", ["a", "", "b"]),
    ("mixed\rends\r\nand\nmore", ["mixed", "ends", "and", "more"]),
])
def test_split_lines_recognises_the_three_line_ends(text, lines):
    assert split_lines(text) == lines


@pytest.mark.parametrize("sep", ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_split_lines_does_not_split_on_other_unicode_breaks(sep):
    # str.splitlines() would split here and renumber every later line
    assert split_lines(f"before{sep}after\nnext") == [f"before{sep}after", "next"]


def test_split_lines_keeps_whitespace_inside_lines():
    assert split_lines("  indented\t\n\t \n") == ["  indented\t", "\t "]


def test_decode_plain_utf8():
    d = decode("سلام world".encode("utf-8"))
    assert (d.text, d.encoding, d.replaced) == ("سلام world", "utf-8", False)


@pytest.mark.parametrize("bom, codec, name", [
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
])
def test_decode_honours_and_drops_byte_order_marks(bom, codec, name):
    text = "عنوان الخبر\r\nHeadline\n"
    d = decode(bom + text.encode(codec))
    assert d.text == text
    assert d.encoding == name
    assert not d.replaced
    assert split_lines(d.text) == ["عنوان الخبر", "Headline"]


def test_decode_utf16_without_bom_is_not_guessed():
    # no BOM: read as UTF-8; the NULs of UTF-16 are valid UTF-8, so nothing is replaced
    d = decode("ab".encode("utf-16-le"))
    assert d.text == "a\x00b\x00"
    assert d.encoding == "utf-8"


def test_decode_invalid_utf8_is_replaced_and_flagged():
    d = decode(b"caf\xe9 ok\n\xff\xfeline two\n\xe2\x82")
    assert d.replaced
    assert d.text.count("\ufffd") >= 3
    lines = split_lines(d.text)
    assert len(lines) == 3
    assert lines[0].startswith("caf") and lines[0].endswith(" ok")
    assert lines[1].endswith("line two")


def test_decode_invalid_utf16_after_bom_is_replaced():
    d = decode(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert d.replaced
    assert d.text.startswith("ok")
    assert "\ufffd" in d.text


def test_decode_str_passes_through_and_drops_a_leading_bom():
    assert decode("abc").text == "abc"
    assert decode("\ufeffabc").text == "abc"
    assert decode("a\ufeffb").text == "a\ufeffb"   # only a leading BOM is a BOM
    assert not decode("abc").replaced


def test_decode_str_replaces_lone_surrogates():
    d = decode("bad \ud800 here\n\udfff")
    assert d.replaced
    assert d.text == "bad \ufffd here\n\ufffd"
    d.text.encode("utf-8")  # encodable now


def test_decode_keeps_nul_and_control_characters():
    d = decode(b"a\x00b\x01\x7f\n")
    assert d.text == "a\x00b\x01\x7f\n" and not d.replaced


def test_to_lines_decodes_and_splits():
    assert to_lines(codecs.BOM_UTF8 + b"x\r\ny\rz") == ["x", "y", "z"]
    assert to_lines("x\n") == ["x"]


@pytest.mark.parametrize("line, blank", [
    ("", True), (" ", True), ("\t \u00a0", True), ("\u3000", True),
    ("x", False), (" . ", False), ("\u200b", False), ("\x00", False),
])
def test_is_blank(line, blank):
    assert is_blank(line) is blank
