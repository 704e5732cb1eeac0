"""What a story holds for the rules: glossary names, topics and rule phrases in the Arabic
of its reports of the day, and the countries of their places and their people's English
spellings in their briefs (toolkit.names found both on the Arabic side).

Stories (with breaking) are the stories stage's (toolkit.stories.Story); this only reads
their reports of the day.
"""

from toolkit.alerts.rules import Facts
from toolkit.document import Article
from toolkit.glossary.entries import Entry, Glossary
from toolkit.glossary.matcher import Matcher
from toolkit.glossary.topics import Topics


class Finder:
    """Names, topics and rule phrases in Arabic text; countries and people in briefs."""

    def __init__(self, glossary: Glossary | None, topics: Topics, phrases: list[str]):
        self.names = Matcher(glossary) if glossary else None
        self.topics = topics
        entries = [Entry(p, p, "other", (), "", "", "rule") for p in phrases]
        self.phrases = Matcher(Glossary(entries), latin=False) if entries else None

    def facts(self, articles: list[Article]) -> Facts:
        """What the articles (a story's reports of the day) hold together."""
        facts = self.text_facts([s.ar for article in articles for s in article.all_sentences()])
        briefs = [article.brief for article in articles if article.brief]
        countries = {place.country for brief in briefs for place in brief.places if place.country}
        # Term.person is casefolded: a rule may write the spelling in any case
        people = {person.english.casefold() for brief in briefs for person in brief.people}
        return Facts(
            facts.names, facts.topics, facts.phrases, frozenset(countries), frozenset(people)
        )

    def text_facts(self, texts: list[str]) -> Facts:
        """Names, topics and rule phrases in Arabic texts."""
        names, topics, phrases = set(), set(), set()
        for text in texts:
            if self.names:
                names.update(m.entry.english for m in self.names.find(text))
            topics.update(hit.topic for hit in self.topics.find(text))
            if self.phrases:
                phrases.update(m.entry.english for m in self.phrases.find(text, overlapping=True))
        return Facts(frozenset(names), frozenset(topics), frozenset(phrases))
