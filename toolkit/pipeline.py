"""The stages wired together: ingest → glossary → translate → brief, then publish per article."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.brief import brief_articles
from toolkit.document import Article, Problem
from toolkit.fsutil import atomic_write_text
from toolkit.glossary import Glossary, Matcher, annotate_articles
from toolkit.glossary.enforce import DEFAULT_STRATEGY, STRATEGIES, Enforcement
from toolkit.names import NameFinder
from toolkit.publish.article import ModelRef, article_json, article_markdown
from toolkit.publish.page import write_page
from toolkit.translate import (
    DecodingOptions,
    Engine,
    TranslationCounts,
    TranslationMemory,
    translate_groups,
)
from toolkit.translate.executor import Executor
from toolkit.translate.segment import not_text


@dataclass
class Pipeline:
    engine: Engine
    options: DecodingOptions = DecodingOptions()
    glossary: Glossary | None = None
    strategy: Enforcement = STRATEGIES[DEFAULT_STRATEGY]

    names: NameFinder | None = None  # people and places, their spellings put into the English
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

        A sentence that is not text (segment.not_text) is marked `not-text` and never
        reaches the model; every other sentence is translated, however long.
        """
        for articles in groups:
            for article in articles:
                for sentence in article.all_sentences():
                    if not_text(sentence.ar):
                        sentence.skip_not_text()
        if self.glossary is not None:
            matcher = Matcher(self.glossary)
            for articles in groups:
                annotate_articles(articles, matcher)
        if self.names is not None:
            for articles in groups:
                self.names.annotate(articles)
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
    """One problem per article with sentences the translate stage skipped as not text."""
    problems = []
    for article in articles:
        skipped = [(n, s) for n, s in enumerate(article.all_sentences()) if s.skipped]
        if not skipped:
            continue
        number, sentence = skipped[0]
        where = f"sentence {number}" if number else "headline"
        more = f" and {len(skipped) - 1:,} more" if len(skipped) > 1 else ""
        problems.append(
            Problem(
                f"{article.source.path}: {article.id}, {where}{more}",
                f"skipped: not text ({not_text(sentence.ar)}; {len(sentence.ar):,} characters)",
            )
        )
    return problems


def write_article(out_dir: Path, article: Article, info) -> None:
    """articles/<id>.json, <id>.en.md and its page <id>.html, each replaced atomically (the
    page gains its story's other versions when the day is published: publish_pages)."""
    folder = out_dir / "articles"
    document = json.dumps(article_json(article, info), ensure_ascii=False, indent=2) + "\n"
    atomic_write_text(folder / f"{article.id}.json", document)
    atomic_write_text(folder / f"{article.id}.en.md", article_markdown(article, info))
    write_page(out_dir, article, ModelRef.of(info))
