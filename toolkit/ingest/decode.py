"""Bytes → text with the encoding recorded: UTF-8 (BOM or not), UTF-16 with BOM, Windows-1256."""

import codecs
import unicodedata
from dataclasses import dataclass

from toolkit.errors import InputError

CP1256_MIN_ARABIC_SHARE = 0.5


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str


def decode_bytes(data: bytes, name: str) -> DecodedText:
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: binary file (NUL bytes), not an article")
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(_strict(data, "utf-8-sig", name), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedText(_strict(data, "utf-16", name), "utf-16")
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = _strict(data, "cp1256", name)
    # cp1256 maps every byte to something, so only accept it when it reads as mostly Arabic.
    letters = [ch for ch in text if ch.isalpha()]
    arabic = sum(1 for ch in letters if "\u0621" <= ch <= "\u064a")
    if not letters or arabic / len(letters) < CP1256_MIN_ARABIC_SHARE:
        raise InputError(f"{name}: neither UTF-8, UTF-16 nor Windows-1256 Arabic text")
    return DecodedText(text, "cp1256")


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid {encoding} at byte {error.start}") from error
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{name}: binary file ({controls} control characters), not an article")
    return text
