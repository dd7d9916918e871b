"""lxml (libxml2) or lexbor (selectolax) under ``classifier.html``? The figures behind the choice.

    python -m training.html_parser_choice [--per-source 100] [--rounds 3]

Why: issue 18 asked for a lexbor-based parser if it makes HTML extraction fast enough.
What decides it is (1) how much of ``extract``'s time the parse is, since only the parse
gets faster (the walk is Python either way), and (2) whether lexbor's tree is the one the
HTML model was trained on: lexbor builds the HTML5 tree, which puts a ``tbody`` into
every table that has none in its markup (and repairs misnested markup otherwise), so the
DOM paths, depths and sibling counts of those pages change.

On the same seeded sample of real pages as :mod:`training.html_parity`, prints the CPU
seconds of libxml2's parse (as ``classifier.html`` calls it, guard included), of lexbor's
parse, and of the whole ``extract`` (best of ``--rounds``, alternating), and the pages whose
lexbor tree holds more ``tbody`` elements than their markup has ``<tbody`` tags.
Needs selectolax (``pip install 'linesift[training]'``).
"""

from __future__ import annotations

import argparse
import re
import sys
import time

from training.html_parity import DEFAULT_DATA, read_pages

_TBODY_TAG = re.compile(r"<tbody[\s>/]", re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-source", type=int, default=100, help="pages per tar file")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best counts")
    args = parser.parse_args(argv)
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        print("selectolax is not installed: pip install 'linesift[training]'")
        return 2
    from classifier.html import decode_html, extract
    from classifier.html.parse import _parse

    pages = [(name, raw, decode_html(raw)[0]) for name, raw in read_pages(DEFAULT_DATA, args.per_source)]
    steps = {
        "libxml2 parse (lxml, guard included)": lambda raw, text: _parse(text),
        "lexbor parse (selectolax)": lambda raw, text: LexborHTMLParser(text.replace("\x00", "\ufffd")),
        "whole extract (decode, parse, walk, cues)": lambda raw, text: extract(raw),
    }
    best = {name: float("inf") for name in steps}
    for _ in range(max(args.rounds, 1)):
        for name, step in steps.items():
            start = time.process_time()
            for _, raw, text in pages:
                step(raw, text)
            best[name] = min(best[name], time.process_time() - start)
    print(f"pages: {len(pages)} from {DEFAULT_DATA} (up to {args.per_source} per tar file); "
          f"CPU seconds, best of {args.rounds} alternating rounds:")
    whole = best["whole extract (decode, parse, walk, cues)"]
    for name, seconds in best.items():
        print(f"  {name}: {seconds:.2f} s ({seconds / whole:.0%} of extract)")
    lxml_parse, lexbor_parse = best["libxml2 parse (lxml, guard included)"], best["lexbor parse (selectolax)"]
    print(f"  lexbor parses x{lxml_parse / lexbor_parse:.2f} faster; extract with lexbor's parse "
          f"time in place of libxml2's (the walk costing the same) would be "
          f"x{whole / (whole - lxml_parse + lexbor_parse):.2f} faster")
    added = 0
    for _, _, text in pages:
        tree = LexborHTMLParser(text.replace("\x00", "\ufffd"))
        if len(tree.css("tbody")) > len(_TBODY_TAG.findall(text)):
            added += 1
    print(f"pages whose lexbor tree has a tbody their markup lacks (paths and cues change): "
          f"{added} / {len(pages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
