"""Stories stage: reports of one event across outlets and days, grouped on the Arabic side.

features.py  what an article says that tells its event apart (stems, places, people, …)
cluster.py   new articles join a story of the last 7 days or start one; stable ids
story.py     the Story every reader is given: lead, developing, breaking (decided there only)
store.py     assign a day folder and write its Stories; read them back
trends.py    names of the day against their 7-day average
labelled.py  B-cubed scores on a labelled set
"""

from collections import Counter

from toolkit.corpus import Published
from toolkit.stories.cluster import WINDOW_DAYS, story_id
from toolkit.stories.store import (
    Assignment,
    Past,
    assign_day,
    day_stories,
    folder_stories,
    read_past,
    read_stories,
)
from toolkit.stories.story import Report, Story
from toolkit.stories.trends import Trend, trends

__all__ = [
    "WINDOW_DAYS",
    "Assignment",
    "Past",
    "Report",
    "Story",
    "Trend",
    "assign_day",
    "day_mentions",
    "day_stories",
    "day_trends",
    "folder_stories",
    "read_past",
    "read_stories",
    "story_id",
    "trends",
]


def day_mentions(records: list[Published]) -> Counter:
    """Articles naming each glossary entity."""
    return Counter(
        name
        for record in records
        for name in {
            e.english for e in (record.article.brief.entities if record.article.brief else [])
        }
    )


def day_trends(records: list[Published], past: Past) -> list[Trend]:
    return trends(day_mentions(records), past.mentions)
