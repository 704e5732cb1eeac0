"""What collect remembers between runs (SQLite): pages seen, article fingerprints and the
outlets that carried each, feed validators. It can be rebuilt: an unusable file is set
aside with a warning and collecting starts afresh (pages are then fetched again once)."""

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.fsutil import Unusable, check_sqlite, set_aside

PAGE_COLUMNS = ["url", "source", "status", "reason", "fingerprint", "attempts", "lasting", "at"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, source TEXT, status TEXT, reason TEXT,
    fingerprint TEXT, attempts INTEGER, lasting INTEGER, at TEXT);
CREATE TABLE IF NOT EXISTS articles (fingerprint TEXT PRIMARY KEY, url TEXT, file TEXT,
    outlets TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
"""


@dataclass(frozen=True)
class PageRecord:
    status: str  # new | duplicate | robots | not-arabic | too-big | failed
    attempts: int
    lasting: bool  # a failure not worth another try


@dataclass(frozen=True)
class ArticleRecord:
    url: str
    file: str
    outlets: list[str]


class CollectState:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.db, self.warning = _open(self.path)

    def close(self) -> None:
        self.db.close()

    def page(self, url: str) -> PageRecord | None:
        row = self.db.execute(
            "SELECT status, attempts, lasting FROM pages WHERE url = ?", (url,)
        ).fetchone()
        return PageRecord(row[0], row[1], bool(row[2])) if row else None

    def record_page(
        self,
        url: str,
        source: str,
        status: str,
        reason: str = "",
        fingerprint: str | None = None,
        lasting: bool = True,
    ) -> None:
        earlier = self.page(url)
        attempts = (earlier.attempts if earlier else 0) + 1
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (url, source, status, reason, fingerprint, attempts, int(lasting), _now()),
            )

    def article(self, fingerprint: str) -> ArticleRecord | None:
        row = self.db.execute(
            "SELECT url, file, outlets FROM articles WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        return ArticleRecord(row[0], row[1], json.loads(row[2])) if row else None

    def record_article(self, fingerprint: str, url: str, file: str, outlets: list[str]) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)",
                (fingerprint, url, file, json.dumps(outlets), _now()),
            )

    def validators(self, url: str) -> dict[str, str]:
        """The conditional-GET headers for a feed fetched before."""
        row = self.db.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
        ).fetchone()
        headers = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def record_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?)", (url, etag, last_modified)
            )


def _open(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The state, and a warning when an unusable one was set aside and a new one started."""
    warning = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            check_sqlite(path, "pages", PAGE_COLUMNS)
        except Unusable as error:
            aside = set_aside(path)
            warning = (
                f"{path}: not a usable collect state ({error}); moved aside to {aside.name}, "
                "starting a new one"
            )
        db = sqlite3.connect(path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(SCHEMA)
        db.commit()
    except (sqlite3.Error, OSError) as error:
        raise ConfigError(f"{path}: not a usable collect state ({error})") from error
    return db, warning


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
