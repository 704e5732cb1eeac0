"""Alerts stage: the day's stories against every reader's rules and the global watchlists.

rules.py parses rules, watch.py reads readers.toml and watchlists.toml, stories.py groups
the day's articles by story and finds names, topics and phrases in their Arabic (and which
stories are breaking), render.py writes the alerts for the digest and the e-mails.
"""

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from toolkit.alerts.rules import Facts, Rule, Vocabulary, parse_rule
from toolkit.alerts.stories import Finder, Story, day_stories
from toolkit.alerts.watch import Reader, Watch, load_watch
from toolkit.glossary.entries import Glossary
from toolkit.glossary.topics import Topics, load_topics
from toolkit.names.places import country_codes

__all__ = [
    "Alert",
    "DayAlerts",
    "Reader",
    "Rule",
    "Story",
    "Vocabulary",
    "Watch",
    "day_alerts",
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
            "articles": [a.id for a in self.story.articles],
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


def watch_setup(
    readers: Path | None = None, watchlists: Path | None = None, glossary: Glossary | None = None
) -> tuple[Watch, Glossary | None, Topics]:
    """The rules (readers and global), the glossary and topics they are checked with."""
    from toolkit.glossary import default_glossary_files, load_glossary

    if glossary is None:
        files = default_glossary_files()
        glossary = load_glossary(files) if files else None
    topics = load_topics()
    return load_watch(vocabulary_of(glossary, topics), readers, watchlists), glossary, topics


def day_alerts(day_dir: Path, watch: Watch, glossary: Glossary | None, topics: Topics) -> DayAlerts:
    """Every rule of every reader, then every global rule, against each story of the day."""
    stories = day_stories(day_dir)
    owners = [(r, rule) for r in watch.readers for rule in r.rules]
    owners += [(None, rule) for rule in watch.rules]
    if not owners:
        return DayAlerts(stories, [])
    finder = Finder(glossary, topics, watch.phrases)
    facts: dict[str, Facts] = {
        s.id: finder.facts([t for a in s.articles for t in a.arabic]) for s in stories
    }
    alerts = [
        Alert(rule.text, reader, story, tuple(why))
        for reader, rule in owners
        for story in stories
        if (why := rule.why(facts[story.id])) is not None
    ]
    return DayAlerts(stories, alerts)


def digest_section(day_dir: Path, base: str = "") -> list[str]:
    """The alerts section the digest (and, with `base`, the archive index) opens with."""
    from toolkit.alerts.render import alerts_markdown

    watch, glossary, topics = watch_setup()
    day = day_alerts(day_dir, watch, glossary, topics)
    return alerts_markdown(day, day.alerts, len(watch.all_rules), base=base)
