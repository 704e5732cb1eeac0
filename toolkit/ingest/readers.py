"""Format readers: decoded text → RawDocuments (lines of text, maybe a known headline).

Cleaning, article splitting and sentence segmentation come after, the same for every format.
"""

import json
import re
from dataclasses import dataclass, field

from toolkit.document import Problem
from toolkit.errors import InputError
from toolkit.ingest.extract import extract_page
from toolkit.ingest.raw import RawDocument


@dataclass
class ReadResult:
    documents: list[RawDocument]
    problems: list[Problem] = field(default_factory=list)  # records left out, and why


def read_txt(text: str, name: str) -> ReadResult:
    return ReadResult([RawDocument(lines=text.splitlines(), may_hold_several=True)])


MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
MD_BLOCK_START = re.compile(r"^\s*(#{1,6}\s|[-*+•]\s|\d{1,2}[.)]\s|>)")


def read_md(text: str, name: str) -> ReadResult:
    """Headings, list items and paragraphs become lines; soft-wrapped lines are joined."""
    lines: list[str] = []
    dropped: list[str] = []
    in_code = False
    previous_blank = True
    for raw in text.splitlines():
        if raw.lstrip().startswith("```"):
            in_code = not in_code
            dropped.append(raw.strip())
            continue
        if in_code:
            dropped.append(raw.strip())
            continue
        line = MD_EMPHASIS.sub(r"\2", MD_LINK.sub(r"\1", MD_IMAGE.sub("", raw))).rstrip()
        line = re.sub(r"^\s*(#{1,6}|>)\s*", "", line)
        if not line.strip():
            lines.append("")
            previous_blank = True
            continue
        if not previous_blank and not MD_BLOCK_START.match(raw) and lines:
            lines[-1] = f"{lines[-1]} {line.strip()}"
        else:
            lines.append(line)
        previous_blank = False
    return ReadResult([RawDocument(lines=lines, may_hold_several=True, dropped=dropped)])


def read_html(text: str, name: str) -> ReadResult:
    """The main text of a page, extracted as `toolkit collect` does (toolkit.ingest.extract)."""
    documents = [
        RawDocument(lines=page.paragraphs, headline=page.title, date=page.date)
        for page in extract_page(text)
        if page.paragraphs or page.title
    ]
    return ReadResult(documents)


TITLE_KEYS = ("title", "headline")
TEXT_KEYS = ("text", "body")
OUTLET_KEYS = ("source", "outlet")


def _from_object(item: object, where: str) -> RawDocument:
    """One JSON record; ValueError says what is wrong with it."""
    if not isinstance(item, dict):
        raise ValueError("expected an object with title/headline and text/body")
    body = next((item[k] for k in TEXT_KEYS if isinstance(item.get(k), str)), None)
    if body is None:
        raise ValueError("no 'text' or 'body' string")
    title = next((item[k] for k in TITLE_KEYS if isinstance(item.get(k), str)), None)
    url, date = item.get("url"), item.get("date")
    outlet = next((item[k] for k in OUTLET_KEYS if isinstance(item.get(k), str)), None)
    outlets = item.get("outlets")
    author, language = item.get("author"), item.get("language")
    return RawDocument(
        lines=body.splitlines(),
        headline=title.strip() if title and title.strip() else None,
        url=url if isinstance(url, str) else None,
        date=date if isinstance(date, str) else None,
        outlet=outlet.strip() or None if outlet else None,
        outlets=[o for o in outlets if isinstance(o, str)] if isinstance(outlets, list) else [],
        author=author.strip() or None if isinstance(author, str) else None,
        language=language if isinstance(language, str) else None,
        where=where,
    )


def _add_record(result: ReadResult, where: str, item: object) -> None:
    try:
        result.documents.append(_from_object(item, where))
    except ValueError as error:
        result.problems.append(Problem(where, str(error)))


def read_json(text: str, name: str) -> ReadResult:
    """One object or a list of them; a bad item is left out and named, the others are read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{name}:{error.lineno}: invalid JSON ({error.msg})") from error
    result = ReadResult([])
    for number, item in enumerate(data if isinstance(data, list) else [data], 1):
        _add_record(result, f"{name}: item {number}", item)
    return result


def read_jsonl(text: str, name: str) -> ReadResult:
    """One object per line; a bad line is left out and named, the others are read.

    Lines end at \\n only: JSON strings may hold U+2028 and other characters that
    str.splitlines() would cut at.
    """
    result = ReadResult([])
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            result.problems.append(Problem(where, f"invalid JSON ({error.msg})"))
            continue
        _add_record(result, where, item)
    return result


READERS = {
    ".txt": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
}
