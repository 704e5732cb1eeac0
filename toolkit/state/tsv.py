"""Tab-separated files (glossaries, topics, places, debris rules, eval references).

UTF-8 (a BOM is allowed), `#` comment lines and blank lines skipped, cells stripped. A
`Row` knows its file and line, so that every problem is one line naming both: `where`
is `path:line`. With `columns`, the first line that is not a comment must be exactly that
header, and every row must have that many cells.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import ConfigError


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    cells: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    where: str  # path:line
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # each keeps its row out

    def check(self) -> list[Row]:
        """The rows; the first problem as a ConfigError (exit 2), the count of the rest."""
        if self.problems:
            more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
            raise ConfigError(f"{self.problems[0]}{more}")
        return self.rows


def read_tsv(
    path: Path,
    columns: Sequence[str] | None = None,
    *,
    what: str = "file",
    text: str | None = None,
    skip_header: str | None = None,
) -> Table:
    """The rows of a tab-separated file, and its problems (a bad header ends the reading).

    `text`: the file's content, already read (a packaged resource). `skip_header`: without
    `columns`, a line starting with this is a header and skipped.
    """
    path = Path(path)
    table = Table()
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            table.problems.append(Problem(f"{path}:0", f"cannot read ({error})"))
            return table
    header_seen = columns is None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if skip_header is not None and line.startswith(skip_header):
            continue
        cells = tuple(cell.strip() for cell in line.split("\t"))
        where = f"{path}:{number}"
        if not header_seen:
            header_seen = True
            if cells != tuple(columns):
                message = f"header must be: {' '.join(columns)} (tab-separated)"
                table.problems.append(Problem(where, message))
                return table
            continue
        if columns is not None and len(cells) != len(columns):
            table.problems.append(Problem(where, f"{len(cells)} columns, expected {len(columns)}"))
            continue
        table.rows.append(Row(path, number, cells))
    if not header_seen:
        table.problems.append(Problem(f"{path}:1", f"empty {what}: no header line"))
    return table
