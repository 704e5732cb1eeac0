"""glossaries/topics.tsv: the beat's topics as Arabic keyword patterns, found in Arabic text.

Columns: topic (the name rules use: lower case, digits, -), label (English), patterns and
exclude (`|`-separated Arabic patterns), note. A pattern is found as the glossary finds its
terms (same folding, proclitics and quotes, see matcher.py); a word ending in `*` is a stem
(اعتقل* finds اعتقلت, واعتقلوا); `A + B` needs both parts in the same sentence, and a part
may offer alternatives, `حذف*/حجب* + حساب*/قناة` (one of each). A topic's
match that lies inside one of its `exclude` patterns does not count (التجنيد الإجباري is
conscription, not recruitment).
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.glossary.entries import (
    LATIN,
    TOPICS_FILE,
    TOPICS_HEADER,
    Entry,
    Glossary,
    Problem,
    is_topics_file,
    tsv_rows,
)
from toolkit.glossary.matcher import STEM, Matcher

COLUMNS = (TOPICS_HEADER, "label", "patterns", "exclude", "note")
__all__ = ["Topic", "Topics", "default_topics_file", "is_topics_file", "lint_topics", "load_topics"]
NAME = re.compile(r"[a-z][a-z0-9-]*")
BOTH = "+"  # parts that must all be in one sentence
EITHER = "/"  # alternatives of one part


@dataclass(frozen=True)
class Topic:
    name: str
    label: str
    patterns: tuple[tuple[tuple[str, ...], ...], ...]  # pattern → parts → alternatives
    exclude: tuple[str, ...]
    where: str


def default_topics_file() -> Path | None:
    """glossaries/topics.tsv of the current folder, else of the toolkit's own checkout."""
    for folder in (Path("glossaries"), Path(__file__).resolve().parents[2] / "glossaries"):
        if (folder / TOPICS_FILE).is_file():
            return folder / TOPICS_FILE
    return None


def _split(cell: str) -> list[str]:
    return [" ".join(p.split()) for p in cell.split("|") if p.strip()]


def _pattern_errors(pattern: str) -> list[str]:
    errors = []
    for part in pattern.replace(EITHER, BOTH).split(BOTH):
        words = part.split()
        if not words:
            errors.append(f"empty part in pattern {pattern!r}")
        elif LATIN.search(part):
            errors.append(f"Latin letters in pattern {pattern!r}")
        elif any(STEM in w[:-1] for w in words) or any(w == STEM for w in words):
            errors.append(f"{STEM} only ends a word, after its stem: {pattern!r}")
    return errors


def lint_topics(path: Path) -> tuple[list[Topic], list[Problem]]:
    topics: list[Topic] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for where, cells in tsv_rows(path, COLUMNS, problems, "topics file"):
        name, label, patterns, exclude, _note = cells
        errors = []
        if not NAME.fullmatch(name):
            errors.append(f"topic {name!r}: lower-case letters, digits and - only")
        elif name in seen:
            errors.append(f"duplicate topic {name!r} (first at {seen[name]})")
        if not label:
            errors.append("empty label")
        if not _split(patterns):
            errors.append("no patterns")
        for pattern in _split(patterns) + _split(exclude):
            errors += _pattern_errors(pattern)
        problems += [Problem(where, "error", message) for message in errors]
        if errors:
            continue
        seen[name] = where
        parsed = tuple(
            tuple(tuple(" ".join(a.split()) for a in part.split(EITHER)) for part in x.split(BOTH))
            for x in _split(patterns)
        )
        topics.append(Topic(name, label, parsed, tuple(_split(exclude)), where))
    return topics, problems


@dataclass(frozen=True)
class TopicHit:
    topic: str
    surfaces: tuple[str, ...]  # the words that made it, as they stand in the text


@dataclass
class Topics:
    """The topics of a file and one matcher over all their pattern parts."""

    topics: list[Topic]
    path: Path | None = None
    _found: Matcher = field(init=False, repr=False)
    _excluded: Matcher = field(init=False, repr=False)

    def __post_init__(self):
        def entries(texts: dict[tuple[str, str], Topic]) -> Glossary:
            return Glossary(
                [
                    Entry(text, t.name, "other", (), "", "", t.where)
                    for (text, _), t in texts.items()
                ]
            )

        parts = {
            (alternative, t.name): t
            for t in self.topics
            for pattern in t.patterns
            for part in pattern
            for alternative in part
        }
        excluded = {(x, t.name): t for t in self.topics for x in t.exclude}
        # a one-letter proclitic is taken before stems of 3 letters too: لجمع, بغسل, وحذفت
        self._found = Matcher(entries(parts), latin=False, short_stem=2)
        self._excluded = Matcher(entries(excluded), latin=False, short_stem=2)

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.topics]

    def find(self, text: str) -> list[TopicHit]:
        """The topics of one sentence (a `+` pattern needs all its parts in it)."""
        excluded = self._excluded.find(text, overlapping=True)
        outside = [
            m
            for m in self._found.find(text, overlapping=True)
            if not any(
                x.entry.english == m.entry.english and x.start <= m.start and m.end <= x.end
                for x in excluded
            )
        ]
        hits = []
        for topic in self.topics:
            mine = [m for m in outside if m.entry.english == topic.name]
            found = {m.entry.arabic for m in mine}
            for pattern in topic.patterns:
                if all(found.intersection(part) for part in pattern):
                    words = {alternative for part in pattern for alternative in part}
                    surfaces = [m.surface for m in mine if m.entry.arabic in words]
                    hits.append(TopicHit(topic.name, tuple(dict.fromkeys(surfaces))))
                    break
        return hits


def load_topics(path: Path | None = None) -> Topics:
    """The topics file (default: glossaries/topics.tsv); an error in it is a ConfigError."""
    path = path or default_topics_file()
    if path is None:
        return Topics([])
    topics, problems = lint_topics(path)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{errors[0]}{more}: run `toolkit glossary lint`")
    return Topics(topics, Path(path))
