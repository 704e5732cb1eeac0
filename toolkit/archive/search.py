"""Full-text search of the archive (`toolkit search`), Arabic or English, grouped by story.

A query is cut into terms and an article matches when it holds every term (each in some
sentence or its headline). A glossary name is one term that matches all its forms: the
English canonical name (or a listed variant) in the English text, the glossary terms matched
in a sentence, and each of its Arabic forms in the Arabic text, so "Telegram", "تيليغرام"
and "تلغرام" find the same articles. A person's English spelling (the archive's people
table: toolkit.names gives one per person) is one term that matches it in the English text
and in the sentence's names, and each Arabic mention of that person seen in the archive:
"Ahmed Farah" finds أحمد عبدي فارح, أحمد فارح and فارح, so the person is found where the
translation spelled them otherwise. Any other Arabic word matches under every reading of it
without a proclitic (toolkit.archive.text); any other word matches as a word in either
language. Every term reaches FTS5 as quoted text: quotes, operators and brackets in a query
are searched for as text, never parsed. A country code keeps only the articles with a place
in that country (the places table).
"""

import json
import re
import sqlite3
from dataclasses import asdict, dataclass, field

from toolkit.archive.database import SENTENCE_BITS
from toolkit.archive.people import spellings
from toolkit.archive.text import readings
from toolkit.errors import ConfigError
from toolkit.glossary.entries import Glossary
from toolkit.glossary.matcher import Claimed, Matcher
from toolkit.text.arabic import WORD, fold, has_arabic, normalize, words

OPEN, CLOSE = "\x02", "\x03"  # highlight marks, shown as [ ]
SNIPPET_CHARS = 160
DEFAULT_LIMIT = 20
SCAN_SHARE = 0.1  # matching more than this share of the articles: scan, don't look up


@dataclass(frozen=True)
class Term:
    text: str  # what it stands for in the query
    expression: str  # FTS5 query
    arabic: frozenset[str]  # folded Arabic readings, to mark in snippets
    english: tuple[str, ...]  # English words and names, to mark in snippets


@dataclass
class Hit:
    id: str
    day: str
    outlet: str | None
    url: str | None
    headline: dict  # {"ar", "en"}
    snippet: str


@dataclass
class StoryHits:
    id: str
    headline: str
    first_seen: str
    last_seen: str
    reports: int
    articles: list[Hit] = field(default_factory=list)


@dataclass
class SearchResult:
    query: str
    terms: list[str]
    since: str | None
    country: str | None
    matched: int  # articles, before the story limit
    stories: list[StoryHits]

    def to_json(self) -> dict:
        return asdict(self)


class Names:
    """The glossary as the query parser uses it, built once for many queries."""

    def __init__(self, glossary: Glossary | None):
        entries = glossary.entries if glossary else []
        self.matcher = Matcher(glossary) if entries else None
        self.english: dict[str, str] = {}  # lower-case name or variant → canonical
        self.forms: dict[str, list[str]] = {}  # canonical → Arabic forms
        self.variants: dict[str, list[str]] = {}
        for entry in entries:
            for name in (entry.english, *entry.variants):
                self.english.setdefault(name.lower(), entry.english)
            self.forms.setdefault(entry.english, []).append(entry.arabic)
        for canonical in self.forms:
            self.variants[canonical] = glossary.variants_of(canonical)
        pattern = "|".join(re.escape(name) for name in sorted(self.english, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I) if pattern else None


class People:
    """The people's English spellings as the query parser uses them."""

    def __init__(self, forms: dict[str, list[str]]):
        self.forms = {english: [f for f in arabic if words(f)] for english, arabic in forms.items()}
        self.english = {english.lower(): english for english in self.forms}
        names = sorted(self.english, key=len, reverse=True)
        pattern = "|".join(re.escape(name) for name in names)
        self.pattern = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I) if pattern else None


def quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def arabic_expression(arabic: str) -> str:
    """An Arabic glossary form: its words close together (each may carry a proclitic)."""
    folded = words(arabic)
    if len(folded) == 1:
        return f"ar_normalized : {quote(folded[0])}"
    # each text word is indexed under several readings: allow for them between the words
    near = " ".join(quote(word) for word in folded)
    return f"ar_normalized : NEAR({near}, {4 * len(folded)})"


def name_term(text: str, english: str, names: Names) -> Term:
    forms = sorted(set(names.forms[english]))
    variants = names.variants[english]
    parts = [f"terms : {quote(english)}", f"en : {quote(english)}"]
    parts += [f"en : {quote(variant)}" for variant in variants]
    parts += [arabic_expression(form) for form in forms]
    marked = frozenset(word for form in forms for word in words(form))
    return Term(text, "(" + " OR ".join(parts) + ")", marked, (english, *variants))


def person_term(text: str, english: str, people: People) -> Term:
    forms = people.forms[english]
    parts = [f"terms : {quote(english)}", f"en : {quote(english)}"]
    parts += [arabic_expression(form) for form in forms]
    marked = frozenset(word for form in forms for word in words(form))
    return Term(text, "(" + " OR ".join(parts) + ")", marked, (english,))


def word_term(word: str) -> Term:
    folded = fold(word)
    found = readings(folded)
    if not has_arabic(folded):
        return Term(word, quote(word), frozenset(), (word,))
    return Term(
        word, "ar_normalized : (" + " OR ".join(map(quote, found)) + ")", frozenset(found), ()
    )


def parse_query(query: str, names: Names, people: People | None = None) -> list[Term]:
    """The terms of a query: glossary names (Arabic or English) first, then people's English
    spellings, then each other word."""
    text = normalize(query)
    spans = []
    taken = Claimed(len(text))
    if names.matcher:
        spans = [(m.start, m.end, m.entry.english) for m in names.matcher.find(text)]
        for start, end, _ in spans:
            taken.claim(start, end)
    if names.pattern:
        for match in names.pattern.finditer(text):
            if taken.claim(match.start(), match.end()):
                spans.append((match.start(), match.end(), names.english[match.group().lower()]))
    persons = []
    if people and people.pattern:
        for match in people.pattern.finditer(text):
            if taken.claim(match.start(), match.end()):
                persons.append((match.start(), match.end(), people.english[match.group().lower()]))
    spans.sort()
    terms = [name_term(text[a:b], english, names) for a, b, english in spans]
    terms += [person_term(text[a:b], english, people) for a, b, english in persons]
    spans = sorted(spans + persons)
    rest, position = [], 0  # the text with every name blanked out
    for start, end, _ in spans:
        rest += [text[position:start], " " * (end - start)]
        position = end
    rest.append(text[position:])
    terms += [word_term(match.group()) for match in WORD.finditer("".join(rest))]
    return list({term.expression: term for term in terms}.values())


def search(
    conn: sqlite3.Connection,
    query: str,
    names: Names | None = None,
    since: str | None = None,
    limit: int = DEFAULT_LIMIT,
    country: str | None = None,
) -> SearchResult:
    """Stories whose articles hold every term of `query`, newest first (day ≥ `since`; with
    a place in `country`, an ISO 3166 alpha-2 code, when given)."""
    if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
        raise ConfigError(f"--country {country!r} is not a country code: use two letters (SO)")
    country = country.upper() if country else None
    terms = parse_query(query, names or Names(None), People(spellings(conn, query)))
    if not terms:
        raise ConfigError(f"the query {query!r} has no words to search for")
    first: dict[int, int] | None = None  # article num → its first matching sentence id
    for term in terms:
        found = _articles(conn, term.expression)
        first = (
            found
            if first is None
            else {n: min(s, found[n]) for n, s in first.items() if n in found}
        )
        if not first:
            break
    if first and country:
        placed = _in_country(conn, country)
        first = {n: s for n, s in first.items() if n in placed}
    matched, stories = _stories(conn, first or {}, since, limit, terms)
    return SearchResult(query, [t.text for t in terms], since, country, matched, stories)


def _in_country(conn: sqlite3.Connection, country: str) -> set[int]:
    """The articles (num) with a place in `country`."""
    sql = "SELECT a.num FROM places p JOIN articles a ON a.key = p.article WHERE p.country = ?"
    return {num for (num,) in conn.execute(sql, (country,))}


def _articles(conn: sqlite3.Connection, expression: str) -> dict[int, int]:
    """Article num → id of its first matching sentence, read off the FTS index alone."""
    sql = (
        f"SELECT rowid >> {SENTENCE_BITS}, min(rowid) FROM sentences_fts "
        "WHERE sentences_fts MATCH ? GROUP BY 1"
    )
    return dict(conn.execute(sql, (expression,)))


def _stories(
    conn: sqlite3.Connection,
    first: dict[int, int],
    since: str | None,
    limit: int,
    terms: list[Term],
) -> tuple[int, list[StoryHits]]:
    """The number of matching articles from `since` on, and the newest `limit` stories."""
    if len(first) > SCAN_SHARE * _count(conn):  # most articles: scan the day index
        rows = [
            row
            for row in conn.execute(
                "SELECT num, day, story FROM articles INDEXED BY articles_day WHERE day >= ?",
                (since or "",),
            )
            if row[0] in first
        ]
    else:
        rows = conn.execute(
            "SELECT num, day, story FROM articles WHERE num IN (SELECT value FROM json_each(?)) "
            "AND day >= ?",
            (json.dumps(list(first)), since or ""),
        ).fetchall()
    newest: dict[str, str] = {}
    for _, day, story in rows:
        newest[story] = max(day, newest.get(story, day))
    chosen = sorted(newest, key=lambda story: (newest[story], story), reverse=True)[:limit]
    picked = set(chosen)
    shown = [num for num, _, story in rows if story in picked]
    stories = {
        id_: StoryHits(id_, headline, first_seen, last_seen, reports)
        for id_, first_seen, last_seen, headline, reports in conn.execute(
            "SELECT id, first_seen, last_seen, headline, reports FROM stories "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(chosen),),
        )
    }
    sentences = dict(
        (
            (id_, (ar, en))
            for id_, ar, en in conn.execute(
                "SELECT id, ar, en FROM sentences WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([first[num] for num in shown]),),
            )
        )
    )
    for num, id_, day, outlet, url, ar, en, story in conn.execute(
        "SELECT num, id, day, outlet, url, headline_ar, headline_en, story FROM articles "
        "WHERE num IN (SELECT value FROM json_each(?)) ORDER BY day DESC, key",
        (json.dumps(shown),),
    ):
        snippet = _snippet(*sentences.get(first[num], ("", "")), terms)
        stories[story].articles.append(Hit(id_, day, outlet, url, {"ar": ar, "en": en}, snippet))
    return len(rows), [stories[story] for story in chosen]


def _count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT max(num) FROM articles").fetchone()[0] or 0


def _snippet(ar: str, en: str, terms: list[Term]) -> str:
    """The matching sentence with the query's words marked [ ]: English if they are in it."""
    english = [name for term in terms for name in term.english]
    if english:
        pattern = "|".join(re.escape(name) for name in sorted(english, key=len, reverse=True))
        marked = re.sub(rf"(?<!\w)(?:{pattern})\w*", rf"{OPEN}\g<0>{CLOSE}", en, flags=re.I)
        if OPEN in marked:
            return _shorten(marked)
    arabic = frozenset().union(*(term.arabic for term in terms))
    marked = WORD.sub(
        lambda m: (
            f"{OPEN}{m.group()}{CLOSE}" if arabic & set(readings(fold(m.group()))) else m.group()
        ),
        normalize(ar),
    )
    return _shorten(marked if OPEN in marked else en)


def _shorten(text: str) -> str:
    """About SNIPPET_CHARS around the first mark, cut at spaces."""
    first = max(text.find(OPEN), 0)
    start = max(0, first - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start, first) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", first, end) if text.rfind(" ", first, end) > first else end
    shown = text[start:end].strip()
    if shown.count(OPEN) > shown.count(CLOSE):
        shown += CLOSE
    shown = shown.replace(OPEN, "[").replace(CLOSE, "]")
    return ("…" if start else "") + shown + ("…" if end < len(text) else "")
