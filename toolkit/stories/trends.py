"""Entity trends: the names of the day (glossary entities) against their 7-day average.

Counted in articles that name them. A name is *rising* when today's count is at least
twice its average over the 7 days before (the days among them that have a folder), and at
least 2; it is *new* when none of those days named it. Without any earlier day there is
nothing to compare and no trend.
"""

from collections import Counter
from dataclasses import dataclass

RISING_FACTOR = 2.0
RISING_MIN = 2
TOP_TRENDS = 10


@dataclass(frozen=True)
class Trend:
    name: str
    today: int
    average: float  # articles a day over the 7 days before (those with a folder)
    status: str  # rising | new


def trends(today: Counter, earlier: dict[str, Counter]) -> list[Trend]:
    """Rising and new names, the strongest first; `earlier` maps each earlier day of the
    window that has a folder to its counts."""
    if not earlier:
        return []
    found = []
    for name, count in today.items():
        average = sum(day[name] for day in earlier.values()) / len(earlier)
        if average == 0:
            found.append(Trend(name, count, 0.0, "new"))
        elif count >= RISING_MIN and count >= RISING_FACTOR * average:
            found.append(Trend(name, count, round(average, 2), "rising"))
    return sorted(found, key=lambda t: (-t.today / (t.average or 0.5), t.name))[:TOP_TRENDS]
