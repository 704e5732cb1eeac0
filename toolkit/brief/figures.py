"""Hard figures from the Arabic source, so that they are exact whatever the model does.

Money with currency ("260 مليون دولار" → $260 million), percentages ("35 في المائة" → 35%),
dates with Gregorian month names in both the Egyptian/Gulf spelling (أغسطس) and the Levantine
one (آب), alone or paired, with or without a day ("نوفمبر (تشرين الثاني) 2023", "مارس/آذار"),
years standing alone ("العام 2018", "بين عامي 2015 و2017"), and counts of things in digits or
words ("40 ألف حساب" → 40,000 accounts, "سبعة أشخاص" → 7 people, "عشرات الحسابات" → dozens
of accounts). An approximation before a figure is kept ("نحو 3000" → about 3,000, "أكثر من
ألف مقاتل" → more than 1,000 fighters); a bare approximate number takes its noun from a
"عدد المقاتلين" earlier in the sentence. Text must be normalized first (ASCII digits).
"""

import re

from toolkit.document import Figure
from toolkit.text.arabic import HARAKAT

MONTHS = {
    "يناير": 1,
    "كانون الثاني": 1,
    "فبراير": 2,
    "شباط": 2,
    "مارس": 3,
    "آذار": 3,
    "أبريل": 4,
    "إبريل": 4,
    "ابريل": 4,
    "نيسان": 4,
    "مايو": 5,
    "أيار": 5,
    "ايار": 5,
    "يونيو": 6,
    "يونيه": 6,
    "حزيران": 6,
    "يوليو": 7,
    "يوليه": 7,
    "تموز": 7,
    "أغسطس": 8,
    "اغسطس": 8,
    "آب": 8,
    "سبتمبر": 9,
    "أيلول": 9,
    "ايلول": 9,
    "أكتوبر": 10,
    "اكتوبر": 10,
    "تشرين الأول": 10,
    "نوفمبر": 11,
    "تشرين الثاني": 11,
    "ديسمبر": 12,
    "كانون الأول": 12,
}
MONTH_NAMES = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SCALES = {
    "ألف": 1_000,
    "الف": 1_000,
    "آلاف": 1_000,
    "ألفا": 1_000,
    "ألفًا": 1_000,
    "ألفاً": 1_000,
    "مليون": 1_000_000,
    "ملايين": 1_000_000,
    "مليار": 1_000_000_000,
    "مليارات": 1_000_000_000,
}
SCALE_WORDS = {1_000_000: "million", 1_000_000_000: "billion"}
CURRENCIES = {
    "دولار": "$",
    "دولارا": "$",
    "دولاراً": "$",
    "دولارات": "$",
    "يورو": "€",
    "جنيه إسترليني": "£",
    "جنيه استرليني": "£",
    "إسترليني": "£",
    "جنيه": "EGP ",
    "ريال": "SAR ",
    "درهم": "AED ",
    "دينار": "dinar ",
    "ليرة": "lira ",
    "روبل": "RUB ",
}
# count nouns: Arabic forms → English; the lexicon is small on purpose (beat vocabulary)
NOUNS = {
    "شخص": "people",
    "شخصا": "people",
    "شخصًا": "people",
    "شخصاً": "people",
    "أشخاص": "people",
    "حساب": "accounts",
    "حسابا": "accounts",
    "حسابات": "accounts",
    "قناة": "channels",
    "قنوات": "channels",
    "مقاتل": "fighters",
    "مقاتلا": "fighters",
    "مقاتلين": "fighters",
    "مقاتلون": "fighters",
    "جندي": "soldiers",
    "جنود": "soldiers",
    "قاض": "judges",
    "قاضيا": "judges",
    "قضاة": "judges",
    "رهينة": "hostages",
    "رهائن": "hostages",
    "ضحية": "victims",
    "ضحايا": "victims",
    "مشتبه": "suspects",
    "موقوف": "detainees",
    "موقوفين": "detainees",
    "معتقلين": "detainees",
    "مداهمة": "raids",
    "مداهمات": "raids",
    "تغريدة": "tweets",
    "تغريدات": "tweets",
    "شركة": "companies",
    "شركات": "companies",
    "منظمة": "organizations",
    "منظمات": "organizations",
    "جمعية": "associations",
    "جمعيات": "associations",
    "موقع": "websites",
    "مواقع": "websites",
    "صفحة": "pages",
    "صفحات": "pages",
    "منشور": "posts",
    "منشورا": "posts",
    "منشورات": "posts",
    "مقطع": "videos",
    "مقاطع": "videos",
    "دولة": "countries",
    "دول": "countries",
    "متهم": "defendants",
    "متهمين": "defendants",
    "متهما": "defendants",
    "قتيل": "dead",
    "قتيلا": "dead",
    "جريح": "wounded",
    "جريحا": "wounded",
    "طفل": "children",
    "أطفال": "children",
    "امرأة": "women",
    "نساء": "women",
    "رجل": "men",
    "رجال": "men",
    "عملية": "operations",
    "عمليات": "operations",
    "هجوم": "attacks",
    "هجوما": "attacks",
    "هجمات": "attacks",
    "بلاغ": "reports",
    "بلاغا": "reports",
    "مجموعة": "groups",
    "مجموعات": "groups",
    "طالب": "students",
    "عنصر": "members",
    "عناصر": "members",
    "معتقل": "detainees",
    "متابع": "followers",
    "متابعين": "followers",
    "مستخدم": "users",
    "مستخدمين": "users",
    "سنة": "years",
    "سنوات": "years",
    "عاما": "years",
    "عامًا": "years",
    "عاماً": "years",
    "أعوام": "years",
    "شهر": "months",
    "أشهر": "months",
    "يوم": "days",
    "أيام": "days",
}
# numbers written as words, with a noun after them: "سبعة أشخاص", "ست دول" (not teens:
# "ثلاثة عشر" is 13, so a unit before عشر/عشرة is no figure)
NUMBER_WORDS = {
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثة": 3,
    "أربع": 4,
    "أربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثماني": 8,
    "ثمانية": 8,
    "تسع": 9,
    "تسعة": 9,
}
# a scale word standing alone is its own number: "ألف مقاتل", "ألفين", "مائتي شخص"
ALONE = {
    "مائة": (1, 100),
    "مئة": (1, 100),
    "مائتين": (2, 100),
    "مئتين": (2, 100),
    "مائتي": (2, 100),
    "مئتي": (2, 100),
    "ألف": (1, 1_000),
    "ألفين": (2, 1_000),
    "ألفي": (2, 1_000),
    "مليون": (1, 1_000_000),
    "مليونين": (2, 1_000_000),
    "مليار": (1, 1_000_000_000),
}
# plural "tens/hundreds/thousands of" before a definite noun: "عشرات الحسابات"
VAGUE = {
    "عشرات الآلاف": "tens of thousands",
    "مئات الآلاف": "hundreds of thousands",
    "عشرات": "dozens",
    "مئات": "hundreds",
    "آلاف": "thousands",
    "ملايين": "millions",
}
QUALIFIERS = {
    "نحو": "about",
    "حوالي": "about",
    "حوالى": "about",
    "زهاء": "about",
    "قرابة": "nearly",
    "ما يقرب من": "nearly",
    "ما يقارب": "nearly",
    "أكثر من": "more than",
    "ما يزيد على": "more than",
    "ما يزيد عن": "more than",
    "يزيد على": "more than",
    "أزيد من": "more than",
    "أقل من": "less than",
    "ما لا يقل عن": "at least",
    "لا يقل عن": "at least",
    "ما يصل إلى": "up to",
}


def _alternatives(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


NUMBER = r"(\d+(?:[.,]\d+)*)"
SCALE = f"({_alternatives(SCALES)})"
CURRENCY = f"({_alternatives(CURRENCIES)})"
MONTH = f"({_alternatives(MONTHS)})"
NOUN = f"({_alternatives(NOUNS)})"
# not followed by a letter, digit or diacritic; punctuation such as «،» may follow
END = rf"(?![\w{HARAKAT}])"
QUALIFIER = rf"(?<!\w)(?:وب|و|ب)?(?P<qualifier>{_alternatives(QUALIFIERS)})\s+"
WORD_START = r"(?:(?<!\w)|(?<=\sو))"  # a word, or one behind the conjunction و


def _quantity(name: str) -> str:
    """Digits or a number word, then an optional scale; or a scale word alone."""
    return (
        rf"(?:(?:(?<![\d.,])(?P<{name}_digits>\d+(?:[.,]\d+)*)"
        rf"|{WORD_START}(?P<{name}_word>{_alternatives(NUMBER_WORDS)})(?!\s+عشرة?{END}))"
        rf"\s*(?P<{name}_scale>{_alternatives(SCALES)})?"
        rf"|{WORD_START}(?P<{name}_alone>{_alternatives(ALONE)}))"
    )


COUNTED = r"\s*(?:من\s+)?(?:ال)?" + NOUN + END
MONEY = re.compile(rf"(?:{QUALIFIER})?{NUMBER}\s*{SCALE}?\s*{CURRENCY}{END}")
PERCENT = re.compile(rf"(?:{QUALIFIER})?{NUMBER}\s*(?:%|٪|في المائة|في المئة|بالمائة|بالمئة){END}")
DATE = re.compile(
    rf"(?:(\d{{1,2}})\s+)?{MONTH}(?:\s*(?:\(|/)\s*{MONTH}\s*\)?)?(?:\s+(\d{{4}}))?{END}"
)
YEAR = re.compile(
    r"(?<!\w)(?:[وفبل]|وال|فال|بال|لل|ال)?(?:عامي|عام|سنة)\s+((?:19|20)\d\d)"
    rf"(?:\s*(?:و|-|إلى|حتى)\s*((?:19|20)\d\d))?{END}"
)
RANGE = re.compile(
    rf"(?<!\w)(?:ما\s+)?بين\s+{_quantity('low')}\s*(?:و|-|إلى)\s*{_quantity('high')}{COUNTED}"
)
COUNT = re.compile(rf"(?:{QUALIFIER})?{_quantity('n')}{COUNTED}")
APPROXIMATE = re.compile(rf"{QUALIFIER}{_quantity('n')}{END}")
SCALED = re.compile(rf"(?<![\d.,]){NUMBER}\s*{SCALE}{END}")
VAGUE_COUNT = re.compile(rf"(?<!\w)({_alternatives(VAGUE)})\s+(?:من\s+)?ال{NOUN}{END}")
NUMBER_OF = re.compile(rf"عدد\s+(?:ال)?{NOUN}{END}")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _english_number(value: float, scale: int | None) -> str:
    if scale in SCALE_WORDS:
        return f"{_plain(value)} {SCALE_WORDS[scale]}"
    total = value * (scale or 1)
    return f"{total:,.0f}" if total == int(total) else f"{total:,}"


def _plain(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def _quantity_value(match: re.Match, name: str) -> str:
    alone = match.group(f"{name}_alone")
    if alone:
        return _english_number(*ALONE[alone])
    digits, word = match.group(f"{name}_digits"), match.group(f"{name}_word")
    number = _number(digits) if digits else NUMBER_WORDS[word]
    return _english_number(number, SCALES.get(match.group(f"{name}_scale")))


def _qualified(match: re.Match, value: str, countable: bool = False) -> str:
    qualifier = match.group("qualifier")
    if not qualifier:
        return value
    words = QUALIFIERS[qualifier]
    return f"{'fewer than' if countable and words == 'less than' else words} {value}"


def extract_figures(text: str) -> list[Figure]:
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, kind: str, value: str, context: str) -> None:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return
        taken.append(match.span())
        figures.append(Figure(kind, value, match.group().strip(), context))

    for match in MONEY.finditer(text):
        _, number, scale, currency = match.groups()
        amount = _english_number(_number(number), SCALES.get(scale))
        add(match, "money", _qualified(match, f"{CURRENCIES[currency]}{amount}"), "")
    for match in PERCENT.finditer(text):
        add(match, "percent", _qualified(match, f"{_plain(_number(match.group(2)))}%"), "")
    for match in DATE.finditer(text):
        day, month, _second_month, year = match.groups()
        if not (day or year):
            continue  # a bare month name is not a date
        parts = [str(int(day))] if day else []
        parts += [MONTH_NAMES[MONTHS[month]]] + ([year] if year else [])
        add(match, "date", " ".join(parts), "")
    for match in YEAR.finditer(text):
        first, last = match.groups()
        add(match, "date", f"{first}–{last}" if last else first, "")
    for match in RANGE.finditer(text):
        low, high = _quantity_value(match, "low"), _quantity_value(match, "high")
        add(match, "count", f"between {low} and {high}", NOUNS[match.groups()[-1]])
    for match in COUNT.finditer(text):
        value = _qualified(match, _quantity_value(match, "n"), countable=True)
        add(match, "count", value, NOUNS[match.groups()[-1]])
    for match in APPROXIMATE.finditer(text):  # "نحو 3000": the noun, if any, came before
        named = list(NUMBER_OF.finditer(text, 0, match.start()))
        context = NOUNS[named[-1].group(1)] if named else ""
        add(match, "count", _qualified(match, _quantity_value(match, "n")), context)
    for match in SCALED.finditer(text):  # "40 ألفًا" with no noun we know
        number, scale = match.groups()
        add(match, "count", _english_number(_number(number), SCALES[scale]), "")
    for match in VAGUE_COUNT.finditer(text):
        vague, noun = match.groups()
        add(match, "count", VAGUE[vague], NOUNS[noun])
    return sorted(figures, key=lambda figure: text.find(figure.arabic))
