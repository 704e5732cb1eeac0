"""People, places and quotes (toolkit.names, toolkit.brief.quotes), measured on our own
labelled set (tests/data/names/labelled.txt: fictional people from several countries,
kunyas, initialled names, partial mentions, two look-alike names)."""

import json
import shutil
from collections import Counter
from dataclasses import replace
from html import escape

import pytest
from conftest import invoke
from names_labelled import labelled_articles

from toolkit.brief.quotes import find_quotes
from toolkit.document import Article, Sentence, Source
from toolkit.glossary import Matcher, annotate_articles, default_glossary_files, load_glossary
from toolkit.glossary.enforce import STRATEGIES, prepare_source
from toolkit.glossary.matcher import fold
from toolkit.names import NAMES_SOURCE, NameFinder, Speller
from toolkit.names.people import strip_clitic
from toolkit.names.spelling import read_names


def mention_key(surface: str) -> str:
    """A mention compared without its quotes and proclitic letter."""
    words = fold(surface.strip('«»" ')).split()
    words[0] = strip_clitic(words[0])[1]
    return " ".join(words)


def found_article(labelled, finder: NameFinder, matcher: Matcher) -> Article:
    sentences = [Sentence(ar=t, paragraph=i, original=t) for i, t in enumerate(labelled.sentences)]
    headline = Sentence(ar="", paragraph=-1, original="")
    article = Article(labelled.id, Source(labelled.id, "", "utf-8"), headline, sentences)
    annotate_articles([article], matcher)
    finder.annotate([article])
    return article


@pytest.fixture(scope="module")
def found():
    matcher = Matcher(load_glossary(default_glossary_files()))
    finder = NameFinder()
    return [
        (labelled, found_article(labelled, finder, matcher)) for labelled in labelled_articles()
    ]


def person_of(article: Article, surface: str):
    """The person found for a gold mention, matched on its text."""
    key = mention_key(surface)
    for person in article.people:
        if key in {mention_key(m) for m in person.mentions}:
            return person
    return None


def test_person_mentions_recall_and_precision(found):
    true_positive = predicted = gold = 0
    for labelled, article in found:
        want = Counter(mention_key(surface) for surface, _ in labelled.people)
        got = Counter(
            mention_key(text)
            for sentence in article.sentences
            for mention in sentence.people
            for text in [sentence.original[mention.start : mention.end]]
        )
        true_positive += sum((want & got).values())
        predicted += sum(got.values())
        gold += sum(want.values())
    assert true_positive / gold >= 0.9, f"recall {true_positive}/{gold}"
    assert true_positive / predicted >= 0.8, f"precision {true_positive}/{predicted}"


def test_one_id_per_person_and_none_shared(found):
    ids_of: dict[str, set] = {}
    labels_of: dict[str, set] = {}
    for labelled, article in found:
        for surface, label in labelled.people:
            person = person_of(article, surface)
            assert person is not None, f"{labelled.id}: {surface} not found"
            ids_of.setdefault(label, set()).add(person.id)
            labels_of.setdefault(person.id, set()).add(label)
    assert {label: ids for label, ids in ids_of.items() if len(ids) > 1} == {}
    assert {pid: labels for pid, labels in labels_of.items() if len(labels) > 1} == {}
    assert len(ids_of) >= 20  # the set has people from many countries, not a handful


def test_one_english_spelling_across_articles_and_partial_mentions(found):
    spellings: dict[str, set] = {}
    for labelled, article in found:
        for surface, label in labelled.people:
            spellings.setdefault(label, set()).add(person_of(article, surface).english)
    assert all(len(found) == 1 for found in spellings.values()), spellings
    farah = spellings["farah"].pop()  # أحمد عبدي فارح, فارح, أحمد فارح: three outlets, three days
    assert farah.isascii() and "Farah" in farah


def test_look_alike_names_stay_two_people(found):
    by_label = {
        label: person_of(article, surface)
        for labelled, article in found
        for surface, label in labelled.people
    }
    assert by_label["omari"].id != by_label["ameri"].id
    assert by_label["omari"].english != by_label["ameri"].english


def test_places_by_article_and_country(found):
    true_positive = predicted = gold = 0
    for labelled, article in found:
        got = {place.country for place in article.places}
        true_positive += len(got & labelled.countries)
        predicted += len(got)
        gold += len(labelled.countries)
    assert true_positive / gold >= 0.9
    assert true_positive / predicted >= 0.85


def test_tripoli_and_amman_go_to_the_country_the_article_names(found):
    articles = {labelled.id: article for labelled, article in found}
    assert ("Tripoli", "LB") in {(p.english, p.country) for p in articles["lb-1"].places}
    assert ("Tripoli", "LY") in {(p.english, p.country) for p in articles["ly-1"].places}
    assert ("Amman", "JO") in {(p.english, p.country) for p in articles["jo-1"].places}
    assert "OM" in {p.country for p in articles["ye-1"].places}  # سلطنة عمان


def test_quotes_found_with_speaker_and_kind(found):
    total = hits = right_speaker = right_kind = 0
    for labelled, article in found:
        quotes = find_quotes(article)
        spelled = {label: person_of(article, surface).english for surface, label in labelled.people}
        for gold in labelled.quotes:
            total += 1
            match = next((q for q in quotes if fold(gold.piece) in fold(q.ar)), None)
            if match is None:
                continue
            hits += 1
            right_speaker += match.speaker == spelled.get(gold.speaker, gold.speaker)
            right_kind += match.kind == gold.kind
    assert hits / total >= 0.8
    assert right_speaker / hits >= 0.7
    assert right_kind / hits >= 0.9


def test_a_spelling_is_put_into_the_model_input(found):
    articles = {labelled.id: article for labelled, article in found}
    sentence = articles["so-2"].sentences[0]  # … رجل الأعمال أحمد عبدي فارح …
    person_matches = [m for m in sentence.matches if m.entry.where == NAMES_SOURCE]
    assert person_matches
    source = prepare_source(sentence.original, sentence.matches, STRATEGIES["inject"])
    assert person_matches[0].entry.english in source
    assert "فارح" not in source


def test_names_tsv_spelling_and_profile_win(tmp_path):
    names = tmp_path / "names.tsv"
    names.write_text(
        "key\tprofile\ttype\tvariant\n1\tfarah-1\tP\tAhmad Abdi Faarah\n"
        "2\tfarah-1\tP\tأحمد عبدي فارح\n",
        encoding="utf-8",
    )
    labelled = next(a for a in labelled_articles() if a.id == "so-2")
    matcher = Matcher(load_glossary(default_glossary_files()))
    article = found_article(labelled, NameFinder(Speller(read_names(names))), matcher)
    farah = person_of(article, "أحمد عبدي فارح")
    assert (farah.id, farah.english) == ("farah-1", "Ahmad Abdi Faarah")


def test_a_bad_names_tsv_is_one_line_naming_the_line(tmp_path):
    names = tmp_path / "names.tsv"
    names.write_text("key\tprofile\ttype\tvariant\n1\tp1\tP\tأحمد\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"names.tsv:2: .*English spelling"):
        read_names(names)


def test_the_glossary_ignores_names_tsv_beside_it(tmp_path):
    (tmp_path / "names.tsv").write_text("key\tprofile\ttype\tvariant\n", encoding="utf-8")
    (tmp_path / "g.tsv").write_text(
        "arabic\tenglish\tkind\tvariants\tcontext\tnote\nداعش\tISIS\torganization\t\t\t\n",
        encoding="utf-8",
    )
    glossary = load_glossary(sorted(tmp_path.glob("*.tsv")))
    assert [entry.english for entry in glossary.entries] == ["ISIS"]


def test_translate_records_people_places_and_quotes(tiny_model, tmp_path):
    labelled = next(a for a in labelled_articles() if a.id == "so-1")
    source = tmp_path / "so-1.txt"
    source.write_text("عنوان الخبر عن شبكة الحوالة\n\n" + labelled.text, encoding="utf-8")
    result = invoke("translate", source, "--model", tiny_model, "--to", "json", "--quiet")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    articles = record if isinstance(record, list) else record.get("articles", [record])
    brief = articles[0]["brief"]
    people = {person["id"]: person for person in brief["people"]}
    farah = next(p for p in people.values() if "أحمد عبدي فارح" in p["mentions"])
    assert set(farah) == {"id", "english", "mentions", "role", "country"}
    assert "فارح" in farah["mentions"]
    minister = next(p for p in people.values() if "عبد الرحمن حسن يوسف" in p["mentions"])
    assert (minister["role"], minister["country"]) == ("finance minister", "SO")  # الصومالي
    assert {"SO", "AE"} <= {place["country"] for place in brief["places"]}
    kinds = {quote["kind"] for quote in brief["quotes"]}
    assert kinds == {"direct", "reported"}
    assert all(quote["ar"] and quote["en"] for quote in brief["quotes"])


def test_the_article_page_shows_people_places_and_who_said_what(found):
    from test_page import MODEL, Page

    from toolkit.brief import build_brief
    from toolkit.publish.page import article_page

    labelled, article = next((lab, art) for lab, art in found if lab.id == "so-1")
    for sentence in article.all_sentences():
        sentence.en = sentence.en or "English of «" + sentence.ar[:12] + "»"
    article.brief = build_brief(article)
    article.brief.quotes.append(replace(article.brief.quotes[0], speaker="<script>x</script>"))
    html = article_page(article, MODEL)
    page = Page(html)
    spellings = {person.english for person in article.brief.people}
    assert spellings <= {text for kind, text in page.marks if kind == "name"}
    assert ("name", "أحمد عبدي فارح") in page.marks  # the Arabic mention, highlighted
    assert "Mogadishu (SO)" in html and "Who said what" in html
    for quote in article.brief.quotes:  # each quote's Arabic beside its English
        assert f'<blockquote dir="rtl" lang="ar">{escape(quote.ar)}</blockquote>' in html
    assert "<script>x" not in html and "&lt;script&gt;x" in html


@pytest.mark.parametrize(
    ("arabic", "countries"),
    [
        ("في عملية حملت اسم «الموجة الزرقاء» بتنسيق مع يوروبول", set()),  # blue, not Zarqa
        ("عملية بحر الأمان تكشف شبكة تهريب", set()),  # safety, not Amman
        ("اعتقلت الشرطة ثلاثة أشخاص في الزرقاء", {"JO"}),  # after a trigger word it is Zarqa
        ("وأكدت الشرطة في جاكرتا اعتقال ثلاثة", {"ID"}),  # GeoNames spells it جاكارتا
        ("أصدر المسؤول المالي بيانا", set()),  # financial, not Mali
        ("هاجم مسلحون قاعدة في مالي", {"ML"}),
    ],
)
def test_everyday_words_are_no_places_and_triggers_make_them_so(arabic, countries):
    from toolkit.names.people import words_of
    from toolkit.names.places import find_places, resolve

    keys = [key for _, _, key in find_places([w.folded for w in words_of(arabic)])]
    assert {place.country for place in resolve(keys)} == countries


def test_a_changed_names_tsv_publishes_the_days_articles_again(tiny_model, tmp_path, monkeypatch):
    from conftest import REPO
    from test_nightly import manifest, nightly

    shutil.copytree(REPO / "glossaries", tmp_path / "glossaries")  # the default glossaries
    monkeypatch.chdir(tmp_path)
    labelled = next(a for a in labelled_articles() if a.id == "so-2")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "so-2.txt").write_text("تطورات قضية الحوالة\n\n" + labelled.text, encoding="utf-8")
    outputs = tmp_path / "outputs"
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    assert [f["status"] for f in manifest(outputs)["files"]] == ["unchanged"]
    with (tmp_path / "glossaries" / "names.tsv").open("a", encoding="utf-8") as names:
        names.write("90\tfarah-9\tP\tAhmad Abdi Faarah\n91\tfarah-9\tP\tأحمد عبدي فارح\n")
    assert nightly(inbox, outputs, tiny_model).exit_code == 0
    assert [f["status"] for f in manifest(outputs)["files"]] == ["updated"]
    record = json.loads((outputs / "2026-11-23" / "articles" / "so-2-1.json").read_text("utf-8"))
    assert "Ahmad Abdi Faarah" in {person["english"] for person in record["brief"]["people"]}
