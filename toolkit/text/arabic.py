"""Arabic as the toolkit reads it: the only module that knows Arabic letters and spelling.

Letters: the Unicode ranges are written here once, as the character classes below, and
every other module takes its patterns from them.

Two canonical forms of a text:
- `normalize` (what the model sees, what ingest stores): NFC; presentation forms (U+FB50–FDFF,
  U+FE70–FEFC) folded to base letters; tatweel, bidi and zero-width controls, word joiner and
  soft hyphen removed; Eastern Arabic and Persian digits and the Arabic decimal/thousands
  separators to ASCII; runs of whitespace to one space.
- `fold` (how words are compared: glossary, topics, stories, archive, key points):
  presentation forms to base letters, harakat, tatweel and invisible joiners removed,
  أ إ آ ٱ → ا, ى ی → ي (Persian yeh), ک → ك (Persian kaf), ة ۀ → ه.

Proclitics: one list (`PROCLITICS`): the conjunctions و ف, the prepositions ب ك ل, their
pairs (وب, فل …), the article ال and each of them before it (وال, بال, لل …). `readings`
gives the (proclitic, stem) readings of a folded word; ل before the article drops its alef
(للإنتربول is ل + الإنتربول), so a word behind لل also reads with ال restored.

Word lists (folded): `FUNCTION_WORDS` (prepositions, pronouns, particles: what carries no
topic; key points drop them), `NEWS_WORDS` (reporting verbs, days, "last year"…: what
carries no event; stories drop them too), `TITLES` (المدعو, الوزير …: a person's name
follows). Stemming: Snowball's Arabic stemmer (PyStemmer).
"""

import re
import unicodedata
from functools import cache

import Stemmer

# --- letters: the ranges, each written once ---------------------------------------------
LETTERS = "\u0621-\u064a"  # hamza … yeh, the letters of Arabic itself (tatweel U+0640 among them)
TASHKIL = "\u064b-\u0652"  # tanwin, the short vowels, shadda, sukun
SUPERSCRIPT_ALEF = "\u0670"
HARAKAT = f"{TASHKIL}\u0653-\u065f{SUPERSCRIPT_ALEF}"  # and maddah, hamza above/below, …
INDIC_DIGITS = "\u0660-\u0669"
DOTLESS = "\u066e\u066f"  # dotless beh and qaf
OTHER_LETTERS = "\u0671-\u06d3"  # alef wasla … yeh barree: Persian, Urdu, … letters
EXTENDED_LETTERS = f"{OTHER_LETTERS}\u06fa-\u06ff"  # and sheen with dot below …
SUPPLEMENT = "\u0750-\u077f"  # Arabic Supplement letters
BLOCK = "\u0600-\u06ff"  # the whole Arabic block: letters, marks, digits, punctuation
PRESENTATION_FORMS = "\ufb50-\ufdff\ufe70-\ufefc"
SCRIPT = BLOCK + SUPPLEMENT + PRESENTATION_FORMS  # anything written in Arabic script
TATWEEL = "\u0640"
JOINERS = "\u00ad\u200c-\u200f\u2060"  # soft hyphen, ZWNJ, ZWJ, LRM, RLM, word joiner

LETTER = re.compile(f"[{LETTERS}]")
SCRIPT_LETTER = re.compile(f"[{LETTERS}{EXTENDED_LETTERS}{SUPPLEMENT}]")
SCRIPT_CHARACTER = re.compile(f"[{SCRIPT}]")
BLOCK_CHARACTER = re.compile(f"[{BLOCK}]")
# a word as the glossary sees it in raw text: letters, marks, digits, Latin, and the
# invisible characters that may sit inside a word
WORD = re.compile(
    f"[{LETTERS}{HARAKAT}{INDIC_DIGITS}{DOTLESS}{EXTENDED_LETTERS}{TATWEEL}"
    f"{PRESENTATION_FORMS}A-Za-z0-9{JOINERS}]+"
)
MARKS = re.compile(f"[{HARAKAT}{TATWEEL}{JOINERS}]")
# a word of Arabic-script letters and its marks as written (names, quotes): no digits, no Latin
WRITTEN_WORD = re.compile(f"[{LETTERS}{OTHER_LETTERS}{HARAKAT}]+")
# a name in Arabic letters, with its vowel marks, words apart (the GeoNames Arabic names)
ARABIC_NAME = re.compile(f"^[{LETTERS}{SUPERSCRIPT_ALEF}{TASHKIL} ]+$")
DIACRITICS = re.compile(f"[{HARAKAT}]")

# --- normalize ----------------------------------------------------------------------------
INVISIBLE = dict.fromkeys(
    map(
        ord,
        f"{TATWEEL}\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\ufeff\u00ad\u2060\u034f",
    ),
    None,
)
DIGITS = {ord(ch): str(i) for i, ch in enumerate("٠١٢٣٤٥٦٧٨٩")}
DIGITS |= {ord(ch): str(i) for i, ch in enumerate("۰۱۲۳۴۵۶۷۸۹")}
SEPARATORS = {ord("\u066b"): ".", ord("\u066c"): ","}
PRESENTATION_RUN = re.compile(f"[{PRESENTATION_FORMS}]+")
WHITESPACE = re.compile(r"\s+")
FOLDED_LETTERS = str.maketrans("أإآٱىیکةۀ", "اااايي" + "ك" + "هه")


def fold_presentation_forms(text: str) -> str:
    return PRESENTATION_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def normalize(text: str) -> str:
    """What the model sees: one canonical spelling of the same text."""
    text = fold_presentation_forms(text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(INVISIBLE).translate(DIGITS).translate(SEPARATORS)
    return WHITESPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """The form in which words are compared (see the module docstring)."""
    return MARKS.sub("", fold_presentation_forms(text)).translate(FOLDED_LETTERS)


# --- letters in a text --------------------------------------------------------------------
def has_arabic(text: str) -> bool:
    """Whether any character of `text` is in the Arabic block."""
    return BLOCK_CHARACTER.search(text) is not None


def arabic_share(text: str) -> float:
    """The share of Arabic letters among the letters of `text` (0 when it has none)."""
    letters = sum(1 for ch in text if ch.isalpha())
    return len(LETTER.findall(text)) / letters if letters else 0.0


def words(text: str) -> list[str]:
    """The folded words of a text, in order (normalized first; a lone diacritic is no word)."""
    return [word for match in WORD.finditer(normalize(text)) if (word := fold(match.group()))]


# --- proclitics -----------------------------------------------------------------------------
ARTICLE = "ال"
# the conjunctions and prepositions, alone and in pairs
PLAIN_PROCLITICS = ("و", "ف", "ب", "ك", "ل", "وب", "ول", "فب", "فل", "وك", "فك")
# the article, alone and behind them
ARTICLE_PROCLITICS = (
    "ال",
    "وال",
    "فال",
    "بال",
    "كال",
    "لل",
    "ولل",
    "فلل",
    "وبال",
    "فبال",
    "وكال",
    "فكال",
)
PROCLITICS = PLAIN_PROCLITICS + ARTICLE_PROCLITICS
LAM_BEFORE_ARTICLE = ("لل", "ولل", "فلل")  # ل + ال… drops the alef: للإنتربول
CLITIC_STARTS = frozenset(clitic[0] for clitic in PROCLITICS)
MIN_STEM = 3  # letters a proclitic or the article must leave for a word to stand alone


def without_article(word: str) -> str:
    """The word without ال, when it leaves MIN_STEM letters."""
    return (
        word[len(ARTICLE) :]
        if word.startswith(ARTICLE) and len(word) - len(ARTICLE) >= MIN_STEM
        else word
    )


def readings(word: str, min_stem: int = 1) -> list[tuple[str, str]]:
    """(proclitic, stem) readings of a folded word, the bare word first ("", word), then one
    per proclitic of PROCLITICS (in its order) that leaves at least `min_stem` letters, then
    the article restored behind ل (للشرطة: لل + الشرطة)."""
    found = [("", word)]
    if not word or word[0] not in CLITIC_STARTS:
        return found
    for clitic in PROCLITICS:
        if word.startswith(clitic) and len(word) - len(clitic) >= min_stem:
            found.append((clitic, word[len(clitic) :]))
    for clitic in LAM_BEFORE_ARTICLE:
        if word.startswith(clitic) and len(word) - len(clitic) >= min_stem:
            found.append((clitic, ARTICLE + word[len(clitic) :]))
    return found


def stems(word: str, min_stem: int = 1) -> list[str]:
    """The distinct stems of `readings`, the word itself first."""
    return list(dict.fromkeys(stem for _, stem in readings(word, min_stem)))


def without_proclitic(word: str, min_stem: int = 1) -> str:
    """The word without its longest proclitic (that leaves `min_stem` letters), as written."""
    return min((stem for clitic, stem in readings(word, min_stem)), key=len)


# --- stop words ---------------------------------------------------------------------------
_FUNCTION_WORDS = """
    في من على إلى الى عن أن إن ان كان كانت هذا هذه ذلك التي الذي الذين مع بين بعد قبل حتى
    أو او ثم قد لا لم لن ما هو هي هم كما وقال قال وقالت قالت أيضا عند كل غير منذ خلال حول
"""
_NEWS_WORDS = """
    إنه أنه يكون تكون لقد ماذا تلك باسم هن نحن أنا اللذين اللتين اللواتي بعض عندما بل لكن سوى
    أي إذ إذا اذا ضد نحو لدى أكد وأكد أكدت وأوضح أوضح أوضحت وأضاف أضاف أضافت ذكر وذكر ذكرت
    أعلن أعلنت وأعلن وأعلنت أفاد أفادت يوم اليوم أمس الأحد الاثنين الثلاثاء الأربعاء الخميس
    الجمعة السبت العام عام الماضي الماضية الحالي الجاري المقبل وفق وفقا حيث وقد فيما كذلك به
    بها له لها فيه فيها عليه عليها منه منها إليه إليها عنه عنها هناك هنا وهو وهي وكان وكانت
    وذلك مما ممن أكثر أقل جديد جديدة إلا الا يتم تم
"""
FUNCTION_WORDS = frozenset(map(fold, _FUNCTION_WORDS.split()))  # folded
NEWS_WORDS = frozenset(map(fold, _NEWS_WORDS.split()))  # folded
_TITLES = """
    المدعو المدعوة السيد السيدة الوزير الوزيرة القاضي القاضية العميد اللواء العقيد
    المقدم الرائد المحامي المحامية الناشط الناشطة الصحفي الصحفية المتهم المتهمة
    المشتبه النائب المدعي المتحدث المتحدثة الدكتور الشيخ الرئيس المواطن المواطنة
    الطبيب المهندس رجل
"""
TITLES = frozenset(map(fold, _TITLES.split()))  # folded: the words before a person's name

# --- stemming -----------------------------------------------------------------------------
_stemmer = Stemmer.Stemmer("arabic")


@cache
def stem(word: str) -> str:
    """The Snowball stem of a folded word, folded; Latin words lower-cased (cached: a day's
    vocabulary is far smaller than its text)."""
    if word.isascii():
        return word.lower()
    return fold(_stemmer.stemWord(word))
