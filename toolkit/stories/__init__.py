"""Stories stage: reports of one event across outlets and days, grouped on the Arabic side.

features.py  what an article says that tells its event apart (stems, places, people, …)
cluster.py   new articles join a story of the last 7 days or start one; stable ids
store.py     assign a day folder, read stories and a day's past back from the outputs folder
trends.py    names of the day against their 7-day average
labelled.py  B-cubed scores on a labelled set
"""

from collections import Counter

from toolkit.stories.cluster import WINDOW_DAYS, story_id
from toolkit.stories.store import (
    Assignment,
    Past,
    Report,
    StoryRecord,
    assign_day,
    read_past,
    read_stories,
)
from toolkit.stories.trends import Trend, trends

__all__ = [
    "WINDOW_DAYS",
    "Assignment",
    "Past",
    "Report",
    "StoryRecord",
    "Trend",
    "assign_day",
    "day_trends",
    "read_past",
    "read_stories",
    "story_id",
    "trends",
]


def day_mentions(records) -> Counter:
    """Articles naming each glossary entity, over (Article, ModelRef) records."""
    return Counter(
        name
        for article, _ in records
        for name in {e.english for e in (article.brief.entities if article.brief else [])}
    )


def day_trends(records, past: Past) -> list[Trend]:
    return trends(day_mentions(records), past.mentions)
