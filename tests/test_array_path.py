"""The array result path (issue 18): ``label_arrays`` gives per page what ``label_pages``
gives, as arrays; the CLI's writers read those arrays, and their output must be byte for
byte what the records give (an oracle built here with ``json.dumps`` and plain f-strings,
not with the writer's code). Also ``jobs="auto"``: its decision rule, and that whatever it
decides, the results are those of one process."""

from __future__ import annotations

import json

import numpy as np
import pytest

import pagegen
from classifier import LABELS
from classifier.jobs import MIN_LINES_PER_WORKER, auto_jobs, parse_jobs
from classifier.results import PageLabels
from helpers import EXAMPLES, run_cli


def _generated_pages(n: int = 12) -> list[tuple[str, str]]:
    return [(f"gen/{i}", "\n".join(line["text"] for line in page["lines"]))
            for i, page in enumerate(pagegen.training_pages(n, seed=18))]


@pytest.fixture(scope="module")
def pages(example_texts):
    return list(example_texts.items()) + _generated_pages()


def test_label_arrays_equal_label_pages(clf, pages):
    records = list(clf.label_pages(pages, batch_lines=300))
    arrays = list(clf.label_arrays(pages, batch_lines=300))
    assert [pid for pid, _ in arrays] == [pid for pid, _ in records]
    for (_, labs), (_, arr) in zip(records, arrays):
        assert isinstance(arr, PageLabels)
        assert arr.records() == labs and list(arr) == labs and len(arr) == len(labs)
        rows = [i for i, lab in enumerate(labs) if lab is not None]
        assert arr.positions.tolist() == rows
        assert arr.labels() == [labs[i].label for i in rows]
        assert arr.scores.tolist() == [labs[i].score for i in rows]
        assert not arr.probs.flags.writeable and not arr.scores.flags.writeable


def _oracle(pages, clf, fmt: str, keep=LABELS, min_score: float = 0.0, probs: bool = False) -> str:
    out = []
    if fmt == "tsv":
        header = "file\tline\tlabel\tscore\t" + "".join(f"p_{lab}\t" for lab in LABELS if probs) + "text"
        out.append(header)
    for (name, text), (_, labels) in zip(pages, clf.label_pages(pages)):
        lines = text.split("\n")
        for line, lab in zip(lines, labels):
            if lab is None or lab.label not in keep or lab.score < min_score:
                continue
            if fmt == "jsonl":
                record = {"file": name, "line": lab.line, "label": lab.label, "score": round(lab.score, 4)}
                if probs:
                    record["probs"] = {k: round(v, 4) for k, v in lab.probs.items()}
                record["text"] = line
                out.append(json.dumps(record, ensure_ascii=False))
            else:
                cells = "".join(f"{lab.probs[k]:.4f}\t" for k in LABELS) if probs else ""
                out.append(f"{name}\t{lab.line}\t{lab.label}\t{lab.score:.4f}\t{cells}{line}")
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("fmt", ["jsonl", "tsv"])
@pytest.mark.parametrize("options", [(), ("--probs",), ("--probs", "--keep", "body,comment", "--min-score", "0.6")])
def test_cli_output_is_byte_identical_to_the_records(model_dir, clf, tmp_path, fmt, options):
    pages = _generated_pages(8)
    # plain text without tabs or line separators, so the oracle needs no escaping
    pages += [(str(EXAMPLES / name), (EXAMPLES / name).read_text(encoding="utf-8").rstrip("\n"))
              for name in ("en_article.txt", "ar_article.txt", "mixed_article.txt")]
    jsonl = tmp_path / "pages.jsonl"
    jsonl.write_text("".join(json.dumps({"id": pid, "text": text}, ensure_ascii=False) + "\n"
                             for pid, text in pages), encoding="utf-8")
    keep = LABELS if "--keep" not in options else ("body", "comment")
    min_score = 0.6 if "--min-score" in options else 0.0
    expected = _oracle(pages, clf, fmt, keep, min_score, probs="--probs" in options)
    for jobs in ("1", "auto"):
        proc = run_cli("label", "--model", str(model_dir), "--input", "jsonl", "-f", fmt,
                       "--jobs", jobs, *options, str(jsonl))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.decode("utf-8") == expected


def test_label_pages_auto_jobs_gives_the_one_process_results(model_dir, pages):
    from classifier import LineClassifier

    model = LineClassifier.load(model_dir)
    assert list(model.label_pages(pages, jobs="auto")) == list(model.label_pages(pages))


@pytest.mark.parametrize("lines, exhausted, cores, load, expected", [
    (10, True, 8, 0.0, 1),                                  # one small page: no workers
    (3 * MIN_LINES_PER_WORKER, True, 8, 0.0, 3),            # as many as the input keeps busy
    (2 * MIN_LINES_PER_WORKER, False, 2, 0.1, 2),           # a stream on 2 free cores
    (2 * MIN_LINES_PER_WORKER, False, 2, 1.2, 1),           # one core taken: this process
    (2 * MIN_LINES_PER_WORKER, False, 2, 6.0, 1),           # a busy machine: never slower
    (8 * MIN_LINES_PER_WORKER, False, 8, 3.5, 4),           # the free cores, rounded down
    (8 * MIN_LINES_PER_WORKER, False, 1, 0.0, 1),           # one usable core
])
def test_auto_jobs_uses_free_cores_when_there_is_work(lines, exhausted, cores, load, expected):
    assert auto_jobs(lines, exhausted, cores=cores, load=load) == expected


def test_parse_jobs():
    assert parse_jobs("auto") == "auto" and parse_jobs(" AUTO ") == "auto"
    assert parse_jobs("3") == 3 and parse_jobs(2) == 2 and parse_jobs(None) == 0
    for bad in ("-1", "two", -1, 1.5, True):
        with pytest.raises(ValueError):
            parse_jobs(bad)


def test_page_labels_kept_rows():
    probs = np.array([[0.7, 0.1, 0.1, 0.1], [0.1, 0.5, 0.2, 0.2], [0.2, 0.2, 0.2, 0.4]])
    labels = PageLabels(np.array([0, 2, 3]), 5, probs)
    assert labels.kept_rows({"body", "clickbait"}).tolist() == [0, 2]
    assert labels.kept_rows({"body", "clickbait"}, 0.5).tolist() == [0]
    assert [lab and lab.line for lab in labels] == [1, None, 3, 4, None]
    with pytest.raises(ValueError):
        PageLabels(np.array([0]), 1, probs)


def test_keep_lines_from_arrays_equal_keep_lines_from_records(clf, pages):
    import random

    from classifier.model import keep_lines

    rng = random.Random(18)
    for (_, text), (_, arr) in zip(pages, clf.label_arrays(pages)):
        lines = text.split("\n")
        records = arr.records()
        for keep in ({"body"}, {"body", "comment"}, set(LABELS), {"clickbait"}):
            starts = [rng.random() < 0.2 for _ in lines]
            for paragraph_starts in (None, starts):
                for min_score in (0.0, 0.7):
                    assert (keep_lines(lines, arr, keep, paragraph_starts, min_score)
                            == keep_lines(lines, records, keep, paragraph_starts, min_score))


def test_summaries_from_arrays_equal_summaries_from_records(clf, pages):
    from classifier.summary import keep_summary, label_counts, mean_score

    annotations = pytest.importorskip("classifier.datatrove_step").annotations
    for _, arr in clf.label_arrays(pages):
        records = arr.records()
        assert label_counts(arr) == label_counts(records)
        assert mean_score(arr) == mean_score(records)
        assert keep_summary(arr, {"body"}) == keep_summary(records, {"body"})
        assert annotations(arr) == annotations(records)
