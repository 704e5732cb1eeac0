"""State files on disk: setting an unusable one aside, and temp files a dead run leaves.

One suffix scheme for whatever is set aside, SQLite or JSON: `<name>.corrupt-<UTC time>`
(microseconds, so that two in one second do not collide), with the SQLite side files
(-wal, -shm, -journal) renamed alike. The file is kept for a post-mortem, never deleted.

A file being built in place of another (an archive rebuilt from scratch, any file written
through toolkit.fsutil.atomic_write_bytes) is a temp file `.<name>.<random>.tmp` beside it,
locked (flock) by its writer for as long as it writes. A writer that was killed leaves it
(and SQLite's -journal) behind, unlocked; `remove_leftovers` (the temp files of one target)
and `sweep` (of a whole folder), run by the next writer, remove exactly those: never the
temp file of a writer still at work, nor one younger than LEFTOVER_AGE_S (a writer takes
its lock just after creating the file).
"""

import datetime as dt
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.state.lock import try_lock

ASIDE = ".corrupt-"
SIDE_FILES = ("-wal", "-shm", "-journal")
LEFTOVER_AGE_S = 10.0
ANY_TEMP = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")  # tempfile.mkstemp's 8 random characters


def aside_name(path: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return path.with_name(f"{path.name}{ASIDE}{stamp}")


def set_aside(path: Path) -> Path:
    """Rename an unusable state file (a file or a folder) and its SQLite side files to
    `<name>.corrupt-<UTC time>[-wal|-shm|-journal]`; return the new name."""
    path = Path(path)
    aside = aside_name(path)
    os.replace(path, aside)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def _temp_pattern(path: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]+\.tmp")


@contextmanager
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
