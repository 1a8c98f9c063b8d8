import hashlib

import factory
from django.contrib.auth import get_user_model

from articles.models import Article, Statement
from reviews.models import Assignment, Rating


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

    article = factory.SubFactory(ArticleFactory)
    position = factory.Sequence(lambda n: n)
    start = 0
    end = factory.LazyAttribute(lambda s: len(s.text))
    text = "The council spent $48 million on the bridge."
    score = 0.8
    checkability = Statement.Checkability.CHECKABLE


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    statement = factory.SubFactory(StatementFactory)
    reviewer = factory.SubFactory(UserFactory)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    statement = factory.SubFactory(StatementFactory)
    reviewer = factory.SubFactory(UserFactory)
    verdict = "true"
    confidence = 4
    rationale = "Checked against the council minutes."
