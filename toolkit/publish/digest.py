"""The day's briefing as Markdown: overview, one section per article, entity index, quality."""

import re
from collections import defaultdict

from toolkit.document import Article
from toolkit.publish.article import ModelRef, article_flags, article_link

MARKDOWN_SPECIAL = "\\`*_[]<>|#!~"
SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")  # shown as a CommonMark autolink
TOP_ENTITIES = 3
OVERVIEW_HEADLINE_CHARS = 120
QUALITY_EXAMPLES = 10
SYNTHETIC_BANNER = (
    "> ⚠️ **SYNTHETIC MODEL — this English is meaningless.** The translations below come from "
    "a random-weight test model (`toolkit model synth`), not from opus-mt-ar-en."
)


def escape(text: str) -> str:
    """Article text is data: no Markdown (or HTML) it contains may take effect."""
    text = " ".join(text.split())
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in text)


def shorten(text: str, limit: int = OVERVIEW_HEADLINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def digest_title(date: str) -> str:
    return f"Arabic press briefing — {date}"


def digest_markdown(
    records: list[tuple[Article, ModelRef]], date: str, alerts: list[str] = ()
) -> str:
    """`alerts`: the Markdown section the briefing opens with (toolkit.alerts)."""
    lines = [f"# {digest_title(date)}", ""]
    if not records:
        return "\n".join(
            lines + ["Nothing new today: no articles were published for this date.", ""]
        )
    if any(model.synthetic for _, model in records):
        lines += [SYNTHETIC_BANNER, ""]
    lines += alerts
    terms = [t for article, _ in records for s in article.all_sentences() for t in s.terms]
    lines += [
        f"{len(records)} article(s) · glossary terms respected: "
        f"{sum(t.ok for t in terms)}/{len(terms)}",
        "",
        "## Overview",
        "",
        "| # | Headline | Top entities | Flags |",
        "|---|---|---|---|",
    ]
    for number, (article, _) in enumerate(records, 1):
        entities = ", ".join(
            escape(e.english)
            for e in (article.brief.entities if article.brief else [])[:TOP_ENTITIES]
        )
        flags = ", ".join(article_flags(article)) or "—"
        headline = f"[{escape(shorten(article.headline.en))}](#article-{number})"
        lines.append(f"| {number} | {headline} | {entities or '—'} | {flags} |")
    for number, (article, _) in enumerate(records, 1):
        lines += ["", *article_section(number, article)]
    lines += [
        "",
        *entity_index(records),
        "",
        *quality_section(records),
        "",
        *model_section(records),
    ]
    return "\n".join(lines) + "\n"


def article_section(number: int, article: Article) -> list[str]:
    brief = article.brief
    lines = [
        f"## {number}. {escape(article.headline.en)}",
        "",
        f"*Arabic headline:* {escape(article.headline.ar)}",
        "",
    ]
    if brief is None:
        return lines + ["*(no brief: rebuild with `toolkit batch`)*"]
    lines += [f"**Bottom line:** {escape(brief.bluf)}", ""]
    if brief.key_points:
        lines += ["**Key points**", "", *(f"- {escape(point)}" for point in brief.key_points), ""]
    if brief.figures:
        lines += ["**Figures**", "", "| Figure | Context | Arabic |", "|---|---|---|"]
        lines += [
            f"| {escape(f.value)} | {escape(f.context)} | {escape(f.arabic)} |"
            for f in brief.figures
        ]
        lines.append("")
    if brief.entities:
        lines += [
            "**Entities:** "
            + " · ".join(f"{escape(e.english)} ({e.kind}) ×{e.count}" for e in brief.entities),
            "",
        ]
    lines.append(f"Source: {source_line(article)} · [full translation]({article_link(article)})")
    return lines


def source_line(article: Article) -> str:
    """The outlet, the link to the original (else the input file) and the publication date."""
    source = article.source
    url = source.url or ""
    link = f"<{url}>" if SAFE_URL.fullmatch(url) else escape(url or source.path)
    return " · ".join(
        x for x in (escape(source.outlet or ""), link, escape(source.date or "")) if x
    )


def entity_index(records: list[tuple[Article, ModelRef]]) -> list[str]:
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, (article, _) in enumerate(records, 1):
        for entity in article.brief.entities if article.brief else []:
            index[(entity.english, entity.kind)].append(number)
    lines = ["## Entity index", ""]
    if not index:
        return lines + ["No glossary entities today."]
    lines += ["| Entity | Kind | Articles |", "|---|---|---|"]
    for (english, kind), numbers in sorted(index.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        links = ", ".join(f"[{n}](#article-{n})" for n in numbers)
        lines.append(f"| {escape(english)} | {kind} | {links} |")
    return lines


def quality_section(records: list[tuple[Article, ModelRef]]) -> list[str]:
    lines = ["## Quality", ""]
    misses = [
        (article.id, sentence, term)
        for article, _ in records
        for sentence in article.all_sentences()
        for term in sentence.terms
        if not term.ok
    ]
    counts = flag_counts(records)
    total = sum(len(article.all_sentences()) for article, _ in records)
    flagged = sum(bool(s.flags) for article, _ in records for s in article.all_sentences())
    lines.append(
        f"Flagged sentences: {flagged}/{total}"
        + (
            " (" + ", ".join(f"{flag} {n}" for flag, n in sorted(counts.items())) + ")"
            if counts
            else ""
        )
    )
    lines.append("")
    if misses:
        lines += [f"Glossary misses ({len(misses)}): the English name did not come out.", ""]
        for article_id, sentence, term in misses[:QUALITY_EXAMPLES]:
            missing = f"{escape(term.arabic)} → **{escape(term.english)}**"
            lines.append(f"- `{article_id}`: {missing} missing in “{escape(sentence.en[:120])}”")
        if len(misses) > QUALITY_EXAMPLES:
            lines.append(f"- … and {len(misses) - QUALITY_EXAMPLES} more (see articles/*.json)")
    else:
        lines.append("Glossary misses: none.")
    return lines


def flag_counts(records: list[tuple[Article, ModelRef]]) -> dict[str, int]:
    """How many sentences carry each flag."""
    counts: dict[str, int] = defaultdict(int)
    for article, _ in records:
        for sentence in article.all_sentences():
            for flag in sentence.flags:
                counts[flag] += 1
    return dict(counts)


def entity_counts(records: list[tuple[Article, ModelRef]]) -> list[tuple[str, int]]:
    """Glossary entities over all the articles, most mentioned first."""
    counts: dict[str, int] = defaultdict(int)
    for article, _ in records:
        for entity in article.brief.entities if article.brief else []:
            counts[entity.english] += entity.count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def model_section(records: list[tuple[Article, ModelRef]]) -> list[str]:
    models = sorted({model for _, model in records}, key=lambda m: m.name)
    lines = ["## Model", ""]
    for model in models:
        kind = "**SYNTHETIC (random weights)**" if model.synthetic else "real"
        lines.append(
            f"- {escape(model.name)} ({model.quantization}, sha256 `{model.sha256[:16]}`): {kind}"
        )
    return lines
