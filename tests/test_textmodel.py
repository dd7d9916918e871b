"""The text model's normalisation: one output per input line, whatever the line holds."""

from classifier.textmodel import normalise


def test_normalise_keeps_one_entry_per_line_with_control_characters():
    lines = ["Hello, World!", "", "a\x01b\x00c\rd\x0be", "روسيا تعلن؟ نعم،لا", "\u200e\u202e x"]
    out = normalise(lines)
    assert len(out) == len(lines)
    assert out[0].split() == ["hello", ",", "world", "!"]
    assert out[1].split() == []
    assert out[2].split() == ["a", "b", "c", "d", "e"]
    assert out[3].split() == ["روسيا", "تعلن", "؟", "نعم", "،", "لا"]
    assert out[4].split() == ["x"]


def test_normalise_folds_digits_and_case_and_truncates_long_lines():
    out = normalise(["Posted 12 March 2019", "word " * 100_000])
    assert out[0].split() == ["posted", "00", "march", "0000"]
    assert len(out[1]) < 2_000
