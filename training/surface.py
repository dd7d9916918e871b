"""Surface cues made independent of the label: punctuation, "(VIDEO)", outlet tags, emoji.

Why: each clickbait source has a house style. Chakraborty's listicles almost never hold
"?", "!" or "…"; Webis-17's teaser posts often do; Arabic tabloid titles end in "-فيديو";
news accounts append "| Outlet". A model trained on one source learns its style as if it
were the label, and then misses bait written in another (a "?" appended to a held-out
clickbait headline dropped its detection from 72% to 21%). So every headline placed in a
page or fed to the headline scorer gets its surface redrawn *without looking at its
label*: trailing marks stripped or added, a media suffix, an outlet tag, an emoji, a short
trailing clause. What is left to learn is the wording, which is what the guide is about.

The media suffixes drawn so are dash forms ("- video", "-فيديو"), never a bracketed tag
("(VIDEO)"): the guide names a bracketed media tag as clickbait and linesift labels a line
with one clickbait by rule (``classifier/guide.py``), so a plain headline given one would be
mislabelled. The draws are the same as when brackets were drawn too (until 2026-12-07), so
the composed pages are otherwise unchanged.

Only suffixes are added or removed, never a prefix: the headline scorer's out-of-fold key
(``headline_key``) reads a headline's first words, so a varied copy keeps its original's
fold.

Two marks are an exception, with ``--guide-marks`` (:func:`guide_marked`): the annotation
guide itself names a media tag ("(VIDEO)") and an all-caps hook ("OBAMA IN SHOCK: ...") as
clickbait, and no source labels by that rule (Webis-17's crowd called 9 of its 28 posts
with a media tag clickbait). Made label-independent, they taught the model to ignore the
guide's own examples. Under ``--guide-marks`` a training headline labelled plain loses its
media tag, and a clickbait one sometimes gains a media tag or an all-caps hook, so the
model learns the guide's rule; test pages are never touched, so held-out scores still
measure what the model does with headlines as their sources wrote them.
"""
from __future__ import annotations

import dataclasses
import random
import re

_TRAILING_MARKS = re.compile(r"[\s!?؟.…]+$")
_MEDIA_TAGS = re.compile(r"(?:\s*[(\[]\s*(?:videos?|photos?|pics|watch|فيديو|بالفيديو|بالصور|صور)\s*[)\]]"
                         r"|\s+[-–]\s*(?:video|photos?|watch)|\s+(?:بالفيديو|بالصور))\s*$", re.I)
"""A media tag at the end of a headline: bracketed, after a dash, or an Arabic "بالفيديو".
Never a bare word: "Police release new video" and "... smartwatch" keep their last word
(until 2026-12-07 the brackets were optional, and such words were cut off)."""
_DASH_MEDIA = re.compile(r"\s*[-–]\s*(فيديو|صور)\s*$")

EN_MEDIA = ["(VIDEO)", "[VIDEO]", "(PHOTOS)", "(Video)", "- video", "(WATCH)"]
AR_MEDIA = ["(فيديو)", "-فيديو", "- فيديو", "(صور)", "بالفيديو", "[فيديو]"]
"""Media tags as sites write them (``guide_marked`` adds them to clickbait headlines)."""
EN_MEDIA_SUFFIXES = ["- video", "- Video", "- photos", "- watch", "- video", "- Photos"]
AR_MEDIA_SUFFIXES = ["-فيديو", "- فيديو", "- صور", "بالفيديو", "-فيديو", "- بالفيديو"]
"""The suffixes :func:`vary` draws on either side: no guide mark among them, and as many as
the tag lists, so a draw takes the same randomness as before."""
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
        s += " " + rng.choice(AR_MEDIA_SUFFIXES if ar else EN_MEDIA_SUFFIXES)
    if rng.random() < 0.12:
        s += " " + rng.choice(AR_OUTLETS if ar else EN_OUTLETS)
    if rng.random() < 0.08:
        s += " " + rng.choice(EMOJI)
    return s


def with_redrawn_copies(items, seed: int, guide_marks: bool = False) -> "tuple[list[str], list[str]]":
    """(texts, labels) holding each ``(text, label, lang)`` item twice: as it is and with its
    surface redrawn (seeded), the way the headline scorer is trained, so no mark carries
    the label; with ``guide_marks`` both copies then go through :func:`guide_marked`."""
    rng = random.Random(seed)
    texts: list = []
    labels: list = []
    for text, label, lang in items:
        pair = [text, vary(text, lang, rng, p=1.0)]
        if guide_marks:
            pair = [guide_marked(t, label, lang, rng) for t in pair]
        texts += pair
        labels += [label, label]
    return texts, labels


GUIDE_MEDIA_P = 0.3
"""Share of clickbait training headlines given a media tag (when they have none)."""
GUIDE_HOOK_P = 0.2
"""Share of English clickbait training headlines given an all-caps hook."""
GUIDE_PARTS = ("title", "teaser")
"""The composed parts whose headlines :func:`guide_marked_pages` marks: a page's title and
its teaser widget, where the corpus placed a labelled headline."""


def strip_media(text: str) -> str:
    """``text`` without the media tags at its end (other marks kept); ``text`` itself when
    it has none."""
    s = text.rstrip()
    for _ in range(2):
        s = _MEDIA_TAGS.sub("", _DASH_MEDIA.sub("", s))
    if s == text.rstrip():
        return text
    return s.rstrip(" -–|") or text


def add_caps_hook(text: str, rng: random.Random) -> str:
    """``text`` with an all-caps hook: the words before a colon near its start, else its
    first two or three words, upper-cased (never a whole short line: that is casing, which
    the corpus draws independently of the label). Only the case changes, so the headline
    scorer's fold key (first words, lower-cased) does not."""
    words = text.split(" ")
    head, colon, _ = text.partition(":")
    if colon and 1 <= len(head.split()) <= 6 and len(text.split()) - len(head.split()) >= 3:
        return head.upper() + text[len(head):]
    if len(words) < 6:
        return text
    k = rng.choice((2, 3))
    return " ".join([w.upper() for w in words[:k]] + words[k:])


def guide_marked(text: str, label: str, lang: str, rng: random.Random) -> str:
    """A training headline made to follow the guide's marks: plain -> no media tag;
    clickbait -> sometimes a media tag (:data:`GUIDE_MEDIA_P`) and, in English, sometimes
    an all-caps hook (:data:`GUIDE_HOOK_P`)."""
    if label != "clickbait":
        return strip_media(text)
    ar = lang == "ar"
    if rng.random() < GUIDE_MEDIA_P and strip_media(text) == text:
        text = text.rstrip() + " " + rng.choice(AR_MEDIA if ar else EN_MEDIA)
    if not ar and rng.random() < GUIDE_HOOK_P:
        text = add_caps_hook(text, rng)
    return text


def guide_marked_pages(pages, seed: int) -> list:
    """Training pages with :func:`guide_marked` applied to the headlines of their title
    and teaser parts (``LabelledPage.parts``); other lines, and pages without parts, as
    they are. For training and calibration pages only, never the test split."""
    from classifier.evaluation import line_language

    rng = random.Random(seed)
    out = []
    for page in pages:
        if not any(part in GUIDE_PARTS for part in page.parts):
            out.append(page)
            continue
        lines = [guide_marked(text, label, line_language(text), rng)
                 if part in GUIDE_PARTS and label is not None else text
                 for text, label, part in zip(page.lines, page.labels, page.parts)]
        out.append(dataclasses.replace(page, lines=lines))
    return out
