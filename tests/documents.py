"""A test set of Arabic documents, built at test time: a report printed to PDF by headless
Chromium (running header, footer and page numbers, a table with Western and Eastern digits),
the same report as a DOCX (headings, runs split mid-word, a table, header and footer), and a
scan (the printed page as an image, in a PDF without a text layer).

The report is fiction, written for these tests. `EXPECTED` holds its sentences in logical
order; `recall` measures what a reader got back against them.
"""

from dataclasses import dataclass
from html import escape
from pathlib import Path

from test_browser import chromium

from toolkit.ingest.sentences import split_sentences
from toolkit.text.arabic import normalize

# Chromium prints without its own header and footer (date, title, URL, page number)
NO_BROWSER_FURNITURE = "--no-pdf-header-footer"

TITLE = "تقرير: شبكات التمويل الرقمي للجماعات المتطرفة"
RUNNING_HEADER = "مركز الرصد الإقليمي — تقرير خاص"
RUNNING_FOOTER = "سري: للاستخدام الداخلي فقط"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


PAGES: list[list[Section]] = [
    [
        Section(
            "مقدمة",
            [
                "رصد المركز خلال عام 2025 تحولاً واضحاً في أساليب تمويل الجماعات المتطرفة. "
                "فقد انتقلت هذه الجماعات من الحوالات التقليدية "
                "إلى المحافظ الرقمية والعملات المشفرة.",
                "وقال مدير المركز إنَّ «الرقابة على المنصات لا تكفي وحدها» في مؤتمر صحفي عقده "
                "في مدينة الواحة. وأضاف أن التعاون بين المصارف والشركات التقنية أصبح ضرورة.",
                "ويعتمد هذا التقرير على بيانات جمعها فريق من عشرة باحثين (بين يناير وأكتوبر) "
                "من مصادر مفتوحة. ولا يتضمن التقرير أي معلومات شخصية عن المستخدمين.",
            ],
        ),
    ],
    [
        Section(
            "أساليب التجنيد عبر الإنترنت",
            [
                "تستخدم الجماعات قنوات مغلقة على تطبيقات المراسلة لاستقطاب الشباب. "
                "وتنشر هذه القنوات مقاطع دعائية قصيرة بلغات متعددة.",
                "ولاحظ الباحثون أن الحسابات المحذوفة تعود بأسماء جديدة خلال ساعات. "
                "وبلغ متوسط عمر الحساب الجديد ٣ أيام قبل حذفه مرة أخرى.",
            ],
        ),
        Section(
            "أرقام رئيسية",
            [
                "يعرض الجدول التالي عدد الحسابات التي حذفتها كل منصة ونسبتها من المجموع.",
            ],
        ),
    ],
    [
        Section(
            "التوصيات",
            [
                "يوصي التقرير بإنشاء وحدة مشتركة لتبادل المعلومات بين الدول الأعضاء. "
                "كما يدعو إلى تدريب موظفي المصارف على كشف التحويلات المشبوهة.",
                "ويرى المركز أن مكافحة التطرف الإلكتروني تتطلب شراكة طويلة الأمد "
                "مع المجتمع المدني. "
                "وسيصدر التقرير القادم في شهر مارس من العام المقبل.",
            ],
        ),
    ],
]
TABLE_AFTER = "أرقام رئيسية"  # the table follows this section's text
TABLE = [
    ["المنصة", "الحسابات المحذوفة", "النسبة"],
    ["تلغرام", "12,450", "48%"],
    ["فيسبوك", "٧٣٠٠", "٢٨٪"],
    ["يوتيوب", "3,150", "12%"],
]
TABLE_FIGURES = ["12,450", "48%", "٧٣٠٠", "٢٨٪", "3,150", "12%"]
LIST_ITEMS = [  # the DOCX's recommendations end with a bulleted list
    "تجميد الحسابات المرتبطة بالشبكات المذكورة.",
    "مراجعة قواعد التحقق من هوية العملاء.",
]


def body_paragraphs() -> list[str]:
    return [p for page in PAGES for section in page for p in section.paragraphs]


def expected_sentences() -> list[str]:
    """The body's sentences in logical order, normalized as ingest normalizes them."""
    return [normalize(s) for p in body_paragraphs() for s in split_sentences(p)]


def recall(expected: list[str], got: list[str]) -> float:
    """The share of expected sentences found, in order (longest common subsequence)."""
    previous = [0] * (len(got) + 1)
    for sentence in expected:
        current = [0]
        for j, other in enumerate(got, 1):
            current.append(
                previous[j - 1] + 1 if sentence == other else max(previous[j], current[j - 1])
            )
        previous = current
    return previous[-1] / len(expected)


def report_html(table_digits_font: str = "") -> str:
    pages = []
    total = len(PAGES)
    for number, page in enumerate(PAGES, 1):
        parts = [f'<div class="header">{escape(RUNNING_HEADER)}</div>']
        if number == 1:
            parts.append(f"<h1>{escape(TITLE)}</h1>")
        for section in page:
            parts.append(f"<h2>{escape(section.heading)}</h2>")
            parts += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
            if section.heading == TABLE_AFTER:
                rows = "".join(
                    "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                    for row in TABLE
                )
                parts.append(f"<table>{rows}</table>")
        parts.append(f'<div class="footer">{escape(RUNNING_FOOTER)}</div>')
        parts.append(f'<div class="number">- {number} -</div>')
        last = number == total
        pages.append(f'<section class="page{" last" if last else ""}">{"".join(parts)}</section>')
    return f"""<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{escape(TITLE)}</title>
<style>
@page {{ size: A4; margin: 0; }}
body {{ margin: 0; font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", serif;
        font-size: 15px; line-height: 1.7; }}
.page {{ height: 297mm; box-sizing: border-box; padding: 14mm 20mm; position: relative;
         page-break-after: always; overflow: hidden; }}
.page.last {{ page-break-after: auto; }}
.header {{ font-size: 11px; text-align: center; border-bottom: 1px solid #999;
           margin-bottom: 10mm; }}
.footer {{ position: absolute; bottom: 16mm; left: 20mm; right: 20mm; font-size: 11px;
           text-align: center; }}
.number {{ position: absolute; bottom: 9mm; left: 0; right: 0; text-align: center;
           font-size: 11px; }}
h1 {{ font-size: 26px; }} h2 {{ font-size: 20px; }}
table {{ border-collapse: collapse; margin: 6mm 0; }}
td {{ border: 1px solid #444; padding: 4px 24px; }}
</style></head><body>{"".join(pages)}</body></html>
"""


def print_pdf(html: str, folder: Path, name: str = "report") -> Path:
    """The page printed to PDF by headless Chromium."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    chromium(folder, NO_BROWSER_FURNITURE, f"--print-to-pdf={pdf}", page.as_uri())
    return pdf


def report_docx(path: Path) -> Path:
    """The report as Word writes it: heading styles, runs split mid-word, a table, header and
    footer."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = RUNNING_HEADER
    section.footer.paragraphs[0].text = RUNNING_FOOTER
    document.add_heading(TITLE, level=1)
    for page in PAGES:
        for part in page:
            document.add_heading(part.heading, level=2)
            for text in part.paragraphs:
                paragraph = document.add_paragraph()
                # an editor's runs: cut mid-word, one of them bold
                cuts = [0, len(text) // 3 + 1, 2 * len(text) // 3 - 1, len(text)]
                for number, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
                    run = paragraph.add_run(text[start:end])
                    run.bold = number == 1
            if part is PAGES[-1][-1]:
                for item in LIST_ITEMS:
                    document.add_paragraph(item, style="List Bullet")
            if part.heading == TABLE_AFTER:
                table = document.add_table(rows=len(TABLE), cols=len(TABLE[0]))
                for row, cells in zip(table.rows, TABLE, strict=True):
                    for cell, text in zip(row.cells, cells, strict=True):
                        cell.text = text
    document.save(path)
    return path


def scan_pdf(folder: Path) -> Path:
    """A scan: the report's first page as a picture (a 3× screenshot) in a PDF without text."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "page.html"
    page.write_text(report_html(), encoding="utf-8")
    shot = folder / "page.png"
    chromium(
        folder,
        "--window-size=794,1123",
        "--force-device-scale-factor=3",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    holder = folder / "scan.html"
    holder.write_text(
        "<!doctype html><style>@page { size: A4; margin: 0 } body { margin: 0 }"
        f'</style><img src="{shot.name}" style="width: 210mm; height: 297mm; display: block">',
        encoding="utf-8",
    )
    scan = folder / "scan.pdf"
    chromium(folder, NO_BROWSER_FURNITURE, f"--print-to-pdf={scan}", holder.as_uri())
    return scan


def scan_sentences() -> list[str]:
    """What the scan shows of the body: the first page's sentences."""
    return [
        normalize(s) for section in PAGES[0] for p in section.paragraphs for s in split_sentences(p)
    ]


def text_and_scan_pdf(folder: Path) -> Path:
    """Two pages: the report's first page as text, then its picture (no text layer); after
    scan_pdf, whose screenshot it reuses."""
    holder = folder / "mixed.html"
    first = report_html().split('<section class="page">', 2)[1].split("</section>", 1)[0]
    head = report_html().split("<body>", 1)[0]
    holder.write_text(
        f'{head}<body><section class="page">{first}</section>'
        '<img src="page.png" style="width: 210mm; height: 297mm; display: block"></body></html>',
        encoding="utf-8",
    )
    mixed = folder / "mixed.pdf"
    chromium(folder, NO_BROWSER_FURNITURE, f"--print-to-pdf={mixed}", holder.as_uri())
    return mixed
