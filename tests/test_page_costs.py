"""Every page runs a fixed number of queries, at most 12, on a desk ten times bigger than a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ClaimMatch, Feed, FeedEntry, ImportItem, ImportJob, ImportSource, Statement
from factcheck.notifications.services.notices import Draft, notices_create
from reviews.models import Assignment, AssignmentBatch, Rating, Report
from reviews.services import summaries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BIG = 250  # ten times the 25-row pages
MAX_QUERIES = 12


@pytest.fixture
def big_desk(reviewer, other_reviewer, editor, admin_user):
    """BIG articles of two statements each, every statement assigned to the reviewer, half rated, reports,
    an import job with BIG items, a feed with BIG entries: built in bulk."""
    now = timezone.now()
    articles = Article.objects.bulk_create(
        [Article(title=f"Story {i}", body="A. B.", content_hash=f"h{i}", statement_count=2) for i in range(BIG)]
    )
    statements = Statement.objects.bulk_create(
        [
            Statement(article=a, position=p, start=0, end=2, text=f"Claim {a.pk}-{p} cost $4 million.", score=0.5)
            for a in articles
            for p in range(2)
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(statement=s, reviewer=reviewer, status="done" if i % 2 else "assigned")
            for i, s in enumerate(statements)
        ]
        + [Assignment(statement=s, reviewer=other_reviewer, status="done") for s in statements[1::2]]
    )
    Rating.objects.bulk_create(
        [
            Rating(statement=s, reviewer=u, verdict="false", confidence=3, rationale="r")
            for s in statements[1::2]
            for u in (reviewer, other_reviewer)
        ]
    )
    summaries.summaries_recompute_all()
    # "Already checked" suggestions on the first article's statements and the statement page's statement, each
    # against several earlier (rated, settled) statements: the pages must not query per suggestion.
    ClaimMatch.objects.bulk_create(
        [
            ClaimMatch(statement=s, earlier=earlier, score=0.7, method="default", status=status)
            for s in statements[:2]
            for earlier, status in zip(
                statements[3:13:2], ["suggested", "confirmed", "rejected", "suggested", "suggested"], strict=True
            )
        ]
    )
    Report.objects.bulk_create(
        [
            Report(article=a, status="published", headline=f"Check {a.pk}", published_at=now, first_published_at=now)
            for a in articles
        ]
    )
    job = ImportJob.objects.create(label="big", status=ImportJob.Status.DONE)
    source = ImportSource.objects.create(job=job, position=0, kind="file", name="big.csv", raw=b"x")
    ImportItem.objects.bulk_create(
        [
            ImportItem(job=job, source=source, position=i, name=f"big.csv#row {i}", raw=b"x", status="imported")
            for i in range(BIG)
        ]
    )
    ImportJob.objects.bulk_create([ImportJob(label=f"job {i}") for i in range(BIG)])
    feed = Feed.objects.create(url="https://news.example.org/feed.xml")
    FeedEntry.objects.bulk_create(
        [FeedEntry(feed=feed, guid=f"g{i}", link=f"https://news.example.org/{i}", job=job) for i in range(BIG)]
    )
    for i in range(BIG // 10):
        UserFactory(username=f"member{i}")
    notices_create(drafts=[Draft(reviewer.pk, f"k{i}", "settled", f"Claim {i}", "queue") for i in range(BIG)])
    # Every open assignment is overdue: the overdue page reads a page of them and a capped summary.
    Assignment.objects.filter(status="assigned").update(due_at=now - timezone.timedelta(hours=1))
    batch = AssignmentBatch.objects.create(created_by=editor, assignment_count=0)
    return {
        "batch": batch,
        "article": articles[0],
        "statement": statements[1],
        "assignment": Assignment.objects.filter(reviewer=reviewer).first(),
        "job": job,
        "feed": feed,
        "report": Report.objects.first(),
        "member": reviewer,
        "last_page": BIG // 25,
    }


PAGES = [  # (role, url name, argument key, query string)
    ("editor", "reviews:overview", None, ""),
    ("editor", "reviews:triage", None, ""),
    ("editor", "reviews:statement_list", None, ""),
    ("editor", "reviews:statement_list", None, "state=in_review&score_min=0.1&q=million&sort=newest"),
    ("editor", "reviews:article_list", None, "state=published&score_min=0.1&q=story"),
    ("editor", "reviews:article_list", None, ""),
    ("editor", "reviews:article_list", None, "page=last"),
    ("editor", "reviews:article_detail", "article", ""),
    ("editor", "reviews:article_history", "article", ""),
    ("editor", "reviews:statement_review", "statement", ""),
    ("editor", "articles:statement_curate", "statement", ""),
    ("editor", "reviews:scoring_models", None, ""),
    ("editor", "reviews:report_publish", "article", ""),
    ("editor", "reviews:auto_assign", None, ""),
    ("editor", "reviews:auto_assign", None, "preview=1&top=200&min_score=0&per_statement=2"),
    ("editor", "reviews:auto_assign_batch", "batch", ""),
    ("editor", "reviews:overdue", None, ""),
    ("editor", "reviews:overdue", None, "reviewer=reviewer"),
    ("reviewer", "reviews:queue", None, ""),
    ("reviewer", "reviews:assignment_detail", "assignment", ""),
    ("anonymous", "home", None, ""),
    ("anonymous", "reviews:report_list", None, ""),
    ("anonymous", "reviews:report_detail", "report", ""),
    ("admin", "articles:import_list", None, ""),
    ("admin", "articles:import_detail", "job", ""),
    ("admin", "articles:feed_list", None, ""),
    ("admin", "articles:feed_detail", "feed", ""),
    ("admin", "reviews:members", None, ""),
    ("admin", "reviews:member_detail", "member", ""),
    ("reviewer", "notifications:list", None, ""),
]


def test_every_page_runs_at_most_twelve_queries_on_a_big_desk(big_desk, client, reviewer, editor, admin_user):
    users = {"reviewer": reviewer, "editor": editor, "admin": admin_user}
    costs = {}
    for role, name, key, query in PAGES:
        client.logout()
        if role in users:
            client.force_login(users[role])
        url = reverse(name, args=[big_desk[key].pk] if key else [])
        if query:
            url += "?" + query.replace("last", str(big_desk["last_page"])).replace(
                "reviewer=reviewer", f"reviewer={reviewer.pk}"
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        costs[f"{name} {query}".strip()] = len(queries)
    over = {page: n for page, n in costs.items() if n > MAX_QUERIES}
    assert over == {}, costs
