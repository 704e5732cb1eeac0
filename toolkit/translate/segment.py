"""What the model is given for one sentence: quotations split into sentences, long pieces cut.

A sentence that holds a quotation of several sentences («… . … . …», as a spokesman's
statement is printed) reaches the model one quoted sentence at a time, each piece with its
own quote marks so that every piece is balanced; the display keeps the sentence whole.

Marian models take at most 512 source positions and translate long inputs badly, so a
piece over the limit is cut where Arabic cuts a run-on sentence: after « ، ؛ : », then
before a clause-opening word (ثم، كما، حيث، إذ، بينما، فيما، لكن…), then before the
conjunction « و», and only as a last resort between words. Pieces are packed greedily back
up to the limit so that the model sees as much context as it can. However long a valid
sentence is, every piece of it is translated; only text that is not language (not_text:
a blob without spaces, base64, one thing repeated) is skipped.
"""

import re
from collections import Counter
from collections.abc import Callable

from toolkit.ingest.sentences import QUOTED, split_sentences
from toolkit.limits import (
    BASE64_WORD_CHARS,
    LONG_RUN_CHARS,
    LONG_RUNS_MAX_CHARS,
    REPEAT_MIN_ITEMS,
    REPEAT_SHARE,
)

OPENERS = (
    "ثم|كما|حيث|إذ|بينما|فيما|لكن|لكنه|لكنها|لكنهم|بل|كذلك|أما|بعدما|عندما|حين|حينما|"
    "إلا أن|غير أن|رغم أن|مع أن"
)
CLAUSE_BREAKS = (
    re.compile(r"(?<=[،؛,;:])\s+"),  # after a comma/semicolon/colon, Arabic or Latin
    re.compile(rf"\s+(?=[وف]?(?:{OPENERS})(?:\s|$))"),  # before a clause-opening word
    re.compile(r"\s+(?=و\S)"),  # before the conjunction و attached to the next word
    re.compile(r"\s+"),  # between any two words
)
BASE64_WORD = re.compile(
    rf"(?<!\S)(?=\S*[0-9])(?=\S*[A-Za-z])[A-Za-z0-9+/=]{{{BASE64_WORD_CHARS},}}(?!\S)"
)


def not_text(text: str) -> str | None:
    """Why `text` is garbage rather than language (skipped, not decoded), or None."""
    words = text.split()
    runs = sum(len(word) for word in words if len(word) > LONG_RUN_CHARS)
    if runs > LONG_RUNS_MAX_CHARS:
        return f"{runs:,} characters without a space"
    encoded = sum(len(match.group()) for match in BASE64_WORD.finditer(text))
    if encoded > len(text) / 2:
        return "base64-like"
    for items, what in ((words, "word"), ("".join(words), "character")):
        if len(items) >= REPEAT_MIN_ITEMS:
            (_, most), *_ = Counter(items).most_common(1)
            if most > REPEAT_SHARE * len(items):
                return f"one {what} repeated"
    return None


def split_for_model(text: str, count: Callable[[str], int], limit: int) -> list[str]:
    """Split `text` into its quoted sentences, then into pieces of at most `limit` tokens."""
    return [
        piece
        for part in split_quotations(text.strip())
        for piece in _split(part, count, limit, level=0)
    ]


def split_quotations(text: str) -> list[str]:
    """Cut after each sentence inside a quotation; every piece gets the quote marks back."""
    pieces = [""]
    position = 0
    for quote in QUOTED.finditer(text):
        opening, inner, closing = quote.group()[0], quote.group()[1:-1], quote.group()[-1]
        sentences = split_sentences(inner)
        if len(sentences) < 2:
            continue
        pieces[-1] += f"{text[position : quote.start()]}{opening}{sentences[0]}{closing}"
        pieces += [f"{opening}{sentence}{closing}" for sentence in sentences[1:]]
        position = quote.end()
    pieces[-1] += text[position:]
    return [piece.strip() for piece in pieces if piece.strip()]


def _split(text: str, count: Callable[[str], int], limit: int, level: int) -> list[str]:
    if count(text) <= limit:
        return [text]
    if level == len(CLAUSE_BREAKS):
        return _split_word(text, count, limit)
    parts = [part for part in CLAUSE_BREAKS[level].split(text) if part]
    if len(parts) == 1:
        return _split(text, count, limit, level + 1)
    pieces: list[str] = []
    for part in parts:
        pieces.extend(_split(part, count, limit, level + 1))
    return _pack(pieces, count, limit)


def _pack(pieces: list[str], count: Callable[[str], int], limit: int) -> list[str]:
    packed: list[str] = []
    for piece in pieces:
        if packed and count(f"{packed[-1]} {piece}") <= limit:
            packed[-1] = f"{packed[-1]} {piece}"
        else:
            packed.append(piece)
    return packed


def _split_word(word: str, count: Callable[[str], int], limit: int) -> list[str]:
    """A single 'word' over the limit (a run of digits, a URL…): cut it by characters."""
    pieces, current = [], ""
    for char in word:
        if current and count(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces
