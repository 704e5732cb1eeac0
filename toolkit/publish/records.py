"""Reading back a day folder: its articles/*.json and the date it is for."""

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.publish.article import ModelRef, article_from_json

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

Records = list[tuple[Article, ModelRef]]


def day_of(out_dir: Path, date: str | None = None) -> str:
    """The date a folder's digest is for: given, else the folder name, else today."""
    return date or (out_dir.name if DAY.fullmatch(out_dir.name) else dt.date.today().isoformat())


def outlet_name(outlet: str | None, url: str | None, path: str | None) -> str:
    """The outlet's name, else the web site's host, else the input file's name."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # "http://[::1" and the like
        host = None
    return outlet or host or (path or "").rsplit("/", 1)[-1]


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


def story_of(data: dict) -> str:
    """The story an article JSON belongs to: its "story" key, else a story of its own."""
    story = data.get("story")
    return story if isinstance(story, str) and story else str(data["id"])
