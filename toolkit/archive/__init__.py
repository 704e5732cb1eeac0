"""The archive database OUTPUTS/archive.sqlite: every published article, searchable.

database.py  the one module that opens, writes, syncs and rebuilds it (a cache of the day
             folders, set aside and rebuilt when unusable)
search.py    `toolkit search`: full-text, Arabic or English, glossary names in both forms,
             grouped by story
bench.py     search latency over synthetic archives (`toolkit bench --search`)
"""

from toolkit.archive.database import (
    ArticleRow,
    SyncResult,
    archive_path,
    open_archive,
    refresh_archive,
    update_archive,
)
from toolkit.archive.search import SearchResult, search

__all__ = [
    "ArticleRow",
    "SearchResult",
    "SyncResult",
    "archive_path",
    "open_archive",
    "refresh_archive",
    "search",
    "update_archive",
]
