"""Surface cues made independent of the label: punctuation, "(VIDEO)", outlet tags, emoji.

Why: each clickbait source has a house style. Chakraborty's listicles almost never hold
"?", "!" or "…"; Webis-17's teaser posts often do; Arabic tabloid titles end in "-فيديو";
news accounts append "| Outlet". A model trained on one source learns its style as if it
were the label, and then misses bait written in another (a "?" appended to a held-out
clickbait headline dropped its detection from 72% to 21%). So every headline placed in a
page or fed to the headline scorer gets its surface redrawn *without looking at its
label*: trailing marks stripped or added, a media tag, an outlet tag, an emoji, a short
trailing clause. What is left to learn is the wording, which is what the guide is about.

Only suffixes are added or removed, never a prefix: the headline scorer's out-of-fold key
(``headline_key``) reads a headline's first words, so a varied copy keeps its original's
fold.
"""
from __future__ import annotations

import random
import re

_TRAILING_MARKS = re.compile(r"[\s!?؟.…]+$")
_MEDIA_TAGS = re.compile(r"\s*[\(\[]?\s*(video|photos?|watch|فيديو|بالفيديو|بالصور|صور)\s*[\)\]]?\s*$", re.I)
_DASH_MEDIA = re.compile(r"\s*[-–]\s*(فيديو|صور)\s*$")

EN_MEDIA = ["(VIDEO)", "[VIDEO]", "(PHOTOS)", "(Video)", "- video", "(WATCH)"]
AR_MEDIA = ["(فيديو)", "-فيديو", "- فيديو", "(صور)", "بالفيديو", "[فيديو]"]
EN_OUTLETS = ["| Daily Report", "| The Ledger", "- Metro Times", "| Newsline", "- The Courier", "| Post Online"]
AR_OUTLETS = ["| الخليج اليوم", "- بوابة الحدث", "| صحيفة الأفق", "- اليوم", "| شبكة النهار"]
EMOJI = ["😱", "🔥", "👇", "😂", "💔", "👀", "⚡"]
EN_CLAUSES = ["here's what we know", "report says", "officials say", "and more", "what it means"]
AR_CLAUSES = ["إليك التفاصيل", "بحسب مصادر", "وفق تقرير", "وهذه التفاصيل"]


def strip_surface(text: str) -> str:
    """The headline without its trailing marks and media tag."""
    s = text.strip()
    for _ in range(2):
        s = _MEDIA_TAGS.sub("", s)
        s = _DASH_MEDIA.sub("", s)
        s = _TRAILING_MARKS.sub("", s)
    return s or text.strip()


def vary(text: str, lang: str, rng: random.Random, p: float = 0.6) -> str:
    """A copy of ``text`` with a redrawn surface (with probability ``p``; else unchanged).

    The draw never depends on the label: callers apply it to clickbait and plain headlines
    alike, so each mark appears on both sides at the same rate."""
    if rng.random() >= p:
        return text
    ar = lang == "ar"
    s = strip_surface(text)
    r = rng.random()
    if r < 0.2:
        s += rng.choice([" ...", "…", "..."])
    elif r < 0.35:
        s += "؟" if ar else "?"
    elif r < 0.5:
        s += rng.choice(["!", "!!", "!؟"] if ar else ["!", "!!", "?!"])
    elif r < 0.58:
        s += "، " + rng.choice(AR_CLAUSES) if ar else ", " + rng.choice(EN_CLAUSES)
    if rng.random() < 0.18:
        s += " " + rng.choice(AR_MEDIA if ar else EN_MEDIA)
    if rng.random() < 0.12:
        s += " " + rng.choice(AR_OUTLETS if ar else EN_OUTLETS)
    if rng.random() < 0.08:
        s += " " + rng.choice(EMOJI)
    return s


def with_redrawn_copies(items, seed: int) -> "tuple[list[str], list[str]]":
    """(texts, labels) holding each ``(text, label, lang)`` item twice: as it is and with its
    surface redrawn (seeded), the way the headline scorer is trained, so no mark carries
    the label."""
    rng = random.Random(seed)
    texts: list = []
    labels: list = []
    for text, label, lang in items:
        texts += [text, vary(text, lang, rng, p=1.0)]
        labels += [label, label]
    return texts, labels
