"""Publish stage: Articles → files readers get.

articles/<id>.json and <id>.en.md per article (article.py) and its page <id>.html
(page.py, refreshed with its story's versions when a day is published); for the day, digest.md,
digest.html and feed.xml, rebuilt from articles/*.json alone (`toolkit brief`); for the
whole outputs folder, index.html and the rolling feed.xml (archive.py, `toolkit archive`).
"""

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.fsutil import atomic_write_text
from toolkit.publish.archive import ArchiveResult, publish_archive
from toolkit.publish.digest import digest_markdown, digest_title
from toolkit.publish.feed import atom_feed
from toolkit.publish.html import render_html
from toolkit.publish.page import publish_pages
from toolkit.publish.records import DAY, Records, day_of, read_records

__all__ = [
    "DAY",
    "ArchiveResult",
    "DigestResult",
    "Records",
    "day_of",
    "publish_archive",
    "publish_digest",
    "read_records",
]


@dataclass
class DigestResult:
    written: list[Path] = field(default_factory=list)
    articles: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # file → one-line reason


def story_context(out_dir: Path, date: str, records: Records) -> tuple[dict, list]:
    """Earlier reports of the day's stories and the day's name trends, from the other day
    folders beside a dated `out_dir` (none for any other folder)."""
    from toolkit.stories import day_trends, read_past  # the stories stage reads records too

    if not DAY.fullmatch(out_dir.name):
        return {}, []
    past = read_past(out_dir.parent, date, {article.story or article.id for article, _ in records})
    return past.reports, day_trends(records, past)


def publish_digest(out_dir: Path, date: str | None = None) -> DigestResult:
    """(Re)build digest.md, digest.html, feed.xml and the article pages in `out_dir` from its
    articles/*.json."""
    from toolkit.alerts import digest_section

    out_dir = Path(out_dir)
    date = day_of(out_dir, date)
    records, failures = read_records(out_dir)
    result = DigestResult(failures=failures)
    earlier, trends = story_context(out_dir, date, records)
    markdown = digest_markdown(records, date, digest_section(out_dir), earlier, trends)
    for name, text in (
        ("digest.md", markdown),
        ("digest.html", render_html(markdown, digest_title(date))),
        ("feed.xml", atom_feed(records, date)),
    ):
        atomic_write_text(out_dir / name, text)
        result.written.append(out_dir / name)
    result.written += publish_pages(out_dir, records)
    result.articles = len(records)
    return result
