"""Translate stage: fills in `en`, `score`, `flags` and `terms` of every sentence.

With a glossary, each sentence's matched terms (from the glossary stage) are enforced with
the chosen strategy (toolkit.glossary.enforce) and verified in the output.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace

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
from toolkit.translate.memory import TranslationMemory, memory_key

# Sentences decoded between two translation-memory commits: what a crash can cost at most.
CHUNK_SENTENCES = 64


@dataclass
class TranslationCounts:
    sentences: int = 0
    decoded: int = 0
    from_memory: int = 0

    def add(self, other: "TranslationCounts") -> None:
        self.sentences += other.sentences
        self.decoded += other.decoded
        self.from_memory += other.from_memory


__all__ = [
    "DecodingOptions",
    "Engine",
    "Translation",
    "TranslationCounts",
    "TranslationMemory",
    "translate_articles",
]


def translate_articles(
    articles: list[Article],
    engine: Engine,
    options: DecodingOptions = DecodingOptions(),
    progress: Callable[[int, int], None] | None = None,
    glossary: Glossary | None = None,
    strategy: Enforcement = STRATEGIES["none"],
    memory: TranslationMemory | None = None,
) -> TranslationCounts:
    sentences = [s for article in articles for s in article.all_sentences() if not s.skipped]
    if glossary is None:
        strategy = STRATEGIES["none"]
    sources = [prepare_source(s.original or s.ar, s.matches, strategy) for s in sentences]
    if strategy.rerank > 1:
        options = replace(options, num_hypotheses=min(strategy.rerank, options.beam_size))
    suppress = [
        suppressed_variants(s.matches, glossary) if strategy.suppress and glossary else []
        for s in sentences
    ]
    model = engine.info.model_sha256
    keys = [
        memory_key(model, options, src, sup) for src, sup in zip(sources, suppress, strict=True)
    ]
    translations: dict[str, Translation] = memory.get_many(keys) if memory is not None else {}
    first_use: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key not in translations:
            first_use.setdefault(key, i)
    missing = list(first_use.values())

    counts = TranslationCounts(sentences=len(sentences))
    done = len(sentences) - len(missing)
    for start in range(0, len(missing), CHUNK_SENTENCES):
        chunk = missing[start : start + CHUNK_SENTENCES]
        texts, forbidden = [sources[i] for i in chunk], [suppress[i] for i in chunk]
        decoded = engine.translate(texts, options, None, forbidden)
        rows = [(keys[i], sources[i], t) for i, t in zip(chunk, decoded, strict=True)]
        translations.update((key, translation) for key, _, translation in rows)
        if memory is not None:
            memory.put_many(model, rows)  # committed: a crash after this loses nothing
        counts.decoded += len(chunk)
        done += len(chunk)
        if progress:
            progress(done, len(sentences))

    # a repeated sentence is decoded once; its other copies count as served from memory
    counts.from_memory = counts.sentences - counts.decoded
    for sentence, key in zip(sentences, keys, strict=True):
        translation = translations[key]
        if sentence.matches and strategy.rerank > 1:
            translation = copy.deepcopy(translation)  # re-ranked in place; sources may repeat
        _finish(sentence, translation, glossary, strategy)
    return counts


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
    sentence.flags = sentence_flags(sentence.ar, sentence.en, sentence.score, translation.truncated)
    if any(not term.ok for term in sentence.terms):
        sentence.flags.append("glossary")
