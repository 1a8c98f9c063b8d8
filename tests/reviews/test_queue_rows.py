"""The queue's per-row tags must write what the `{% url %}` and `date` filters they replaced wrote."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone


def _render(source: str, **context) -> str:
    return Template("{% load queue_rows %}" + source).render(Context(context))


@pytest.mark.parametrize("pk", [1, 36, 10_206_000])
def test_assignment_url_is_the_reversed_url(pk):
    expected = _render("{% url 'reviews:assignment_detail' pk %}", pk=pk)
    assert _render("{% assignment_url pk %}", pk=pk) == expected
    # Reversed once per page: every row gets its own pk.
    assert _render("{% assignment_url 5 %} {% assignment_url pk %}", pk=pk) == f"/reviews/assignments/5/ {expected}"


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_due_time_reads_as_the_date_filters_in_the_current_time_zone(zone):
    due_at = datetime(2026, 3, 29, 0, 30, 15, 250, tzinfo=UTC)  # Berlin's clocks go forward that night
    loop = '<time datetime="{{ due_at|date:\'c\' }}">{{ due_at|date:"D j M, H:i" }}</time>'
    with timezone.override(zone):
        expected = _render(loop, due_at=due_at)
        assert _render("{% due_time due_at %}", due_at=due_at) == expected
    assert expected.startswith('<time datetime="2026-03-')
