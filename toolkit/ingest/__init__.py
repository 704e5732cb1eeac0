"""Ingest stage: a file (or stdin) → Articles of normalized Arabic sentences in paragraphs.

decode (encodings) → read (format) → clean (debris, article split, headline) → segment.
A PDF or DOCX is not decoded: its reader (toolkit.ingest.documents) gives headings,
paragraphs and table cells in reading order, and the document is one article.
A bad record (a JSONL line that is not JSON) or an article past toolkit.limits is left out
and named in `problems`; the rest of the file is still read. Plain text (`--text`, or one
line on demand) skips the article heuristics: no headline, no debris rules.
"""

import hashlib
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from toolkit.document import OCR, Article, Problem, Sentence, Source
from toolkit.errors import InputError
from toolkit.fsutil import shown
from toolkit.ingest.blocks import DocumentText
from toolkit.ingest.clean import clean_document
from toolkit.ingest.debris import DebrisRules, default_rules
from toolkit.ingest.decode import decode_bytes
from toolkit.ingest.documents import DOCUMENT_READERS
from toolkit.ingest.files import read_file, too_big
from toolkit.ingest.readers import READERS, ReadResult, read_txt
from toolkit.ingest.sentences import bullet_marker, split_sentences, strip_bullet
from toolkit.limits import MAX_ARTICLE_CHARS, max_file_bytes
from toolkit.text.arabic import normalize

STDIN = "-"


@dataclass
class IngestResult:
    source: str
    encoding: str
    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)  # what was left out, and why
    warnings: list[str] = field(default_factory=list)  # what was repaired (stray controls)


def read_input(path: str) -> tuple[bytes, str]:
    """The bytes of a file named on the command line (links, FIFOs and <(…) allowed), or of
    stdin, up to TOOLKIT_MAX_FILE_MB; and its printable name."""
    if path == STDIN:
        data = sys.stdin.buffer.read(max_file_bytes() + 1)
        if len(data) > max_file_bytes():
            raise InputError(f"<stdin>: {too_big(len(data), max_file_bytes())}")
        return data, "<stdin>"
    return read_file(Path(path), shown(path), regular_only=False), shown(path)


def ingest_file(
    path: str, rules: DebrisRules | None = None, *, one_line_as_text: bool = False
) -> IngestResult:
    """Every article in the file. With one_line_as_text, a plain-text input (stdin, .txt) of
    a single line is a word or phrase to translate, not an article: see ingest_plain."""
    data, name = read_input(path)
    return ingest_bytes(data, name, path, rules, one_line_as_text=one_line_as_text)


def ingest_bytes(
    data: bytes,
    name: str,
    path: str = STDIN,
    rules: DebrisRules | None = None,
    *,
    one_line_as_text: bool = False,
) -> IngestResult:
    """ingest_file of bytes already read: `name` in messages, `path` for format and ids."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    suffix = Path(path).suffix.lower() if path != STDIN else ""
    if suffix in DOCUMENT_READERS:
        stem = shown(Path(path).stem)
        source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), encoding=suffix[1:])
        document = DOCUMENT_READERS[suffix](data, name)
        return _document(document, rules or default_rules(), source, stem)
    decoded = decode_bytes(data, name)
    text = decoded.text.lstrip("\ufeff")
    reader = READERS.get(Path(path).suffix.lower(), read_txt) if path != STDIN else read_txt
    stem = "stdin" if path == STDIN else shown(Path(path).stem)
    source = Source(path=name, sha256=hashlib.sha256(data).hexdigest(), encoding=decoded.encoding)
    if one_line_as_text and reader is read_txt and len(_lines(text)) == 1:
        result = _plain(text, source, stem)
    else:
        result = _articles(reader(text, name), rules or default_rules(), source, stem)
    result.warnings[:0] = decoded.warnings
    return result


def ingest_plain(text: str) -> IngestResult:
    """Plain text given on the command line (--text): sentences in paragraphs, nothing else."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    source = Source(path="<text>", sha256=digest, encoding="utf-8")
    return _plain(text, source, "text")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if normalize(line)]


def _plain(text: str, source: Source, stem: str) -> IngestResult:
    """No headline, no debris rules, no article split: each line a paragraph of sentences."""
    lines = _lines(text)
    if not lines:
        raise InputError(f"{source.path}: no text")
    problem = _too_long(source.path, "", lines)
    if problem:
        raise InputError(str(problem))
    sentences = [
        Sentence(ar=normalize(sentence), paragraph=number, original=sentence)
        for number, line in enumerate(lines)
        for sentence in split_sentences(line.strip())
    ]
    headline = Sentence(ar="", paragraph=-1)
    article = Article(id=f"{stem}-1", source=source, headline=headline, sentences=sentences)
    return IngestResult(source=source.path, encoding=source.encoding, articles=[article])


def _too_long(where: str, headline: str, paragraphs: list[str]) -> Problem | None:
    size = len(headline) + sum(len(paragraph) for paragraph in paragraphs)
    if size <= MAX_ARTICLE_CHARS:
        return None
    title = f" «{headline[:40]}»" if headline else ""
    return Problem(
        where,
        f"article{title} skipped: too long ({size:,} characters; limit {MAX_ARTICLE_CHARS:,})",
    )


def _document(
    document: DocumentText, rules: DebrisRules, source: Source, stem: str
) -> IngestResult:
    """One article: the first block is its headline when it is a heading (else when short);
    the other headings stay as paragraphs of their own, and each table cell is one."""
    blocks = document.blocks
    problems = list(document.problems)
    if not blocks:
        if problems:
            raise InputError("; ".join(map(str, problems)))
        raise InputError(f"{source.path}: no text")
    first = blocks[0]
    has_headline = first.cell is None and (first.heading or len(first.text) <= 300)
    headline = first.text if has_headline else ""
    body = blocks[1:] if has_headline else blocks
    problem = _too_long(source.path, headline, [block.text for block in body])
    if problem:
        raise InputError(str(problem))
    sentences = [
        Sentence(
            ar=normalize(sentence),
            paragraph=number,
            original=sentence,
            bullet=block.bullet,
            heading=block.heading,
            cell=block.cell,
            flags=[OCR] if block.ocr else [],
        )
        for number, block in enumerate(body)
        for sentence in (
            [block.text] if block.heading or block.cell else split_sentences(block.text, rules)
        )
    ]
    article = Article(
        id=f"{stem}-1",
        source=replace(source, pages=document.pages),
        headline=Sentence(
            ar=normalize(headline),
            paragraph=-1,
            original=headline,
            flags=[OCR] if has_headline and first.ocr else [],
        ),
        sentences=sentences,
        dropped=document.dropped,
    )
    return IngestResult(source.path, source.encoding, [article], problems)


def _articles(read: ReadResult, rules: DebrisRules, source: Source, stem: str) -> IngestResult:
    articles: list[Article] = []
    problems = list(read.problems)
    dropped_only: list[str] = []
    for document in read.documents:
        for clean in clean_document(document, rules):
            if not clean.paragraphs and not clean.headline:
                dropped_only.extend(clean.dropped)
                continue
            problem = _too_long(document.where or source.path, clean.headline, clean.paragraphs)
            if problem:
                problems.append(problem)
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
                    source=replace(
                        source,
                        url=clean.url,
                        date=clean.date,
                        outlet=clean.outlet,
                        outlets=clean.outlets,
                        author=clean.author,
                        language=clean.language,
                    ),
                    headline=Sentence(
                        ar=normalize(clean.headline), paragraph=-1, original=clean.headline
                    ),
                    sentences=sentences,
                    dropped=clean.dropped,
                )
            )
    if not articles and problems:
        more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
        raise InputError("; ".join(map(str, problems[:3])) + more)
    if not articles:
        raise InputError(
            f"{source.path}: no article text ({len(dropped_only)} lines, all page furniture)"
        )
    return IngestResult(source.path, source.encoding, articles, problems)
