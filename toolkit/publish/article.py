"""One translated article as JSON (articles/<id>.json), Markdown (<id>.en.md) or plain text."""

import json
from urllib.parse import quote

from toolkit.corpus import ModelRef, encode
from toolkit.corpus.record import glossary_summary
from toolkit.document import Article
from toolkit.ingest import IngestResult
from toolkit.model.store import ModelInfo

SYNTHETIC_NOTICE = "SYNTHETIC MODEL (random weights): this English is meaningless."


def article_link(article: Article) -> str:
    """The relative link to its full translation."""
    return article_path(article.id)


def article_path(article_id: str) -> str:
    """articles/<id>.en.md as a link. Ids come from file names: every ASCII character a
    Markdown link or a URL reads (space, parentheses, backslash, %) is percent-encoded;
    Arabic is left as it is."""
    safe = "".join(
        c if (c.isalnum() or c in "._-~") and not c.isspace() else quote(c, safe="")
        for c in article_id
    )
    return f"articles/{safe}.en.md"


def article_json(article: Article, info: ModelInfo) -> dict:
    """The published record (toolkit.corpus) of an article translated with this model."""
    return encode(article, ModelRef.of(info))


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
    lines += [block + "\n" for block in english_blocks(article)]
    return "\n".join(lines)


def english_blocks(article: Article) -> list[str]:
    """The English paragraphs; a list item keeps its marker and next items join its list."""
    blocks: list[str] = []
    in_list = False
    for paragraph in article.paragraphs:
        text = " ".join(sentence.en for sentence in paragraph)
        marker = paragraph[0].bullet
        if marker and in_list:
            blocks[-1] += f"\n{marker} {text}"
        else:
            blocks.append(f"{marker} {text}" if marker else text)
        in_list = bool(marker)
    return blocks


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
        "articles": [
            {
                "id": article.id,
                "headline": article.headline.ar,
                "paragraphs": [[s.ar for s in paragraph] for paragraph in article.paragraphs],
                "bullets": [paragraph[0].bullet for paragraph in article.paragraphs],
                "dropped": article.dropped,
            }
            for article in result.articles
        ],
    }


def ingest_text(result: IngestResult) -> str:
    lines = [f"{result.source} ({result.encoding}): {len(result.articles)} article(s)"]
    for article in result.articles:
        lines += ["", f"[{article.id}] {article.headline.ar}"]
        for number, paragraph in enumerate(article.paragraphs, 1):
            lines += [f"  ¶{number}"] + [f"    • {sentence.ar}" for sentence in paragraph]
        lines += [f"  dropped: {line}" for line in article.dropped]
    return "\n".join(lines)
