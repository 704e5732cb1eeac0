"""Translated articles as a Word document (`toolkit translate FILE -o OUT.docx`).

The English keeps the source's structure: the headline as a level-1 heading, the section
headings at their levels, paragraphs and list items, tables cell for cell. Left to right,
English language; a synthetic model's output says so at the top.
"""

import io

from toolkit.document import Article
from toolkit.model.store import ModelInfo
from toolkit.publish.article import SYNTHETIC_NOTICE, table_rows


def articles_docx(articles: list[Article], info: ModelInfo) -> bytes:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.core_properties.language = "en-US"
    document.core_properties.title = articles[0].headline.en if articles else ""
    if info.synthetic:
        document.add_paragraph().add_run(SYNTHETIC_NOTICE).bold = True
    for number, article in enumerate(articles):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if article.headline.ar:
            document.add_heading(article.headline.en, level=1)
        _body(document, article)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _body(document, article: Article) -> None:
    paragraphs = article.paragraphs
    index = 0
    while index < len(paragraphs):
        first = paragraphs[index][0]
        if first.cell is not None:
            end = index
            while end < len(paragraphs) and _same_table(paragraphs[end][0].cell, first.cell):
                end += 1
            rows = table_rows(paragraphs[index:end])
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for row, texts in zip(table.rows, rows, strict=True):
                for cell, text in zip(row.cells, texts, strict=True):
                    cell.text = text
            index = end
            continue
        text = " ".join(sentence.en for sentence in paragraphs[index])
        if first.heading:
            document.add_heading(text, level=min(9, first.heading))
        elif first.bullet:
            style = "List Bullet" if first.bullet in "-*+•" else "List Number"
            document.add_paragraph(text, style=style)
        else:
            document.add_paragraph(text)
        index += 1


def _same_table(cell, first) -> bool:
    return cell is not None and cell.table == first.table
