"""The stages wired together: ingest → glossary → translate → brief, then publish per article."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.brief import brief_articles
from toolkit.document import Article
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text
from toolkit.glossary import Glossary, Matcher, annotate_articles
from toolkit.glossary.enforce import DEFAULT_STRATEGY, STRATEGIES, Enforcement
from toolkit.ingest import ingest_file
from toolkit.publish.article import article_json, article_markdown
from toolkit.translate import DecodingOptions, Engine, translate_articles

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


@dataclass
class Pipeline:
    engine: Engine
    options: DecodingOptions = DecodingOptions()
    glossary: Glossary | None = None
    strategy: Enforcement = STRATEGIES[DEFAULT_STRATEGY]

    def run(self, articles: list[Article], progress: Callable[[int, int], None] | None = None):
        if self.glossary is not None:
            annotate_articles(articles, Matcher(self.glossary))
        translate_articles(
            articles, self.engine, self.options, progress, self.glossary, self.strategy
        )
        return brief_articles(articles)


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
    pipeline: Pipeline,
    progress: Callable[[int, int], None] | None = None,
) -> BatchResult:
    result = BatchResult()
    articles: list[Article] = []
    for path in article_files(input_dir):
        try:
            articles.extend(ingest_file(str(path)).articles)
        except InputError as error:
            result.failures[str(path)] = str(error)
    pipeline.run(articles, progress)
    folder = output_dir / "articles"
    info = pipeline.engine.info
    for article in articles:
        document = json.dumps(article_json(article, info), ensure_ascii=False, indent=2)
        for path, text in (
            (folder / f"{article.id}.json", document + "\n"),
            (folder / f"{article.id}.en.md", article_markdown(article, info)),
        ):
            atomic_write_text(path, text)
            result.written.append(path)
    return result
