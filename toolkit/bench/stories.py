"""`toolkit bench --stories`: the cost of adding one day of articles to a growing archive.

The bench writes a synthetic outputs folder itself: article records (articles/<id>.json, as
the nightly writes them) with Arabic-like text drawn from a Zipf vocabulary, about events
that each have a place, people, a figure, often an operation name and one or two of a few
shared organisations, reported by one to four outlets over up to three days. The archive's
articles carry their true story ids. At each size it writes one more day (`--day-articles`)
and times every measurement in MEASUREMENTS on it, then grows the archive to the next size.

A measurement is a function (outputs folder, the new day, archive size) → rows: the archive
database's search timing can be added beside `assign_day` here.
"""

import datetime as dt
import json
import os
import random
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.corpus import Corpus
from toolkit.stories import assign_day
from toolkit.stories.features import stem, term_of
from toolkit.stories.labelled import BCubed
from toolkit.stories.store import CACHE

START = dt.date(2026, 1, 1)
LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
VOCABULARY = 6000
SENTENCES = 8
WORDS_PER_SENTENCE = 14
ORGS = (
    ("يوروبول", "Europol"),
    ("الإنتربول", "Interpol"),
    ("داعش", "ISIS"),
    ("تلغرام", "Telegram"),
    ("الأمم المتحدة", "United Nations"),
    ("بيتكوين", "Bitcoin"),
)
PLACES = ("فرنسا", "ألمانيا", "إسبانيا", "بولندا", "المغرب", "تركيا", "العراق", "الأردن")
PLACES += ("مصر", "لبنان", "إيطاليا", "هولندا", "بلجيكا", "تونس", "ليبيا", "السودان")
OUTLETS = ("الشرق الأوسط", "العربية", "الجزيرة نت", "سكاي نيوز عربية", "الحرة", "هسبريس")
CONTINUING = 0.25  # share of a day's articles that follow up an event of the days before


@dataclass
class Event:
    id: str
    ends: str
    place: str
    people: list[str]
    figure: int
    operation: str | None
    orgs: list[tuple[str, str]]
    words: list[str]
    story: str | None = None  # its id in the archive (the founding article's story)


@dataclass
class Generator:
    seed: int = 7
    rng: random.Random = field(init=False)
    vocabulary: list[str] = field(init=False)
    weights: list[float] = field(init=False)
    live: list[Event] = field(default_factory=list)
    events: int = 0

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        self.vocabulary = [self.word() for _ in range(VOCABULARY)]
        total = 0.0
        self.weights = []
        for rank in range(1, VOCABULARY + 1):
            total += 1 / rank
            self.weights.append(total)

    def word(self, low: int = 3, high: int = 7) -> str:
        return "".join(self.rng.choices(LETTERS, k=self.rng.randint(low, high)))

    def event(self, day: str) -> Event:
        self.events += 1
        rng = self.rng
        return Event(
            id=f"e{self.events}",
            ends=(dt.date.fromisoformat(day) + dt.timedelta(days=rng.randint(0, 2))).isoformat(),
            place=rng.choice(PLACES),
            people=[f"{self.word()} {self.word()}" for _ in range(2)],
            figure=rng.randint(2, 900),
            operation=f"{self.word()} {self.word()}" if rng.random() < 0.3 else None,
            orgs=rng.sample(ORGS, rng.randint(1, 2)),
            words=rng.sample(self.vocabulary[300:3000], 12),
        )

    def day(self, day: str, count: int) -> list[tuple[Event, dict]]:
        """One day of article records, each with its event."""
        self.live = [event for event in self.live if event.ends >= day]
        earlier = list(self.live)
        fresh = [self.event(day) for _ in range(max(1, count // 3))]
        self.live += fresh
        articles = []
        for number in range(count):
            follow_up = earlier and self.rng.random() < CONTINUING
            event = self.rng.choice(earlier if follow_up else fresh)
            articles.append((event, self.record(f"a{day.replace('-', '')}-{number}", event)))
        return articles

    def record(self, article_id: str, event: Event) -> dict:
        rng = self.rng
        op = f" في عملية «{event.operation}»" if event.operation else ""
        headline = " ".join(self.sentence(event, 6)) + f" في {event.place}"
        sentences = [
            " ".join(self.sentence(event, WORDS_PER_SENTENCE)) + "." for _ in range(SENTENCES)
        ]
        sentences[0] = f"أعلنت السلطات في {event.place}{op} " + sentences[0]
        sentences[1] += f" وقال المدعو {rng.choice(event.people)} إن {event.figure} مليون يورو"
        names = " و".join(arabic for arabic, _ in event.orgs)
        sentences[2] += f" بمشاركة {names}."
        return {
            "id": article_id,
            "source": {
                "path": f"inbox/{article_id}.json",
                "sha256": "0" * 64,
                "encoding": "utf-8",
                "url": f"https://example.org/{article_id}",
                "outlet": rng.choice(OUTLETS),
            },
            "model": {
                "name": "bench",
                "sha256": "0" * 64,
                "quantization": "none",
                "synthetic": True,
            },
            "headline": {"ar": headline, "en": ""},
            "sentences": [{"ar": s, "en": "", "paragraph": i} for i, s in enumerate(sentences)],
            "brief": {
                "bluf": "",
                "key_points": [],
                "figures": [
                    {
                        "kind": "money",
                        "value": f"€{event.figure} million",
                        "arabic": "",
                        "context": "",
                    }
                ],
                "entities": [
                    {"english": english, "kind": "organization", "count": 1}
                    for _, english in event.orgs
                ],
            },
        }

    def sentence(self, event: Event, length: int) -> list[str]:
        words = self.rng.choices(self.vocabulary, cum_weights=self.weights, k=length)
        for _ in range(length // 4):
            words[self.rng.randrange(length)] = self.rng.choice(event.words)
        return words


def write_day(outputs: Path, day: str, articles: list[tuple[Event, dict]], stories: bool) -> None:
    folder = outputs / day / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for event, record in articles:
        if stories:
            event.story = event.story or f"s-{event.id}"
            record = {**record, "story": event.story}
        text = json.dumps(record, ensure_ascii=False)
        (folder / f"{record['id']}.json").write_text(text, encoding="utf-8")


Measurement = Callable[[Path, str, int, list], list[dict]]


def assign_measure(outputs: Path, day: str, size: int, truth: list) -> list[dict]:
    """`assign_day` of the new day (read the 7 days before, extract, cluster, write), cold
    (no day has its features cached yet) and as a nightly runs it (the 7 days before have)."""
    rows = [_assign_row(outputs, day, size, truth, "cold")]
    (outputs / day / CACHE).unlink()
    write_day(outputs, day, truth, False)  # the new day as it came, without story ids
    return rows + [_assign_row(outputs, day, size, truth, "warm")]


def _assign_row(outputs: Path, day: str, size: int, truth: list, cache: str) -> dict:
    stem.cache_clear()  # as in a nightly's fresh process
    term_of.cache_clear()
    started, cpu = time.perf_counter(), time.process_time()
    result = assign_day(outputs, day)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    predicted, gold = [], []
    stories = {record.id: record.story for record in Corpus(outputs).day(day).records}
    for event, record in truth:
        predicted.append(stories[record["id"]])
        gold.append(event.id)
    return {
        "measure": "stories-assign-day",
        "cache": cache,
        "archive_articles": size,
        "day_articles": result.articles,
        "seconds": round(seconds, 3),
        "ms_per_article": round(1000 * seconds / max(result.articles, 1), 2),
        "cpu_seconds": round(cpu, 3),  # this process's; the rest is waiting (disk, cores)
        **result.timings,
        "stories": result.stories,
        "new_stories": result.new,
        "bcubed": BCubed().corpus(predicted, gold),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


MEASUREMENTS: list[Measurement] = [assign_measure]


def run_stories_bench(
    sizes: list[int],
    per_day: int = 500,
    measurements: list[Measurement] | None = None,
    log: Callable[[str], None] = lambda _line: None,
) -> dict:
    """Build the archive up to each size in turn, and measure one new day at each."""
    rows: list[dict] = []
    generator = Generator()
    built, day = 0, START
    with tempfile.TemporaryDirectory(prefix="toolkit-bench-stories-") as scratch:
        outputs = Path(scratch) / "outputs"
        outputs.mkdir()
        for size in sorted(sizes):
            started = time.perf_counter()
            while built < size:
                count = min(per_day, size - built)
                write_day(outputs, day.isoformat(), generator.day(day.isoformat(), count), True)
                built += count
                day += dt.timedelta(days=1)
            took = time.perf_counter() - started
            log(f"bench: archive of {built:,} articles built in {took:.1f} s")
            new_day = day.isoformat()
            truth = generator.day(new_day, per_day)
            write_day(outputs, new_day, truth, False)
            for measure in measurements or MEASUREMENTS:
                rows += measure(outputs, new_day, built, truth)
                log(f"bench: {json.dumps(rows[-1])}")
            shutil.rmtree(outputs / new_day)  # the archive grows by generated days only
            generator.live = [e for e in generator.live if e.story]
    return {
        "machine": {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"sizes": sorted(sizes), "day_articles": per_day, "seed": generator.seed},
        "rows": rows,
    }


def stories_bench_text(report: dict) -> str:
    lines = [
        f"{'archive':>10} {'day':>6} {'cache':>6} {'seconds':>9} {'cpu s':>7} {'read':>6} "
        f"{'cluster':>8} {'write':>6} {'B-cubed F1':>11}",
    ]
    for row in report["rows"]:
        if row["measure"] == "stories-assign-day":
            lines.append(
                f"{row['archive_articles']:>10,} {row['day_articles']:>6} {row['cache']:>6} "
                f"{row['seconds']:>9.2f} {row['cpu_seconds']:>7.2f} {row['read_s']:>6.2f} "
                f"{row['cluster_s']:>8.2f} {row['write_s']:>6.2f} {row['bcubed']['f1']:>11.3f}"
            )
    load = ", ".join(map(str, report["machine"]["load_average"]))
    lines.append(f"({report['machine']['cpus']} CPUs, load average {load})")
    return "\n".join(lines)
