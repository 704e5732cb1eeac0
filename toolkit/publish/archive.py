"""The top of the outputs folder: index.html (every day, newest first) and one rolling feed.

OUTPUTS/index.html lists every day folder that has a digest.html, with its article count,
top entities and flags; OUTPUTS/feed.xml is one Atom feed over the last 30 days (counted
back from the newest day, so a rebuild of the same folders gives the same feed), with the
same entry ids as the day feeds. Both are rebuilt from articles/*.json alone, with the
digest's escaping and no-script page.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.fsutil import atomic_write_text
from toolkit.publish.digest import entity_counts, escape, flag_counts
from toolkit.publish.feed import FeedEntry, feed_id, render_feed
from toolkit.publish.html import render_html
from toolkit.publish.records import DAY, Records, read_records

ROLLING_DAYS = 30
TOP_ENTITIES = 5
TITLE = "Arabic press briefing"
INDEX_TITLE = f"{TITLE} — archive"


@dataclass
class Day:
    date: str
    records: Records

    @property
    def synthetic(self) -> bool:
        return any(model.synthetic for _, model in self.records)


@dataclass
class ArchiveResult:
    written: list[Path] = field(default_factory=list)
    days: int = 0
    entries: int = 0  # in the rolling feed
    failures: dict[str, str] = field(default_factory=dict)


def read_days(outputs: Path) -> tuple[list[Day], dict[str, str]]:
    """Every dated folder with a digest, newest first, and the records that could not be read."""
    days, failures = [], {}
    for folder in sorted(Path(outputs).iterdir(), reverse=True):
        if DAY.fullmatch(folder.name) and (folder / "digest.html").is_file():
            records, broken = read_records(folder)
            days.append(Day(folder.name, records))
            failures.update(broken)
    return days, failures


def index_markdown(days: list[Day], alerts: list[str] = ()) -> str:
    """`alerts`: the newest day's alerts section (toolkit.alerts), which the index opens with."""
    lines = [
        f"# {INDEX_TITLE}",
        "",
        f"Subscribe: [feed.xml](feed.xml) (Atom, every article of the last {ROLLING_DAYS} days).",
        "",
        *alerts,
    ]
    if not days:
        return "\n".join(lines + ["No briefings yet.", ""])
    total = sum(len(day.records) for day in days)
    lines += [
        f"{len(days)} day(s), {total} article(s), newest first.",
        "",
        "| Day | Articles | Top entities | Flags |",
        "|---|---|---|---|",
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
            f"| {entities or '—'} | {', '.join(flags) or '—'} |"
        )
    return "\n".join(lines) + "\n"


def rolling_entries(days: list[Day], window: int = ROLLING_DAYS) -> list[FeedEntry]:
    """The articles of the days within `window` days of the newest, newest day first."""
    if not days:
        return []
    newest = dt.date.fromisoformat(days[0].date)
    first = (newest - dt.timedelta(days=window - 1)).isoformat()
    return [
        FeedEntry(article, model, day.date, f"{day.date}/digest.html#article-{n}", "text/html")
        for day in days
        if day.date >= first
        for n, (article, model) in enumerate(day.records, 1)
    ]


def publish_archive(outputs: Path) -> ArchiveResult:
    """(Re)build OUTPUTS/index.html and the rolling OUTPUTS/feed.xml."""
    from toolkit.alerts import digest_section

    outputs = Path(outputs)
    days, failures = read_days(outputs)
    alerts = digest_section(outputs / days[0].date, base=f"{days[0].date}/") if days else []
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
