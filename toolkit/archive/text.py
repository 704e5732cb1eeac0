"""Arabic text as the archive indexes and searches it.

Each Arabic word is folded (toolkit.text.arabic.fold) and indexed under every reading the
glossary matcher accepts (toolkit.text.arabic.readings): the word itself and the word
without each proclitic it may carry (و ف ب ك ل, ال, وال, بال, لل …), when at least three
letters are left. A query word is looked up under its readings too, so والشرطة, الشرطة and
شرطة find one another.
"""

from toolkit.text.arabic import MIN_STEM, stems, words


def readings(word: str) -> list[str]:
    """A folded word and its stems without a proclitic, the word itself first."""
    return stems(word, MIN_STEM)


def index_text(text: str) -> str:
    """What the archive's full-text index holds for an Arabic sentence (its ar_normalized)."""
    return " ".join(reading for word in words(text) for reading in readings(word))
