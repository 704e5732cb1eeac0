"""Translate stage: fills in `en`, `score`, `flags` and `terms` of every sentence.

With a glossary, each sentence's matched terms (from the glossary stage) are enforced with
the chosen strategy (toolkit.glossary.enforce) and verified in the output.
"""

from collections.abc import Callable
from dataclasses import replace

from toolkit.document import Article, Sentence
from toolkit.glossary.enforce import (
    STRATEGIES,
    Enforcement,
    post_edit,
    prepare_source,
    restore_placeholders,
    suppressed_variants,
    terms_present,
    verify,
)
from toolkit.glossary.entries import Glossary
from toolkit.translate.engine import DecodingOptions, Engine, Translation
from toolkit.translate.flags import sentence_flags

__all__ = ["DecodingOptions", "Engine", "Translation", "translate_articles"]


def translate_articles(
    articles: list[Article],
    engine: Engine,
    options: DecodingOptions = DecodingOptions(),
    progress: Callable[[int, int], None] | None = None,
    glossary: Glossary | None = None,
    strategy: Enforcement = STRATEGIES["none"],
) -> list[Article]:
    sentences = [sentence for article in articles for sentence in article.all_sentences()]
    if glossary is None:
        strategy = STRATEGIES["none"]
    sources = [prepare_source(s.original or s.ar, s.matches, strategy) for s in sentences]
    if strategy.rerank > 1:
        options = replace(options, num_hypotheses=min(strategy.rerank, options.beam_size))
    suppress = []
    if strategy.suppress and glossary is not None:
        suppress = suppressed_variants([m for s in sentences for m in s.matches], glossary)

    translations = engine.translate(sources, options, progress, suppress)
    for sentence, translation in zip(sentences, translations, strict=True):
        _finish(sentence, translation, glossary, strategy)
    return articles


def _finish(
    sentence: Sentence, translation: Translation, glossary: Glossary | None, strategy: Enforcement
) -> None:
    def final(english: str) -> str:
        if strategy.placeholder:
            english = restore_placeholders(english, sentence.matches)
        if strategy.post_edit and glossary is not None:
            english = post_edit(english, sentence.matches, glossary)
        return english

    if sentence.matches and strategy.rerank > 1:
        translation.rerank(
            lambda hypothesis: terms_present(final(hypothesis.text), sentence.matches)
        )
    sentence.en = final(translation.text)
    sentence.score = translation.score
    sentence.terms = verify(sentence.en, sentence.matches) if glossary is not None else []
    sentence.flags = sentence_flags(sentence.en, translation.truncated)
    if any(not term.ok for term in sentence.terms):
        sentence.flags.append("glossary")
