"""The day's briefing as an e-mail: one multipart/alternative message per recipient.

The day's briefing is composed once (toolkit.publish.briefing): text/html is that
composition rendered by the same code as digest.html (escaped, no script, Arabic runs in
dir="rtl" spans), with its CSS inlined by css-inline, since mail clients drop <style>;
text/plain is the same story sections, developing marks and first-seen dates as lines a
terminal mail reader shows well (no Markdown tables).
"""

import datetime as dt
import email.utils
import hashlib
import re
import textwrap
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from toolkit.alerts import DayAlerts, Reader
from toolkit.alerts.recipients import Recipient
from toolkit.deliver.links import LINK_NOTE, absolute_links, link_base, page_url
from toolkit.errors import ConfigError
from toolkit.fsutil import sha256_file
from toolkit.publish.alerts import alerts_markdown, alerts_text
from toolkit.publish.article import SYNTHETIC_NOTICE, article_path
from toolkit.publish.briefing import DayBriefing, day_briefing
from toolkit.publish.digest import (
    QUOTE_CHARS,
    day_stories,
    digest_title,
    entity_counts,
    flag_counts,
    shorten,
)
from toolkit.publish.html import render_html

LIST_NAME = "Arabic press briefing"
WIDTH = 76
RLI, PDI = "\u2067", "\u2069"  # right-to-left isolate: Arabic reads right to left in plain text


@dataclass(frozen=True)
class Briefing:
    """What every message of a day carries."""

    date: str
    articles: int
    synthetic: bool
    text: str
    html: str
    digest_sha256: str  # of digest.md: tells whether the digest was rebuilt after sending
    alert: bool = False  # one of the reader's rules fired
    breaking: bool = False  # it holds a breaking story

    @property
    def subject(self) -> str:
        count = f"{self.articles} article" + ("" if self.articles == 1 else "s")
        tags = [
            tag
            for tag, on in (
                ("[ALERT]", self.alert),
                ("[BREAKING]", self.breaking),
                ("[SYNTHETIC]", self.synthetic),
            )
            if on
        ]
        return " ".join([*tags, f"{digest_title(self.date)} · {count}"])


def load_briefing(day_dir: Path) -> tuple[Briefing, DayBriefing]:
    """The briefing of a day folder, from its digest.md and its composition."""
    day_dir = Path(day_dir)
    digest = day_dir / "digest.md"
    if not digest.is_file():
        raise ConfigError(
            f"{day_dir}: no digest.md to send: run `toolkit brief {day_dir}` (or nightly) first"
        )
    day = day_briefing(day_dir)  # a broken record is `toolkit brief`'s to report
    records = day.read.records
    briefing = Briefing(
        date=day.date,
        articles=len(records),
        synthetic=day.read.synthetic,
        text=briefing_text(day),
        html=email_html(digest.read_text(encoding="utf-8"), digest_title(day.date), day.date),
        digest_sha256=sha256_file(digest),
        breaking=any(story.breaking for story in day.stories),
    )
    return briefing, day


def reader_briefing(
    composed: DayBriefing, alerts_of_day: "DayAlerts", reader: "Reader", digest_sha256: str
) -> Briefing | None:
    """A reader's own briefing: their alerts first, then the day's composition (only the
    stories their rules matched when `only_watched`); None for an only_watched reader on a
    day nothing matched."""
    alerts = alerts_of_day.of(reader)
    if reader.only_watched and not alerts:
        return None
    if reader.only_watched:
        composed = composed.only({a.story.id for a in alerts})
    stories = composed.stories
    section = alerts_markdown(
        DayAlerts(stories, alerts), alerts, len(reader.rules), title="Your alerts"
    )
    records = composed.read.records
    return Briefing(
        date=composed.date,
        articles=len(records),
        synthetic=composed.read.synthetic,
        text=alerts_text(alerts, len(reader.rules)) + briefing_text(composed),
        html=email_html(composed.markdown(section), digest_title(composed.date), composed.date),
        digest_sha256=digest_sha256,
        alert=bool(alerts),
        breaking=any(story.breaking for story in stories),
    )


def email_html(markdown: str, title: str, date: str) -> str:
    """The HTML part; its links absolute, or left out with a note (toolkit.deliver.links)."""
    import css_inline

    base = link_base(date)
    if base is None:
        heading, _, rest = markdown.partition("\n")
        markdown = f"{heading}\n\n*{LINK_NOTE}*\n{rest}"
    page = absolute_links(render_html(markdown, title), base)
    # No remote stylesheet is ever fetched; var(--…) is resolved, since few clients know it.
    return css_inline.inline(page, load_remote_stylesheets=False, resolve_css_variables=True)


def briefing_text(day: DayBriefing) -> str:
    """The plain-text part: the digest's story sections as lines a terminal mail reader
    shows well."""
    records, date = day.read.records, day.date
    lines = []
    if day.read.synthetic:
        lines += [f"*** {SYNTHETIC_NOTICE} ***", ""]
    lines += [digest_title(date), "=" * len(digest_title(date)), ""]
    if link_base(date) is None:
        lines += _wrap(LINK_NOTE, "", "") + [""]
    if not records:
        return "\n".join(lines + ["Nothing new today: no articles were published for this date."])
    terms = [t for r in records for s in r.article.all_sentences() for t in s.terms]
    shown = day_stories(records, day.stories)
    lines += [
        f"{len(records)} article(s) in {len(shown)} stories · glossary terms respected: "
        f"{sum(t.ok for t in terms)}/{len(terms)}",
    ]
    for number, story in enumerate(shown, 1):
        article = story.best
        brief = article.brief
        lines += ["", *_wrap(f"{number}. {article.headline.en}", "", "   ")]
        lines += _wrap(f"{RLI}{_flat(article.headline.ar)}{PDI}", "   ", "   ")
        mark = "DEVELOPING · " if story.developing else ""
        outlets = ", ".join(story.story.outlets()) or "-"
        lines += _wrap(
            f"{mark}{story.reports} report(s): {outlets}; first seen {story.first_seen}",
            "   ",
            "     ",
        )
        if brief is not None:
            lines += _wrap(f"Bottom line: {brief.bluf}", "   ", "   ")
            if brief.key_points:
                lines.append("   Key points:")
                for point in brief.key_points:
                    lines += _wrap(f"- {point}", "   ", "     ")
            for figure in brief.figures:
                lines += _wrap(f"Figure: {figure.value} ({figure.context})", "   ", "     ")
            if brief.entities:
                names = ", ".join(f"{e.english} ×{e.count}" for e in brief.entities)
                lines += _wrap(f"Entities: {names}", "   ", "     ")
        if story.countries:
            lines += _wrap(f"Countries: {', '.join(story.countries)}", "   ", "     ")
        for quote in story.said:
            said = f"Said: {quote.speaker or 'unattributed'} ({quote.kind}): "
            said += f"“{shorten(_flat(quote.en), QUOTE_CHARS)}”"
            lines += _wrap(said, "   ", "     ")
        source = article.source
        where = " · ".join(x for x in (source.url or source.path, source.date or "") if x)
        lines += _wrap(f"Source: {where}", "   ", "     ")
        page = page_url(date, article_path(article.id))
        if page:
            lines += _wrap(f"Page: {page}", "   ", "     ")
        for other in story.records:
            if other.article is not article:
                lines += _wrap(f"Also: {other.outlet}: {other.article.headline.en}", "   ", "     ")
        for report in story.story.earlier:
            lines += _wrap(
                f"Earlier: {report.outlet}, {report.day}: {report.headline}", "   ", "     "
            )
    entities = ", ".join(f"{name} ×{n}" for name, n in entity_counts(records)[:10])
    counts = flag_counts(records)
    total = sum(len(record.article.all_sentences()) for record in records)
    flagged = sum(bool(s.flags) for r in records for s in r.article.all_sentences())
    lines += ["", *_wrap(f"Entities today: {entities or 'none'}", "", "  ")]
    lines += _wrap(
        f"Flagged sentences: {flagged}/{total}"
        + (" (" + ", ".join(f"{f} {n}" for f, n in sorted(counts.items())) + ")" if counts else ""),
        "",
        "  ",
    )
    models = sorted({record.model for record in records}, key=lambda m: m.name)
    lines += [
        "Model: "
        + "; ".join(
            f"{m.name} ({m.quantization}, {'SYNTHETIC' if m.synthetic else 'real'})" for m in models
        )
    ]
    return "\n".join(lines) + "\n"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _wrap(text: str, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        _flat(text), WIDTH, initial_indent=first, subsequent_indent=rest, break_long_words=False
    ) or [first.rstrip()]


def message_id(date: str, recipient_id: str, domain: str) -> str:
    """The same for a given day and recipient, whenever and however often it is built; from
    the recipient's keyed hash (deliver.privacy), since sent.json records it."""
    token = hashlib.sha256(f"{date}\n{recipient_id}".encode()).hexdigest()[:24]
    return f"<briefing.{date}.{token}@{domain}>"


def build_message(
    briefing: Briefing,
    sender: Recipient,
    recipient: Recipient,
    recipient_id: str,
    now: dt.datetime | None = None,
) -> EmailMessage:
    domain = sender.address.rsplit("@", 1)[1]
    message = EmailMessage(policy=policy.SMTP)
    message["Subject"] = briefing.subject
    message["From"] = Address(sender.name or LIST_NAME, addr_spec=sender.address)
    message["To"] = Address(recipient.name, addr_spec=recipient.address)
    message["Date"] = email.utils.format_datetime(now or dt.datetime.now().astimezone())
    message["Message-ID"] = message_id(briefing.date, recipient_id, domain)
    message["List-Id"] = f"{LIST_NAME} <arabic-press-briefing.{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(briefing.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(briefing.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def eml_name(briefing: Briefing, recipient: Recipient) -> str:
    safe = re.sub(r"[^A-Za-z0-9.+-]+", "_", recipient.address.replace("@", "_at_"))
    return f"{briefing.date}-{safe}.eml"
