"""toolkit.text: Arabic letters, normalize and fold, proclitic readings, stop words, stemming,
and the tf-idf vectors and cosine that key points and stories share."""

import ast
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from toolkit.text import arabic, vectors
from toolkit.text.arabic import (
    LETTER,
    PROCLITICS,
    SCRIPT_CHARACTER,
    SCRIPT_LETTER,
    fold,
    normalize,
    readings,
    stems,
    without_article,
    without_proclitic,
    words,
)

TOOLKIT = Path(arabic.__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("pattern", "char", "expected"),
    [
        (LETTER, "ء", True),
        (LETTER, "ي", True),
        (LETTER, "پ", False),  # Persian peh: not a letter of Arabic itself
        (LETTER, "\u064e", False),  # fatha
        (SCRIPT_LETTER, "پ", True),
        (SCRIPT_LETTER, "\u0750", True),  # Arabic Supplement
        (SCRIPT_LETTER, "\u064e", False),
        (SCRIPT_LETTER, "،", False),  # Arabic comma
        (SCRIPT_CHARACTER, "\ufefb", True),  # lam-alef ligature
        (SCRIPT_CHARACTER, "،", True),
        (SCRIPT_CHARACTER, "\ufeff", False),  # a BOM is not Arabic
        (SCRIPT_CHARACTER, "a", False),
    ],
)
def test_letter_classes(pattern, char, expected):
    assert bool(pattern.fullmatch(char)) is expected


def test_normalize_gives_the_spelling_the_model_sees():
    text = "\u200fﻻ  تـــراجع\u200c عن ٣٫٥ مليون، ۱۲\n"
    assert normalize(text) == "لا تراجع عن 3.5 مليون، 12"
    assert normalize(normalize(text)) == normalize(text)


def test_fold_unifies_the_spellings_words_are_compared_in():
    assert fold("أإآٱ") == "اااا"
    assert fold("مستشفى") == "مستشفي" and fold("ی") == "ي"
    assert fold("کتاب") == "كتاب"
    assert fold("الشرطة") == "الشرطه" and fold("ۀ") == "ه"
    assert fold("تَمْوِيلُ الـإرهاب\u200c") == "تمويل الارهاب"
    assert fold("ﻻ") == "لا"


def test_words_are_normalized_then_folded():
    assert words("والشرطةُ في الـرياض، Telegram ٣") == ["والشرطه", "في", "الرياض", "Telegram", "3"]


def test_readings_of_a_word_with_proclitics():
    found = readings(fold("وبالشرطة"))
    assert found[0] == ("", "وبالشرطه")
    assert ("و", "بالشرطه") in found and ("وبال", "شرطه") in found
    assert ("وب", "الشرطه") in found
    # ل before the article drops its alef: للإنتربول is ل + الإنتربول
    assert ("لل", "الانتربول") in readings(fold("للإنتربول"))
    # a word that opens with no proclitic letter has one reading
    assert readings("شرطه") == [("", "شرطه")]


def test_readings_leave_at_least_min_stem_letters():
    assert [stem for _, stem in readings("بكم", 3)] == ["بكم"]
    assert "كم" in [stem for _, stem in readings("بكم", 1)]
    assert stems("والشرطه", 3) == ["والشرطه", "الشرطه", "شرطه"]


def test_without_proclitic_takes_the_longest_one():
    assert without_proclitic("وبالشرطه", 3) == "شرطه"
    assert without_proclitic("وللشرطه", 3) == "شرطه"
    assert without_proclitic("ولد", 3) == "ولد"


def test_without_article_keeps_short_words():
    assert without_article("الرياض") == "رياض"
    assert without_article("الحب") == "الحب"  # two letters would be left


def test_one_proclitic_list_made_of_conjunctions_prepositions_and_the_article():
    assert len(set(PROCLITICS)) == len(PROCLITICS)
    assert all(re.fullmatch("[وف]?[بكل]?(ال)?|[وف]?لل", clitic) for clitic in PROCLITICS)
    assert all(clitic in PROCLITICS for clitic in arabic.LAM_BEFORE_ARTICLE)


def test_subsets_of_proclitics_elsewhere_are_drawn_from_the_one_list():
    from toolkit.archive.bench import CLITIC_DRAWS
    from toolkit.names.people import PROCLITICS as NAME_CLITICS
    from toolkit.names.places import PLACE_PROCLITICS

    assert {clitic for clitic in CLITIC_DRAWS if clitic} <= set(PROCLITICS)
    assert set(NAME_CLITICS) == {"و", "ف", "ب", "ك", "ل"}
    assert set(PLACE_PROCLITICS) <= set(PROCLITICS)


def test_stop_words_are_folded_and_apart():
    assert arabic.FUNCTION_WORDS and arabic.NEWS_WORDS
    assert not arabic.FUNCTION_WORDS & arabic.NEWS_WORDS
    for word in arabic.FUNCTION_WORDS | arabic.NEWS_WORDS:
        assert fold(word) == word
    assert fold("إلى") in arabic.FUNCTION_WORDS and fold("أعلنت") in arabic.NEWS_WORDS


def test_stem_folds_and_lowers():
    assert arabic.stem("Telegram") == "telegram"
    assert arabic.stem(fold("الإرهابيين")) == arabic.stem(fold("إرهابي")) == "ارهاب"
    assert arabic.stem(fold("اعتقلت")) == arabic.stem(fold("اعتقل"))
    assert fold(arabic.stem("منظمة")) == arabic.stem("منظمة")  # the stem comes back folded


def test_idf_counts_a_document_once_per_term():
    weights = vectors.idf([Counter({"a": 3, "b": 1}), Counter({"b": 2})])
    assert weights["a"] == pytest.approx(math.log(1 + 2 / 1))
    assert weights["b"] == pytest.approx(math.log(1 + 2 / 2))


def test_tfidf_weighs_counts_by_rarity():
    a, b = vectors.tfidf([Counter({"x": 2, "common": 1}), Counter({"common": 1})])
    assert a["x"] == pytest.approx(2 * math.log(3))
    assert a["common"] == b["common"] == pytest.approx(math.log(2))
    assert vectors.weigh({"new": 2.0}, {}, unknown=1.0) == {"new": 2.0}


def test_cosine():
    a, b = {"x": 1.0, "y": 2.0}, {"y": 4.0, "z": 3.0}
    assert vectors.cosine(a, a) == pytest.approx(1.0)
    assert vectors.cosine(a, {"z": 1.0}) == 0.0
    assert vectors.cosine(a, {}) == 0.0
    expected = 8 / (math.sqrt(5) * 5)
    assert vectors.cosine(a, b) == pytest.approx(expected)
    assert vectors.cosine(a, b, vectors.norm(a), vectors.norm(b)) == vectors.cosine(a, b)
    assert vectors.cosine(b, a) == pytest.approx(expected)


def test_text_is_a_bottom_layer():
    """toolkit.text imports nothing from the rest of the toolkit."""
    for path in (TOOLKIT / "text").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert not name.startswith("toolkit.") or name.startswith("toolkit.text"), (
                    f"{path.name} imports {name}"
                )


# an Arabic code point range written out, as a character class or a comparison
ARABIC_RANGE = re.compile(
    r"\\u0[67][0-9a-fA-F]{2}\s*-|\\u0[67][0-9a-fA-F]{2}\"\s*<=|\\uf[be][0-9a-fA-F]{2}-"
)


def test_arabic_ranges_are_written_in_toolkit_text_only():
    outside = sorted(
        str(path.relative_to(TOOLKIT))
        for path in TOOLKIT.rglob("*.py")
        if "text" not in path.relative_to(TOOLKIT).parts[:1]
        and ARABIC_RANGE.search(path.read_text(encoding="utf-8"))
    )
    assert outside == []


def test_a_lone_diacritic_is_no_word():
    assert words("قال َ الوزير") == ["قال", "الوزير"]


def test_stories_read_places_behind_every_proclitic_of_the_list():
    """The stories stage once had its own shorter list: وبمصر and ولليبيا named no place."""
    from toolkit.stories.features import places_in

    assert "Egypt" in places_in(words("وبمصر"))
    assert "Libya" in places_in(words("ولليبيا"))
    assert {"Riyadh", "Saudi Arabia"} <= set(places_in(words("فبالرياض")))


def test_names_read_places_behind_the_one_list():
    """The names stage once had its own list, without the article readings: الألمانية
    (ال + ألمانية, whose own first letters fold to ال) named no country."""
    from toolkit.names.places import countries, find_places

    def found(text):
        return [countries()[key].english for _, _, key in find_places(words(text))]

    assert found("قالت الشرطة الألمانية") == ["Germany"]
    assert found("والألمانية") == ["Germany"]
    assert found("بالمغرب") == ["Morocco"]
