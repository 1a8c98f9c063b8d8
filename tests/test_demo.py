"""`python manage.py demo` sets up a desk someone can try at once, and can be run again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from articles.models import Article
from factcheck.accounts.services import roles_ensure
from reviews.models import Assignment
from tests.conftest import signs_in


@pytest.mark.django_db(transaction=True)  # the demo import is enqueued on commit, as in real use
def test_demo_creates_logins_articles_and_assignments_and_is_idempotent():
    roles_ensure()  # transactional tests start from a flushed database
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    for username in ("admin", "editor", "reviewer1", "reviewer2", "reviewer3"):
        assert f"{username} / {username}-demo-pass" in text
        assert signs_in(username, f"{username}-demo-pass")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].has_perm("articles.import_articles") and not users["admin"].is_superuser
    assert users["editor"].has_perm("reviews.assign_statements")
    assert users["reviewer1"].has_perm("reviews.rate_statements")
    assert Article.objects.count() == 3
    assignments = Assignment.objects.count()
    assert assignments > 0
    assert users["reviewer1"].email == "reviewer1@example.org"
    # The auto-assign told each reviewer once, in the app and by e-mail (the console backend in real use).
    assigned = {m.to[0] for m in mail.outbox if "assigned you" in m.subject}
    assert assigned and assigned <= {f"reviewer{i}@example.org" for i in (1, 2, 3)}
    assert len([m for m in mail.outbox if "assigned you" in m.subject]) == len(assigned)

    call_command("demo", stdout=io.StringIO())
    assert (Article.objects.count(), Assignment.objects.count(), get_user_model().objects.count()) == (
        3,
        assignments,
        5,
    )
