import hashlib

import factory
from django.contrib.auth import get_user_model
from django.db.models import F

from articles.models import Article, Statement
from factcheck.core.counters import add_to_counters
from reviews.models import Assignment, Rating, ReviewerLoad


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    body = "The council spent $48 million on the bridge. Residents were divided."
    content_hash = factory.LazyAttributeSequence(lambda a, n: hashlib.sha256(f"{a.body}{n}".encode()).hexdigest())


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    start = 0
    end = factory.LazyAttribute(lambda s: len(s.text))
    text = "The council spent $48 million on the bridge."
    score = 0.8
    checkability = Statement.Checkability.CHECKABLE

    @factory.post_generation
    def counted(obj, create, extracted, **kwargs):
        # Storage keeps an article's statement count; statements made here count too.
        if create:
            Article.objects.filter(pk=obj.article_id).update(statement_count=F("statement_count") + 1)


def _advance_review_status(statement_id: int, to: str) -> None:
    """Keep the statement's review status as the services would (factories skip the services)."""
    order = list(Statement.ReviewStatus.values)
    earlier = order[: order.index(to)]
    Statement.objects.filter(pk=statement_id, review_status__in=earlier).update(review_status=to)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    statement = factory.SubFactory(StatementFactory)
    reviewer = factory.SubFactory(UserFactory)

    @factory.post_generation
    def review_status(obj, create, extracted, **kwargs):
        if create:
            _advance_review_status(obj.statement_id, Statement.ReviewStatus.ASSIGNED)
            # The counters and the queue's score copy the services keep.
            counter = "open_count" if obj.status == Assignment.Status.ASSIGNED else "done_count"
            add_to_counters(ReviewerLoad, "reviewer", {obj.reviewer_id: {counter: 1}})
            Assignment.objects.filter(pk=obj.pk).update(score=obj.statement.score)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating
        skip_postgeneration_save = True

    statement = factory.SubFactory(StatementFactory)
    reviewer = factory.SubFactory(UserFactory)
    verdict = "true"
    blind_verdict = factory.LazyAttribute(lambda rating: rating.verdict)
    confidence = 4
    rationale = "Checked against the council minutes."

    @factory.post_generation
    def review_status(obj, create, extracted, **kwargs):
        if create:
            _advance_review_status(obj.statement_id, Statement.ReviewStatus.RATED)
