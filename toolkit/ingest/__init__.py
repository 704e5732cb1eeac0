"""Ingest stage: a file (or stdin) → Articles of Arabic sentences grouped in paragraphs."""

import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import Article, Sentence, Source
from toolkit.errors import InputError
from toolkit.ingest.decode import decode_bytes

STDIN = "-"
SENTENCE_END = re.compile(r"(?<=[.!?؟؛])\s+")


@dataclass
class IngestResult:
    source: str
    encoding: str
    articles: list[Article]


def read_input(path: str) -> tuple[bytes, str]:
    if path == STDIN:
        return sys.stdin.buffer.read(), "<stdin>"
    try:
        return Path(path).read_bytes(), path
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from error


def ingest_file(path: str) -> IngestResult:
    data, name = read_input(path)
    decoded = decode_bytes(data, name)
    stem = "stdin" if path == STDIN else Path(path).stem
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), encoding=decoded.encoding)
    lines = [line.strip() for line in decoded.text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise InputError(f"{name}: no text")
    headline, body = lines[0], lines[1:]
    sentences = [
        Sentence(ar=part, paragraph=number)
        for number, line in enumerate(body)
        for part in SENTENCE_END.split(line)
        if part
    ]
    article = Article(
        id=f"{stem}-1",
        source=source,
        headline=Sentence(ar=headline, paragraph=-1),
        sentences=sentences,
    )
    return IngestResult(source=name, encoding=decoded.encoding, articles=[article])
