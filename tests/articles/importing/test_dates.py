import time
from datetime import UTC, date, datetime

import pytest

from articles.importing.dates import parse_date, utc_datetime


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 dates and datetimes, as record fields hold them
        ("2019-03-01", date(2019, 3, 1)),
        ("2019-03-01T10:00:00Z", date(2019, 3, 1)),
        ("2020-01-02T03:04:05Z", date(2020, 1, 2)),
        ("2019-03-01T23:00:00-05:00", date(2019, 3, 1)),  # the date as written, not moved to UTC
        ("2019-03-01 10:00:00.123", date(2019, 3, 1)),
        ("2019-03-01T10:00:00.123456+01:00", date(2019, 3, 1)),
        ("2019-03-01 10:00 CET", date(2019, 3, 1)),  # a date and then a zone name fromisoformat refuses
        ("  2019-03-01\n", date(2019, 3, 1)),
        # what trafilatura hands extraction: htmldate's "%Y-%m-%d"
        ("2021-05-04", date(2021, 5, 4)),
        # RFC 2822, as in RSS and e-mail
        ("Fri, 01 Mar 2019 10:00:00 GMT", date(2019, 3, 1)),
        ("Fri, 01 Mar 2019 23:00:00 -0500", date(2019, 3, 1)),
        # epoch seconds, read as UTC
        (1551434400, date(2019, 3, 1)),
        (1551484799.9, date(2019, 3, 1)),
        (0, date(1970, 1, 1)),
        # unreadable: None, never an exception
        ("01/03/2019", None),
        ("yesterday", None),
        ("2021-13-01", None),
        ("Mon, 32 Foo 2019 10:00:00 GMT", None),
        ("", None),
        ("   ", None),
        (None, None),
        (True, None),
        (False, None),
        (10**20, None),
        ([], None),
        ({"date": "2019-03-01"}, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_utc_datetime_from_feedparser_struct_time_is_aware_utc():
    parsed = time.strptime("2020-05-01 10:00:00", "%Y-%m-%d %H:%M:%S")  # feedparser's *_parsed: UTC already
    assert utc_datetime(parsed) == datetime(2020, 5, 1, 10, 0, tzinfo=UTC)
    assert utc_datetime(parsed).tzinfo is UTC


@pytest.mark.parametrize("parsed", [None, time.struct_time((10000, 1, 1, 0, 0, 0, 0, 1, 0))])
def test_utc_datetime_is_none_when_missing_or_out_of_range(parsed):
    assert utc_datetime(parsed) is None
