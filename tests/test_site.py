"""Site memory (lines a site repeats across its pages) and caller-supplied extra columns."""

from __future__ import annotations

import numpy as np
import pytest

import pagegen
from classifier import LineClassifier
from classifier.site import SITE_NAMES, SiteMemory, line_keys, page_key, site_key
from classifier.textmodel import normalise
from helpers import TINY_PARAMS, as_xy


def keys(lines):
    return line_keys(normalise(lines))


@pytest.mark.parametrize("value, expected", [
    ("https://www.example.com/news/1", "example.com"),
    ("http://Blog.Example.org:8080/a?b=c", "blog.example.org"),
    ("//cdn.example.net/x", "cdn.example.net"),
    ("my-group", "my-group"),
    ("", None), (None, None), ("   ", None),
])
def test_site_key_takes_the_host_of_a_url_or_the_group_as_given(value, expected):
    assert site_key(value) == expected


def test_a_first_page_has_no_memory_and_later_pages_see_repeated_lines():
    memory = SiteMemory()
    first = memory.observe("a.example", keys(["Home", "News", "A story only here."]))
    assert not first.any()
    second = memory.observe("a.example", keys(["home", "Sport", "Another story."]))
    share = second[:, SITE_NAMES.index("site_line_share")]
    assert share.tolist() == [1.0, 0.0, 0.0]  # "home" matches "Home": lines are normalised
    assert np.allclose(second[:, SITE_NAMES.index("site_pages_seen")], np.log1p(1))
    third = memory.observe("a.example", keys(["Home", "Sport"]))
    assert third[:, SITE_NAMES.index("site_line_share")].tolist() == [1.0, 0.5]


def test_sites_do_not_share_memory_and_no_site_means_no_memory():
    memory = SiteMemory()
    memory.observe("a.example", keys(["Home"]))
    assert not memory.observe("b.example", keys(["Home"])).any()
    assert not memory.observe(None, keys(["Home"])).any()
    assert len(memory) == 2


def test_a_line_repeated_within_one_page_counts_once():
    memory = SiteMemory()
    memory.observe("a.example", keys(["Share", "Share", "Share"]))
    row = memory.observe("a.example", keys(["Share"]))[0]
    assert row[SITE_NAMES.index("site_line_share")] == 1.0
    assert row[SITE_NAMES.index("site_line_pages")] == pytest.approx(np.log1p(1))


def test_memory_is_bounded_in_sites_and_lines_and_keeps_recurring_lines():
    memory = SiteMemory(max_sites=3, max_lines=50)
    for i in range(10):
        memory.observe(f"s{i}.example", keys(["Home"]))
    assert len(memory) == 3
    for page in range(40):  # "Menu" on every page, two one-off lines per page
        memory.observe("big.example", keys(["Menu", f"story {page} a", f"story {page} b x"]))
    counts = memory._sites["big.example"].counts
    assert len(counts) <= 50
    row = memory.observe("big.example", keys(["Menu"]))[0]
    assert row[SITE_NAMES.index("site_line_share")] == 1.0


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        SiteMemory(max_sites=0)


# --- a model trained with site memory ---------------------------------------------------------

@pytest.fixture(scope="module")
def site_records():
    # few hosts, many pages each: menus and footers recur within a site
    records = pagegen.training_pages(n=36, seed=11)
    for i, rec in enumerate(records):
        rec["host"] = f"https://site{i % 4}.example/page/{i}"
    return records


@pytest.fixture(scope="module")
def site_model(site_records, tmp_path_factory):
    X, y, groups = as_xy(site_records)
    clf = LineClassifier(n_folds=2, quantize=False, text_params=dict(TINY_PARAMS), site_memory=True)
    clf.fit(X, y, groups=[site_key(g) for g in groups], sites=groups)
    out = tmp_path_factory.mktemp("site") / "bundle"
    clf.save(out)
    return LineClassifier.load(out)


def test_site_memory_is_saved_with_the_bundle(site_model):
    assert site_model.site_memory
    assert site_model.manifest_["site_memory"] is True
    assert site_model.feature_names_[-len(SITE_NAMES):] == SITE_NAMES


def test_memory_changes_later_pages_of_a_site_only(site_model, site_records):
    pages = [[line["text"] for line in r["lines"]] for r in site_records[:8]]
    sites = [r["host"] for r in site_records[:8]]
    alone = site_model.predict_proba(pages)
    remembered = site_model.predict_proba(pages, sites=sites)
    assert np.array_equal(alone[0], remembered[0], equal_nan=True)  # nothing seen yet
    later = [i for i in range(4, 8)]  # each site's second page
    # the tiny model is very sure of itself, so the change can be small: any change shows
    # the columns reach the combiner
    assert all(not np.array_equal(alone[i], remembered[i], equal_nan=True) for i in later)


def test_label_pages_with_site_memory_matches_predict_proba_and_ignores_jobs(site_model, site_records):
    items = [(r["page_id"], [line["text"] for line in r["lines"]], r["host"]) for r in site_records[:12]]
    expected = site_model.predict_proba([page for _, page, _ in items],
                                        sites=[site for _, _, site in items])
    one = list(site_model.label_pages(items, site_memory=True, batch_lines=50))
    two = list(site_model.label_pages(items, site_memory=True, batch_lines=50, jobs=2))
    assert [pid for pid, _ in one] == [item[0] for item in items] == [pid for pid, _ in two]
    for (_, labels), (_, labels2), probs in zip(one, two, expected):
        got = np.array([[lab.probs[k] for k in lab.probs] for lab in labels if lab is not None])
        assert np.allclose(got, probs[~np.isnan(probs[:, 0])])
        assert labels == labels2


def test_without_site_memory_the_site_in_a_triple_is_ignored(site_model, site_records):
    items = [(r["page_id"], [line["text"] for line in r["lines"]], r["host"]) for r in site_records[:6]]
    plain = list(site_model.label_pages((pid, page) for pid, page, _ in items))
    assert list(site_model.label_pages(items)) == plain


# --- extra columns ------------------------------------------------------------------------------

def _with_cue(records):
    """An extra column that says, for every line, whether it is boilerplate."""
    return [np.array([[1.0 if line["label"] == "boilerplate" else 0.0] for line in r["lines"]])
            for r in records]


@pytest.fixture(scope="module")
def extra_model(training_records, tmp_path_factory):
    X, y, groups = as_xy(training_records)
    clf = LineClassifier(n_folds=2, quantize=False, text_params=dict(TINY_PARAMS))
    clf.fit(X, y, groups=groups, extra=_with_cue(training_records), extra_names=("is_chrome",))
    out = tmp_path_factory.mktemp("extra") / "bundle"
    clf.save(out)
    return LineClassifier.load(out)


def test_extra_columns_are_learned_saved_and_required(extra_model, heldout_records):
    assert extra_model.manifest_["extra_names"] == ["is_chrome"]
    X, y, _ = as_xy(heldout_records)
    pred = extra_model.predict(X, extra=_with_cue(heldout_records))
    pairs = [(g, p) for gold, got in zip(y, pred) for g, p in zip(gold, got) if g is not None]
    chrome_right = sum((g == "boilerplate") == (p == "boilerplate") for g, p in pairs) / len(pairs)
    assert chrome_right > 0.97  # the cue is an oracle for boilerplate
    with pytest.raises(ValueError, match="extra columns"):
        extra_model.label(X[0])
    with pytest.raises(ValueError, match="one row per line"):
        extra_model.label(X[0], extra=np.zeros((len(X[0]) + 1, 1)))


# --- the CLI ------------------------------------------------------------------------------------

def test_cli_site_key_reads_the_site_from_each_record(site_model, site_records, tmp_path):
    import json

    from helpers import run_cli

    records = site_records[:8]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps({"id": r["page_id"], "url": r["host"],
                                       "text": "\n".join(line["text"] for line in r["lines"])},
                                      ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    out = run_cli("label", "--input", "jsonl", "--site-key", "url", "--model", str(site_model.path_),
                  str(src))
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.decode().splitlines()]
    items = [(r["page_id"], [line["text"] for line in r["lines"]], r["host"]) for r in records]
    expected = [(pid, lab) for pid, labels in site_model.label_pages(items, site_memory=True)
                for lab in labels if lab is not None]
    assert [(g["file"], g["line"], g["label"]) for g in got] == \
        [(pid, lab.line, lab.label) for pid, lab in expected]
    assert [g["score"] for g in got] == pytest.approx([lab.score for _, lab in expected], abs=1e-6)


def test_cli_site_key_needs_jsonl_input(site_model, tmp_path):
    from helpers import run_cli

    page = tmp_path / "page.txt"
    page.write_text("Home\nA line of text.\n", encoding="utf-8")
    out = run_cli("label", "--site-key", "url", "--model", str(site_model.path_), str(page))
    assert out.returncode == 2
    assert b"--site-key" in out.stderr and b"Traceback" not in out.stderr


# --- a page never counts against itself (issue 17, item 8) ------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("https://www.Example.com/news/1#top", "example.com/news/1"),
    ("http://example.com/news/1?id=2", "example.com/news/1?id=2"),
    ("https://example.com", "example.com/"),
    ("my-group", None), (None, None), ("http://", None),
])
def test_page_key_is_the_url_without_fragment(value, expected):
    assert page_key(value) == expected


def test_the_same_url_again_is_scored_against_the_other_pages_only():
    a = keys(["Home", "Headline of A", "By A. Writer", "Body of A"])
    b = keys(["Home", "Headline of B", "Body of B"])
    memory = SiteMemory()
    memory.observe("s", a, page="s/a")
    memory.observe("s", b, page="s/b")
    again = memory.observe("s", a, page="s/a")
    fresh = SiteMemory()
    fresh.observe("s", b, page="s/b")
    expected = fresh.observe("s", a, page="s/a")
    assert np.array_equal(again, expected)
    assert again[1, 1] == 0.0 and again[0, 1] == 1.0   # own headline unseen, menu seen
    assert memory._sites["s"].pages == 2                # the URL still counts once
    # without page keys (group names), copies are indistinguishable: counted as pages
    blind = SiteMemory()
    blind.observe("s", a)
    assert blind.observe("s", a)[1, 1] == 1.0


def test_page_record_is_bounded_and_survives_a_forgotten_site():
    memory = SiteMemory(max_sites=1, max_pages=2)
    a = keys(["one", "two"])
    memory.observe("s", a, page="s/1")
    memory.observe("t", a, page="t/1")          # site s forgotten
    memory.observe("s", a, page="s/1")          # its old record must not touch the new site
    assert memory._sites["s"].pages == 1 and memory._sites["s"].counts
    for i in range(5):
        memory.observe("s", keys([f"x{i}"]), page=f"s/{i + 2}")
    assert len(memory._page_lines) == 2


def test_a_repeated_url_in_a_stream_is_labelled_as_if_seen_once(site_model, site_records):
    first = [r for r in site_records if r["host"].startswith("https://site0.")][:3]
    item = lambda r: (r["page_id"], [line["text"] for line in r["lines"]], r["host"])  # noqa: E731
    with_copy = list(site_model.label_pages([item(first[0]), item(first[1]), item(first[0])],
                                            site_memory=True))
    once = list(site_model.label_pages([item(first[1]), item(first[0])], site_memory=True))
    assert with_copy[2][1] == once[1][1]
