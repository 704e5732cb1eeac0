"""What a document reader (PDF, DOCX) hands on: blocks of text in reading order.

Unlike a text file, a document knows its structure: which line is a heading, which text sits
in a table cell. The reader says so, and ingest builds the article from the blocks without
the text heuristics (headline guessing, repeated-line and caption rules, which would drop a
table's repeated figures).
"""

from dataclasses import dataclass, field

from toolkit.document import Cell, Problem

# Right-to-left text drawn in visual order holds each bracket and quote as drawn: mirrored.
MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


@dataclass(frozen=True)
class Block:
    text: str  # logical order, presentation forms folded
    heading: int = 0  # 1 for the top level; 0 for running text
    cell: Cell | None = None  # where it sits, for a table cell
    bullet: str = ""  # a list item's marker ("-" or "3.")
    ocr: bool = False  # read from an image by OCR


@dataclass
class DocumentText:
    blocks: list[Block]
    pages: int | None = None  # a PDF's page count
    dropped: list[str] = field(default_factory=list)  # running headers, footers, page numbers
    problems: list[Problem] = field(default_factory=list)  # pages that could not be read
