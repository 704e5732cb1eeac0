"""What the model sees: one canonical spelling of the same Arabic text.

NFC; Arabic presentation forms (U+FB50–FDFF, U+FE70–FEFF) folded to base letters; tatweel,
bidi and zero-width controls, word joiner and soft hyphen removed; Eastern Arabic and
Persian digits and the Arabic decimal/thousands separators to ASCII; runs of whitespace to
one space.
"""

import re
import unicodedata

TATWEEL = "\u0640"
INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u0640\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\ufeff\u00ad\u2060\u034f",
    ),
    None,
)
DIGITS = {ord(ch): str(i) for i, ch in enumerate("٠١٢٣٤٥٦٧٨٩")}
DIGITS |= {ord(ch): str(i) for i, ch in enumerate("۰۱۲۳۴۵۶۷۸۹")}
SEPARATORS = {ord("\u066b"): ".", ord("\u066c"): ","}
PRESENTATION_FORMS = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]+")
WHITESPACE = re.compile(r"\s+")


def fold_presentation_forms(text: str) -> str:
    return PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def normalize(text: str) -> str:
    text = fold_presentation_forms(text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(INVISIBLE).translate(DIGITS).translate(SEPARATORS)
    return WHITESPACE.sub(" ", text).strip()
