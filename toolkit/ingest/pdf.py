"""PDF → blocks in logical order, with pdfminer.six (MIT).

Arabic PDFs printed by browsers and office suites hold each line in visual order, in
presentation forms. Each line whose words read backwards (final forms at word starts, ة or
ى opening a word, ال closing one) is reordered with python-bidi (base direction R), then
the presentation forms are folded (in that order: folding first splits the لا ligature);
brackets and quotes, stored as drawn (mirrored) and not mirrored back by the reordering,
are turned the right way; harakat cut off after a space are re-attached. A line already in
logical order is left as it is; one without evidence either way follows the document.

Lines are grouped into rows by height on the page: pieces of a row far apart are table
cells (right to left for Arabic), else parts of one line. Lines close under each other join
into paragraphs; a line in a larger type than the body's is a heading. Lines in the top or
bottom band that repeat on most pages (digits aside) are running headers and footers, and a
lone number there is a page number: dropped, named in `dropped`.

A page without a text layer is read by OCR (toolkit.ingest.ocr) when tesseract is
installed; else it is named in `problems` and the other pages are read.
"""

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

from toolkit.document import Cell, Problem
from toolkit.errors import InputError
from toolkit.ingest.blocks import MIRRORED, Block, DocumentText
from toolkit.ingest.ocr import OcrUnavailable, ocr_page
from toolkit.text.arabic import HARAKAT, SCRIPT, fold_presentation_forms, normalize

MARGIN_BAND = 0.12  # of the page height: where running headers, footers and numbers sit
HEADING_RATIO = 1.15  # type this much larger than the body's is a heading
# A gap between lines this much (of the type size) over the usual one starts a paragraph.
PARAGRAPH_GAP = 0.4
CELL_GAP = 1.5  # of the type size: pieces of a row further apart are table cells
ARABIC_RUN = re.compile(f"[{SCRIPT}]+")
MARK_AFTER_SPACE = re.compile(rf"\s+([{HARAKAT}])")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # glyphs the PDF maps to no character
LATIN = re.compile(r"[A-Za-z]")
PAGE_NUMBER = re.compile(r"^[\W\d_]*\d[\W\d_]*$|^\W*(?:page|صفحة)\W+\d+(?:\W+\d+)?\W*$", re.I)
ANY_DIGIT = re.compile(r"\d+")


@dataclass
class Piece:
    """A run of text on one line of a page, as pdfminer gives it (visual order)."""

    x0: float
    x1: float
    top: float  # from the top of the page
    bottom: float
    size: float  # type size
    text: str


@dataclass
class Row:
    top: float
    bottom: float
    size: float
    cells: list[str]  # logical text; one for a line of running text
    page: int
    ocr: bool = False  # a paragraph read by OCR from the page image (logical order)


def read_pdf(data: bytes, name: str) -> DocumentText:
    from toolkit.ingest.pdftext import layout_pages

    try:
        pages = list(layout_pages(data))
    except Exception as error:  # pdfminer.six fails in many ways on broken or encrypted files
        why = " ".join(str(error).split())[:200]
        raise InputError(f"{name}: not a readable PDF ({type(error).__name__}: {why})") from error
    rows: list[Row] = []
    heights: list[float] = []
    problems: list[Problem] = []
    for number, page in enumerate(pages, 1):
        height = page.height
        heights.append(height)
        pieces = list(_pieces(page, height))
        if pieces:
            rows += _rows(pieces, number)
        elif _has_image(page):
            try:
                rows += _ocr_rows(data, number, height)
            except OcrUnavailable as why:
                reason = f"no text layer, not read ({why})"
                problems.append(Problem(f"{name}: page {number}", reason))
    lines = [cell for row in rows if not row.ocr for cell in row.cells]
    visual = sum(map(reads_backwards, lines)) > sum(map(_reads_forwards, lines))
    for row in rows:
        if not row.ocr:
            row.cells = [logical_line(cell, visual) for cell in row.cells]
        if len(row.cells) > 1 and any(ARABIC_RUN.search(cell) for cell in row.cells):
            row.cells.reverse()  # an Arabic table reads from the right
    kept, dropped = _drop_furniture(rows, heights)
    blocks = _blocks(kept)
    return DocumentText(blocks=blocks, pages=len(pages), dropped=dropped, problems=problems)


def _pieces(page, height: float):
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    def lines(item):
        if isinstance(item, LTTextLine):
            yield item
        elif isinstance(item, LTTextContainer):
            for child in item:
                yield from lines(child)

    for item in page:
        for line in lines(item):
            text = line.get_text().strip("\n")
            if not text.strip():
                continue
            sizes = [char.size for char in line if isinstance(char, LTChar)]
            yield Piece(
                x0=line.x0,
                x1=line.x1,
                top=height - line.y1,
                bottom=height - line.y0,
                size=statistics.median(sizes) if sizes else line.height,
                text=text,
            )


def _ocr_rows(data: bytes, number: int, height: float) -> list[Row]:
    """The page's paragraphs by OCR, placed on the page like text rows (for the furniture)."""
    return [
        Row(
            top=found.top * height,
            bottom=found.bottom * height,
            size=0.0,
            cells=[found.text],
            page=number,
            ocr=True,
        )
        for found in ocr_page(data, number - 1)
    ]


def _has_image(page) -> bool:
    from pdfminer.layout import LTFigure, LTImage

    return any(isinstance(item, (LTFigure, LTImage)) for item in page)


def _rows(pieces: list[Piece], page: int) -> list[Row]:
    """Pieces at the same height form a row: one line of text, or a table's row of cells."""
    pieces.sort(key=lambda piece: (piece.top + piece.bottom) / 2)
    groups: list[list[Piece]] = []
    for piece in pieces:
        middle = (piece.top + piece.bottom) / 2
        if groups and groups[-1][0].top <= middle <= groups[-1][0].bottom:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    rows = []
    for group in groups:
        group.sort(key=lambda piece: piece.x0)
        size = max(piece.size for piece in group)
        parts: list[list[Piece]] = [[group[0]]]  # runs of pieces close together, left to right
        for piece in group[1:]:
            if piece.x0 - parts[-1][-1].x1 > CELL_GAP * size:
                parts.append([piece])
            else:
                parts[-1].append(piece)
        cells = [CONTROLS.sub("", _joined(part)) for part in parts]
        rows.append(
            Row(
                top=min(p.top for p in group),
                bottom=max(p.bottom for p in group),
                size=size,
                cells=cells,
                page=page,
            )
        )
    return rows


def _joined(part: list[Piece]) -> str:
    text = part[0].text
    for before, piece in zip(part, part[1:], strict=False):
        touching = piece.x0 - before.x1 < 0.15 * piece.size
        text += ("" if touching else " ") + piece.text
    return text


def reads_backwards(line: str) -> bool:
    """Whether the Arabic words of a line are stored last letter first (visual order)."""
    backwards, forwards = _direction_evidence(line)
    return backwards > forwards


def _reads_forwards(line: str) -> bool:
    backwards, forwards = _direction_evidence(line)
    return forwards > backwards


def _direction_evidence(line: str) -> tuple[int, int]:
    """Signs of visual order (words last letter first), and of logical order."""
    backwards = forwards = 0
    for word in ARABIC_RUN.findall(line):
        first, last = _form(word[0]), _form(word[-1])
        backwards += (first == "final") + (last == "initial")
        forwards += (first == "initial") + (last == "final")
        plain = fold_presentation_forms(word)
        backwards += plain[0] in "ةى" or (len(plain) > 3 and plain.endswith("لا"))
        forwards += plain[-1] in "ةى" or (len(plain) > 3 and plain.startswith("ال"))
    return backwards, forwards


def _form(char: str) -> str:
    decomposition = unicodedata.decomposition(char)
    return decomposition[1:].split(">", 1)[0] if decomposition.startswith("<") else ""


def logical_line(line: str, visual_document: bool = False) -> str:
    """A line of a PDF in logical order, presentation forms folded, harakat re-attached.

    A line without evidence either way (figures, a lone word without presentation forms)
    follows the document's majority."""
    backwards, forwards = _direction_evidence(line)
    if backwards > forwards or (backwards == forwards and visual_document):
        from bidi import get_display

        line = _unmirror(get_display(line, base_dir="R"))
    line = fold_presentation_forms(line)
    return MARK_AFTER_SPACE.sub(r"\1", " ".join(line.split()))


def _unmirror(line: str) -> str:
    """Brackets and quotes between Arabic words are stored as drawn (mirrored), and
    python-bidi does not mirror them back: swap them, except inside Latin text."""
    chars = list(line)
    for index, char in enumerate(chars):
        if char.translate(MIRRORED) == char:
            continue
        before = next((c for c in reversed(line[:index]) if c.isalpha()), "")
        after = next((c for c in line[index + 1 :] if c.isalpha()), "")
        if not (LATIN.match(before or "x") and LATIN.match(after or "x")):
            chars[index] = char.translate(MIRRORED)
    return "".join(chars)


def _furniture_key(row: Row) -> str:
    return ANY_DIGIT.sub("#", normalize(" ".join(row.cells)))


def _drop_furniture(rows: list[Row], heights: list[float]) -> tuple[list[Row], list[str]]:
    """Rows in the top or bottom band that repeat on most pages, and page numbers there."""

    def in_band(row: Row) -> bool:
        height = heights[row.page - 1]
        return row.bottom < MARGIN_BAND * height or row.top > (1 - MARGIN_BAND) * height

    banded = [row for row in rows if in_band(row)]
    pages_of = Counter(key for key, _ in {(_furniture_key(row), row.page) for row in banded})
    repeating = max(2, (len(heights) + 1) // 2)
    kept, dropped = [], []
    for row in rows:
        text = " ".join(row.cells)
        furniture = in_band(row) and (
            pages_of[_furniture_key(row)] >= repeating or PAGE_NUMBER.match(normalize(text))
        )
        (dropped if furniture else kept).append(row if not furniture else text)
    return kept, dropped


def _blocks(rows: list[Row]) -> list[Block]:
    text_rows = [row for row in rows if len(row.cells) == 1 and not row.ocr]
    body = _body_size(text_rows)
    heading_sizes = sorted(
        {round(row.size, 1) for row in text_rows if row.size >= HEADING_RATIO * body},
        reverse=True,
    )
    line_gap = _usual_gap(text_rows)
    blocks: list[Block] = []
    table = row_number = -1
    previous: Row | None = None
    for row in rows:
        if row.ocr:  # tesseract's own paragraphs
            blocks.append(Block(row.cells[0], ocr=True))
        elif len(row.cells) > 1:
            if previous is None or len(previous.cells) == 1:
                table, row_number = table + 1, -1
            row_number += 1
            blocks += [
                Block(text, cell=Cell(table, row_number, column))
                for column, text in enumerate(row.cells)
            ]
        else:
            text = row.cells[0]
            heading = row.size >= HEADING_RATIO * body
            level = heading_sizes.index(round(row.size, 1)) + 1 if heading else 0
            if _continues(previous, row, level, blocks, line_gap):
                blocks[-1] = Block(f"{blocks[-1].text} {text}", heading=level)
            else:
                blocks.append(Block(text, heading=level))
        previous = row
    return blocks


def _body_size(rows: list[Row]) -> float:
    sizes = Counter()
    for row in rows:
        sizes[round(row.size, 1)] += len(row.cells[0])
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _usual_gap(rows: list[Row]) -> float:
    """The gap between lines of a paragraph: the commonest between rows of one type size."""
    gaps = [
        round((row.top - above.bottom) / row.size, 1)
        for above, row in zip(rows, rows[1:], strict=False)
        if above.page == row.page
        and abs(above.size - row.size) < 0.1 * row.size
        and 0 <= row.top - above.bottom < 3 * row.size
    ]
    return Counter(gaps).most_common(1)[0][0] if gaps else 0.5


def _continues(
    previous: Row | None, row: Row, level: int, blocks: list[Block], line_gap: float
) -> bool:
    """Whether a line goes on the paragraph (or heading) before it."""
    if previous is None or not blocks or len(previous.cells) > 1 or blocks[-1].ocr:
        return False
    if blocks[-1].heading != level or abs(previous.size - row.size) > 0.1 * row.size:
        return False
    if previous.page != row.page:  # a paragraph running on over the page break
        return level == 0 and not _ends_sentence(blocks[-1].text)
    return row.top - previous.bottom < (line_gap + PARAGRAPH_GAP) * row.size


def _ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", "؟", ":", "»", '"', "”"))
