"""Publish stage: Articles → files readers get.

articles/<id>.json and <id>.en.md per article (article.py) and its page <id>.html
(page.py, refreshed with its story's versions when a day is published); for the day, digest.md,
digest.html and feed.xml, rebuilt from articles/*.json alone (`toolkit brief`); for the
whole outputs folder, index.html and the rolling feed.xml (archive.py, `toolkit archive`).
"""

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.alerts import AlertSetup, DayAlerts, watch_setup
from toolkit.fsutil import atomic_write_text
from toolkit.publish.alerts import digest_section
from toolkit.publish.archive import ArchiveResult, publish_archive
from toolkit.publish.briefing import DayBriefing, day_briefing
from toolkit.publish.digest import digest_title
from toolkit.publish.feed import atom_feed
from toolkit.publish.html import render_html
from toolkit.publish.page import publish_pages

__all__ = [
    "ArchiveResult",
    "DayBriefing",
    "DigestResult",
    "day_briefing",
    "publish_archive",
    "publish_digest",
]


@dataclass
class DigestResult:
    written: list[Path] = field(default_factory=list)
    articles: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # file → one-line reason


def publish_digest(
    out_dir: Path,
    date: str | None = None,
    setup: AlertSetup | None = None,
    alerts: DayAlerts | None = None,
) -> DigestResult:
    """(Re)build digest.md, digest.html, feed.xml and the article pages in `out_dir` from its
    articles/*.json and its Stories. The alerts section: the day's `alerts` when the night
    found them already, else found with `setup` (the run's rules, glossary and topics; else
    the default ones)."""
    out_dir = Path(out_dir)
    briefing = day_briefing(out_dir, date)
    read = briefing.read
    result = DigestResult(failures=dict(read.failures))
    section = digest_section(read, briefing.stories, setup or watch_setup(), alerts=alerts)
    markdown = briefing.markdown(section)
    for name, text in (
        ("digest.md", markdown),
        ("digest.html", render_html(markdown, digest_title(briefing.date))),
        ("feed.xml", atom_feed(read.records, briefing.date)),
    ):
        atomic_write_text(out_dir / name, text)
        result.written.append(out_dir / name)
    result.written += publish_pages(out_dir, read, briefing.stories)
    result.articles = len(read.records)
    return result
