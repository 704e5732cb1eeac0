"""OCR of a PDF page without a text layer: pypdfium2 renders it, Debian's tesseract reads it.

tesseract is a program, not a Python package: `apt-get install tesseract-ocr
tesseract-ocr-ara` (docs/bad-input.md). Without it, or without its Arabic data, a page is
not read and the caller names it.
"""

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from toolkit.text import normalize

RENDER_DPI = 300  # tesseract reads Naskh best at 300 dpi
OCR_TIMEOUT_S = 120  # one page


class OcrUnavailable(Exception):
    """Why a page could not be OCR'd (no tesseract, no Arabic data, tesseract failed)."""


def tesseract() -> str:
    """The tesseract program with Arabic data, else OcrUnavailable saying what to install."""
    program = shutil.which("tesseract")
    if program is None:
        raise OcrUnavailable("OCR needs tesseract: apt-get install tesseract-ocr tesseract-ocr-ara")
    languages = subprocess.run(
        [program, "--list-langs"], capture_output=True, text=True, timeout=OCR_TIMEOUT_S
    )
    if "ara" not in languages.stdout.split():
        raise OcrUnavailable("tesseract has no Arabic data: apt-get install tesseract-ocr-ara")
    return program


@dataclass(frozen=True)
class OcrParagraph:
    text: str  # logical order, as tesseract reads it
    top: float  # share of the page height, from the top
    bottom: float


def ocr_page(pdf: bytes, index: int) -> list[OcrParagraph]:
    """The paragraphs of page `index` (from 0), as tesseract finds them, with where they sit
    on the page (so that running headers, footers and page numbers can be told apart)."""
    program = tesseract()
    with tempfile.TemporaryDirectory(prefix="toolkit-ocr-") as folder:
        image = Path(folder) / "page.pgm"
        pgm, height = _render_pgm(pdf, index)
        image.write_bytes(pgm)
        try:
            result = subprocess.run(
                [program, str(image), "stdout", "-l", "ara", "tsv"],
                capture_output=True,
                text=True,
                timeout=OCR_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as error:
            raise OcrUnavailable(f"tesseract took over {OCR_TIMEOUT_S} s") from error
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise OcrUnavailable(f"tesseract: {last}")
    # TSV: level page block paragraph line word left top width height confidence text;
    # level 5 rows are words, in reading order (right to left for Arabic)
    words: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    for line in result.stdout.splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) == 12 and fields[0] == "5" and fields[11].strip():
            top, size = int(fields[7]), int(fields[9])
            words.setdefault((fields[2], fields[3]), []).append((fields[11], top, top + size))
    paragraphs = []
    for found in words.values():
        text = " ".join(word for word, _, _ in found)
        if normalize(text):
            top, bottom = min(w[1] for w in found), max(w[2] for w in found)
            paragraphs.append(OcrParagraph(text, top / height, bottom / height))
    return paragraphs


def _render_pgm(pdf: bytes, index: int) -> tuple[bytes, int]:
    """The page as a greyscale PGM, which tesseract reads without any imaging library."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
        try:
            bitmap = document[index].render(scale=RENDER_DPI / 72, grayscale=True)
            width, height, stride = bitmap.width, bitmap.height, bitmap.stride
            buffer = bytes(bitmap.buffer)
        finally:
            document.close()
    except pypdfium2.PdfiumError as error:
        raise OcrUnavailable(f"the page could not be rendered ({error})") from error
    rows = b"".join(buffer[row * stride : row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + rows, height
