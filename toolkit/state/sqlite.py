"""Open a SQLite state file at its schema version; set an unusable one aside.

The version of a file is its `PRAGMA user_version` (0 in a file made before versions were
kept). A `Schema` says what its version holds: the script that creates it in an empty file,
the migrations that bring each older version one step up, and the tables (and their
columns) that must then be there. `open_db`:

1. reads the file read-only, so that SQLite leaves a damaged file's -wal alone (optionally
   `PRAGMA quick_check` first): a corrupt file, not a database, a newer version, an older
   one without a migration, or tables of another shape make it unusable;
2. connects, and in one write transaction creates the schema in an empty file or runs the
   migrations from its version, then checks the tables;
3. an unusable file is set aside (toolkit.state.files.set_aside) and a new one created;
   `Opened.aside` says where it went and `Opened.reason` why, for the caller's warning.

A problem of the moment (locked past the timeout, no permission, read-only, disk full) is
not the file's fault: the sqlite3 error propagates and nothing is set aside.
"""

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.state.files import set_aside

CORRUPT = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
# A read-only connection cannot roll back the hot journal of a writer that was killed
HOT_JOURNAL = getattr(sqlite3, "SQLITE_READONLY_ROLLBACK", 776)


class Unusable(sqlite3.DatabaseError):
    """A state file SQLite cannot use, or not ours: set it aside (it is rebuilt). Raised out
    of open_db only when the new file made in its place is unusable too (no FTS5, say)."""


@dataclass(frozen=True)
class Schema:
    version: int  # PRAGMA user_version of a file this code writes
    create: str  # SQL that makes an empty file this version
    # version → SQL that brings a file of that version to the next one
    migrations: Mapping[int, str] = field(default_factory=dict)
    # tables that must exist after opening; with columns, exactly those
    tables: Mapping[str, Sequence[str] | None] = field(default_factory=dict)
    probe: str | None = None  # a statement that must run (e.g. an FTS5 query)


@dataclass
class Opened:
    conn: sqlite3.Connection
    aside: Path | None = None  # where an unusable file was set aside
    reason: str | None = None  # why it was unusable (one line)
    migrated_from: int | None = None  # the version an older file was migrated from


def transient(error: sqlite3.Error) -> bool:
    """Locked, read-only, out of space, cannot open: a problem of the moment, not of the file."""
    if getattr(error, "sqlite_errorcode", None) is not None and (
        error.sqlite_errorcode & 0xFF in CORRUPT
    ):
        return False
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and any(
        word in text
        for word in ("locked", "busy", "readonly", "unable to open", "disk i/o", "is full")
    )


def open_db(
    path: Path,
    schema: Schema,
    *,
    timeout: float = 30.0,
    wal: bool = False,
    autocommit: bool = False,
    quick_check: bool = True,
    aside_folder: bool = False,
) -> Opened:
    """`path` at `schema.version`, created when missing, migrated when older, set aside and
    created anew when unusable. With `aside_folder`, a folder in its place is set aside too
    (else it is an error of the place: sqlite3's "unable to open" propagates)."""
    path = Path(path)
    try:
        if aside_folder and path.is_dir() and not path.is_symlink():
            raise Unusable("a folder")
        return _open(path, schema, timeout, wal, autocommit, quick_check)
    except Unusable as error:
        aside = set_aside(path)
        opened = _open(path, schema, timeout, wal, autocommit, quick_check)
        opened.aside, opened.reason = aside, str(error)
        return opened


def _open(
    path: Path, schema: Schema, timeout: float, wal: bool, autocommit: bool, quick_check: bool
) -> Opened:
    hot_journal = path.is_file() and not _check_read_only(path, schema, timeout, quick_check)
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        if hot_journal:  # rolled back by this connection's first read, then checked
            _check(conn, schema, quick_check)
        if wal:
            conn.execute("PRAGMA journal_mode=WAL")
        migrated_from = _upgrade(conn, schema)
        _check_tables(conn, schema)
    except Unusable:
        conn.close()
        raise
    except sqlite3.DatabaseError as error:
        conn.close()
        if transient(error):
            raise
        raise Unusable(_one_line(str(error))) from error
    except BaseException:
        conn.close()
        raise
    if not autocommit:
        conn.isolation_level = ""  # sqlite3's default: implicit transactions
    return Opened(conn, migrated_from=migrated_from)


def _check_read_only(path: Path, schema: Schema, timeout: float, quick_check: bool) -> bool:
    """Raise Unusable unless the file can be brought to `schema`; False when a killed
    writer's journal must be rolled back first (a read-only connection cannot)."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    try:
        _check(db, schema, quick_check)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode == HOT_JOURNAL:
            return False
        raise
    finally:
        db.close()
    return True


def _check(db: sqlite3.Connection, schema: Schema, quick_check: bool) -> None:
    """Raise Unusable unless the file can be brought to `schema`."""
    try:
        if quick_check:
            (check,) = db.execute("PRAGMA quick_check(1)").fetchone()
            if check != "ok":
                raise Unusable(_one_line(check))
        (version,) = db.execute("PRAGMA user_version").fetchone()
        empty = not db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        if version > schema.version:
            raise Unusable(f"schema version {version}, newer than this toolkit's {schema.version}")
        if version < schema.version and not empty and version not in schema.migrations:
            raise Unusable(f"schema version {version}, not {schema.version}")
        if version == schema.version:
            _check_tables(db, schema)
    except Unusable:
        raise
    except sqlite3.DatabaseError as error:
        if transient(error) or error.sqlite_errorcode == HOT_JOURNAL:
            raise
        raise Unusable(_one_line(str(error))) from error


def _upgrade(conn: sqlite3.Connection, schema: Schema) -> int | None:
    """Create or migrate in one write transaction; the version migrated from, if any."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version == schema.version:
        return None
    conn.execute("BEGIN IMMEDIATE")
    try:
        (version,) = conn.execute("PRAGMA user_version").fetchone()  # another may have done it
        empty = not conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()
        if version == schema.version:
            conn.execute("COMMIT")
            return None
        if empty:
            scripts = [schema.create]
        else:
            if version > schema.version or any(
                v not in schema.migrations for v in range(version, schema.version)
            ):
                raise Unusable(f"schema version {version}, not {schema.version}")
            scripts = [schema.migrations[v] for v in range(version, schema.version)]
        for script in scripts:
            for statement in statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(schema.version)}")
        _check_tables(conn, schema)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return None if empty else version


def _check_tables(db: sqlite3.Connection, schema: Schema) -> None:
    for table, columns in schema.tables.items():
        found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        if (
            not found
            and not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        ):  # a virtual table has no table_info before its module loads it
            raise Unusable(f"no {table} table")
        if columns is not None and found != list(columns):
            raise Unusable(f"a {table} table with columns {', '.join(found)}")
    if schema.probe:
        db.execute(schema.probe).fetchall()


def statements(script: str) -> list[str]:
    """The SQL statements of a script, each whole (a `;` inside a string or comment kept)."""
    found, current = [], ""
    for piece in script.split(";"):
        current += piece + ";"
        if sqlite3.complete_statement(current):
            if current.strip(" \t\n;"):
                found.append(current.strip())
            current = ""
    if current.strip(" \t\n;"):
        found.append(current.strip().rstrip(";"))
    return found


def _one_line(text: str) -> str:
    return " ".join(text.split())
