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


def spellings(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """English spelling → the Arabic mentions of the people who carry it (for search)."""
    found: dict[str, list[str]] = {}
    for english, mentions in conn.execute("SELECT english, mentions FROM people"):
        forms = found.setdefault(english, [])
        forms += [m for m in json.loads(mentions) if m not in forms]
    return found
