"""Watch rules: parsing, precedence, unknown terms, and evaluation on hand-written Arabic."""

import pytest

from toolkit.alerts import vocabulary_of
from toolkit.alerts.rules import And, Facts, Not, Or, Term, parse_rule
from toolkit.alerts.stories import Finder
from toolkit.errors import ConfigError
from toolkit.glossary import default_glossary_files, load_glossary
from toolkit.glossary.topics import load_topics

GLOSSARY = load_glossary(default_glossary_files())
TOPICS = load_topics()
VOCABULARY = vocabulary_of(GLOSSARY, TOPICS)


def rule(text: str):
    return parse_rule(text, VOCABULARY)


def why(text: str, arabic: str) -> list[str] | None:
    parsed = rule(text)
    return parsed.why(Finder(GLOSSARY, TOPICS, parsed.phrases).text_facts([arabic]))


def test_precedence_not_and_or():
    root = rule("Telegram OR TikTok AND NOT recruitment").root
    assert isinstance(root, Or)
    left, right = root.operands
    assert left == Term("Telegram", name="Telegram")
    assert isinstance(right, And) and isinstance(right.operands[1], Not)
    grouped = rule("(Telegram OR TikTok) AND recruitment").root
    assert isinstance(grouped, And) and isinstance(grouped.operands[0], Or)


def test_terms_names_topics_and_phrases():
    root = rule('hawala OR "Western Union" OR western union OR «تمويل الإرهاب» or telegram').root
    hawala, union, bare_union, phrase, telegram = root.operands
    assert hawala.name == "hawala" and hawala.topic == "hawala"  # both: either counts
    assert union.name == "Western Union" and bare_union.name == "Western Union"
    assert phrase.phrase == "تمويل الإرهاب"
    assert telegram.name == "Telegram"  # any case; operators too


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Telegarm AND recruitment", "unknown term 'Telegarm'.*nearest: Telegram"),
        ("recruitmnt", "unknown term 'recruitmnt'.*nearest: recruitment"),
        ("Telegram AND", "expected a name, topic"),
        ("(Telegram OR TikTok", r"missing \)"),
        ("Telegram)", "unexpected"),
        ('"Western Union', "unclosed quote"),
        ("", "empty rule"),
        ('"" AND Telegram', "empty quotes"),
    ],
)
def test_bad_rules_name_the_problem(text, message):
    with pytest.raises(ConfigError, match=message):
        rule(text)


@pytest.mark.parametrize(
    "arabic",
    [
        "أعلنت الشرطة أن الخلية نشطت وبتيليغرام جندت عشرات الشبان.",
        "قالت الشرطة إن المتهم استخدم تلغرام لتجنيد الشبان.",
        "قالت الشرطة إن المتهم استخدم تيليغرام لتجنيد الشبان.",
        "قالت الشرطة إن المتهم استخدم تليجرام لتجنيد الشبان.",
        "قالت الشرطة إن المتهم استخدم Telegram لتجنيد الشبان.",
    ],
)
def test_telegram_and_recruitment_through_clitics_and_spellings(arabic):
    assert why("Telegram AND recruitment", arabic) == ["Telegram", "recruitment"]


def test_a_name_behind_a_clitic_and_quotes():
    assert why("ISIS AND financing", "اتهم بتقديم أموال لـ«داعش» عبر وسطاء.") == [
        "ISIS",
        "financing",
    ]


def test_or_names_only_what_matched():
    assert why('hawala OR "Western Union"', "أرسل المال عبر ويسترن يونيون.") == ["Western Union"]
    assert why('hawala OR "Western Union"', "اعتمدت الشبكة على الحوالات.") == ["hawala"]
    assert why('hawala OR "Western Union"', "افتتح الوزير معرضا للكتاب.") is None


def test_not_excludes_and_is_not_a_reason():
    rule_text = "crypto AND NOT Bitcoin"
    assert why(rule_text, "تلقى التنظيم تبرعات بعملة مونيرو المشفرة وعملات رقمية.") == ["crypto"]
    assert why(rule_text, "تلقى التنظيم تبرعات بعملة بيتكوين وعملات رقمية أخرى.") is None


def test_an_arabic_phrase_is_found_with_its_clitics():
    assert why('"تمويل الإرهاب" AND arrest', "اعتقل رجلان بتهمة تمويل الإرهاب.") == [
        "تمويل الإرهاب",
        "arrest",
    ]
    assert why('"تمويل الإرهاب"', "اعتقل رجل لتمويل الإرهاب في الخارج.") == ["تمويل الإرهاب"]
    assert why('"تمويل الإرهاب"', "اعتقل رجل لتمويل المشروع.") is None


@pytest.mark.parametrize(
    "text",
    [
        "(" * 400 + "Telegram" + ")" * 400,
        "NOT " * 1000 + "Telegram",
        "NOT (" * 300 + "Telegram" + ")" * 300,
    ],
)
def test_a_rule_nested_too_deep_is_a_config_error_not_a_recursion_error(text):
    with pytest.raises(ConfigError, match=r"^rule '.{80}…': nested deeper than 50") as error:
        rule(text)
    assert "\n" not in str(error.value)


def test_nesting_up_to_the_limit_is_parsed_and_evaluated():
    parsed = rule("(" * 49 + "NOT Telegram" + ")" * 49)
    assert isinstance(parsed.root, Not)
    assert why("(" * 50 + "Telegram" + ")" * 50, "قناة على تيليغرام") == ["Telegram"]


def test_country_terms_hold_on_the_story_places_country():
    parsed = rule("country:SO AND hawala")
    somali = Facts(frozenset(), frozenset({"hawala"}), frozenset(), countries=frozenset({"SO"}))
    iraqi = Facts(frozenset(), frozenset({"hawala"}), frozenset(), countries=frozenset({"IQ"}))
    assert parsed.why(somali) == ["country:SO", "hawala"]
    assert parsed.why(iraqi) is None
    assert rule("country:so").root == Term("country:so", country="SO")
    with pytest.raises(ConfigError, match="'country:XX': not an ISO 3166 country code"):
        rule("country:XX")


def test_a_person_is_named_by_the_english_spelling_and_a_typo_is_still_one():
    parsed = rule("Ahmed Farah AND NOT Telegram")
    assert parsed.root.operands[0] == Term("Ahmed Farah", person="ahmed farah")
    facts = Facts(frozenset(), frozenset(), frozenset(), people=frozenset({"ahmed farah"}))
    assert parsed.why(facts) == ["Ahmed Farah"]
    assert parsed.why(Facts(frozenset(), frozenset(), frozenset())) is None
    with pytest.raises(ConfigError, match="nearest: Western Union"):
        rule("Western Unoin")  # two capitalised words, but a glossary name misspelt
    with pytest.raises(ConfigError, match="unknown term 'farah'"):
        rule("farah")  # one lower-case word is no one's spelling
