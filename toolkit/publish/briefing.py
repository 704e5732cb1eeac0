"""The day's briefing, composed once: its articles, Stories and name trends, rendered as
digest.md (and so digest.html) and as each reader's e-mail (toolkit.deliver), which differ
only in the alerts section they open with and, for an only_watched reader, the stories."""

from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.corpus import DAY, Corpus, DayArticles, day_of
from toolkit.publish.digest import digest_markdown
from toolkit.stories import Story, Trend, day_trends, folder_stories, read_past


@dataclass(frozen=True)
class DayBriefing:
    date: str
    read: DayArticles
    stories: list[Story]
    trends: list[Trend]

    def only(self, stories: set[str]) -> "DayBriefing":
        """The same day, with these stories and their articles alone."""
        records = [r for r in self.read.records if r.story in stories]
        return DayBriefing(
            self.date,
            replace(self.read, records=records),
            [s for s in self.stories if s.id in stories],
            self.trends,
        )

    def markdown(self, alerts: list[str] = ()) -> str:
        return digest_markdown(self.read.records, self.date, self.stories, alerts, self.trends)


def day_briefing(out_dir: Path, date: str | None = None) -> DayBriefing:
    """A folder's briefing: its articles and Stories, and (a dated folder) its names against
    the days before."""
    out_dir = Path(out_dir)
    date = day_of(out_dir, date)
    read, stories = folder_stories(out_dir, date)
    trends = []
    if DAY.fullmatch(out_dir.name):
        trends = day_trends(read.records, read_past(Corpus(out_dir.parent), out_dir.name, set()))
    return DayBriefing(date, read, stories, trends)
