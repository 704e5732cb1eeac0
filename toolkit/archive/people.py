"""The people across the archive (`toolkit names`): one profile per person id, read off the
archive's people table.

Each profile has the person's English spelling (the one of their newest article: toolkit.names
gives one spelling per id), every Arabic mention seen (variants), the articles (id and day)
and the first and last day seen; most articles first.
"""

import json
import sqlite3
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class ArticleRef:
    id: str
    day: str


@dataclass
class PersonProfile:
    id: str
    english: str
    variants: list[str] = field(default_factory=list)  # Arabic, as written, first seen first
    articles: list[ArticleRef] = field(default_factory=list)  # oldest first
    first_seen: str = ""
    last_seen: str = ""

    def to_json(self) -> dict:
        return asdict(self)


def people_profiles(conn: sqlite3.Connection) -> list[PersonProfile]:
    """Every person of the archive, most articles first (then by English spelling, id)."""
    profiles: dict[str, PersonProfile] = {}
    rows = conn.execute(
        "SELECT p.person, p.english, p.mentions, a.id, a.day FROM people p "
        "JOIN articles a ON a.key = p.article ORDER BY a.day, a.key"
    )
    for person, english, mentions, article, day in rows:
        profile = profiles.setdefault(person, PersonProfile(person, english, first_seen=day))
        profile.english, profile.last_seen = english, day  # the newest spelling wins
        for mention in json.loads(mentions):
            if mention not in profile.variants:
                profile.variants.append(mention)
        reference = ArticleRef(article, day)
        if reference not in profile.articles:
            profile.articles.append(reference)
    return sorted(profiles.values(), key=lambda p: (-len(p.articles), p.english, p.id))


MAX_NAME_WORDS = 6  # the longest English spelling a query is looked up for, in words
EDGE = ".,;:!?\"'«»“”()[]{}"


def spellings(conn: sqlite3.Connection, query: str) -> dict[str, list[str]]:
    """The English spellings in `query` (any case) → the Arabic mentions of the people who
    carry them, looked up word run by word run (the index, not a scan of every person)."""
    words = query.split()
    runs = {
        candidate
        for start in range(len(words))
        for end in range(start + 1, min(start + MAX_NAME_WORDS, len(words)) + 1)
        for run in [" ".join(words[start:end])]
        for candidate in (run, run.strip(EDGE), run.lstrip(EDGE))
        if candidate
    }
    found: dict[str, list[str]] = {}
    for run in sorted(runs):
        for english, mentions in conn.execute(
            "SELECT english, mentions FROM people WHERE english = ? COLLATE NOCASE", (run,)
        ):
            forms = found.setdefault(english, [])
            forms += [m for m in json.loads(mentions) if m not in forms]
    return found
