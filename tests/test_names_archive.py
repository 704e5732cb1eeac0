"""People and places in the archive: three nights of the labelled Somali hawala case (three
outlets, three days, the man named أحمد عبدي فارح, then فارح, then أحمد فارح) give one person
under one English spelling in archive.sqlite, `toolkit names` and `toolkit search`; a country
keeps a search to the articles with a place there."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import invoke
from names_labelled import labelled_articles
from test_nightly import nightly

from toolkit.archive import update_archive
from toolkit.archive.database import NAME, SCHEMA_VERSION

CASE = ("so-1", "so-2", "so-3")
DAYS = ("2026-11-01", "2026-11-02", "2026-11-03")  # theirs in labelled.txt
HEADLINE = "تطورات قضية شبكة الحوالة"


def write_inbox(folder: Path, labelled) -> Path:
    folder.mkdir(parents=True)
    record = {"title": HEADLINE, "text": labelled.text, "source": labelled.outlet}
    (folder / f"{labelled.id}.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return folder


@pytest.fixture(scope="module")
def three_nights(tiny_model, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("names-archive")
    outputs = root / "outputs"
    case = [article for article in labelled_articles() if article.id in CASE]
    assert len({article.outlet for article in case}) == len({a.day for a in case}) == 3
    for article in case:
        result = nightly(
            write_inbox(root / article.id, article), outputs, tiny_model, date=article.day
        )
        assert result.exit_code == 0, result.output
    return outputs


@pytest.fixture
def outputs(three_nights, tmp_path) -> Path:
    """A private copy of the three nights' outputs, to change."""
    return Path(shutil.copytree(three_nights, tmp_path / "outputs"))


def records(outputs: Path) -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(outputs.glob("????-??-??/articles/*.json"))
    }


def farah(outputs: Path) -> dict:
    """The person of the labelled case as the records give them: one id, one spelling."""
    gold = {
        surface
        for a in labelled_articles()
        if a.id in CASE
        for surface, label in a.people
        if label == "farah"
    }
    found = {
        (person["id"], person["english"])
        for record in records(outputs).values()
        for person in record["brief"]["people"]
        if gold & set(person["mentions"])
    }
    assert len(found) == 1, found
    ((id_, english),) = found
    return {"id": id_, "english": english, "gold": gold}


def names(outputs: Path) -> list[dict]:
    result = invoke("names", outputs, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def search(outputs: Path, query: str, *extra: str) -> list[str]:
    result = invoke("search", query, "--outputs", outputs, "--json", *extra)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return sorted(hit["id"] for story in data["stories"] for hit in story["articles"])


def test_names_lists_the_person_once_across_outlets_and_days(three_nights):
    person = farah(three_nights)
    profiles = [p for p in names(three_nights) if p["id"] == person["id"]]
    assert len(profiles) == 1
    (profile,) = profiles
    assert set(profile) == {"id", "english", "variants", "articles", "first_seen", "last_seen"}
    assert profile["english"] == person["english"]
    assert person["gold"] <= set(profile["variants"])  # the full name and both partial ones
    assert sorted(a["day"] for a in profile["articles"]) == [
        "2026-11-01",
        "2026-11-02",
        "2026-11-03",
    ]
    assert sorted(a["id"] for a in profile["articles"]) == [f"{name}-1" for name in CASE]
    assert (profile["first_seen"], profile["last_seen"]) == ("2026-11-01", "2026-11-03")
    everyone = names(three_nights)
    assert [len(p["articles"]) for p in everyone] == sorted(
        (len(p["articles"]) for p in everyone), reverse=True
    )
    assert sum(p["english"] == person["english"] for p in everyone) == 1


def test_names_text_output_is_a_table(three_nights):
    person = farah(three_nights)
    result = invoke("names", three_nights)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith(person["english"]))
    assert "3 article(s)" in line and "2026-11-01 → 2026-11-03" in line and person["id"] in line


def test_the_people_table_has_one_spelling_per_person(three_nights):
    invoke("archive", three_nights)
    person = farah(three_nights)
    with sqlite3.connect(three_nights / NAME) as conn:
        spellings = conn.execute(
            "SELECT person, count(DISTINCT english) FROM people GROUP BY person"
        ).fetchall()
        rows = conn.execute(
            "SELECT DISTINCT article, english FROM people WHERE person = ?", (person["id"],)
        ).fetchall()
        countries = dict(conn.execute("SELECT key, countries FROM articles"))
    assert spellings and all(n == 1 for _, n in spellings)
    assert sorted(rows) == [
        (f"{day}/{name}-1", person["english"]) for day, name in zip(DAYS, CASE, strict=True)
    ]
    assert json.loads(countries["2026-11-03/so-3-1"]) == ["KE", "SO"]


def test_searching_the_spelling_finds_every_article_of_the_person(three_nights):
    person = farah(three_nights)
    assert search(three_nights, person["english"]) == [f"{name}-1" for name in CASE]


def test_the_spelling_finds_the_arabic_mentions_when_the_english_lacks_it(outputs):
    person = farah(outputs)
    for path in outputs.glob("????-??-??/articles/*.json"):  # no English name anywhere
        record = json.loads(path.read_text(encoding="utf-8"))
        for sentence in [record["headline"], *record["sentences"]]:
            sentence["en"], sentence["terms"] = "Something was said.", []
        path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    update_archive(outputs, rebuild=True)
    assert search(outputs, person["english"]) == [f"{name}-1" for name in CASE]
    assert search(outputs, person["english"] + " said") == [f"{name}-1" for name in CASE]
    assert search(outputs, f'"{person["english"].lower()}"') == [f"{name}-1" for name in CASE]
    assert search(outputs, "Nobody Atall") == []


def test_a_country_keeps_the_articles_with_a_place_there(three_nights):
    person = farah(three_nights)
    assert search(three_nights, person["english"], "--country", "SO") == [f"{n}-1" for n in CASE]
    assert search(three_nights, person["english"], "--country", "ke") == ["so-3-1"]  # نيروبي
    assert search(three_nights, person["english"], "--country", "AE") == ["so-1-1"]  # دبي
    assert search(three_nights, person["english"], "--country", "FR") == []
    result = invoke("search", "x", "--outputs", three_nights, "--country", "Somalia")
    assert result.exit_code == 2 and "--country" in result.output


def test_an_archive_of_version_2_gains_people_and_places(outputs):
    update_archive(outputs)
    path = outputs / NAME
    with sqlite3.connect(path) as conn:  # as schema 2 had it
        conn.executescript(
            "DROP TABLE people; DROP TABLE places; ALTER TABLE articles DROP COLUMN countries;"
            "PRAGMA user_version = 2;"
        )
    conn.close()
    update_archive(outputs)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        people = conn.execute("SELECT count(DISTINCT article) FROM people").fetchone()[0]
        places = conn.execute("SELECT count(*) FROM places WHERE country = 'KE'").fetchone()[0]
    conn.close()
    assert people == 3 and places >= 2  # every day written again: نيروبي, مومباسا
    assert not list(outputs.glob(f"{NAME}.corrupt-*"))  # migrated, not set aside


def test_datasette_facets_places_and_people_on_country(three_nights, tmp_path):
    pytest.importorskip("datasette")
    from test_search import get_json, running_datasette

    person = farah(three_nights)
    update_archive(three_nights)
    with running_datasette(three_nights / NAME, tmp_path / "datasette.log") as base:
        places = get_json(f"{base}/archive/places.json?_shape=objects&country=KE")
        articles = get_json(f"{base}/archive/articles.json?_shape=objects")
        people = get_json(f"{base}/archive/people.json?_shape=objects&person={person['id']}")
    assert {row["article"] for row in places["rows"]} == {"2026-11-03/so-3-1"}
    countries = {r["value"]: r["count"] for r in places["facet_results"]["country"]["results"]}
    assert countries["KE"] == len(places["rows"])  # the facet as configured, the filter applied
    facet = {r["value"]: r["count"] for r in articles["facet_results"]["countries"]["results"]}
    assert facet["SO"] == 3 and facet["KE"] == 1 and facet["AE"] == 1
    assert {row["english"] for row in people["rows"]} == {person["english"]}
    assert "country" in people["facet_results"]


def test_the_search_bench_archive_finds_a_person_by_spelling(tmp_path):
    from toolkit.archive.bench import Corpus, build
    from toolkit.archive.database import connect
    from toolkit.archive.search import search as search_archive

    corpus = Corpus()
    build(tmp_path / NAME, 600, corpus)
    conn = connect(tmp_path / NAME)
    try:
        person = corpus.people[0]
        with_person = {
            key
            for (key,) in conn.execute("SELECT article FROM people WHERE person = ?", (person.id,))
        }
        result = search_archive(conn, person.english.upper(), limit=1000)
        leads = conn.execute("SELECT count(*) FROM articles WHERE lead = 1").fetchone()[0]
    finally:
        conn.close()
    found = {f"{hit.day}/{hit.id}" for story in result.stories for hit in story.articles}
    assert with_person and with_person <= found
    assert result.terms == [person.english.upper()]  # one term: the person, not two words
    assert leads == 600 // 5


def test_each_nights_digest_names_the_person_under_the_one_spelling(three_nights):
    person = farah(three_nights)
    for day in DAYS:
        digest = (three_nights / day / "digest.md").read_text(encoding="utf-8")
        index = digest.split("## Entity index", 1)[1]
        assert f"| {person['english']} | person |" in index, day
