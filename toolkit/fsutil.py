"""Crash-safe writes: nothing already written is ever left truncated or half-replaced.

A file is written to a temp file `.<name>.<random>.tmp` beside it, locked (flock) by its
writer for as long as it writes, then renamed. A file built in place of another (an archive
rebuilt from scratch) is a `held_temp`, locked alike. A writer that was killed leaves its
temp file (and SQLite's -journal) behind, unlocked; `remove_leftovers` (the temp files of
one target) and `sweep` (of a whole folder), run by the next writer, remove exactly those:
never the temp file of a writer still at work, nor one younger than LEFTOVER_AGE_S (a writer
takes its lock just after creating the file).
"""

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from toolkit.errors import OutputError

SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's files beside a database
LEFTOVER_AGE_S = 10.0
ANY_TEMP = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")  # tempfile.mkstemp's 8 random characters


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
    naming `path`; whatever `path` held before is left as it was. The temp file is locked
    while it is written: the first write into a folder (per process) removes the temp files
    that killed writers left there (`sweep`).
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_once(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try_lock(fd)  # a new file: nobody else holds it
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


_swept: set[Path] = set()  # folders whose leftovers this process has removed


def _sweep_once(folder: Path) -> None:
    key = folder.resolve()
    if key not in _swept:
        _swept.add(key)
        sweep(folder)


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


def try_lock(fd: int, wait: bool = False) -> bool:
    """Take the exclusive lock (flock) on an open file; False when another process holds it.
    The one lock primitive: toolkit.state.lock.file_lock is built on it."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def _temp_pattern(path: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]+\.tmp")


@contextlib.contextmanager
def held_temp(path: Path) -> Iterator[Path]:
    """A new empty temp file beside `path`, locked while the block runs, removed after it
    (with its side files) unless the block renamed it into place."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        try_lock(fd)  # a new file: nobody else can hold it
        yield temp
    finally:
        for suffix in ("", *SIDE_FILES):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
        os.close(fd)


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temp files (and side files) of writers of `path` that died; return them."""
    return _remove(Path(path).parent, _temp_pattern(Path(path)))


def sweep(folder: Path) -> list[Path]:
    """Remove the temp files (and side files) of every writer in `folder` that died."""
    return _remove(Path(folder), ANY_TEMP)


def _remove(folder: Path, pattern: re.Pattern) -> list[Path]:
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    oldest = time.time() - LEFTOVER_AGE_S
    for name in names:
        if pattern.fullmatch(name):
            temp = folder / name
            try:
                fd = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            try:
                if os.fstat(fd).st_mtime < oldest and try_lock(fd):  # else its writer is at work
                    for suffix in ("", *SIDE_FILES):
                        Path(f"{temp}{suffix}").unlink(missing_ok=True)
                    removed.append(temp)
            finally:
                os.close(fd)
    return removed
