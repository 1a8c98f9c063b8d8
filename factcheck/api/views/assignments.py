"""Assignments: editors list, create (by hand or auto, with a preview) and take them back; reviewers see their
own queue. What a reviewer sees of a statement keeps review blind."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from articles.selectors.statements import statements as statement_lookup
from factcheck.accounts import policy
from reviews.selectors import assignments as selectors
from reviews.selectors import ratings as rating_selectors
from reviews.selectors.desk import checkable_statements, desk_articles
from reviews.services import assignments as services
from reviews.services import ratings as rating_services

from ..pagination import IdCursorPagination
from ..serializers.reviews import (
    AssignmentCreateSerializer,
    AssignmentFilterSerializer,
    AssignmentsCreatedSerializer,
    AssignmentSerializer,
    AutoAssignSerializer,
    QueueFilterSerializer,
    QueueItemDetailSerializer,
    QueueItemSerializer,
)
from .base import ApiView


def _statements(ids: list[int]) -> list:
    found = list(statement_lookup().filter(pk__in=set(ids)).only("pk", "article_id"))
    missing = sorted(set(ids) - {s.pk for s in found})
    if missing:
        raise ValidationError({"statements": [f"No statement with id {', '.join(map(str, missing[:5]))}."]})
    return found


@extend_schema(parameters=[AssignmentFilterSerializer])
class AssignmentListView(ApiView, generics.ListCreateAPIView):
    """Every assignment on the desk, newest first (editors). Reviewers use their queue."""

    policy = {"GET": policy.can_view_articles, "POST": policy.can_assign}
    serializer_class = AssignmentSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        f = self.filters(AssignmentFilterSerializer)
        assignments = selectors.assignments_for_editors()
        for key, lookup in (
            ("statement", "statement_id"),
            ("article", "statement__article_id"),
            ("reviewer", "reviewer_id"),
            ("status", "status"),
        ):
            if f.get(key):
                assignments = assignments.filter(**{lookup: f[key]})
        return assignments

    @extend_schema(
        summary="Assign statements by hand",
        description="Every given statement to every given reviewer; pairs that exist already are left alone.",
        parameters=[],
        request=AssignmentCreateSerializer,
        responses={201: AssignmentsCreatedSerializer},
    )
    def post(self, request, *args, **kwargs):
        serializer = AssignmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        statements = _statements(serializer.validated_data["statements"])
        reviewer_ids = set(serializer.validated_data["reviewers"])
        reviewers = list(selectors.desk_reviewers().filter(pk__in=reviewer_ids))
        strangers = sorted(reviewer_ids - {r.pk for r in reviewers})
        if strangers:
            raise ValidationError(
                {"reviewers": [f"Not an active reviewer: {', '.join(map(str, strangers[:5]))}. Assign reviewers only."]}
            )
        created = services.assignments_create(statements=statements, reviewers=reviewers, assigned_by=request.user)
        return Response({"created": created, "dry_run": False, "pairs": []}, status=status.HTTP_201_CREATED)


class AssignmentAutoView(ApiView):
    policy = {"POST": policy.can_assign}
    serializer_class = AutoAssignSerializer

    @extend_schema(
        summary="Auto-assign, or preview it",
        description="Gives each statement `per_statement` reviewers, least loaded first, never one reviewer "
        "twice; settled statements are skipped. With `dry_run` nothing is assigned and `pairs` says what would be.",
        request=AutoAssignSerializer,
        responses={200: AssignmentsCreatedSerializer, 201: AssignmentsCreatedSerializer},
    )
    def post(self, request):
        serializer = AutoAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        if values.get("article"):
            article = desk_articles().filter(pk=values["article"]).first()
            if article is None:
                raise ValidationError({"article": ["No article with this id."]})
            statements = list(checkable_statements(article=article, only_checkable=values["only_checkable"]))
        else:
            statements = _statements(values["statements"])
        if values["dry_run"]:
            pairs = services.assignments_auto_preview(
                statements=statements, previewed_by=request.user, per_statement=values["per_statement"]
            )
            body = {"created": 0, "dry_run": True, "pairs": [{"statement": s, "reviewer": r} for s, r in pairs]}
            return Response(body)
        created = services.assignments_auto_create(
            statements=statements, assigned_by=request.user, per_statement=values["per_statement"]
        )
        return Response({"created": created, "dry_run": False, "pairs": []}, status=status.HTTP_201_CREATED)


class AssignmentDetailView(ApiView):
    policy = {"GET": policy.can_view_articles, "DELETE": policy.can_assign}
    serializer_class = AssignmentSerializer

    def get(self, request, pk: int):
        return Response(AssignmentSerializer(get_object_or_404(selectors.assignments_for_editors(), pk=pk)).data)

    @extend_schema(summary="Take a statement back from a reviewer who has not rated it yet", responses={204: None})
    def delete(self, request, pk: int):
        assignment = get_object_or_404(selectors.assignments_for_editors(), pk=pk)
        services.assignment_remove(assignment=assignment, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[QueueFilterSerializer])
class QueueView(ApiView, generics.ListAPIView):
    """The reviewer's own assignments, newest first (`status=assigned` for what is left to rate)."""

    policy = {"GET": policy.can_rate}
    serializer_class = QueueItemSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        wanted = self.filters(QueueFilterSerializer).get("status")
        if wanted:
            return selectors.reviewer_queue(user=self.request.user, status=wanted)
        return selectors.assignments_of(user=self.request.user).defer("statement__article__body")


class QueueItemView(ApiView):
    policy = {"GET": policy.can_rate}
    serializer_class = QueueItemDetailSerializer

    def get(self, request, pk: int):
        """One of your assignments, the statement in its article's text, your rating, and the others' once you
        have rated (blind review). Someone else's assignment is a 404."""
        assignment = get_object_or_404(selectors.assignments_of(user=request.user), pk=pk)
        statement = assignment.statement
        summary = getattr(statement, "summary", None)
        body = statement.article.body
        assignment.context_before = body[: statement.start]
        assignment.context_after = body[statement.end :]
        assignment.locked = bool(summary and summary.settled)
        others = rating_selectors.other_ratings_visible_to(user=request.user, statement_id=statement.pk)
        if others:
            rating_services.rating_saw_others(reviewer=request.user, statement_id=statement.pk)
        context = {
            "my_rating": rating_selectors.own_rating(user=request.user, statement_id=statement.pk),
            "other_ratings": others,
        }
        return Response(QueueItemDetailSerializer(assignment, context=context).data)
