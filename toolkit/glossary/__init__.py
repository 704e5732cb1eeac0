"""Glossary stage: find the domain terms of every sentence (Sentence.matches).

The translate stage enforces them (toolkit.glossary.enforce) and reports, per sentence,
whether each term's canonical English came out (Sentence.terms).
"""

from toolkit.document import Article
from toolkit.glossary.entries import Glossary, default_glossary_files, lint, load_glossary
from toolkit.glossary.matcher import Matcher, TermMatch

__all__ = [
    "Glossary",
    "Matcher",
    "TermMatch",
    "annotate_articles",
    "default_glossary_files",
    "lint",
    "load_glossary",
]


def annotate_articles(articles: list[Article], matcher: Matcher) -> list[Article]:
    for article in articles:
        for sentence in article.all_sentences():
            sentence.matches = matcher.find(sentence.original)
    return articles
