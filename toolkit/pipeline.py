"""The stages wired together: ingest → glossary → translate → brief, then publish per article."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.brief import brief_articles
from toolkit.document import Article, Problem
from toolkit.errors import InputError
from toolkit.fsutil import atomic_write_text
from toolkit.glossary import Glossary, Matcher, annotate_articles
from toolkit.glossary.enforce import DEFAULT_STRATEGY, STRATEGIES, Enforcement
from toolkit.ingest.readers import READERS
from toolkit.publish.article import article_json, article_markdown
from toolkit.translate import (
    DecodingOptions,
    Engine,
    TranslationCounts,
    TranslationMemory,
    translate_groups,
)
from toolkit.translate.executor import Executor
from toolkit.translate.segment import too_long

ARTICLE_SUFFIXES = tuple(READERS)  # every format ingest reads


@dataclass
class Pipeline:
    engine: Engine
    options: DecodingOptions = DecodingOptions()
    glossary: Glossary | None = None
    strategy: Enforcement = STRATEGIES[DEFAULT_STRATEGY]

    memory: TranslationMemory | None = None
    executor: Executor | None = None  # who decodes: the engine's own translator by default

    def translate(
        self,
        groups: list[list[Article]],
        progress: Callable[[int, int], None] | None = None,
        on_group: Callable[[int, TranslationCounts], None] | None = None,
    ) -> list[TranslationCounts]:
        """glossary → translate, in place, every group in one decoding stream; `on_group(i,
        counts)` as soon as group i is translated.

        A sentence past toolkit.limits is marked `too-long` and never reaches the model.
        """
        count = lambda text: len(self.engine.tokenize(text))  # noqa: E731
        for articles in groups:
            for article in articles:
                for sentence in article.all_sentences():
                    if too_long(sentence.ar, count, self.options.max_source_tokens):
                        sentence.skip_too_long()
        if self.glossary is not None:
            matcher = Matcher(self.glossary)
            for articles in groups:
                annotate_articles(articles, matcher)
        return translate_groups(
            groups,
            self.engine,
            self.options,
            progress,
            self.glossary,
            self.strategy,
            self.memory,
            self.executor,
            on_group,
        )

    def run(
        self,
        groups: list[list[Article]],
        progress: Callable[[int, int], None] | None = None,
        on_group: Callable[[int, TranslationCounts], None] | None = None,
    ) -> list[TranslationCounts]:
        """glossary → translate → brief, in place; `on_group` once a group is briefed."""

        def briefed(number: int, counts: TranslationCounts) -> None:
            brief_articles(groups[number])
            if on_group:
                on_group(number, counts)

        return self.translate(groups, progress, briefed)


def skipped_sentences(articles: list[Article]) -> list[Problem]:
    """One problem per sentence the translate stage skipped as too long."""
    return [
        Problem(
            f"{article.source.path}: {article.id}, "
            + (f"sentence {number}" if number else "headline"),
            f"skipped: too long ({len(sentence.ar):,} characters)",
        )
        for article in articles
        for number, sentence in enumerate(article.all_sentences())
        if sentence.skipped
    ]


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


def write_article(out_dir: Path, article: Article, info) -> None:
    """articles/<id>.json and <id>.en.md, each replaced atomically."""
    folder = out_dir / "articles"
    document = json.dumps(article_json(article, info), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(folder / f"{article.id}.json", document)
    atomic_write_text(folder / f"{article.id}.en.md", article_markdown(article, info))
