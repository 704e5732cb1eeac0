"""Setting an unusable state file aside: one suffix scheme for all, SQLite or JSON.

`<name>.corrupt-<UTC time>` (microseconds, so that two in one second do not collide), with
the SQLite side files (-wal, -shm, -journal) renamed alike. The file is kept for a
post-mortem, never deleted. (The temp files a killed writer leaves are toolkit.fsutil's:
`held_temp`, `remove_leftovers`, `sweep`.)
"""

import datetime as dt
import os
from pathlib import Path

from toolkit.fsutil import SIDE_FILES

ASIDE = ".corrupt-"


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
