"""Translation memory: SQLite (WAL), one row per sentence the model decoded.

Key = sha256 of (model sha256, the decoding options that change results, the exact text the
model is given — normalized, with glossary names injected — and the variants suppressed for
it). The value is the decoder's raw n-best output, so glossary post-editing, re-ranking and
verification run again on every use and never need a decode. Editing one glossary entry
changes the key only of the sentences it touches; another model changes every key.

It also keeps each run's plan until the run ends: the inputs it had to decode when it
started (table `planned`, by the hash of all the run's inputs). A run resumed after a kill
finds them there and plans the same batches, so it translates exactly as the run it resumes.

The memory is a cache, opened by toolkit.state.sqlite at schema version 1 (a file of version
0, made before versions were kept, is adopted as it is): one that SQLite finds corrupt (or
that is not a database, or not ours) is moved aside as `tm.sqlite.corrupt-<time>` with its
-wal/-shm files, and a new one starts.
One that cannot be used at all (a folder in its place, no permission, held locked by another
process past BUSY_TIMEOUT_S) never stops the run: it goes on without the memory, warned.
"""

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from toolkit.state.sqlite import Schema, open_db
from toolkit.translate.engine import DecodingOptions, Hypothesis, Segment, Translation

# Seconds to wait for another process's write lock before going on without the memory
BUSY_TIMEOUT_S = 2.0
COLUMNS = ["key", "model_sha256", "source", "result", "created"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    model_sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    result TEXT NOT NULL,
    created TEXT NOT NULL
)
"""
PLANS = """
CREATE TABLE IF NOT EXISTS planned (
    plan TEXT NOT NULL,
    key TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (plan, key)
)
"""
PLAN_DAYS = 30  # a plan whose run was never resumed is forgotten after this
MEMORY = Schema(
    version=1,
    create=SCHEMA + ";" + PLANS,
    migrations={0: SCHEMA + ";" + PLANS},  # version 0: the same tables, unversioned
    tables={"translations": COLUMNS, "planned": None},
)


def memory_key(
    model_sha256: str, options: DecodingOptions, source: str, suppress: list[str]
) -> str:
    decoding = [
        options.beam_size,
        options.num_hypotheses,
        options.max_source_tokens,
        options.decoding_ratio,
        options.decoding_margin,
    ] + ([options.vmap] if options.vmap else [])  # keys made without a vmap stay valid
    material = json.dumps([model_sha256, decoding, source, sorted(suppress)], ensure_ascii=False)
    return hashlib.sha256(material.encode()).hexdigest()


def translation_to_json(translation: Translation) -> str:
    return json.dumps(
        [
            {
                "source_tokens": segment.source_tokens,
                "limit": segment.limit,
                "hypotheses": [[h.tokens, h.text, h.score] for h in segment.hypotheses],
            }
            for segment in translation.segments
        ],
        ensure_ascii=False,
    )


def translation_from_json(text: str) -> Translation:
    return Translation(
        [
            Segment(
                source_tokens=segment["source_tokens"],
                hypotheses=[
                    Hypothesis(tokens, words, score)
                    for tokens, words, score in segment["hypotheses"]
                ],
                limit=segment["limit"],
            )
            for segment in json.loads(text)
        ]
    )


class TranslationMemory:
    def __init__(self, path: Path, warn: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.warning: str | None = None  # set when the memory was set aside or left out
        self.warn = warn or (lambda _message: None)
        self.bad_rows = 0  # rows whose stored translation was unusable, left out
        self.db: sqlite3.Connection | None = None  # None: going on without the memory
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            opened = open_db(self.path, MEMORY, timeout=BUSY_TIMEOUT_S, wal=True)
            self.db = opened.conn
            if opened.aside is not None:
                self.warning = (
                    f"{self.path}: not a usable translation memory ({opened.reason}); "
                    f"moved aside to {opened.aside.name}, starting a new one"
                )
                self.warn(self.warning)
            self.db.execute("PRAGMA synchronous=NORMAL")
        except (sqlite3.Error, OSError) as error:
            self._without(error)

    def _without(self, error: Exception) -> None:
        """Go on without the memory from here, and say so."""
        if self.db is not None:
            self.db.close()
            self.db = None
        self.warning = (
            f"{self.path}: translation memory not usable ({error}); "
            "going on without it (every sentence is decoded)"
        )
        self.warn(self.warning)

    def get_many(self, keys: list[str]) -> dict[str, Translation]:
        found: dict[str, Translation] = {}
        unique = list(dict.fromkeys(keys))
        try:
            for start in range(0, len(unique), 500):
                if self.db is None:
                    return {}
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = self.db.execute(
                    f"SELECT key, result FROM translations WHERE key IN ({marks})", chunk
                )
                for key, result in rows:
                    translation = self._read(key, result)
                    if translation is not None:
                        found[key] = translation
        except sqlite3.Error as error:
            self._without(error)
            return {}
        return found

    def _read(self, key: str, result: object) -> Translation | None:
        """A stored translation; a row that is not one is a miss (decoded again, replaced)."""
        try:
            return translation_from_json(result)
        except (ValueError, TypeError, KeyError) as error:
            if not self.bad_rows:
                self.warn(
                    f"{self.path}: a stored translation is not usable ({type(error).__name__}); "
                    "such sentences are decoded again"
                )
            self.bad_rows += 1
            return None

    def put_many(self, model_sha256: str, items: list[tuple[str, str, Translation]]) -> None:
        """Store (key, source, translation) rows in one transaction."""
        if self.db is None:
            return
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)",
                    [
                        (key, model_sha256, source, translation_to_json(t), now)
                        for key, source, t in items
                    ],
                )
        except sqlite3.Error as error:
            self._without(error)

    def plan(self, plan: str, missing: list[str]) -> set[str]:
        """Record `missing` as to be decoded by `plan`; every key recorded for it so far."""
        if self.db is None:
            return set(missing)
        now = dt.datetime.now(dt.UTC)
        oldest = (now - dt.timedelta(days=PLAN_DAYS)).isoformat(timespec="seconds")
        try:
            with self.db:
                self.db.execute("DELETE FROM planned WHERE created < ?", (oldest,))
                self.db.executemany(
                    "INSERT OR IGNORE INTO planned VALUES (?, ?, ?)",
                    [(plan, key, now.isoformat(timespec="seconds")) for key in missing],
                )
            rows = self.db.execute("SELECT key FROM planned WHERE plan = ?", (plan,))
            return {key for (key,) in rows}
        except sqlite3.Error as error:
            self._without(error)
            return set(missing)

    def forget_plan(self, plan: str) -> None:
        """The plan's run is over: nothing to resume."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM planned WHERE plan = ?", (plan,))
        except sqlite3.Error as error:
            self._without(error)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
