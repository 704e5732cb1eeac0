"""Find glossary terms in Arabic text as it stands, clitics, quotes and spelling variation included.

Words are compared after folding: presentation forms to base letters, diacritics, tatweel
and invisible joiners (ZWNJ, ZWJ, word joiner, soft hyphen, bidi marks) removed, أ إ آ ٱ →
ا, ى ی → ي (Persian yeh), ک → ك (Persian kaf), ة ۀ → ه. A text word matches a term's first
word when it is that word behind an allowed proclitic (و ف ب ل ك, ال, لل, وال, بال, وب, ول,
وبال …); further words must follow separated by whitespace only, and the last word must end
where the text word ends, so a term is never found inside a longer word. A short stem (≤ 3
letters) takes a one-letter proclitic only across an explicit boundary — a tatweel (لـداعش)
or a quote (لـ«داعش») — because بأمن or وكس are words of their own; the article may be cut
off the same way (الـ«تايمز» is التايمز). A canonical English name written in Latin letters
in the Arabic text (مثل Telegram) is its term too. Overlaps go to the longest term.

A term word ending in `*` is a stem: any text word that starts with it matches (topic
patterns: اعتقل* finds اعتقلت, واعتقلوا); glossary names are whole words.
"""

import re
from dataclasses import dataclass, replace

from toolkit.glossary.entries import Entry, Glossary
from toolkit.text.arabic import (
    ARTICLE,
    ARTICLE_PROCLITICS,
    LAM_BEFORE_ARTICLE,
    PLAIN_PROCLITICS,
    TATWEEL,
    WORD,
    fold,
    readings,
)

OPENING = '«“"({'
CLOSING = {"«": "»", "“": "”", '"': '"', "(": ")", "{": "}"}
SHORT_STEM = 3
STEM = "*"


class Claimed:
    """The parts of a text already taken by a match: checking and claiming a span costs its
    length, not the number of matches before it (a long text holds thousands)."""

    def __init__(self, length: int):
        self.taken = bytearray(length)

    def claim(self, start: int, end: int) -> bool:
        """Take [start, end) if no part of it is taken yet; whether it was."""
        if self.taken.find(1, start, end) >= 0:
            return False
        self.taken[start:end] = b"\x01" * (end - start)
        return True


@dataclass(frozen=True)
class TermMatch:
    start: int  # span of `surface` in the text
    end: int
    surface: str  # as it stands: clitics and enclosing quotes included
    entry: Entry
    proclitic: str  # folded clitic letters before the term ("" if none)
    quoted: bool


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    folded: str
    tatweel: bool


def _same(word: str, term_word: str) -> bool:
    if term_word.endswith(STEM):
        return word.startswith(term_word[:-1])
    return word == term_word


def _last_word(text: str, words: list[_Word], index: int, term_words: list[str]) -> int | None:
    """Index of the term's last word if its other words follow words[index], whitespace apart."""
    last = index + len(term_words) - 1
    if last >= len(words):
        return None
    for k in range(1, len(term_words)):
        gap = text[words[index + k - 1].end : words[index + k].start]
        if not _same(words[index + k].folded, term_words[k]) or not gap.isspace():
            return None
    return last


class Matcher:
    def __init__(self, glossary: Glossary, latin: bool = True, short_stem: int = SHORT_STEM):
        self.short_stem = short_stem  # topics: their stems are chosen not to be clitic + word
        self.terms: dict[str, list[tuple[list[str], Entry]]] = {}
        self.stems: dict[str, list[tuple[list[str], Entry]]] = {}  # first word ends in *
        # a canonical name already in Latin letters in the Arabic text (مثل Telegram) is
        # unambiguous: quotes or not, it is that entry; one-letter names (X) are too short
        self.latin: dict[str, Entry] = {}
        for entry in glossary.entries:
            words = fold(entry.arabic).split()
            if words[0].endswith(STEM):
                self.stems.setdefault(words[0][:-1], []).append((words, entry))
            else:
                self.terms.setdefault(words[0], []).append((words, entry))
            if latin and len(entry.english) > 1:
                self.latin.setdefault(entry.english, replace(entry, context=""))
        self.stem_lengths = sorted({len(stem) for stem in self.stems})
        names = sorted(map(re.escape, self.latin), key=len, reverse=True)
        self.latin_names = (
            re.compile(rf"(?<![\w-])(?:{'|'.join(names)})(?![\w-])") if names else None
        )

    def find(self, text: str, overlapping: bool = False) -> list[TermMatch]:
        """The terms in `text`, in order; every candidate with `overlapping`, else the longest."""
        words = [
            _Word(m.start(), m.end(), fold(m.group()), TATWEEL in m.group())
            for m in WORD.finditer(text)
        ]
        candidates = [
            match for index in range(len(words)) for match in self._at(text, words, index)
        ]
        if self.latin_names is not None:
            for name in self.latin_names.finditer(text):
                entry = self.latin[name.group()]
                candidates.append(self._surface(text, name.start(), name.end(), "", entry))
        if overlapping:
            return sorted(candidates, key=lambda m: m.start)
        chosen: list[TermMatch] = []
        taken = Claimed(len(text))
        for match in sorted(candidates, key=lambda m: (-len(fold(m.entry.arabic)), m.start)):
            if taken.claim(match.start, match.end):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def _at(self, text: str, words: list[_Word], index: int) -> list[TermMatch]:
        found = []
        first = words[index]
        for clitic, stem in readings(first.folded):
            for term_words, entry in self._starting(stem):
                if not self._allowed(clitic, stem, term_words[0], first, self.short_stem):
                    continue
                last = _last_word(text, words, index, term_words)
                if last is None:
                    continue
                match = self._surface(text, first.start, words[last].end, clitic, entry)
                if match is not None:
                    found.append(match)
        # a proclitic written apart before a quote: لـ«داعش», ل«الشرق الأوسط»; or the
        # article itself: الـ«تايمز» is التايمز
        previous = words[index - 1] if index else None
        gap = text[previous.end : first.start] if previous else ""
        if previous and gap and all(c in OPENING for c in gap):
            stems = []
            if previous.folded in PLAIN_PROCLITICS:
                stems.append(first.folded)
            if previous.folded in ARTICLE_PROCLITICS and not first.folded.startswith(ARTICLE):
                stems.append(ARTICLE + first.folded)
            for stem in stems:
                for term_words, entry in self._starting(stem):
                    last = _last_word(text, words, index, [first.folded, *term_words[1:]])
                    if last is None:
                        continue
                    match = self._surface(
                        text, first.start, words[last].end, previous.folded, entry, previous.start
                    )
                    if match is not None:
                        found.append(match)
        return found

    def _starting(self, word: str) -> list[tuple[list[str], Entry]]:
        """The terms whose first word is `word`, or a stem of it."""
        found = list(self.terms.get(word, ()))
        for length in self.stem_lengths:
            found += self.stems.get(word[:length], ()) if length <= len(word) else ()
        return found

    @staticmethod
    def _allowed(clitic: str, stem: str, term_first: str, word: _Word, short_stem: int) -> bool:
        if not _same(stem, term_first):
            return False
        if not clitic:
            return True
        if (
            term_first.startswith(ARTICLE)
            and clitic in ARTICLE_PROCLITICS
            and clitic not in LAM_BEFORE_ARTICLE
        ):
            return False  # no second article: الالإنتربول
        short = len(term_first.rstrip(STEM)) <= short_stem and clitic in PLAIN_PROCLITICS
        return not short or word.tatweel

    @staticmethod
    def _surface(
        text: str, word_start: int, end: int, clitic: str, entry: Entry, start: int | None = None
    ) -> TermMatch | None:
        begin = word_start
        opening = ""
        while begin > 0 and text[begin - 1] in OPENING:
            begin -= 1
            opening = text[begin] + opening
        closing_wanted = "".join(CLOSING[c] for c in reversed(opening))
        quoted = bool(opening) and text.startswith(closing_wanted, end)
        if quoted:
            end += len(closing_wanted)
        else:
            begin = word_start
        if start is not None:  # a proclitic written apart opens the surface
            begin = start
        if entry.context == "quoted" and not quoted or entry.context == "bare" and quoted:
            return None
        return TermMatch(begin, end, text[begin:end], entry, clitic, quoted)
