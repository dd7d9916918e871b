"""The corpus builder's licence filter (``training.corpus --licences``).

Nothing here reads ``../shared``: the table and the selection are checked as they are, and
the build runs end to end on a tiny made-up data directory (a few pages and records in the
real files' formats), with few composed pages so it stays fast.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from training import compose, corpus, headline_pools, pools, relabel, sources, splitting

PERMISSIVE = {"pages/aeb.jsonl.gz", "headlines/chakraborty2016.jsonl.gz", "pages/wcxb_dev.jsonl.gz",
              "headlines/webis_clickbait17.jsonl.gz"}


# --- the table and the selection ----------------------------------------------------------------

# The modules of the corpus builder, each stage in its own (training.corpus runs them), and
# the headline-pool module it reads through: every data file is named in one of them.
BUILDER_MODULES = (corpus, sources, relabel, splitting, pools, compose, headline_pools)


def test_table_covers_every_data_file_the_builder_names():
    """Every data file named in the builder's modules has an entry, and every entry is a
    file they name outside the table: a new source cannot slip past the filter, a stale
    entry shows."""
    outside = ""
    for module in BUILDER_MODULES:
        src = Path(module.__file__).read_text(encoding="utf-8")
        if module is sources:
            table_start = src.index("SOURCE_LICENCES: Dict")
            table_end = src.index("\n}\n", table_start)
            src = src[:table_start] + src[table_end:]
        outside += src
    named = set(re.findall(r"\"((?:pages|text|headlines|html)/\w+(?:\.(?:jsonl|tar)\.gz)?)\"", outside))
    assert named == set(sources.SOURCE_LICENCES)
    assert set(sources.PAGE_FILES) <= set(sources.SOURCE_LICENCES)


def test_table_entries_are_well_formed():
    for rel, lic in corpus.SOURCE_LICENCES.items():
        assert lic.cls in corpus.LICENCE_CLASSES, rel
        assert lic.licence and lic.note, rel
    lic = corpus.SOURCE_LICENCES
    assert (lic["pages/dragnet.jsonl.gz"].licence, lic["pages/dragnet.jsonl.gz"].cls) == ("AGPL-3.0", "copyleft")
    assert lic["text/saudinewsnet_articles.jsonl.gz"].cls == "non-commercial"
    assert lic["pages/arabic_pages.jsonl.gz"].cls == "publisher"
    assert {r for r, v in lic.items() if v.cls == "unknown"} == {
        "pages/cleaneval.jsonl.gz", "text/aoc_comments_articles.jsonl.gz", "text/hespress_comments.jsonl.gz",
        "headlines/kaggle_train2_titles.jsonl.gz", "headlines/ar_pools"}
    # an MIT repository of third-party pages: the entry must say the pages are not the repo's
    assert "third-party" in lic["pages/aeb.jsonl.gz"].note


def test_allowed_sources_by_class():
    assert corpus.allowed_sources(None) == set(corpus.SOURCE_LICENCES)
    assert corpus.allowed_sources(corpus.LICENCE_CLASSES) == set(corpus.SOURCE_LICENCES)
    assert corpus.allowed_sources(["permissive"]) == PERMISSIVE
    assert corpus.allowed_sources(["permissive", "non-commercial"]) == PERMISSIVE | {
        "text/saudinewsnet_articles.jsonl.gz", "headlines/saudinewsnet_annotated.jsonl.gz"}
    assert corpus.allowed_sources([]) == set()
    with pytest.raises(ValueError):
        corpus.allowed_sources(["free"])


def test_source_path_gate():
    assert corpus._source_path("d", "pages/aeb.jsonl.gz", PERMISSIVE) == str(Path("d", "pages", "aeb.jsonl.gz"))
    assert corpus._source_path("d", "pages/dragnet.jsonl.gz", PERMISSIVE) is None
    assert corpus._source_path("d", "pages/dragnet.jsonl.gz", None) is not None
    with pytest.raises(KeyError):
        corpus._source_path("d", "pages/new_source.jsonl.gz", None)


def test_parse_licence_classes():
    assert corpus.parse_licence_classes("permissive") == {"permissive"}
    assert corpus.parse_licence_classes(" Permissive, non-commercial ,") == {"permissive", "non-commercial"}
    for bad in ("free", "permissive,gpl", "", ","):
        with pytest.raises(argparse.ArgumentTypeError):
            corpus.parse_licence_classes(bad)


@pytest.mark.parametrize("argv, message", [
    (["--licences", "permisive"], "unknown licence class 'permisive'"),
    (["--licences", "permissive", "--resplit"], "--resplit cannot be combined"),
    (["--licences", "permissive"], "does not exist"),
])
def test_cli_errors_are_argparse_errors(tmp_path, capsys, argv, message):
    """A bad class, --resplit with a filter, or a filter without a saved split: usage error
    (exit 2, message on stderr), no traceback, nothing built or written."""
    out = tmp_path / "out"
    splits = tmp_path / "splits.json"  # absent
    with pytest.raises(SystemExit) as e:
        corpus.main(argv + ["--data", str(tmp_path), "--out", str(out), "--splits", str(splits)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists() and not splits.exists()


def test_missing_needs():
    P = corpus.Pools()
    assert set(corpus.missing_needs(P)) == {r for r, _ in corpus.RECIPES}
    P.en_articles, P.real_en_pages = [["a", "b", "c"]], [{"lines": []}]
    P.en_headlines, P.en_clickbait, P.en_boiler_lines = ["h"], ["c"], ["menu"]
    assert set(corpus.missing_needs(P)) == {"ar_news", "mixed_en_article_ar_chrome", "mixed_ar_article_en_chrome"}
    P.ar_articles, P.ar_ui_boiler = [("t", ["p"])], ["x"]
    assert corpus.missing_needs(P) == {}


# --- end to end on a tiny made-up data directory -----------------------------------------------

def _write_jsonl_gz(path: Path, records) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _page(source: str, i: int, url: str | None) -> dict:
    lines = [{"text": f"Menu item {k} of {source} site {i}", "label": "boilerplate", "dom": "body>div.nav>a"}
             for k in range(4)]
    lines += [{"text": f"Paragraph {k} of the story number {i} from {source}.", "label": "body",
               "dom": "body>div.article>p"} for k in range(5)]
    lines += [{"text": f"Nice story {i}, thanks", "label": "comment", "dom": "body>div#comments>p"},
              {"text": f"Copyright {source} {i}", "label": "boilerplate", "dom": "body>div.footer>p"},
              {"text": "Privacy policy", "label": "boilerplate", "dom": "body>div.footer>a"}]
    return {"page_id": f"{source}/{i}", "source": source, "lang": "en", "url": url, "gold_recall": 0.95,
            "lines": lines}


def make_tiny_data(d: Path) -> Path:
    """English pages (AEB, Dragnet with its HTML), SNN articles, WordPress UI strings and
    headlines, a few of each, so that the unfiltered build can make every recipe."""
    _write_jsonl_gz(d / "pages" / "aeb.jsonl.gz",
                    [_page("scrapinghub_aeb", i, f"https://news-site{i}.com/a/{i}") for i in range(12)])
    _write_jsonl_gz(d / "pages" / "dragnet.jsonl.gz", [_page("dragnet", i, None) for i in range(6)])
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for i in range(6):
            html = f'<link rel="canonical" href="https://dragnet-site{i}.org/x">'.encode()
            info = tarfile.TarInfo(f"dragnet/HTML/{i}.html")
            info.size = len(html)
            tf.addfile(info, io.BytesIO(html))
    (d / "html").mkdir()
    (d / "html" / "dragnet.tar.gz").write_bytes(buf.getvalue())
    snn = []
    for a in range(30):
        snn.append({"text": f"عنوان الخبر رقم {a}", "label": "body", "note": f"title; article={a}"})
        snn += [{"text": f"فقرة {k} من الخبر رقم {a} في الصحيفة.", "label": "body", "note": f"paragraph; article={a}"}
                for k in range(4)]
    _write_jsonl_gz(d / "text" / "saudinewsnet_articles.jsonl.gz", snn)
    _write_jsonl_gz(d / "text" / "wp_core_ar_ui.jsonl.gz",
                    [{"text": f"نص واجهة {k}", "label": "boilerplate" if k % 2 else "comment"} for k in range(20)])
    _write_jsonl_gz(d / "headlines" / "chakraborty2016.jsonl.gz",
                    [{"text": f"Headline number {k} about things", "label": "clickbait" if k % 2 else "headline"}
                     for k in range(200)])
    return d


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    return make_tiny_data(tmp_path_factory.mktemp("licdata"))


@pytest.fixture()
def small_build(monkeypatch):
    """Few composed pages, and a record of every data file the build opens."""
    monkeypatch.setattr(corpus, "N_COMPOSED", {"train": 40, "dev": 15, "test": 15})
    opened: list = []
    real_iter, real_tar = sources.iter_pages, tarfile.open

    def iter_spy(path):
        opened.append(str(path))
        return real_iter(path)

    def tar_spy(name=None, *a, **k):
        opened.append(str(name))
        return real_tar(name, *a, **k)

    monkeypatch.setattr(sources, "iter_pages", iter_spy)  # every data file is read through sources
    monkeypatch.setattr(tarfile, "open", tar_spy)
    return opened


def _pages(out: Path) -> dict:
    return {s: gzip.decompress((out / f"{s}.jsonl.gz").read_bytes()).decode() for s in corpus.SPLITS}


def test_filtered_build_keeps_split_file_and_reads_only_allowed_sources(tiny_data, tmp_path, small_build):
    splits = tmp_path / "splits.json"
    full = corpus.build(str(tiny_data), str(tmp_path / "full"), 13, splits_path=str(splits))
    assert splits.exists() and "== licences" not in full  # full build: summary as before the filter
    saved = splits.read_bytes()
    small_build.clear()

    summary = corpus.build(str(tiny_data), str(tmp_path / "perm"), 13, splits_path=str(splits),
                           licences=["permissive"])
    assert splits.read_bytes() == saved
    read = {str(Path(p).relative_to(tiny_data).as_posix()) for p in small_build}
    # the tiny data holds no WCXB or Webis file: what it has of the permissive ones is read
    assert read == PERMISSIVE & {"pages/aeb.jsonl.gz", "headlines/chakraborty2016.jsonl.gz"}
    assert "excluded copyleft" in summary and "pages/dragnet.jsonl.gz" in summary
    assert "ar_news:" in summary and "pages not made" in summary
    assert (tmp_path / "perm" / "summary.txt").read_text(encoding="utf-8") == summary

    full_pages = {json.loads(x)["page_id"]: x for s in corpus.SPLITS
                  for x in _pages(tmp_path / "full")[s].splitlines()}
    recipes = set()
    for s, text in _pages(tmp_path / "perm").items():
        for line in text.splitlines():
            p = json.loads(line)
            if p["composed"]:
                recipes.add(p["recipe"])
            else:  # a kept real page is the full build's page, split and host included
                assert p["source"] == "scrapinghub_aeb" and full_pages[p["page_id"]] == line
                assert p["page_id"] in json.loads(saved)["real"][s]
    assert recipes and recipes <= {"en_news", "real_en_teaser", "headline_list"}

    corpus.build(str(tiny_data), str(tmp_path / "perm2"), 13, splits_path=str(splits), licences=["permissive"])
    assert _pages(tmp_path / "perm2") == _pages(tmp_path / "perm")  # seeded: reproducible


def test_all_classes_is_the_unfiltered_build(tiny_data, tmp_path, small_build):
    splits = tmp_path / "splits.json"
    corpus.build(str(tiny_data), str(tmp_path / "first"), 13, splits_path=str(splits))  # writes the split
    a = corpus.build(str(tiny_data), str(tmp_path / "a"), 13, splits_path=str(splits))
    b = corpus.build(str(tiny_data), str(tmp_path / "b"), 13, splits_path=str(splits),
                     licences=corpus.LICENCE_CLASSES)
    assert a == b and _pages(tmp_path / "a") == _pages(tmp_path / "b")


def test_filter_that_empties_everything_still_builds(tiny_data, tmp_path, small_build):
    splits = tmp_path / "splits.json"
    corpus.build(str(tiny_data), str(tmp_path / "full"), 13, splits_path=str(splits))
    summary = corpus.build(str(tiny_data), str(tmp_path / "none"), 13, splits_path=str(splits),
                           licences=["unknown"])
    assert all(not t for t in _pages(tmp_path / "none").values())
    assert "real_en_teaser:" in summary
    assert corpus.dragnet_hosts(str(tiny_data), corpus.allowed_sources(["permissive"])) == {}
    assert len(corpus.dragnet_hosts(str(tiny_data))) == 6
