"""State files on disk: setting an unusable one aside, and temp files a dead run leaves.

One suffix scheme for whatever is set aside, SQLite or JSON: `<name>.corrupt-<UTC time>`
(microseconds, so that two in one second do not collide), with the SQLite side files
(-wal, -shm, -journal) renamed alike. The file is kept for a post-mortem, never deleted.

A file being built in place of another (an archive rebuilt from scratch) is a `held_temp`:
`.<name>.<random>.tmp` beside it, locked by its builder for as long as it builds. A builder
that was killed leaves it (and SQLite's -journal) behind, unlocked; `remove_leftovers`, run
by the next builder, removes exactly those, never the temp file of a builder still at work.
"""

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.state.lock import try_lock

ASIDE = ".corrupt-"
SIDE_FILES = ("-wal", "-shm", "-journal")


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
    """Remove the temp files (and side files) of builders of `path` that died; return them."""
    path = Path(path)
    pattern = _temp_pattern(path)
    removed = []
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    for name in names:
        if not pattern.fullmatch(name):
            continue
        temp = path.with_name(name)
        try:
            fd = os.open(temp, os.O_RDONLY)
        except OSError:
            continue
        try:
            if not try_lock(fd):
                continue  # its builder is at work
            for suffix in ("", *SIDE_FILES):
                Path(f"{temp}{suffix}").unlink(missing_ok=True)
            removed.append(temp)
        finally:
            os.close(fd)
    return removed
