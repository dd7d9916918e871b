"""Comment threads found by their author-and-time lines, labelled comment after the model.

Why a rule: the guide (``LABELS.md``) makes "the user comments themselves with their author
and time lines" comments. A thread that follows the article without a heading or a cue
line ("Leave a reply", "3 Comments") looks, line by line, like more article text or like
furniture, and the model read it so: on Dragnet's pages, held out of training, it found
reader comments at F1 0.49, calling most of them boilerplate (short replies) or body (long
ones). A reader sees the thread at once from its shape: after the article, posts each
headed or closed by a line that names a person and a time ("by NAME on Aug 9, 2012 12:54
PM", "NAME says:", "3 hours ago"), written by different people, with prose between them.

The rule looks for that shape, after the article's lead (the first line of prose the model
calls body, :func:`.lead.opening_rows`):

* an *author-and-time line* has at most :data:`MAX_META_WORDS` words and holds a time of
  day ("12:54 PM", "08:26"), a relative time ("3 hours ago", "منذ 3 ساعات"), or is a name
  followed by "says"/"wrote" ("Jane says:", Blogger's "Jane said..."); a post's own
  footer ("Posted by NAME at 2:26 PM | Comments (5) | TrackBack", "Permalink", "Share") is
  not one: that is a post, not a comment;
* a *post* is one author-and-time line or a few adjacent ones ("Jane says:" over "December
  3, 2008 at 3:00 pm"), at most :data:`MAX_POST_LINES`: more in a row are a log or a
  transcript with a time on every line (a build log pasted into a forum's opening post),
  which heads no post;
* a *thread* is :data:`MIN_POSTS` or more posts after the lead, each author line at most
  :data:`MAX_GAP` lines after the previous one, with prose (:func:`is_prose`: 6+ words, not
  title case; in Arabic 12+ words or a sentence's punctuation) between at least
  :data:`PROSE_SHARE` of the pairs of consecutive posts, and a headline
  (:func:`is_headline`) between fewer than :data:`HEADLINE_SHARE` of them: a related-story
  list or a news listing with "4 hours ago" under each headline, or a blog's front page,
  has a headline per post;
* written by different people: with numbers, month and day names, time units and am/pm
  masked, the posts take at least two forms and at least one form per two posts. A
  blog's front page ("Posted by the same author at ..." under each post), a live blog's
  bare times and a feed of "about 4 hours ago" items repeat one form. Many threads put
  the name on a line of its own beside a bare time ("Big Squid" over "1 hour ago ...
  Reply"), and people reply to each other, so a name comes back: such a run is a thread
  too when, counting the name line (:func:`is_name_line`) just above or below each post,
  it takes at least one form per three posts, *and* at least half of the gaps between
  posts hold prose in a person's voice (:func:`is_voiced`: "I", "you", "we" or a
  question, outside quoted speech). That second test is what tells readers' posts from a
  news listing whose items carry a time and a section name ("2 hrs ago" / "Cricket"): its
  summaries are written in the third person.

Every line from the thread's first author-and-time line to one typical post past its last
post's start that the model called ``body`` or ``boilerplate`` becomes ``comment`` with probability
:data:`COMMENT_PROBABILITY`, the other labels scaled down in proportion; lines it called
``clickbait`` or ``comment`` are left as they are.

Measured on held-out real pages, each labelled by a cross-source fold model that never saw
its source (``python -m training.rules_eval``; the table is in the README): comment F1 on
Dragnet 0.494 -> 0.807 and body F1 0.613 -> 0.696; WCXB, CleanEval and the Arabic pages
move by at most 0.7 points of body or comment F1 (CleanEval's gold counts reader comments
and forum replies as body, where the guide says comment, so most lines counted against
the rule there are such replies). Without the headline test, blog front pages and news
listings with several authors became comments; with the one-form-per-two-posts test alone
(no name lines, no voice), Dragnet reached 0.729. Blogger's "NAME said..." as an author line
and the :data:`MAX_POST_LINES` bound (session 14) took Dragnet to 0.810 (from 0.807) and
the test split's comment F1 from 0.862 to 0.864, every other held-out source unchanged.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .features import distinct_sorted
from .lead import opening_rows
from .overrides import page_bounds, raise_label
from .settings import LABELS

MAX_META_WORDS = 20
AR_AGO_WORDS = 6
"""An Arabic relative time stands on a short line ("سمير - منذ 3 ساعات"): in a headline
"منذ عامين" is "for two years"."""
MAX_META_CHARS = 160
"""An author-and-time line's most characters (20 short words)."""
MIN_POSTS = 3
MAX_POST_LINES = 3
"""A post is headed by one author-and-time line or a few adjacent ones ("Jane says:" over
"December 3, 2008 at 3:00 pm"); more in a row are a log or a transcript, not a header."""
MAX_GAP = 12
"""Lines from one author-and-time line to the next within a thread."""
PROSE_WORDS = 6
PROSE_SHARE = 0.5
"""The least share of a thread's gaps that hold a line of prose."""
HEADLINE_SHARE = 0.5
"""The share of a run's gaps holding a headline at which it is a listing, not a thread."""
FORMS_PER_POST = 0.5
"""The least distinct forms per post of a run's author-and-time lines alone."""
NAMED_FORMS_PER_POST = 1 / 3
"""The same, counting each post's name line, when the run's prose is in a person's voice."""
VOICE_SHARE = 0.5
"""The least share of a run's gaps holding voiced prose (:func:`is_voiced`) for the second test."""
NAME_WORDS = 3
NAME_CHARS = 40
COMMENT_PROBABILITY = 0.7
"""The comment probability given to the lines of a thread: a stated confidence, below the
precision measured on Dragnet's held-out threads (0.97 of the changed lines) since other
sources' pages differ, not a fitted one."""

_AR_ONE = "ثانية|دقيقة|دقيقتين|ساعة|ساعتين|يوم|يومين|أسبوع|أسبوعين|شهر|شهرين|سنة|سنتين|عام|عامين"
"""Arabic time units that stand alone after "منذ" in "an hour ago" (singular and dual)."""
_AR_MANY = "ثوان|ثوانٍ|دقائق|ساعات|أيام|أسابيع|أشهر|سنوات|أعوام"
"""Plural units: "منذ 3 ساعات" is "3 hours ago", but "منذ سنوات" without a number is "for
years", as prose says it."""
_AR_UNITS = f"{_AR_ONE}|{_AR_MANY}"
_CLOCK = re.compile(r"(?<![\d:\-–])\b\d{1,2}:\d{2}(?::\d{2})?(?![\d:\-–])")
"""A time of day ("12:54", "5:39:50"), not a reference ("16:113-121") or a range ("13:30-17:45")."""
_AGO = re.compile(r"\b(?:\d+|(?i:an?|one))\s+(?i:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
                  r"\s+(?:ago|Ago|AGO)\b")
_AR_AGO = re.compile(rf"منذ\s+(?:\d+\s+(?:{_AR_UNITS})|(?:{_AR_ONE})\b)")
_SAYS = re.compile(r"^\W*\S+(?:\s+\S+){0,3}\s+(?:[Ss]ays|[Ss]aid|[Ww]rote|[Ww]rites)\s*(?::|\.\.\.|…)?\s*$"
                   r"|\b(?:[Ss]ays|[Ww]rote|[Ww]rites)\s*:\s*$")
_POST_FOOTER = re.compile(r"comments?\s*[(\[:]?\s*\d|\d+\s+comments?|permalink|trackback|links to this post|\bshare\b")
"""Matched against the lower-cased line, and only when one of :data:`_FOOTER_WORDS` is in it."""
_FOOTER_WORDS = ("comment", "permalink", "trackback", "links to this post", "share")
_WORDS = tuple(w.encode("utf-8") for w in ("ago", "Ago", "AGO", "منذ", "ays", "aid", "rote", "rites"))
"""Words one of which every author-and-time line without a time of day holds (searched as
bytes, which is a fast search, where a regex over the page was a third of labelling time)."""
_MASK = re.compile(r"\d+|\b(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[ap]\.?m\b\.?"
                   r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
                   rf"|{_AR_UNITS}")
"""Numbers, time units, am/pm, month and day names of a lower-cased line: masked, one
author's lines take one form whatever their times."""
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_VOICE = re.compile(r"[?؟]|\b(?:I|I'm|I've|I'd|I'll|us)\b|\b(?i:me|my|we|we're|our|you|you're|your)\b"
                    r"|(?:^|\s)(?:أنا|انا|نحن|أنت|انت|أنتم|انتم|لك|لكم|لي|عندي|أعتقد|اعتقد|برأيي)(?=\s|$)")
"""A person speaking: first- or second-person words (English, Arabic) or a question; news
summaries, which share a thread's shape, are in the third person. "I" only in capitals and
"us" only in lower case ("the US president" is not a person speaking); an exclamation is
not voice (a live blog's "Goal!")."""
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»")
"""Quoted speech, which a report quotes in the first person: not the writer's own voice."""
_REPLY = re.compile(r"\s*re\s*:", re.IGNORECASE)
_BODY, _COMMENT = LABELS.index("body"), LABELS.index("comment")
_CHANGEABLE = (LABELS.index("body"), LABELS.index("boilerplate"))


def _has_clock(line: str) -> bool:
    """:data:`_CLOCK` tried only around each ":" (with the characters its look-arounds read)."""
    at = line.find(":")
    while at >= 0:
        if _CLOCK.search(line[max(0, at - 3):at + 8]) is not None:
            return True
        at = line.find(":", at + 1)
    return False


def has_time(line: str) -> bool:
    """A time of day or a relative time ("3 hours ago", "منذ 3 ساعات") in ``line``; each
    pattern tried only where its anchor is (a regex over a whole line is costly)."""
    return (_has_clock(line)
            or (("ago" in line or "Ago" in line or "AGO" in line) and _AGO.search(line) is not None)
            or ("منذ" in line and len(line.split()) <= AR_AGO_WORDS and _AR_AGO.search(line) is not None))


def _post_footer(line: str) -> bool:
    low = line.lower()
    return any(word in low for word in _FOOTER_WORDS) and _POST_FOOTER.search(low) is not None


def is_meta(line: str) -> bool:
    """Whether ``line`` is an author-and-time line (see the module's docstring)."""
    if len(line) > MAX_META_CHARS or len(line.split()) > MAX_META_WORDS:
        return False
    says = line.rstrip(" :.…")[-6:].lower().endswith(("says", "said", "wrote", "writes"))
    return (has_time(line) or (says and _SAYS.search(line) is not None)) and not _post_footer(line)


def is_prose(line: str) -> bool:
    """A line written as sentences: 6+ words, fewer than half of them capitalised; in
    Arabic, which has no capitals, 12+ words or a sentence's punctuation ("،" or a final
    "." or "؟")."""
    words = line.split(None, 24)[:24]  # the first two dozen words tell
    if len(words) < PROSE_WORDS:
        return False
    if _ARABIC.search(line) is not None:
        return len(words) >= 2 * PROSE_WORDS or "،" in line or line.rstrip()[-1:] in ".؟"
    return 2 * sum(w[:1].isupper() for w in words) < len(words)


def meta_rows(lines: Sequence[str], rows: Sequence[int] | None = None) -> list[int]:
    """Which of ``rows`` (default: all) of ``lines`` are author-and-time lines. One pass
    over those lines joined, as UTF-8 bytes, picks the candidates (a digit, ":" and a
    digit, or one of :data:`_WORDS`); :func:`is_meta` decides."""
    rows = list(range(len(lines))) if rows is None else list(rows)
    # "surrogatepass": the page reader already replaced lone surrogates, but a caller of this
    # function may not have, and a lone one is still one line's character, not an error
    data = "\n".join([lines[i] for i in rows]).encode("utf-8", "surrogatepass")
    if not data:
        return []
    raw = np.frombuffer(data, dtype=np.uint8)
    colon = np.flatnonzero(raw[1:-1] == ord(":")) + 1
    digit_before, digit_after = raw[colon - 1] - ord("0"), raw[colon + 1] - ord("0")
    found = [colon[(digit_before < 10) & (digit_after < 10)]]  # uint8 wraps: below "0" is >= 10
    for word in _WORDS:
        at, hits = data.find(word), []
        while at >= 0:
            hits.append(at)
            at = data.find(word, at + 1)
        found.append(np.asarray(hits, dtype=np.intp))
    newlines = np.flatnonzero(raw == ord("\n"))
    picked = distinct_sorted(np.sort(np.searchsorted(newlines, np.concatenate(found))))
    return [rows[k] for k in picked.tolist() if is_meta(lines[rows[k]])]


def is_headline(line: str) -> bool:
    """A line written as a headline: 3-20 words, most of its longer words capitalised (in
    Arabic: at most 15 words, no comma), no sentence ending, not a reply's "Re: ..."
    subject. Posts of a listing have one each; comments rarely do."""
    if len(line) > 2 * MAX_META_CHARS or _REPLY.match(line) is not None:
        return False  # "Re: ..." is a reply's subject, title case or not
    words = line.split()
    if not 3 <= len(words) <= 20 or line.rstrip()[-1:] in ".!?…:؟":
        return False
    if _ARABIC.search(line) is not None:  # no capitals: a short line without a sentence's end
        return len(words) <= 15 and "،" not in line
    long_words = [w for w in words if len(w) >= 4]
    return bool(long_words) and 3 * sum(w[:1].isupper() for w in long_words) >= 2 * len(long_words)


def is_voiced(line: str) -> bool:
    """Prose (:func:`is_prose`) in a person's voice: "I", "you", "we" (or Arabic's
    "أنا", "أنت", "نحن", ...) or a question, outside quoted speech."""
    return is_prose(line) and _VOICE.search(_QUOTED.sub(" ", line)) is not None


def is_name_line(line: str) -> bool:
    """A line that can be a poster's name on its own: 1-3 words, at most 40 characters, no
    digit, no sentence's end."""
    words = line.split()
    return (0 < len(words) <= NAME_WORDS and len(line) <= NAME_CHARS and line.rstrip()[-1:] not in ".!?…؟"
            and not any(c.isdigit() for c in line))


def _posts(run: list[int]) -> list[list[int]]:
    """The run's author-and-time rows grouped into posts: adjacent rows are one post."""
    posts: list[list[int]] = []
    for row in run:
        if posts and row - posts[-1][-1] == 1:
            posts[-1].append(row)
        else:
            posts.append([row])
    return posts


def _is_thread(lines: Sequence[str], posts: list[list[int]]) -> bool:
    """Whether a run of posts (each one author-and-time row or a few adjacent ones) is a
    thread; the gaps read are those *between* posts, so a post headed by two author lines
    ("Jane says:" over "December 3, 2008 at 3:00 pm") counts once."""
    gaps = [range(a[-1] + 1, b[0]) for a, b in zip(posts, posts[1:])]
    if sum(any(is_prose(lines[j]) for j in gap) for gap in gaps) < PROSE_SHARE * len(gaps):
        return False
    if sum(any(is_headline(lines[j]) for j in gap) for gap in gaps) >= HEADLINE_SHARE * len(gaps):
        return False  # a headline per post: a listing or a blog's front page
    forms = [tuple(_MASK.sub("0", lines[row].lower()).strip() for row in post) for post in posts]
    if len(set(forms)) >= max(2, FORMS_PER_POST * len(posts)):
        return True
    named = set()
    for form, post in zip(forms, posts):
        names = tuple(lines[j].strip().lower() for j in (post[0] - 1, post[-1] + 1)
                      if 0 <= j < len(lines) and is_name_line(lines[j]))
        named.add(form + names)
    if len(named) < max(2, NAMED_FORMS_PER_POST * len(posts)):
        return False
    return sum(any(is_voiced(lines[j]) for j in gap) for gap in gaps) >= VOICE_SHARE * len(gaps)


def close_runs(rows: Sequence[int], max_gap: int, min_len: int) -> list[list[int]]:
    """``rows`` (in order) cut where two are more than ``max_gap`` apart; the runs of at
    least ``min_len``."""
    runs: list[list[int]] = [[]]
    for row in rows:
        if runs[-1] and row - runs[-1][-1] > max_gap:
            runs.append([])
        runs[-1].append(row)
    return [run for run in runs if len(run) >= min_len]


def thread_spans(lines: Sequence[str], body: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` row ranges of one page's comment threads, given each line's p(body)."""
    lead = opening_rows(lines, np.flatnonzero(np.asarray(body) >= 0.5).tolist(), 1)
    if not lead:
        return []
    return _spans(lines, meta_rows(lines, range(lead[0] + 1, len(lines))))


def _spans(lines: Sequence[str], metas: Sequence[int]) -> list[tuple[int, int]]:
    """The threads among a page's author-and-time rows ``metas`` (all after its lead). A
    group of more than :data:`MAX_POST_LINES` adjacent ones heads no post: a log or a
    transcript with a time on every line (a build log pasted into a forum's opening post)."""
    metas = [row for post in _posts(list(metas)) if len(post) <= MAX_POST_LINES for row in post]
    spans = []
    for run in close_runs(metas, MAX_GAP, MIN_POSTS):
        posts = _posts(run)
        if len(posts) >= MIN_POSTS and _is_thread(lines, posts):
            starts = [post[0] for post in posts]
            tail = int(np.median(np.diff(starts)))  # one typical post past the last one's start
            spans.append((run[0], min(len(lines), max(run[-1] + 1, starts[-1] + tail))))
    return spans


def thread_rows(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """Rows (of all pages' rows, in order) inside comment threads that the model labelled
    body or boilerplate: where the rule changes a label. ``sizes``: the pages' line counts
    in order; one page when None."""
    bounds = page_bounds(sizes, len(lines))
    body = probs[:, _BODY] >= 0.5
    short = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)) <= MAX_META_CHARS
    candidates = []
    for start, end in bounds:  # the lines worth a look: short ones, after each page's lead
        lead = opening_rows(lines, (start + np.flatnonzero(body[start:end])).tolist(), 1)
        if lead:
            candidates.append(lead[0] + 1 + np.flatnonzero(short[lead[0] + 1:end]))
    metas = np.asarray(meta_rows(lines, np.concatenate(candidates).tolist() if candidates else []), dtype=np.intp)
    best = probs.argmax(axis=1)
    rows = []
    for start, end in bounds:
        page_metas = metas[(metas >= start) & (metas < end)] - start
        if len(page_metas) >= MIN_POSTS:
            for a, b in _spans(lines[start:end], page_metas.tolist()):
                rows.extend(start + i for i in range(a, b) if best[start + i] in _CHANGEABLE)
    return np.asarray(rows, dtype=np.intp)


def apply_threads(probs: np.ndarray, lines: Sequence[str], sizes: Sequence[int] | None = None) -> np.ndarray:
    """``probs`` (lines x labels) with the body and boilerplate lines of comment threads
    raised to comment at :data:`COMMENT_PROBABILITY`, the other labels scaled to fill the
    rest. A new array when a line changes, else ``probs`` itself."""
    return raise_label(probs, thread_rows(probs, lines, sizes), _COMMENT, COMMENT_PROBABILITY)
