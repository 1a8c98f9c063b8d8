"""The one date reader of the import: record fields, trafilatura's page dates and feed timestamps.

parse_date reads ISO 8601 dates and datetimes ("2019-03-01", "2019-03-01T10:00:00Z", and trafilatura's
"%Y-%m-%d"), RFC 2822 ("Fri, 01 Mar 2019 10:00:00 GMT") and epoch seconds (a number, taken as UTC).
A datetime gives the date as written, in its own time zone. "01/03/2019"-style dates are not guessed:
anything unreadable gives None, so a bad date leaves the field empty instead of failing the article.

utc_datetime turns the time.struct_time feedparser gives (already in UTC) into an aware datetime.
"""

from __future__ import annotations

import calendar
import datetime
import email.utils
import time
from typing import Any


def parse_date(value: Any) -> datetime.date | None:
    """ISO 8601 or RFC 2822 date/datetime (string) or epoch seconds; None when not readable."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.datetime.fromtimestamp(value, tz=datetime.UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        # A date followed by something fromisoformat refuses ("2019-03-01 10:00 CET").
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def utc_datetime(parsed_time: time.struct_time | None) -> datetime.datetime | None:
    """Aware UTC datetime from a UTC struct_time (feedparser's *_parsed fields); None if missing or out of range."""
    if not parsed_time:
        return None
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(parsed_time), tz=datetime.UTC)
    except (OverflowError, ValueError, OSError):
        return None
