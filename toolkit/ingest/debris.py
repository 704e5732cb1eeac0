"""Which lines of a web page are furniture rather than article text.

Structural rules are code (marker lines such as `TT`, lone section labels, repeats, related
links); the vocabulary of widgets, bylines, photo credits and abbreviations is data
(toolkit/data/debris.tsv), so that users extend it without touching code.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.tsv import read_tsv
from toolkit.text.arabic import LETTER

TERMINAL = ".!?؟؛…:"
CREDIT_TAIL = re.compile(r"[(\[]([^()\[\]]{1,60})[)\]]\s*$")
INDENTED_BULLET = re.compile(r"^\s+[•●▪◦]\s*")
WIDGET_MAX_WORDS = 20
BYLINE_MAX_WORDS = 12
LABEL_MAX_WORDS = 1  # "أمن", "أخبار"; two words may already be a headline
MARKER_MAX_CHARS = 4


@dataclass
class DebrisRules:
    widget: list[re.Pattern] = field(default_factory=list)
    byline: list[re.Pattern] = field(default_factory=list)
    credit: list[re.Pattern] = field(default_factory=list)
    abbreviation: list[re.Pattern] = field(default_factory=list)

    def abbreviation_before_dot(self, word: str) -> bool:
        return any(pattern.fullmatch(word) for pattern in self.abbreviation)


def load_rules(path: Path) -> DebrisRules:
    rules = DebrisRules()
    kinds = {"widget", "byline", "credit", "abbreviation"}
    for row in read_tsv(path, skip_header="kind\t").check():
        kind, pattern = (*row.cells, "")[:2]
        if kind not in kinds or not pattern:
            raise ConfigError(
                f"{row.where}: expected 'kind<TAB>pattern' with kind in {sorted(kinds)}"
            )
        try:
            getattr(rules, kind).append(re.compile(pattern))
        except re.error as error:
            raise ConfigError(f"{row.where}: bad pattern ({error})") from error
    return rules


@cache
def default_rules() -> DebrisRules:
    return load_rules(Path(str(resources.files("toolkit") / "data" / "debris.tsv")))


def ends_like_sentence(text: str) -> bool:
    return text.rstrip("»”\"')] ").endswith(tuple(TERMINAL))


def is_headline_like(text: str) -> bool:
    """Short, with letters, and without the final punctuation of a sentence."""
    return (
        2 <= len(text.split()) <= 25 and not ends_like_sentence(text) and bool(LETTER.search(text))
    )


def line_debris(raw: str, text: str, rules: DebrisRules) -> str | None:
    """Why this single line is debris (a short reason), or None. `text` is `raw` normalized."""
    words = len(text.split())
    if not LETTER.search(text) and len(text) <= MARKER_MAX_CHARS:
        return "marker"
    if words <= WIDGET_MAX_WORDS and any(p.search(text) for p in rules.widget):
        return "widget"
    if words <= BYLINE_MAX_WORDS and any(p.search(text) for p in rules.byline):
        return "byline"
    credit = CREDIT_TAIL.search(text)
    if credit and any(p.search(credit.group(1)) for p in rules.credit):
        return "caption"
    if INDENTED_BULLET.match(raw) and not ends_like_sentence(text) and words <= WIDGET_MAX_WORDS:
        return "related-link"
    if (
        words <= LABEL_MAX_WORDS
        and not ends_like_sentence(text)
        and not any(c.isdigit() for c in text)
    ):
        return "label"
    return None
