"""A document as a reader gives it: its lines, before cleaning (what readers.py and
extract.py both make)."""

from dataclasses import dataclass, field


@dataclass
class RawDocument:
    lines: list[str]
    headline: str | None = (
        None  # given by the format (JSON title, HTML <h1>); else found by cleaning
    )
    url: str | None = None
    date: str | None = None
    outlet: str | None = None
    outlets: list[str] = field(default_factory=list)  # every outlet that carried it (collect)
    author: str | None = None
    language: str | None = None
    may_hold_several: bool = False  # plain text can hold several articles back to back
    dropped: list[str] = field(default_factory=list)  # what the reader itself left out
    where: str = ""  # the record it came from ("feed.jsonl:3"), when there are several
