"""Brief figures on the real articles in ../shared/articles (skipped when absent).

The expected figures were written by reading the articles: every number the brief should
carry, with its approximation ("about", "more than") and the noun it counts.
"""

from toolkit.brief.figures import extract_figures
from toolkit.ingest import ingest_file

EXPECTED = {
    "000-1": [("count", "3", "months"), ("count", "17", "years")],
    "001-1": [
        ("date", "2015–2017", ""),
        ("money", "$300 million", ""),
        ("date", "13 August 2020", ""),
        ("count", "300", "accounts"),
        ("count", "4", "websites"),
        ("count", "4", "pages"),
    ],
    "002-1": [
        ("count", "more than 40,000", "accounts"),
        ("count", "more than 20,000", "fighters"),
        ("count", "more than 40,000", ""),
        ("date", "2000", ""),
        ("count", "10,000", "fighters"),
    ],
    "002-2": [
        ("count", "5", "people"),
        ("date", "November 2023", ""),
        ("date", "31 January 2024", ""),
        ("count", "3", "judges"),
    ],
    "002-3": [
        ("count", "23", "years"),
        ("date", "12 February", ""),
        ("count", "7", "people"),
        ("count", "between 2,000 and 3,000", "people"),
        ("count", "6", "people"),
        ("date", "2018", ""),
        ("date", "15 March", ""),
    ],
    "002-4": [],
    "003-1": [
        ("count", "about 3,000", "fighters"),
        ("count", "more than 1,000", "fighters"),
        ("count", "about 2,000", "fighters"),
        ("count", "about 3,000", "fighters"),
    ],
    "004-1": [
        ("count", "83", "people"),
        ("count", "6", "countries"),
        ("count", "160", "people"),
        ("money", "$260 million", ""),
        ("money", "$600,000", ""),
    ],
}


def test_figures_of_every_seed_article(shared_articles):
    found = {}
    for path in sorted(shared_articles.iterdir()):
        for article in ingest_file(str(path)).articles:
            key = f"{path.name[:3]}-{article.id.rsplit('-', 1)[1]}"
            found[key] = [
                (figure.kind, figure.value, figure.context)
                for sentence in article.sentences
                for figure in extract_figures(sentence.ar)
            ]
    assert found == EXPECTED
