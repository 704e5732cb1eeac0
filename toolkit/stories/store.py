"""Stories over the dated folders of an outputs folder: assign a day, persist its Stories,
read them back.

The article records are the source of truth: each articles/<id>.json carries its `"story"`.
A day is assigned against the 7 days before it (their articles keep their ids), so a rerun
of the day, or of a later one, gives the same ids. The day's Stories, as they stood that
day, are then written to OUTPUTS/<day>/stories.json; every reader of a story takes them
from there (recomputed by the same code when the file is missing, unusable or older than
the day's records: a cache, never fatal).
"""

import contextlib
import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.corpus import DAY, Corpus, DayArticles, Published, day_of, read_folder
from toolkit.fsutil import atomic_write_text
from toolkit.stories.cluster import WINDOW_DAYS, cluster, days_before
from toolkit.stories.features import Doc, Features, content_key, doc_of
from toolkit.stories.story import Report, Story

CACHE = ".stories-features.json"  # per day folder: features by article, rebuilt when unusable
STORIES = "stories.json"  # per day folder: its Stories as they stood that day
STORIES_VERSION = 1


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
    """Give each article of OUTPUTS/<day> its story, against the 7 days before, and write
    the day's Stories."""
    corpus = Corpus(outputs)
    clock = time.perf_counter()
    today = corpus.day(day)
    since = days_before(day, WINDOW_DAYS)
    days = {day: [doc_of(record) for record in today.records]}
    for earlier in corpus.window(since, day):
        if earlier.day != day:
            days[earlier.day] = [doc_of(record) for record in earlier.records]
    known = {}
    for name, docs in days.items():
        known.update(read_cache(corpus.outputs / name, docs))
    result = Assignment(articles=len(today.records), failures=dict(today.failures))
    result.timings["read_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    history = [doc for name, docs in days.items() if name != day for doc in docs]
    clusterer = cluster(history, days[day], known=known)
    stories = clusterer.assigned
    result.timings["cluster_s"] = round(time.perf_counter() - clock, 3)
    clock = time.perf_counter()
    for name, docs in days.items():
        if any((doc.day, doc.id) not in known for doc in docs):
            write_cache(corpus.outputs / name, docs, clusterer.found)
    result.stories = len(set(stories.values()))
    result.new = len(set(stories.values()) - {doc.story for doc in history})
    for record in today.records:
        result.written += corpus.set_story(record, stories[record.id])
    write_day_stories(corpus, day)
    result.timings["write_s"] = round(time.perf_counter() - clock, 3)
    return result


def compute_day_stories(corpus: Corpus, day: str) -> list[Story]:
    """The stories with a report on `day`, as they stood that day, in the order of their
    first report of the day (by file name)."""
    records = corpus.day(day).records
    earlier = read_past(corpus, day, {record.story for record in records}).reports
    return group_stories(records, day, earlier)


def write_day_stories(corpus: Corpus, day: str) -> list[Story]:
    stories = compute_day_stories(corpus, day)
    document = {
        "version": STORIES_VERSION,
        "day": day,
        "articles": _members(corpus.day(day).records),
        "stories": [story.stored() for story in stories],
    }
    with contextlib.suppress(OSError):  # read back by the same code when it is not there
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        atomic_write_text(corpus.outputs / day / STORIES, text)
    return stories


def _members(records: list[Published]) -> dict[str, str]:
    return {record.id: record.story for record in records}


def day_stories(corpus: Corpus, day: str) -> list[Story]:
    """The day's Stories as the stories stage wrote them (computed by the same code when the
    file is missing, unusable, or does not match the day's records)."""
    try:
        document = json.loads((corpus.outputs / day / STORIES).read_text(encoding="utf-8"))
        if document["version"] != STORIES_VERSION or document["day"] != day:
            raise ValueError("another version or day")
        if document["articles"] != _members(corpus.day(day).records):
            raise ValueError("older than the day's records")
        return [Story.from_stored(story, day) for story in document["stories"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return compute_day_stories(corpus, day)


def read_stories(outputs: Path, day: str | None = None) -> tuple[list[Story], dict]:
    """Every story of the outputs folder as it stands after its newest report, newest first,
    and the unreadable records; with `day`, the stories of that day as they stood then."""
    corpus = Corpus(outputs)
    days = [day] if day is not None else corpus.days()
    found: dict[str, Story] = {}
    failures: dict[str, str] = {}
    for name in reversed(days):
        failures.update(corpus.day(name).failures)
        for story in day_stories(corpus, name):
            found.setdefault(story.id, story)
    if day is not None:
        failures.update(read_past(corpus, day, set(found)).failures)
    stories = sorted(found.values(), key=lambda s: (s.last_seen, s.first_seen, s.id), reverse=True)
    return stories, failures


@dataclass
class Past:
    """What a day's digest needs from the days before it."""

    reports: dict[str, list[Report]] = field(default_factory=dict)  # story → earlier reports
    mentions: dict[str, Counter] = field(default_factory=dict)  # day → articles naming each
    failures: dict[str, str] = field(default_factory=dict)  # unreadable records read back


def read_past(corpus: Corpus, day: str, stories: set[str]) -> Past:
    """Earlier reports of these stories, read back while they are alive (a story takes new
    reports up to 7 days after its last one), and the names mentioned on the 7 days before."""
    past = Past(defaultdict(list))
    horizon = days_before(day, WINDOW_DAYS)
    for name in reversed(corpus.days()):
        if name >= day:
            continue
        if name < horizon:
            break
        mentions: Counter = Counter()
        read = corpus.day(name)
        past.failures.update(read.failures)
        for record in read.records:
            if record.story in stories:
                past.reports[record.story].append(Report.of(record))
                horizon = min(horizon, days_before(name, WINDOW_DAYS))
            brief = record.article.brief
            mentions.update({e.english for e in (brief.entities if brief else [])})
        if name >= days_before(day, WINDOW_DAYS):
            past.mentions[name] = mentions
    past.reports = dict(past.reports)
    return past


def group_stories(records: list[Published], day: str, earlier: dict | None = None) -> list[Story]:
    """Stories of these records of `day` (with their `earlier` reports, by story id), in the
    order of their first record."""
    today: dict[str, list[Report]] = {}
    for record in records:
        today.setdefault(record.story, []).append(Report.of(record))
    earlier = earlier or {}
    return [Story.of(sid, reports + earlier.get(sid, []), day) for sid, reports in today.items()]


def folder_stories(folder: Path, date: str | None = None) -> tuple[DayArticles, list[Story]]:
    """A folder's articles and Stories: a dated folder of an outputs folder as the stories
    stage left it; any other folder (`toolkit batch`'s) on its own, without a past."""
    folder = Path(folder)
    if DAY.fullmatch(folder.name):
        corpus = Corpus(folder.parent)
        return corpus.day(folder.name), day_stories(corpus, folder.name)
    read = read_folder(folder, day_of(folder, date))
    return read, group_stories(read.records, read.day)
