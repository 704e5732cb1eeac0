"""Bytes → text with the encoding recorded: UTF-8 (BOM or not), UTF-16 (BOM or not), Windows-1256.

UTF-16 without a BOM is recognised by its zero bytes, all on one side (the high byte of
spaces, digits and ASCII punctuation; Arabic letters have 0x06 there), and by reading as
Arabic. A few stray control characters (a NUL from a broken export) are dropped with a
warning; many mean binary data, and the file is refused.
"""

import codecs
import unicodedata
from dataclasses import dataclass, field
from typing import NoReturn

from toolkit.errors import InputError
from toolkit.text.arabic import arabic_share

MIN_ARABIC_SHARE = 0.5  # of the letters, for the guessed encodings (cp1256, BOM-less UTF-16)
# Control characters other than tab, newline, CR and form feed: up to this many (or 1 % of
# the text, if more) are strays and dropped; more is binary data.
STRAY_CONTROLS = 8
KEPT_CONTROLS = "\t\n\r\f"
NEWLINE = "\n"
CONTROL_BYTES = [b for b in [*range(32), 127] if chr(b) not in KEPT_CONTROLS]


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode_bytes(data: bytes, name: str) -> DecodedText:
    if data.startswith(codecs.BOM_UTF8):
        return _checked(_strict(data, "utf-8-sig", name), "utf-8-sig", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_strict(data, "utf-16", name), "utf-16", name)
    if b"\x00" in data and (utf16 := _utf16_without_bom(data)):
        return _checked(data.decode(utf16), utf16, name)
    # the other encodings are ASCII-compatible: control characters are control bytes
    controls = sum(data.count(byte) for byte in CONTROL_BYTES)
    if controls > _most_strays(len(data)):
        _refuse_binary(name, controls, b"\x00" in data)
    try:
        return _checked(data.decode("utf-8"), "utf-8", name)
    except UnicodeDecodeError:
        pass
    text = _strict(data, "cp1256", name)
    # cp1256 maps every byte to something, so only accept it when it reads as mostly Arabic.
    if not _reads_as_arabic(text):
        raise InputError(f"{name}: neither UTF-8, UTF-16 nor Windows-1256 Arabic text")
    return _checked(text, "cp1256", name)


def _reads_as_arabic(text: str) -> bool:
    return arabic_share(text) >= MIN_ARABIC_SHARE


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when the zero bytes sit on one side and the text reads as Arabic."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 10 * even:
        encoding = "utf-16-le"  # the high byte comes second
    elif even > 10 * odd:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding if _reads_as_arabic(text) else None


def _most_strays(length: int) -> int:
    return max(STRAY_CONTROLS, length // 100)


def _refuse_binary(name: str, controls: int, nul: bool) -> NoReturn:
    kind = "NUL bytes" if nul else f"{controls} control characters"
    raise InputError(f"{name}: binary file ({kind}), not an article")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid {encoding} at byte {error.start}") from error


def _checked(text: str, encoding: str, name: str) -> DecodedText:
    """Refuse binary data; drop a few stray control characters, saying where they were."""
    strays = [
        (i, ch)
        for i, ch in enumerate(text)
        if unicodedata.category(ch) == "Cc" and ch not in KEPT_CONTROLS
    ]
    if len(strays) > _most_strays(len(text)):
        _refuse_binary(name, len(strays), "\x00" in text)
    if not strays:
        return DecodedText(text, encoding)
    where = ", ".join(
        f"U+{ord(ch):04X} on line {text.count(NEWLINE, 0, i) + 1}" for i, ch in strays
    )
    positions = {i for i, _ in strays}
    kept = "".join(ch for i, ch in enumerate(text) if i not in positions)
    return DecodedText(
        kept, encoding, [f"{name}: dropped {len(strays)} stray control character(s): {where}"]
    )
