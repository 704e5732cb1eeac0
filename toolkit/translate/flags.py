"""Quality flags for one translated sentence. Every threshold lives in `Thresholds`.

truncated     the hypothesis reached max_decoding_length
untranslated  Arabic script left in the English (copy-through)
repetition    an n-gram repeated back to back (a decoding loop)
length        English/Arabic word ratio outside a sane band (Arabic attaches clitics, so
              English usually has 1.1–1.6× the words)
low_score     mean log-probability per token below a floor
glossary      a matched term's canonical English is missing (set by the glossary check)
not-text      not translated: not language (a blob, base64, one thing repeated; set before decoding)
"""

import re
from dataclasses import dataclass

from toolkit.text.arabic import SCRIPT_LETTER

LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Thresholds:
    # untranslated: share of the output's letters that are Arabic script (copy-through)
    untranslated_share: float = 0.1
    # repetition: an n-gram (n ≤ max_ngram words) repeated back to back this many times;
    # single words need one more copy, since "that that" and "had had" are real English
    repeat_copies: int = 3
    repeat_max_ngram: int = 4
    # length: English words / Arabic words, checked when the source has enough words
    length_min_ratio: float = 0.5
    length_max_ratio: float = 3.0
    length_min_source_words: int = 4
    # low_score: CTranslate2's length-normalized log-probability per target token
    low_score: float = -1.5


THRESHOLDS = Thresholds()


def untranslated(english: str, thresholds: Thresholds = THRESHOLDS) -> bool:
    letters = LETTER.findall(english)
    if not letters:
        return False
    arabic = sum(1 for letter in letters if SCRIPT_LETTER.match(letter))
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


def bad_length(arabic: str, english: str, thresholds: Thresholds = THRESHOLDS) -> bool:
    source_words = len(arabic.split())
    if source_words < thresholds.length_min_source_words:
        return False
    ratio = len(english.split()) / source_words
    return not thresholds.length_min_ratio <= ratio <= thresholds.length_max_ratio


def low_score(score: float | None, thresholds: Thresholds = THRESHOLDS) -> bool:
    return score is not None and score < thresholds.low_score


def sentence_flags(
    arabic: str,
    english: str,
    score: float | None,
    truncated: bool,
    thresholds: Thresholds = THRESHOLDS,
) -> list[str]:
    """The flags of one sentence, in a fixed order (the glossary check may add `glossary`)."""
    checks = {
        "truncated": truncated,
        "untranslated": untranslated(english, thresholds),
        "repetition": repetition(english, thresholds),
        "length": bad_length(arabic, english, thresholds),
        "low_score": low_score(score, thresholds),
    }
    return [name for name, raised in checks.items() if raised]
