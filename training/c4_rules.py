"""C4's line and page rules, as a line classifier (keep = body), for the baselines table.

Written from the description in section 2.2 of Raffel et al., "Exploring the Limits of
Transfer Learning with a Unified Text-to-Text Transformer" (JMLR 2020), not from any
implementation. What the paper lists, and what is done here:

Line rules (a line is kept only if all hold):
- it ends in a terminal punctuation mark: period, exclamation mark, question mark or end
  quotation mark. Here: ``. ! ? " ” »``, plus the Arabic question mark ``؟`` and the
  Arabic/Urdu full stop ``۔`` so Arabic lines are not penalised for their script
  (``»`` closes a quotation in Arabic and French typography). Trailing whitespace and
  citation markers are ignored when looking at the end of the line.
- it has at least 5 words (whitespace-separated tokens);
- it does not contain the word "javascript" (any case);
- it does not contain a policy-notice string: "terms of use", "privacy policy",
  "cookie policy", "uses cookies", "use of cookies", "use cookies" (any case).
- citation markers ("[1]", "[citation needed]", "[edit]") are removed before the checks
  (the paper removes them from the text; here that only matters for the line ending).

Page rules (with ``page_rules=True``; the whole page is dropped, i.e. every line predicted
non-body):
- the page contains "lorem ipsum" (any case);
- the page contains a curly bracket "{";
- fewer than 3 sentences remain after the line rules (sentences counted as runs of text
  ending in terminal punctuation followed by whitespace or the end of the line).

Skipped (documented, not applicable to a per-line comparison): the "bad words" page filter
(the list is not shipped here; it would only drop whole pages, lowering C4's recall), the
corpus-level de-duplication of repeated three-sentence spans, and the langdetect "English
with probability >= 0.99" page filter (it would drop every Arabic page).

The page rules are checked on the whole page text as scraped (C4 applied them to Common
Crawl's extracted page text); ``page_rules=False`` gives the line rules alone, with "lorem
ipsum" and "{" applied per line instead.
"""

from __future__ import annotations

import re
from typing import Sequence

TERMINAL = ('.', '!', '?', '"', '\u201d', '\u00bb', '\u061f', '\u06d4')
POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies",
          "use of cookies", "use cookies")
_CITATION = re.compile(r"\[(?:\d+|citation needed|edit)\]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?\u061f\u06d4][\"'\u201d\u2019\u00bb)]*(?=\s|$)")


def keep_line(text: str, *, line_level_page_rules: bool = False) -> bool:
    """C4's line rules for one line (True = kept = body)."""
    text = _CITATION.sub("", text).strip()
    if not text.endswith(TERMINAL):
        return False
    if len(text.split()) < 5:
        return False
    low = text.lower()
    if "javascript" in low:
        return False
    if any(p in low for p in POLICY):
        return False
    if line_level_page_rules and ("lorem ipsum" in low or "{" in text):
        return False
    return True


def count_sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text))


def c4_labels(lines: Sequence[str], *, page_rules: bool = True) -> list[bool | None]:
    """Per line: True (kept), False (dropped) or None (blank line, not scored)."""
    out: list[bool | None] = [
        None if not t.strip() else keep_line(t, line_level_page_rules=not page_rules)
        for t in lines]
    if page_rules:
        page = "\n".join(lines)
        drop = ("{" in page or "lorem ipsum" in page.lower()
                or sum(count_sentences(t) for t, k in zip(lines, out) if k) < 3)
        if drop:
            out = [None if k is None else False for k in out]
    return out
