"""Glossary files (glossaries/*.tsv): loading, merging and linting.

Columns: arabic (base form, no clitics), english (canonical), kind, variants (English
renderings to rewrite to the canonical, `|`-separated), context (empty, quoted or bare), note.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.tsv import read_tsv
from toolkit.text.arabic import SCRIPT_CHARACTER

COLUMNS = ("arabic", "english", "kind", "variants", "context", "note")
KINDS = ("organization", "platform", "person", "place", "publication", "other")
CONTEXTS = ("", "quoted", "bare")
TOPICS_FILE = "topics.tsv"  # glossaries/ also holds the topics (toolkit.glossary.topics)
TOPICS_HEADER = "topic"  # the first column of a topics file
NAMES_FILE = "names.tsv"  # glossaries/ also holds people's spellings (toolkit.names.spelling)
NAMES_HEADER = "key"
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Entry:
    arabic: str
    english: str
    kind: str
    variants: tuple[str, ...]
    context: str
    note: str
    where: str  # "path:line", for messages


@dataclass(frozen=True)
class Problem:
    where: str
    level: str  # "error" or "warning"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        """Changes whenever any entry does (translation-memory keys depend on it)."""
        digest = hashlib.sha256()
        for e in sorted(self.entries, key=lambda e: (e.arabic, e.context, e.english)):
            digest.update(
                "\t".join([e.arabic, e.english, e.kind, "|".join(e.variants), e.context]).encode()
            )
            digest.update(b"\n")
        return digest.hexdigest()

    def variants_of(self, english: str) -> list[str]:
        """Every listed variant of a canonical name, longest first (so 'the Islamic State' wins)."""
        found = {v for e in self.entries if e.english == english for v in e.variants}
        return sorted(found, key=len, reverse=True)


def tsv_rows(
    path: Path, columns: tuple[str, ...], problems: list[Problem], what: str = "glossary"
) -> list[tuple[str, list[str]]]:
    """("path:line", stripped cells) of each row of a tab-separated file headed `columns`;
    an unreadable file, a bad header or a bad column count goes to `problems`."""
    table = read_tsv(path, columns, what=what)
    problems += [Problem(found.where, "error", found.message) for found in table.problems]
    return [(row.where, list(row.cells)) for row in table.rows]


def read_rows(path: Path) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for where, cells in tsv_rows(path, COLUMNS, problems):
        arabic, english, kind, variants, context, note = cells
        row_problems = [
            Problem(where, "error", message)
            for message in _row_errors(arabic, english, kind, variants, context)
        ]
        problems.extend(row_problems)
        if not row_problems:
            entries.append(
                Entry(
                    arabic,
                    english,
                    kind,
                    tuple(v.strip() for v in variants.split("|") if v.strip()),
                    context,
                    note,
                    where,
                )
            )
    return entries, problems


def _row_errors(arabic: str, english: str, kind: str, variants: str, context: str) -> list[str]:
    errors = [
        f"empty {name}"
        for name, value in (("arabic", arabic), ("english", english), ("kind", kind))
        if not value
    ]
    if kind and kind not in KINDS:
        errors.append(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    if context not in CONTEXTS:
        errors.append(f"unknown context {context!r} (empty, quoted or bare)")
    if LATIN.search(arabic):
        errors.append(f"Latin letters in arabic {arabic!r}")
    if arabic and sum(c.isalpha() for c in arabic) < 2:
        # a lone و or ب is a conjunction or a preposition in every sentence, not a name
        errors.append(f"arabic {arabic!r} has fewer than 2 letters: it would match everywhere")
    if SCRIPT_CHARACTER.search(english) or SCRIPT_CHARACTER.search(variants):
        errors.append("Arabic letters in english or variants")
    return errors


def cross_check(entries: list[Entry]) -> list[Problem]:
    """Problems between rows, possibly of different files."""
    problems: list[Problem] = []
    by_key: dict[tuple[str, str], Entry] = {}
    canonical = {e.english.casefold(): e for e in entries}
    for entry in entries:
        key = (entry.arabic, entry.context)
        other = by_key.setdefault(key, entry)
        if other is not entry:
            if other.english != entry.english:
                problems.append(
                    Problem(
                        entry.where,
                        "error",
                        f"{entry.arabic!r} ({entry.context or 'any context'}) is "
                        f"{entry.english!r} here but {other.english!r} at {other.where}",
                    )
                )
            else:
                problems.append(Problem(entry.where, "warning", f"duplicate of {other.where}"))
        for variant in entry.variants:
            owner = canonical.get(variant.casefold())
            if owner is not None and owner.english != entry.english:
                problems.append(
                    Problem(
                        entry.where,
                        "error",
                        f"variant {variant!r} is the canonical name of another entry "
                        f"({owner.where})",
                    )
                )
            elif variant == entry.english:
                problems.append(
                    Problem(
                        entry.where, "warning", f"variant {variant!r} equals the canonical name"
                    )
                )
    return problems


def _first_column(path: Path) -> str | None:
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    header = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    return header.split("\t", 1)[0].strip()


def is_topics_file(path: Path) -> bool:
    """A topics file, told from a glossary by its header; not a glossary, so lint skips it."""
    first = _first_column(path)
    return Path(path).name == TOPICS_FILE if first is None else first == TOPICS_HEADER


def is_names_file(path: Path) -> bool:
    """A names file (glossaries/names.tsv, header `key profile type variant`): not a glossary."""
    first = _first_column(path)
    return Path(path).name == NAMES_FILE if first is None else first == NAMES_HEADER


def lint(paths: list[Path]) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in [p for p in paths if not is_topics_file(p) and not is_names_file(p)]:
        rows, found = read_rows(path)
        entries.extend(rows)
        problems.extend(found)
    return entries, problems + cross_check(entries)


def load_glossary(paths: list[Path]) -> Glossary:
    """Load and merge glossary files; the first error (file:line) is a ConfigError."""
    entries, problems = lint(paths)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        more = (
            f" (and {len(errors) - 1} more: run `toolkit glossary lint`)" if len(errors) > 1 else ""
        )
        raise ConfigError(f"{errors[0]}{more}")
    return Glossary(entries=entries, files=list(paths))


def default_glossary_folder() -> Path | None:
    """glossaries/ of the current folder, else of the toolkit's checkout."""
    for folder in (Path("glossaries"), Path(__file__).resolve().parents[2] / "glossaries"):
        if folder.is_dir():
            return folder
    return None


def default_glossary_files() -> list[Path]:
    """The default glossary folder's *.tsv, but topics.tsv and names.tsv."""
    folder = default_glossary_folder()
    if folder is None:
        return []
    return sorted(p for p in folder.glob("*.tsv") if p.name not in (TOPICS_FILE, NAMES_FILE))
