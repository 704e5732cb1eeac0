"""What the Arabic of a story holds for the rules: glossary names, topics, rule phrases.

Stories (with breaking) are the stories stage's (toolkit.stories.Story); this only reads
the Arabic of their reports of the day.
"""

from toolkit.alerts.rules import Facts
from toolkit.glossary.entries import Entry, Glossary
from toolkit.glossary.matcher import Matcher
from toolkit.glossary.topics import Topics


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
