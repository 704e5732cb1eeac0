"""Crash-safe writes: nothing already written is ever left truncated or half-replaced."""

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import OutputError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp/mkdtemp create private (0600/0700) entries; published files get the usual mode.
FILE_MODE = 0o666 & ~_current_umask()
DIR_MODE = 0o777 & ~_current_umask()


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a temp file beside `path`, fsync it, then rename it over `path`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then rename it over `path`.

    An OSError (no space left, a read-only folder, a folder in the way) is an OutputError
    naming `path`; whatever `path` held before is left as it was.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise OutputError(f"{shown(path)}: cannot write ({reason(error)})") from error
        raise


def reason(error: OSError) -> str:
    """An OSError in words, without the paths it names (the message names the file)."""
    return (error.strerror or str(error)).lower()


def shown(path: str | Path) -> str:
    """A file name as it can be printed on one line and stored as UTF-8: bytes that are not
    UTF-8 (os.fsdecode's surrogates) as \\xff, control characters as \\n, \\x1b."""
    return "".join(_shown_char(char) for char in str(path))


def _shown_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
        return char.encode("unicode_escape").decode("ascii")
    return char


def replace_dir(staging: Path, target: Path) -> None:
    """Move a fully built `staging` folder to `target`, replacing an older one only at the end."""
    target = Path(target)
    os.chmod(staging, DIR_MODE)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def staged_dir(target: Path) -> Iterator[Path]:
    """A new folder beside `target` to build in: it replaces `target` when the block ends,
    and is removed instead if the block raises."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        replace_dir(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Unusable(Exception):
    """A state file SQLite cannot use, or not ours: set it aside (it is rebuilt)."""


def check_sqlite(path: Path, table: str, columns: list[str], timeout: float = 30.0) -> None:
    """Raise Unusable if the file is corrupt, not a database or its `table` is not ours.

    Read-only, so that SQLite leaves a damaged file's -wal alone for set_aside to keep.
    Other errors (locked, no permission) are about the place, not the file: they propagate.
    """
    if not path.is_file():
        return
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout)
    try:
        (check,) = db.execute("PRAGMA quick_check(1)").fetchone()
        if check != "ok":
            raise Unusable(" ".join(check.split()))  # one line
        found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        if found and found != columns:
            raise Unusable(f"a {table} table with columns {', '.join(found)}")
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise Unusable(str(error)) from error
        raise
    finally:
        db.close()


def set_aside(path: Path) -> Path:
    """Rename a state file and its -wal/-shm files to <name>.corrupt-<UTC time>[-wal|-shm]."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(aside.with_name(aside.name + suffix))
    return aside
