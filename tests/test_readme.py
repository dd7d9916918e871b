"""Every example in the README runs (issue 17): shell blocks in a scratch directory holding
the files they name, Python blocks in order in one namespace (a reader runs them top to
bottom), the labelled-pages JSON example through the data reader. A block that needs what
a test cannot have (a fresh install, a cluster, the training data) is marked just above
its fence with ``<!-- readme-test: skip (why) -->`` and listed here, so a new block runs
unless someone decides otherwise."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import EXAMPLES, ROOT

_BLOCK = re.compile(r"(<!-- readme-test: skip \((?P<why>[^)]*)\) -->\n)?```(?P<lang>\w*)\n(?P<code>.*?)```", re.S)


def _blocks(lang: str) -> list[tuple[int, str, str | None]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(text[:m.start("code")].count("\n") + 1, m.group("code"), m.group("why"))
            for m in _BLOCK.finditer(text) if m.group("lang") == lang]


def test_skipped_blocks_are_few_and_say_why():
    skipped = [why for lang in ("bash", "python") for _, _, why in _blocks(lang) if why]
    assert len(skipped) == 6 and all(len(why) > 10 for why in skipped)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """The files the README's commands name: page.txt, other.txt, crawl.jsonl(.gz), examples/."""
    d = tmp_path_factory.mktemp("readme")
    shutil.copytree(EXAMPLES, d / "examples")
    shutil.copy(EXAMPLES / "en_article.txt", d / "page.txt")
    shutil.copy(EXAMPLES / "ar_article.txt", d / "other.txt")
    records = [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "url": f"https://news.example/{p.stem}"}
               for p in sorted(EXAMPLES.glob("*.txt"))]
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (d / "crawl.jsonl").write_text(data, encoding="utf-8")
    (d / "crawl.jsonl.gz").write_bytes(gzip.compress(data.encode()))
    return d


@pytest.mark.parametrize("line, code", [(line, code) for line, code, why in _blocks("bash") if not why],
                         ids=lambda v: f"README:{v}" if isinstance(v, int) else "")
def test_shell_example_runs(scratch, line, code):
    bin_dir = str(Path(sys.executable).parent)   # linesift and python of this environment
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"], "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=scratch, env=env,
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, f"README line {line}:\n{code}\n{proc.stderr.decode()[-2000:]}"


def test_python_examples_run_in_order(scratch, monkeypatch):
    monkeypatch.chdir(scratch)
    page_text = (EXAMPLES / "en_article.txt").read_text(encoding="utf-8")
    html = (EXAMPLES / "mixed_page.html").read_bytes()
    crawl = [json.loads(line) for line in (scratch / "crawl.jsonl").read_text(encoding="utf-8").splitlines()]
    namespace = {
        "__name__": "readme",   # the datatrove blocks' __main__ guards stay shut here
        "page_text": page_text, "page_html": html, "html_bytes": html,
        "pages": [(rec["id"], rec["text"]) for rec in crawl],
        "html_pages": [("mixed", html)], "crawl": crawl, "responses": [html, page_text],
        "list_of_pages": [rec["text"] for rec in crawl], "list_of_urls": [rec["url"] for rec in crawl],
    }
    blocks = [(line, code) for line, code, why in _blocks("python") if not why]
    assert len(blocks) >= 7
    for line, code in blocks:
        try:
            exec(compile(code, f"README.md:{line}", "exec"), namespace)
        except Exception as exc:  # noqa: BLE001 - name the block that failed
            pytest.fail(f"README python block at line {line} failed: {type(exc).__name__}: {exc}")
    assert namespace["article"].title and namespace["pipeline"]


def test_labelled_pages_json_example_reads(tmp_path):
    from classifier.data import read_pages

    [(line, code, _)] = _blocks("json")
    path = tmp_path / "example.jsonl"
    path.write_text(code, encoding="utf-8")
    [page] = list(read_pages(path))
    assert page.labels == ["boilerplate", None, "body", "clickbait"] and page.site
