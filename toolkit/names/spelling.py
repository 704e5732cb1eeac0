"""One English spelling per person.

In order: the user's file glossaries/names.tsv (the layout of the EMM name-variant lists:
`key profile type variant`; a profile's first variant is its English spelling, the others
are Arabic forms of the name); then the arabic-name-romanizer package (MIT: attested
Wikidata spellings first, a small ONNX model for units nobody spelled); then our own
letter rules for anything still in Arabic script. The romanizer is given the name as the
profile key holds it (first and last unit), so every mention of one person, full or
partial, in any article, gets the same spelling.
"""

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.names.places import countries, key_of
from toolkit.state.tsv import read_tsv
from toolkit.text.arabic import LETTER, fold

NAMES_FILE = "names.tsv"
HEADER = ("key", "profile", "type", "variant")
LATIN = re.compile(r"[A-Za-z]")
# the last resort: one Latin spelling per letter
LETTERS = dict(
    zip(
        "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي",
        [
            "'",
            "a",
            "a",
            "'",
            "i",
            "'",
            "a",
            "b",
            "a",
            "t",
            "th",
            "j",
            "h",
            "kh",
            "d",
            "dh",
            "r",
            "z",
            "s",
            "sh",
            "s",
            "d",
            "t",
            "z",
            "'",
            "gh",
            "f",
            "q",
            "k",
            "l",
            "m",
            "n",
            "h",
            "w",
            "a",
            "y",
        ],
        strict=True,
    )
)


@dataclass(frozen=True)
class UserName:
    profile: str
    english: str


def read_names(path: Path) -> dict[str, UserName]:
    """Folded Arabic variant → (profile id, English spelling) from a names.tsv."""
    spellings: dict[str, str] = {}
    variants: dict[str, UserName] = {}
    for row in read_tsv(path).check():
        if row.cells == HEADER:
            continue
        if len(row.cells) != len(HEADER) or not all(row.cells):
            raise ConfigError(f"{row.where}: want 4 tab-separated columns: {' '.join(HEADER)}")
        _, profile, _, variant = row.cells
        if profile not in spellings:
            if not LATIN.search(variant):
                raise ConfigError(
                    f"{row.where}: the first variant of profile {profile} is its English "
                    "spelling: Latin letters"
                )
            spellings[profile] = variant
        elif LETTER.search(variant):
            variants[fold(variant)] = UserName(profile, spellings[profile])
    return variants


def rules_spelling(arabic: str) -> str:
    words = []
    for word in arabic.split():
        latin = "".join(LETTERS.get(char, char) for char in word)
        words.append(latin[:1].upper() + latin[1:])
    return " ".join(words).replace("'", "") or arabic


@cache
def romanize(name: str, country: str) -> str:
    try:
        from arabic_name_romanizer import transliterate
    except ImportError:  # the package is a dependency; without it the rules still spell
        return rules_spelling(name)
    spelled = transliterate(name, country=country or None)
    return rules_spelling(spelled) if LETTER.search(spelled) else spelled


def nisba_country(units: tuple[str, ...]) -> str:
    place = countries().get(key_of(units[-1])) if len(units) > 1 else None
    return place.country if place else ""


class Speller:
    def __init__(self, user_names: dict[str, UserName] | None = None):
        self.user_names = user_names or {}

    @classmethod
    def from_folder(cls, folder: Path | None) -> "Speller":
        path = folder / NAMES_FILE if folder else None
        return cls(read_names(path) if path and path.is_file() else None)

    @property
    def sha256(self) -> str:
        """Of the user's spellings: a run with other spellings publishes its articles again."""
        rows = sorted(f"{k}\t{v.profile}\t{v.english}" for k, v in self.user_names.items())
        return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()

    def user(self, forms: list[str]) -> UserName | None:
        for form in forms:
            found = self.user_names.get(fold(form))
            if found:
                return found
        return None

    def spell(self, key: tuple[str, ...]) -> str:
        """The romanizer's spelling of the key; an initial (سناء ل.) is its Latin letter."""
        name = [unit for unit in key if len(unit) > 1]
        initials = [rules_spelling(unit)[:1].upper() + "." for unit in key if len(unit) == 1]
        return " ".join([romanize(" ".join(name), nisba_country(key)), *initials])
