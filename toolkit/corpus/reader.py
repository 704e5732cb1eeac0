"""Corpus(outputs): the published articles of an outputs folder, by day.

The only reader of OUTPUTS/<day>/articles/*.json (and the only writer of a record's
story once it is published). A record that cannot be read is named in `failures` and left
out; its neighbours are read.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.corpus.record import DAY, ModelRef, dumps, outlet_name, read_record
from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text


@dataclass(frozen=True)
class Published:
    """One published article: its record, the model that translated it, its day."""

    article: Article
    model: ModelRef
    day: str
    path: Path

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def story(self) -> str:
        return self.article.story or self.article.id

    @property
    def outlet(self) -> str:
        source = self.article.source
        return outlet_name(source.outlet, source.url, source.path)


@dataclass
class DayArticles:
    """A day folder's articles in name order, and the records that could not be read."""

    day: str
    folder: Path
    records: list[Published] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # file → one-line reason

    @property
    def synthetic(self) -> bool:
        return any(record.model.synthetic for record in self.records)


def read_folder(folder: Path, day: str) -> DayArticles:
    """Any folder holding articles/*.json (a dated one, or `toolkit batch`'s OUT_DIR)."""
    folder = Path(folder)
    read = DayArticles(day, folder)
    for path in sorted((folder / "articles").glob("*.json")):
        try:
            article, model = read_record(path)
        except InputError as error:
            read.failures[str(path)] = str(error)
            continue
        read.records.append(Published(article, model, day, path))
    return read


class Corpus:
    """The dated folders of an outputs folder; each day read once per Corpus."""

    def __init__(self, outputs: Path):
        self.outputs = Path(outputs)
        self._days: dict[str, DayArticles] = {}

    def days(self) -> list[str]:
        """Dated folders that hold articles/, oldest first."""
        if not self.outputs.is_dir():
            return []
        return sorted(
            p.name
            for p in self.outputs.iterdir()
            if DAY.fullmatch(p.name) and (p / "articles").is_dir()
        )

    def day(self, day: str) -> DayArticles:
        if day not in self._days:
            self._days[day] = read_folder(self.outputs / day, day)
        return self._days[day]

    def window(self, first: str, last: str) -> list[DayArticles]:
        """The days from `first` to `last` (both included) that have a folder, oldest first."""
        return [self.day(day) for day in self.days() if first <= day <= last]

    def set_story(self, record: Published, story: str) -> bool:
        """Give a published article its story id; False when it already had it."""
        data = json.loads(record.path.read_text(encoding="utf-8"))
        if data.get("story") == story:
            return False
        data["story"] = story
        atomic_write_text(record.path, dumps(data))
        record.article.story = story
        return True
