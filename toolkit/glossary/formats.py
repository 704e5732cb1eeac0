"""Glossaries from and to other tools: TBX, TMX, CSV/TSV (`toolkit glossary import|export`).

Reading:
- TBX (ISO 30042): TBX-Basic and TBX-Core, v3 (`conceptEntry`/`langSec`/`termSec`) and v2
  (`termEntry`/`langSet`/`tig`|`ntig`), DCA (`termNote type=…`) or DCT (`basic:…`) style.
  Per concept, the English term marked preferred (administrativeStatus or
  normativeAuthorization) is the canonical name and the other English terms its variants;
  every Arabic term (deprecated forms included) becomes an entry for that name.
- TMX, as Amazon Translate custom terminologies use it: one `<tu>` per term, one `<tuv>`
  per language (`xml:lang` or `lang`), the term in `<seg>`.
- CSV/TSV: DeepL's glossary rows (`source,target[,source_lang,target_lang]`, no header; the
  Arabic side is told by its script) or AWS's (a header row of language codes, e.g. `en,ar`).

XML is parsed by defusedxml: entity declarations (billion laughs, external entities) are
refused and no DTD is ever fetched; files over MAX_IMPORT_BYTES are refused unread.

Every Arabic term is brought to the base form of glossaries/*.tsv: normalized like the
model's input (NFC, presentation forms, tatweel, invisible marks), diacritics and enclosing
quotes removed, and a proclitic (و ف ب ك ل …) taken off with a warning when it is written
apart (لـداعش, ل«داعش») or when the rest is a term of this file or of the shipped glossaries
(لداعش, when داعش is known). Entries with the same Arabic form and context are merged;
the same form with two English names is an error naming both places.

Writing: TBX v3 TBX-Basic, one concept per glossary row (kind as subjectField, note as a
concept note, context as a note on the Arabic term, variants as deprecated English terms),
which reads back into the same rows; CSV in AWS's layout (`ar,en` header), which can hold
neither variants nor context.
"""

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.glossary.entries import (
    COLUMNS,
    KINDS,
    Entry,
    Problem,
    _row_errors,
    cross_check,
)
from toolkit.glossary.matcher import SHORT_STEM
from toolkit.text.arabic import (
    ARTICLE,
    DIACRITICS,
    LAM_BEFORE_ARTICLE,
    PLAIN_PROCLITICS,
    SCRIPT_CHARACTER,
    TATWEEL,
    fold,
    normalize,
)

FORMATS = {".tbx": "tbx", ".tmx": "tmx", ".csv": "csv", ".tsv": "tsv"}
MAX_IMPORT_BYTES = 20 << 20
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")
PREFERRED = "preferredTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
CONTEXT_NOTE = re.compile(r"^context: (quoted|bare)$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$", re.IGNORECASE)
QUOTES = {"«": "»", "“": "”", '"': '"', "(": ")"}
# a proclitic written apart: لـداعش, لـ«داعش», ل«داعش»
APART = re.compile(
    f"^(?P<clitic>{'|'.join(sorted(PLAIN_PROCLITICS, key=len, reverse=True))})"
    f'(?:{TATWEEL}+[«“"(]?|[«“"(])'
)


@dataclass(frozen=True)
class Imported:
    entries: list[Entry]  # merged, base forms, in the order first seen
    problems: list[Problem]  # warnings, and errors that keep the result from being written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]


def detect_format(path: Path, chosen: str | None) -> str:
    if chosen:
        return chosen
    try:
        return FORMATS[Path(path).suffix.lower()]
    except KeyError:
        raise ConfigError(
            f"{path}: cannot tell the format from the suffix: pass --format tbx|tmx|csv|tsv"
        ) from None


def import_glossary(
    path: Path, file_format: str, kind: str, known: Iterable[Entry] = ()
) -> Imported:
    """Read `path`; `kind` for entries the file does not classify; `known` entries (the
    shipped glossaries) tell a proclitic from a word's first letter."""
    if kind not in KINDS:
        raise ConfigError(f"unknown --kind {kind!r}: use one of {', '.join(KINDS)}")
    readers = {"tbx": read_tbx, "tmx": read_tmx, "csv": read_delimited, "tsv": read_delimited}
    if file_format not in readers:
        raise ConfigError(f"unknown --format {file_format!r}: use one of tbx, tmx, csv, tsv")
    data = _read_limited(Path(path))
    raw, problems = readers[file_format](data, Path(path), kind, file_format)
    shipped = {fold(e.arabic) for e in known}
    stems = shipped | {fold(_clean(e.arabic)[1]) for e in raw}
    entries = []
    for entry in raw:
        arabic, stripped = base_form(entry.arabic, stems, shipped)
        if stripped:
            problems.append(
                Problem(
                    entry.where,
                    "warning",
                    f"{entry.arabic!r} carries the proclitic {stripped!r}: stored as {arabic!r}",
                )
            )
        entry = replace(entry, arabic=arabic)
        errors = _row_errors(entry.arabic, entry.english, entry.kind, "|".join(entry.variants), "")
        problems.extend(Problem(entry.where, "error", message) for message in errors)
        if not errors:
            entries.append(entry)
    merged = _merge(entries, problems)
    problems.extend(p for p in cross_check(merged) if p.level == "error")
    return Imported(merged, problems)


def _read_limited(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ConfigError(f"{path}: {size} bytes, over the {MAX_IMPORT_BYTES}-byte limit")
        return path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read ({error.strerror or error})") from error


def _clean(text: str) -> tuple[str, str]:
    """(proclitic written apart or "", the term normalized without it, diacritics, quotes)."""
    text = text.strip()
    apart = APART.match(text)
    clitic = apart.group("clitic") if apart else ""
    if clitic:
        text = text[len(clitic) :]
    text = DIACRITICS.sub("", normalize(text))
    while len(text) > 1 and QUOTES.get(text[0]) == text[-1]:
        text = text[1:-1].strip()
    return clitic, text


def base_form(arabic: str, stems: set[str], shipped: set[str]) -> tuple[str, str]:
    """The glossary's base form of `arabic` and the proclitic taken off ("" if none).

    `stems`: folded terms a proclitic may stand before; `shipped`: folded terms known to be
    words of their own (لبنان is not ل + بنان even if بنان were a term).
    """
    clitic, text = _clean(arabic)
    if clitic or fold(text) in shipped:
        return text, clitic
    first, _, rest = text.partition(" ")
    for clitic in PLAIN_PROCLITICS + LAM_BEFORE_ARTICLE:
        if not fold(first).startswith(clitic) or len(first) <= len(clitic):
            continue
        stem = first[len(clitic) :]
        if clitic in LAM_BEFORE_ARTICLE:
            stem = ARTICLE + stem  # ل + الإنتربول is written للإنتربول
        elif len(stem) <= SHORT_STEM:
            continue  # بأمن is a word of its own: only a clitic written apart counts here
        candidate = f"{stem} {rest}".strip()
        if fold(candidate) in stems:
            return candidate, first[: len(clitic)]
    return text, ""


def _merge(entries: list[Entry], problems: list[Problem]) -> list[Entry]:
    merged: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.arabic, entry.context)
        other = merged.get(key)
        if other is None:
            merged[key] = entry
            continue
        if other.english != entry.english:
            problems.append(
                Problem(
                    entry.where,
                    "error",
                    f"{entry.arabic!r} ({entry.context or 'any context'}) is {entry.english!r} "
                    f"here but {other.english!r} at {other.where}",
                )
            )
            continue
        problems.append(Problem(entry.where, "warning", f"duplicate of {other.where}: merged"))
        variants = tuple(dict.fromkeys(other.variants + entry.variants))
        notes = [n for n in dict.fromkeys((other.note, entry.note)) if n]
        merged[key] = replace(other, variants=variants, note="; ".join(notes))
    return list(merged.values())


def _entry(
    arabic: str,
    english: str,
    variants: Iterable[str],
    kind: str,
    context: str,
    note: str,
    where: str,
) -> Entry:
    english = _one_line(english)
    variants = tuple(v for v in dict.fromkeys(_one_line(v) for v in variants) if v and v != english)
    return Entry(arabic, english, kind, variants, context, _one_line(note), where)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- XML -------------------------------------------------------------------------------


def parse_xml(data: bytes, path: Path) -> ET.Element:
    """Parse untrusted XML: entity declarations refused, no DTD fetched, errors in one line."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser()
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as error:
        line, column = error.position  # expat counts columns from 0, editors from 1
        reason = re.sub(r": line \d+, column \d+$", "", str(error))
        raise ConfigError(f"{path}:{line}:{column + 1}: malformed XML ({reason})") from None
    except DefusedXmlException as error:
        expat = parser.parser
        where = f"{path}:{expat.CurrentLineNumber}:{expat.CurrentColumnNumber + 1}"
        raise ConfigError(
            f"{where}: refused: the file declares XML entities ({type(error).__name__}); "
            "glossary files need none"
        ) from None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def _language(element: ET.Element) -> str:
    code = element.get(XML_LANG) or element.get("lang") or ""
    return code.lower().replace("_", "-").split("-")[0]


def _text(element: ET.Element) -> str:
    return _one_line("".join(element.itertext()))


@dataclass(frozen=True)
class _TbxTerm:
    text: str
    status: str  # preferred, admitted or deprecated
    context: str


def _tbx_terms(lang_section: ET.Element) -> list[_TbxTerm]:
    terms = []
    for holder in _children(lang_section, "termSec", "tig", "ntig"):
        term = next((e for e in holder.iter() if _local(e.tag) == "term"), None)
        if term is None or not _text(term):
            continue
        status, context = "admitted", ""
        for element in holder.iter():
            name = _local(element.tag)
            value = _text(element)
            if name in STATUS_TYPES or name == "termNote" and element.get("type") in STATUS_TYPES:
                status = (
                    "preferred"
                    if "preferred" in value
                    else "deprecated"
                    if "deprecated" in value or "superseded" in value
                    else "admitted"
                )
            elif name == "note" and (match := CONTEXT_NOTE.match(value)):
                context = match.group(1)
        terms.append(_TbxTerm(_text(term), status, context))
    return terms


Read = tuple[list[Entry], list[Problem]]


def read_tbx(data: bytes, path: Path, kind: str, _format: str) -> Read:
    root = parse_xml(data, path)
    if _local(root.tag) not in ("tbx", "martif"):
        raise ConfigError(f"{path}: not TBX (root element <{_local(root.tag)}>)")
    entries: list[Entry] = []
    problems: list[Problem] = []
    concepts = [e for e in root.iter() if _local(e.tag) in ("conceptEntry", "termEntry")]
    for number, concept in enumerate(concepts, 1):
        where = f"{path} entry {concept.get('id') or number}"
        by_language: dict[str, list[_TbxTerm]] = {}
        for section in _children(concept, "langSec", "langSet"):
            by_language.setdefault(_language(section), []).extend(_tbx_terms(section))
        arabic, english = by_language.get("ar", []), by_language.get("en", [])
        if not arabic or not english:
            problems.append(Problem(where, "warning", "no Arabic or no English term: skipped"))
            continue
        preferred = [t for t in english if t.status == "preferred"] or english
        canonical = preferred[0]
        if len(preferred) > 1:
            problems.append(
                Problem(where, "warning", f"several preferred English terms: {canonical.text!r}")
            )
        subject = next((_text(e) for e in _descrips(concept, "subjectField")), "")
        note = " ".join(_text(e) for e in _children(concept, "note"))
        variants = [t.text for t in english if t is not canonical]
        for term in arabic:
            entries.append(
                _entry(
                    term.text,
                    canonical.text,
                    variants,
                    subject if subject in KINDS else kind,
                    term.context,
                    note,
                    where,
                )
            )
    return entries, problems


def _descrips(concept: ET.Element, kind: str) -> list[ET.Element]:
    return [
        e
        for e in concept
        if _local(e.tag) == kind or _local(e.tag) == "descrip" and e.get("type") == kind
    ]


def read_tmx(data: bytes, path: Path, kind: str, _format: str) -> Read:
    root = parse_xml(data, path)
    if _local(root.tag) != "tmx":
        raise ConfigError(f"{path}: not TMX (root element <{_local(root.tag)}>)")
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, unit in enumerate((e for e in root.iter() if _local(e.tag) == "tu"), 1):
        where = f"{path} tu {unit.get('tuid') or number}"
        segments: dict[str, list[str]] = {}
        for variant in _children(unit, "tuv"):
            for segment in _children(variant, "seg"):
                if _text(segment):
                    segments.setdefault(_language(variant), []).append(_text(segment))
        arabic, english = segments.get("ar", []), segments.get("en", [])
        if not arabic or not english:
            problems.append(Problem(where, "warning", "no Arabic or no English segment: skipped"))
            continue
        entries.extend(_entry(a, english[0], english[1:], kind, "", "", where) for a in arabic)
    return entries, problems


# ---- CSV / TSV -------------------------------------------------------------------------


def read_delimited(data: bytes, path: Path, kind: str, file_format: str) -> Read:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 (byte {error.start})") from None
    reader = csv.reader(io.StringIO(text), delimiter="," if file_format == "csv" else "\t")
    entries: list[Entry] = []
    problems: list[Problem] = []
    columns: tuple[int, int] | None = None  # (arabic, english) from an AWS header
    first = True
    try:
        for cells in reader:
            where = f"{path}:{reader.line_num}"
            cells = [cell.strip() for cell in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if first and _is_header(cells):
                columns = _header_columns(cells, where)
                first = False
                continue
            first = False
            pair = _row_pair(cells, columns, where, problems)
            if pair is not None:
                entries.append(_entry(pair[0], pair[1], (), kind, "", "", where))
    except csv.Error as error:
        raise ConfigError(
            f"{path}:{reader.line_num}: malformed {file_format.upper()} ({error})"
        ) from None
    return entries, problems


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 2 and all(LANGUAGE_CODE.match(cell) for cell in cells if cell)


def _header_columns(cells: list[str], where: str) -> tuple[int, int]:
    codes = [cell.lower().replace("_", "-").split("-")[0] for cell in cells]
    if "ar" not in codes or "en" not in codes:
        raise ConfigError(f"{where}: the header names languages {', '.join(cells)}: no ar and en")
    return codes.index("ar"), codes.index("en")


def _row_pair(
    cells: list[str], columns: tuple[int, int] | None, where: str, problems: list[Problem]
) -> tuple[str, str] | None:
    if columns is not None:
        arabic, english = (cells[i] if i < len(cells) else "" for i in columns)
    elif len(cells) < 2:
        problems.append(Problem(where, "error", f"{len(cells)} column(s): expected source,target"))
        return None
    else:  # DeepL: source,target[,source_lang,target_lang]; the Arabic side by its script
        first, second = cells[0], cells[1]
        arabic, english = (second, first) if SCRIPT_CHARACTER.search(second) else (first, second)
    if not arabic or not english:
        problems.append(Problem(where, "warning", "no Arabic or no English term: skipped"))
        return None
    return arabic, english


# ---- writing ---------------------------------------------------------------------------


def format_tsv(entries: list[Entry], comment: str) -> str:
    lines = [f"# {comment}", "\t".join(COLUMNS)]
    for e in entries:
        lines.append(
            "\t".join([e.arabic, e.english, e.kind, "|".join(e.variants), e.context, e.note])
        )
    return "\n".join(lines) + "\n"


def format_tbx(entries: list[Entry], description: str) -> str:
    ET.register_namespace("", TBX_NAMESPACE)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{TBX_NAMESPACE}}}{tag}", attributes)
        element.text = text
        return element

    root = ET.Element(
        f"{{{TBX_NAMESPACE}}}tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"}
    )
    sub(sub(sub(sub(root, "tbxHeader"), "fileDesc"), "sourceDesc"), "p", description)
    body = sub(sub(root, "text"), "body")
    for number, entry in enumerate(entries, 1):
        concept = sub(body, "conceptEntry", id=f"c{number}")
        sub(concept, "descrip", entry.kind, type="subjectField")
        if entry.note:
            sub(concept, "note", entry.note)
        arabic = sub(sub(concept, "langSec", **{XML_LANG: "ar"}), "termSec")
        sub(arabic, "term", entry.arabic)
        sub(arabic, "termNote", PREFERRED, type="administrativeStatus")
        if entry.context:
            sub(arabic, "note", f"context: {entry.context}")
        english = sub(concept, "langSec", **{XML_LANG: "en"})
        for name, status in [(entry.english, PREFERRED)] + [
            (v, DEPRECATED) for v in entry.variants
        ]:
            term = sub(english, "termSec")
            sub(term, "term", name)
            sub(term, "termNote", status, type="administrativeStatus")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def format_csv(entries: list[Entry]) -> tuple[str, list[Entry]]:
    """AWS's CSV (`ar,en` header), one row per Arabic form, and the entries left out: a
    form listed for two contexts keeps its unrestricted (or bare) reading."""
    rank = {"": 0, "bare": 1, "quoted": 2}
    kept: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: rank[e.context]):
        kept.setdefault(entry.arabic, entry)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ar", "en"])
    chosen = [e for e in entries if kept[e.arabic] is e]
    writer.writerows([e.arabic, e.english] for e in chosen)
    return out.getvalue(), [e for e in entries if kept[e.arabic] is not e]
