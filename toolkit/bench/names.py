"""`toolkit bench --names`: what people, places and quotes add to each article's brief.

Over the articles of the sample inbox and ../shared/articles (when present), glossary
matches found first as in the nightly, it times per article: the names stage (people,
places, their spellings), the quotes, and the rest of the brief (bottom line, key points,
figures, entities: the brief as it was before names), each the fastest of `repeat` runs,
and once the start-up (loading the name index and the gazetteer, paid once a night).
Translation is left out: the English is the Arabic, the brief only carries it.
"""

import time
from collections.abc import Callable

from toolkit.bench.work import sample_articles
from toolkit.brief import build_brief
from toolkit.brief.quotes import find_quotes
from toolkit.document import Article
from toolkit.glossary import Matcher, annotate_articles, default_glossary_files, load_glossary
from toolkit.names import NameFinder
from toolkit.names.people import clear_word_cache, name_units
from toolkit.names.places import cities
from toolkit.names.spelling import romanize


def bench_articles() -> list[Article]:
    """The sample articles, their English standing in for a translation."""
    articles = sample_articles()
    for article in articles:
        for sentence in article.all_sentences():
            sentence.en = sentence.ar
    return articles


def _fastest(repeat: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def run_names_bench(repeat: int = 3) -> dict:
    articles = bench_articles()
    if not articles:
        return {"articles": 0}
    annotate_articles(articles, Matcher(load_glossary(default_glossary_files())))
    started = time.perf_counter()
    name_units(), cities()
    startup = time.perf_counter() - started
    finder = NameFinder.from_folder(None)

    def names() -> None:
        clear_word_cache()  # each sentence is new to a night's names stage
        for article in articles:
            for sentence in article.all_sentences():
                sentence.people = []
            finder.annotate_article(article)

    names()  # spells every name once: spellings are measured apart, below
    names_s = _fastest(repeat, names)
    people = sum(len(article.people) for article in articles)
    romanize.cache_clear()
    spelling_s = _fastest(1, names) - names_s  # the first sight of each name: the romanizer
    quotes_s = _fastest(repeat, lambda: [find_quotes(article) for article in articles])
    brief_s = _fastest(repeat, lambda: [build_brief(article) for article in articles])
    before = (brief_s - quotes_s) / len(articles)  # the brief without quotes: as it was
    after = (brief_s + names_s) / len(articles)
    return {
        "articles": len(articles),
        "sentences": sum(len(article.sentences) for article in articles),
        "startup_s": round(startup, 3),
        "ms_per_article": {
            "brief_before": round(1000 * before, 2),
            "names": round(1000 * names_s / len(articles), 2),
            "quotes": round(1000 * quotes_s / len(articles), 2),
            "brief_after": round(1000 * after, 2),
        },
        "ratio": round(after / before, 2) if before else None,
        "people": people,
        "spelling_ms_per_person": round(1000 * max(spelling_s, 0) / people, 1) if people else None,
    }


def names_bench_text(report: dict) -> str:
    if not report["articles"]:
        return "no articles: put some in inbox/ (or ../shared/articles)"
    ms = report["ms_per_article"]
    return "\n".join(
        [
            f"{report['articles']} articles, {report['sentences']} sentences; start-up "
            f"(name index, gazetteer) {report['startup_s']} s once a run",
            "| per article | ms |",
            "|---|---:|",
            f"| brief as before names | {ms['brief_before']} |",
            f"| names stage (people, places, spellings) | {ms['names']} |",
            f"| quotes | {ms['quotes']} |",
            f"| brief with names and quotes | {ms['brief_after']} |",
            f"after / before: {report['ratio']} (every name already spelled once)",
            f"spelling a name seen for the first time: {report['spelling_ms_per_person']} ms "
            f"a person ({report['people']} people; the romanizer's model for unattested names)",
        ]
    )
