"""The day's briefing as Markdown: names in the news, overview, one section per story,
entity index, quality.

A story is the day's reports of one event (articles/*.json `story`, set by the stories
stage); its section is the brief of its fullest report, the outlets that carried it and
links to the other versions, today's and earlier ones. A story that began on an earlier
day is *developing*.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from toolkit.document import Article
from toolkit.publish.article import ModelRef, article_flags, article_link, article_path
from toolkit.publish.records import outlet_name

MARKDOWN_SPECIAL = "\\`*_[]<>|#!~"
SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")  # shown as a CommonMark autolink
TOP_ENTITIES = 3
OVERVIEW_HEADLINE_CHARS = 120
QUALITY_EXAMPLES = 10
SYNTHETIC_BANNER = (
    "> ⚠️ **SYNTHETIC MODEL — this English is meaningless.** The translations below come from "
    "a random-weight test model (`toolkit model synth`), not from a trained one."
)


def escape(text: str) -> str:
    """Article text is data: no Markdown (or HTML) it contains may take effect."""
    text = " ".join(text.split())
    return "".join(f"\\{c}" if c in MARKDOWN_SPECIAL else c for c in text)


def shorten(text: str, limit: int = OVERVIEW_HEADLINE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def digest_title(date: str) -> str:
    return f"Arabic press briefing — {date}"


@dataclass
class DayStory:
    """A story's reports of the day, and those of earlier days (toolkit.stories.Report)."""

    id: str
    records: list[tuple[Article, ModelRef]]
    earlier: list = field(default_factory=list)

    @property
    def best(self) -> Article:
        """The fullest of the day's reports, the first of equals."""
        return max(self.records, key=lambda record: len(record[0].sentences))[0]

    @property
    def developing(self) -> bool:
        return bool(self.earlier)

    def first_seen(self, date: str) -> str:
        return min([date, *(report.day for report in self.earlier)])

    def outlets(self) -> list[str]:
        names = [report.outlet for report in self.earlier]
        names += [outlet_of(article) for article, _ in self.records]
        return list(dict.fromkeys(name for name in names if name))


def outlet_of(article: Article) -> str:
    source = article.source
    return outlet_name(source.outlet, source.url, source.path)


def day_stories(records: list[tuple[Article, ModelRef]], earlier: dict | None = None) -> list:
    """The day's stories, most reports of the day first, then in the order of their first
    record (the archive numbers them the same way)."""
    grouped: dict[str, list[tuple[Article, ModelRef]]] = {}
    for record in records:
        grouped.setdefault(record[0].story or record[0].id, []).append(record)
    stories = [DayStory(key, group, (earlier or {}).get(key, [])) for key, group in grouped.items()]
    return sorted(stories, key=lambda story: -len(story.records))


def digest_markdown(
    records: list[tuple[Article, ModelRef]],
    date: str,
    alerts: list[str] = (),
    earlier: dict | None = None,
    trends: list | None = None,
) -> str:
    """`alerts`: the Markdown section the briefing opens with (toolkit.alerts); `earlier`:
    story id → its reports of earlier days; `trends`: toolkit.stories Trends."""
    lines = [f"# {digest_title(date)}", ""]
    if not records:
        return "\n".join(
            lines + ["Nothing new today: no articles were published for this date.", ""]
        )
    if any(model.synthetic for _, model in records):
        lines += [SYNTHETIC_BANNER, ""]
    lines += alerts
    stories = day_stories(records, earlier)
    terms = [t for article, _ in records for s in article.all_sentences() for t in s.terms]
    lines += [
        f"{len(records)} article(s) in {len(stories)} stories · glossary terms respected: "
        f"{sum(t.ok for t in terms)}/{len(terms)}",
        "",
        *trends_section(trends or []),
        "## Overview",
        "",
        "| # | Story | Reports | First seen | Top entities | Flags |",
        "|---|---|---|---|---|---|",
    ]
    for number, story in enumerate(stories, 1):
        article = story.best
        entities = ", ".join(
            escape(e.english)
            for e in (article.brief.entities if article.brief else [])[:TOP_ENTITIES]
        )
        flags = ", ".join(dict.fromkeys(f for a, _ in story.records for f in article_flags(a)))
        headline = f"[{escape(shorten(article.headline.en))}](#article-{number})"
        mark = " *developing*" if story.developing else ""
        reports = len(story.records) + len(story.earlier)
        lines.append(
            f"| {number} | {headline}{mark} | {reports} | {story.first_seen(date)} "
            f"| {entities or '—'} | {flags or '—'} |"
        )
    for number, story in enumerate(stories, 1):
        lines += ["", *story_section(number, story, date)]
    lines += [
        "",
        *entity_index(stories),
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
    if source.pages:  # a PDF: the file and its page count
        link += f" ({source.pages} page{'s' if source.pages > 1 else ''})"
    return " · ".join(
        x for x in (escape(source.outlet or ""), link, escape(source.date or "")) if x
    )


def story_section(number: int, story: DayStory, date: str) -> list[str]:
    """The best report's section, with the story's reports and its other versions."""
    best = story.best
    reports = len(story.records) + len(story.earlier)
    line = f"{reports} report(s): {', '.join(map(escape, story.outlets())) or '—'}; "
    line += f"first seen {story.first_seen(date)}"
    lines = article_section(number, best)
    lines[2:2] = [("*developing* · " if story.developing else "") + line, ""]
    others = [
        f"- {escape(outlet_of(a) or a.id)}: [{escape(shorten(a.headline.en))}]({article_link(a)})"
        for a, _ in story.records
        if a is not best
    ]
    others += [
        f"- {escape(r.outlet or r.id)}, {r.day}: [{escape(shorten(r.headline))}]"
        f"(../{r.day}/{article_path(r.id)})"
        for r in sorted(story.earlier, key=lambda r: (r.day, r.id), reverse=True)
    ]
    if others:
        lines += ["", "**Other versions**", "", *others]
    return lines


def trends_section(trends: list) -> list[str]:
    """Rising names and names new this week, against their 7-day average."""
    if not trends:
        return []
    lines = ["## Names in the news", "", "| Name | Today | 7-day average | |", "|---|---|---|---|"]
    for trend in trends:
        lines.append(
            f"| {escape(trend.name)} | {trend.today} | {trend.average:g} | {trend.status} |"
        )
    return lines + [""]


def entity_index(stories: list[DayStory]) -> list[str]:
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, story in enumerate(stories, 1):
        names = {
            (entity.english, entity.kind): None
            for article, _ in story.records
            for entity in (article.brief.entities if article.brief else [])
        }
        for name in names:
            index[name].append(number)
    lines = ["## Entity index", ""]
    if not index:
        return lines + ["No glossary entities today."]
    lines += ["| Entity | Kind | Stories |", "|---|---|---|"]
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
