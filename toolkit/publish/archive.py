"""The top of the outputs folder: index.html (every day, newest first) and one rolling feed.

OUTPUTS/index.html shows the newest day's rising and new names, the stories of the last 30
days and every day folder that has a digest.html, with its article and story counts, top
entities and flags; OUTPUTS/feed.xml is one Atom feed over the last 30 days (counted back
from the newest day, so a rebuild of the same folders gives the same feed), one entry per
story whose id stays the same while the story grows. Both are rebuilt from articles/*.json
alone, with the digest's escaping and no-script page.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.alerts import AlertSetup, watch_setup
from toolkit.corpus import Corpus, Published
from toolkit.fsutil import atomic_write_text
from toolkit.publish.alerts import digest_section
from toolkit.publish.article import article_path
from toolkit.publish.digest import (
    DayStory,
    day_stories,
    entity_counts,
    escape,
    flag_counts,
    shorten,
    trends_section,
)
from toolkit.publish.feed import FeedEntry, feed_id, render_feed, story_entry_id
from toolkit.publish.html import render_html
from toolkit.stories import WINDOW_DAYS, Story, day_mentions, trends
from toolkit.stories import day_stories as stories_of_day

ROLLING_DAYS = 30
TOP_ENTITIES = 5
TITLE = "Arabic press briefing"
INDEX_TITLE = f"{TITLE} — archive"


@dataclass
class Day:
    date: str
    records: list[Published]
    stories: list[Story]

    @property
    def synthetic(self) -> bool:
        return any(record.model.synthetic for record in self.records)

    def shown(self) -> list[DayStory]:
        """Its stories as its digest numbers them."""
        return day_stories(self.records, self.stories)


@dataclass
class ArchiveResult:
    written: list[Path] = field(default_factory=list)
    days: int = 0
    entries: int = 0  # in the rolling feed
    failures: dict[str, str] = field(default_factory=dict)


def read_days(outputs: Path) -> tuple[list[Day], dict[str, str]]:
    """Every dated folder with a digest, newest first, and the records that could not be read."""
    corpus = Corpus(outputs)
    days, failures = [], {}
    for name in reversed(corpus.days()):
        if (corpus.outputs / name / "digest.html").is_file():
            read = corpus.day(name)
            days.append(Day(name, read.records, stories_of_day(corpus, name)))
            failures.update(read.failures)
    return days, failures


@dataclass
class ArchiveStory:
    """A story over the days read: its section in each day's digest, newest day first (the
    newest section's Story gives its reports, outlets and first day)."""

    id: str
    sections: list[tuple[Day, int, DayStory]] = field(default_factory=list)

    @property
    def newest(self) -> tuple[Day, int, DayStory]:
        return self.sections[0]


def archive_stories(days: list[Day]) -> list[ArchiveStory]:
    """Stories of these days (newest first), most recently reported first."""
    stories: dict[str, ArchiveStory] = {}
    for day in days:
        for number, story in enumerate(day.shown(), 1):
            stories.setdefault(story.id, ArchiveStory(story.id)).sections.append(
                (day, number, story)
            )
    return list(stories.values())


def window(days: list[Day], size: int) -> list[Day]:
    """The days within `size` days of the newest."""
    if not days:
        return []
    first = (dt.date.fromisoformat(days[0].date) - dt.timedelta(days=size - 1)).isoformat()
    return [day for day in days if day.date >= first]


def newest_trends(days: list[Day]) -> list:
    if not days:
        return []
    earlier = window(days, WINDOW_DAYS + 1)[1:]
    return trends(day_mentions(days[0].records), {d.date: day_mentions(d.records) for d in earlier})


def index_markdown(days: list[Day], alerts: list[str] = ()) -> str:
    """`alerts`: the newest day's alerts section (toolkit.alerts), which the index opens with."""
    lines = [
        f"# {INDEX_TITLE}",
        "",
        f"Subscribe: [feed.xml](feed.xml) (Atom, every story of the last {ROLLING_DAYS} days).",
        "",
        *alerts,
    ]
    if not days:
        return "\n".join(lines + ["No briefings yet.", ""])
    total = sum(len(day.records) for day in days)
    trending = trends_section(newest_trends(days))
    if trending:
        lines += [f"Names of {days[0].date} against their 7-day average.", "", *trending]
    lines += stories_table(archive_stories(window(days, ROLLING_DAYS)))
    lines += [
        "## Days",
        "",
        f"{len(days)} day(s), {total} article(s), newest first.",
        "",
        "| Day | Articles | Stories | Top entities | Flags |",
        "|---|---|---|---|---|",
    ]
    for day in days:
        entities = ", ".join(
            f"{escape(name)} ×{count}" for name, count in entity_counts(day.records)[:TOP_ENTITIES]
        )
        flags = [f"{escape(flag)} {n}" for flag, n in sorted(flag_counts(day.records).items())]
        if day.synthetic:
            flags.insert(0, "**synthetic model**")
        lines.append(
            f"| [{day.date}]({day.date}/digest.html) | {len(day.records)} "
            f"| {len(day.shown())} | {entities or '—'} | {', '.join(flags) or '—'} |"
        )
    return "\n".join(lines) + "\n"


def stories_table(stories: list[ArchiveStory]) -> list[str]:
    lines = [f"## Stories of the last {ROLLING_DAYS} days", ""]
    lines += ["| Story | Reports | Outlets | First seen | Last seen |", "|---|---|---|---|---|"]
    for story in stories:
        day, number, newest = story.newest
        headline = newest.best.headline.en
        link = f"[{escape(shorten(headline))}]({day.date}/digest.html#article-{number})"
        link += f" ([article]({day.date}/{article_path(newest.best.id)}))"
        outlets = ", ".join(map(escape, newest.story.outlets())) or "—"
        lines.append(
            f"| {link} | {newest.reports} | {outlets} | {newest.first_seen} | {day.date} |"
        )
    return lines + [""]


def rolling_entries(days: list[Day], size: int = ROLLING_DAYS) -> list[FeedEntry]:
    """One entry per story of the days within `size` days of the newest, newest first: its
    lead, linked to its newest day's section and to its page."""
    entries = []
    for story in archive_stories(window(days, size)):
        day, number, newest = story.newest
        article = newest.best
        model = next(r.model for r in newest.records if r.article is article)
        lead = f"{newest.reports} report(s): {', '.join(newest.story.outlets())}; "
        lead += f"first seen {newest.first_seen}. "
        href = f"{day.date}/digest.html#article-{number}"
        page = f"{day.date}/{article_path(article.id)}"
        entries.append(
            FeedEntry(
                article, model, day.date, href, "text/html", story_entry_id(story.id), lead, page
            )
        )
    return entries


def publish_archive(outputs: Path, setup: AlertSetup | None = None) -> ArchiveResult:
    """(Re)build OUTPUTS/index.html and the rolling OUTPUTS/feed.xml; the newest day's alerts
    with `setup` (the run's rules, glossary and topics; else the default ones)."""
    outputs = Path(outputs)
    days, failures = read_days(outputs)
    alerts = []
    if days:
        newest = Corpus(outputs).day(days[0].date)
        base = f"{days[0].date}/"
        alerts = digest_section(newest, days[0].stories, setup or watch_setup(), base=base)
    entries = rolling_entries(days)
    updated = days[0].date if days else dt.date.today().isoformat()
    result = ArchiveResult(days=len(days), entries=len(entries), failures=failures)
    for name, text in (
        ("index.html", render_html(index_markdown(days, alerts), INDEX_TITLE, feed="feed.xml")),
        ("feed.xml", render_feed(feed_id("archive"), TITLE, updated, "index.html", entries)),
    ):
        atomic_write_text(outputs / name, text)
        result.written.append(outputs / name)
    return result
