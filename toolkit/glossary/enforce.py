"""Making the model say the glossary's English, and checking that it did.

CTranslate2 has no lexical constraints, so enforcement works around the decoder:

- inject      the English name replaces the Arabic in the source (Marian copies Latin-script
              names through); proclitic letters stay, detached: «لداعش» → «ل ISIS»
- placeholder the term becomes a token like TERM1 that the model copies; put back after
- rerank      decode an n-best list and keep the hypothesis with the most required terms
              (ties keep the decoder's order)
- suppress    CTranslate2's suppress_sequences forbids the listed English variants
- post-edit   listed variants in the output (Daesh, ISIL, "the Islamic State"…) are
              rewritten to the canonical name, only for terms matched in the source

Whatever the strategy, `verify` then checks each matched term's canonical English is in the
output; a miss flags the sentence (`glossary`).
"""

import re
from dataclasses import dataclass

from toolkit.document import TermCheck
from toolkit.glossary.entries import Glossary
from toolkit.glossary.matcher import TermMatch
from toolkit.text import normalize

PLACEHOLDER = "TERM{}"


@dataclass(frozen=True)
class Enforcement:
    """One named combination of strategies (see module docstring)."""

    name: str
    inject: bool = False
    placeholder: bool = False
    rerank: int = 1  # n-best size; 1 = off
    suppress: bool = False
    post_edit: bool = False


STRATEGIES = {
    s.name: s
    for s in (
        Enforcement("none"),
        Enforcement("post-edit", post_edit=True),
        Enforcement("inject", inject=True, post_edit=True),
        Enforcement("placeholder", placeholder=True, post_edit=True),
        Enforcement("rerank", rerank=4, post_edit=True),
        Enforcement("suppress", suppress=True, post_edit=True),
        Enforcement("combined", inject=True, rerank=4, suppress=True, post_edit=True),
    )
}
DEFAULT_STRATEGY = "combined"


def whole_phrase(phrase: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", re.IGNORECASE)


def kept_clitic(clitic: str) -> str:
    """The proclitic letters kept before an injected name: the article goes (وال → و, لل → ل)."""
    if clitic.endswith("ال"):
        return clitic[:-2]
    if clitic.endswith("لل"):
        return clitic[:-1]
    return clitic


def prepare_source(original: str, matches: list[TermMatch], strategy: Enforcement) -> str:
    """The text the model is given: terms replaced by English or placeholders, normalized."""
    if not (strategy.inject or strategy.placeholder) or not matches:
        return normalize(original)
    pieces, position = [], 0
    for number, match in enumerate(matches, 1):
        name = PLACEHOLDER.format(number) if strategy.placeholder else match.entry.english
        clitic = kept_clitic(match.proclitic)
        quoted = f"«{name}»" if match.quoted else name
        pieces += [original[position : match.start], f"{clitic} {quoted}" if clitic else quoted]
        position = match.end
    pieces.append(original[position:])
    return normalize("".join(pieces))


def restore_placeholders(english: str, matches: list[TermMatch]) -> str:
    for number, match in enumerate(matches, 1):
        english = re.sub(rf"(?i)\bTERM\s*{number}\b", match.entry.english, english)
    return english


def post_edit(english: str, matches: list[TermMatch], glossary: Glossary) -> str:
    for name in dict.fromkeys(match.entry.english for match in matches):
        for variant in [*glossary.variants_of(name), name]:  # the name itself: fixes its case
            english = whole_phrase(variant).sub(name, english)
    return english


def verify(english: str, matches: list[TermMatch]) -> list[TermCheck]:
    return [
        TermCheck(
            arabic=match.entry.arabic,
            english=match.entry.english,
            ok=bool(whole_phrase(match.entry.english).search(english)),
        )
        for match in matches
    ]


def terms_present(english: str, matches: list[TermMatch]) -> int:
    return sum(check.ok for check in verify(english, matches))


def suppressed_variants(matches: list[TermMatch], glossary: Glossary) -> list[str]:
    """Variants to forbid: longer than 3 characters (IS, UN, EU are too common to ban)."""
    names = {match.entry.english for match in matches}
    return sorted(
        {v for name in names for v in glossary.variants_of(name) if len(v) > 3 and v != name}
    )
