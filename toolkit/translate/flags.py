"""Quality flags for one translated sentence. Every threshold lives in `Thresholds`."""

import re
from dataclasses import dataclass

ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u0750-\u077f]")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Thresholds:
    # untranslated: share of the output's letters that are Arabic script (copy-through)
    untranslated_share: float = 0.1
    # repetition: an n-gram (n ≤ max_ngram words) repeated back to back this many times;
    # single words need one more copy, since "that that" and "had had" are real English
    repeat_copies: int = 3
    repeat_max_ngram: int = 4


THRESHOLDS = Thresholds()


def untranslated(english: str, thresholds: Thresholds = THRESHOLDS) -> bool:
    letters = LETTER.findall(english)
    if not letters:
        return False
    arabic = sum(1 for letter in letters if ARABIC_LETTER.match(letter))
    return arabic / len(letters) >= thresholds.untranslated_share


def repetition(english: str, thresholds: Thresholds = THRESHOLDS) -> bool:
    words = re.findall(r"\w+", english.lower())
    for n in range(1, thresholds.repeat_max_ngram + 1):
        copies = thresholds.repeat_copies + (1 if n == 1 else 0)
        span = n * copies
        for start in range(len(words) - span + 1):
            gram = words[start : start + n]
            if all(words[start + k * n : start + (k + 1) * n] == gram for k in range(1, copies)):
                return True
    return False


def sentence_flags(english: str, truncated: bool, thresholds: Thresholds = THRESHOLDS) -> list[str]:
    """The flags of one sentence, in a fixed order."""
    flags = []
    if truncated:
        flags.append("truncated")
    if untranslated(english, thresholds):
        flags.append("untranslated")
    if repetition(english, thresholds):
        flags.append("repetition")
    return flags
