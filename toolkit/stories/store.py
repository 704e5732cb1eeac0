"""Stories over the dated folders of an outputs folder: assign a day, read them back.

The day folders are the source of truth: each articles/<id>.json carries its `"story"`.
A day is assigned against the 7 days before it (their articles keep their ids), so a rerun
of the day, or of a later one, gives the same ids; `toolkit brief` only reads them.
"""

import contextlib
import datetime as dt
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.document import DAY
from toolkit.fsutil import atomic_write_text
from toolkit.stories.cluster import WINDOW_DAYS, cluster
from toolkit.stories.features import Doc, Features, content_key, doc_from_json

CACHE = ".stories-features.json"  # per day folder: features by article, rebuilt when unusable


@dataclass(frozen=True)
class Report:
    """One article of a story, as a list of versions shows it."""

    id: str
    day: str
    outlet: str
    url: str
    headline: str  # English, else Arabic
    size: int = 0
    names: tuple[str, ...] = ()  # glossary entities

    @classmethod
    def of(cls, doc: Doc) -> "Report":
        names = tuple(name for name, _ in doc.entities)
        headline = doc.headline_en or doc.headline
        return cls(doc.id, doc.day, doc.outlet, doc.url, headline, doc.size, names)

    def to_json(self) -> dict:
        return {"id": self.id, "day": self.day, "outlet": self.outlet, "url": self.url}


@dataclass
class StoryRecord:
    id: str
    reports: list[Report] = field(default_factory=list)

    @property
    def first_seen(self) -> str:
        return min(r.day for r in self.reports)

    @property
    def last_seen(self) -> str:
        return max(r.day for r in self.reports)

    @property
    def best(self) -> Report:
        return best_report(self.reports)

    def names(self) -> Counter:
        """Reports naming each glossary entity."""
        return Counter(name for report in self.reports for name in report.names)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "articles": [r.to_json() for r in sorted(self.reports, key=_order)],
            "headline": self.best.headline,
            "entities": [name for name, _ in sorted(self.names().items(), key=_by_count)],
        }


def _order(report: Report) -> tuple[str, str]:
    return report.day, report.id


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def best_report(reports: list[Report]) -> Report:
    """The fullest report (most sentences), the earliest of equals."""
    return min(reports, key=lambda r: (-r.size, r.day, r.id))


def day_folders(outputs: Path) -> list[Path]:
    """Dated folders, oldest first."""
    if not Path(outputs).is_dir():
        return []
    return sorted(p for p in Path(outputs).iterdir() if DAY.fullmatch(p.name) and p.is_dir())


def read_day(folder: Path) -> tuple[list[tuple[Path, dict, Doc]], dict[str, str]]:
    """A day folder's article records, in name order, and the unreadable ones."""
    read, failures = [], {}
    for path in sorted((folder / "articles").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            read.append((path, data, doc_from_json(data, folder.name)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            failures[str(path)] = f"{path}: not an article record ({error})"
    return read, failures


def days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


@dataclass
class Assignment:
    articles: int = 0
    stories: int = 0
    new: int = 0  # stories founded today
    written: int = 0  # article records whose story changed
    failures: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def read_cache(folder: Path, docs: list[Doc]) -> dict[tuple[str, str], Features]:
    """The cached features of these articles of a day folder that are still current."""
    try:
        cached = json.loads((folder / CACHE).read_text(encoding="utf-8"))
        return {
            (doc.day, doc.id): Features.from_json(cached[doc.id]["features"])
            for doc in docs
            if cached.get(doc.id, {}).get("key") == content_key(doc)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # none, or unusable: computed again and rewritten


def write_cache(folder: Path, docs: list[Doc], found: dict) -> None:
    cache = {
        doc.id: {"key": content_key(doc), "features": found[(doc.day, doc.id)].to_json()}
        for doc in docs
    }
    with contextlib.suppress(OSError):  # a cache: the next run computes the features again
        atomic_write_text(folder / CACHE, json.dumps(cache, ensure_ascii=False) + "\n")


def assign_day(outputs: Path, day: str) -> Assignment:
    """Give each article of OUTPUTS/<day> its story, against the 7 days before."""
    outputs = Path(outputs)
    clock = time.perf_counter()
    today, failures = read_day(outputs / day)
    since = days_before(day, WINDOW_DAYS)
    days = {day: [doc for _, _, doc in today]}
    for folder in day_folders(outputs):
        if since <= folder.name < day:
            days[folder.name] = [doc for _, _, doc in read_day(folder)[0]]
    known = {}
    for name, docs in days.items():
        known.update(read_cache(outputs / name, docs))
    result = Assignment(articles=len(today), failures=failures)
    result.timings["read_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    history = [doc for name, docs in days.items() if name != day for doc in docs]
    clusterer = cluster(history, days[day], known=known)
    stories = clusterer.assigned
    result.timings["cluster_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    for name, docs in days.items():
        if any((doc.day, doc.id) not in known for doc in docs):
            write_cache(outputs / name, docs, clusterer.found)
    result.stories = len(set(stories.values()))
    result.new = len(set(stories.values()) - {doc.story for doc in history})
    for path, data, doc in today:
        if data.get("story") != stories[doc.id]:
            data["story"] = stories[doc.id]
            atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
            result.written += 1
    result.timings["write_s"] = round(time.perf_counter() - clock, 3)
    return result


def read_stories(outputs: Path, day: str | None = None) -> tuple[list[StoryRecord], dict]:
    """Every story of the outputs folder, newest first, and the unreadable records; with
    `day`, the stories of that day as they stood then (their earlier reports read back while
    they are alive)."""
    reports: dict[str, list[Report]] = defaultdict(list)
    failures: dict[str, str] = {}
    for folder in day_folders(outputs):
        if day is None or folder.name == day:
            read, broken = read_day(folder)
            failures.update(broken)
            for _, _, doc in read:
                reports[doc.story].append(Report.of(doc))
    if day is not None:
        past = read_past(outputs, day, set(reports))
        failures.update(past.failures)
        for story, earlier in past.reports.items():
            reports[story] += earlier
    stories = [StoryRecord(story, found) for story, found in reports.items()]
    return sorted(stories, key=lambda s: (s.last_seen, s.first_seen, s.id), reverse=True), failures


@dataclass
class Past:
    """What a day's digest needs from the days before it."""

    reports: dict[str, list[Report]] = field(default_factory=dict)  # story → earlier reports
    mentions: dict[str, Counter] = field(default_factory=dict)  # day → articles naming each
    failures: dict[str, str] = field(default_factory=dict)  # unreadable records read back


def read_past(outputs: Path, day: str, stories: set[str]) -> Past:
    """Earlier reports of these stories, read back while they are alive (a story takes new
    reports up to 7 days after its last one), and the names mentioned on the 7 days before."""
    past = Past(defaultdict(list))
    horizon = days_before(day, WINDOW_DAYS)
    for folder in reversed(day_folders(outputs)):
        if folder.name >= day:
            continue
        if folder.name < horizon:
            break
        mentions: Counter = Counter()
        read, broken = read_day(folder)
        past.failures.update(broken)
        for _, _, doc in read:
            if doc.story in stories:
                past.reports[doc.story].append(Report.of(doc))
                horizon = min(horizon, days_before(folder.name, WINDOW_DAYS))
            mentions.update({name for name, _ in doc.entities})
        if folder.name >= days_before(day, WINDOW_DAYS):
            past.mentions[folder.name] = mentions
    past.reports = dict(past.reports)
    return past
