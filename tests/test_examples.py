"""The pages in examples/, and the shipped default model when it is there."""


import pytest

from classifier import LABELS, LineClassifier, LineLabel
from classifier.page import split_lines
from helpers import EXAMPLES

NAMES = ("en_article", "ar_article", "mixed_article")


def test_examples_exist_and_look_like_scraped_pages(example_texts):
    assert set(NAMES) <= set(example_texts)
    for name in NAMES:
        lines = split_lines(example_texts[name])
        assert len(lines) >= 40
        assert "" in lines                      # blank lines between blocks
        assert sum(len(line) > 150 for line in lines) >= 4   # article paragraphs


def test_arabic_examples_are_arabic(example_texts):
    def arabic_share(text):
        letters = [c for c in text if c.isalpha()]
        return sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters)

    assert arabic_share(example_texts["ar_article"]) > 0.9
    assert 0.05 < arabic_share(example_texts["mixed_article"]) < 0.5
    assert arabic_share(example_texts["en_article"]) == 0


def _default_bundle():
    from classifier.bundle import MANIFEST, default_path

    path = default_path()
    return path if (path / MANIFEST).is_file() else None


@pytest.mark.skipif(_default_bundle() is None, reason="no shipped model in models/default yet")
def test_default_model_labels_the_examples(example_texts):
    clf = LineClassifier.load()
    assert LineClassifier.load() is clf           # loaded once per process
    for name in NAMES:
        text = example_texts[name]
        result = clf.label_text(text)
        lines = split_lines(text)
        assert len(result) == len(lines)
        for i, (line, lab) in enumerate(zip(lines, result)):
            if line.strip():
                assert isinstance(lab, LineLabel) and lab.line == i + 1
                assert lab.label in LABELS
                assert abs(sum(lab.probs.values()) - 1.0) < 1e-6
            else:
                assert lab is None
        assert "body" in {lab.label for lab in result if lab}


def test_shipped_html_model_labels_the_html_example(monkeypatch):
    """The HTML bundle in models/html loads (hashes checked) and reads the DOM: the menu is
    boilerplate, the article body, the comment section comment."""
    monkeypatch.delenv("LINESIFT_HTML_MODEL", raising=False)
    clf = LineClassifier.load()
    html_model = clf.html_model()
    assert html_model is not clf and html_model.manifest_["kind"] == "html"
    result = clf.label_html((EXAMPLES / "mixed_page.html").read_bytes())
    by_path = {}
    for text, path, lab in result:
        by_path.setdefault(path.split(">")[-1], set()).add(lab.label)
    assert by_path["li"] >= {"boilerplate"}
    assert by_path["p"] >= {"body"}
    assert "comment" in {lab.label for _, path, lab in result if "#comments" in path}
    assert "tracking" not in result.lines and not any("analytics" in t for t in result.lines)
