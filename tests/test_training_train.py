"""``python -m training.train`` end to end on a tiny made-up corpus (no ../shared)."""

from __future__ import annotations

import gzip

import pagegen
from classifier import LineClassifier
from training import train


def test_seed_reaches_fasttext_and_the_recorded_command(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for split, (n, seed) in {"train": (14, 5), "dev": (4, 6), "test": (4, 7)}.items():
        plain = tmp_path / f"{split}.jsonl"
        pagegen.write_jsonl(plain, pagegen.training_pages(n=n, seed=seed))
        (corpus / f"{split}.jsonl.gz").write_bytes(gzip.compress(plain.read_bytes()))
    heads = pagegen.write_jsonl(tmp_path / "heads.jsonl", pagegen.headline_items())
    (corpus / "headlines_train.jsonl.gz").write_bytes(gzip.compress(heads.read_bytes()))
    out = tmp_path / "model"
    assert train.main(["--corpus", str(corpus), "--out", str(out), "--seed", "5", "--no-site-memory"]) == 0
    clf = LineClassifier.load(out)
    assert clf.manifest_["settings"]["text_model"]["seed"] == 5
    # what training.train gives a new model: the n-gram headline scorer and the lead columns
    assert clf.headline_scorer and "headline.npz" in clf.manifest_["files"] and "headline.bin" not in clf.manifest_["files"]
    assert clf.manifest_["headline_kind"] == "ngram" and clf.lead_cues
    assert clf.manifest_["training"]["command"].endswith("--no-site-memory --seed 5")
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "--seed 5" in card and "## Targets" in card
