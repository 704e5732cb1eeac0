"""The Story: what every reader of a story (digest, alerts, e-mail, feeds, archive,
`toolkit stories`) is given, with its lead, developing and breaking decided here only.

A Story is seen as it stood at the end of a day (`day`): its reports up to that day.

- lead: the fullest report (most sentences) of the story's newest day, the first by id of
  equals. The digest's section, the alerts' link and the archive's `lead` are this report.
- developing: it has a report on `day` and one on an earlier day.
- breaking: on `day` it has at least BREAKING_REPORTS reports from at least
  BREAKING_OUTLETS outlets, and at least BREAKING_GROWTH times its average daily reports
  over the WINDOW_DAYS days before (0 for a new story). Two reports are never breaking; a
  story that always runs three a day is not breaking on its usual day.
"""

from collections import Counter
from dataclasses import dataclass

from toolkit.corpus import Published
from toolkit.stories.cluster import WINDOW_DAYS, days_before

BREAKING_REPORTS = 3
BREAKING_OUTLETS = 2
BREAKING_GROWTH = 2.0


@dataclass(frozen=True)
class Report:
    """One article of a story, as a list of versions shows it."""

    id: str
    day: str
    outlet: str
    url: str
    headline: str  # English, else Arabic
    size: int = 0  # sentences
    names: tuple[str, ...] = ()  # glossary entities

    @classmethod
    def of(cls, record: Published) -> "Report":
        article = record.article
        entities = article.brief.entities if article.brief else []
        return cls(
            id=article.id,
            day=record.day,
            outlet=record.outlet,
            url=article.source.url or "",
            headline=article.headline.en or article.headline.ar,
            size=len(article.sentences),
            names=tuple(e.english for e in entities),
        )

    def to_json(self) -> dict:
        return {"id": self.id, "day": self.day, "outlet": self.outlet, "url": self.url}

    def stored(self) -> dict:
        return {
            **self.to_json(),
            "headline": self.headline,
            "size": self.size,
            "names": list(self.names),
        }

    @classmethod
    def from_stored(cls, data: dict) -> "Report":
        report = cls(**{**data, "names": tuple(data["names"])})
        texts = [report.id, report.day, report.outlet, report.url, report.headline, *report.names]
        if not all(isinstance(t, str) for t in texts) or not isinstance(report.size, int):
            raise TypeError("not a stored report")
        return report


def _order(report: Report) -> tuple[str, str]:
    return report.day, report.id


@dataclass(frozen=True)
class Story:
    id: str
    day: str  # as it stood at the end of this day
    reports: tuple[Report, ...]  # up to `day`, oldest first
    lead: Report
    developing: bool
    breaking: bool

    @classmethod
    def of(cls, story_id: str, reports: list[Report], day: str) -> "Story":
        """The one place where a story's lead, developing and breaking are decided."""
        reports = tuple(
            sorted({(r.day, r.id): r for r in reports if r.day <= day}.values(), key=_order)
        )
        newest = max(r.day for r in reports)
        lead = min((r for r in reports if r.day == newest), key=lambda r: (-r.size, r.id))
        return cls(story_id, day, reports, lead, _developing(reports, day), _breaking(reports, day))

    @property
    def first_seen(self) -> str:
        return self.reports[0].day

    @property
    def last_seen(self) -> str:
        return max(r.day for r in self.reports)

    @property
    def today(self) -> list[Report]:
        """Its reports on `day`, by id."""
        return [r for r in self.reports if r.day == self.day]

    @property
    def earlier(self) -> list[Report]:
        """Its reports before `day`, newest first."""
        return sorted((r for r in self.reports if r.day < self.day), key=_order, reverse=True)

    def outlets(self) -> list[str]:
        """Every outlet that carried it, first carried first."""
        return list(dict.fromkeys(r.outlet for r in self.reports if r.outlet))

    def names(self) -> Counter:
        """Reports naming each glossary entity."""
        return Counter(name for report in self.reports for name in report.names)

    def to_json(self) -> dict:
        """`toolkit stories --json`."""
        return {
            "id": self.id,
            "lead": self.lead.id,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "developing": self.developing,
            "breaking": self.breaking,
            "articles": [r.to_json() for r in self.reports],
            "headline": self.lead.headline,
            "entities": [name for name, _ in sorted(self.names().items(), key=_by_count)],
        }

    def stored(self) -> dict:
        return {
            "id": self.id,
            "lead": self.lead.id,
            "developing": self.developing,
            "breaking": self.breaking,
            "reports": [r.stored() for r in self.reports],
        }

    @classmethod
    def from_stored(cls, data: dict, day: str) -> "Story":
        """A stored story read back: what the stories stage decided, checked, not redecided."""
        reports = tuple(Report.from_stored(r) for r in data["reports"])
        lead = next((r for r in reversed(reports) if r.id == data["lead"]), None)
        if not reports or lead is None or not isinstance(data["id"], str):
            raise ValueError("not a stored story")
        flags = (data["developing"], data["breaking"])
        if not all(isinstance(flag, bool) for flag in flags):
            raise TypeError("developing and breaking must be true or false")
        return cls(data["id"], day, reports, lead, *flags)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _developing(reports: tuple[Report, ...], day: str) -> bool:
    return any(r.day == day for r in reports) and any(r.day < day for r in reports)


def _breaking(reports: tuple[Report, ...], day: str) -> bool:
    today = [r for r in reports if r.day == day]
    before = days_before(day, WINDOW_DAYS)
    usual = sum(before <= r.day < day for r in reports) / WINDOW_DAYS
    return (
        len(today) >= BREAKING_REPORTS
        and len({r.outlet for r in today}) >= BREAKING_OUTLETS
        and len(today) >= BREAKING_GROWTH * usual
    )
