"""One translated article as JSON (articles/<id>.json), Markdown (<id>.en.md) or plain text."""

import json
from dataclasses import asdict, dataclass
from urllib.parse import quote

from toolkit.document import (
    Article,
    Brief,
    Cell,
    Entity,
    Figure,
    Person,
    Place,
    Quote,
    Sentence,
    Source,
    TermCheck,
)
from toolkit.errors import InputError
from toolkit.ingest import IngestResult
from toolkit.model.store import ModelInfo

SYNTHETIC_NOTICE = "SYNTHETIC MODEL (random weights): this English is meaningless."


@dataclass(frozen=True)
class ModelRef:
    """What a published article says about the model that translated it."""

    name: str
    sha256: str
    quantization: str
    synthetic: bool

    @classmethod
    def of(cls, info: ModelInfo) -> "ModelRef":
        return cls(info.name, info.model_sha256, info.quantization, info.synthetic)


def article_link(article: Article) -> str:
    """The relative link to its page (Arabic beside English), from its day folder."""
    return article_path(article.id)


def article_path(article_id: str) -> str:
    """articles/<id>.html, the article page, as a link: the one place every link to an
    article is made (digest, index, feeds, alerts, e-mail). Ids come from file names: every
    ASCII character a Markdown link or a URL reads (space, parentheses, backslash, %) is
    percent-encoded; Arabic is left as it is."""
    safe = "".join(
        c if (c.isalnum() or c in "._-~") and not c.isspace() else quote(c, safe="")
        for c in article_id
    )
    return f"articles/{safe}.html"


def model_json(info: ModelInfo) -> dict:
    return asdict(ModelRef.of(info))


def article_json(article: Article, info: ModelInfo) -> dict:
    return {
        "id": article.id,
        "source": asdict(article.source),
        "headline": {
            key: value
            for key, value in sentence_json(article.headline).items()
            if key not in ("paragraph", "bullet", "heading", "cell")
        },
        "sentences": [sentence_json(sentence) for sentence in article.sentences],
        "brief": asdict(article.brief) if article.brief else None,
        "glossary": glossary_summary(article),
        "model": model_json(info),
        **({"story": article.story} if article.story not in (None, article.id) else {}),
    }


def article_from_json(data: dict, where: str) -> tuple[Article, ModelRef]:
    """Read back an articles/<id>.json (what `toolkit brief` rebuilds the digest from)."""
    from toolkit.publish.records import story_of  # records reads through this module

    try:
        brief = data.get("brief")
        source = Source(**data["source"])
        if not all(
            value is None or isinstance(value, str)
            for key, value in vars(source).items()
            if key != "pages"
        ) or not isinstance(source.pages, int | None):
            raise TypeError("source fields must be strings (pages a number)")
        if not isinstance(data.get("story", ""), str):
            raise TypeError("story must be a string")
        article = Article(
            id=data["id"],
            source=source,
            headline=sentence_from_json(data["headline"], paragraph=-1),
            sentences=[sentence_from_json(s) for s in data["sentences"]],
            brief=Brief(
                bluf=brief["bluf"],
                key_points=list(brief["key_points"]),
                figures=[Figure(**f) for f in brief["figures"]],
                entities=[Entity(**e) for e in brief["entities"]],
                people=[
                    Person(**{**p, "mentions": tuple(p["mentions"])})
                    for p in brief.get("people", [])
                ],
                places=[
                    Place(**{**p, "mentions": tuple(p["mentions"])})
                    for p in brief.get("places", [])
                ],
                quotes=[Quote(**q) for q in brief.get("quotes", [])],
            )
            if brief
            else None,
            story=story_of(data),
        )
        return article, ModelRef(**data["model"])
    except (KeyError, TypeError, AttributeError) as error:
        raise InputError(
            f"{where}: not an article record ({type(error).__name__}: {error})"
        ) from error


def sentence_json(sentence: Sentence) -> dict:
    return {
        "ar": sentence.ar,
        "en": sentence.en,
        "paragraph": sentence.paragraph,
        "bullet": sentence.bullet,
        **({"heading": sentence.heading} if sentence.heading else {}),
        **({"cell": asdict(sentence.cell)} if sentence.cell else {}),
        "score": sentence.score,
        "flags": sentence.flags,
        "terms": [asdict(term) for term in sentence.terms],
    }


def sentence_from_json(data: dict, paragraph: int | None = None) -> Sentence:
    return Sentence(
        ar=data["ar"],
        en=data["en"],
        paragraph=data["paragraph"] if paragraph is None else paragraph,
        bullet=data.get("bullet", ""),
        heading=int(data.get("heading", 0)),
        cell=Cell(**data["cell"]) if data.get("cell") else None,
        score=data.get("score"),
        flags=list(data.get("flags", [])),
        terms=[TermCheck(**term) for term in data.get("terms", [])],
    )


def glossary_summary(article: Article) -> dict:
    terms = [term for sentence in article.all_sentences() for term in sentence.terms]
    return {"matched": len(terms), "respected": sum(term.ok for term in terms)}


def article_flags(article: Article) -> list[str]:
    """Every flag raised on any sentence of the article, once each, in first-seen order."""
    seen: dict[str, None] = {}
    for sentence in article.all_sentences():
        seen.update(dict.fromkeys(sentence.flags))
    return list(seen)


def article_markdown(article: Article, info: ModelInfo) -> str:
    front = {
        "id": article.id,
        "source": article.source.path,
        "sha256": article.source.sha256,
        "headline_ar": article.headline.ar,
        "model": info.name,
        "model_sha256": info.model_sha256,
        "synthetic": info.synthetic,
        "glossary": glossary_summary(article),
        "flags": article_flags(article),
    }
    source = article.source
    front |= {
        k: v
        for k, v in (("outlet", source.outlet), ("url", source.url), ("date", source.date))
        if v
    }
    # JSON scalars are valid YAML, and quoting every string keeps Arabic and colons safe.
    lines = [
        "---",
        *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()),
        "---",
        "",
    ]
    if info.synthetic:
        lines += [f"> **{SYNTHETIC_NOTICE}**", ""]
    if article.headline.ar:  # plain text (--text) has none
        lines += [f"# {article.headline.en}", ""]
    lines += [block + "\n" for block in english_blocks(article, markdown=True)]
    return "\n".join(lines)


def english_blocks(article: Article, markdown: bool = False) -> list[str]:
    """The English paragraphs; a list item keeps its marker and next items join its list.

    A document's section headings become Markdown headings (## at least: # is the headline),
    and each
    of its tables one block: a Markdown table (`markdown`), else one line per row, its cells
    split by " | "."""
    blocks: list[str] = []
    in_list = False
    for paragraphs in _runs_of_tables(article.paragraphs):
        first = paragraphs[0][0]
        if first.cell is not None:
            blocks.append(_table_block(table_rows(paragraphs), markdown))
            in_list = False
            continue
        text = " ".join(sentence.en for sentence in paragraphs[0])
        marker = first.bullet
        if first.heading and markdown:
            blocks.append(f"{'#' * min(6, max(2, first.heading))} {text}")
        elif marker and in_list:
            blocks[-1] += f"\n{marker} {text}"
        else:
            blocks.append(f"{marker} {text}" if marker else text)
        in_list = bool(marker)
    return blocks


def _runs_of_tables(paragraphs: list[list[Sentence]]) -> list[list[list[Sentence]]]:
    """Each paragraph alone, except the cells of one table, which come together."""
    runs: list[list[list[Sentence]]] = []
    for paragraph in paragraphs:
        cell, before = paragraph[0].cell, runs[-1][0][0].cell if runs else None
        if cell is not None and before is not None and cell.table == before.table:
            runs[-1].append(paragraph)
        else:
            runs.append([paragraph])
    return runs


def table_rows(cells: list[list[Sentence]]) -> list[list[str]]:
    """The English of a table's cell paragraphs, row by row, in column order (gaps empty)."""
    rows: dict[int, dict[int, str]] = {}
    for paragraph in cells:
        cell = paragraph[0].cell
        rows.setdefault(cell.row, {})[cell.column] = " ".join(s.en for s in paragraph)
    width = max(column for row in rows.values() for column in row) + 1
    return [[rows[r].get(c, "") for c in range(width)] for r in sorted(rows)]


def _table_block(rows: list[list[str]], markdown: bool) -> str:
    if not markdown:
        return "\n".join(" | ".join(row) for row in rows)
    lines = [
        "| " + " | ".join(" ".join(c.replace("|", "/").split()) for c in row) + " |" for row in rows
    ]
    return "\n".join([lines[0], "|" + " --- |" * len(rows[0]), *lines[1:]])


def article_text(article: Article, info: ModelInfo) -> str:
    lines = [f"[{SYNTHETIC_NOTICE}]", ""] if info.synthetic else []
    if article.headline.ar:
        lines += [article.headline.en, ""]
    lines += [block + "\n" for block in english_blocks(article)]
    return "\n".join(lines)


def ingest_json(result: IngestResult) -> dict:
    return {
        "source": result.source,
        "encoding": result.encoding,
        "articles": [_ingested_article(article) for article in result.articles],
    }


def _ingested_article(article: Article) -> dict:
    """DESIGN.md's keys; a document's (PDF, DOCX) also say which paragraphs are headings
    and which are table cells."""
    firsts = [paragraph[0] for paragraph in article.paragraphs]
    shown = {
        "id": article.id,
        "headline": article.headline.ar,
        "paragraphs": [[s.ar for s in paragraph] for paragraph in article.paragraphs],
        "bullets": [first.bullet for first in firsts],
        "dropped": article.dropped,
    }
    if any(first.heading or first.cell for first in firsts):
        shown["headings"] = [first.heading for first in firsts]
        shown["cells"] = [asdict(first.cell) if first.cell else None for first in firsts]
    return shown


def ingest_text(result: IngestResult) -> str:
    lines = [f"{result.source} ({result.encoding}): {len(result.articles)} article(s)"]
    pages = {article.source.pages for article in result.articles} - {None}
    if pages:
        lines[0] += f", {pages.pop()} page(s)"
    for article in result.articles:
        lines += ["", f"[{article.id}] {article.headline.ar}"]
        for number, paragraph in enumerate(article.paragraphs, 1):
            lines += [f"  ¶{number}"] + [f"    • {sentence.ar}" for sentence in paragraph]
        lines += [f"  dropped: {line}" for line in article.dropped]
    return "\n".join(lines)
