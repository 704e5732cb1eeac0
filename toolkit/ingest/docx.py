"""DOCX → blocks, with python-docx: the body's paragraphs and tables in document order.

Word stores logical order; editors split a paragraph into runs anywhere (mid-word too), so a
paragraph's text is its runs joined. Headings are the paragraphs in a "Heading N" or "Title"
style; list items (a list style, or Word's numbering) keep a marker. Headers and footers
live outside the body and are never read as text; their lines are listed in `dropped`.
"""

import io
import re
import zipfile

from toolkit.document import Cell
from toolkit.errors import InputError
from toolkit.ingest.blocks import Block, DocumentText

HEADING_STYLE = re.compile(r"^(?:heading|عنوان)\s*(\d)$", re.I)


def read_docx(data: bytes, name: str) -> DocumentText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(f"{name}: not a readable DOCX ({type(error).__name__})") from error
    except Exception as error:  # lxml's XMLSyntaxError and the like, from a damaged part
        raise InputError(f"{name}: not a readable DOCX ({error})") from error
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    tables = numbered = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = " ".join(item.text.split())
            marker = _list_marker(item, numbered + 1)
            numbered = numbered + 1 if marker[:1].isdigit() else 0
            if text:
                blocks.append(Block(text, heading=_heading_level(item), bullet=marker))
        elif isinstance(item, Table):
            blocks += _table(item, tables)
            tables += 1
            numbered = 0
    return DocumentText(blocks=blocks, dropped=_headers_and_footers(document))


def _heading_level(paragraph) -> int:
    style = paragraph.style
    while style is not None:
        if style.name == "Title":
            return 1
        match = HEADING_STYLE.match(style.name or "")
        if match:
            return int(match.group(1))
        style = style.base_style
    return 0


def _list_marker(paragraph, number: int) -> str:
    """ "3." for an item of a numbered list (by its style), "-" for any other list item (a
    list style, or Word's own numbering), "" for running text."""
    name = paragraph.style.name if paragraph.style is not None else ""
    if name.startswith("List Number"):
        return f"{number}."
    properties = paragraph._p.pPr
    if name.startswith("List") or (properties is not None and properties.numPr is not None):
        return "-"
    return ""


def _table(table, number: int) -> list[Block]:
    blocks: list[Block] = []
    for row_number, row in enumerate(table.rows):
        seen = set()  # a merged cell is returned once per grid column it spans
        for column, cell in enumerate(row.cells):
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                blocks.append(Block(text, cell=Cell(number, row_number, column)))
    return blocks


def _headers_and_footers(document) -> list[str]:
    lines: list[str] = []
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
        ):
            if part.is_linked_to_previous and lines:
                continue
            for paragraph in part.paragraphs:
                text = " ".join(paragraph.text.split())
                if text and text not in lines:
                    lines.append(text)
    return lines
