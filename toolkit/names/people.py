"""People named in Arabic news text: mentions, roles and one profile per person.

A person is found as
- a name chain: a known given name (the romanizer's index of attested name units, from
  Wikidata, with their given/surname counts) followed by more name units (عبد الرحمن حسن
  يوسف, with بن/ابن/بنت particles and ال- family names); one name unit alone only after a
  title (القاضي، العقيد، المدعو …) or a reporting verb (وقال أوتينو);
- a kunya: أبو/أبي/أبا + a name, with its nisba when one follows (أبو أنس الصومالي);
- an initialled name: a given name and one letter with a full stop («سناء ل.»);
- later in the same article, the surname alone, the first name alone or a compound last
  name (عبد العزيز) of a person already named in full, with or without clitics.

A profile's key is its first and last name unit, folded (hamza forms, ى, ة, harakat): so
أحمد عبدي فارح and أحمد فارح are one person across articles and days, while خالد العمري and
خالد العامري stay two. Its id is a hash of that key, stable from night to night, unless
glossaries/names.tsv gives the person a profile id of their own.
"""

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources

from toolkit.names.places import NEEDS_TRIGGER, countries, key_of, without_article, word_list
from toolkit.text.arabic import PLAIN_PROCLITICS, TATWEEL, WRITTEN_WORD, fold

INITIAL = re.compile(r"\s*\.")
PROCLITICS = tuple(clitic for clitic in PLAIN_PROCLITICS if len(clitic) == 1)
KUNYA = frozenset(("ابو", "ابي", "ابا", "ام"))
PARTICLES = frozenset(("بن", "ابن", "بنت", "ولد", "ال"))
COMPOUND_FIRST = frozenset(("عبد", "ابو", "ابي", "ام"))
COMPOUND_SECOND = frozenset(("الله", "الدين"))
START_GIVEN = 5  # attested count as a given name to open a chain
TRIGGERED_GIVEN = 2  # … after a title or a reporting verb
CONTINUE_NAME = 2  # attested count to continue one
MAX_UNITS = 5
ROLE_LOOKBACK = 7  # words before a name searched for its title

# title (folded, one or two words) → English role; the longest match wins
ROLES = {
    fold(arabic): english
    for arabic, english in (
        ("وزير المالية", "finance minister"),
        ("وزير الداخلية", "interior minister"),
        ("وزير الخارجية", "foreign minister"),
        ("وزير العدل", "justice minister"),
        ("وزير الدفاع", "defence minister"),
        ("وزير", "minister"),
        ("الوزير", "minister"),
        ("وزيرة", "minister"),
        ("المدعي العام", "prosecutor"),
        ("النائب العام", "attorney general"),
        ("وكيل النيابة", "prosecutor"),
        ("قائد الشرطة", "police chief"),
        ("مدير الأمن", "security chief"),
        ("محامي الدفاع", "defence lawyer"),
        ("رجل الأعمال", "businessman"),
        ("المسؤول المالي", "finance chief"),
        ("زعيم الخلية", "cell leader"),
        ("المتحدث باسم", "spokesperson"),
        ("الناطق باسم", "spokesperson"),
        ("المتحدث", "spokesperson"),
        ("الناطق", "spokesperson"),
        ("المتحدثة", "spokesperson"),
        ("القاضي", "judge"),
        ("القاضية", "judge"),
        ("المحامي", "lawyer"),
        ("المحامية", "lawyer"),
        ("العقيد", "colonel"),
        ("اللواء", "major general"),
        ("العميد", "brigadier"),
        ("الفريق", "lieutenant general"),
        ("المقدم", "lieutenant colonel"),
        ("الرائد", "major"),
        ("النقيب", "captain"),
        ("الشيخ", "sheikh"),
        ("الدكتور", "doctor"),
        ("الباحث", "researcher"),
        ("الباحثة", "researcher"),
        ("الناشط", "activist"),
        ("الناشطة", "activist"),
        ("الصحفي", "journalist"),
        ("الصحفية", "journalist"),
        ("القيادي", "commander"),
        ("الرئيس", "president"),
        ("رئيس", "head"),
        ("المتهم", "defendant"),
        ("المتهمة", "defendant"),
        ("المشتبه", "suspect"),
        ("المدان", "convict"),
        ("زعيم", "leader"),
        ("أمير", "emir"),
        ("المسؤول", "official"),
        ("السفير", "ambassador"),
        ("السفيرة", "ambassador"),
        ("المبعوث", "envoy"),
        ("المنسق", "coordinator"),
        ("المفوض", "commissioner"),
        ("المفوضة", "commissioner"),
        ("رئيس الوزراء", "prime minister"),
        ("رئيسة", "head"),
        ("النائب", "member of parliament"),
        ("النائبة", "member of parliament"),
        ("السيد", ""),
        ("السيدة", ""),
        ("المدعو", ""),
        ("المدعوة", ""),
        ("المعروف", ""),
        ("الملقب", ""),
        ("المكنى", ""),
        ("باسم", ""),
        ("يدعى", ""),
        ("تدعى", ""),
        ("زوجته", "wife"),
        ("زوجها", "husband"),
        ("مساعده", "aide"),
        ("شاب", ""),
        ("امرأة", ""),
    )
}
TITLE_HEADS = frozenset(title.split()[0] for title in ROLES)
REPORTING_VERBS = frozenset(
    fold(verb)
    for stem in word_list("""
    قال أكد أوضح أضاف أعلن أشار ذكر اعتبر حذر كشف أفاد بين رأى نفى شدد لفت تابع
    """)
    for verb in (stem, stem + "ت", "و" + stem, "و" + stem + "ت", "ف" + stem, "ف" + stem + "ت")
)
FUNCTION_WORDS = frozenset(
    fold(word)
    for word in word_list("""
    في من على إلى الى عن مع أن ان إن بأن لأن كان كانت قد لقد لم لن لا ما هذا هذه ذلك
    تلك التي الذي الذين كما كل بعض بين بعد قبل حتى عند أو او ثم بل لكن غير أي إذ إذا
    منذ خلال حول ضد نحو لدى به بها له لها فيه فيها عليه منه عنه
    """)
)
# words that never belong to a name, though some are attested as names (folded)
NOT_NAMES = FUNCTION_WORDS | frozenset(
    fold(word)
    for word in word_list("""
    يوم اليوم أمس الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت العام عام
    الماضي مساء صباح فجر قائد مدير صاحب زعيم شاب وكيل رجل امرأة مصدر مصادر مسؤول
    شركة الشرطة الجيش الأمن المحكمة النيابة الحكومة الوزارة السلطات جماعة شبكة قوات
    عناصر خلية المعروف الملقب المكنى عرف عرفت يعرف تعرف باسم اسمه ذهب سلاح أموال مال
    خمس ثلاث أربع ست سبع ثماني تسع عشر مئة ألف مليون مليار دولار
    """)
)
# attested given names that are everyday words in news: they open a name only after a title
EVERYDAY_WORDS = frozenset(
    fold(word)
    for word in word_list("""
    أمين عادل كريم سعيد جميل رشيد سالم فاضل حسن صالح نور أمل عالم طالب ملك رئيس وزير
    أسد نمر صقر بدر هلال شمس قمر ربيع مطر سيف رعد نجم فجر صباح ضياء رجاء دنيا حياة
    سعادة عزيز لطيف حكيم رحيم حليم مجيد حميد فريد وحيد بشير نذير تقي نقي زكي غني ولي
    عيد عهد وعد نصر فتح ظفر جيل عدة ختام حديث حديثه شريف كمال جمال منير وفاء إيمان
    أمان سلام سلامة حرية عدالة
    """)
)
THAT_WORDS = frozenset(fold(word) for word in word_list("إن أن بأن إنه أنه إنها أنها"))


@dataclass(slots=True)
class Word:
    start: int
    end: int
    folded: str
    boundary_before: bool  # punctuation (not only spaces) between it and the word before
    initial: bool = False  # one letter followed by a full stop
    taken: bool = False  # inside a name the glossary already knows


@dataclass(frozen=True)
class Mention:
    sentence: int  # index in Article.all_sentences()
    start: int  # character span in that sentence's original text
    end: int
    surface: str
    person: str  # profile key (see key_of_units)


@dataclass
class Profile:
    key: tuple[str, ...]
    units: list[str]  # folded name units of the fullest mention
    arabic: str  # the fullest mention as written
    role: str = ""
    country: str = ""
    mentions: list[Mention] = field(default_factory=list)


@cache
def name_units() -> dict[str, tuple[int, int]]:
    """Folded name unit → (times attested as a given name, as a family name)."""
    import arabic_name_romanizer

    path = resources.files(arabic_name_romanizer) / "resources" / "names.sqlite3"
    counts: dict[str, list[int]] = {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT arabic_key, role, SUM(count) FROM units GROUP BY 1, 2")
        for key, role, count in rows:
            slot = counts.setdefault(fold(key), [0, 0])
            slot[0 if role == "given" else 1] += count
    return {key: (given, family) for key, (given, family) in counts.items()}


def given(word: str) -> int:
    return name_units().get(word, (0, 0))[0]


def attested(word: str) -> int:
    return sum(name_units().get(word, (0, 0)))


@cache
def _folded(word: str) -> str:
    return fold(word)


def words_of(text: str, taken: list[tuple[int, int]] = ()) -> list[Word]:
    """The Arabic words of a text; those inside a `taken` character span are marked."""
    words = _words(text)
    if not taken:
        return list(words)
    return [
        replace(word, taken=True) if any(s <= word.start < e for s, e in taken) else word
        for word in words
    ]


def clear_word_cache() -> None:
    _words.cache_clear()


@lru_cache(maxsize=4096)  # the names stage and the quotes read the same sentences
def _words(text: str) -> tuple[Word, ...]:
    words: list[Word] = []
    position = 0
    gap_chars = " " + TATWEEL
    for match in WRITTEN_WORD.finditer(text):
        start, end = match.span()
        folded = _folded(match.group())
        initial = INITIAL.match(text, end) if len(folded) == 1 else None
        if initial:
            end = initial.end()
        gap = text[position:start]
        boundary = gap != " " and bool(words) and bool(gap.strip(gap_chars))
        words.append(Word(start, end, folded, boundary, initial is not None))
        position = end
    return tuple(words)


@cache
def strip_clitic(word: str) -> tuple[str, str]:
    """(proclitic, rest) when the word is a name behind one proclitic letter, else ("", word)."""
    if attested(word) or word in NOT_NAMES or word in KUNYA:
        return "", word
    for clitic in PROCLITICS:
        rest = word[len(clitic) :]
        if word.startswith(clitic) and len(rest) >= 2 and (attested(rest) or rest in KUNYA):
            return clitic, rest
    return "", word


def key_of_units(units: list[str]) -> tuple[str, ...]:
    return (units[0], units[-1]) if len(units) > 1 else (units[0],)


def profile_id(key: tuple[str, ...]) -> str:
    return "p-" + hashlib.sha1("|".join(key).encode("utf-8")).hexdigest()[:10]


def _title_word(word: str) -> str:
    """A title word as it stands or behind و/ف (والسفير → السفير); "" when none."""
    if word in TITLE_HEADS:
        return word
    return word[1:] if word[:1] in "وف" and word[1:] in TITLE_HEADS else ""


def _is_title_at(words: list[Word], index: int) -> str | None:
    """The title phrase (folded) starting at words[index], longest first."""
    head = _title_word(words[index].folded)
    if not head:
        return None
    if index + 1 < len(words) and not words[index + 1].boundary_before:
        pair = f"{head} {words[index + 1].folded}"
        if pair in ROLES:
            return pair
    return head if head in ROLES else None


def _title_before(words: list[Word], start: int, floor: int = 0) -> tuple[str, int] | None:
    """The nearest title within ROLE_LOOKBACK words before `start` (not before `floor`, the
    end of the name before), no punctuation between."""
    for index in range(start - 1, max(floor - 1, start - 1 - ROLE_LOOKBACK), -1):
        if words[index + 1].boundary_before and index + 1 <= start - 1:
            return None
        title = _is_title_at(words, index)
        if title is not None:
            return title, index
        if words[index].folded in FUNCTION_WORDS:
            return None
    return None


def _unit_at(words: list[Word], index: int) -> tuple[str, int]:
    """(folded unit, words used): عبد الرحمن and سيف الدين are one unit."""
    word = words[index].folded
    if index + 1 < len(words) and not words[index + 1].boundary_before:
        following = words[index + 1].folded
        if word in COMPOUND_FIRST or following in COMPOUND_SECOND:
            return f"{word} {following}", 2
    return word, 1


def _chain(words: list[Word], index: int, first: str) -> tuple[list[str], int]:
    """Name units from words[index] (its first unit `first` given); (units, words used)."""
    units, used = [first], 1 + (1 if " " in first else 0)
    while len(units) < MAX_UNITS and index + used < len(words):
        word = words[index + used]
        if (
            word.boundary_before
            or word.taken
            or word.folded in NOT_NAMES
            or _title_word(word.folded)
        ):
            break
        if word.initial:
            units.append(word.folded)
            used += 1
            break
        if word.folded in PARTICLES and index + used + 1 < len(words):
            unit, size = _unit_at(words, index + used + 1)
            if words[index + used + 1].boundary_before or not attested(unit.split()[-1]):
                break
            units.append(f"{word.folded} {unit}")
            used += 1 + size
            continue
        unit, size = _unit_at(words, index + used)
        if attested(unit) >= CONTINUE_NAME or (size == 2 and attested(unit.split()[-1])):
            units.append(unit)
            used += size
            continue
        break
    return units, used


def _is_country_word(word: str) -> bool:
    """Whether a folded word names a country or is its adjective (الصومالي)."""
    return without_article(word) in countries()


def _nisba(words: list[Word], index: int) -> bool:
    """A family name of place or tribe right after a kunya (أبو أنس الصومالي)."""
    if index >= len(words) or words[index].boundary_before:
        return False
    word = words[index].folded
    return word.startswith("ال") and word.endswith("ي") and word not in NOT_NAMES


def find_chains(words: list[Word]) -> list[tuple[int, int, list[str], str, int]]:
    """(first word, words used, units, role, where its title starts) of every full name in
    one sentence (the title's start is the first word when there is no title)."""
    found = []
    index = floor = 0
    while index < len(words):
        if not _may_matter(words[index].folded):
            index += 1
            continue
        title_here = _is_title_at(words, index)
        if title_here is not None:
            index += len(title_here.split())
            continue
        word = words[index]
        if word.taken:
            index += 1
            continue
        clitic, bare = strip_clitic(word.folded)
        units, used, title = [], 0, None
        if bare in KUNYA and index + 1 < len(words) and not words[index + 1].boundary_before:
            nxt = words[index + 1]
            plausible = len(nxt.folded) > 2 and nxt.folded not in NOT_NAMES and not nxt.taken
            if plausible and not _is_country_word(nxt.folded):
                units, used = [f"{bare} {nxt.folded}"], 2
                if _nisba(words, index + 2):
                    units.append(words[index + 2].folded)
                    used = 3
        elif _may_open_name(bare) and given(bare.split()[-1]) + given(bare) >= TRIGGERED_GIVEN:
            title = _title_before(words, index, floor)
            after_verb = index > 0 and words[index - 1].folded in REPORTING_VERBS
            after_verb = after_verb and not word.boundary_before
            units, used = _name_from(words, index, clitic, bare, title, after_verb)
        if units:
            title = title or _title_before(words, index, floor)
            role = ROLES.get(title[0], "") if title else ""
            found.append((index, used, units, role, title[1] if title else index))
            index += used
            floor = index
        else:
            index += 1
    return found


@cache
def _may_matter(word: str) -> bool:
    """Whether a folded word may be a title or open a name: most words are neither."""
    if _title_word(word):
        return True
    bare = strip_clitic(word)[1]
    return bare in KUNYA or (_may_open_name(bare) and given(bare) >= TRIGGERED_GIVEN)


def _may_open_name(word: str) -> bool:
    return (
        len(word) > 2
        and word not in NOT_NAMES
        and not _title_word(word)
        and not _is_country_word(word)
    )


def _name_from(
    words: list[Word], index: int, clitic: str, bare: str, title, after_verb: bool
) -> tuple[list[str], int]:
    """The name chain that starts at words[index], if one does: (units, words used)."""
    first, size = _unit_at(words, index) if not clitic else (bare, 1)
    known = max(given(first), given(first.split()[-1]) if size == 2 else 0)
    strong = known >= START_GIVEN and first not in EVERYDAY_WORDS
    triggered = title is not None or after_verb
    if not (strong or (triggered and known >= TRIGGERED_GIVEN and not first.startswith("ال"))):
        return [], 0
    units, used = _chain(words, index, first)
    used = max(used, size)
    following = words[index + used] if index + used < len(words) else None
    if len(units) > 1:
        return units, used
    if not triggered:
        return [], 0
    if following is None:
        return units, used
    if following.taken:  # جيل before the glossary's دو كيرشوف: part of that name
        return [], 0
    if title is not None and _may_be_foreign_name(following):  # العقيد جيمس أوتينو
        return [*units, following.folded], used + 1
    if title is not None or following.boundary_before or following.folded in THAT_WORDS:
        return units, used  # وقال أوتينو: … / وقال أوتينو إن …
    return [], 0


def _may_be_foreign_name(word: Word) -> bool:
    """A word the name index does not know, after a title and a known given name (جيمس أوتينو)."""
    return (
        not word.boundary_before
        and len(word.folded) > 2
        and word.folded not in NOT_NAMES
        and not word.taken
        and not _title_word(word.folded)
        and not _is_country_word(word.folded)
        and not word.folded.startswith("ال")
    )


def country_of(units: list[str], context: list[Word]) -> str:
    """The country a nisba (الصومالي) or an adjective in the title phrase gives."""
    for word in [*units[1:], *(w.folded for w in context)]:
        if without_article(word) in NEEDS_TRIGGER:  # المالي is "financial" more than Malian
            continue
        place = countries().get(key_of(word))
        if place is not None and word.endswith(("ي", "يه")):
            return place.country
    return ""


def find_people(sentences: list[str], sentence_words: list[list[Word]]) -> list[Profile]:
    """Every person in one article's sentences (headline first, their `words_of`), each
    with its mentions; no person is found in a word marked taken (a glossary name)."""
    profiles: dict[tuple[str, ...], Profile] = {}
    taken: list[set[int]] = [set() for _ in sentences]
    for number, words in enumerate(sentence_words):
        for index, used, units, role, titled in find_chains(words):
            key = key_of_units(units)
            span = words[index : index + used]
            clitic, _ = strip_clitic(span[0].folded)
            start = span[0].start + len(clitic)
            text = sentences[number]
            profile = profiles.get(key)
            if profile is None:
                profile = profiles[key] = Profile(key, units, text[start : span[-1].end])
            if len(units) > len(profile.units):
                profile.units, profile.arabic = units, text[start : span[-1].end]
            profile.role = profile.role or role
            profile.country = profile.country or country_of(units, words[titled:index])
            profile.mentions.append(
                Mention(number, start, span[-1].end, text[start : span[-1].end], key)
            )
            taken[number].update(range(index, index + used))
    _merge_short_forms(profiles)
    _add_partial_mentions(profiles, sentences, sentence_words, taken)
    for profile in profiles.values():
        profile.mentions.sort(key=lambda m: (m.sentence, m.start))
    return sorted(profiles.values(), key=lambda p: (p.mentions[0].sentence, p.mentions[0].start))


def _aliases(profiles: dict[tuple[str, ...], Profile]) -> dict[str, tuple[str, ...]]:
    """A full name's last unit (with and without ال) and first name, when no one else has it."""
    seen: dict[str, set] = {}
    for key, profile in profiles.items():
        if len(profile.units) < 2:
            continue
        last, first = profile.units[-1], profile.units[0]
        forms = {last, last[2:] if last.startswith("ال") and len(last) > 4 else last}
        forms = {form for form in forms if not _is_country_word(form)}  # الصومالي alone: anyone
        if first.split()[0] not in KUNYA:
            forms.add(first)
        for form in forms:
            seen.setdefault(form, set()).add(key)
    return {form: next(iter(keys)) for form, keys in seen.items() if len(keys) == 1}


def _merge_short_forms(profiles: dict[tuple[str, ...], Profile]) -> None:
    """A one-unit name (وأشار الموسوي) that is a full name's alias joins that person."""
    aliases = _aliases(profiles)
    for key in [key for key, profile in profiles.items() if len(profile.units) == 1]:
        target = aliases.get(key[0])
        if target is not None and target != key:
            short = profiles.pop(key)
            profiles[target].role = profiles[target].role or short.role
            profiles[target].mentions += [replace(m, person=target) for m in short.mentions]


def _add_partial_mentions(profiles, sentences, sentence_words, taken) -> None:
    aliases = _aliases(profiles)
    if not aliases:
        return
    firsts = {alias.split()[0] for alias in aliases}
    for number, words in enumerate(sentence_words):
        index = 0
        while index < len(words):
            word = words[index]
            if (
                index in taken[number]
                or word.taken
                or (word.folded not in firsts and word.folded[1:] not in firsts)
            ):
                index += 1
                continue
            unit, size = _unit_at(words, index)
            candidates = [(unit, size)] if size == 2 else []
            candidates.append((word.folded, 1))
            for form, used in candidates:
                clitic, bare = strip_clitic(form) if used == 1 else ("", form)
                if bare not in aliases and form[:1] in PROCLITICS and form[1:] in aliases:
                    clitic, bare = form[:1], form[1:]
                if bare in aliases and bare not in NOT_NAMES:
                    key = aliases[bare]
                    start = word.start + len(clitic)
                    end = words[index + used - 1].end
                    text = sentences[number]
                    profiles[key].mentions.append(Mention(number, start, end, text[start:end], key))
                    index += used - 1
                    break
            index += 1
