"""OCR of a PDF page without a text layer: pypdfium2 renders it, Debian's tesseract reads it.

tesseract is a program, not a Python package: `apt-get install tesseract-ocr
tesseract-ocr-ara` (docs/bad-input.md). Without it, or without its Arabic data, a page is
not read and the caller names it.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit.ingest.normalize import normalize

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


def ocr_page(pdf: bytes, index: int) -> list[str]:
    """The paragraphs of page `index` (from 0), as tesseract reads them (logical order)."""
    program = tesseract()
    with tempfile.TemporaryDirectory(prefix="toolkit-ocr-") as folder:
        image = Path(folder) / "page.pgm"
        image.write_bytes(_render_pgm(pdf, index))
        try:
            result = subprocess.run(
                [program, str(image), "stdout", "-l", "ara"],
                capture_output=True,
                text=True,
                timeout=OCR_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as error:
            raise OcrUnavailable(f"tesseract took over {OCR_TIMEOUT_S} s") from error
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise OcrUnavailable(f"tesseract: {last}")
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*result.stdout.splitlines(), ""]:
        if normalize(line):
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _render_pgm(pdf: bytes, index: int) -> bytes:
    """The page as a greyscale PGM, which tesseract reads without any imaging library."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[index].render(scale=RENDER_DPI / 72, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        buffer = bytes(bitmap.buffer)
    finally:
        document.close()
    rows = b"".join(buffer[row * stride : row * stride + width] for row in range(height))
    return b"P5\n%d %d\n255\n" % (width, height) + rows
