"""Translate stage: fills in `en`, `score` and `flags` of every sentence of every article."""

from collections.abc import Callable

from toolkit.document import Article
from toolkit.translate.engine import DecodingOptions, Engine, Translation
from toolkit.translate.flags import sentence_flags

__all__ = ["DecodingOptions", "Engine", "Translation", "translate_articles"]


def translate_articles(
    articles: list[Article],
    engine: Engine,
    options: DecodingOptions = DecodingOptions(),
    progress: Callable[[int, int], None] | None = None,
) -> list[Article]:
    sentences = [sentence for article in articles for sentence in article.all_sentences()]
    translations = engine.translate([s.ar for s in sentences], options, progress)
    for sentence, translation in zip(sentences, translations, strict=True):
        sentence.en = translation.text
        sentence.score = translation.score
        sentence.flags = sentence_flags(translation.text, translation.truncated)
    return articles
