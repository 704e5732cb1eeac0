"""The article page, articles/<id>.html: the Arabic beside its English, paragraph by paragraph.

`article_page` is a pure function of the article record and its story's other versions;
`story_versions` is the one place that reads those versions back from the day folders, and
`publish_pages` writes a day's pages and refreshes the earlier pages of its stories (a story
that gains a version today shows it on every version's page).

Like digest.html the page is self-contained (inline CSS), declares UTF-8 before anything
else, and lets no article text act as markup: every text is escaped, the only links are the
toolkit's own and an http(s) source URL, and a Content-Security-Policy allows no script.
"""

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

from toolkit.document import Article, Brief, Sentence
from toolkit.fsutil import atomic_write_text
from toolkit.publish.article import SYNTHETIC_NOTICE, ModelRef, article_path
from toolkit.publish.html import PAGE
from toolkit.publish.records import DAY, Records, outlet_name, read_records

CSS = "\n".join(
    (resources.files("toolkit") / "data" / name).read_text(encoding="utf-8").strip()
    for name in ("digest.css", "page.css")
)
SAFE_URL = re.compile(r"https?://[^\s<>\"'\\`]+")
MIN_HIGHLIGHT_CHARS = 2  # a one-letter "name" would light up half the text
STORY_DAYS = 7  # toolkit.stories.WINDOW_DAYS: how long a story takes new reports


@dataclass(frozen=True)
class Version:
    """Another report of the same story, as its page lists it."""

    id: str
    day: str
    outlet: str
    headline: str  # English, else Arabic


def page_name(article_id: str) -> str:
    return f"{article_id}.html"


def version_href(version: Version, day: str | None) -> str:
    """The link from a page of `day` to another version's page (both under <day>/articles/)."""
    own = article_path(version.id).removeprefix("articles/")
    return own if version.day == day else f"../../{version.day}/articles/{own}"


def highlight(text: str, needles: Sequence[tuple[str, str]]) -> str:
    """`text` escaped, each occurrence of a needle wrapped in <mark class="…">; longer
    needles win where they overlap."""
    spans: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for needle, css_class in sorted(needles, key=lambda item: -len(item[0])):
        if len(needle) < MIN_HIGHLIGHT_CHARS:
            continue
        start = text.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not any(taken[start:end]):
                spans.append((start, end, css_class))
                taken[start:end] = [True] * len(needle)
            start = text.find(needle, end)
    parts, cursor = [], 0
    for start, end, css_class in sorted(spans):
        parts.append(escape(text[cursor:start], quote=False))
        parts.append(f'<mark class="{css_class}">{escape(text[start:end], quote=False)}</mark>')
        cursor = end
    parts.append(escape(text[cursor:], quote=False))
    return "".join(parts)


@dataclass(frozen=True)
class Needles:
    """What is highlighted on each side: the brief's figures and the glossary's names."""

    arabic: tuple[tuple[str, str], ...]
    english: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, article: Article) -> "Needles":
        brief = article.brief
        figures = brief.figures if brief else []
        terms = [term for sentence in article.all_sentences() for term in sentence.terms]
        people = brief.people if brief else []
        names = {e.english for e in (brief.entities if brief else [])}
        names |= {term.english for term in terms if term.ok} | {p.english for p in people}
        arabic = {(f.arabic, "figure") for f in figures} | {(t.arabic, "name") for t in terms}
        arabic |= {(mention, "name") for person in people for mention in person.mentions}
        english = {(f.value, "figure") for f in figures} | {(name, "name") for name in names}
        return cls(tuple(sorted(arabic)), tuple(sorted(english)))


def sentence_html(sentence: Sentence, needles: tuple[tuple[str, str], ...], english: bool) -> str:
    text = sentence.en if english else sentence.ar
    body = highlight(text, needles)
    if not sentence.flags:
        return f'<span class="s">{body}</span>'
    flags = ", ".join(sentence.flags)
    mark = f' <sup class="flag">⚑ {escape(flags)}</sup>' if english else ""
    return f'<span class="s flagged" title="flagged: {escape(flags)}">{body}{mark}</span>'


def paragraph_html(paragraph: list[Sentence], needles: Needles) -> str:
    marker = escape(paragraph[0].bullet)
    prefix = f'<span class="bullet">{marker}</span> ' if marker else ""
    english = " ".join(sentence_html(s, needles.english, True) for s in paragraph)
    arabic = " ".join(sentence_html(s, needles.arabic, False) for s in paragraph)
    return (
        '<div class="pair">\n'
        f'<p class="en" lang="en">{prefix}{english}</p>\n'
        f'<p class="ar" dir="rtl" lang="ar">{prefix}{arabic}</p>\n'
        "</div>"
    )


def source_html(article: Article) -> str:
    source = article.source
    outlet = outlet_name(source.outlet, source.url, source.path)
    url = source.url or ""
    where = (
        f'<a href="{escape(url)}" rel="noreferrer">{escape(url)}</a>'
        if SAFE_URL.fullmatch(url)
        else escape(url or source.path)
    )
    parts = [f"<strong>{escape(outlet)}</strong>" if outlet else "", where]
    parts.append(escape(source.date or ""))
    return " · ".join(part for part in parts if part)


def brief_html(article: Article) -> list[str]:
    brief = article.brief
    if brief is None:
        return []
    lines = [f'<p class="bluf"><strong>Bottom line:</strong> {escape(brief.bluf)}</p>']
    if brief.figures:
        lines += [
            "<table><thead><tr><th>Figure</th><th>Context</th><th>Arabic</th></tr></thead><tbody>"
        ]
        lines += [
            f'<tr><td><mark class="figure">{escape(f.value)}</mark></td>'
            f"<td>{escape(f.context)}</td>"
            f'<td dir="rtl" lang="ar">{escape(f.arabic)}</td></tr>'
            for f in brief.figures
        ]
        lines.append("</tbody></table>")
    if brief.entities:
        names = " · ".join(
            f'<mark class="name">{escape(e.english)}</mark> ({escape(e.kind)}) ×{e.count}'
            for e in brief.entities
        )
        lines.append(f'<p class="names"><strong>Names:</strong> {names}</p>')
    return lines + people_html(brief) + quotes_html(brief)


def people_html(brief: Brief) -> list[str]:
    """Who is named (with role and country, their Arabic beside) and where it happens."""
    lines = []
    if brief.people:
        lines.append(
            '<p class="people"><strong>People:</strong> '
            + " · ".join(
                f'<mark class="name">{escape(person.english)}</mark>'
                + "".join(f", {escape(part)}" for part in (person.role, person.country) if part)
                + f' (<span dir="rtl" lang="ar">{escape(" / ".join(person.mentions))}</span>)'
                for person in brief.people
            )
            + "</p>"
        )
    if brief.places:
        lines.append(
            '<p class="places"><strong>Places:</strong> '
            + " · ".join(
                f"{escape(place.english)} ({escape(place.country)})" for place in brief.places
            )
            + "</p>"
        )
    return lines


def quotes_html(brief: Brief) -> list[str]:
    """Who said what: each quote's English, and its Arabic beside it."""
    if not brief.quotes:
        return []
    lines = ['<section class="quotes">', "<h2>Who said what</h2>"]
    for quote in brief.quotes:
        said = "said" if quote.kind == "direct" else "reported"
        lines.append(
            '<div class="pair quote">\n'
            f'<blockquote lang="en"><strong>{escape(quote.speaker or "unnamed")}</strong> '
            f"({said}): {escape(quote.en)}</blockquote>\n"
            f'<blockquote dir="rtl" lang="ar">{escape(quote.ar)}</blockquote>\n'
            "</div>"
        )
    return lines + ["</section>"]


def versions_html(versions: Sequence[Version], day: str | None) -> list[str]:
    lines = ['<section class="story">', "<h2>Its story</h2>"]
    if not versions:
        return lines + ["<p>The only report of its story so far.</p>", "</section>"]
    lines.append(f"<p>{len(versions) + 1} reports; the others:</p>")
    lines.append("<ul>")
    for version in sorted(versions, key=lambda v: (v.day, v.id), reverse=True):
        lines.append(
            f'<li><a href="{escape(version_href(version, day))}">{escape(version.headline)}</a>'
            f" — {escape(version.outlet or version.id)}, {escape(version.day)}</li>"
        )
    return lines + ["</ul>", "</section>"]


def article_page(
    article: Article, model: ModelRef, versions: Sequence[Version] = (), day: str | None = None
) -> str:
    """The whole page of one article; `versions` are the other reports of its story and
    `day` the day folder the page is written in (for the links between them)."""
    needles = Needles.of(article)
    headline = article.headline
    title = headline.en or headline.ar or article.id
    body = []
    if model.synthetic:
        body.append(
            f'<blockquote class="synthetic"><strong>{SYNTHETIC_NOTICE}</strong></blockquote>'
        )
    if day:
        body.append(f'<p class="crumbs"><a href="../digest.html">Briefing of {escape(day)}</a></p>')
    body += [
        f"<h1>{highlight(headline.en, needles.english)}</h1>",
        f'<p class="ar headline" dir="rtl" lang="ar">{highlight(headline.ar, needles.arabic)}</p>',
        f'<p class="meta">{source_html(article)}</p>',
        *brief_html(article),
        '<section class="text">',
        "<h2>English · العربية</h2>",
        *(paragraph_html(paragraph, needles) for paragraph in article.paragraphs),
        "</section>",
        *versions_html(versions, day),
        '<footer><p class="legend"><mark class="figure">figure</mark> '
        '<mark class="name">name</mark> <span class="flagged">flagged sentence '
        '<sup class="flag">⚑</sup></span></p>',
        f"<p>Model: {escape(model.name)} ({escape(model.quantization)}"
        f"{', SYNTHETIC' if model.synthetic else ''}) · for scripts: "
        f'<a href="{escape(_own(article.id, ".json"))}">JSON</a> · '
        f'<a href="{escape(_own(article.id, ".en.md"))}">Markdown</a></p></footer>',
    ]
    return PAGE.format(title=escape(title), head="", css=CSS, body="\n".join(body) + "\n")


def _own(article_id: str, suffix: str) -> str:
    return article_path(article_id).removeprefix("articles/").removesuffix(".html") + suffix


def story_versions(outputs: Path, stories: set[str], day: str) -> dict[str, list[Version]]:
    """Every report of these stories in the day folders of `outputs` (articles/*.json
    `story`, else a story of its own), read back while they are alive: a story takes new
    reports up to STORY_DAYS after its last one, so the days before `day` are read until
    STORY_DAYS pass without one. The one place the pages read other days: a corpus reader
    can take its place."""
    found: dict[str, list[Version]] = {}
    folders = sorted(Path(outputs).iterdir(), reverse=True) if Path(outputs).is_dir() else []
    horizon = _days_before(day, STORY_DAYS)
    for folder in folders:
        if not DAY.fullmatch(folder.name):
            continue
        if folder.name < horizon:
            break
        for path in sorted((folder / "articles").glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                story = data.get("story") or data["id"]
                if story not in stories:
                    continue
                source, headline = data.get("source") or {}, data.get("headline") or {}
                outlet = outlet_name(
                    data.get("outlet") or source.get("outlet"),
                    data.get("url") or source.get("url"),
                    "",
                )
                title = headline.get("en") or headline.get("ar") or ""
                version = Version(str(data["id"]), folder.name, outlet, title)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue  # an unreadable record is `toolkit brief`'s to name
            found.setdefault(story, []).append(version)
            horizon = min(horizon, _days_before(folder.name, STORY_DAYS))
    return found


def _days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def write_page(day_dir: Path, article: Article, model: ModelRef, versions=(), day=None) -> Path:
    path = Path(day_dir) / "articles" / page_name(article.id)
    atomic_write_text(path, article_page(article, model, versions, day))
    return path


def publish_pages(day_dir: Path, records: Records) -> list[Path]:
    """The page of every article of the day folder, with its story's versions across days,
    and the pages of the other days' versions of those stories (they gained one)."""
    day_dir = Path(day_dir)
    if not DAY.fullmatch(day_dir.name):  # a folder of its own (`toolkit batch -o`): no days
        return [write_page(day_dir, article, model) for article, model in records]
    outputs, date = day_dir.parent, day_dir.name
    members = story_versions(outputs, {article.story or article.id for article, _ in records}, date)
    written = []
    for article, model in records:
        versions = _others(members.get(article.story or article.id, []), date, article.id)
        written.append(write_page(day_dir, article, model, versions, date))
    for day in sorted({v.day for group in members.values() for v in group} - {date}):
        for article, model in read_records(outputs / day)[0]:
            group = members.get(article.story or article.id, [])
            if len(group) > 1 and any(v.day == date for v in group):
                versions = _others(group, day, article.id)
                written.append(write_page(outputs / day, article, model, versions, day))
    return written


def _others(group: list[Version], day: str, article_id: str) -> list[Version]:
    return [v for v in group if (v.day, v.id) != (day, article_id)]
