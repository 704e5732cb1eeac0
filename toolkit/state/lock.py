"""One exclusive lock on a file (flock): one run per outputs folder, one send per day.

The lock file holds the pid of its holder, so that a refusal can name it. The kernel drops
the lock when its holder dies, however it dies: a stale lock file never blocks anyone.
"""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import ToolkitError
from toolkit.fsutil import try_lock

Busy = Callable[[str], ToolkitError]  # the holder's pid (or "another process") → the error


@contextmanager
def file_lock(path: Path, busy: Busy, wait: bool = False) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created when missing) for the block.

    Held by another process: wait for it with `wait`, else raise `busy(holder)`. An OSError
    opening the file propagates: the caller names the place.
    """
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        if not try_lock(handle.fileno(), wait):
            handle.seek(0)
            raise busy(handle.read().strip() or "another process")
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
