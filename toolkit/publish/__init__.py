"""Publish stage: Articles → files readers get.

articles/<id>.json and <id>.en.md per article (article.py); for the day, digest.md,
digest.html and feed.xml, rebuilt from articles/*.json alone (`toolkit brief`); for the
whole outputs folder, index.html and the rolling feed.xml (archive.py, `toolkit archive`).
"""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text
from toolkit.publish.article import ModelRef, article_from_json
from toolkit.publish.digest import digest_markdown, digest_title
from toolkit.publish.feed import atom_feed
from toolkit.publish.html import render_html

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Records = list[tuple[Article, ModelRef]]


@dataclass
class DigestResult:
    written: list[Path] = field(default_factory=list)
    articles: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # file → one-line reason


def day_of(out_dir: Path, date: str | None = None) -> str:
    """The date a folder's digest is for: given, else the folder name, else today."""
    return date or (out_dir.name if DAY.fullmatch(out_dir.name) else dt.date.today().isoformat())


def read_records(out_dir: Path) -> tuple[Records, dict[str, str]]:
    """The articles of a folder (articles/*.json, in name order) and the unreadable ones."""
    records: Records = []
    failures: dict[str, str] = {}
    for path in sorted((Path(out_dir) / "articles").glob("*.json")):
        try:
            records.append(
                article_from_json(json.loads(path.read_text(encoding="utf-8")), str(path))
            )
        except (OSError, ValueError, InputError) as error:
            failures[str(path)] = (
                str(error) if isinstance(error, InputError) else f"{path}: {error}"
            )
    return records, failures


def publish_digest(out_dir: Path, date: str | None = None) -> DigestResult:
    """(Re)build digest.md, digest.html and feed.xml in `out_dir` from its articles/*.json."""
    out_dir = Path(out_dir)
    date = day_of(out_dir, date)
    records, failures = read_records(out_dir)
    result = DigestResult(failures=failures)
    markdown = digest_markdown(records, date)
    for name, text in (
        ("digest.md", markdown),
        ("digest.html", render_html(markdown, digest_title(date))),
        ("feed.xml", atom_feed(records, date)),
    ):
        atomic_write_text(out_dir / name, text)
        result.written.append(out_dir / name)
    result.articles = len(records)
    return result
