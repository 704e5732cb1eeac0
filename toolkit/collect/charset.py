"""A fetched page's bytes → text, by what the page says it is (the HTML standard's order):

1. a byte-order mark;
2. the charset of the HTTP Content-Type header;
3. the page's own declaration in its first 4 KB: <meta charset> or
   <meta http-equiv="Content-Type" content="…; charset=…">;
4. else what ingest reads (UTF-8, UTF-16, Windows-1256 when it reads as Arabic).

A declared charset the page's bytes do not decode with (or that Python does not know) is
passed over for the next. Labels follow the WHATWG Encoding standard where it differs from
Python (latin1/ascii mean windows-1252; utf-16 in a <meta> means UTF-8). The Arabic-share
check comes after decoding, in the caller, whichever way the text was decoded.
"""

import codecs
import re
from dataclasses import dataclass

from toolkit.ingest.decode import decode_bytes

PRESCAN = 4096
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
WHATWG = {"iso8859-1": "cp1252", "ascii": "cp1252"}  # Python's names


@dataclass(frozen=True)
class PageText:
    text: str
    encoding: str  # Python's codec name
    declared_by: str  # bom | header | meta | guessed


def decode_page(body: bytes, content_type: str, name: str) -> PageText:
    """The page's text; toolkit.errors.InputError when nothing reads it."""
    if body.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        decoded = decode_bytes(body, name)
        return PageText(decoded.text, decoded.encoding, "bom")
    header = HEADER_CHARSET.search(content_type or "")
    meta = META_CHARSET.search(body[:PRESCAN])
    candidates = [
        ("header", header[1] if header else None),
        ("meta", meta[1].decode("ascii", "replace") if meta else None),
    ]
    for declared_by, label in candidates:
        encoding = _codec(label, in_meta=declared_by == "meta")
        if encoding is None:
            continue
        try:
            return PageText(body.decode(encoding), encoding, declared_by)
        except UnicodeDecodeError:
            continue
    decoded = decode_bytes(body, name)
    return PageText(decoded.text, decoded.encoding, "guessed")


def _codec(label: str | None, in_meta: bool) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    if in_meta and name.startswith("utf-16"):
        return "utf-8"
    return WHATWG.get(name, name)
