"""The datatrove step: a real JSONL -> linesift -> JSONL pipeline on the local executor with
several tasks and two worker processes, checked document by document and line by line
against the library itself; plus the step's options, in process.

Pages are generated here (:mod:`pagegen`) or written inline; nothing is read from outside
the repository.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("datatrove")

import pagegen
from datatrove.data import Document
from helpers import EXAMPLES, ROOT

from classifier import LABELS, datatrove_step
from classifier.datatrove_step import LineSiftStep
from classifier.page import is_blank, split_lines

TASKS = 4
KEEP = ("body", "comment")

EDGE_PAGES = {
    # each a page linesift must carry through whole: the ids are checked at the end
    "edge/crlf": "Home\r\nWorld\r\n\r\nKessington opens consultation on the solar farm\r\n\r\n"
                 "The council will publish detailed drawings at the town hall next week.\r\n",
    "edge/lone-cr": "Menu\rSearch\r\rA public meeting is planned for Thursday evening.\r",
    "edge/blank-only": "\n   \n\t\n",
    "edge/menu-only": "Home\nWorld\nPolitics\nSport\nWeather",
}


def make_docs() -> list[dict]:
    """A dozen generated pages (English, Arabic, mixed; menus, comments, teasers, blank
    lines) and a few edge cases, as datatrove JSONL records with a site URL."""
    rng = random.Random(606)
    kinds = [("en", "en"), ("ar", "ar"), ("ar", "en")]
    docs = []
    for i in range(12):
        chrome, body = kinds[i % 3]
        lines = pagegen.make_page(rng, chrome, body, clickbait_headline=(i % 5 == 2),
                                  comments=(i % 4 != 3))
        docs.append({"id": f"gen/{i:02d}", "text": "\n".join(t for t, _ in lines),
                     "url": f"https://site{i % 3}.example/news/{i}"})
    docs += [{"id": k, "text": v, "url": "https://edge.example/"} for k, v in EDGE_PAGES.items()]
    return docs


def read_output(folder: Path) -> dict[str, list[dict]]:
    """Output records per output file (one file per task), in file order."""
    out = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out[path.name] = [json.loads(line) for line in f]
    return out


def step_stats(logging_dir: Path) -> dict:
    """The linesift step's merged counters from the executor's ``stats.json``."""
    merged = json.loads((logging_dir / "stats.json").read_text(encoding="utf-8"))
    [entry] = [s for s in merged if s["name"] == f"{LineSiftStep.type}: {LineSiftStep.name}"]
    return {k: v["total"] if isinstance(v, dict) else v for k, v in entry["stats"].items()}


def run_pipeline(tmp: Path, docs: list[dict], step: LineSiftStep) -> tuple[Path, Path]:
    """Write ``docs`` round-robin over TASKS input files, run reader -> step -> writer with
    TASKS tasks on two worker processes, return (output folder, logging folder)."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    inp, out, logs = tmp / "in", tmp / "out", tmp / "logs"
    inp.mkdir()
    for t in range(TASKS):
        pagegen.write_jsonl(inp / f"part{t}.jsonl", docs[t::TASKS])
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(inp)), step, JsonlWriter(str(out))],
        tasks=TASKS, workers=2, logging_dir=str(logs),
    ).run()
    return out, logs


@pytest.fixture(scope="module")
def docs():
    return make_docs()


@pytest.fixture(scope="module")
def annotated(tmp_path_factory, docs, model_dir):
    return run_pipeline(tmp_path_factory.mktemp("annotate"), docs, LineSiftStep(model=model_dir))


@pytest.fixture(scope="module")
def kept(tmp_path_factory, docs, model_dir):
    return run_pipeline(tmp_path_factory.mktemp("keep"), docs, LineSiftStep(keep=KEEP, model=model_dir))


def test_annotate_pipeline_every_document_and_line(annotated, docs, clf):
    out, logs = annotated
    files = read_output(out)
    assert len(files) == TASKS
    records = [r for recs in files.values() for r in recs]
    by_id = {r["id"]: r for r in records}
    assert sorted(by_id) == sorted(d["id"] for d in docs) and len(records) == len(docs)
    for d in docs:
        rec = by_id[d["id"]]
        assert rec["text"] == d["text"]
        meta = rec["metadata"]
        assert meta["url"] == d["url"]  # other metadata passes through
        lines = split_lines(d["text"])
        labels, scores = meta["linesift_labels"], meta["linesift_scores"]
        assert len(labels) == len(scores) == len(lines), d["id"]
        assert [lab is None for lab in labels] == [is_blank(line) for line in lines]
        expected = clf.label_text(d["text"])
        assert labels == [None if e is None else e.label for e in expected]
        assert scores == [None if e is None else pytest.approx(e.score, abs=1e-4) for e in expected]
        assert meta["linesift"]["lines"] == {lab: labels.count(lab) for lab in LABELS}
    # documents keep their order inside each task's shard
    for t, (name, recs) in enumerate(sorted(files.items())):
        assert [r["id"] for r in recs] == [d["id"] for d in docs[t::TASKS]]
    stats = step_stats(logs)
    assert stats["total"] == stats["forwarded"] == len(docs)
    n_lines = sum(1 for d in docs for line in split_lines(d["text"]) if not is_blank(line))
    assert sum(stats.get(f"lines_{lab}", 0) for lab in LABELS) == n_lines


def test_keep_pipeline_matches_library_clean(kept, docs, clf):
    out, logs = kept
    records = [r for recs in read_output(out).values() for r in recs]
    by_id = {r["id"]: r for r in records}
    cleaned = {d["id"]: clf.clean(d["text"], keep=KEEP) for d in docs}
    survivors = {i for i, text in cleaned.items() if text}
    assert set(by_id) == survivors and len(records) == len(survivors)
    assert "edge/blank-only" not in by_id  # nothing to keep: dropped
    for i in survivors:
        assert by_id[i]["text"] == cleaned[i], i
    # counters add up to the library's labels, per label
    expected = {lab: 0 for lab in LABELS}
    for d in docs:
        for lab in clf.label_text(d["text"]):
            if lab is not None:
                expected[lab.label] += 1
    stats = step_stats(logs)
    for lab in LABELS:
        key = f"lines_{'kept' if lab in KEEP else 'dropped'}_{lab}"
        assert stats.get(key, 0) == expected[lab], key
    assert stats["total"] == len(docs)
    assert stats.get("dropped", 0) == stats.get("dropped_linesift_no_kept_lines", 0) == len(docs) - len(survivors)
    for i in survivors:
        summary = by_id[i]["metadata"]["linesift"]
        assert summary["kept"] == sum(summary["lines"][lab] for lab in KEEP)
        assert summary["dropped"] == {lab: n for lab, n in summary["lines"].items() if lab not in KEEP}
    # per-task stats files exist too
    assert len(list((logs / "stats").glob("*.json"))) == TASKS


# -- the step in process ---------------------------------------------------------------

def _docs(texts: dict[str, str]) -> list[Document]:
    return [Document(text=t, id=i) for i, t in texts.items()]


def test_keep_empty_documents_pass_when_asked(model_dir, tmp_path):
    from datatrove.pipeline.writers import JsonlWriter

    step = LineSiftStep(keep="body", model=model_dir, drop_empty=False,
                        exclusion_writer=JsonlWriter(str(tmp_path / "excluded")))
    out = list(step.run(iter(_docs({"blank": "\n \n", "menu": EDGE_PAGES["edge/menu-only"]}))))
    assert [d.id for d in out] == ["blank", "menu"]
    assert out[0].text == "" and out[0].metadata["linesift"]["kept"] == 0
    assert not (tmp_path / "excluded").exists() or not any((tmp_path / "excluded").iterdir())


def test_dropped_documents_go_to_the_exclusion_writer(model_dir, tmp_path):
    from datatrove.pipeline.writers import JsonlWriter

    step = LineSiftStep(keep="body", model=model_dir,
                        exclusion_writer=JsonlWriter(str(tmp_path / "excluded")))
    menu = EDGE_PAGES["edge/menu-only"]
    assert list(step.run(iter(_docs({"blank": "\n \n", "menu": menu})))) == []
    excluded = [r for recs in read_output(tmp_path / "excluded").values() for r in recs]
    assert [r["id"] for r in excluded] == ["blank", "menu"]
    assert all(r["metadata"]["filter_reason"] == datatrove_step.EMPTY_REASON for r in excluded)
    # the dropped document keeps its text, so what was dropped can be audited
    assert [r["text"] for r in excluded] == ["\n \n", menu]
    assert excluded[1]["metadata"]["linesift"]["kept"] == 0


def test_step_streams_in_order(model_dir, docs):
    """An endless input still yields documents, in order: the step holds one batch only."""
    endless = (Document(text=d["text"], id=f"{n}:{d['id']}")
               for n in itertools.count() for d in docs)
    step = LineSiftStep(model=model_dir, batch_lines=64)
    got = [d.id for d in itertools.islice(step.run(endless), 40)]
    assert got == [f"{n}:{d['id']}" for n in range(4) for d in docs][:40]


def test_step_pickles_without_the_model(model_dir, docs):
    """datatrove pickles steps to send them to workers: the loaded model must stay out."""
    import dill

    step = LineSiftStep(keep=KEEP, model=model_dir)
    before = len(dill.dumps(step))
    list(step.run(iter(_docs({"a": docs[0]["text"]}))))
    assert step.classifier is datatrove_step._load(str(Path(model_dir).resolve()))
    assert len(dill.dumps(step)) < before + 4096  # counters grew, no model attached
    clone = dill.loads(dill.dumps(step))
    assert clone.keep == tuple(sorted(KEEP)) and clone.model == step.model


def test_bad_keep_labels_are_refused():
    with pytest.raises(ValueError, match="unknown labels.*headline"):
        LineSiftStep(keep={"body", "headline"})
    with pytest.raises(ValueError, match="keep must name labels"):
        LineSiftStep(keep=())


def test_site_key_needs_site_memory_in_label_pages():
    if datatrove_step.supports_site_memory():
        assert LineSiftStep(site_key="url").site_key == "url"
    else:
        with pytest.raises(ValueError, match="site_memory"):
            LineSiftStep(site_key="url")


def test_site_key_passes_sites_to_label_pages(monkeypatch):
    """The site-memory hook: with ``site_key``, items are ``(id, text, site)`` and
    ``site_memory=True`` is passed (checked against a stand-in model)."""
    seen: dict = {}

    class FakeModel:
        def label_pages(self, pages, **kwargs):
            seen["kwargs"] = kwargs
            seen["items"] = []
            for item in pages:
                seen["items"].append(item)
                yield item[0], [None] * len(split_lines(item[1]))

    monkeypatch.setattr(datatrove_step, "supports_site_memory", lambda: True)
    monkeypatch.setattr(datatrove_step, "_load", lambda model: FakeModel())
    step = LineSiftStep(site_key="url")
    docs = [Document(text="a\nb", id="1", metadata={"url": "https://x.example/1"}),
            Document(text="c", id="2")]
    assert [d.id for d in step.run(iter(docs))] == ["1", "2"]
    assert seen["kwargs"]["site_memory"] is True
    assert seen["items"] == [("1", "a\nb", "https://x.example/1"), ("2", "c", None)]


def test_site_key_labels_match_library_site_memory(model_dir, clf, docs):
    """With a real model: the step's labels equal ``label_pages(..., site_memory=True)``
    over the same (id, text, url) stream."""
    if not datatrove_step.supports_site_memory():
        pytest.skip("this linesift's label_pages has no site_memory yet")
    step = LineSiftStep(model=model_dir, site_key="url", batch_lines=128)
    out = list(step.run(iter([Document(text=d["text"], id=d["id"], metadata={"url": d["url"]})
                              for d in docs])))
    expected = dict(clf.label_pages(((d["id"], d["text"], d["url"]) for d in docs),
                                    site_memory=True))
    assert [d.id for d in out] == [d["id"] for d in docs]
    for doc in out:
        assert doc.metadata["linesift_labels"] == [None if e is None else e.label
                                                   for e in expected[doc.id]]


def test_import_classifier_does_not_import_datatrove():
    code = "import sys, classifier; assert 'datatrove' not in sys.modules, 'datatrove imported'"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr.decode()


def _readme_block(marker: str) -> str:
    import re

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    [block] = [b for b in blocks if marker in b]
    return block


def test_readme_local_pipeline_runs_as_a_script(tmp_path):
    """The README's LocalPipelineExecutor example, run as a script the way users run it:
    datatrove's forkserver workers import the script again, so it must finish (the
    ``__main__`` guard) and write every document."""
    script = tmp_path / "pipeline.py"
    script.write_text(_readme_block("LocalPipelineExecutor(pipeline=pipeline"), encoding="utf-8")
    (tmp_path / "crawl").mkdir()
    docs = [{"id": f"d{i}", "text": (EXAMPLES / name).read_text(encoding="utf-8")}
            for i, name in enumerate(("en_article.txt", "ar_article.txt", "mixed_article.txt"))]
    (tmp_path / "crawl" / "part.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                          capture_output=True, timeout=240)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = [json.loads(line) for f in sorted((tmp_path / "clean").glob("*.jsonl.gz"))
           for line in gzip.open(f, "rt", encoding="utf-8")]
    assert sorted(d["id"] for d in out) == ["d0", "d1", "d2"]
    assert all(d["metadata"]["linesift"]["kept"] > 0 for d in out)
