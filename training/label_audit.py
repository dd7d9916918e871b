"""How far the real pages' source labels are from the annotation guide, measured on a sample.

The body target (F1 >= 0.97 on real pages) is scored against labels aligned from the
sources' gold text, and those follow the sources' own conventions. This audit asks a
reader with the guide (LABELS.md) to label a seeded sample of real test-page lines, blind
to both the source label and the model's, and estimates from it:

* how often the source label is right by the guide, in each cell of the model's
  body-vs-rest confusion (both say body; the model says body and the source does not;
  the source says body and the model does not);
* body F1 of the source labels against the guide: the ceiling a perfect follower of the
  guide would score against the source labels;
* body F1 of the model against the guide.

Lines both call non-body are not sampled (few of them are body by the guide; counting
them as right makes both estimates optimistic). Intervals come from resampling each cell.

    python -m training.label_audit sample --model M --corpus build/corpus --out build/audit
    (a reader labels build/audit/sample.jsonl into build/audit/answers.jsonl)
    python -m training.label_audit import --out build/audit --to training/annotations/label_audit.tsv
    python -m training.label_audit score --judgements training/annotations/label_audit.tsv

The sample file holds page text and stays in build/ (never committed); the judgement file
keeps page ids, line numbers and labels only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

CELLS = ("tp", "fp", "fn")
"""Body-vs-rest cells: model and source say body / only the model does / only the source does."""


def _cells(model: Path, corpus: Path):
    from classifier import LineClassifier
    from classifier.data import read_all

    clf = LineClassifier.load(model)
    out: dict[str, list] = {c: [] for c in CELLS}
    pages = [p for p in read_all([corpus / "test.jsonl.gz"]) if p.source != "composed"]
    for p in pages:
        labels = clf.label_text("\n".join(p.lines))
        for i, (gold, got) in enumerate(zip(p.labels, labels)):
            if gold is None or got is None:
                continue
            cell = ("tp" if got.label == "body" else "fn") if gold == "body" else \
                ("fp" if got.label == "body" else None)
            if cell:
                out[cell].append((p, i, gold, got.label))
    return out


def sample(model: Path, corpus: Path, out: Path, n: int, seed: int) -> None:
    cells = _cells(model, corpus)
    rng = random.Random(seed)
    picks = [(c, x) for c in ("fp", "fn", "tp")
             for x in rng.sample(cells[c], min(len(cells[c]), n if c != "tp" else n // 2))]
    rng.shuffle(picks)
    out.mkdir(parents=True, exist_ok=True)
    key = {"model": str(model), "corpus": str(corpus), "seed": seed,
           "population": {c: len(cells[c]) for c in CELLS}, "items": {}}
    with open(out / "sample.jsonl", "w", encoding="utf-8") as fh:
        for k, (cell, (p, i, gold, got)) in enumerate(picks):
            shown = [j for j, t in enumerate(p.lines) if t.strip()]
            at = shown.index(i)
            rec = {"id": f"a{k:03d}", "before": [p.lines[j][:200] for j in shown[max(0, at - 4):at]],
                   "line": p.lines[i][:400], "after": [p.lines[j][:200] for j in shown[at + 1:at + 4]],
                   "page_start": [p.lines[j][:120] for j in shown[:3]]}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            key["items"][rec["id"]] = {"cell": cell, "page": p.page_id, "line": i, "source": p.source,
                                       "gold": gold, "model": got}
    (out / "key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")
    print(f"{len(picks)} lines sampled from {key['population']} into {out / 'sample.jsonl'}")


def import_answers(out: Path, to: Path) -> None:
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    answers = [json.loads(x) for x in (out / "answers.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = []
    for a in answers:
        item = key["items"][a["id"]]
        rows.append("\t".join([item["page"], str(item["line"]), item["source"], item["cell"], item["gold"],
                               item["model"], a["label"], a["confidence"]]))
    pop = " ".join(f"{c}={key['population'][c]}" for c in CELLS)
    header = [f"# model: {key['model']}; corpus: {key['corpus']} (test split, real pages); seed {key['seed']}",
              f"# population: {pop}",
              "# page_id\tline\tsource\tcell\tsource_label\tmodel_label\tguide_label\tconfidence"]
    to.write_text("\n".join(header + sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} judgements written to {to}")


def read_judgements(path: Path) -> tuple[dict[str, int], list[dict]]:
    population: dict[str, int] = {}
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# population:"):
            population = {k: int(v) for k, v in (x.split("=") for x in line.split(":", 1)[1].split())}
        elif line and not line.startswith("#"):
            page, i, source, cell, gold, model, guide, conf = line.split("\t")
            rows.append({"page": page, "line": int(i), "source": source, "cell": cell, "gold": gold,
                         "model": model, "guide": guide, "confidence": conf})
    return population, rows


def estimates(population: dict[str, int], share: dict[str, float]) -> dict[str, float]:
    """Body F1 estimates from each cell's population and its share of guide-body lines."""
    tp, fp, fn = (population[c] for c in CELLS)
    guide_body = {c: population[c] * share[c] for c in CELLS}
    # the model against the guide: it says body on tp + fp lines
    m_tp = guide_body["tp"] + guide_body["fp"]
    m_fp = tp + fp - m_tp
    m_fn = guide_body["fn"]
    # the source labels against the guide: they say body on tp + fn lines
    s_tp = guide_body["tp"] + guide_body["fn"]
    s_fp = tp + fn - s_tp
    s_fn = guide_body["fp"]
    return {"model_vs_source": 2 * tp / (2 * tp + fp + fn),
            "model_vs_guide": 2 * m_tp / (2 * m_tp + m_fp + m_fn),
            "source_vs_guide": 2 * s_tp / (2 * s_tp + s_fp + s_fn)}


def score(path: Path, rounds: int = 2000, seed: int = 0, sure_only: bool = False) -> dict:
    population, rows = read_judgements(path)
    if sure_only:
        rows = [r for r in rows if r["confidence"] == "sure"]
    by_cell = {c: np.array([r["guide"] == "body" for r in rows if r["cell"] == c], float) for c in CELLS}
    empty = [c for c, v in by_cell.items() if not len(v)]
    if empty or set(population) != set(CELLS):
        raise ValueError(f"{path}: needs a population line and judgements in every cell "
                         f"({', '.join(CELLS)}); none in {', '.join(empty) or '-'}")
    point = estimates(population, {c: float(v.mean()) for c, v in by_cell.items()})
    rng = np.random.default_rng(seed)
    draws = {k: [] for k in point}
    for _ in range(rounds):
        share = {c: float(rng.choice(v, len(v)).mean()) for c, v in by_cell.items()}
        for k, v in estimates(population, share).items():
            draws[k].append(v)
    return {"population": population, "judged": {c: len(v) for c, v in by_cell.items()},
            "guide_body_share": {c: float(v.mean()) for c, v in by_cell.items()},
            "estimates": {k: (point[k], float(np.percentile(draws[k], 2.5)), float(np.percentile(draws[k], 97.5)))
                          for k in point}}


def _print(result: dict, title: str) -> None:
    print(title)
    for c in CELLS:
        print(f"  {c}: {result['population'][c]} lines, {result['judged'][c]} judged, "
              f"guide says body for {result['guide_body_share'][c]:.0%}")
    for k, (v, lo, hi) in result["estimates"].items():
        spread = f" (95% interval {lo:.3f}-{hi:.3f})" if hi > lo else " (no judgement needed)"
        print(f"  body F1 {k.replace('_', ' ')}: {v:.3f}{spread}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample", help="draw lines for a reader to label by the guide")
    s.add_argument("--model", type=Path, default=Path("models/default"))
    s.add_argument("--corpus", type=Path, default=Path("build/corpus"))
    s.add_argument("--out", type=Path, default=Path("build/audit"))
    s.add_argument("--n", type=int, default=60, help="lines per disagreement cell (half as many agreements)")
    s.add_argument("--seed", type=int, default=5)
    i = sub.add_parser("import", help="join a reader's answers to the sample's page ids and cells")
    i.add_argument("--out", type=Path, default=Path("build/audit"))
    i.add_argument("--to", type=Path, default=Path("training/annotations/label_audit.tsv"))
    c = sub.add_parser("score", help="estimate body F1 against the guide")
    c.add_argument("--judgements", type=Path, default=Path("training/annotations/label_audit.tsv"))
    args = ap.parse_args(argv)
    if args.cmd == "sample":
        sample(args.model, args.corpus, args.out, args.n, args.seed)
    elif args.cmd == "import":
        import_answers(args.out, args.to)
    else:
        if not args.judgements.is_file():
            print(f"no judgements at {args.judgements}", file=sys.stderr)
            return 1
        try:
            _print(score(args.judgements), "all judgements")
            _print(score(args.judgements, sure_only=True), "judgements the reader was sure of")
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
