"""Reading back a day folder: its articles/*.json and the date it is for (DAY, story_of and
outlet_name, which the stages before publish read too, are toolkit.document's)."""

import datetime as dt
import json
from pathlib import Path

from toolkit.document import DAY, Article
from toolkit.errors import InputError
from toolkit.publish.article import ModelRef, article_from_json

Records = list[tuple[Article, ModelRef]]


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
