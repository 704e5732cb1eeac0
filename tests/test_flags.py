import pytest

from toolkit.translate.flags import (
    THRESHOLDS,
    bad_length,
    low_score,
    repetition,
    sentence_flags,
    untranslated,
)

ARABIC = "اعتقلت الشرطة خمسة أشخاص يشتبه في تمويلهم تنظيم داعش عبر حوالات صغيرة"  # 12 words


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("Police arrested three men in Brussels.", False),
        ("The group, known in Arabic as داعش, claimed the attack.", False),  # one name kept
        ("Police arrested الرجال الثلاثة المشتبه بهم في بروكسل yesterday.", True),
        ("قال المسؤول إن التحقيق مستمر", True),
        ("", False),
    ],
)
def test_untranslated(english, expected):
    assert untranslated(english) is expected


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("He said that that was not true.", False),
        ("The money had had no clear source.", False),
        ("the the the the money", True),
        ("of the state of the state of the state", True),
        ("Twitter, Facebook and YouTube removed the accounts.", False),
        ("in Syria, in Iraq and in Libya", False),
    ],
)
def test_repetition(english, expected):
    assert repetition(english) is expected


@pytest.mark.parametrize(
    ("arabic", "english", "expected"),
    [
        (
            ARABIC,
            "Police arrested five people suspected of financing ISIS through small transfers.",
            False,
        ),
        (ARABIC, "Police.", True),  # far too short
        (ARABIC, " ".join(["word"] * 40), True),  # far too long
        ("قال ذلك", "He said so.", False),  # short sources are not judged
    ],
)
def test_length(arabic, english, expected):
    assert bad_length(arabic, english) is expected


@pytest.mark.parametrize(
    ("score", "expected"),
    [(-0.3, False), (THRESHOLDS.low_score, False), (-2.7, True), (None, False)],
)
def test_low_score(score, expected):
    assert low_score(score) is expected


def test_flags_come_in_a_fixed_order():
    assert sentence_flags(ARABIC, "the the the the بيان", -3.0, truncated=True) == [
        "truncated",
        "untranslated",
        "repetition",
        "length",
        "low_score",
    ]
    english = "Police arrested five people suspected of financing ISIS through small transfers."
    assert sentence_flags(ARABIC, english, -0.4, truncated=False) == []
