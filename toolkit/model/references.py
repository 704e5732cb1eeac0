"""The references (REFS.tsv, the dev set): id, arabic, english, terms (comma-separated
canonical English names the translation must contain). `toolkit eval` scores against them;
the vocabulary map and the bench learn their words from them."""

from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import ConfigError

COLUMNS = ("id", "arabic", "english", "terms")


@dataclass(frozen=True)
class Reference:
    id: str
    arabic: str
    english: str
    terms: tuple[str, ...]


def read_references(path: Path) -> list[Reference]:
    """Parse REFS.tsv; any problem is a ConfigError naming file and line."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read ({error})") from error
    rows = [
        (n, line) for n, line in enumerate(lines, 1) if line.strip() and not line.startswith("#")
    ]
    if not rows or tuple(c.strip() for c in rows[0][1].split("\t")) != COLUMNS:
        line = rows[0][0] if rows else 1
        raise ConfigError(f"{path}:{line}: header must be: {' '.join(COLUMNS)} (tab-separated)")
    references: list[Reference] = []
    seen: set[str] = set()
    for number, line in rows[1:]:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != len(COLUMNS):
            raise ConfigError(f"{path}:{number}: {len(cells)} columns, expected {len(COLUMNS)}")
        identifier, arabic, english, terms = cells
        for name, value in (("id", identifier), ("arabic", arabic), ("english", english)):
            if not value:
                raise ConfigError(f"{path}:{number}: empty {name}")
        if identifier in seen:
            raise ConfigError(f"{path}:{number}: duplicate id {identifier!r}")
        seen.add(identifier)
        references.append(
            Reference(
                identifier, arabic, english, tuple(t.strip() for t in terms.split(",") if t.strip())
            )
        )
    if not references:
        raise ConfigError(f"{path}: no reference rows")
    return references
