"""Document formats (PDF, DOCX): read from bytes, not decoded as text; one document, one
article, built from the reader's blocks (toolkit.ingest.blocks)."""

from collections.abc import Callable

from toolkit.ingest.blocks import DocumentText
from toolkit.ingest.docx import read_docx
from toolkit.ingest.pdf import read_pdf

DOCUMENT_READERS: dict[str, Callable[[bytes, str], DocumentText]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
}
