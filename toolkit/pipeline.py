"""Runs the stages over many files: ingest each, translate all together, publish each article."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text
from toolkit.ingest import ingest_file
from toolkit.publish.article import article_json, article_markdown
from toolkit.translate import DecodingOptions, Engine, translate_articles

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # input path → one-line reason


def article_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InputError(f"{directory}: not a folder")
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith(".")
    )


def run_batch(
    input_dir: Path,
    output_dir: Path,
    engine: Engine,
    options: DecodingOptions = DecodingOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    result = BatchResult()
    articles: list[Article] = []
    for path in article_files(input_dir):
        try:
            articles.extend(ingest_file(str(path)).articles)
        except InputError as error:
            result.failures[str(path)] = str(error)
    translate_articles(articles, engine, options, progress)
    folder = output_dir / "articles"
    for article in articles:
        document = json.dumps(article_json(article, engine.info), ensure_ascii=False, indent=2)
        for path, text in (
            (folder / f"{article.id}.json", document + "\n"),
            (folder / f"{article.id}.en.md", article_markdown(article, engine.info)),
        ):
            atomic_write_text(path, text)
            result.written.append(path)
    return result
