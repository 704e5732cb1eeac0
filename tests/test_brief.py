"""Brief stage on hand-written Arabic and English: figures, selection, entities."""

import pytest

from toolkit.brief import build_brief, entities
from toolkit.brief.figures import extract_figures
from toolkit.brief.select import REDUNDANCY, select_points, sentence_vectors
from toolkit.document import Article, Sentence, Source
from toolkit.glossary import Matcher, load_glossary
from toolkit.text import normalize
from toolkit.text.vectors import cosine


def figures_of(arabic: str) -> list[tuple[str, str, str]]:
    return [(f.kind, f.value, f.context) for f in extract_figures(normalize(arabic))]


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("قال إن هناك ٤٠ ألف حساب على تويتر", [("count", "40,000", "accounts")]),
        ("حددت العملية 260 مليون دولار", [("money", "$260 million", "")]),
        ("بلغت ١٫٥ مليون يورو", [("money", "€1.5 million", "")]),
        ("خصص مليار؟ لا: 3 مليارات دولار", [("money", "$3 billion", "")]),
        ("وصلت ٤٠ ألف دولار", [("money", "$40,000", "")]),
        ("ارتفعت بنسبة 35 في المائة و12٪", [("percent", "35%", ""), ("percent", "12%", "")]),
        ("في 13 أغسطس 2020 كشفت", [("date", "13 August 2020", "")]),
        ("في ١٣ آب ٢٠٢٠ كشفت", [("date", "13 August 2020", "")]),  # Levantine, Eastern digits
        ("يوم 4 يوليه 2021", [("date", "4 July 2021", "")]),  # Egyptian spelling
        ("فتح في نوفمبر (تشرين الثاني) 2023", [("date", "November 2023", "")]),
        ("يوم 4 مارس/آذار 2025", [("date", "4 March 2025", "")]),
        ("في 31 كانون الثاني 2024", [("date", "31 January 2024", "")]),
        ("قضى في 12 فبراير (شباط) متأثرا", [("date", "12 February", "")]),
        ("اعتقال 83 شخصًا و5 أشخاص", [("count", "83", "people"), ("count", "5", "people")]),
        ("في يونيو الماضي وبين عامي 2019 و2022", [("date", "2019–2022", "")]),
        ("دعا الرئيس الجميع إلى الهدوء في يونيو الماضي", []),
        ("فتح في نوفمبر (تشرين الثاني) 2023، وأوكل إلى الشرطة", [("date", "November 2023", "")]),
        ("الانتخابات المقررة في 15 مارس، تعقد", [("date", "15 March", "")]),
    ],
)
def test_figures(arabic, expected):
    assert figures_of(arabic) == expected


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("وقد أسس أرنو «الحرس» العام 2018 وحلته الحكومة", [("date", "2018", "")]),
        ("التي حدثت بين عامي 2015 و 2017 ، في عمليات", [("date", "2015–2017", "")]),
        ("مرشح الرئاسة عام 2000. والسفير", [("date", "2000", "")]),
        ("ومنذ عام ونصف عام", []),
    ],
)
def test_years_standing_alone(arabic, expected):
    assert figures_of(arabic) == expected


@pytest.mark.parametrize(
    ("arabic", "expected"),
    [
        ("ارتفع العدد إلى نحو 3000.", [("count", "about 3,000", "")]),
        (
            "إن عدد المقاتلين الأوروبيين الذين توجهوا إلى سوريا ارتفع إلى نحو 3000.",
            [("count", "about 3,000", "fighters")],
        ),
        (
            "أكدت تركيا أنها رحلت أكثر من ألف مقاتل أجنبي.",
            [("count", "more than 1,000", "fighters")],
        ),
        ("هناك ما يزيد على 40 ألف حساب", [("count", "more than 40,000", "accounts")]),
        ("أكثر من 40 ألفًا، ويجب", [("count", "more than 40,000", "")]),
        ("قرابة 200 شخص", [("count", "nearly 200", "people")]),
        ("أقل من 50 مقاتلا", [("count", "fewer than 50", "fighters")]),
        ("ما لا يقل عن 12 هجوما", [("count", "at least 12", "attacks")]),
        ("يمتلكون نحو 300 مليون دولار", [("money", "about $300 million", "")]),
        ("ارتفعت بنحو 35 في المائة", [("percent", "about 35%", "")]),
        ("حذفت الشركة عشرات الحسابات", [("count", "dozens", "accounts")]),
        ("شارك عشرات الآلاف من الأشخاص", [("count", "tens of thousands", "people")]),
        ("وطلبت توجيه التهمة إلى سبعة أشخاص، ثلاثة منهم مقربون", [("count", "7", "people")]),
        (
            "اعتقال 83 شخصا في ست دول أفريقية",
            [("count", "83", "people"), ("count", "6", "countries")],
        ),
        ("مشاركة ما بين ألفين وثلاثة آلاف شخص", [("count", "between 2,000 and 3,000", "people")]),
        ("اعتقل ثلاثة عشر شخصا", []),  # 13, not 3
        ("أكثر من دولة", []),
        ("الذين هم دون الـ16", []),
    ],
)
def test_approximate_and_worded_counts_keep_their_qualifier(arabic, expected):
    assert figures_of(arabic) == expected


def article_of(arabic_sentences, english=None):
    english = english or [f"English {i}." for i in range(len(arabic_sentences))]
    return Article(
        id="t-1",
        source=Source(path="t.txt", sha256="0" * 64, encoding="utf-8"),
        headline=Sentence(ar="عنوان", en="Headline", paragraph=-1),
        sentences=[
            Sentence(ar=a, en=e, paragraph=i)
            for i, (a, e) in enumerate(zip(arabic_sentences, english, strict=True))
        ],
    )


STORY = [
    "اعتقلت الشرطة البلجيكية خمسة أشخاص بتهمة تمويل تنظيم داعش عبر حوالات صغيرة.",  # lead
    "وقالت النيابة إن المتهمين أرسلوا الأموال إلى مقاتلين في سوريا عبر وسطاء.",
    "وأضافت النيابة أن الأموال أرسلت عبر ويسترن يونيون إلى وسطاء في تركيا.",
    "وتمت المداهمات في بروكسل وأنتويرب فجر الثلاثاء.",
    "وقالت النيابة إن المتهمين أرسلوا الأموال إلى مقاتلين في سوريا عبر وسطاء.",  # repeat of 1
    "ويعقد المجلس البلدي اجتماعه الشهري الأسبوع المقبل لمناقشة الميزانية.",
    "وكان الطقس باردا في العاصمة.",
    "وقالت الشرطة إن التحقيق في تمويل تنظيم داعش مستمر وإن عدد الموقوفين قد يرتفع.",
]


def test_points_are_three_to_five_in_document_order_without_repeats():
    points = select_points(STORY)
    assert 3 <= len(points) <= 5 and points == sorted(points)
    vectors = sentence_vectors(STORY)
    assert all(
        cosine(vectors[a], vectors[b]) <= REDUNDANCY for a in points for b in points if a < b
    )
    assert not {1, 4} <= set(points)  # the repeated sentence is chosen at most once


def test_lead_bias_breaks_ties_between_equally_central_sentences():
    unrelated = [
        "اعتقلت الشرطة رجلين قرب الحدود.",
        "ارتفعت أسعار القمح هذا الشهر.",
        "فاز الفريق المحلي بالبطولة أمس.",
        "افتتح المتحف معرضا للخط العربي.",
        "هطلت أمطار غزيرة على الساحل.",
        "أطلقت الجامعة برنامجا لتعليم البرمجة.",
    ]
    assert select_points(unrelated) == [0, 1, 2]


def test_short_articles_give_every_sentence():
    assert select_points(STORY[:2]) == [0, 1]
    assert select_points([]) == []


def test_brief_uses_the_lead_for_the_bottom_line_and_english_for_the_points():
    english = [
        f"Sentence number {i} of the story in English, long enough to stand alone."
        for i in range(len(STORY))
    ]
    brief = build_brief(article_of(STORY, english))
    assert brief.bluf.startswith(english[0])
    assert english[0] not in brief.key_points
    assert all(point in english for point in brief.key_points)


def test_short_bottom_line_takes_the_next_sentence_too():
    english = [
        "Police arrested five.",
        "They sent money to fighters in Syria via middlemen, prosecutors said.",
    ]
    english += [
        f"Other sentence {i} of the story with enough words to be long."
        for i in range(len(STORY) - 2)
    ]
    brief = build_brief(article_of(STORY, english))
    assert brief.bluf == f"{english[0]} {english[1]}"


def test_figure_context_falls_back_to_the_english_sentence():
    english = "The operation identified $260 million in suspect funds held abroad by the network."
    article = article_of(["حددت العملية 260 مليون دولار من الأموال المشبوهة."], [english])
    (figure,) = build_brief(article).figures
    assert figure.value == "$260 million"
    assert figure.context == "The operation identified $260 million in suspect funds held abroad …"


def test_a_short_dateline_lead_is_not_the_bottom_line():
    story = ["بروكسل - خاص", *STORY]
    english = [
        "Brussels - special",
        *(
            f"Sentence {i} of the story in English, long enough to stand on its own."
            for i in range(8)
        ),
    ]
    assert build_brief(article_of(story, english)).bluf == english[1]


def test_entities_are_counted_by_english_name():
    from conftest import REPO

    matcher = Matcher(load_glossary(sorted((REPO / "glossaries").glob("*.tsv"))))
    article = article_of(
        ["قال إن داعش و«الدولة الإسلامية» استخدما تويتر.", "وحذف تويتر حسابات لداعش."]
    )
    for sentence in article.all_sentences():
        sentence.matches = matcher.find(sentence.ar)
    assert [(e.english, e.kind, e.count) for e in entities(article)] == [
        ("ISIS", "organization", 3),
        ("Twitter", "platform", 2),
    ]
