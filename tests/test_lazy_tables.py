"""The code point tables fill themselves lazily (block by block while few characters have
been looked up, the whole BMP once many have: see :class:`classifier.features.CodePointTable`).
However a table was filled, every value must be what its build function gives for the
whole BMP in one string, as the tables were built before (the shipped model was trained
on those values). Equivalence only: no timing here."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import features, textmodel, topic
from classifier.features import CodePointTable, code_points
from classifier.resources import load_resources

BMP = np.arange(0x10000, dtype=np.uint32)
BMP_TEXT = BMP.tobytes().decode("utf-32-le", "surrogatepass")
ASTRAL = np.array([0x10000, 0x1D7CF, 0x1F600, 0x104A0, 0x10FFFF, 0x20000, 0xE0041], dtype=np.uint32)


def _tables():
    table = load_resources().word_table
    return {
        "coded": features._CODED_OF, "digit_chars": features._DIGIT_CHARS,
        "normalise_kinds": textmodel._KINDS, "topic_letters": topic._CODES,
        "word_digits": table.digits, "word_chars": table.chars,
    }


@pytest.mark.parametrize("name", sorted(_tables()))
def test_lazily_filled_tables_equal_one_build_over_the_bmp(name):
    shipped = _tables()[name]
    build = shipped._build
    expected_bmp = np.asarray(build(BMP_TEXT))
    expected_astral = np.asarray(build(ASTRAL.tobytes().decode("utf-32-le")))
    rng = np.random.default_rng(18)
    lazy = CodePointTable(build, shipped._dtype)
    # block by block, in a random order and in small random pieces, as pages would come
    for chunk in np.array_split(rng.permutation(BMP), 400):
        assert lazy(chunk).tolist() == expected_bmp[chunk].tolist()
    assert not lazy._bmp_ready  # 65,536 characters: still the block-by-block path
    assert lazy(BMP).tolist() == expected_bmp.tolist()
    assert lazy(ASTRAL).tolist() == expected_astral.tolist()
    # the eager path: the whole BMP at once, then characters past it block by block
    eager = CodePointTable(build, shipped._dtype)
    eager.EAGER_AFTER = 10
    assert eager(code_points("Hello")).tolist() == expected_bmp[code_points("Hello")].tolist()
    assert eager(code_points("world, again")).tolist() == expected_bmp[code_points("world, again")].tolist()
    assert eager._bmp_ready
    assert eager(BMP).tolist() == expected_bmp.tolist()
    assert eager(ASTRAL).tolist() == expected_astral.tolist()
    # and the shipped (shared) table, however far it has been filled by earlier tests
    assert shipped(BMP).tolist() == expected_bmp.tolist()
    assert shipped(ASTRAL).tolist() == expected_astral.tolist()


def test_a_table_fills_only_the_blocks_it_is_asked_for():
    calls = []

    def build(text: str) -> np.ndarray:
        calls.append(len(text))
        return code_points(text) % 7

    table = CodePointTable(build)
    assert table(code_points("abc")).tolist() == [ord(c) % 7 for c in "abc"]
    assert table(code_points("xyz ab")).tolist() == [ord(c) % 7 for c in "xyz ab"]
    assert calls == [CodePointTable.BLOCK]  # one block, built once
    assert table(np.zeros(0, dtype=np.uint32)).tolist() == []
