"""OUTPUTS/archive.sqlite: every published article, searchable; a cache of the day folders.

The day folders are the truth. Each day is written in one transaction that replaces all of
that day's rows, and remembered with a fingerprint of its articles/ folder (mtime and
number of files: every toolkit write is a rename, which changes both), so a sync rewrites
only the days that changed and drops the days that are gone. The file is opened by
toolkit.state.sqlite at its schema version (PRAGMA user_version); one that is not a usable
archive (garbage, a folder, another schema) is set aside as archive.sqlite.corrupt-<time>
with a warning and rebuilt: never fatal. A rebuild is built in a temp file beside it; the
temp file (and journal) of a rebuild that was killed is removed by the next open.

Tables (docs/archive.md): articles, sentences (n = 0 is the headline), entities, people,
places, stories, story_members, days; sentences_fts is an external-content FTS5 index over sentences
(ar_normalized, en, terms); the view passages joins each sentence to its article for
Datasette.
"""

import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.archive.text import index_text
from toolkit.corpus import Corpus, Published
from toolkit.document import Entity, Person, Place
from toolkit.fsutil import FILE_MODE, held_temp, remove_leftovers
from toolkit.state.files import set_aside
from toolkit.state.settings import setting
from toolkit.state.sqlite import Schema, open_db, transient
from toolkit.stories import day_stories

NAME = "archive.sqlite"
SCHEMA_VERSION = 3  # 2: articles.lead, stories.lead; 3: people, places, articles.countries
SENTENCE_BITS = 16  # sentence id = article num << 16 | n: an FTS hit names its article
BUSY_SETTING = "TOOLKIT_ARCHIVE_BUSY_S"  # seconds a write or a search waits for a lock
TABLES = {
    "articles",
    "sentences",
    "sentences_fts",
    "entities",
    "people",
    "places",
    "stories",
    "story_members",
    "days",
}

PEOPLE = """
CREATE TABLE people (
    article TEXT NOT NULL REFERENCES articles(key),
    person TEXT NOT NULL,          -- the profile id (toolkit.names), stable across articles
    english TEXT NOT NULL,         -- its one English spelling
    role TEXT NOT NULL,
    country TEXT NOT NULL,         -- ISO 3166 alpha-2, '' when unknown
    mentions TEXT NOT NULL         -- JSON array of the Arabic as written in the article
);
CREATE INDEX people_article ON people(article);
CREATE INDEX people_person ON people(person);
CREATE INDEX people_english ON people(english COLLATE NOCASE);  -- search's look-up
CREATE TABLE places (
    article TEXT NOT NULL REFERENCES articles(key),
    english TEXT NOT NULL,
    country TEXT NOT NULL,         -- ISO 3166 alpha-2
    mentions TEXT NOT NULL         -- JSON array of the Arabic as written in the article
);
CREATE INDEX places_article ON places(article);
CREATE INDEX places_country ON places(country, article);
"""

SCHEMA = """
CREATE TABLE articles (
    num INTEGER PRIMARY KEY,       -- internal: sentence ids are num << 16 | n
    key TEXT NOT NULL UNIQUE,      -- <day>/<id>: the same id may be published on two days
    id TEXT NOT NULL,
    day TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    date TEXT,
    headline_ar TEXT NOT NULL,
    headline_en TEXT NOT NULL,
    story TEXT NOT NULL,
    lead INTEGER NOT NULL,         -- 1: its story's lead as the story stood that day
    entities TEXT NOT NULL,        -- JSON array of the English names (Datasette's array facet)
    countries TEXT NOT NULL DEFAULT '[]'  -- JSON array of its places' country codes
);
CREATE INDEX articles_day ON articles(day, story);  -- with num: covers search's scan
CREATE INDEX articles_story ON articles(story);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,        -- the article's num << 16 | n
    article TEXT NOT NULL REFERENCES articles(key),
    n INTEGER NOT NULL,            -- 0: the headline, then the sentences in order
    ar TEXT NOT NULL,
    ar_normalized TEXT NOT NULL,   -- folded words and their stems without proclitics
    en TEXT NOT NULL,
    terms TEXT NOT NULL            -- English names of the glossary terms matched in it
);
CREATE INDEX sentences_article ON sentences(article, n);
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    ar_normalized, en, terms, content='sentences', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TABLE entities (
    article TEXT NOT NULL REFERENCES articles(key),
    english TEXT NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL
);
CREATE INDEX entities_article ON entities(article);
CREATE INDEX entities_english ON entities(english);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    headline TEXT NOT NULL,        -- of its lead
    reports INTEGER NOT NULL,
    lead TEXT NOT NULL             -- the lead's article id (on last_seen): toolkit.stories.Story
);
CREATE TABLE story_members (
    story TEXT NOT NULL REFERENCES stories(id),
    article TEXT NOT NULL REFERENCES articles(key),
    day TEXT NOT NULL,
    PRIMARY KEY (story, article)
);
CREATE TABLE days (
    day TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    articles INTEGER NOT NULL
);
CREATE VIEW passages AS
    SELECT s.id AS passage, a.day, a.outlet, a.story, a.key AS article,
           a.headline_en AS headline, s.n, s.ar, s.en, a.entities
    FROM sentences s JOIN articles a ON a.key = s.article;
"""
SCHEMA += PEOPLE


@dataclass
class ArticleRow:
    id: str
    day: str
    outlet: str | None
    url: str | None
    date: str | None
    headline: tuple[str, str]  # ar, en
    story: str
    lead: bool  # its story's lead as the story stood that day
    entities: list[Entity]
    sentences: list[tuple[str, str, list[str]]]  # ar, en, glossary names
    people: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.day}/{self.id}"


@dataclass
class SyncResult:
    written: list[str] = field(default_factory=list)  # days (re)written
    removed: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # file → reason (left out)


Warn = Callable[[str], None]


def archive_path(outputs: Path) -> Path:
    return Path(outputs) / NAME


# 1 → 2: the stories' leads; every day is written again at the next sync (a cache)
LEADS = """
ALTER TABLE articles ADD COLUMN lead INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN lead TEXT NOT NULL DEFAULT '';
DELETE FROM days;
"""

# 2 → 3: people and places, the articles' countries; every day is written again
PEOPLE_PLACES = (
    PEOPLE
    + """
ALTER TABLE articles ADD COLUMN countries TEXT NOT NULL DEFAULT '[]';
DELETE FROM days;
"""
)

ARCHIVE = Schema(
    version=SCHEMA_VERSION,
    create=SCHEMA,
    migrations={1: LEADS, 2: PEOPLE_PLACES},
    tables=dict.fromkeys(sorted(TABLES)),
    probe="SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'x'",
)


def connect(path: Path) -> sqlite3.Connection:
    """`path` at the archive's schema (created when empty), in autocommit mode."""
    opened = open_db(
        path, ARCHIVE, timeout=setting(BUSY_SETTING), autocommit=True, quick_check=False
    )
    opened.conn.execute("PRAGMA foreign_keys = OFF")
    return opened.conn


def open_archive(outputs: Path, warn: Warn | None = None) -> sqlite3.Connection:
    """OUTPUTS/archive.sqlite, created when missing, set aside and recreated when unusable;
    what a killed rebuild left beside it is removed first."""
    path = archive_path(outputs)
    remove_leftovers(path)
    new = not path.is_file()
    opened = open_db(
        path,
        ARCHIVE,
        timeout=setting(BUSY_SETTING),
        autocommit=True,
        quick_check=False,  # a large archive: its tables are checked, the sync finds the rest
        aside_folder=True,
    )
    opened.conn.execute("PRAGMA foreign_keys = OFF")
    if opened.aside is not None:
        _warn_aside(path, opened.reason, opened.aside, warn)
    if new or opened.aside is not None:
        os.chmod(path, FILE_MODE)
    return opened.conn


def _discard(path: Path, error: Exception, warn: Warn | None) -> None:
    _warn_aside(path, str(error), set_aside(path), warn)


def _warn_aside(path: Path, why: str | None, aside: Path, warn: Warn | None) -> None:
    if warn:
        warn(f"{path}: not a usable archive ({why}); set aside as {aside.name}, rebuilt")


def fingerprint(folder: Path) -> str:
    articles = folder / "articles"
    count = sum(name.endswith(".json") for name in os.listdir(articles))
    return f"{articles.stat().st_mtime_ns}:{count}"


def read_day(corpus: Corpus, day: str) -> tuple[list[ArticleRow], dict[str, str]]:
    """The article records of a day folder as rows, and the files that are not usable
    records; each row says whether it is its story's lead (the day's Stories)."""
    read = corpus.day(day)
    leads = {(story.id, story.lead.id) for story in day_stories(corpus, day)}
    return [_row(record, leads) for record in read.records], dict(read.failures)


def _row(record: Published, leads: set[tuple[str, str]]) -> ArticleRow:
    article = record.article
    return ArticleRow(
        id=article.id,
        day=record.day,
        outlet=article.source.outlet,
        url=article.source.url,
        date=article.source.date,
        headline=(article.headline.ar, article.headline.en),
        story=record.story,
        lead=(record.story, article.id) in leads,
        entities=list(article.brief.entities) if article.brief else [],
        people=list(article.brief.people) if article.brief else [],
        places=list(article.brief.places) if article.brief else [],
        sentences=[(s.ar, s.en, [term.english for term in s.terms]) for s in article.sentences],
    )


def write_day(conn: sqlite3.Connection, day: str, rows: list[ArticleRow], mark: str) -> None:
    """Replace every row of `day` by `rows`, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        stories = _delete_day(conn, day) | {row.story for row in rows}
        for row in rows:
            _insert(conn, row)
        conn.execute(
            "INSERT INTO sentences_fts(rowid, ar_normalized, en, terms) "
            "SELECT s.id, s.ar_normalized, s.en, s.terms FROM sentences s "
            "JOIN articles a ON a.key = s.article WHERE a.day = ?",
            (day,),
        )
        _refresh_stories(conn, stories)
        conn.execute("INSERT INTO days VALUES (?, ?, ?)", (day, mark, len(rows)))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def remove_day(conn: sqlite3.Connection, day: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        _refresh_stories(conn, _delete_day(conn, day))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _delete_day(conn: sqlite3.Connection, day: str) -> set[str]:
    """Delete a day's rows; return the stories it touched."""
    stories = {s for (s,) in conn.execute("SELECT story FROM articles WHERE day = ?", (day,))}
    in_day = "SELECT key FROM articles WHERE day = ?"
    conn.execute(
        "INSERT INTO sentences_fts(sentences_fts, rowid, ar_normalized, en, terms) "
        f"SELECT 'delete', id, ar_normalized, en, terms FROM sentences WHERE article IN ({in_day})",
        (day,),
    )
    for table in ("sentences", "entities", "people", "places"):
        conn.execute(f"DELETE FROM {table} WHERE article IN ({in_day})", (day,))
    conn.execute("DELETE FROM story_members WHERE day = ?", (day,))
    conn.execute("DELETE FROM articles WHERE day = ?", (day,))
    conn.execute("DELETE FROM days WHERE day = ?", (day,))
    return stories


def _insert(conn: sqlite3.Connection, row: ArticleRow) -> None:
    names = list(dict.fromkeys(entity.english for entity in row.entities))
    num = conn.execute(
        "INSERT INTO articles (key, id, day, outlet, url, date, headline_ar, headline_en, "
        "story, lead, entities, countries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.key,
            row.id,
            row.day,
            row.outlet,
            row.url,
            row.date,
            *row.headline,
            row.story,
            int(row.lead),
            json.dumps(names, ensure_ascii=False),
            json.dumps(sorted({place.country for place in row.places if place.country})),
        ),
    ).lastrowid
    sentences = [(row.headline[0], row.headline[1], [])] + row.sentences
    conn.executemany(
        "INSERT INTO sentences VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                num << SENTENCE_BITS | n,
                row.key,
                n,
                ar,
                index_text(ar),
                en,
                " | ".join(dict.fromkeys(terms)),
            )
            for n, (ar, en, terms) in enumerate(sentences)
        ],
    )
    conn.executemany(
        "INSERT INTO entities VALUES (?, ?, ?, ?)",
        [(row.key, e.english, e.kind, e.count) for e in row.entities],
    )
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)",
        [(row.key, p.id, p.english, p.role, p.country, _json_list(p.mentions)) for p in row.people],
    )
    conn.executemany(
        "INSERT INTO places VALUES (?, ?, ?, ?)",
        [(row.key, p.english, p.country, _json_list(p.mentions)) for p in row.places],
    )
    conn.execute("INSERT INTO story_members VALUES (?, ?, ?)", (row.story, row.key, row.day))


def _json_list(items: Iterable[str]) -> str:
    return json.dumps(list(items), ensure_ascii=False)


def _refresh_stories(conn: sqlite3.Connection, stories: Iterable[str]) -> None:
    """Story rows from their members: first and last day, reports, and the lead the stories
    stage gave it on its newest day."""
    lead = "SELECT {} FROM articles WHERE story = ?1 ORDER BY day DESC, lead DESC, key LIMIT 1"
    for story in stories:
        conn.execute("DELETE FROM stories WHERE id = ?", (story,))
        conn.execute(
            "INSERT INTO stories (id, first_seen, last_seen, headline, reports, lead) "
            f"SELECT story, min(day), max(day), "
            f"({lead.format('headline_en')}), count(*), ({lead.format('id')}) "
            "FROM articles WHERE story = ?1 GROUP BY story",
            (story,),
        )


def sync(conn: sqlite3.Connection, outputs: Path) -> SyncResult:
    """Bring the archive up to the day folders: changed days rewritten, vanished days dropped."""
    result = SyncResult()
    corpus = Corpus(outputs)
    folders = {day: corpus.outputs / day for day in corpus.days()}
    known = dict(conn.execute("SELECT day, fingerprint FROM days"))
    for day in sorted(set(known) - set(folders)):
        remove_day(conn, day)
        result.removed.append(day)
    for day, folder in folders.items():
        mark = fingerprint(folder)
        if known.get(day) == mark:
            continue
        rows, failures = read_day(corpus, day)
        write_day(conn, day, rows, mark)
        result.written.append(day)
        result.failures.update(failures)
    return result


def update_archive(
    outputs: Path, warn: Warn | None = None, rebuild: bool = False, retry: bool = True
) -> SyncResult:
    """Sync OUTPUTS/archive.sqlite with the day folders (from scratch with `rebuild`).

    An archive that turns out unusable midway is set aside and rebuilt once.
    """
    outputs = Path(outputs)
    if rebuild:
        return _rebuild(outputs)
    conn = open_archive(outputs, warn)
    try:
        return sync(conn, outputs)
    except sqlite3.DatabaseError as error:
        if transient(error) or not retry:
            raise
        conn.close()
        _discard(archive_path(outputs), error, warn)
        return update_archive(outputs, warn, retry=False)
    finally:
        conn.close()


def _rebuild(outputs: Path) -> SyncResult:
    """A new archive from every day folder, built beside the old one and renamed over it."""
    path = archive_path(outputs)
    remove_leftovers(path)
    with held_temp(path) as tmp:
        conn = connect(tmp)
        try:
            result = sync(conn, outputs)
        finally:
            conn.close()
        os.chmod(tmp, FILE_MODE)
        if path.is_dir():
            set_aside(path)
        os.replace(tmp, path)
    return result


def refresh_archive(outputs: Path, warn: Warn) -> SyncResult | None:
    """update_archive where the archive is a by-product (nightly, search): a problem of the
    moment (locked, read-only, disk full) is a warning; a later run catches up."""
    try:
        return update_archive(outputs, warn)
    except (sqlite3.Error, OSError) as error:
        warn(f"{archive_path(outputs)} not updated ({error}): run `toolkit archive` later")
        return None
