"""Watch rules: boolean expressions over glossary names, topics and quoted Arabic phrases.

    rule    := or
    or      := and ("OR" and)*
    and     := not ("AND" not)*
    not     := "NOT" not | "(" or ")" | term
    term    := "quoted text" | «نص» | words (adjacent bare words are one term: Western Union)

Operators are case-insensitive; NOT binds tighter than AND, AND tighter than OR. Parentheses
and NOT nest at most MAX_DEPTH deep: a deeper rule is a ConfigError naming it, never a
RecursionError out of the parser or the evaluation. A term in Arabic letters is a phrase
found in the Arabic as the glossary finds terms (clitics, quotes); any other term must be a
glossary name (English canonical, any case) or a topic name.
"""

import difflib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from toolkit.errors import ConfigError
from toolkit.text.arabic import SCRIPT_CHARACTER

OPERATORS = ("AND", "OR", "NOT")
TOKEN = re.compile(
    r'\s*(?:(?P<paren>[()])|(?P<quoted>"[^"]*"|«[^»]*»|“[^”]*”)|(?P<word>[^\s()"«“]+))'
)
SUGGESTIONS = 3
COUNTRY = re.compile(r"country:([A-Za-z]{2})")
# a person's English spelling: two or more words, the first and the last capitalised
PERSON = re.compile(r"[A-Z][\w'.-]*(?:\s+[\w'.-]+)*\s+[A-Z][\w'.-]*")
PERSON_NOT_TYPO = 0.85  # closer than this to a glossary name or topic: a typo, not a person
MAX_DEPTH = 50  # nested parentheses and NOTs; real rules use a handful
SHOWN_CHARS = 80  # of a rule quoted in an error


@dataclass(frozen=True)
class Facts:
    """What was found in a story's Arabic: glossary names, topics, rule phrases; and in its
    briefs: the countries of its places and its people's English spellings (casefolded)."""

    names: frozenset[str]
    topics: frozenset[str]
    phrases: frozenset[str]
    countries: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Term:
    text: str  # as written in the rule, for `why`
    name: str | None = None  # glossary canonical
    topic: str | None = None
    phrase: str | None = None  # Arabic
    country: str | None = None  # ISO 3166 alpha-2 (country:SO)
    person: str | None = None  # an English spelling, casefolded

    def holds(self, facts: Facts) -> bool:
        return (
            self.name in facts.names
            or self.topic in facts.topics
            or self.phrase in facts.phrases
            or self.country in facts.countries
            or self.person in facts.people
        )


@dataclass(frozen=True)
class Not:
    operand: "Node"


@dataclass(frozen=True)
class And:
    operands: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    operands: tuple["Node", ...]


Node = Term | Not | And | Or


@dataclass(frozen=True)
class Vocabulary:
    """The names a rule may use: glossary canonicals, topic names and country codes; any
    other name of two or more capitalised words is a person's English spelling."""

    names: frozenset[str]
    topics: frozenset[str]
    countries: frozenset[str] = frozenset()

    def term(self, text: str, where: str) -> Term:
        if SCRIPT_CHARACTER.search(text):
            return Term(text, phrase=" ".join(text.split()))
        country = COUNTRY.fullmatch(text)
        if country:
            code = country[1].upper()
            if code not in self.countries:
                raise ConfigError(f"{where}: {text!r}: not an ISO 3166 country code (SO, IQ …)")
            return Term(text, country=code)
        name = next((n for n in self.names if n.casefold() == text.casefold()), None)
        topic = next((t for t in self.topics if t.casefold() == text.casefold()), None)
        if name is None and topic is None:
            known = {k.casefold(): k for k in self.names | self.topics}
            nearest = difflib.get_close_matches(text.casefold(), known, SUGGESTIONS, 0.5)
            close = difflib.get_close_matches(text.casefold(), known, 1, PERSON_NOT_TYPO)
            if PERSON.fullmatch(text) and not close:
                return Term(text, person=" ".join(text.split()).casefold())
            hint = f"; nearest: {', '.join(known[n] for n in nearest)}" if nearest else ""
            raise ConfigError(
                f"{where}: unknown term {text!r}: neither a glossary name, a topic nor a "
                f"person's name (two or more capitalised words){hint}"
            )
        return Term(text, name=name, topic=topic)


@dataclass(frozen=True)
class Rule:
    text: str
    root: Node

    @property
    def phrases(self) -> list[str]:
        return [t.phrase for t in _terms(self.root) if t.phrase]

    def why(self, facts: Facts) -> list[str] | None:
        """The terms that made the rule fire (not those under NOT); None when it does not."""
        if not _holds(self.root, facts):
            return None
        return list(
            dict.fromkeys(t.text for t in _terms(self.root, positive=True) if t.holds(facts))
        )


def _holds(node: Node, facts: Facts) -> bool:
    match node:
        case Term():
            return node.holds(facts)
        case Not():
            return not _holds(node.operand, facts)
        case And():
            return all(_holds(o, facts) for o in node.operands)
        case Or():
            return any(_holds(o, facts) for o in node.operands)


def _terms(node: Node, positive: bool = False) -> list[Term]:
    match node:
        case Term():
            return [node]
        case Not():
            return [] if positive else _terms(node.operand)
        case And() | Or():
            return [t for o in node.operands for t in _terms(o, positive)]


def parse_rule(text: str, vocabulary: Vocabulary, where: str = "rule") -> Rule:
    """The rule as a tree; a syntax error or an unknown term is a ConfigError naming it."""
    shown = text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
    where = f"{where} {shown!r}"
    tokens = _tokens(text, where)
    parser = _Parser(tokens, vocabulary, where)
    root = parser.or_()
    if parser.position < len(tokens):
        raise ConfigError(f"{where}: unexpected {tokens[parser.position][1]!r}")
    return Rule(text, root)


def _tokens(text: str, where: str) -> list[tuple[str, str]]:
    """(kind, text) pairs: paren, op, term; adjacent bare words join into one term."""
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        found = TOKEN.match(text, position)
        if found is None:
            raise ConfigError(f"{where}: unclosed quote at {text[position:].strip()!r}")
        position = found.end()
        if found["paren"]:
            tokens.append(("paren", found["paren"]))
        elif found["quoted"]:
            inner = found["quoted"][1:-1].strip()
            if not inner:
                raise ConfigError(f"{where}: empty quotes")
            tokens.append(("term", inner))
        elif found["word"].upper() in OPERATORS:
            tokens.append(("op", found["word"].upper()))
        elif tokens and tokens[-1][0] == "bare":
            tokens[-1] = ("bare", f"{tokens[-1][1]} {found['word']}")
        else:
            tokens.append(("bare", found["word"]))
    if not tokens:
        raise ConfigError(f"{where}: empty rule")
    return [("term", t) if kind == "bare" else (kind, t) for kind, t in tokens]


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], vocabulary: Vocabulary, where: str):
        self.tokens, self.vocabulary, self.where = tokens, vocabulary, where
        self.position = 0
        self.depth = 0  # parentheses and NOTs open around the current token

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, token: tuple[str, str]) -> bool:
        if self._peek() == token:
            self.position += 1
            return True
        return False

    @contextmanager
    def _nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConfigError(
                f"{self.where}: nested deeper than {MAX_DEPTH} parentheses and NOTs; simplify it"
            )
        yield
        self.depth -= 1

    def or_(self) -> Node:
        operands = [self.and_()]
        while self._take(("op", "OR")):
            operands.append(self.and_())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_(self) -> Node:
        operands = [self.not_()]
        while self._take(("op", "AND")):
            operands.append(self.not_())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def not_(self) -> Node:
        if self._take(("op", "NOT")):
            with self._nested():
                return Not(self.not_())
        if self._take(("paren", "(")):
            with self._nested():
                inner = self.or_()
            if not self._take(("paren", ")")):
                raise ConfigError(f"{self.where}: missing )")
            return inner
        token = self._peek()
        if token is None or token[0] != "term":
            found = f"{token[1]!r}" if token else "the end"
            raise ConfigError(f'{self.where}: expected a name, topic or "phrase", found {found}')
        self.position += 1
        return self.vocabulary.term(token[1], self.where)
