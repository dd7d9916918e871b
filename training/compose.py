"""Composed pages: pages built from real parts (training.pools), labels known by construction.

A page is a list of Blocks (runs of labelled lines) that assemble joins with a seeded
blank-line style. Composer makes the parts (Arabic and English header, article, comment
section, footer, teaser widget) and the recipes, one seeded method per RECIPES entry;
compose_split draws the recipes of one split by weight and skips those whose pools are empty
(RECIPE_NEEDS, missing_needs). Caser restyles English headlines so that casing carries no
label information. The lists below (related-widget headings, Arabic days, months, names,
share buttons, site and section names; English names and agencies for bylines and credits)
are the generated parts.
"""
from __future__ import annotations

import collections
import random
import re
from typing import AbstractSet, Dict, Iterable, List, Optional, Sequence, Tuple

from . import surface
from .pools import Pools
from .splitting import _h

Line = Tuple[str, Optional[str]]  # (text, label)


# --------------------------------------------------------------------------- English casing
_SMALL = {"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "but", "at", "by", "with",
          "as", "from", "is", "vs", "via", "into"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


class Caser:
    """Restyle English headlines so casing carries no label information.

    style drawn independently of the label: as-is 10%, sentence case 42.5%, Title Case 42.5%,
    ALL CAPS 5%. Sentence case keeps a non-initial word capitalised when it is "I", an acronym,
    or a likely proper noun: seen capitalised mid-line more often than lower-case in
    sentence-cased reference text (real English body lines and non-Title-Case headlines),
    or never seen at all."""

    STYLES = (("asis", 0.10), ("sentence", 0.425), ("title", 0.425), ("upper", 0.05))

    def __init__(self, reference: Iterable[str]):
        low: collections.Counter = collections.Counter()
        cap: collections.Counter = collections.Counter()
        for line in reference:
            ws = _WORD.findall(line)
            if len(ws) < 3:
                continue
            if sum(1 for w in ws if w[0].isupper()) > 0.6 * len(ws):
                continue  # Title Case line: says nothing about proper nouns
            for m in list(_WORD.finditer(line))[1:]:
                w = m.group(0)
                if re.search(r"[.!?:;\"“‘(\[—–-]\s*$", line[:m.start()]):
                    continue  # sentence-initial after punctuation: not evidence
                if w.islower():
                    low[w] += 1
                elif w[0].isupper() and w[1:].islower():
                    cap[w.lower()] += 1
        self.low, self.cap = low, cap

    def _proper(self, lw: str) -> bool:
        for form in (lw, re.sub(r"['’]s$", "", lw)):
            if form in self.low or form in self.cap:
                return self.cap[form] > self.low[form]
        return True

    def draw(self, rng: random.Random) -> str:
        r = rng.random()
        acc = 0.0
        for name, p in self.STYLES:
            acc += p
            if r < acc:
                return name
        return "asis"

    def sentence(self, s: str) -> str:
        first = [True]

        def rep(m: re.Match) -> str:
            w = m.group(0)
            if first[0]:
                first[0] = False
                return w[0].upper() + w[1:]
            lw = w.lower()
            if lw in ("i", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "i'll", "i’ll"):
                return w[0].upper() + w[1:].lower()
            if len(w) > 1 and w.isupper():
                return w  # acronym / shout word
            if not (w[0].isupper() and w[1:] == w[1:].lower()):
                return w  # lower already, or mixed case (iPhone, McDonald)
            return w if self._proper(lw) else lw

        return _WORD.sub(rep, s)

    @staticmethod
    def title(s: str, ap_style: bool) -> str:
        idx = [0]

        def rep(m: re.Match) -> str:
            w = m.group(0)
            i = idx[0]
            idx[0] += 1
            if ap_style and i > 0 and w.lower() in _SMALL:
                return w.lower()
            if w.islower():
                return w[0].upper() + w[1:]
            return w

        return _WORD.sub(rep, s)

    def apply(self, s: str, rng: random.Random, stats: collections.Counter) -> str:
        style = self.draw(rng)
        stats[f"casing {style}"] += 1
        if style == "sentence":
            return self.sentence(s)
        if style == "title":
            return self.title(s, ap_style=rng.random() < 0.5)
        if style == "upper":
            return s.upper()
        return s


# --------------------------------------------------------------------------- generated parts
AR_RELATED_HEADINGS = ["مواضيع ذات صلة", "اقرأ أيضا", "اقرأ أيضاً:", "أخبار ذات صلة", "قد يعجبك أيضا",
                       "مقالات مقترحة", "لا تفوتك", "من الويب", "الأكثر تداولا", "أخبار متعلقة", "شاهد أيضا"]
EN_RELATED_HEADINGS = ["Related", "Related Articles", "Read more", "Read More:", "You may also like",
                       "You Might Also Like", "Recommended for you", "More from the web", "Around the Web",
                       "Sponsored Stories", "Trending Now", "Don't Miss", "More Stories", "Related posts:",
                       "From our partners", "Popular on the site"]
AR_DAYS = ["السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة"]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
AR_NAMES = ["أحمد", "محمد", "أبو خالد", "سارة", "مواطن", "زائر", "عبدالله", "فاطمة", "ابو فهد", "متابع",
            "ريم", "خالد العتيبي", "يوسف", "نورة", "مغربي حر", "سعيد", "ليلى", "عمر", "هند", "ناصر"]
AR_SHARE = ["شارك", "مشاركة", "تويتر", "فيسبوك", "واتساب", "تيليجرام", "طباعة", "إرسال لصديق", "نسخ الرابط"]
AR_SITE_WORDS = ["أخبار", "صحيفة", "بوابة", "شبكة", "موقع", "جريدة"]
AR_SITE_NAMES = ["الوطن", "الخليج", "المدينة", "النهار", "الصباح", "الشرق", "الأفق", "الحدث", "اليوم", "البيان"]
AR_SECTIONS = ["الرئيسية", "محليات", "سياسة", "اقتصاد", "رياضة", "ثقافة", "منوعات", "تقنية", "صحة",
               "دولي", "مقالات", "فيديو", "صور", "اتصل بنا", "من نحن"]


EN_FIRST = ["James", "Maria", "David", "Sarah", "Ahmed", "Lena", "Tom", "Priya", "Carlos", "Emma", "Kofi", "Julia"]
EN_LAST = ["Miller", "Okafor", "Nguyen", "Schmidt", "Haddad", "Brooks", "Rossi", "Patel", "Larsen", "Kim"]
EN_AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "Bloomberg", "EPA", "Staff", "File photo"]


def en_furniture_line(rng: random.Random) -> str:
    """One line of article furniture as sites print it (the guide: boilerplate): a byline,
    a dateline, a photo caption or credit, an update notice, a "with files from" credit."""
    name = f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"
    day = f"{rng.choice(['Jan.', 'March', 'June', 'Sept.', 'Nov.'])} {rng.randint(1, 28)}, {rng.choice([2012, 2019, 2024, 2025])}"
    forms = [f"By {name}", f"By {name.upper()}, {rng.choice(['Staff Writer', 'Associated Press', 'Senior Reporter'])}",
             f"Posted {day}", f"Updated {day} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['a.m.', 'p.m.'])}",
             f"Photo: {name} / {rng.choice(EN_AGENCIES)}", f"({rng.choice(EN_AGENCIES)} photo)",
             f"Image credit: {rng.choice(EN_AGENCIES)}", f"With files from {rng.choice(EN_AGENCIES)}",
             f"{rng.randint(2, 15)} min read", day, f"{name} | {day}",
             f"Contact {name} at {name.split()[0].lower()}@example.com"]
    return rng.choice(forms)


def _ar_digits(s: str, rng: random.Random) -> str:
    if rng.random() < 0.25:
        return s.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return s


def ar_date(rng: random.Random) -> str:
    """A short Arabic date / time line (generated)."""
    d, m, y = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2013, 2014, 2015, 2019, 2020, 2021, 2022, 2023])
    hh, mm = rng.randint(0, 23), rng.randint(0, 59)
    form = rng.randrange(6)
    if form == 0:
        s = f"{rng.choice(AR_DAYS)} {d} {AR_MONTHS[m - 1]} {y} - {hh:02d}:{mm:02d}"
    elif form == 1:
        s = f"{d:02d}/{m:02d}/{y}"
    elif form == 2:
        s = f"نشر في: {d} {AR_MONTHS[m - 1]} {y}"
    elif form == 3:
        s = f"منذ {rng.randint(2, 23)} ساعة"
    elif form == 4:
        s = f"آخر تحديث: {d} {AR_MONTHS[m - 1]} {y} {hh:02d}:{mm:02d}"
    else:
        s = f"{y}/{m:02d}/{d:02d} {hh:02d}:{mm:02d}"
    return _ar_digits(s, rng)


# --------------------------------------------------------------------------- composition
class Block:
    """A run of lines; kind 'para' blocks get blank lines between their lines in 'paragraphs' style.
    ``part`` ('teaser', 'title') is written on each of its lines, so evaluation can score the
    places clickbait is built into (a teaser widget, a page's own title) on their own."""

    __slots__ = ("lines", "kind", "part")

    def __init__(self, lines: List[Line], kind: str = "list", part: Optional[str] = None):
        self.lines = [(t, l) for t, l in lines if t and t.strip()]
        self.kind = kind
        self.part = part


def assemble(blocks: List[Block], rng: random.Random) -> List[dict]:
    """Join blocks into page lines with a seeded blank-line style:
    none (15%): no blank lines at all; blocks (35%): a blank line between blocks;
    paragraphs (35%): also between article paragraphs and between comments; every (15%): a
    blank line after every line, as many scrapers print pages; some pages double the blank
    between blocks."""
    r = rng.random()
    style = ("none" if r < 0.15 else "blocks" if r < 0.5 else "paragraphs" if r < 0.85 else "every")
    double = rng.random() < 0.1
    out: List[dict] = []
    for b in blocks:
        if not b.lines:
            continue
        if out and style != "none":
            out.append({"text": "", "label": None})
            if double:
                out.append({"text": "", "label": None})
        for i, (t, l) in enumerate(b.lines):
            if i and (style == "every" or (style == "paragraphs" and b.kind == "para")):
                out.append({"text": "", "label": None})
            out.append({"text": t, "label": l, "part": b.part} if b.part else {"text": t, "label": l})
    return out


def _pick(rng: random.Random, seq: Sequence, k: int) -> list:
    if not seq:
        return []
    return rng.sample(list(seq), min(k, len(seq)))


class Composer:
    def __init__(self, P: Pools, caser: Caser, stats: collections.Counter):
        self.P, self.caser, self.stats = P, caser, stats

    # ---- Arabic parts
    def ar_site(self, rng: random.Random) -> str:
        return f"{rng.choice(AR_SITE_WORDS)} {rng.choice(AR_SITE_NAMES)}"

    def ar_header(self, rng: random.Random) -> Block:
        """Site name, nav items (real UI strings, boilerplate lines of real Arabic pages, section names)."""
        P = self.P
        lines: List[Line] = []
        if rng.random() < 0.7:
            lines.append((self.ar_site(rng), "boilerplate"))
        nav = _pick(rng, P.ar_page_boiler, rng.randint(0, 6)) + _pick(rng, AR_SECTIONS, rng.randint(2, 7))
        nav += _pick(rng, P.ar_ui_boiler, rng.randint(0, 3))
        rng.shuffle(nav)
        if rng.random() < 0.25:  # nav glued into one line
            lines.append((rng.choice([" | ", " - ", "  ", " / "]).join(nav[:8]), "boilerplate"))
        else:
            lines += [(t, "boilerplate") for t in nav]
        if rng.random() < 0.4:
            lines.append((" > ".join(["الرئيسية", rng.choice(AR_SECTIONS[1:12])]), "boilerplate"))
        return Block(lines)

    def ar_footer(self, rng: random.Random) -> Block:
        P = self.P
        lines = [(t, "boilerplate") for t in _pick(rng, P.ar_page_boiler, rng.randint(0, 4))]
        lines += [(t, "boilerplate") for t in _pick(rng, P.ar_ui_boiler, rng.randint(0, 3))]
        lines += [(t, "boilerplate") for t in _pick(rng, AR_SECTIONS[-4:], rng.randint(0, 3))]
        y = rng.choice([2014, 2015, 2020, 2021, 2023])
        cp = rng.choice([f"جميع الحقوق محفوظة © {y}", f"© {y} {self.ar_site(rng)}. جميع الحقوق محفوظة",
                         f"جميع الحقوق محفوظة ل{self.ar_site(rng)} {y} ©", f"تطوير وتصميم {rng.choice(AR_SITE_NAMES)} للحلول التقنية"])
        lines.append((_ar_digits(cp, rng), "boilerplate"))
        return Block(lines)

    def ar_article(self, rng: random.Random, title_mode: str) -> List[Block]:
        """Title (plain article title = body, or a sure Arabic clickbait title = clickbait), date / byline
        (boilerplate), a reads counter sometimes, then the article paragraphs (body)."""
        P = self.P
        title, paras = rng.choice(P.ar_articles)
        blocks: List[Block] = []
        if title_mode == "clickbait" and P.ar_clickbait:
            blocks.append(Block([(surface.vary(rng.choice(P.ar_clickbait), "ar", rng, p=0.3), "clickbait")], part="title"))
            self.stats["title clickbait (ar)"] += 1
        elif title:
            blocks.append(Block([(surface.vary(title, "ar", rng, p=0.3), "body")], part="title"))
        meta: List[Line] = []
        if rng.random() < 0.8:
            meta.append((ar_date(rng), "boilerplate"))
        if P.ar_bylines and rng.random() < 0.5:
            meta.append((rng.choice(P.ar_bylines), "boilerplate"))
        if rng.random() < 0.3:
            meta.append((_ar_digits(rng.choice(["عدد القراءات ({})", "المشاهدات: {}", "{} مشاهدة"]).format(rng.randint(12, 9000)), rng), "boilerplate"))
        if rng.random() < 0.35:  # more furniture between the title and the first paragraph
            meta += [(t, "boilerplate") for t in _pick(rng, P.ar_page_boiler + AR_SHARE, rng.randint(1, 10))]
        rng.shuffle(meta)
        blocks.append(Block(meta))
        k = min(len(paras), rng.randint(3, 14))
        start = rng.randint(0, len(paras) - k) if rng.random() < 0.3 else 0
        blocks.append(Block([(t, "body") for t in paras[start:start + k]], "para"))
        if P.ar_residue and rng.random() < 0.2:
            blocks.append(Block([(rng.choice(P.ar_residue), "boilerplate")]))
        if rng.random() < 0.4:
            blocks.append(Block([(t, "boilerplate") for t in _pick(rng, AR_SHARE, rng.randint(1, 5))]))
        return blocks

    def ar_comments(self, rng: random.Random) -> List[Block]:
        """Comment section: heading / count / form strings (comment UI strings) and 1-8 reader
        comments (AOC or Hespress) each with an optional author line and time line (comment)."""
        P = self.P
        blocks: List[Block] = []
        head: List[Line] = []
        ui = P.ar_ui_comment + P.ar_page_comment
        if rng.random() < 0.5:
            head.append((_ar_digits(rng.choice(["{} تعليقات", "التعليقات ({})", "عدد التعليقات: {}", "{} تعليق"]).format(rng.randint(1, 60)), rng), "comment"))
        head += [(t, "comment") for t in _pick(rng, ui, rng.randint(1, 3))]
        blocks.append(Block(head))
        n = rng.randint(1, 8)
        for _ in range(n):
            c: List[Line] = []
            if P.hes_comments and rng.random() < 0.15:
                text, ts = rng.choice(P.hes_comments)
                if rng.random() < 0.6:
                    c.append((rng.choice(AR_NAMES), "comment"))
                c.append((text, "comment"))
                if ts:
                    c.insert(len(c) - 1 if rng.random() < 0.5 else len(c), (ts, "comment"))
            elif P.ar_comments:
                parts = rng.choice(P.ar_comments)
                if rng.random() < 0.5:
                    c.append((rng.choice(AR_NAMES), "comment"))
                if rng.random() < 0.5:
                    c.append((ar_date(rng), "comment"))
                body = list(parts)
                if len(body) == 1 and rng.random() < 0.3:  # a two-sentence comment
                    extra = rng.choice(P.ar_comments)
                    body = [body[0] + " " + extra[-1]]
                c += [(t, "comment") for t in body]
                if rng.random() < 0.3:
                    c.append((rng.choice(["رد", "إبلاغ", "أعجبني", "رد على هذا التعليق"]), "comment"))
            blocks.append(Block(c, "para"))
        if rng.random() < 0.6:
            form = _pick(rng, ui, rng.randint(2, 5))
            blocks.append(Block([(t, "comment") for t in form]))
        return blocks

    def teaser(self, rng: random.Random, lang: str, n_min: int = 3, n_max: int = 8) -> Block:
        """Recommendation widget: a heading (boilerplate) then a mix of clickbait headlines
        (label clickbait) and plain related headlines (label boilerplate). English headlines
        are restyled by the Caser (casing independent of label)."""
        P = self.P
        n = rng.randint(n_min, n_max)
        share = rng.choice([0.0, 0.3, 0.5, 0.7, 1.0])
        lines: List[Line] = [(rng.choice(AR_RELATED_HEADINGS if lang == "ar" else EN_RELATED_HEADINGS), "boilerplate")]
        used: set = set()
        n_cb = 0
        for _ in range(n):
            cb = rng.random() < share
            if lang == "ar":
                # Arabic clickbait titles are few (a few dozen in dev/test): cap them per
                # block so a handful of titles do not fill every widget; no repeats
                cb = cb and n_cb < (2 if len(P.ar_clickbait) < 100 else 4)
                pool = P.ar_clickbait if cb else P.ar_headlines
                if not pool:
                    continue
                t = rng.choice(pool)
                if t in used:
                    continue
                used.add(t)
                n_cb += cb
                t = surface.vary(t, "ar", rng)
            else:
                pool = P.en_clickbait if cb else P.en_headlines
                t = surface.vary(self.caser.apply(rng.choice(pool), rng, self.stats), "en", rng)
            lines.append((t, "clickbait" if cb else "boilerplate"))
            if rng.random() < 0.15:  # a date under the teaser
                lines.append((ar_date(rng) if lang == "ar" else f"{rng.randint(1, 28)} {rng.choice(['Jan', 'Mar', 'Jun', 'Sep', 'Nov'])} {rng.choice([2015, 2016, 2019])}", "boilerplate"))
        self.stats[f"teaser block ({lang})"] += 1
        return Block(lines, part="teaser")

    # ---- English parts
    def en_header(self, rng: random.Random) -> Block:
        P = self.P
        if P.en_header and rng.random() < 0.8:
            run = rng.choice(P.en_header)
            return Block([(t, "boilerplate") for t in run[:rng.randint(3, 30)]])
        return Block([(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(3, 10))])

    def en_footer(self, rng: random.Random) -> Block:
        P = self.P
        if P.en_footer and rng.random() < 0.8:
            run = rng.choice(P.en_footer)
            return Block([(t, "boilerplate") for t in run[-rng.randint(2, 20):]])
        return Block([(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(2, 8))])

    def en_article(self, rng: random.Random, title_mode: str) -> List[Block]:
        """Title: a chakraborty headline restyled (clickbait -> clickbait, plain -> body) or none
        (the real page's own first body line then leads); then body lines of one real English page."""
        P = self.P
        body = rng.choice(P.en_articles)
        k = min(len(body), rng.randint(3, 25))
        blocks: List[Block] = []
        if title_mode in ("clickbait", "plain"):
            cb = title_mode == "clickbait"
            t = self.caser.apply(rng.choice(P.en_clickbait if cb else P.en_headlines), rng, self.stats)
            t = surface.vary(t, "en", rng, p=0.3)
            blocks.append(Block([(t, "clickbait" if cb else "body")], part="title"))
            self.stats[f"title {'clickbait' if cb else 'plain'} (en)"] += 1
        if rng.random() < 0.5:  # 1-15 furniture lines between the title and the first paragraph
            furn = [(en_furniture_line(rng), "boilerplate") for _ in range(rng.randint(1, 4))]
            furn += [(t, "boilerplate") for t in _pick(rng, P.en_boiler_lines, rng.randint(0, 11))]
            rng.shuffle(furn)
            blocks.append(Block(furn))
        paras = [(t, "body") for t in body[:k]]
        if len(paras) > 3 and rng.random() < 0.3:  # a caption or credit inside the article
            paras.insert(rng.randint(1, len(paras) - 1), (en_furniture_line(rng), "boilerplate"))
        blocks.append(Block(paras, "para"))
        if rng.random() < 0.2:
            blocks.append(Block([(en_furniture_line(rng), "boilerplate")]))
        return blocks

    def en_comments(self, rng: random.Random) -> List[Block]:
        P = self.P
        if not P.en_comment_runs:
            return []
        run = rng.choice(P.en_comment_runs)
        k = min(len(run), rng.randint(3, 30))
        return [Block([(t, "comment") for t in run[:k]])]

    # ---- recipes
    def title_mode(self, rng: random.Random) -> str:
        r = rng.random()
        return "clickbait" if r < 0.25 else ("plain" if r < 0.6 else "own")

    def recipe_ar_news(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Arabic news page: Arabic chrome (site name, nav from WP/Joomla UI strings, real Arabic
        pages' boilerplate and section names, breadcrumb), a title (SNN article title = body, or a
        sure clickbait title = clickbait, ~25%), date/byline/read counter (boilerplate), SNN
        paragraphs of one article (body), share widget, then maybe a related/teaser block
        (boilerplate + clickbait), maybe a comment section (UI strings + AOC/Hespress comments
        with author/time lines), footer (boilerplate)."""
        blocks = [self.ar_header(rng)]
        blocks += self.ar_article(rng, "clickbait" if rng.random() < 0.25 else "plain")
        tail: List[List[Block]] = []
        if rng.random() < 0.6:
            tail.append([self.teaser(rng, "ar")])
        if rng.random() < 0.7:
            tail.append(self.ar_comments(rng))
        rng.shuffle(tail)
        for t in tail:
            blocks += t
        blocks.append(self.ar_footer(rng))
        return "ar", assemble(blocks, rng)

    def recipe_mixed_en_article_ar_chrome(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Mixed page: Arabic header/footer chrome around an English article (body lines of a real
        English page of the same split, optionally under a restyled headline), Arabic comment
        section and maybe an Arabic teaser block."""
        blocks = [self.ar_header(rng)]
        if rng.random() < 0.5:
            blocks.append(Block([(ar_date(rng), "boilerplate")]))
        blocks += self.en_article(rng, self.title_mode(rng))
        if rng.random() < 0.5:
            blocks.append(self.teaser(rng, "ar"))
        if rng.random() < 0.8:
            blocks += self.ar_comments(rng)
        blocks.append(self.ar_footer(rng))
        return "mixed", assemble(blocks, rng)

    def recipe_mixed_ar_article_en_chrome(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Mixed page: English chrome (header/footer runs of real English pages' boilerplate) around
        an SNN Arabic article, English comments (a run of real Dragnet comment lines), maybe an
        English teaser block (chakraborty, restyled)."""
        blocks = [self.en_header(rng)]
        blocks += self.ar_article(rng, "clickbait" if rng.random() < 0.15 else "plain")
        if rng.random() < 0.5:
            blocks.append(self.teaser(rng, "en"))
        if rng.random() < 0.8:
            blocks += self.en_comments(rng)
        blocks.append(self.en_footer(rng))
        return "mixed", assemble(blocks, rng)

    def recipe_en_news(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """English page: real header chrome, a restyled headline (clickbait title -> clickbait,
        plain -> body) or none, body lines of a real English page, a teaser block (~70%),
        maybe real Dragnet comments, real footer chrome."""
        blocks = [self.en_header(rng)]
        blocks += self.en_article(rng, self.title_mode(rng))
        if rng.random() < 0.7:
            blocks.append(self.teaser(rng, "en"))
        if rng.random() < 0.4:
            blocks += self.en_comments(rng)
        blocks.append(self.en_footer(rng))
        return "en", assemble(blocks, rng)

    def recipe_real_en_teaser(self, rng: random.Random) -> Tuple[str, List[dict], dict]:
        """A real English page of the split, unchanged, with a teaser block (English, restyled)
        injected right after its last body line (before any comments); blank lines around it
        follow the page's own blank-line mode."""
        page = rng.choice(self.P.real_en_pages)
        lines = [dict(ln) for ln in page["lines"]]
        last_body = max(i for i, ln in enumerate(lines) if ln["label"] == "body")
        tb = self.teaser(rng, "en")
        blank = rng.random() < 0.6
        ins: List[dict] = []
        if blank:
            ins.append({"text": "", "label": None})
        ins += [{"text": t, "label": l, "part": "teaser"} for t, l in tb.lines]
        if blank:
            ins.append({"text": "", "label": None})
        lines = lines[:last_body + 1] + ins + lines[last_body + 1:]
        return "en", lines, page

    def recipe_headline_list(self, rng: random.Random) -> Tuple[str, List[dict]]:
        """Headlines alone, one per line, as a user pipes a feed or a scraped list: clickbait
        ones are clickbait (the guide: wherever it stands), plain ones boilerplate (a list of
        headlines, as on a listing page), and a lone plain headline body (the page's own
        title). Without these pages the model only ever saw clickbait beside an article and
        called a bare clickbait headline body."""
        P = self.P
        lang = "ar" if rng.random() < 0.35 else "en"
        if not (P.ar_headlines if lang == "ar" else P.en_headlines):  # a licence-filtered build
            lang = "en" if lang == "ar" else "ar"
        cb_pool, plain_pool = (P.ar_clickbait, P.ar_headlines) if lang == "ar" else (P.en_clickbait, P.en_headlines)
        n = 1 if rng.random() < 0.25 else rng.randint(2, 30)
        share = rng.choice([0.0, 0.1, 0.3, 0.5, 0.8, 1.0])
        lines: List[Line] = []
        for _ in range(n):
            cb = bool(cb_pool) and rng.random() < share
            pool = cb_pool if cb else plain_pool
            if not pool:
                continue
            t = rng.choice(pool)
            if lang == "en":
                t = self.caser.apply(t, rng, self.stats)
            t = surface.vary(t, lang, rng)
            lines.append((t, "clickbait" if cb else ("body" if n == 1 else "boilerplate")))
        self.stats[f"headline list ({lang}, {'one' if n == 1 else 'many'})"] += 1
        return lang, assemble([Block(lines, part="headline list")], rng)


RECIPES = (("ar_news", 0.34), ("mixed_en_article_ar_chrome", 0.12), ("mixed_ar_article_en_chrome", 0.12),
           ("en_news", 0.19), ("real_en_teaser", 0.13), ("headline_list", 0.10))
# Pools each recipe cannot do without: every inner tuple needs at least one non-empty pool.
# That is the real part a page is about (its article) and, for the mixed recipes, a real
# part in the other language (chrome made only of the built-in lists above would make the
# page "mixed" in name only); en_headlines / en_clickbait because English titles and
# teasers draw from both unguarded. A licence-filtered build can empty any pool; a recipe
# missing one is skipped (see compose_split) rather than crashing or padding pages.
RECIPE_NEEDS: Dict[str, Tuple[Tuple[str, ...], ...]] = {
    "ar_news": (("ar_articles",),),
    "mixed_en_article_ar_chrome": (("en_articles",), ("en_headlines",), ("en_clickbait",),
                                   ("ar_ui_boiler", "ar_page_boiler", "ar_ui_comment", "ar_page_comment",
                                    "ar_comments", "hes_comments")),
    "mixed_ar_article_en_chrome": (("ar_articles",), ("en_headlines",), ("en_clickbait",),
                                   ("en_header", "en_footer", "en_boiler_lines", "en_comment_runs")),
    "en_news": (("en_articles",), ("en_headlines",), ("en_clickbait",)),
    "real_en_teaser": (("real_en_pages",), ("en_headlines",), ("en_clickbait",)),
    "headline_list": (("en_headlines", "ar_headlines"), ("en_clickbait", "ar_clickbait")),
}


def missing_needs(P: Pools) -> Dict[str, List[str]]:
    """recipe -> the needs (RECIPE_NEEDS, "a|b" for alternatives) that P leaves empty; only
    recipes that cannot be composed from P are listed."""
    out: Dict[str, List[str]] = {}
    for recipe, _ in RECIPES:
        miss = ["|".join(alts) for alts in RECIPE_NEEDS[recipe] if not any(getattr(P, a) for a in alts)]
        if miss:
            out[recipe] = miss
    return out


def compose_split(split: str, P: Pools, caser: Caser, seed: int, n: int, stats: collections.Counter,
                  skip: AbstractSet[str] = frozenset()) -> List[dict]:
    """n composed pages of one split, each recipe drawn by weight (RECIPES).

    A page whose drawn recipe is in ``skip`` is not made, and the draws go on as if it
    were: the recipe sequence and every page's own seed (split, index) stay those of the
    full build, so a filtered build is reproducible, its other recipes keep their share,
    and page ids keep their index (with gaps)."""
    rng = random.Random(_h("compose", seed, split))
    comp = Composer(P, caser, stats)
    pages = []
    names = [r for r, _ in RECIPES]
    weights = [w for _, w in RECIPES]
    for i in range(n):
        recipe = rng.choices(names, weights)[0]
        if recipe in skip:
            stats[f"recipe skipped {split} {recipe}"] += 1
            continue
        prng = random.Random(_h("page", seed, split, i))
        host = f"{recipe.replace('_', '-')}-{split}-{i % 40:02d}.composed"
        if recipe == "real_en_teaser":
            lang, lines, src_page = comp.recipe_real_en_teaser(prng)
            host = src_page["host"]
        else:
            lang, lines = getattr(comp, "recipe_" + recipe)(prng)
        lines = [{k: ln[k] for k in ("text", "label", "part") if k in ln} for ln in lines]
        while lines and not lines[-1]["text"]:
            lines.pop()
        pages.append({"page_id": f"composed/{split}/{recipe}/{i:05d}", "source": "composed", "lang": lang,
                      "host": host, "composed": True, "recipe": recipe, "lines": lines})
    return pages
