"""The day's stories as alerts see them: their articles, what their Arabic holds, breaking.

Articles are grouped by story only through publish.records.story_of. A story is breaking
when it gained BREAKING_REPORTS or more reports in this day folder, or at least doubled
since the days before (its articles in the day folders of the HISTORY_DAYS before).
"""

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.alerts.rules import Facts
from toolkit.document import DAY, story_of
from toolkit.glossary.entries import Entry, Glossary
from toolkit.glossary.matcher import Matcher
from toolkit.glossary.topics import Topics

BREAKING_REPORTS = 3
HISTORY_DAYS = 30  # how far back a story's earlier reports are counted


@dataclass
class StoryArticle:
    id: str
    headline: str  # English
    arabic: list[str]  # headline and sentences


@dataclass
class Story:
    id: str
    articles: list[StoryArticle] = field(default_factory=list)
    earlier: int = 0  # its reports in earlier day folders

    @property
    def headline(self) -> str:
        return self.articles[0].headline

    @property
    def breaking(self) -> bool:
        today = len(self.articles)
        return today >= BREAKING_REPORTS or (self.earlier > 0 and today >= self.earlier)


def _records(day_dir: Path) -> list[dict]:
    """The article records of a day folder; an unreadable one is `toolkit brief`'s to report."""
    records = []
    for path in sorted((Path(day_dir) / "articles").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            story_of(data)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        records.append(data)
    return records


def day_stories(day_dir: Path) -> list[Story]:
    """The stories of a day folder, in the order of their first article."""
    day_dir = Path(day_dir)
    stories: dict[str, Story] = {}
    records = _records(day_dir)
    for data in records:
        try:
            sentences = [data["headline"], *data["sentences"]]
            arabic = [s["ar"] for s in sentences if isinstance(s.get("ar"), str)]
            headline = str(data["headline"].get("en") or data["headline"].get("ar") or data["id"])
        except (KeyError, TypeError, AttributeError):
            continue
        story = stories.setdefault(story_of(data), Story(story_of(data)))
        story.articles.append(StoryArticle(str(data["id"]), headline, arabic))
    if any("story" in data for data in records) and DAY.fullmatch(day_dir.name):
        # (one story per article has no past)
        first = dt.date.fromisoformat(day_dir.name) - dt.timedelta(days=HISTORY_DAYS)
        earlier = Counter(
            story_of(data)
            for folder in day_dir.parent.iterdir()
            if DAY.fullmatch(folder.name) and first.isoformat() <= folder.name < day_dir.name
            for data in _records(folder)
        )
        for story in stories.values():
            story.earlier = earlier[story.id]
    return list(stories.values())


class Finder:
    """Names, topics and rule phrases in Arabic text."""

    def __init__(self, glossary: Glossary | None, topics: Topics, phrases: list[str]):
        self.names = Matcher(glossary) if glossary else None
        self.topics = topics
        entries = [Entry(p, p, "other", (), "", "", "rule") for p in phrases]
        self.phrases = Matcher(Glossary(entries), latin=False) if entries else None

    def facts(self, texts: list[str]) -> Facts:
        names, topics, phrases = set(), set(), set()
        for text in texts:
            if self.names:
                names.update(m.entry.english for m in self.names.find(text))
            topics.update(hit.topic for hit in self.topics.find(text))
            if self.phrases:
                phrases.update(m.entry.english for m in self.phrases.find(text, overlapping=True))
        return Facts(frozenset(names), frozenset(topics), frozenset(phrases))
