import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.ingest import ingest_file
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


QUOTE = "وأضاف المتحدث: «يوضح هذا الخطر الكبير. ويوضح أيضا الحاجة إلى التعاون. نحن نحرز تقدما»."


def balanced(piece: str) -> bool:
    return piece.count("«") == piece.count("»") and piece.count("“") == piece.count("”")


def test_a_quotation_of_several_sentences_reaches_the_model_one_sentence_at_a_time():
    pieces = split_for_model(QUOTE, words, 256)
    assert pieces == [
        "وأضاف المتحدث: «يوضح هذا الخطر الكبير.»",
        "«ويوضح أيضا الحاجة إلى التعاون.»",
        "«نحن نحرز تقدما».",
    ]
    assert all(balanced(piece) for piece in pieces)


@pytest.mark.parametrize(
    "text",
    [
        "قال إن «داعش استغل فراغ القوة» في سوريا.",  # one quoted sentence
        "قال د. أحمد إن «النسبة 12.5 في المائة» فقط.",  # no sentence end inside
        "وصفها بأنها «قتل شنيع للغاية» أعقب «شجارا بين مجموعتين».",
    ],
)
def test_a_quotation_of_one_sentence_is_left_whole(text):
    assert split_for_model(text, words, 256) == [text]


def test_text_after_the_quotation_stays_with_its_last_sentence():
    text = "قال: “هذا أول. وهذا ثان” ثم غادر، وقال «واحد. اثنان»"
    assert split_for_model(text, words, 256) == [
        "قال: “هذا أول.”",
        "“وهذا ثان” ثم غادر، وقال «واحد.»",
        "«اثنان»",
    ]


def test_the_spokesmans_statement_in_the_seed_is_split_for_the_model_only(shared_articles):
    (path,) = shared_articles.glob("000_*")
    (article,) = ingest_file(str(path)).articles
    (sentence,) = [s for s in article.sentences if "وأضاف المتحدث" in s.ar]
    assert sentence.ar.count(".") >= 4  # one sentence for display: the quotation is inside
    pieces = split_for_model(sentence.ar, words, 256)
    assert len(pieces) == 5
    assert all(balanced(piece) for piece in pieces)
    assert all(words(piece) <= 40 for piece in pieces)
    unquoted = " ".join(pieces).replace("«", "").replace("»", "")
    assert unquoted.split() == sentence.ar.replace("«", "").replace("»", "").split()


def test_the_engine_decodes_each_quoted_sentence_and_joins_them(engine):
    (translation,) = engine.translate([QUOTE])
    assert len(translation.segments) == 3
    assert translation.text == " ".join(segment.best.text for segment in translation.segments)
