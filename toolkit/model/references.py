"""The references (REFS.tsv, the dev set): id, arabic, english, terms (comma-separated
canonical English names the translation must contain). `toolkit eval` scores against them;
the vocabulary map and the bench learn their words from them."""

from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError
from toolkit.state.tsv import read_tsv

COLUMNS = ("id", "arabic", "english", "terms")


@dataclass(frozen=True)
class Reference:
    id: str
    arabic: str
    english: str
    terms: tuple[str, ...]


def read_references(path: Path) -> list[Reference]:
    """Parse REFS.tsv; any problem is a ConfigError naming file and line."""
    references: list[Reference] = []
    seen: set[str] = set()
    for row in read_tsv(path, COLUMNS, what="references file").check():
        identifier, arabic, english, terms = row.cells
        for name, value in (("id", identifier), ("arabic", arabic), ("english", english)):
            if not value:
                raise ConfigError(f"{row.where}: empty {name}")
        if identifier in seen:
            raise ConfigError(f"{row.where}: duplicate id {identifier!r}")
        seen.add(identifier)
        references.append(
            Reference(
                identifier, arabic, english, tuple(t.strip() for t in terms.split(",") if t.strip())
            )
        )
    if not references:
        raise ConfigError(f"{path}: no reference rows")
    return references
