"""Property-based tests: any text or bytes in, one aligned result per line out, no exception."""

from hypothesis import HealthCheck, given, settings, strategies as st

from classifier import LABELS, LineLabel
from classifier.page import decode, is_blank, split_lines

# characters scraped pages are made of, with the awkward ones over-represented
AWKWARD = "\r\n\t \x00\x01\x1b\x7f\x85\u00a0\u2028\u2029\u200b\u200e\u200f\u202a\u202e\ufeff\ufffd" \
          "\u060c\u061f\u06d4.!?\u2026©|/»-•"
line_chars = st.one_of(
    st.characters(codec="utf-8"),                  # anything encodable
    st.sampled_from(AWKWARD),
    st.sampled_from("abcXYZ 0123456789ابتثجحخدذرزسشصضطظعغفقكلمنهوي"),
)
texts = st.text(line_chars, max_size=300)
pages = st.lists(st.sampled_from(["Home", "", "  ", "Leave a Reply", "\u0627\u0642\u0631\u0623 \u0623\u064a\u0636\u0627",
                                  "A paragraph about the harbour, the furnace and the quay."])
                 | texts, max_size=12).map("\n".join)
anything = st.one_of(texts, pages)

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def check_aligned(result, lines):
    assert len(result) == len(lines)
    for i, (line, lab) in enumerate(zip(lines, result)):
        if is_blank(line):
            assert lab is None
        else:
            assert isinstance(lab, LineLabel)
            assert lab.line == i + 1
            assert lab.label in LABELS
            assert abs(sum(lab.probs.values()) - 1.0) < 1e-6
            assert lab.score == lab.probs[lab.label]


@SETTINGS
@given(text=anything)
def test_label_text_on_any_text(clf, text):
    lines = split_lines(decode(text).text)
    result = clf.label_text(text)
    check_aligned(result, lines)
    assert clf.label_text(text) == result


@SETTINGS
@given(data=st.binary(max_size=400) | anything.map(lambda t: t.encode("utf-8")))
def test_label_text_on_any_bytes(clf, data):
    lines = split_lines(decode(data).text)
    result = clf.label_text(data)
    check_aligned(result, lines)
    assert clf.label_text(data) == result


@SETTINGS
@given(text=st.text(st.characters(), max_size=200))
def test_lone_surrogates_in_text_are_replaced_not_fatal(clf, text):
    # st.characters() includes lone surrogates, which cannot be encoded
    result = clf.label_text(text)
    check_aligned(result, split_lines(decode(text).text))


@SETTINGS
@given(page_list=st.lists(anything, max_size=6), batch=st.integers(1, 20))
def test_label_pages_matches_label_text(clf, page_list, batch):
    out = list(clf.label_pages(enumerate(page_list), batch_lines=batch))
    assert [pid for pid, _ in out] == list(range(len(page_list)))
    assert [labels for _, labels in out] == [clf.label_text(p) for p in page_list]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=anything)
def test_split_lines_round_trip(text):
    """Joining the lines with their own line ends gives the text back, so no character is
    lost and none is invented; no line holds a line end."""
    lines = split_lines(text)
    assert all("\n" not in line and "\r" not in line for line in lines)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    expected = normalised[:-1] if normalised.endswith("\n") else normalised
    assert "\n".join(lines) == expected
