"""`toolkit glossary match` on the real articles in ../shared/articles (skipped when absent).

The expected counts were written by reading the articles: every mention in the article text
(captions and page furniture are dropped by ingest) of the names the glossary is for.
"""

import json
from collections import Counter

from conftest import invoke

EXPECTED = {
    "000": {"ISIS": 5, "Western Union": 2, "Scotland Yard": 2, "The Times": 1},
    "001": {
        "ISIS": 11,
        "Bitcoin": 5,
        "Europol": 1,
        "US Department of Justice": 1,
        "al-Qaeda": 1,
        "Facebook": 1,
        "European Union": 1,
        "Telegram": 1,  # written in Latin letters in the Arabic text
    },
    "002": {
        "ISIS": 13,
        "Islamic State of Iraq": 1,
        "Twitter": 3,
        "Telegram": 5,
        "United Nations": 2,
        "Roskomnadzor": 3,
        "Hamas": 3,
        "Middle East": 1,
        "Asharq Al-Awsat": 3,
        "FSB": 1,
        "Sputnik": 1,
        "X": 1,
        "DGSI": 1,
        "French National Anti-Terrorism Prosecutor's Office": 1,
    },
    "003": {
        "ISIS": 4,
        "Twitter": 4,
        "Facebook": 4,
        "Google": 3,
        "Microsoft": 3,
        "YouTube": 1,
        "European Commission": 2,
        "European Council": 2,
        "European Union": 2,
        "Asharq Al-Awsat": 2,
        "Malmström": 2,
        "de Kerchove": 2,
        "EU Counter-Terrorism Coordinator": 2,
    },
    "004": {"ISIS": 8, "Interpol": 1, "Terrorist Financing Targeting Center": 1},
}


def test_every_listed_name_is_found_and_nothing_else(shared_articles):
    for path in sorted(shared_articles.iterdir()):
        result = invoke("glossary", "match", path, "--json")
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        assert document["source"] == str(path)
        counts = Counter(match["english"] for match in document["matches"])
        assert counts == Counter(EXPECTED[path.name[:3]]), path.name
        for match in document["matches"]:
            assert match["surface"] in path.read_text(encoding="utf-8")
            assert match["article"].startswith(path.stem + "-")


def test_asharq_al_awsat_only_in_quotes(shared_articles):
    for path in sorted(shared_articles.iterdir()):
        document = json.loads(invoke("glossary", "match", path, "--json").stdout)
        for match in document["matches"]:
            if match["english"] == "Asharq Al-Awsat":
                assert match["surface"][-1] in '»}"”)'
            if match["english"] == "Middle East":
                assert match["surface"][-1] not in '»}"”)'
