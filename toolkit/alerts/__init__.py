"""Alerts stage: the day's stories against every reader's rules and the global watchlists.

rules.py parses rules, watch.py reads readers.toml and watchlists.toml, stories.py finds
names, topics and phrases in the Arabic of each story's reports of the day, and the countries
and people of their briefs; publish/alerts.py writes them for the digest and the e-mails.
The stories (with their lead and breaking) are the stories stage's; the glossary, topics and
rules are the run's (AlertSetup).
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from toolkit.alerts.rules import Facts, Rule, Vocabulary, parse_rule
from toolkit.alerts.stories import Finder
from toolkit.alerts.watch import Reader, Watch, load_watch
from toolkit.corpus import DayArticles
from toolkit.document import Article
from toolkit.glossary import default_glossary_files, load_glossary
from toolkit.glossary.entries import Glossary
from toolkit.glossary.topics import Topics, load_topics
from toolkit.names.places import country_codes
from toolkit.stories import Story, folder_stories

__all__ = [
    "Alert",
    "AlertSetup",
    "DayAlerts",
    "Reader",
    "Rule",
    "Story",
    "Vocabulary",
    "Watch",
    "day_alerts",
    "folder_alerts",
    "load_watch",
    "parse_rule",
    "vocabulary_of",
    "watch_setup",
]


@dataclass(frozen=True)
class Alert:
    rule: str
    reader: Reader | None  # None: a global rule of watchlists.toml
    story: Story
    why: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "reader": self.reader.email if self.reader else None,
            "story": self.story.id,
            "lead": self.story.lead.id,
            "articles": [report.id for report in self.story.today],
            "why": list(self.why),
            "breaking": self.story.breaking,
        }


@dataclass
class DayAlerts:
    stories: list[Story] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    @property
    def breaking(self) -> list[Story]:
        return [s for s in self.stories if s.breaking]

    def of(self, reader: Reader) -> list[Alert]:
        """The reader's alerts: one look-up, so that 5,000 readers cost 5 × 1,000."""
        return list(self._by_reader.get(reader.email, ()))

    @cached_property
    def _by_reader(self) -> dict[str, list[Alert]]:
        by_reader: dict[str, list[Alert]] = {}
        for alert in self.alerts:
            if alert.reader is not None:
                by_reader.setdefault(alert.reader.email, []).append(alert)
        return by_reader


def vocabulary_of(glossary: Glossary | None, topics: Topics) -> Vocabulary:
    names = frozenset(e.english for e in glossary.entries) if glossary else frozenset()
    return Vocabulary(names, frozenset(topics.names), country_codes())


class AlertSetup(NamedTuple):
    """The rules of a run and the glossary and topics they are checked with."""

    watch: Watch
    glossary: Glossary | None
    topics: Topics


def watch_setup(
    readers: Path | None = None, watchlists: Path | None = None, glossary: Glossary | None = None
) -> AlertSetup:
    """The rules (readers and global) checked with `glossary` (the run's; without one, the
    default glossaries) and the topics."""
    if glossary is None:
        files = default_glossary_files()
        glossary = load_glossary(files) if files else None
    topics = load_topics()
    return AlertSetup(
        load_watch(vocabulary_of(glossary, topics), readers, watchlists), glossary, topics
    )


def day_alerts(read: DayArticles, stories: list[Story], setup: AlertSetup) -> DayAlerts:
    """Every rule of every reader, then every global rule, against each story of the day
    (the Arabic of its reports of the day, and their briefs' places and people)."""
    watch, glossary, topics = setup
    owners = [(r, rule) for r in watch.readers for rule in r.rules]
    owners += [(None, rule) for rule in watch.rules]
    if not owners:
        return DayAlerts(stories, [])
    reports: dict[str, list[Article]] = {}
    for record in read.records:
        reports.setdefault(record.story, []).append(record.article)
    finder = Finder(glossary, topics, watch.phrases)
    facts: dict[str, Facts] = {s.id: finder.facts(reports.get(s.id, [])) for s in stories}
    alerts = [
        Alert(rule.text, reader, story, tuple(why))
        for reader, rule in owners
        for story in stories
        if (why := rule.why(facts[story.id])) is not None
    ]
    return DayAlerts(stories, alerts)


def folder_alerts(day_dir: Path, setup: AlertSetup) -> DayAlerts:
    """The alerts of a day folder (`toolkit alerts`, `toolkit send --readers`)."""
    read, stories = folder_stories(day_dir)
    return day_alerts(read, stories, setup)
