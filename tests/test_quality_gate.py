"""The quality gate's corpus cache (training/quality_gate.py): reused while the builder,
split and annotations are unchanged, rebuilt when any of them changes."""

from __future__ import annotations

from training import quality_gate


def test_the_gate_watches_the_files_the_builder_names():
    names = {p.name for p in quality_gate.BUILDER_INPUTS}
    assert names == {"corpus.py", "sources.py", "relabel.py", "splitting.py", "pools.py", "compose.py",
                     "splits.json", "snn_titles.tsv", "headline_pools.py", "surface.py",
                     "ar_pools.py", "ar_pool_titles.tsv", "ar_listing.py", "ar_listing_lines.tsv"}
    assert all(p.is_file() for p in quality_gate.BUILDER_INPUTS)


def test_the_gate_corpus_is_rebuilt_when_a_builder_input_changes(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "training").mkdir(parents=True)
    builder = root / "training" / "corpus.py"
    builder.write_text("v1")
    monkeypatch.setattr(quality_gate, "BUILDER_INPUTS", (builder, root / "training" / "splits.json"))
    builds = []

    def fake_run(cmd, **kwargs):
        out = cmd[cmd.index("--out") + 1]
        builds.append(out)
        (tmp_path / "gate" / "test.jsonl.gz").parent.mkdir(exist_ok=True)
        (tmp_path / "gate" / "test.jsonl.gz").write_bytes(b"")

    monkeypatch.setattr(quality_gate.subprocess, "run", fake_run)
    out = tmp_path / "gate"
    quality_gate._build_corpus(tmp_path / "data", out)
    quality_gate._build_corpus(tmp_path / "data", out)
    assert len(builds) == 1  # cached
    builder.write_text("v2")
    quality_gate._build_corpus(tmp_path / "data", out)
    assert len(builds) == 2  # the builder changed
    (root / "training" / "splits.json").write_text("{}")
    quality_gate._build_corpus(tmp_path / "data", out)
    assert len(builds) == 3  # an input that was absent appeared
    quality_gate._build_corpus(tmp_path / "data", out)
    assert len(builds) == 3
