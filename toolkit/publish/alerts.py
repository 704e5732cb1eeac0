"""The alerts as readers see them: a Markdown section (digest, index, e-mail HTML) and text."""

import textwrap

from toolkit.alerts import Alert, AlertSetup, DayAlerts, day_alerts
from toolkit.corpus import DayArticles
from toolkit.publish.article import article_path
from toolkit.publish.digest import escape, shorten
from toolkit.stories import Story

WIDTH = 76


def _story_link(story: Story, mark_breaking: bool = True) -> str:
    """The story's lead, linked, and how many more reports it had that day."""
    today = len(story.today)
    more = f" (+{today - 1} more)" if today > 1 else ""
    mark = "**BREAKING** " if story.breaking and mark_breaking else ""
    return f"{mark}[{escape(shorten(story.lead.headline))}]({article_path(story.lead.id)}){more}"


def alerts_markdown(
    day: DayAlerts, alerts: list[Alert], rules: int, title: str = "Alerts", base: str = ""
) -> list[str]:
    """`## title` with breaking stories and one row per alert; [] when there is nothing to say.

    `base` prefixes the links (the archive index links into the day folder)."""
    if not rules and not day.breaking:
        return []
    lines = [f"## {title}", ""]
    if day.breaking:
        links = " · ".join(_story_link(s, mark_breaking=False) for s in day.breaking)
        lines += [f"**Breaking:** {links}", ""]
    if alerts:
        lines += ["| Rule | Reader | Story | Why |", "|---|---|---|---|"]
        for alert in alerts:
            reader = escape(alert.reader.label) if alert.reader else "all (watchlists)"
            why = ", ".join(escape(w) for w in alert.why) or "—"
            lines.append(
                f"| {escape(alert.rule)} | {reader} | {_story_link(alert.story)} | {why} |"
            )
    elif rules:
        lines.append(f"No alerts today ({rules} rule(s) checked).")
    lines.append("")
    if base:
        lines = [line.replace("](articles/", f"]({base}articles/") for line in lines]
    return lines


def alerts_text(alerts: list[Alert], rules: int) -> str:
    """The plain-text block a reader's e-mail opens with."""
    if not alerts:
        return f"Your alerts: none today ({rules} rule(s) checked).\n\n" if rules else ""
    title = f"YOUR ALERTS ({len(alerts)})"
    lines = [title, "=" * len(title), ""]
    for alert in alerts:
        story = alert.story
        mark = "[BREAKING] " if story.breaking else ""
        ids = ", ".join(report.id for report in story.today)
        for text, rest in (
            (f"* {mark}Rule: {alert.rule}", "  "),
            (f"Story {story.id} (articles: {ids}):", "    "),
            (story.lead.headline, "    "),
            (f"Why: {', '.join(alert.why) or '-'}", "    "),
        ):
            lines += textwrap.wrap(
                " ".join(text.split()),
                WIDTH,
                initial_indent="" if text.startswith("*") else "  ",
                subsequent_indent=rest,
                break_long_words=False,
            )
    return "\n".join(lines) + "\n\n"


def digest_section(
    read: DayArticles,
    stories: list[Story],
    setup: AlertSetup,
    base: str = "",
    alerts: DayAlerts | None = None,
) -> list[str]:
    """The alerts section the digest (and, with `base`, the archive index) opens with: the
    day's `alerts` when already found, else found with `setup`."""
    day = alerts or day_alerts(read, stories, setup)
    return alerts_markdown(day, day.alerts, len(setup.watch.all_rules), base=base)
