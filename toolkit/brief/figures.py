"""Hard figures from the Arabic source, so that they are exact whatever the model does.

Money with currency ("260 مليون دولار" → $260 million), percentages ("35 في المائة" → 35%),
dates with Gregorian month names in both the Egyptian/Gulf spelling (أغسطس) and the Levantine
one (آب), alone or paired ("نوفمبر (تشرين الثاني) 2023", "مارس/آذار"), and counts of things
("40 ألف حساب" → 40,000 accounts). Text must be normalized first (ASCII digits).
"""

import re

from toolkit.document import Figure

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
NUMBER = r"(\d+(?:[.,]\d+)*)"
SCALE = "(" + "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True)) + ")"
CURRENCY = "(" + "|".join(sorted(map(re.escape, CURRENCIES), key=len, reverse=True)) + ")"
MONTH = "(" + "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True)) + ")"
NOUN = "(" + "|".join(sorted(map(re.escape, NOUNS), key=len, reverse=True)) + ")"
END = r"(?![\w\u0600-\u06ff])"

MONEY = re.compile(rf"{NUMBER}\s*{SCALE}?\s*{CURRENCY}{END}")
PERCENT = re.compile(rf"{NUMBER}\s*(?:%|٪|في المائة|في المئة|بالمائة|بالمئة){END}")
DATE = re.compile(
    rf"(?:(\d{{1,2}})\s+)?{MONTH}(?:\s*(?:\(|/)\s*{MONTH}\s*\)?)?(?:\s+(\d{{4}}))?{END}"
)
SCALED = re.compile(rf"(?<![\d.,]){NUMBER}\s*{SCALE}{END}")
COUNT = re.compile(rf"(?<![\d.,]){NUMBER}\s*{SCALE}?\s*(?:من\s+)?(?:ال)?{NOUN}{END}")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _english_number(value: float, scale: int | None) -> str:
    if scale in SCALE_WORDS:
        return f"{_plain(value)} {SCALE_WORDS[scale]}"
    total = value * (scale or 1)
    return f"{total:,.0f}" if total == int(total) else f"{total:,}"


def _plain(value: float) -> str:
    return f"{value:g}" if value != int(value) else f"{int(value)}"


def extract_figures(text: str) -> list[Figure]:
    figures: list[Figure] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match, kind: str, value: str, context: str) -> None:
        if any(match.start() < end and start < match.end() for start, end in taken):
            return
        taken.append(match.span())
        figures.append(Figure(kind, value, match.group().strip(), context))

    for match in MONEY.finditer(text):
        number, scale, currency = match.groups()
        symbol = CURRENCIES[currency]
        amount = _english_number(_number(number), SCALES.get(scale))
        add(match, "money", f"{symbol}{amount}", "")
    for match in PERCENT.finditer(text):
        add(match, "percent", f"{_plain(_number(match.group(1)))}%", "")
    for match in DATE.finditer(text):
        day, month, _second_month, year = match.groups()
        if not (day or year):
            continue  # a bare month name is not a date
        parts = [str(int(day))] if day else []
        parts += [MONTH_NAMES[MONTHS[month]]] + ([year] if year else [])
        add(match, "date", " ".join(parts), "")
    for match in COUNT.finditer(text):
        number, scale, noun = match.groups()
        add(match, "count", _english_number(_number(number), SCALES.get(scale)), NOUNS[noun])
    for match in SCALED.finditer(text):  # "40 ألفًا" with no noun we know
        number, scale = match.groups()
        add(match, "count", _english_number(_number(number), SCALES[scale]), "")
    return sorted(figures, key=lambda figure: text.find(figure.arabic))
