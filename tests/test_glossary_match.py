"""Term matching on hand-written Arabic: clitics, quotes, spelling, longest match, context."""

from pathlib import Path

import pytest

from toolkit.glossary import Matcher, load_glossary

SHIPPED = sorted(Path(__file__).resolve().parents[1].joinpath("glossaries").glob("*.tsv"))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_glossary(SHIPPED))


def found(matcher, text):
    return [(m.surface, m.entry.english) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "surface",
    [
        "تويتر",
        "وتويتر",
        "فتويتر",
        "بتويتر",
        "لتويتر",
        "كتويتر",
        "التويتر",
        "للتويتر",
        "والتويتر",
        "بالتويتر",
        "فالتويتر",
        "كالتويتر",
        "وبتويتر",
        "ولتويتر",
        "وبالتويتر",
        "لـتويتر",
        "لـ«تويتر»",
    ],
)
def test_every_proclitic(matcher, surface):
    assert found(matcher, f"قال إن {surface} حذف الحسابات") == [(surface, "Twitter")]


@pytest.mark.parametrize(
    "surface",
    ["الإنتربول", "والإنتربول", "بالإنتربول", "للإنتربول", "وللإنتربول", "فالإنتربول", "إنتربول"],
)
def test_clitics_on_a_name_that_carries_the_article(matcher, surface):
    assert found(matcher, f"أعلن {surface} اعتقال المشتبه به") == [(surface, "Interpol")]


@pytest.mark.parametrize(
    "surface", ["«داعش»", '"داعش"', "“داعش”", "(داعش)", "{داعش}", "لـ«داعش»", "ل«داعش»", "و«داعش»"]
)
def test_quotes_and_brackets_around_a_term(matcher, surface):
    assert found(matcher, f"أنصار {surface} على الإنترنت") == [(surface, "ISIS")]


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        ("أعلن الانتربول", "الانتربول"),  # alef without hamza
        ("عناصر داعـــش", "داعـــش"),  # tatweel
        ("عناصر دَاعِشْ", "دَاعِشْ"),  # diacritics
        ("شبكة حواله سرية", "حواله"),  # ة written ه
        ("عبر مونى غرام", "مونى غرام"),  # ي written ى
        ("عبر ويسترن يونيون", "ويسترن يونيون"),
        ("أعلن الإنتربول", "الإنتربول"),
        ("أعلن الأنتربول", "الأنتربول"),
        ("عبر ﻭﻳﺴﺘﺮﻥ ﻳﻮﻧﻴﻮﻥ", "ﻭﻳﺴﺘﺮﻥ ﻳﻮﻧﻴﻮﻥ"),  # presentation forms
    ],
)
def test_spelling_variation_is_folded_and_surface_kept(matcher, text, surface):
    assert [s for s, _ in found(matcher, text)] == [surface]


def test_newspaper_and_region_are_told_apart(matcher):
    text = "وقال لـ«الشرق الأوسط» إن منطقة الشرق الأوسط تشهد أزمة، وإن الشرق الأوسط يتغير"
    assert found(matcher, text) == [
        ("لـ«الشرق الأوسط»", "Asharq Al-Awsat"),
        ("منطقة الشرق الأوسط", "Middle East"),
        ("الشرق الأوسط", "Middle East"),
    ]
    assert found(matcher, "نشرت {الشرق الأوسط} التقرير") == [("{الشرق الأوسط}", "Asharq Al-Awsat")]


def test_quoted_only_terms_need_quotes(matcher):
    assert found(matcher, "أعلنت «الدولة الإسلامية» مسؤوليتها") == [("«الدولة الإسلامية»", "ISIS")]
    assert found(matcher, "بناء الدولة الإسلامية الحديثة") == []


def test_longest_match_wins(matcher):
    text = "ما يسمى «الدولة الإسلامية في العراق والشام» وتنظيم الدولة الإسلامية"
    assert found(matcher, text) == [
        ("«الدولة الإسلامية في العراق والشام»", "ISIS"),
        ("وتنظيم الدولة الإسلامية", "ISIS"),
    ]


def test_multiword_terms_across_any_whitespace(matcher):
    text = "عبر ويسترن\n   يونيون و موني\tغرام"
    assert found(matcher, text) == [
        ("ويسترن\n   يونيون", "Western Union"),
        ("موني\tغرام", "MoneyGram"),
    ]
    assert found(matcher, "عبر ويسترن، يونيون") == []  # punctuation breaks a name


def test_never_inside_a_longer_word(matcher, tmp_path):
    assert found(matcher, "الداعشيين وتويترات وفيسبوكي") == []
    glossary = tmp_path / "g.tsv"
    glossary.write_text(
        "arabic\tenglish\tkind\tvariants\tcontext\tnote\nأمن\tsecurity\tother\t\t\t\n",
        encoding="utf-8",
    )
    short = Matcher(load_glossary([glossary]))
    assert [m.surface for m in short.find("بأمن وأمنهم والأمن أمن لـأمن")] == [
        "والأمن",
        "أمن",
        "لـأمن",
    ]


def test_bare_only_terms_skip_quotes(matcher):
    assert [e for _, e in found(matcher, "«الشرق الأوسط»")] == ["Asharq Al-Awsat"]
    assert [e for _, e in found(matcher, "الشرق الأوسط")] == ["Middle East"]


@pytest.mark.parametrize(
    ("text", "surface", "proclitic"),
    [
        ("نشرته صحيفة الـ«تايمز». وكشفت", "الـ«تايمز»", "ال"),
        ("قال للـ«تايمز» البريطانية", "للـ«تايمز»", "لل"),
        ("وذكرت والـ«تايمز» أن", "والـ«تايمز»", "وال"),
        ("نقلت الـ«شرق الأوسط» عنه", "الـ«شرق الأوسط»", "ال"),
    ],
)
def test_the_article_cut_off_by_tatweel_and_quotes_still_belongs_to_the_name(
    matcher, text, surface, proclitic
):
    (match,) = matcher.find(text)
    assert (match.surface, match.proclitic, match.quoted) == (surface, proclitic, True)
    assert match.entry.arabic.startswith("ال")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مثل Telegram و Deep Web.", [("Telegram", "Telegram")]),
        ("عبر «Western Union» و X", [("«Western Union»", "Western Union")]),
        ("شركات مثل Google وMeta", [("Google", "Google")]),  # وMeta is one word
        ("تنظيم ISIS-K في أفغانستان", [("ISIS-K", "ISIS-K")]),
        ("مشروع Telegrams وmyTelegram", []),
    ],
)
def test_names_already_in_latin_letters_are_terms(matcher, text, expected):
    assert found(matcher, text) == expected


def test_a_latin_name_counts_whatever_the_context_of_its_arabic_entries(matcher):
    # «الشرق الأوسط» is Asharq Al-Awsat only in quotes; its English name needs none
    assert found(matcher, "قال لصحيفة Asharq Al-Awsat إن") == [
        ("Asharq Al-Awsat", "Asharq Al-Awsat")
    ]


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("صوت البرلمان الأوروبي على القانون", "European Parliament"),
        ("وأحالت القضية إلى يوروجست", "Eurojust"),
        ("قالت مفوضية الأمم المتحدة لشؤون اللاجئين إن", "UNHCR"),
        ("حذر مكتب الأمم المتحدة المعني بالمخدرات والجريمة من", "UNODC"),
        ("وتعمل الأونروا في غزة", "UNRWA"),
        ("أعلنت المديرية العامة للأمن الداخلي اعتقال", "DGSI"),
        ("وكشف جهاز الأمن الداخلي البريطاني أن", "MI5"),
        ("نقلا عن الموساد", "Mossad"),
        ("أصدرت المحكمة الجنائية الدولية مذكرة", "International Criminal Court"),
        (
            "حسبما أعلنت النيابة الفرنسية لمكافحة الإرهاب",
            "French National Anti-Terrorism Prosecutor's Office",
        ),
        ("قالت النيابة الفيدرالية البلجيكية إن", "Belgian Federal Prosecutor's Office"),
        ("حولت الأموال عبر بينانس", "Binance"),
        ("وتستخدم منصة كوين بيس", "Coinbase"),
        ("دفعوا بعملة مونيرو", "Monero"),
        ("أوقفت ماستركارد التعامل", "Mastercard"),
    ],
)
def test_institutions_of_the_beat(matcher, text, english):
    assert [e for _, e in found(matcher, text)] == [english]


@pytest.mark.parametrize(
    "text",
    [
        "قال المجلس القومي لحقوق الإنسان إن",  # a national body, not the UN council
        "اجتمع مجلس الأمن القومي الأمريكي",  # the NSC, not the UN Security Council
    ],
)
def test_national_namesakes_are_not_un_bodies(matcher, text):
    assert found(matcher, text) == []
