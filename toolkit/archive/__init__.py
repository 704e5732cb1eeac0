"""The archive database OUTPUTS/archive.sqlite: every published article, searchable.

database.py  the one module that opens, writes, syncs and rebuilds it (a cache of the day
             folders, set aside and rebuilt when unusable)
search.py    `toolkit search`: full-text, Arabic or English, glossary names in both forms,
             grouped by story
people.py    `toolkit names`: one profile per person across the archive
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
from toolkit.archive.people import ArticleRef, PersonProfile, people_profiles
from toolkit.archive.search import SearchResult, search

__all__ = [
    "ArticleRef",
    "ArticleRow",
    "PersonProfile",
    "SearchResult",
    "SyncResult",
    "archive_path",
    "open_archive",
    "people_profiles",
    "refresh_archive",
    "search",
    "update_archive",
]
