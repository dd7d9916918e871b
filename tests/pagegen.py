"""Synthetic labelled pages for the test suite, written for linesift's tests.

Every page is built from templates and parts written here (invented towns, people and
events), in English, Arabic, and mixed (an English article inside Arabic page chrome).
A page is a list of ``(text, label)`` pairs; blank lines carry ``None``. The layout follows
scraped news pages: navigation, headline, byline, paragraphs, share widget, a related list
with teasers, a comment section, a footer, with blank lines between blocks.

The generator is deterministic (a seeded ``random.Random``), so the tiny model trained on
these pages in the test session is the same model on every run.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

Line = tuple[str, "str | None"]

# --- English parts --------------------------------------------------------------------

EN_NAV = [
    "Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Weather",
    "Menu", "Search", "Subscribe", "Sign in", "Latest news",
    "Home | News | Sport | Weather | Contact",
    "Home / World / Europe", "Home / Local / Harbour District", "Home » Business » Markets",
]
EN_PLACES = ["Maplewood", "Port Alder", "Kessington", "Brightwater", "Lowfield", "Carrow Bay",
             "Eastmere", "Oakridge Valley", "Saltmarsh", "Windham Cross"]
EN_PEOPLE = ["Helena Marsh", "Tomas Ferreira", "Priya Nandakumar", "Owen Caldwell",
             "Ingrid Solberg", "Marcus Bell", "Yusuf Okafor", "Clara Mendes", "Dmitri Volkov",
             "Amelia Hart"]
EN_ROLES = ["the mayor", "the council's finance chief", "a spokesperson for the ministry",
            "the head of the river authority", "the school board chair",
            "a senior engineer on the project", "the regional health director",
            "the chairman of the chamber of commerce"]
EN_PROJECTS = ["the new flood barrier", "the tram extension", "the hospital wing",
               "the harbour dredging programme", "the solar farm", "the library renovation",
               "the ring road bypass", "the water treatment plant"]
EN_HEADLINES = [
    "{place} council approves plans for {project}",
    "Residents of {place} vote on future of {project}",
    "Work on {project} in {place} to start next spring",
    "Budget for {project} rises after surveyors find old tunnels",
    "{place} opens consultation on {project}",
    "Regional court pauses {project} in {place} pending review",
]
EN_SENTENCES = [
    "{role_cap} said {project} would cost about {num} million dollars and take {years} years to finish.",
    "The plan was first proposed in {year}, but it stalled when the previous contractor withdrew.",
    "Engineers expect the first phase to be finished before the winter storms arrive.",
    "Local shop owners told reporters they were worried about months of closed roads and lost trade.",
    "According to the report, more than {num} households in {place} would benefit directly.",
    "{person} , who has lived in {place} for {years} decades, said the town had waited long enough.",
    "The council will publish detailed drawings at the town hall and on its website next week.",
    "Opposition members argued that the money could be better spent on schools and clinics.",
    "A public meeting is planned for Thursday evening in the old market hall.",
    "Environmental groups have asked for an independent study of the wetlands north of the site.",
    "The ministry confirmed that half of the funding would come from the national budget.",
    "Traffic will be diverted through the industrial estate while the main bridge is closed.",
    "Officials said the timetable depended on the weather and on the delivery of steel beams.",
    "Several families who live near the river welcomed the decision after last year's floods.",
    "The contract was awarded to a consortium of three regional building firms in {year}.",
    "Critics pointed out that a similar scheme in a neighbouring town ran two years late.",
]
EN_BYLINES = [
    "By {person}", "By {person} | {day} {month} {year}", "Published: {weekday}, {day} {month} {year} {hh}:{mm}",
    "Updated {hh}:{mm} GMT", "{day} {month} {year}", "{person}, Staff Reporter",
    "Posted on {month} {day}, {year} by {person}",
]
EN_SHARE = ["Share this article", "Share", "Facebook", "Twitter", "WhatsApp", "Email", "Print",
            "Share on Facebook", "Share on Twitter", "Copy link", "Follow us on Instagram"]
EN_RELATED_HEADS = ["Related", "Related articles", "Read more", "You may also like",
                    "More from this section", "Recommended for you"]
EN_CLICKBAIT = [
    "You Won't Believe What This Farmer Found In His Barn (VIDEO)",
    "SHOCKING: Mayor Caught Doing THIS At Midnight!",
    "Doctors Are Stunned By This Simple Morning Trick",
    "10 Photos That Will Make You Question Everything",
    "She Opened The Box And Could Not Stop Crying...",
    "What Happened Next Left The Whole Town Speechless!",
    "This Man Tried To Park His Car And The Internet Went Wild (WATCH)",
    "UNBELIEVABLE: Giant Creature Spotted In The Lake, Experts Baffled!",
    "The Real Reason Nobody Talks About This Island Will Shock You",
    "Stars Who Look Totally Different Now, Number 7 Is Insane!",
    "Fighter Pilot Sees Huge Glowing Object Over The Sea (VIDEO)",
    "Mother Finds Note In Her Son's Lunchbox, What It Said Is Heartbreaking...",
]
EN_COMMENT_PROMPTS = ["Leave a Reply", "Leave a comment", "Join the discussion",
                      "Your email address will not be published.", "Post Comment",
                      "Sign in to comment", "Comments ({n})", "{n} comments",
                      "Name (required)", "Comments are moderated before they appear."]
EN_COMMENT_AUTHORS = ["{person} says:", "{person} · {n} hours ago", "{first} wrote:",
                      "{month} {day}, {year} at {hh}:{mm} pm", "Reply", "{first} replied {n} days ago"]
EN_COMMENTS = [
    "Great article, thanks for sharing.",
    "I disagree, the council has ignored this problem for years.",
    "This is exactly what our town needs, about time!",
    "Who is going to pay for all of this? Us, as usual.",
    "My street flooded twice last winter so I am glad something is finally happening.",
    "Typical, they announce it before every election and then nothing.",
    "Does anyone know if the bus route will change during the works?",
    "Well written piece, but you forgot to mention the cost overruns.",
]
EN_FOOTER = ["© {year} {paper}. All rights reserved.", "Privacy Policy | Terms of Use | Contact Us",
             "Powered by WordPress", "Subscribe to our newsletter",
             "Copyright {year} {paper} Media Group", "About us | Advertise | Careers",
             "Designed and developed by Northlight Studio"]
EN_PAPERS = ["Northbridge Herald", "Carrow Bay Gazette", "The Valley Courier", "Harbour Times"]

# --- Arabic parts ---------------------------------------------------------------------

AR_NAV = ["الرئيسية", "أخبار محلية", "اقتصاد", "رياضة", "ثقافة وفنون", "مقالات الرأي",
          "اتصل بنا", "من نحن", "فيديو", "الرئيسية / أخبار / محليات", "الرئيسية » اقتصاد » أسواق",
          "الرئيسية | سياسة | اقتصاد | رياضة | منوعات", "بحث", "القائمة"]
AR_PLACES = ["وادي النخيل", "الساحل الشرقي", "مدينة الواحة", "بلدة الزيتون", "ميناء الفجر",
             "حي الربوة", "سهل القمح", "جبل السنديان"]
AR_PEOPLE = ["سارة الحسيني", "خالد العمري", "ليلى منصور", "يوسف الكبيسي", "هدى الشامي",
             "عمر البدري", "نادية حداد", "مازن الخطيب"]
AR_ROLES = ["رئيس البلدية", "مدير هيئة المياه", "وزير الأشغال العامة", "المتحدث باسم الوزارة",
            "مدير المشروع", "رئيس غرفة التجارة", "مديرة التربية في المحافظة"]
AR_PROJECTS = ["الجسر الجديد", "محطة تحلية المياه", "مستشفى الأطفال", "الطريق الدائري",
               "مشروع الطاقة الشمسية", "المكتبة العامة", "شبكة الصرف الصحي", "ميناء الصيد"]
AR_HEADLINES = [
    "بلدية {place} توافق على خطة {project}",
    "بدء العمل في {project} في {place} الربيع المقبل",
    "ارتفاع تكلفة {project} بعد اكتشاف أنفاق قديمة",
    "سكان {place} يناقشون مستقبل {project}",
    "الحكومة تخصص ميزانية إضافية لـ{project} في {place}",
    "محكمة إدارية توقف {project} مؤقتا لمراجعة العقود",
]
AR_SENTENCES = [
    "وقال {role} إن {project} سيكلف نحو {num} مليون دينار وسيستغرق إنجازه {years} سنوات.",
    "وكانت الفكرة قد طرحت لأول مرة عام {year} لكنها توقفت بعد انسحاب الشركة المنفذة.",
    "ويتوقع المهندسون أن تنتهي المرحلة الأولى قبل حلول موسم الأمطار.",
    "وأعرب أصحاب المحلات التجارية عن قلقهم من إغلاق الطرق لعدة أشهر وتراجع المبيعات.",
    "وبحسب التقرير فإن أكثر من {num} أسرة في {place} ستستفيد مباشرة من المشروع.",
    "وقالت {person} التي تسكن في {place} منذ سنوات طويلة إن الأهالي انتظروا هذا القرار كثيرا.",
    "وستنشر البلدية المخططات التفصيلية في مقرها وعلى موقعها الإلكتروني الأسبوع المقبل.",
    "في المقابل رأى أعضاء في المعارضة أن الأموال كان يجب أن تذهب إلى المدارس والعيادات.",
    "ومن المقرر عقد لقاء مفتوح مع المواطنين مساء الخميس في قاعة السوق القديم.",
    "وطالبت جمعيات بيئية بدراسة مستقلة حول أثر المشروع على الأراضي الرطبة شمال الموقع.",
    "وأكدت الوزارة أن نصف التمويل سيأتي من الموازنة العامة للدولة.",
    "وسيتم تحويل حركة المرور عبر المنطقة الصناعية خلال فترة إغلاق الجسر الرئيسي.",
    "وأشار المسؤولون إلى أن الجدول الزمني يعتمد على الأحوال الجوية ووصول المواد من الخارج.",
    "ورحبت عائلات تقطن قرب النهر بالقرار بعد الفيضانات التي شهدتها المنطقة العام الماضي.",
]
AR_BYLINES = ["بقلم: {person}", "كتب: {person}", "نشر في: {weekday} {day} {month} {year} - {hh}:{mm}",
              "آخر تحديث: {hh}:{mm}", "عدد القراءات ({num})", "منذ {n} ساعات",
              "{day} {month} {year}", "{person} - {place}"]
AR_SHARE = ["شارك", "شارك على فيسبوك", "تويتر", "واتساب", "طباعة", "إرسال لصديق", "نسخ الرابط",
            "تابعونا على تويتر", "شارك هذا المقال"]
AR_RELATED_HEADS = ["اقرأ أيضا", "أخبار ذات صلة", "مواضيع مرتبطة", "الأكثر قراءة", "قد يعجبك أيضا"]
AR_CLICKBAIT = [
    "لن تصدق ماذا حدث بعد ذلك!",
    "شاهد بالفيديو.. مفاجأة صادمة في حفل الزفاف",
    "صدمة! ما فعله هذا الطفل أذهل الجميع",
    "لن تصدق ما وجده الصياد داخل السمكة!",
    "فيديو مرعب.. شاهد ماذا حدث للسائق",
    "سر خطير يخفيه عنك الأطباء، اكتشفه الآن!",
    "بالصور: فنانة شهيرة تظهر بشكل لن تتعرف عليه...",
    "فضيحة مدوية تهز المدينة.. التفاصيل صادمة",
    "ما قاله هذا الرجل لزوجته سيجعلك تبكي!",
    "كارثة! شاهد ما ظهر في السماء الليلة الماضية (فيديو)",
]
AR_COMMENT_PROMPTS = ["اترك تعليقاً", "أضف تعليقك", "اسمك (مطلوب)", "بريدك الإلكتروني",
                      "التعليقات المنشورة تعبر عن رأي كاتبها فقط", "إرسال التعليق",
                      "التعليقات ({n})", "أي تعليق يتجاوز 500 حرف لن يتم نشره",
                      "سجل دخولك لتتمكن من التعليق"]
AR_COMMENT_AUTHORS = ["{first} - منذ {n} ساعات", "{first} يقول:", "رد", "{first}",
                      "{day} {month} {year} الساعة {hh}:{mm}"]
AR_COMMENTS = [
    "مقال رائع، شكرا للكاتب",
    "نتمنى أن يتم تنفيذ المشروع في الوقت المحدد هذه المرة",
    "أين كانت البلدية طوال هذه السنوات؟",
    "كلام جميل لكن الواقع مختلف تماما",
    "الله يوفقكم، المنطقة بحاجة لهذا المشروع منذ زمن",
    "كل سنة نسمع نفس الوعود ولا شيء يتغير",
    "هل سيتم تعويض أصحاب المحلات المتضررة؟",
]
AR_FOOTER = ["جميع الحقوق محفوظة © {year}", "جميع الحقوق محفوظة لـ{paper} {year}",
             "تصميم وتطوير شركة الأفق الرقمية", "سياسة الخصوصية | اتصل بنا | أعلن معنا",
             "اشترك في النشرة البريدية", "تابعونا على فيسبوك وتويتر"]
AR_PAPERS = ["صحيفة الواحة", "شبكة الفجر الإخبارية", "جريدة الساحل", "بوابة الوادي"]
AR_MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أكتوبر", "نوفمبر"]
AR_WEEKDAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "September", "October"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _fill(rng: random.Random, template: str, ar: bool) -> str:
    people = AR_PEOPLE if ar else EN_PEOPLE
    person = rng.choice(people)
    role = rng.choice(AR_ROLES if ar else EN_ROLES)
    values = {
        "place": rng.choice(AR_PLACES if ar else EN_PLACES),
        "project": rng.choice(AR_PROJECTS if ar else EN_PROJECTS),
        "person": person, "first": person.split()[0],
        "role": role, "role_cap": role[:1].upper() + role[1:],
        "num": rng.randint(12, 940), "n": rng.randint(2, 9), "years": rng.randint(2, 6),
        "year": rng.randint(2015, 2024), "day": rng.randint(1, 28),
        "month": rng.choice(AR_MONTHS if ar else EN_MONTHS),
        "weekday": rng.choice(AR_WEEKDAYS if ar else EN_WEEKDAYS),
        "hh": f"{rng.randint(1, 12):02d}", "mm": f"{rng.randint(0, 59):02d}",
        "paper": rng.choice(AR_PAPERS if ar else EN_PAPERS),
    }
    return template.format(**values).replace(" ,", ",")


def _pick(rng: random.Random, items: list[str], k: int, ar: bool) -> list[str]:
    return [_fill(rng, t, ar) for t in rng.sample(items, min(k, len(items)))]


def _paragraph(rng: random.Random, ar: bool) -> str:
    sentences = AR_SENTENCES if ar else EN_SENTENCES
    return " ".join(_pick(rng, sentences, rng.randint(2, 4), ar))


def make_page(rng: random.Random, chrome: str, body: str, *, clickbait_headline: bool = False,
              comments: bool = True) -> list[Line]:
    """One labelled page. ``chrome`` ("en"/"ar") is the language of menus, widgets and
    comments; ``body`` ("en"/"ar") the language of the article."""
    ca, ba = chrome == "ar", body == "ar"
    nav, share, heads = (AR_NAV, AR_SHARE, AR_RELATED_HEADS) if ca else (EN_NAV, EN_SHARE, EN_RELATED_HEADS)
    bait = AR_CLICKBAIT if ca else EN_CLICKBAIT
    blocks: list[list[Line]] = []
    blocks.append([(t, "boilerplate") for t in _pick(rng, nav, rng.randint(2, 6), ca)])
    if clickbait_headline:
        headline = [(rng.choice(AR_CLICKBAIT if ba else EN_CLICKBAIT), "clickbait")]
    else:
        headline = [(_fill(rng, rng.choice(AR_HEADLINES if ba else EN_HEADLINES), ba), "body")]
    blocks.append(headline)
    blocks.append([(t, "boilerplate") for t in _pick(rng, AR_BYLINES if ca else EN_BYLINES,
                                                     rng.randint(1, 2), ca)])
    for _ in range(rng.randint(3, 6)):
        blocks.append([(_paragraph(rng, ba), "body")])
    blocks.append([(t, "boilerplate") for t in _pick(rng, share, rng.randint(2, 5), ca)])
    related = [(rng.choice(heads), "boilerplate")]
    items = [(t, "clickbait") for t in _pick(rng, bait, rng.randint(1, 3), ca)]
    items += [(_fill(rng, rng.choice(AR_HEADLINES if ca else EN_HEADLINES), ca), "boilerplate")
              for _ in range(rng.randint(1, 2))]
    rng.shuffle(items)
    blocks.append(related + items)
    if comments:
        prompts = AR_COMMENT_PROMPTS if ca else EN_COMMENT_PROMPTS
        blocks.append([(t, "comment") for t in _pick(rng, prompts, rng.randint(1, 3), ca)])
        for _ in range(rng.randint(2, 3)):
            author = _fill(rng, rng.choice(AR_COMMENT_AUTHORS if ca else EN_COMMENT_AUTHORS), ca)
            text = rng.choice(AR_COMMENTS if ca else EN_COMMENTS)
            blocks.append([(author, "comment"), (text, "comment")])
    blocks.append([(t, "boilerplate") for t in _pick(rng, AR_FOOTER if ca else EN_FOOTER,
                                                     rng.randint(1, 3), ca)])
    page: list[Line] = []
    for i, block in enumerate(blocks):
        if i:
            page.extend([("", None)] * rng.choice((1, 1, 1, 2)))
        page.extend(block)
    return page


def training_pages(n: int = 36, seed: int = 7) -> list[dict]:
    """``n`` labelled pages in the data format (SPEC section 5), a third each English,
    Arabic and mixed; a few have a clickbait headline, a few no comment section."""
    rng = random.Random(seed)
    kinds = [("en", "en"), ("ar", "ar"), ("ar", "en")]
    pages = []
    for i in range(n):
        chrome, body = kinds[i % 3]
        lines = make_page(rng, chrome, body, clickbait_headline=(i % 7 == 3),
                          comments=(i % 5 != 4))
        lang = "en" if (chrome, body) == ("en", "en") else "ar" if body == "ar" else "mixed"
        pages.append({"page_id": f"synthetic/{i:03d}", "source": "synthetic", "lang": lang,
                      "host": f"site{i % 12}.example", "lines": [{"text": t, "label": lab}
                                                              for t, lab in lines]})
    return pages


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def obvious_page() -> list[Line]:
    """An English page of the training kind where each label has lines no reasonable
    model of this data could miss; ``None`` marks blank lines."""
    rng = random.Random(2024)
    para = [(_paragraph(rng, False), "body") for _ in range(4)]
    lines: list[Line] = [
        ("Home", "boilerplate"), ("World", "boilerplate"), ("Politics", "boilerplate"), ("", None),
        ("Lowfield council approves plans for the tram extension", "body"), ("", None),
        ("By Amelia Hart | 3 March 2023", "boilerplate"), ("", None),
    ]
    for p in para:
        lines += [p, ("", None)]
    lines += [
        ("Share this article", "boilerplate"), ("Facebook", "boilerplate"), ("Twitter", "boilerplate"),
        ("", None),
        ("Related", "boilerplate"),
        ("You Won't Believe What This Farmer Found In His Barn (VIDEO)", "clickbait"),
        ("SHOCKING: Mayor Caught Doing THIS At Midnight!", "clickbait"),
        ("Doctors Are Stunned By This Simple Morning Trick", "clickbait"),
        ("", None),
        ("Leave a Reply", "comment"), ("Your email address will not be published.", "comment"),
        ("", None),
        ("Marcus Bell says:", "comment"), ("Great article, thanks for sharing.", "comment"),
        ("", None),
        ("Ingrid Solberg · 3 hours ago", "comment"),
        ("Who is going to pay for all of this? Us, as usual.", "comment"),
        ("", None),
        ("© 2023 Harbour Times. All rights reserved.", "boilerplate"),
        ("Privacy Policy | Terms of Use | Contact Us", "boilerplate"),
    ]
    return lines


def headline_items(n: int = 60, seed: int = 3) -> list[dict]:
    """Headline-pool records ({"text", "label", "lang"}) for the headline scorer, as the
    corpus writes them to headlines_train.jsonl.gz: the templates above, filled."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        ar = i % 2 == 1
        cb = i % 4 >= 2
        pool = (AR_CLICKBAIT if cb else AR_HEADLINES) if ar else (EN_CLICKBAIT if cb else EN_HEADLINES)
        out.append({"text": _fill(rng, rng.choice(pool), ar), "label": "clickbait" if cb else "headline",
                    "lang": "ar" if ar else "en"})
    return out
