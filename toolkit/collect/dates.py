"""Publication dates from outside (feeds, sitemaps, pages) → YYYY-MM-DD in UTC, or None.

A date that cannot be read, or that no news article can have (before 1990, or more than two
days ahead: a year 0001 with a time zone, a placeholder, garbage), is ignored, never fatal.
"""

import datetime as dt
import email.utils

EARLIEST = dt.date(1990, 1, 1)
AHEAD = dt.timedelta(days=2)  # time zones, and clocks a little fast


def day_of(value: object) -> str | None:
    """An ISO 8601 or RFC 822 date (a string), or feedparser's UTC struct_time → the UTC day."""
    try:
        if isinstance(value, str):
            moment = _parse(value.strip())
        elif value is not None and len(value) >= 6:  # time.struct_time, always UTC
            moment = dt.datetime(*value[:6], tzinfo=dt.UTC)
        else:
            return None
        if moment is None:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError, TypeError):
        return None
    day = moment.date()
    if not EARLIEST <= day <= dt.datetime.now(dt.UTC).date() + AHEAD:
        return None
    return day.isoformat()


def _parse(text: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
