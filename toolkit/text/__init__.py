"""Text of the source language: letters, normalize and fold, words, proclitic readings, stop
words, stemming (toolkit.text.arabic), and tf-idf vectors with their cosine
(toolkit.text.vectors).

A bottom layer: it imports nothing from the rest of the toolkit. Everything specific to
Arabic lives in toolkit.text.arabic, so that a second source language is a sibling module.
"""

from toolkit.text.arabic import (
    WORD,
    arabic_share,
    fold,
    has_arabic,
    normalize,
    readings,
    stem,
    stems,
    words,
)
from toolkit.text.vectors import cosine, idf, norm, tfidf, weigh

__all__ = [
    "WORD",
    "arabic_share",
    "cosine",
    "fold",
    "has_arabic",
    "idf",
    "norm",
    "normalize",
    "readings",
    "stem",
    "stems",
    "tfidf",
    "weigh",
    "words",
]
