"""Arabic text as the archive indexes and searches it.

Each Arabic word is folded the way the glossary matcher folds text (presentation forms,
diacritics and tatweel removed, أ إ آ ٱ → ا, ى → ي, ة → ه) and indexed under every reading
the matcher accepts: the word itself and the word without each proclitic it may carry
(و ف ب ك ل, ال, وال, بال, لل …), when at least three letters are left. A query word is looked
up under its readings too, so والشرطة, الشرطة and شرطة find one another.
"""

from toolkit.glossary.matcher import (
    ARTICLE,
    ARTICLE_PROCLITICS,
    LAM_BEFORE_ARTICLE,
    PLAIN_PROCLITICS,
    WORD,
    fold,
)
from toolkit.ingest.normalize import normalize

MIN_STEM = 3
CLITIC_STARTS = frozenset(clitic[0] for clitic in PLAIN_PROCLITICS + ARTICLE_PROCLITICS)


def is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


def readings(word: str) -> list[str]:
    """A folded word and its stems without a proclitic, the word itself first."""
    found = [word]
    if not word or word[0] not in CLITIC_STARTS:
        return found
    for clitic in PLAIN_PROCLITICS + ARTICLE_PROCLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= MIN_STEM:
            found.append(word[len(clitic) :])
    for clitic in LAM_BEFORE_ARTICLE:
        if word.startswith(clitic) and len(word) - len(clitic) >= MIN_STEM:
            found.append(ARTICLE + word[len(clitic) :])
    return list(dict.fromkeys(found))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [fold(match.group()) for match in WORD.finditer(normalize(text))]


def index_text(text: str) -> str:
    """What the archive's full-text index holds for an Arabic sentence (its ar_normalized)."""
    return " ".join(reading for word in words(text) for reading in readings(word))
