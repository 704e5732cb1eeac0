"""Arabic sentence segmentation for one paragraph.

Splits after . ! ? ؟ ؛ followed by space; not inside «…» “…” "…" quotes, not at ellipses or
double dots used as pauses, not after abbreviations or single letters (د. for Dr.), and never
into a piece without a letter (the "1." of a numbered list). Decimals, dates, URLs, e-mail
addresses and hashtags hold no space after their dots, so they are never split.
"""

import re

from toolkit.ingest.debris import DebrisRules, default_rules

BOUNDARY = re.compile(r"([.!?؟؛…]+)([»”\"’')\]]*)(?=\s)")
QUOTED = re.compile(r"«[^«»]*»|“[^“”]*”|\"[^\"]*\"")
BULLET = re.compile(r"^\s*(?:[-–•●▪◦*]|\d{1,2}[.)])\s+")
LETTER = re.compile(r"[^\W\d_]")


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text, count=1)


def bullet_marker(text: str) -> str:
    """The Markdown marker of a list line: "-" for - • ● …, "3." for "3)" or "3."; else ""."""
    match = BULLET.match(text)
    if not match:
        return ""
    number = re.match(r"\s*(\d+)", match.group())
    return f"{number.group(1)}." if number else "-"


def split_sentences(paragraph: str, rules: DebrisRules | None = None) -> list[str]:
    rules = rules or default_rules()
    protected = [match.span() for match in QUOTED.finditer(paragraph)]
    cuts = [0]
    for match in BOUNDARY.finditer(paragraph):
        position = match.start()
        if any(start < position < end - 1 for start, end in protected):
            continue
        punctuation = match.group(1)
        if punctuation == "…" or len(punctuation) > 1 and set(punctuation) == {"."}:
            continue  # a pause, not the end of a sentence
        if punctuation == ".":
            before = paragraph[:position].split()
            if before and (
                len(LETTER.findall(before[-1])) == 1 or rules.abbreviation_before_dot(before[-1])
            ):
                continue
        cuts.append(match.end())
    pieces = [
        paragraph[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(paragraph)], strict=True)
    ]
    sentences: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if sentences and not LETTER.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences
