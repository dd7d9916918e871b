"""Discourse cues on pages written for the test: the page's own headline among the short
lines above the article, the reader's voice, and distance past the article."""
from __future__ import annotations

from classifier.discourse import DISCOURSE_NAMES, discourse_features, discourse_features_batch

COL = {name: i for i, name in enumerate(DISCOURSE_NAMES)}
PAGE = [
    "Home | Local | Weather",
    "Harbour trams return after the winter repairs",                      # 1: the headline
    "Ferry timetable changes announced for the island route",            # 2: another story
    "By Lena Marsh",
    "The harbour trams return on Monday after winter repairs to the track and the overhead wires, the transport office said.",
    "Repairs to the harbour track took longer than planned because the winter storms flooded two depots near the pier.",
    "More from Local",
    "Ferry timetable changes announced for the island route",
    "Honestly I think you guys are overreacting!! my tram was fine :)",
]
AR_PAGE = [
    "الرئيسية | محليات",
    "عودة ترام الميناء بعد إصلاحات الشتاء",
    "كتب: خالد العمري",
    "أعلن مكتب النقل أن ترام الميناء يعود يوم الاثنين بعد إصلاحات الشتاء في السكة والأسلاك العلوية التي استمرت عدة أسابيع.",
    "أنا شخصيا أعتقد أن التأخير كان مبالغا فيه!! شكرا لكم",
]


def test_headline_is_the_short_line_that_restates_the_article():
    f = discourse_features(PAGE)
    best = [i for i in range(len(PAGE)) if f[i, COL["title_best"]] == 1.0]
    assert best == [1]
    assert f[1, COL["title_overlap"]] > f[2, COL["title_overlap"]]
    # lines after the article are not headline candidates, however they overlap
    assert f[7, COL["title_overlap"]] == 0 and f[7, COL["after_article"]] > 0


def test_distance_grows_past_the_article_and_before_it():
    f = discourse_features(PAGE)
    after = f[6:, COL["after_article"]]
    assert list(after) == sorted(after) and after[0] > 0
    assert f[4, COL["after_article"]] == 0 == f[4, COL["before_article"]]
    assert f[0, COL["before_article"]] > f[3, COL["before_article"]] > 0


def test_reader_voice_in_both_languages():
    f = discourse_features(PAGE)
    assert f[8, COL["first_second_person"]] > 0.3 and f[8, COL["informal"]] > 0
    assert f[4, COL["first_second_person"]] == 0 and f[4, COL["informal"]] == 0
    g = discourse_features(AR_PAGE)
    assert g[4, COL["first_second_person"]] > 0 and g[4, COL["informal"]] > 0
    assert g[3, COL["first_second_person"]] == 0
    assert g[1, COL["title_best"]] == 1.0


def test_no_prose_no_position_cues_and_batches_stack_pages_alone():
    menu = ["Home", "News", "Sport", "I love this site!!"]
    f = discourse_features(menu)
    assert (f[:, [COL["title_overlap"], COL["title_best"], COL["after_article"], COL["before_article"]]] == 0).all()
    both = discourse_features_batch([PAGE, menu])
    assert (both[:len(PAGE)] == discourse_features(PAGE)).all()
    assert (both[len(PAGE):] == f).all()
    assert discourse_features([]).shape == (0, len(DISCOURSE_NAMES))
