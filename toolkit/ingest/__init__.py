"""Ingest stage: a file (or stdin) → Articles of normalized Arabic sentences in paragraphs.

decode (encodings) → read (format) → clean (debris, article split, headline) → segment.
"""

import hashlib
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.document import Article, Sentence, Source
from toolkit.errors import InputError
from toolkit.ingest.clean import clean_document
from toolkit.ingest.debris import DebrisRules, default_rules
from toolkit.ingest.decode import decode_bytes
from toolkit.ingest.normalize import normalize
from toolkit.ingest.readers import READERS, read_txt
from toolkit.ingest.sentences import bullet_marker, split_sentences, strip_bullet

STDIN = "-"


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


def ingest_file(path: str, rules: DebrisRules | None = None) -> IngestResult:
    data, name = read_input(path)
    if not data.strip():
        raise InputError(f"{name}: empty file")
    decoded = decode_bytes(data, name)
    rules = rules or default_rules()
    reader = READERS.get(Path(path).suffix.lower(), read_txt) if path != STDIN else read_txt
    stem = "stdin" if path == STDIN else Path(path).stem
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), encoding=decoded.encoding)

    articles: list[Article] = []
    dropped_only: list[str] = []
    for document in reader(decoded.text.lstrip("\ufeff"), name):
        for clean in clean_document(document, rules):
            if not clean.paragraphs and not clean.headline:
                dropped_only.extend(clean.dropped)
                continue
            sentences = [
                Sentence(
                    ar=normalize(sentence),
                    paragraph=number,
                    original=sentence,
                    bullet=bullet_marker(paragraph),
                )
                for number, paragraph in enumerate(clean.paragraphs)
                for sentence in split_sentences(strip_bullet(paragraph), rules)
            ]
            articles.append(
                Article(
                    id=f"{stem}-{len(articles) + 1}",
                    source=replace(source, url=clean.url, date=clean.date),
                    headline=Sentence(
                        ar=normalize(clean.headline), paragraph=-1, original=clean.headline
                    ),
                    sentences=sentences,
                    dropped=clean.dropped,
                )
            )
    if not articles:
        raise InputError(f"{name}: no article text ({len(dropped_only)} lines, all page furniture)")
    return IngestResult(source=name, encoding=decoded.encoding, articles=articles)
