"""Ingest on the five real articles in ../shared/articles (skipped when absent)."""

import re

import pytest

from toolkit.ingest import ingest_file
from toolkit.text import normalize

EXPECTED_HEADLINES = {
    "000": ["اسكتلنديارد تبحث إغواء متطرفين لمراهقات بريطانيات بالسفر إلى «داعش»"],
    "001": ["داعش والبتكوين.. تحذيرات أوروبية من التمويل الخفي للإرهاب"],
    "002": [
        "40 ألف حساب لداعمي «داعش» على «تويتر»",
        "فرنسا: اتهام 5 أشخاص بتمويل حركة «حماس»",
        "مسيرة تكريما لناشط يميني فرنسي قتل في ليون واستنفار لضبط الأمن",
        "روسيا: «تلغرام» يهدد حياة العسكريين بمنطقة «العملية العسكرية الخاصة»",
    ],
    "003": ["تويتر وفيسبوك وغوغل ومايكروسوفت تشارك في مواجهة خطر «داعش»"],
    "004": ["كيف يموّل داعش الإرهاب الجزء الثاني: استهداف مصادر تمويل التنظيم"],
}
# Furniture seen in these pages; none of it may reach a sentence.
FURNITURE = [
    r"^TT$",
    r"^أمن$",
    r"فريق الفاصل",
    r"اترك تعليق",
    r"الذهاب إلى الأعلى",
    r"هل أعجبك",
    r"بشأن التعليقات",
    r"يرجى إدخال",
    r"لم تشترك",
    r"انشئ حساب",
    r"صيد ثمين",
    r"\((رويترز|غيتي|أرشيفية- رويترز)\)$",
    r"وكالة الصحافة الفرنسية\]$",
]


def strip_marks(text: str) -> str:
    return re.sub(r"[\u064b-\u0652]", "", text)  # headlines compared without diacritics


def ingested(shared_articles):
    return {
        path.name[:3]: (path, ingest_file(str(path))) for path in sorted(shared_articles.iterdir())
    }


def test_articles_and_headlines(shared_articles):
    for key, (_path, result) in ingested(shared_articles).items():
        assert [strip_marks(a.headline.ar) for a in result.articles] == [
            strip_marks(h) for h in EXPECTED_HEADLINES[key]
        ], key
        assert [a.id for a in result.articles] == [
            f"{_path.stem}-{n}" for n in range(1, len(result.articles) + 1)
        ]


def test_no_furniture_survives_and_headline_appears_once(shared_articles):
    for key, (_path, result) in ingested(shared_articles).items():
        for article in result.articles:
            texts = [s.ar for s in article.sentences]
            for pattern in FURNITURE:
                assert not any(re.search(pattern, text) for text in texts), (key, pattern)
            assert article.headline.ar not in texts, key
            assert len(set(texts)) == len(texts), key  # no caption or line twice


def test_no_real_sentence_is_dropped(shared_articles):
    """Every line that is neither dropped nor a headline is found in some sentence."""
    for key, (path, result) in ingested(shared_articles).items():
        dropped = {normalize(line) for a in result.articles for line in a.dropped}
        headlines = {a.headline.ar for a in result.articles}
        text = " ".join(s.ar for a in result.articles for s in a.sentences)
        lines = [normalize(line) for line in path.read_text(encoding="utf-8").splitlines()]
        missing = [
            line
            for line in lines
            if line
            and line not in dropped | headlines
            and re.sub(r"^(?:[-•]\s+)", "", line) not in text
        ]
        assert missing == [], key


@pytest.mark.parametrize("key", ["000", "001", "003", "004"])
def test_sentence_counts_are_sane(shared_articles, key):
    _path, result = ingested(shared_articles)[key]
    (article,) = result.articles
    assert len(article.sentences) >= len(article.paragraphs) >= 9
    assert all(len(s.ar.split()) >= 2 for s in article.sentences)
