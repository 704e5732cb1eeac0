"""The day's briefing as Markdown: names in the news, overview, one section per story,
entity index, quality.

A story is a toolkit.stories Story (lead, developing, breaking decided by the stories
stage); its section is the brief of its lead, the outlets that carried it, who said what and
the countries of its reports (their briefs' quotes and places, toolkit.names), and links to
the other versions, today's and earlier ones. The same composition gives digest.md (and so
digest.html) and each reader's e-mail (toolkit.deliver).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from toolkit.corpus import Published
from toolkit.document import Article, Quote
from toolkit.names.places import country_names
from toolkit.publish.article import article_flags, article_link, article_path
from toolkit.stories import Story

MARKDOWN_SPECIAL = "\\`*_[]<>|#!~"
SAFE_URL = re.compile(r"https?://[^\s<>\\`|]+")  # shown as a CommonMark autolink
TOP_ENTITIES = 3
OVERVIEW_HEADLINE_CHARS = 120
QUALITY_EXAMPLES = 10
QUOTES_SHOWN = 3  # a story's "who said what": a glance, the article pages hold the rest
QUOTE_CHARS = 240
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
    """A Story as the day's briefing shows it: with its records of the day."""

    story: Story
    records: list[Published]

    @property
    def id(self) -> str:
        return self.story.id

    @property
    def best(self) -> Article:
        """The story's lead (a report of its newest day, so of this day)."""
        lead = self.story.lead
        match = [r.article for r in self.records if r.id == lead.id and r.day == lead.day]
        return match[0] if match else self.records[0].article

    @property
    def developing(self) -> bool:
        return self.story.developing

    @property
    def reports(self) -> int:
        return len(self.story.reports)

    @property
    def first_seen(self) -> str:
        return self.story.first_seen

    @cached_property
    def said(self) -> list[Quote]:
        """Who said what: the lead's quotes first, then the other reports' of the day, each
        (speaker, English) once, at most QUOTES_SHOWN."""
        best = self.best
        articles = [best, *(r.article for r in self.records if r.article is not best)]
        quotes = {
            (quote.speaker, quote.en): quote
            for article in articles
            for quote in (article.brief.quotes if article.brief else [])
        }
        return list(quotes.values())[:QUOTES_SHOWN]

    @cached_property
    def countries(self) -> list[str]:
        """The English names of the countries of its reports' places, most mentioned first
        (the ISO code where the country table has no name for it)."""
        counts: dict[str, int] = defaultdict(int)
        for record in self.records:
            for place in record.article.brief.places if record.article.brief else []:
                if place.country:
                    counts[place.country] += len(place.mentions) or 1
        names = country_names()
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [names.get(code, code) for code, _ in ordered]


def day_stories(records: list[Published], stories: list[Story]) -> list[DayStory]:
    """The day's stories, most reports of the day first, then in the order of their first
    record (the archive numbers them the same way)."""
    grouped: dict[str, list[Published]] = {}
    for record in records:
        grouped.setdefault(record.story, []).append(record)
    shown = [DayStory(story, grouped[story.id]) for story in stories if story.id in grouped]
    return sorted(shown, key=lambda story: -len(story.records))


def digest_markdown(
    records: list[Published],
    date: str,
    stories: list[Story],
    alerts: list[str] = (),
    trends: list | None = None,
) -> str:
    """The day's briefing. `stories`: the day's Stories (toolkit.stories); `alerts`: the
    Markdown section it opens with (toolkit.alerts); `trends`: toolkit.stories Trends."""
    lines = [f"# {digest_title(date)}", ""]
    if not records:
        return "\n".join(
            lines + ["Nothing new today: no articles were published for this date.", ""]
        )
    if any(record.model.synthetic for record in records):
        lines += [SYNTHETIC_BANNER, ""]
    lines += alerts
    shown = day_stories(records, stories)
    terms = [t for r in records for s in r.article.all_sentences() for t in s.terms]
    lines += [
        f"{len(records)} article(s) in {len(shown)} stories · glossary terms respected: "
        f"{sum(t.ok for t in terms)}/{len(terms)}",
        "",
        *trends_section(trends or []),
        "## Overview",
        "",
        "| # | Story | Reports | First seen | Top entities | Flags |",
        "|---|---|---|---|---|---|",
    ]
    for number, story in enumerate(shown, 1):
        article = story.best
        entities = ", ".join(
            escape(e.english)
            for e in (article.brief.entities if article.brief else [])[:TOP_ENTITIES]
        )
        flags = ", ".join(dict.fromkeys(f for r in story.records for f in article_flags(r.article)))
        headline = f"[{escape(shorten(article.headline.en))}](#article-{number})"
        mark = " *developing*" if story.developing else ""
        lines.append(
            f"| {number} | {headline}{mark} | {story.reports} | {story.first_seen} "
            f"| {entities or '—'} | {flags or '—'} |"
        )
    for number, story in enumerate(shown, 1):
        lines += ["", *story_section(number, story)]
    lines += [
        "",
        *entity_index(shown),
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


def story_section(number: int, story: DayStory) -> list[str]:
    """The lead's section, with the story's reports and its other versions."""
    best = story.best
    line = f"{story.reports} report(s): {', '.join(map(escape, story.story.outlets())) or '—'}; "
    line += f"first seen {story.first_seen}"
    lines = article_section(number, best)
    lines[2:2] = [("*developing* · " if story.developing else "") + line, ""]
    said = said_section(story)
    if said:
        lines += ["", *said]
    others = [
        f"- {escape(r.outlet or r.id)}: [{escape(shorten(r.article.headline.en))}]"
        f"({article_link(r.article)})"
        for r in story.records
        if r.article is not best
    ]
    others += [
        f"- {escape(r.outlet or r.id)}, {r.day}: [{escape(shorten(r.headline))}]"
        f"(../{r.day}/{article_path(r.id)})"
        for r in story.story.earlier
    ]
    if others:
        lines += ["", "**Other versions**", "", *others]
    return lines


def said_section(story: DayStory) -> list[str]:
    """The story's countries and who said what (kind, the speaker's English name, the quote's
    English)."""
    lines = []
    if story.countries:
        lines.append(f"**Countries:** {' · '.join(map(escape, story.countries))}")
    if story.said:
        lines += ["", "**Who said what**", ""] if lines else ["**Who said what**", ""]
        lines += [
            f"- **{escape(quote.speaker or 'unattributed')}** ({quote.kind}): "
            f"“{escape(shorten(quote.en, QUOTE_CHARS))}”"
            for quote in story.said
        ]
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
        briefs = [record.article.brief for record in story.records if record.article.brief]
        names = {(entity.english, entity.kind): None for b in briefs for entity in b.entities}
        names |= {(person.english, "person"): None for b in briefs for person in b.people}
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


def quality_section(records: list[Published]) -> list[str]:
    lines = ["## Quality", ""]
    misses = [
        (article.id, sentence, term)
        for article in articles_of(records)
        for sentence in article.all_sentences()
        for term in sentence.terms
        if not term.ok
    ]
    counts = flag_counts(records)
    total = sum(len(article.all_sentences()) for article in articles_of(records))
    flagged = sum(
        bool(s.flags) for article in articles_of(records) for s in article.all_sentences()
    )
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


def flag_counts(records: list[Published]) -> dict[str, int]:
    """How many sentences carry each flag."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles_of(records):
        for sentence in article.all_sentences():
            for flag in sentence.flags:
                counts[flag] += 1
    return dict(counts)


def entity_counts(records: list[Published]) -> list[tuple[str, int]]:
    """Glossary entities over all the articles, most mentioned first."""
    counts: dict[str, int] = defaultdict(int)
    for article in articles_of(records):
        for entity in article.brief.entities if article.brief else []:
            counts[entity.english] += entity.count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def model_section(records: list[Published]) -> list[str]:
    models = sorted({record.model for record in records}, key=lambda m: m.name)
    lines = ["## Model", ""]
    for model in models:
        kind = "**SYNTHETIC (random weights)**" if model.synthetic else "real"
        lines.append(
            f"- {escape(model.name)} ({model.quantization}, sha256 `{model.sha256[:16]}`): {kind}"
        )
    return lines


def articles_of(records: list[Published]) -> list[Article]:
    return [record.article for record in records]
