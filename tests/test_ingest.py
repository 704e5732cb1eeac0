"""Readers, encodings, debris removal and multi-article split on hand-written samples."""

import codecs
import json
from collections import Counter

import pytest
from conftest import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.ingest import ingest_file
from toolkit.ingest.clean import clean_document
from toolkit.ingest.debris import default_rules
from toolkit.ingest.readers import RawDocument
from toolkit.text import normalize

ARTICLE = """أمن

الشرطة تفكك شبكة لتمويل داعش عبر الحوالات
الشرطة تفكك شبكة لتمويل داعش عبر الحوالات
TT
رجال أمن أمام مبنى المحكمة (أ ف ب)
رجال أمن أمام مبنى المحكمة (أ ف ب)
فريق التحرير | الاثنين 23 نوفمبر 2026
اعتقلت الشرطة خمسة أشخاص يشتبه في تحويلهم أموالا إلى مقاتلين في سوريا.
وقال المتحدث إن الشبكة استخدمت ويسترن يونيون. وأضاف أن التحقيق مستمر.
صورة لمقر الشرطة في العاصمة [محمد علي/رويترز]
  • تقرير: التجنيد عبر الألعاب الإلكترونية يتصاعد
- تجميد أصول بقيمة 1.2 مليون يورو.
الشرطة تفكك شبكة لتمويل داعش عبر الحوالات
اشترك في النشرة البريدية
هل أعجبك هذا المقال؟
العودة إلى الأعلى
"""
BODY = [
    "اعتقلت الشرطة خمسة أشخاص يشتبه في تحويلهم أموالا إلى مقاتلين في سوريا.",
    "وقال المتحدث إن الشبكة استخدمت ويسترن يونيون.",
    "وأضاف أن التحقيق مستمر.",
    "تجميد أصول بقيمة 1.2 مليون يورو.",
]


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return str(path)


def sentences(article):
    return [s.ar for s in article.sentences]


def test_debris_is_dropped_and_the_headline_kept_once(tmp_path):
    (article,) = ingest_file(write(tmp_path, "a.txt", ARTICLE)).articles
    assert article.headline.ar == "الشرطة تفكك شبكة لتمويل داعش عبر الحوالات"
    assert sentences(article) == BODY
    assert [s.paragraph for s in article.sentences] == [0, 1, 1, 2]
    assert Counter(article.dropped) == Counter(
        {
            "أمن": 1,
            "الشرطة تفكك شبكة لتمويل داعش عبر الحوالات": 2,
            "TT": 1,
            "رجال أمن أمام مبنى المحكمة (أ ف ب)": 2,
            "فريق التحرير | الاثنين 23 نوفمبر 2026": 1,
            "صورة لمقر الشرطة في العاصمة [محمد علي/رويترز]": 1,
            "• تقرير: التجنيد عبر الألعاب الإلكترونية يتصاعد": 1,
            "اشترك في النشرة البريدية": 1,
            "هل أعجبك هذا المقال؟": 1,
            "العودة إلى الأعلى": 1,
        }
    )


def test_a_caption_printed_twice_without_credit_is_dropped(tmp_path):
    text = "عنوان الخبر هنا\nمتظاهرون في الساحة\nمتظاهرون في الساحة\nخرج آلاف المتظاهرين أمس.\n"
    (article,) = ingest_file(write(tmp_path, "a.txt", text)).articles
    assert sentences(article) == ["خرج آلاف المتظاهرين أمس."]
    assert article.dropped == ["متظاهرون في الساحة"] * 2


def test_a_repeated_real_sentence_is_kept_once(tmp_path):
    text = "عنوان الخبر هنا\nقال الوزير إن القانون جاهز.\nقال الوزير إن القانون جاهز.\n"
    (article,) = ingest_file(write(tmp_path, "a.txt", text)).articles
    assert sentences(article) == ["قال الوزير إن القانون جاهز."]


def test_tiqs_in_the_middle_of_words_are_not_widgets(tmp_path):
    text = "تعليق حسابات داعش على تويتر\nقررت الشركة تعليق آلاف الحسابات.\nشارك مئات في الحملة.\n"
    (article,) = ingest_file(write(tmp_path, "a.txt", text)).articles
    assert article.headline.ar == "تعليق حسابات داعش على تويتر"
    assert sentences(article) == ["قررت الشركة تعليق آلاف الحسابات.", "شارك مئات في الحملة."]


SECOND = """حماس متهمة بتلقي تبرعات مشفرة
مقاتلون خلال عرض عسكري (رويترز)
TT
اتهمت السلطات ثلاث جمعيات بجمع تبرعات لحماس.
وقالت النيابة إن الأموال حولت بالبيتكوين.
"""


def test_back_to_back_articles_become_separate_articles(tmp_path):
    text = (
        ARTICLE
        + "\n\n\n"
        + SECOND
        + "\n\n"
        + "روسيا تحظر تطبيقا للمراسلة\nTT\nحظرت السلطات التطبيق أمس.\n"
    )
    result = ingest_file(write(tmp_path, "multi.txt", text))
    assert [a.id for a in result.articles] == ["multi-1", "multi-2", "multi-3"]
    assert [a.headline.ar for a in result.articles] == [
        "الشرطة تفكك شبكة لتمويل داعش عبر الحوالات",
        "حماس متهمة بتلقي تبرعات مشفرة",
        "روسيا تحظر تطبيقا للمراسلة",
    ]
    assert sentences(result.articles[0]) == BODY
    assert sentences(result.articles[1]) == [
        "اتهمت السلطات ثلاث جمعيات بجمع تبرعات لحماس.",
        "وقالت النيابة إن الأموال حولت بالبيتكوين.",
    ]


def test_header_block_without_gap_splits_too(tmp_path):
    text = "عنوان أول للخبر\nجملة أولى في الخبر الأول.\n" + SECOND
    result = ingest_file(write(tmp_path, "m.txt", text))
    assert [a.headline.ar for a in result.articles] == [
        "عنوان أول للخبر",
        "حماس متهمة بتلقي تبرعات مشفرة",
    ]


def test_headline_block_printed_after_the_text_stays_with_it(tmp_path):
    text = (
        "انطلقت أمس اجتماعات وزراء الداخلية الأوروبيين في بروكسل.\n"
        "وقال دبلوماسي إن التعاون مع الشركات حيوي.\n"
        "الشركات تشارك في مواجهة الدعاية المتطرفة\n"
        "وزراء أوروبا يبحثون مع الشركات مواجهة الدعاية\n"
        "الشركات تشارك في مواجهة الدعاية المتطرفة\n"
    )
    (article,) = ingest_file(write(tmp_path, "late.txt", text)).articles
    assert article.headline.ar == "الشركات تشارك في مواجهة الدعاية المتطرفة"
    assert sentences(article)[:2] == [
        "انطلقت أمس اجتماعات وزراء الداخلية الأوروبيين في بروكسل.",
        "وقال دبلوماسي إن التعاون مع الشركات حيوي.",
    ]


def test_paragraphs_separated_by_double_blank_lines_are_not_new_articles(tmp_path):
    text = "عنوان الخبر هنا\n\nجملة أولى.\n\n\nوجملة ثانية.\n\n\nوجملة ثالثة.\n"
    (article,) = ingest_file(write(tmp_path, "a.txt", text)).articles
    assert sentences(article) == ["جملة أولى.", "وجملة ثانية.", "وجملة ثالثة."]


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [("cp1256", b"", "cp1256"), ("utf-16", b"", "utf-16"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig")],
)
def test_encodings(tmp_path, encoding, prefix, expected):
    text = "عنوان الخبر هنا\nقالت الشرطة إن 3 رجال اعتقلوا.\n"
    path = write(tmp_path, "a.txt", prefix + text.encode(encoding))
    result = ingest_file(path)
    assert result.encoding == expected
    assert sentences(result.articles[0]) == ["قالت الشرطة إن 3 رجال اعتقلوا."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\n \n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary file"),
        ("TT\nاشترك في النشرة البريدية\nالعودة إلى الأعلى\n".encode(), "no article text"),
    ],
)
def test_unusable_files_are_errors_naming_the_file(tmp_path, content, message):
    path = write(tmp_path, "bad.txt", content)
    with pytest.raises(InputError, match=f"^{path}: {message}"):
        ingest_file(path)
    result = invoke("ingest", path)
    assert result.exit_code == 1 and path in result.stderr and result.stderr.count("\n") == 1


def test_presentation_forms_reach_the_model_as_base_letters(tmp_path):
    (article,) = ingest_file(
        write(tmp_path, "a.txt", "ﻋﻨﻮﺍﻥ ﺍﻟﺨﺒﺮ\nﺍﻋﺘﻘﻠﺖ ﺍﻟﺸﺮﻃﺔ ﺭﺟﻠﻴﻦ.\n")
    ).articles
    assert article.headline.ar == "عنوان الخبر"
    assert sentences(article) == ["اعتقلت الشرطة رجلين."]


def test_markdown(tmp_path):
    text = (
        "# الشرطة تفكك شبكة تمويل\n\n![صورة](a.png)\n\nاعتقلت **الشرطة** خمسة أشخاص\nفي [بروكسل](https://x.org).\n\n"
        "- تجميد الأصول.\n- ترحيل اثنين.\n\n```\ncode\n```\n"
    )
    (article,) = ingest_file(write(tmp_path, "a.md", text)).articles
    assert article.headline.ar == "الشرطة تفكك شبكة تمويل"
    assert sentences(article) == [
        "اعتقلت الشرطة خمسة أشخاص في بروكسل.",
        "تجميد الأصول.",
        "ترحيل اثنين.",
    ]


def test_html_keeps_article_text_only(tmp_path):
    html = """<html><head><title>موقع الأخبار</title><style>p{color:red}</style>
    <script>var x = "لا تترجمني";</script></head><body>
    <nav><a href="/">الرئيسية</a> <a href="/x">أخبار العالم اليوم</a></nav>
    <article><h1>حظر قنوات على تيليغرام</h1>
    <figure><img src=a.jpg><figcaption>شعار التطبيق</figcaption></figure>
    <p>أعلنت يوروبول إغلاق &laquo;آلاف&raquo; القنوات.</p>
    <p>وقالت إن الحملة استمرت ثلاثة أيام.</p></article>
    <article><h1>غرامة على شركة غوغل</h1><p>فرضت روسيا غرامة على الشركة.</p></article>
    <footer>جميع الحقوق محفوظة للموقع 2026</footer></body></html>"""
    result = ingest_file(write(tmp_path, "page.html", html))
    assert [a.headline.ar for a in result.articles] == [
        "حظر قنوات على تيليغرام",
        "غرامة على شركة غوغل",
    ]
    assert sentences(result.articles[0]) == [
        "أعلنت يوروبول إغلاق «آلاف» القنوات.",
        "وقالت إن الحملة استمرت ثلاثة أيام.",
    ]
    assert sentences(result.articles[1]) == ["فرضت روسيا غرامة على الشركة."]


def test_json_and_jsonl(tmp_path):
    items = [
        {
            "title": "غرامة على غوغل",
            "text": "فرضت روسيا غرامة.\nوقالت الشركة إنها ستطعن.",
            "url": "https://x.org/1",
            "date": "2026-11-20",
            "source": "al-ain",
        },
        {"headline": "حظر تطبيق", "body": "حظرت السلطات التطبيق.", "outlet": " "},
    ]
    result = ingest_file(write(tmp_path, "a.json", json.dumps(items, ensure_ascii=False)))
    assert [a.headline.ar for a in result.articles] == ["غرامة على غوغل", "حظر تطبيق"]
    assert (
        result.articles[0].source.url == "https://x.org/1"
        and result.articles[0].source.date == "2026-11-20"
        and result.articles[0].source.outlet == "al-ain"
    )
    assert result.articles[1].source.outlet is None
    assert sentences(result.articles[0]) == ["فرضت روسيا غرامة.", "وقالت الشركة إنها ستطعن."]

    lines = "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    assert len(ingest_file(write(tmp_path, "a.jsonl", lines)).articles) == 2
    broken = ingest_file(write(tmp_path, "b.jsonl", lines + '\n{"title": "x"}\n'))
    assert len(broken.articles) == 2  # the bad record is named, the good ones kept
    assert [str(p) for p in broken.problems] == [
        f"{tmp_path}/b.jsonl:3: no 'text' or 'body' string"
    ]
    with pytest.raises(InputError, match=r"c\.json:1: invalid JSON"):
        ingest_file(write(tmp_path, "c.json", "{nope"))


def test_ingest_json_follows_the_contract(tmp_path):
    path = write(tmp_path, "a.txt", ARTICLE)
    result = invoke("ingest", path, "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["source"] == path and document["encoding"] == "utf-8"
    (article,) = document["articles"]
    assert set(article) == {"id", "headline", "paragraphs", "bullets", "dropped"}
    assert article["paragraphs"] == [[BODY[0]], BODY[1:3], [BODY[3]]]
    assert article["bullets"] == ["", "", "-"]  # "- تجميد أصول…" is a list item
    assert "TT" in article["dropped"]
    human = invoke("ingest", path)
    assert "dropped: TT" in human.stdout and BODY[0] in human.stdout


arabic_lines = st.lists(
    st.one_of(
        st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي «»().،؟! 0123456789٠١٢٣ـ", max_size=60),
        st.sampled_from(
            ["TT", "", "", "اشترك في النشرة البريدية", "صورة (رويترز)", "عنوان قصير هنا"]
        ),
        st.text(max_size=30),
    ),
    max_size=25,
)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(arabic_lines)
def test_cleaning_puts_every_line_somewhere_exactly_once(lines):
    articles = clean_document(RawDocument(lines=lines, may_hold_several=True), default_rules())
    placed = [
        line
        for a in articles
        for line in ([a.headline] if a.headline else []) + a.paragraphs + a.dropped
    ]
    # a line of only tatweel, bidi or zero-width marks normalizes to nothing: it is blank
    visible = [line.strip() for line in lines if normalize(line)]
    assert Counter(placed) == Counter(visible)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text())
def test_ingest_never_crashes_on_arbitrary_unicode(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("h") / "a.txt"
    path.write_bytes(text.encode("utf-8", errors="replace"))  # lone surrogates → ?
    try:
        result = ingest_file(str(path))
    except InputError:
        return
    assert result.articles and all(a.headline.ar or a.sentences for a in result.articles)
