"""What ``linesift info`` says about a model bundle, as data and as text for people.

The manifest is written for machines (nested training summaries, the exact build command
with its internal paths); a person asking "which model is this, what was it trained on,
how good is it" wants a few lines. :func:`describe` picks those facts out as a plain dict
(``linesift info --json``) and :func:`format_info` lays them out.
"""

from __future__ import annotations

from typing import Any

from .bundle import MODEL_CARD, sha256_file


def describe(clf: Any) -> dict[str, Any]:
    """The facts about a loaded classifier's bundle, JSON-ready."""
    manifest = clf.manifest_
    card = clf.path_ / MODEL_CARD
    card_state = "missing"
    if card.is_file():
        card_state = ("matches manifest" if manifest["files"].get(MODEL_CARD) == sha256_file(card)
                      else "edited since the bundle was written")
    return {
        "path": str(clf.path_),
        "version": manifest.get("version", "unversioned"),
        "kind": manifest.get("kind", "text"),
        "labels": list(manifest["labels"]),
        "feature_version": manifest.get("feature_version"),
        "features": len(manifest.get("feature_names", ())),
        "site_memory": bool(manifest.get("site_memory", False)),
        "topic_cues": bool(manifest.get("topic_cues", False)),
        "training": manifest.get("training", {}),
        "metrics": manifest.get("metrics", {}),
        "libraries": manifest.get("libraries", {}),
        "model_card": {"path": str(card), "state": card_state},
        "files": dict(manifest["files"]),
    }


def _count(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) else str(n)


def _split(name: str, facts: Any) -> str | None:
    """``train: 4,179 pages (450,801 lines, 2,600 composed)`` from a split's summary."""
    if not isinstance(facts, dict) or "pages" not in facts:
        return None
    extra = [f"{_count(facts['lines'])} lines"] if "lines" in facts else []
    extra += [f"{_count(v)} {k.replace('_pages', '')}" for k, v in facts.items() if k.endswith("_pages")]
    return f"{name}: {_count(facts['pages'])} pages" + (f" ({', '.join(extra)})" if extra else "")


def _scores(scores: Any) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in scores.items() if isinstance(v, (int, float)))


def format_info(facts: dict[str, Any]) -> str:
    """``linesift info`` as aligned lines of text; nested data appear summarised (the
    full manifest is in ``--json`` and in the bundle's ``manifest.json``)."""
    rows = [("model", f"{facts['path']} ({facts['kind']} model, version {facts['version']})"),
            ("labels", ", ".join(facts["labels"])),
            ("features", f"version {facts['feature_version']}, {facts['features']} columns; "
                         f"site memory {'yes' if facts['site_memory'] else 'no'}, "
                         f"topic cues {'yes' if facts['topic_cues'] else 'no'}")]
    training = facts["training"]
    splits = [line for name, value in training.items() if (line := _split(name, value))]
    if "pages" in training:  # a bundle from `linesift train`: one flat summary
        splits.insert(0, _split("train", training))
    more = [f"code {training['code_commit']}"] if "code_commit" in training else []
    more += [f"fitted in {training['fit_seconds']} s"] if "fit_seconds" in training else []
    more += [f"from {', '.join(training['files'])}"] if training.get("files") else []
    for i, line in enumerate(splits + (["; ".join(more)] if more else []) or ["not recorded"]):
        rows.append(("trained on" if i == 0 else "", line))
    metrics = facts["metrics"]
    if metrics:
        head = [f"{metrics.get('split', '?')} split"]
        head += [f"{name} {metrics[key]:.3f}" for key, name in
                 (("macro_f1", "macro-F1"), ("body_vs_rest_f1", "body-vs-rest F1"), ("ece", "ECE"))
                 if isinstance(metrics.get(key), (int, float))]
        rows.append(("quality", ", ".join(head)))
        if isinstance(metrics.get("f1"), dict):
            rows.append(("", "F1 per label: " + _scores(metrics["f1"])))
        if isinstance(metrics.get("macro_f1_by_language"), dict):
            rows.append(("", "macro-F1 by language: " + _scores(metrics["macro_f1_by_language"])))
    rows.append(("libraries", ", ".join(f"{k} {v}" for k, v in facts["libraries"].items())))
    rows.append(("model card", f"{facts['model_card']['path']} ({facts['model_card']['state']})"))
    rows.append(("files", ", ".join(f"{k} sha256:{v[:12]}" for k, v in facts["files"].items())))
    return "\n".join(f"{(name + ':') if name else '':<12} {value}" for name, value in rows)
