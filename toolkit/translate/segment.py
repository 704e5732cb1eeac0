"""What the model is given for one sentence: quotations split into sentences, long pieces cut.

A sentence that holds a quotation of several sentences («… . … . …», as a spokesman's
statement is printed) reaches the model one quoted sentence at a time, each piece with its
own quote marks so that every piece is balanced; the display keeps the sentence whole.

Marian models take at most 512 source positions and translate long inputs badly, so a
piece over the limit is cut at the Arabic comma «،» or semicolon «؛» first, then before
the conjunction « و», and only as a last resort between words. Pieces are packed greedily
back up to the limit so that the model sees as much context as it can. A sentence past
toolkit.limits (too many tokens, or too many segments) is not cut at all: it is skipped.
"""

import re
from collections.abc import Callable

from toolkit.ingest.sentences import QUOTED, split_sentences
from toolkit.limits import MAX_SENTENCE_SEGMENTS, MAX_SENTENCE_TOKENS

CLAUSE_BREAKS = (
    re.compile(r"(?<=[،؛,;:])\s+"),  # after a comma/semicolon, Arabic or Latin
    re.compile(r"\s+(?=و\S)"),  # before the conjunction و attached to the next word
    re.compile(r"\s+"),  # between any two words
)


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


def too_long(
    text: str,
    count: Callable[[str], int],
    segment_tokens: int,
    max_tokens: int = MAX_SENTENCE_TOKENS,
    max_segments: int = MAX_SENTENCE_SEGMENTS,
) -> bool:
    """Whether `text` is past the limits of what one sentence may cost to decode."""
    return count(text) > max_tokens or (
        len(split_for_model(text, count, segment_tokens)) > max_segments
    )


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
