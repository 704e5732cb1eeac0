"""What collect remembers between runs (SQLite): pages seen, article fingerprints and the
outlets that carried each, feed validators. It can be rebuilt: an unusable file is set
aside with a warning and collecting starts afresh (pages are then fetched again once).
Opened by toolkit.state.sqlite at schema version 1 (a file of version 0, made before
versions were kept, is adopted as it is). A row holding a value this code never writes (an
`outlets` that is not a JSON list of names, a count that is not a number) is left out with
a warning, once per row: the page or article is then handled as new, and the row rewritten.
"""

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.sqlite import Schema, open_db

PAGE_COLUMNS = ["url", "source", "status", "reason", "fingerprint", "attempts", "lasting", "at"]
SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, source TEXT, status TEXT, reason TEXT,
    fingerprint TEXT, attempts INTEGER, lasting INTEGER, at TEXT);
CREATE TABLE IF NOT EXISTS articles (fingerprint TEXT PRIMARY KEY, url TEXT, file TEXT,
    outlets TEXT, at TEXT);
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
"""
STATE = Schema(
    version=1,
    create=SCHEMA,
    migrations={0: SCHEMA},  # version 0: the same tables, unversioned
    tables={"pages": PAGE_COLUMNS, "articles": None, "validators": None},
)


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
    def __init__(self, path: Path, warn: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.db, self.warning = _open(self.path)
        self.warn = warn or (lambda _message: None)
        self.bad: set[tuple[str, str]] = set()  # (table, key) of the rows warned about

    def _bad_row(self, table: str, key: str, what: str) -> None:
        if (table, key) not in self.bad:
            self.bad.add((table, key))
            self.warn(f"{self.path}: {table} row {key!r}: {what}; skipped")

    def close(self) -> None:
        self.db.close()

    def page(self, url: str) -> PageRecord | None:
        row = self.db.execute(
            "SELECT status, attempts, lasting FROM pages WHERE url = ?", (url,)
        ).fetchone()
        if row is None:
            return None
        status, attempts, lasting = row
        if not isinstance(status, str) or type(attempts) is not int or type(lasting) is not int:
            self._bad_row(
                "pages", url, "its status, attempts or lasting is not what collect writes"
            )
            return None
        return PageRecord(status, attempts, bool(lasting))

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
        if row is None:
            return None
        url, file, outlets = row
        try:
            outlets = json.loads(outlets)
        except (TypeError, ValueError):
            outlets = None
        if not isinstance(outlets, list) or not all(isinstance(name, str) for name in outlets):
            self._bad_row(
                "articles", fingerprint, "outlets is not a JSON list of names (read as none)"
            )
            outlets = []  # the outlet seeing it now is recorded
        if not isinstance(url, str) or not isinstance(file, str):
            self._bad_row("articles", fingerprint, "its url or file is not text")
            return None
        return ArticleRecord(url, file, outlets)

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
        for name, value in zip(("If-None-Match", "If-Modified-Since"), row or (), strict=False):
            if isinstance(value, str) and value.isprintable() and value.isascii():
                headers[name] = value
            elif value:
                self._bad_row("validators", url, f"its {name} value is not a header value")
        return headers

    def record_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?)", (url, etag, last_modified)
            )


def _open(path: Path) -> tuple[sqlite3.Connection, str | None]:
    """The state, and a warning when an unusable one was set aside and a new one started."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        opened = open_db(path, STATE, timeout=30, wal=True)
    except (sqlite3.Error, OSError) as error:
        raise ConfigError(f"{path}: not a usable collect state ({error})") from error
    if opened.aside is None:
        return opened.conn, None
    return opened.conn, (
        f"{path}: not a usable collect state ({opened.reason}); moved aside to "
        f"{opened.aside.name}, starting a new one"
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
