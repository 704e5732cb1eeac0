"""Names stage: the people and places of every article, read on the Arabic side.

glossary → names → translate: each person found (toolkit.names.people) gets one profile id
and one English spelling (toolkit.names.spelling), and that spelling is put into the
translation the way the glossary puts names in (a person TermMatch beside the glossary's
own); places (toolkit.names.places) get their country. The brief then lists both.
"""

from pathlib import Path

from toolkit.document import Article, Person, PersonMention, Place, Sentence
from toolkit.glossary.entries import Entry
from toolkit.glossary.matcher import TermMatch
from toolkit.names.people import Profile, find_people, key_of_units, profile_id, words_of
from toolkit.names.places import find_places, resolve
from toolkit.names.spelling import Speller
from toolkit.text.arabic import fold

__all__ = ["NAMES_SOURCE", "NameFinder", "Speller"]
NAMES_SOURCE = "names"  # Entry.where of a person's spelling put into the translation


class NameFinder:
    def __init__(self, speller: Speller | None = None):
        self.speller = speller or Speller()

    @classmethod
    def from_folder(cls, glossaries: Path | None) -> "NameFinder":
        """With the user's glossaries/names.tsv when that folder has one."""
        return cls(Speller.from_folder(glossaries))

    def annotate(self, articles: list[Article]) -> list[Article]:
        for article in articles:
            self.annotate_article(article)
        return articles

    def annotate_article(self, article: Article) -> None:
        sentences = article.all_sentences()
        texts = [sentence.original or sentence.ar for sentence in sentences]
        words = [
            words_of(text, [(m.start, m.end) for m in sentence.matches if m.entry.kind != "person"])
            for sentence, text in zip(sentences, texts, strict=True)
        ]
        profiles = find_people(texts, words)
        named = [set() for _ in sentences]  # word indices of people: never places
        for profile in profiles:
            for mention in profile.mentions:
                named[mention.sentence].update(
                    i
                    for i, word in enumerate(words[mention.sentence])
                    if mention.start <= word.end and word.start < mention.end
                )
        article.places = self._places(texts, words, named)
        people: dict[str, Person] = {}
        for profile in profiles:
            person = self._person(profile)
            people.setdefault(person.id, person)
            for mention in profile.mentions:
                sentence = sentences[mention.sentence]
                sentence.people.append(PersonMention(mention.start, mention.end, person.id))
                _put_spelling(sentence, texts[mention.sentence], mention.start, mention.end, person)
        for sentence in sentences:  # the glossary's own persons are people too
            for match in sentence.matches:
                if match.entry.kind == "person" and match.entry.where != NAMES_SOURCE:
                    person = _glossary_person(match, people)
                    sentence.people.append(PersonMention(match.start, match.end, person.id))
            sentence.people.sort(key=lambda mention: mention.start)
        article.people = list(people.values())

    def _person(self, profile: Profile) -> Person:
        forms = [profile.arabic, *(mention.surface for mention in profile.mentions)]
        user = self.speller.user(forms)
        return Person(
            id=user.profile if user else profile_id(profile.key),
            english=user.english if user else self.speller.spell(profile.key),
            mentions=tuple(dict.fromkeys(mention.surface for mention in profile.mentions)),
            role=profile.role,
            country=profile.country,  # from a nisba or the title's adjective; never guessed
        )

    @staticmethod
    def _places(texts: list[str], sentence_words, named: list[set[int]]) -> list[Place]:
        keys, surfaces = [], []
        for text, words, people in zip(texts, sentence_words, named, strict=True):
            folded = [word.folded for word in words]
            for start, length, key in find_places(folded, frozenset(people)):
                keys.append(key)
                surfaces.append(text[words[start].start : words[start + length - 1].end])
        mentions: dict[tuple[str, str], list[str]] = {}
        for place, surface in zip(resolve(keys), surfaces, strict=True):
            mentions.setdefault((place.english, place.country), []).append(surface)
        return [
            Place(english, tuple(dict.fromkeys(found)), country)
            for (english, country), found in mentions.items()
        ]


def _glossary_person(match: TermMatch, people: dict[str, Person]) -> Person:
    units = fold(match.entry.arabic).split()
    person_id = profile_id(key_of_units(units))
    known = people.get(person_id)
    mentions = (*known.mentions, match.surface) if known else (match.surface,)
    person = Person(person_id, match.entry.english, tuple(dict.fromkeys(mentions)), "", "")
    people[person_id] = person
    return person


def _put_spelling(sentence: Sentence, text: str, start: int, end: int, person: Person) -> None:
    """A TermMatch for the name, so the translate stage injects and checks its spelling;
    never over a glossary term. The proclitic letters before the name stay, detached."""
    word_start = start
    while word_start > 0 and text[word_start - 1] in "وفبلك" and start - word_start < 2:
        word_start -= 1
    if any(m.start < end and start < m.end for m in sentence.matches):
        return
    entry = Entry(text[start:end], person.english, "person", (), "", "", NAMES_SOURCE)
    clitic = fold(text[word_start:start])
    match = TermMatch(word_start, end, text[word_start:end], entry, clitic, False)
    sentence.matches = sorted([*sentence.matches, match], key=lambda m: m.start)
