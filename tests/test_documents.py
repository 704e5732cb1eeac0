"""PDF and DOCX articles (issue 29), on documents built here: a report printed by headless
Chromium, the same report as Word writes it, and a scan of its first page (tests/documents.py).

Recall is measured on sentences in logical order (the OCR's with harakat folded).
"""

import json
import re
import shutil
import subprocess

import pytest
from conftest import invoke
from documents import (
    LIST_ITEMS,
    PAGES,
    RUNNING_FOOTER,
    RUNNING_HEADER,
    TABLE,
    TABLE_FIGURES,
    TITLE,
    expected_sentences,
    print_pdf,
    recall,
    report_docx,
    report_html,
    scan_pdf,
    scan_sentences,
)
from test_browser import CHROMIUM
from test_nightly import nightly

from toolkit.corpus import decode as article_from_json
from toolkit.ingest import ingest_file
from toolkit.ingest.pdf import logical_line, reads_backwards
from toolkit.publish.digest import source_line
from toolkit.text.arabic import normalize

HARAKAT = re.compile(r"[\u064b-\u065f\u0670]")


def arabic_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=ar"], capture_output=True, text=True)
    return bool(found.stdout.strip())


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or not arabic_font(),
    reason="Debian's chromium (and a font with Arabic) is not installed",
)
TESSERACT = shutil.which("tesseract")


def folded(sentences: list[str]) -> list[str]:
    return [HARAKAT.sub("", sentence) for sentence in sentences]


def headings() -> list[str]:
    return [normalize(section.heading) for page in PAGES for section in page]


def body(article) -> list[str]:
    return [s.ar for s in article.sentences if not s.heading and s.cell is None]


def table(article) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for sentence in article.sentences:
        if sentence.cell is not None:
            rows.setdefault(sentence.cell.row, {})[sentence.cell.column] = sentence.ar
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    return print_pdf(report_html(), tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def memo_docx(tmp_path_factory):
    return report_docx(tmp_path_factory.mktemp("docx") / "memo.docx")


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed")
    return scan_pdf(tmp_path_factory.mktemp("scan"))


def check_structure(article) -> None:
    """What both formats must give: headline, headings, table, no running header or footer."""
    assert article.headline.ar == normalize(TITLE)
    assert [s.ar for s in article.sentences if s.heading] == headings()
    assert {s.heading for s in article.sentences if s.heading} == {2}
    assert table(article) == [[normalize(cell) for cell in row] for row in TABLE]
    figures = [s.ar for s in article.sentences if s.cell is not None]
    assert all(normalize(figure) in figures for figure in TABLE_FIGURES)
    text = " ".join(s.ar for s in article.sentences)
    assert normalize(RUNNING_HEADER) not in text and normalize(RUNNING_FOOTER) not in text
    assert normalize(RUNNING_HEADER) in map(normalize, article.dropped)


@needs_chromium
def test_pdf_recall_order_headings_table_and_furniture(report_pdf):
    result = ingest_file(str(report_pdf))
    (article,) = result.articles
    assert result.encoding == "pdf" and article.source.pages == len(PAGES)
    check_structure(article)
    # exact, harakat included: Chromium's shadda+fatha glyph maps to U+0000 in the font and
    # is read from the PDF's /ActualText (toolkit.ingest.pdftext)
    assert recall(expected_sentences(), body(article)) >= 0.98
    assert "- 2 -" in article.dropped  # a page number
    assert not any(re.fullmatch(r"[-\s\d]+", s.ar) for s in article.sentences if not s.cell)


def test_docx_recall_headings_split_runs_table_header_footer(memo_docx):
    result = ingest_file(str(memo_docx))
    (article,) = result.articles
    assert result.encoding == "docx"
    check_structure(article)
    assert recall(expected_sentences(), body(article)) == 1.0  # runs cut mid-word are joined
    items = [s.ar for s in article.sentences if s.bullet]
    assert items == [normalize(item) for item in LIST_ITEMS]
    assert article.dropped == [RUNNING_HEADER, RUNNING_FOOTER]


@needs_chromium
def test_a_line_in_logical_order_is_not_reversed_again(report_pdf):
    from pdfminer.high_level import extract_text

    raw = [line for line in extract_text(report_pdf).splitlines() if len(line) > 30]
    visual = next(line for line in raw if not set(line) & set("()«»"))
    assert reads_backwards(visual)
    logical = logical_line(visual)
    assert not reads_backwards(logical)
    assert logical_line(logical) == logical
    # the same line with its presentation forms kept, in logical order (another producer)
    from bidi import get_display

    shaped_logical = get_display(visual, base_dir="R")
    assert not reads_backwards(shaped_logical)
    assert logical_line(shaped_logical) == logical


@pytest.mark.skipif(TESSERACT is None, reason="tesseract-ocr is not installed")
def test_a_scan_is_read_by_ocr_and_flagged(scan):
    result = ingest_file(str(scan))
    (article,) = result.articles
    assert result.problems == []
    assert all("ocr" in s.flags for s in article.sentences)
    got = [s.ar for s in article.sentences]
    score = recall(folded(scan_sentences()), folded(got))
    assert score >= 0.6, (score, got)  # 0.83 with tesseract 5.3: it drops the last line
    assert "1" in [normalize(line) for line in article.dropped]  # the page number


@needs_chromium
def test_a_scan_without_tesseract_is_named_in_one_line(scan, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    result = invoke("ingest", scan, env={"PATH": str(empty)})
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert scan.name in lines[0] and "page 1" in lines[0] and "tesseract" in lines[0]
    assert "Traceback" not in result.output


def test_a_broken_pdf_or_docx_is_one_line(tmp_path):
    for name in ("broken.pdf", "broken.docx"):
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.7\n\x00\x01garbage" if name.endswith("pdf") else b"PK\x03\x04x")
        result = invoke("ingest", path)
        assert result.exit_code == 1 or result.exit_code == 2, result.output
        assert name in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1


def test_ingest_json_shows_headings_and_cells(memo_docx):
    result = invoke("ingest", memo_docx, "--json")
    assert result.exit_code == 0, result.output
    (article,) = json.loads(result.stdout)["articles"]
    assert article["headings"].count(2) == len(headings())
    cells = [c for c in article["cells"] if c]
    assert len(cells) == len(TABLE) * len(TABLE[0])
    assert {c["column"] for c in cells} == {0, 1, 2}


def test_translate_docx_to_docx_keeps_headings_and_table(tiny_model, memo_docx, tmp_path):
    import docx

    out = tmp_path / "memo.en.docx"
    result = invoke("translate", memo_docx, "-o", out, "--model", tiny_model, "--beam", "1")
    assert result.exit_code == 0, result.output
    english = docx.Document(str(out))
    styles = [p.style.name for p in english.paragraphs if p.text.strip()]
    assert styles.count("Heading 1") == 1  # the headline
    assert styles.count("Heading 2") == len(headings())
    assert styles.count("Normal") >= len([p for page in PAGES for s in page for p in s.paragraphs])
    (tab,) = english.tables
    assert len(tab.rows) == len(TABLE) and len(tab.columns) == len(TABLE[0])
    assert all(cell.text.strip() for row in tab.rows for cell in row.cells)
    source = docx.Document(str(memo_docx))
    assert [p.style.name for p in source.paragraphs if p.style.name.startswith("Heading")][1:] == [
        s for s in styles if s.startswith("Heading")
    ][1:]


def test_translate_docx_to_markdown_has_headings_and_a_table(tiny_model, memo_docx, tmp_path):
    out = tmp_path / "memo.en.md"
    result = invoke("translate", memo_docx, "-o", out, "--model", tiny_model, "--beam", "1")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert len(re.findall(r"^## ", text, re.M)) == len(headings())
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == len(TABLE) + 1 and rows[1] == "|" + " --- |" * len(TABLE[0])


def test_to_docx_needs_an_output_file(tiny_model, memo_docx):
    result = invoke("translate", memo_docx, "--to", "docx", "--model", tiny_model)
    assert result.exit_code == 2 and "-o" in result.output


@needs_chromium
def test_nightly_publishes_a_pdf_and_a_docx_from_the_inbox(
    tiny_model, report_pdf, memo_docx, tmp_path
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(report_pdf, inbox / "report.pdf")
    shutil.copy(memo_docx, inbox / "memo.docx")
    outputs = tmp_path / "outputs"
    result = nightly(inbox, outputs, tiny_model)
    assert result.exit_code == 0, result.output
    day = outputs / "2026-11-23"
    for name in ("report-1", "memo-1"):
        record = json.loads((day / "articles" / f"{name}.json").read_text(encoding="utf-8"))
        assert record["headline"]["ar"] == normalize(TITLE)
        assert sum(1 for s in record["sentences"] if s.get("heading")) == len(headings())
        assert sum(1 for s in record["sentences"] if s.get("cell")) == len(TABLE) * 3
    pdf = json.loads((day / "articles" / "report-1.json").read_text(encoding="utf-8"))
    assert pdf["source"]["pages"] == len(PAGES)
    digest = (day / "digest.md").read_text(encoding="utf-8")
    assert "2 report(s): memo.docx, report.pdf" in digest  # one story: the same report
    article, _ = article_from_json(pdf, "report-1.json")
    assert source_line(article).endswith(f"report.pdf ({len(PAGES)} pages)")
    manifest = json.loads((day / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(record["status"] for record in manifest["files"]) == ["new", "new"]


# Lines as pdfminer.six reads them from the Chromium-printed report: visual order,
# presentation forms (so these run without Chromium).
VISUAL_BRACKETS = (
    "يأ ﺮﻳﺮﻘﺘﻟا ﻦﻤﻀﺘﻳ الو .ﺔﺣﻮﺘﻔﻣ ردﺎﺼﻣ ﻦﻣ (ﺮﺑﻮﺘﻛأو ﺮﻳﺎﻨﻳ ﻦﻴﺑ) ﻦﻴﺜﺣﺎﺑ ةﺮﺸﻋ ﻦﻣ ﻖﻳﺮﻓ ﺎﻬﻌﻤﺟ "
    "تﺎﻧﺎﻴﺑ ﻰﻠﻋ ﺮﻳﺮﻘﺘﻟا اﺬﻫ ﺪﻤﺘﻌﻳو"
)
VISUAL_HARAKAT = "ﺐﻴﻟﺎﺳأ ﻲﻓ ًﺎﺤﺿاو ًالﻮﺤﺗ 2025 مﺎﻋ"
VISUAL_PERCENT = "٪٢٨"


def test_visual_lines_are_reordered_then_folded():
    assert logical_line(VISUAL_BRACKETS) == (
        "ويعتمد هذا التقرير على بيانات جمعها فريق من عشرة باحثين (بين يناير وأكتوبر) "
        "من مصادر مفتوحة. ولا يتضمن التقرير أي"
    )  # لا whole, brackets the right way round
    assert logical_line(VISUAL_HARAKAT) == "عام 2025 تحولاً واضحاً في أساليب"
    assert logical_line(VISUAL_PERCENT, visual_document=True) == "٢٨٪"
    assert logical_line(VISUAL_PERCENT) == VISUAL_PERCENT  # no evidence: left alone


def test_the_reversal_check_reads_plain_letters_too():
    assert reads_backwards("ةسردملا ىلإ بهذ")  # ة opening a word, ال closing one
    assert not reads_backwards("ذهب إلى المدرسة")
    assert logical_line("ذهب إلى المدرسة") == "ذهب إلى المدرسة"
    assert not reads_backwards("Report 2025")


@needs_chromium
def test_a_scanned_page_without_tesseract_leaves_the_text_pages_published(scan, tmp_path):
    from documents import text_and_scan_pdf

    mixed = text_and_scan_pdf(scan.parent)
    empty = tmp_path / "bin"
    empty.mkdir()
    result = invoke("ingest", mixed, "--json", env={"PATH": str(empty)})
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert "mixed.pdf: page 2: no text layer" in line and "apt-get install" in line
    (article,) = json.loads(result.stdout)["articles"]
    sentences = [s for paragraph in article["paragraphs"] for s in paragraph]
    assert recall(folded(scan_sentences()), folded(sentences)) >= 0.98
