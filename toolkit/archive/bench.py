"""Search latency over synthetic archives the bench builds itself (`toolkit bench --search`).

Each archive holds `size` articles, 500 a day, of 10 sentences and a headline drawn from
Zipf-distributed Arabic and English vocabularies (so queries meet common and rare words),
with glossary names in Arabic in some sentences and as entities, two people (of 2,000, each
with an English spelling and two Arabic mentions) and two places in each brief, and stories
of about five reports over three days. The timed call is `search()` itself, snippets
included, on an open archive; the sync that `toolkit search` does first is a stat per day
folder and is not timed.
"""

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

from toolkit.archive.database import ArticleRow, connect, write_day
from toolkit.archive.search import Names, search
from toolkit.document import Entity, Person, Place
from toolkit.glossary.entries import Glossary, default_glossary_files, load_glossary

SIZES = (2_000, 20_000, 100_000)
PER_DAY = 500
SENTENCES = 10
WORDS = 14
VOCABULARY = 30_000
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
# a synthetic word's proclitic: none one time in three, else one of toolkit.text's list
PEOPLE = 2_000
COUNTRIES = ("SO", "KE", "IQ", "SY", "YE", "LY", "EG", "SD")
CLITIC_DRAWS = ("", "", "", "و", "ال", "وال", "ب", "ل", "لل")


def _vocabulary(rng: random.Random, letters: str, size: int) -> list[str]:
    return list(
        dict.fromkeys("".join(rng.choices(letters, k=rng.randint(3, 8))) for _ in range(size))
    )


class Corpus:
    def __init__(self, seed: int = 20):
        self.rng = random.Random(seed)
        self.arabic = _vocabulary(self.rng, ARABIC_LETTERS, VOCABULARY)
        self.english = _vocabulary(self.rng, "abcdefghijklmnopqrstuvwxyz", VOCABULARY)
        weights = list(accumulate(1 / rank for rank in range(1, VOCABULARY + 1)))
        self.weights = {
            id(vocabulary): weights[: len(vocabulary)] for vocabulary in (self.arabic, self.english)
        }
        files = default_glossary_files()
        glossary = load_glossary(files) if files else Glossary()
        self.names = Names(glossary)
        self.terms = [(e.arabic, e.english, e.kind) for e in glossary.entries][:200] or [
            ("تيليغرام", "Telegram", "platform")
        ]
        self.people = [self._person(n) for n in range(PEOPLE)]

    def _person(self, n: int) -> Person:
        given, family = self.rng.sample(self.arabic[1000:], 2)  # rarer words: names
        english = " ".join(w.capitalize() for w in self.rng.sample(self.english[1000:], 2))
        country = COUNTRIES[n % len(COUNTRIES)]
        return Person(f"p-{n:05d}", english, (f"{given} {family}", family), "", country)

    def _words(self, vocabulary: list[str], k: int) -> list[str]:
        return self.rng.choices(vocabulary, cum_weights=self.weights[id(vocabulary)], k=k)

    def sentence(self) -> tuple[str, str, list[str]]:
        ar = [self.rng.choice(CLITIC_DRAWS) + w for w in self._words(self.arabic, WORDS)]
        en = self._words(self.english, WORDS)
        terms = []
        if self.rng.random() < 0.2:
            arabic, english, _ = self.rng.choice(self.terms)
            ar.insert(self.rng.randrange(len(ar)), arabic)
            terms.append(english)
        return " ".join(ar) + ".", " ".join(en).capitalize() + ".", terms

    def article(self, day: str, day_index: int, n: int) -> ArticleRow:
        headline = self.sentence()
        names = self.rng.sample(self.terms, 2)
        sentences = [self.sentence() for _ in range(SENTENCES)]
        people = self.rng.sample(self.people, 2)
        for person in people:  # named in full once, then by the family name: names.py's terms
            for mention in person.mentions:
                at = self.rng.randrange(SENTENCES)
                ar, en, terms = sentences[at]
                sentences[at] = (f"{ar} {mention}", en, [*terms, person.english])
        return ArticleRow(
            id=f"a{n:04d}",
            day=day,
            outlet=f"outlet-{n % 12}",
            url=f"https://example.org/{day}/{n}",
            date=day,
            headline=(headline[0], headline[1]),
            story=f"story-{day_index // 3}-{n // 5}",
            lead=n % 5 == 0,
            entities=[Entity(english, kind, 1) for _, english, kind in names],
            sentences=sentences,
            people=people,
            places=[
                Place(self.rng.choice(self.english).capitalize(), (word,), country)
                for word, country in zip(
                    self.rng.sample(self.arabic[1000:], 2),
                    self.rng.sample(COUNTRIES, 2),
                    strict=True,
                )
            ],
        )

    def queries(self) -> list[str]:
        """English and Arabic words of every frequency, a clitic form, glossary names, pairs."""
        picks = [5, 50, 500, 5000]
        english = [self.english[i] for i in picks]
        arabic = [self.arabic[i] for i in picks]
        names = list(dict.fromkeys(english for _, english, _ in self.terms))[:3]
        names.append(self.terms[-1][0])  # an Arabic glossary form
        people = [self.people[0].english, f"{self.people[1].english} {english[3]}"]
        return (
            english
            + arabic
            + ["وال" + arabic[1]]
            + names
            + [
                f"{english[1]} {english[2]}",
                f"{arabic[1]} {english[2]}",
                f"{names[0]} {english[3]}",
            ]
            + people
        )


def build(path: Path, size: int, corpus: Corpus) -> None:
    conn = connect(path)
    try:
        for day_index, first in enumerate(range(0, size, PER_DAY)):
            day = f"2026-{1 + day_index // 28 % 12:02d}-{1 + day_index % 28:02d}"
            if day_index >= 28 * 12:
                day = f"{2026 + day_index // (28 * 12)}{day[4:]}"
            count = min(PER_DAY, size - first)
            rows = [corpus.article(day, day_index, n) for n in range(count)]
            write_day(conn, day, rows, f"synthetic:{count}")
    finally:
        conn.close()


def measure_search(
    sizes=SIZES, repeat: int = 5, log: Callable[[str], None] | None = None
) -> list[dict]:
    """Per archive size: build time, file size, and median / p95 / max search time in ms."""
    rows = []
    for size in sizes:
        corpus = Corpus()
        with tempfile.TemporaryDirectory(prefix="toolkit-search-bench-") as scratch:
            path = Path(scratch) / "archive.sqlite"
            if log:
                log(f"bench: building a synthetic archive of {size:,} articles")
            started = time.perf_counter()
            build(path, size, corpus)
            build_s = time.perf_counter() - started
            conn = connect(path)
            try:
                queries = corpus.queries()
                for query in queries:  # warm the page cache once, as a second search would
                    search(conn, query, corpus.names)
                times, matched = [], 0
                for _ in range(repeat):
                    for query in queries:
                        started = time.perf_counter()
                        result = search(conn, query, corpus.names)
                        times.append((time.perf_counter() - started) * 1000)
                        matched += result.matched
            finally:
                conn.close()
            times.sort()
            rows.append(
                {
                    "articles": size,
                    "sentences": size * (SENTENCES + 1),
                    "build_s": round(build_s, 1),
                    "db_mb": round(path.stat().st_size / 2**20, 1),
                    "queries": len(times),
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
                    "max_ms": round(times[-1], 1),
                    "mean_matched": round(matched / len(times)),
                }
            )
    return rows


def search_bench_text(rows: list[dict]) -> str:
    lines = [
        f"{'articles':>9} {'build s':>8} {'db MB':>7} {'queries':>8} "
        f"{'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'matched':>8}"
    ]
    for r in rows:
        lines.append(
            f"{r['articles']:>9,} {r['build_s']:>8} {r['db_mb']:>7} {r['queries']:>8} "
            f"{r['median_ms']:>10} {r['p95_ms']:>8} {r['max_ms']:>8} {r['mean_matched']:>8}"
        )
    return "\n".join(lines)
