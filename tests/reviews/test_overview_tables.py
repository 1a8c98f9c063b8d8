"""The overview's per-reviewer rows come from tags; they must read exactly as the template loops they replaced."""

from django.contrib.auth import get_user_model
from django.template import Context, Template

from reviews.models import TeamSummary

# The template loops the tags replaced, kept here as the reference output.
WORKLOAD_LOOP = (
    "{% for r in workload %}<tr><td>{{ r.get_full_name|default:r.username }}</td>"
    '<td class="text-end">{{ r.open_count }}</td><td class="text-end">{{ r.done_count }}</td></tr>'
    '{% empty %}<tr><td colspan="3" class="text-secondary">No reviewers yet.</td></tr>{% endfor %}'
)
AGREEMENT_LOOP = (
    "{% load verdicts %}{% for r in reviewers %}<tr><td>{{ r.reviewer.get_full_name|default:r.reviewer.username }}"
    '</td><td class="text-end">{{ r.rating_count }}</td><td class="text-end">{% if r.agreement_with_consensus is not'
    ' None %}{{ r.agreement_with_consensus|percent }}%{% else %}—{% endif %}</td><td class="text-end">{% if'
    " r.median_hours_to_rate is not None %}{{ r.median_hours_to_rate|floatformat:1 }} h{% else %}—{% endif %}</td>"
    '</tr>{% empty %}<tr><td colspan="4" class="text-secondary">No ratings yet.</td></tr>{% endfor %}'
)

User = get_user_model()


def _reviewers():
    plain = User(username="rev<1>", first_name="", last_name="")
    named = User(username="rev2", first_name="Ana & Bo", last_name="O'Neil")
    plain.open_count, plain.done_count = 0, 12345
    named.open_count, named.done_count = 7, 0
    return [plain, named]


def _summaries():
    plain, named = _reviewers()
    return [
        TeamSummary(scope="reviewer", reviewer=plain, rating_count=0),
        TeamSummary(
            scope="reviewer",
            reviewer=named,
            rating_count=1200,
            agreement_with_consensus=0.665,
            median_hours_to_rate=3.25,
        ),
        TeamSummary(
            scope="reviewer", reviewer=named, rating_count=3, agreement_with_consensus=0.0, median_hours_to_rate=0.04
        ),
    ]


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_workload_rows_read_as_the_template_loop():
    tag = "{% load overview_tables %}{% workload_rows workload %}"
    expected = _render(WORKLOAD_LOOP, workload=_reviewers())
    assert "rev&lt;1&gt;" in expected and "Ana &amp; Bo O&#x27;Neil" in expected
    assert _render(tag, workload=_reviewers()) == expected
    assert _render(tag, workload=[]) == _render(WORKLOAD_LOOP, workload=[])


def test_reviewer_agreement_rows_read_as_the_template_loop():
    summaries = _summaries()
    expected = _render(AGREEMENT_LOOP, reviewers=summaries)
    assert expected.count("—") == 2 and "0%" in expected and "0.0 h" in expected
    assert "Ana &amp; Bo O&#x27;Neil" in expected
    tag = "{% load overview_tables %}{% reviewer_agreement_rows reviewers %}"
    assert _render(tag, reviewers=summaries) == expected
    assert _render(tag, reviewers=[]) == _render(AGREEMENT_LOOP, reviewers=[])
