"""The headline scorer inside a bundle: trained, used as a cue, saved, verified, refused when
tampered with."""
from __future__ import annotations

import pytest

import pagegen
from classifier import LineClassifier, headline
from classifier.bundle import BundleError


TINY_SETTINGS = {"fasttext": {"lr": 0.3}, "ngram": {"c": 10.0}}
"""The shipped settings are set for ~60k pool items; 160 made-up ones need a faster
fastText and a less regularised n-gram model."""


@pytest.fixture(scope="module", params=sorted(headline.KINDS))
def fitted(request, tmp_path_factory):
    kind = request.param
    pages = pagegen.training_pages(n=16, seed=11)
    heads = pagegen.headline_items(n=160, seed=5)
    clf = LineClassifier(headline_scorer=True, n_folds=2, headline_kind=kind, headline_params=TINY_SETTINGS[kind])
    clf.fit([[ln["text"] for ln in p["lines"]] for p in pages], [[ln["label"] for ln in p["lines"]] for p in pages],
            headlines=([h["text"] for h in heads], [h["label"] for h in heads]))
    out = tmp_path_factory.mktemp("hl") / "bundle"
    clf.save(out)
    return clf, out, heads


def test_scorer_separates_its_classes_and_is_a_cue(fitted):
    clf, _, heads = fitted
    assert set(headline.HEADLINE_NAMES) <= set(clf.feature_names_)
    fresh = pagegen.headline_items(n=80, seed=99)  # other fillings of the same templates
    p = headline.scores(clf.headline_model_, [h["text"] for h in fresh])
    cb = [x for x, h in zip(p, fresh) if h["label"] == "clickbait"]
    plain = [x for x, h in zip(p, fresh) if h["label"] == "headline"]
    assert min(cb) > max(plain) or sum(cb) / len(cb) > sum(plain) / len(plain) + 0.5


def test_long_lines_get_no_headline_score(fitted):
    clf, _, _ = fitted
    para = " ".join(["word"] * (headline.MAX_HEADLINE_WORDS + 1))
    assert headline.scores(clf.headline_model_, [para])[0] == 0.0


def test_bundle_round_trip_and_tamper(fitted, tmp_path):
    clf, out, _ = fitted
    loaded = LineClassifier.load(out)
    text = "Residents vote on the tram extension\nYou won't believe what happened next\n"
    assert [lab.probs for lab in loaded.label_text(text)] == [lab.probs for lab in clf.label_text(text)]
    import shutil
    bad = tmp_path / "bad"
    shutil.copytree(out, bad)
    name = headline.KINDS[clf.headline_kind_]
    assert sorted(p.name for p in out.glob("headline.*")) == [name]
    data = bytearray((bad / name).read_bytes())
    data[-10] ^= 0xFF
    (bad / name).write_bytes(bytes(data))
    with pytest.raises(BundleError, match=name):
        LineClassifier.load(bad)


def test_fit_without_headlines_is_a_clear_error():
    pages = pagegen.training_pages(n=6, seed=2)
    with pytest.raises(ValueError, match="headlines="):
        LineClassifier(headline_scorer=True, n_folds=2).fit(
            [[ln["text"] for ln in p["lines"]] for p in pages], [[ln["label"] for ln in p["lines"]] for p in pages])


def test_scopes_count_words_their_own_way():
    lines = ["don't stop", "Home | News", "a b c"]
    assert headline.word_counts(lines, 1).tolist() == [3, 2, 3]  # \w+ runs
    assert headline.word_counts(lines, 2).tolist() == [2, 3, 3]  # whitespace-separated


def test_current_scope_gives_no_score_to_menu_items(fitted):
    clf, _, _ = fitted
    lines = ["Read more", "You won't believe what happened next"]
    new = headline.scores(clf.headline_model_, lines, scope=2)
    old = headline.scores(clf.headline_model_, lines, scope=1)
    assert new[0] == 0.0 and old[0] > 0.0  # two words: below scope 2's minimum, read by scope 1
    assert new[1] == old[1] > 0.0


def _rewrite_manifest(src, dst, **changes):
    import json
    import shutil

    from classifier import bundle
    shutil.copytree(src, dst)
    manifest = json.loads((dst / "manifest.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    bundle.write_manifest(dst, manifest)


def test_bundle_keeps_the_scope_it_was_trained_with(fitted, tmp_path):
    clf, out, _ = fitted
    assert clf.headline_scope_ == headline.SCOPE
    assert LineClassifier.load(out).manifest_["headline_scope"] == headline.SCOPE
    # a bundle written before scopes existed names none: it is read the old way
    _rewrite_manifest(out, tmp_path / "old", headline_scope=None)
    old = LineClassifier.load(tmp_path / "old")
    assert old.headline_scope_ == 1
    page = "Read more\nResidents vote on the tram extension today\n"
    assert [lab.probs for lab in old.label_text(page)] != [lab.probs for lab in clf.label_text(page)]


def test_unknown_scope_is_refused(fitted, tmp_path):
    _, out, _ = fitted
    _rewrite_manifest(out, tmp_path / "future", headline_scope=99)
    with pytest.raises(BundleError, match="scope"):
        LineClassifier.load(tmp_path / "future")


def test_bundle_keeps_its_scorer_kind(fitted, tmp_path):
    clf, out, _ = fitted
    loaded = LineClassifier.load(out)
    assert loaded.manifest_["headline_kind"] == clf.headline_kind_ == loaded.headline_kind_
    # manifests written before kinds name none: their scorer is fastText's headline.bin
    _rewrite_manifest(out, tmp_path / "old", headline_kind=None)
    if clf.headline_kind_ == "fasttext":
        assert LineClassifier.load(tmp_path / "old").headline_kind_ == "fasttext"
    else:
        with pytest.raises(BundleError, match="headline.bin"):
            LineClassifier.load(tmp_path / "old")
    _rewrite_manifest(out, tmp_path / "future", headline_kind="transformer")
    with pytest.raises(BundleError, match="kind"):
        LineClassifier.load(tmp_path / "future")


def test_unknown_kind_is_refused_before_training():
    with pytest.raises(ValueError, match="headline_kind"):
        LineClassifier(headline_scorer=True, headline_kind="bert")
    with pytest.raises(ValueError, match="headline_kind"):
        LineClassifier(headline_scorer=True).set_params(headline_kind="bert")
