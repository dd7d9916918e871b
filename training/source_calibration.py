"""Does a per-label calibration fitted on *other* held-out sources transfer to a new one?

    python -m training.source_calibration --crossval build/crossval5 --rows build/srccal/rows.npz --json build/srccal/loso.json

Why: the bundle's vector scaling (``combiner.fit_vector_scaling``) is fitted on the dev
split, whose pages come from the same sources and recipes as training, and on held-out
sources the scores are off (classwise ECE up to 0.17 on CleanEval, 0.02 in source). The
issue asks for calibration fitted on real held-out pages. The cross-source folds of
``training.crossval`` hold what that needs: each fold's model scoring sources it never saw.

1. ``--crossval DIR``: every fold model (``DIR/<fold>/model``) labels its fold's test
   pages (:mod:`training.heldout_rows`); the scored rows of its held-out sources are kept
   with their probabilities (real pages of the held-out page sources, and the teaser and
   title lines of composed pages, where the held-out clickbait sources sit in context).
   Written to ``--rows`` (``.npz``).
2. Leaving one source out: a per-label scale and bias on the log-probabilities (vector
   scaling; two vector scalings compose into one, so it would fold into the bundle's
   own), fitted on the other sources with every source weighted equally, and scored on
   the one left out. Printed as a before/after table.

What it showed (2026-12-07, folds of the third build): it does not transfer. The vector
scaling lowered the worst classwise ECE on only 3 of the 7 groups left out (a single
temperature, tried the same way, also 3 of 7), and it cut Dragnet's comment F1 from 0.49
to 0.29: the sources
differ in what the model gets wrong, not in how confident it is. So the bundle keeps its
dev-split calibration; this command stays to test the next model the same way.
A deliberate step, like retraining: never run by tests or CI.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np

from classifier.combiner import fit_vector_scaling
from classifier.settings import LABELS

from .heldout_rows import heldout_rows, load_rows, save_rows

def log_probs(probs: np.ndarray) -> np.ndarray:
    return np.log(np.clip(probs, 1e-12, 1.0))


def apply_scaling(probs: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> np.ndarray:
    u = log_probs(probs) * scale + bias
    u -= u.max(axis=1, keepdims=True)
    p = np.exp(u)
    return p / p.sum(axis=1, keepdims=True)


def source_weights(groups: np.ndarray) -> np.ndarray:
    """Every group (source) the same total weight."""
    _, inv, counts = np.unique(groups, return_inverse=True, return_counts=True)
    return 1.0 / counts[inv]


def scores(probs: np.ndarray, gold: np.ndarray) -> dict:
    from classifier.evaluation import classwise_ece, prf

    g = [LABELS[i] for i in gold]
    pred = [LABELS[i] for i in probs.argmax(axis=1)]
    rep = prf(g, pred)
    cw = classwise_ece(probs, g)
    return {"lines": int(len(gold)), "macro_f1": round(rep["macro_f1"], 4),
            "f1": {k: round(v["f1"], 4) for k, v in rep["labels"].items()},
            "classwise_ece": {k: round(v, 4) for k, v in cw.items()},
            "cw_ece_max": round(max(cw.values()), 4)}


def leave_one_source_out(rows: Dict[str, np.ndarray], reg: float) -> List[dict]:
    """Per group: its scores before, and after a scaling fitted on every other group."""
    z, y, groups = log_probs(rows["probs"]), rows["gold"], rows["group"]
    out = []
    for g in sorted(set(groups)):
        held = groups == g
        a, b = fit_vector_scaling(z[~held], [LABELS[i] for i in y[~held]], source_weights(groups[~held]), reg)
        out.append({"group": str(g), "before": scores(rows["probs"][held], y[held]),
                    "after": scores(apply_scaling(rows["probs"][held], a, b), y[held]),
                    "scale": np.round(a, 4).tolist(), "bias": np.round(b, 4).tolist()})
    return out


def format_table(results: Sequence[dict]) -> str:
    L = [f"{'held-out group':26} {'lines':>6}  {'macro':>13}  {'body F1':>13}  {'comment F1':>13}  {'cw-ECE max':>13}",
         f"{'':26} {'':>6}  {'before after':>13}  {'before after':>13}  {'before after':>13}  {'before after':>13}"]
    for r in results:
        b, a = r["before"], r["after"]

        def pair(key_b, key_a):
            return f"{key_b if key_b is not None else float('nan'):6.3f} {key_a if key_a is not None else float('nan'):6.3f}"
        L.append(f"{r['group']:26} {b['lines']:6d}  {pair(b['macro_f1'], a['macro_f1'])}  "
                 f"{pair(b['f1'].get('body'), a['f1'].get('body'))}  "
                 f"{pair(b['f1'].get('comment'), a['f1'].get('comment'))}  {pair(b['cw_ece_max'], a['cw_ece_max'])}")
    return "\n".join(L)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m training.source_calibration", description=__doc__.split("\n\n")[0])
    ap.add_argument("--crossval", type=Path, help="a training.crossval output folder: dump its held-out rows")
    ap.add_argument("--rows", type=Path, required=True, help="the held-out rows (.npz), written or read")
    ap.add_argument("--reg", type=float, default=1e-2, help="pull of the scale and bias towards the identity")
    ap.add_argument("--json", type=Path, help="write the leave-one-source-out table here")
    a = ap.parse_args(argv)
    if a.crossval:
        save_rows(a.rows, heldout_rows(a.crossval))
    rows = load_rows(a.rows)
    scored = rows["scored"]
    rows = {k: v[scored] for k, v in rows.items()}
    results = leave_one_source_out(rows, a.reg)
    print(format_table(results))
    if a.json:
        a.json.write_text(json.dumps({"reg": a.reg, "leave_one_source_out": results}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
