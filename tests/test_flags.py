import pytest

from toolkit.translate.flags import repetition, sentence_flags, untranslated


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


def test_flags_come_in_a_fixed_order():
    assert sentence_flags("the the the the بيان بيان", truncated=True) == [
        "truncated",
        "untranslated",
        "repetition",
    ]
    assert sentence_flags("Police arrested three men.", truncated=False) == []
