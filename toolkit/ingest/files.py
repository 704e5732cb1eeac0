"""Which files of a folder are read, and reading one without surprises.

Never outside the folder: a symbolic link whose target resolves outside it (or nowhere) is
refused and named, never opened. A link to a file inside it is read as that file, once: a
file reached twice (itself and a link, or two links) is read under its own name, else
under the first link's name. Links to folders are not followed (the files they show are
reached directly). FIFOs, sockets and devices are refused and named, never opened (a FIFO
blocks forever). A file over TOOLKIT_MAX_FILE_MB is refused from its size, before reading.
Names starting with "." and regular files of other formats are not article files: ignored.
"""

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import InputError
from toolkit.fsutil import reason, shown
from toolkit.ingest.documents import DOCUMENT_READERS
from toolkit.ingest.readers import READERS
from toolkit.limits import max_file_bytes

SPECIAL = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class FolderEntry:
    path: Path  # where it was found in the folder
    name: str  # as it is named in messages, the manifest and the article JSON (printable)
    refused: str | None = None  # why it is not read: the whole one-line message
    target: Path | None = None  # what is read, for a link to a file inside the folder


def folder_files(folder: Path) -> list[FolderEntry]:
    """The article files under `folder` (recursively, by name), and the entries refused."""
    if not folder.is_dir():
        raise InputError(f"{shown(folder)}: not a folder")
    root = folder.resolve()
    limit = max_file_bytes()
    refused: list[FolderEntry] = []
    plain: list[tuple[Path, Path, os.stat_result]] = []
    links: list[tuple[Path, Path, os.stat_result]] = []  # after the files: a file wins
    for path in _walk(folder):
        name = shown(path)
        try:
            info = path.lstat()
            if not stat.S_ISLNK(info.st_mode):
                plain.append((path, path, info))
                continue
            target = path.resolve(strict=True)
            if not target.is_relative_to(root):
                refused.append(_refuse(path, "a link to outside the inbox, not read"))
            elif not target.is_dir():  # a folder's files are reached directly
                links.append((path, target, target.stat()))
        except (OSError, RuntimeError) as error:  # a broken link or a loop
            why = reason(error) if isinstance(error, OSError) else "a link loop"
            refused.append(FolderEntry(path, name, f"{name}: a broken link, not read ({why})"))
    files: dict[tuple[int, int], FolderEntry] = {}
    for path, target, info in [*plain, *links]:
        entry = _entry(path, target, info, limit)
        if entry is not None and entry.refused:
            refused.append(entry)
        elif entry is not None:
            files.setdefault((info.st_dev, info.st_ino), entry)
    return sorted([*files.values(), *refused], key=lambda entry: entry.name)


def _walk(folder: Path) -> list[Path]:
    found = []
    for top, folders, names in os.walk(folder, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".")]
        linked = [name for name in folders if (Path(top) / name).is_symlink()]
        found += [Path(top) / name for name in [*names, *linked] if not name.startswith(".")]
    return found


def _refuse(path: Path, why: str) -> FolderEntry:
    return FolderEntry(path, shown(path), f"{shown(path)}: {why}")


def _entry(path: Path, target: Path, info: os.stat_result, limit: int) -> FolderEntry | None:
    kind = SPECIAL.get(stat.S_IFMT(info.st_mode))
    if kind:
        return _refuse(path, f"{kind}, not a regular file: not opened")
    suffix = path.suffix.lower()
    if not stat.S_ISREG(info.st_mode) or (suffix not in READERS and suffix not in DOCUMENT_READERS):
        return None
    if info.st_size > limit:
        return _refuse(path, too_big(info.st_size, limit))
    return FolderEntry(path, shown(path), target=target if target != path else None)


def too_big(size: int, limit: int) -> str:
    return (
        f"{size / 2**20:,.1f} MB, over the limit of {limit / 2**20:,.0f} MB "
        "(TOOLKIT_MAX_FILE_MB): not read"
    )


def read_file(path: Path, name: str, *, regular_only: bool = True) -> bytes:
    """The bytes of one input file, at most max_file_bytes(); any failure is an InputError.

    Opened without following a final link and without blocking; with `regular_only`, a
    FIFO or device found at the path (swapped in after the folder was listed) is refused.
    """
    limit = max_file_bytes()
    flags = os.O_RDONLY | os.O_CLOEXEC | (os.O_NOFOLLOW | os.O_NONBLOCK if regular_only else 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if regular_only and not stat.S_ISREG(info.st_mode):
                raise InputError(f"{name}: not a regular file: not read")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise InputError(f"{name}: {too_big(info.st_size, limit)}")
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"{name}: cannot read ({reason(error)})") from error
    if len(data) > limit:
        raise InputError(f"{name}: {too_big(len(data), limit)}")
    return data
