from hypothesis import given
from hypothesis import strategies as st

from toolkit.translate.segment import split_for_model


def words(text: str) -> int:
    return len(text.split())


def test_short_text_is_left_whole():
    assert split_for_model("قال المسؤول إن التحقيق مستمر", words, 10) == [
        "قال المسؤول إن التحقيق مستمر"
    ]


def test_prefers_arabic_comma_over_conjunction_and_spaces():
    text = "أ ب ج وقال د، هـ و ز ح"
    assert split_for_model(text, words, 5) == ["أ ب ج وقال د،", "هـ و ز ح"]


def test_falls_back_to_conjunction_then_to_words():
    assert split_for_model("أ ب ج ود هـ ز", words, 3) == ["أ ب ج", "ود هـ ز"]
    assert split_for_model("أ ب ج د هـ ز ح", words, 3) == ["أ ب ج", "د هـ ز", "ح"]


def test_packs_small_clauses_back_up_to_the_limit():
    text = "أ، ب، ج، د، هـ، ز"
    assert split_for_model(text, words, 3) == ["أ، ب، ج،", "د، هـ، ز"]


def test_an_overlong_single_word_is_cut_by_characters():
    pieces = split_for_model("x" * 25, len, 10)
    assert pieces == ["x" * 10, "x" * 10, "x" * 5]


arabic_words = st.lists(
    st.sampled_from(["قال", "وقال", "الشرطة،", "داعش؛", "و", "تمويل", "12.5", "أن"]),
    min_size=1,
    max_size=300,
)


@given(arabic_words, st.integers(min_value=1, max_value=40))
def test_pieces_respect_the_limit_and_keep_every_word(tokens, limit):
    text = " ".join(tokens)
    pieces = split_for_model(text, words, limit)
    assert all(words(piece) <= limit for piece in pieces)
    assert " ".join(pieces).split() == text.split()
