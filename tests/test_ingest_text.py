"""Normalization and sentence segmentation on hand-written Arabic."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.ingest.sentences import bullet_marker, split_sentences, strip_bullet
from toolkit.text import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("داعـــش", "داعش"),  # tatweel
        ("ﺩﺍﻋﺶ ﻭﺍﻟﻘﺎﻋﺪﺓ", "داعش والقاعدة"),  # presentation forms
        ("ﻷن", "لأن"),  # lam-alef ligature
        ("قتل ٤٠ شخصا و۱۲ جريحا", "قتل 40 شخصا و12 جريحا"),  # Eastern Arabic and Persian digits
        ("النسبة ١٢٫٥ في المائة و١٬٢٠٠ حساب", "النسبة 12.5 في المائة و1,200 حساب"),
        ("\u200fتويتر\u200e \u202bو\u202c\u200bفيسبوك", "تويتر وفيسبوك"),  # bidi and zero-width
        ("  قال \t\u00a0 المتحدث \n", "قال المتحدث"),
        ("\u0627\u0653", "\u0622"),  # NFC: alef + madda above → alef with madda
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "قال المتحدث إن الشرطة اعتقلت رجلين. وأضاف أن التحقيق مستمر! هل انتهى؟ لا؛ لم ينته",
            [
                "قال المتحدث إن الشرطة اعتقلت رجلين.",
                "وأضاف أن التحقيق مستمر!",
                "هل انتهى؟",
                "لا؛",
                "لم ينته",
            ],
        ),
        (
            "ارتفعت النسبة إلى 12.5 في المائة. ثم تراجعت",
            ["ارتفعت النسبة إلى 12.5 في المائة.", "ثم تراجعت"],
        ),
        (
            "وقع الهجوم في 13.08.2020 قرب الحدود. وقتل اثنان",
            ["وقع الهجوم في 13.08.2020 قرب الحدود.", "وقتل اثنان"],
        ),
        (
            "راجعوا https://example.org/a.html و info@example.org الآن. انتهى",
            ["راجعوا https://example.org/a.html و info@example.org الآن.", "انتهى"],
        ),
        ("انتشر وسم #داعش.تويتر سريعا. ثم حذف", ["انتشر وسم #داعش.تويتر سريعا.", "ثم حذف"]),
        ("التقى د. أحمد بالوزير. ثم غادر", ["التقى د. أحمد بالوزير.", "ثم غادر"]),
        ("داعش والبتكوين.. تحذيرات أوروبية", ["داعش والبتكوين.. تحذيرات أوروبية"]),
        ("انتظر... ثم قال … شيئا", ["انتظر... ثم قال … شيئا"]),
        ("وقال: «هذا خطر. نحن نعمل». ثم غادر.", ["وقال: «هذا خطر. نحن نعمل».", "ثم غادر."]),
        ("قال “انتهى الأمر. لا عودة” ثم صمت.", ["قال “انتهى الأمر. لا عودة” ثم صمت."]),
        ("1. البند الأول. 2. البند الثاني.", ["1. البند الأول.", "2. البند الثاني."]),
    ],
)
def test_split_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected


def test_a_long_sentence_with_only_commas_stays_one_sentence():
    clause = (
        "وقال المسؤول، الذي تحدث من بروكسل، إن ١٢٫٥ في المائة من التحويلات، وقيمتها ٤٠ ألف يورو"
    )
    sentence = "، ".join([clause] * 8) + "."
    assert len(sentence.split()) >= 120
    assert split_sentences(sentence) == [sentence]
    assert "12.5" in normalize(sentence) and "40 ألف" in normalize(sentence)


@pytest.mark.parametrize(
    "line", ["- تجميد الأصول.", "• تجميد الأصول.", "3) تجميد الأصول.", "2. تجميد الأصول."]
)
def test_bullet_markers_are_stripped_for_the_model(line):
    assert strip_bullet(line) == "تجميد الأصول."


@pytest.mark.parametrize(
    ("line", "marker"),
    [
        ("- تجميد الأصول.", "-"),
        ("• تجميد الأصول.", "-"),
        ("3) تجميد الأصول.", "3."),
        ("12. تجميد الأصول.", "12."),
        ("تجميد الأصول - نهائيا.", ""),
        ("2020. عام صعب", ""),  # a year, not an item number
    ],
)
def test_the_list_marker_is_kept_for_display(line, marker):
    assert bullet_marker(line) == marker


@given(st.text())
def test_segmentation_never_loses_a_character(paragraph):
    sentences = split_sentences(paragraph)
    assert "".join("".join(sentences).split()) == "".join(paragraph.split())
    assert all(sentence.strip() for sentence in sentences)
