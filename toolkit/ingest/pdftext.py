"""pdfminer.six's page layout, with the marked-content text that it leaves out.

A glyph that its font cannot name (Chromium's shadda+fatha ligature maps to U+0000) may
carry its text in a `/Span <</ActualText …>>` marked-content sequence, which pdfminer.six
does not read. Here such a glyph takes the span's text less what the span's named glyphs
give (نَّ less ن: the marks), and further unnamed glyphs of the span nothing. Inside a
`/ReversedChars` sequence (a run stored in visual order) that text is reversed, so that it
is reordered with the rest of its line. Glyphs the font names keep their character (their
brackets as drawn, like everywhere else in the line).
"""

import io
from collections.abc import Iterator

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

LAYOUT = LAParams(char_margin=1.5)  # pieces of a row further apart are kept apart (cells)


class _ActualTextAggregator(PDFPageAggregator):
    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources, laparams=LAYOUT)
        # each open marked-content sequence: its ActualText (or None), whether it is a
        # /ReversedChars run, and the glyphs drawn inside it
        self.sequences: list[tuple[str | None, bool, list[LTChar]]] = []

    def begin_tag(self, tag: PSLiteral, props=None) -> None:
        text = None
        if isinstance(props, dict) and "ActualText" in props:
            value = resolve1(props["ActualText"])
            if isinstance(value, bytes):
                text = _pdf_text(value)
        self.sequences.append((text, tag.name == "ReversedChars", []))

    def end_tag(self) -> None:
        if not self.sequences:
            return
        text, _, glyphs = self.sequences.pop()
        unnamed = [glyph for glyph in glyphs if not _named(glyph.get_text())]
        if text is None or not unnamed:
            return
        rest = list(text)  # what the named glyphs of the span do not already give
        for glyph in glyphs:
            for char in glyph.get_text() if glyph not in unnamed else "":
                if char in rest:
                    rest.remove(char)
        reversed_run = any(run for _, run, _ in self.sequences)
        unnamed[0]._text = "".join(reversed(rest) if reversed_run else rest)
        for glyph in unnamed[1:]:
            glyph._text = ""

    def render_char(self, *args, **kwargs) -> float:
        advance = super().render_char(*args, **kwargs)
        char = self.cur_item._objs[-1]
        if self.sequences and isinstance(char, LTChar):
            self.sequences[-1][2].append(char)
        return advance


def _named(text: str) -> bool:
    """Whether the font's map gave the glyph a character (not U+0000, not "(cid:12)")."""
    return bool(text) and text.isprintable() and not text.startswith("(cid:")


def _pdf_text(value: bytes) -> str:
    """A PDF text string: UTF-16 with its BOM, else PDFDocEncoding (Latin-1 near enough)."""
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        return value.decode("utf-16", errors="replace")
    return value.decode("latin-1")


def layout_pages(data: bytes) -> Iterator[LTPage]:
    resources = PDFResourceManager()
    device = _ActualTextAggregator(resources)
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
        yield device.get_result()
