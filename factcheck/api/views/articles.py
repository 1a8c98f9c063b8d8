"""Articles and statements for editors: lists with filters, details with scores, reasons, summary and
consensus, and settling a statement."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from factcheck.accounts import policy
from reviews.selectors import assignments as assignment_selectors
from reviews.selectors import desk as selectors
from reviews.selectors import ratings as rating_selectors
from reviews.services.settlement import statement_settle

from ..pagination import IdCursorPagination
from ..serializers.articles import (
    ArticleDetailSerializer,
    ArticleFilterSerializer,
    ArticleListSerializer,
    SettleSerializer,
    StatementDetailSerializer,
    StatementFilterSerializer,
    StatementListSerializer,
    StatementSummarySerializer,
)
from .base import ApiView


def _start_of(day) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


def import_window(filters: dict) -> dict:
    """The imported_after/imported_before dates (inclusive) as the selectors' time window."""
    before = filters.get("imported_before")
    return {
        "imported_from": _start_of(filters.get("imported_after")),
        "imported_until": _start_of(before + timedelta(days=1)) if before else None,
    }


@extend_schema(parameters=[ArticleFilterSerializer])
class ArticleListView(ApiView, generics.ListAPIView):
    """The desk's articles, newest first, with their summary and report status."""

    policy = {"GET": policy.can_view_articles}
    serializer_class = ArticleListSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        f = self.filters(ArticleFilterSerializer)
        return selectors.articles_filtered(
            search=f.get("q", ""),
            site=f.get("site", ""),
            published_after=f.get("published_after"),
            published_before=f.get("published_before"),
            has_report=f.get("has_report"),
            **import_window(f),
        )


class ArticleDetailView(ApiView):
    policy = {"GET": policy.can_view_articles}
    serializer_class = ArticleDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("order", OpenApiTypes.STR, enum=["position", "score"], description="Statement order.")
        ]
    )
    def get(self, request, pk: int):
        """The article with its text, summary and report, and every statement with its scores, reasons,
        summary, consensus and assignments."""
        order = "score" if request.query_params.get("order") == "score" else "position"
        article = selectors.article_page(pk=pk, order=order)
        if article is None:
            raise Http404("No such article.")
        return Response(ArticleDetailSerializer(article).data)


@extend_schema(parameters=[StatementFilterSerializer])
class StatementListView(ApiView, generics.ListAPIView):
    """Statements across the desk, newest first. `consensus=disputed` lists what editors should settle."""

    policy = {"GET": policy.can_view_articles}
    serializer_class = StatementListSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        f = self.filters(StatementFilterSerializer)
        return selectors.statements_filtered(
            search=f.get("q", ""),
            review_statuses=sorted(f.get("review_status") or ()),
            consensus=f.get("consensus", ""),
            final_verdict=f.get("final_verdict", ""),
            checkability=f.get("checkability", ""),
            score_min=f.get("score_min"),
            score_max=f.get("score_max"),
            article_id=f.get("article"),
            site=f.get("site", ""),
            published_after=f.get("published_after"),
            published_before=f.get("published_before"),
            **import_window(f),
        )


def _statement_detail(pk: int) -> dict:
    statement = get_object_or_404(selectors.statement_for_review(), pk=pk)
    context = {
        "ratings": rating_selectors.ratings_for_statement(statement_id=pk),
        "assignments": assignment_selectors.assignments_for_editors().filter(statement_id=pk).order_by("pk"),
    }
    return StatementDetailSerializer(statement, context=context).data


class StatementDetailView(ApiView):
    policy = {"GET": policy.can_view_articles}
    serializer_class = StatementDetailSerializer

    def get(self, request, pk: int):
        """The statement with its article, scores, reasons, summary and consensus, every rating and assignment."""
        return Response(_statement_detail(pk))


class StatementSettleView(ApiView):
    policy = {"POST": policy.can_settle}
    serializer_class = SettleSerializer

    @extend_schema(
        summary="Settle a statement",
        description="An editor's final verdict (typically of a disputed statement); its ratings lock. Settling "
        "again revises it.",
        request=SettleSerializer,
        responses={200: StatementSummarySerializer},
    )
    def post(self, request, pk: int):
        statement = get_object_or_404(selectors.statement_for_review(), pk=pk)
        serializer = SettleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        summary = statement_settle(statement=statement, editor=request.user, **serializer.validated_data)
        return Response(StatementSummarySerializer(summary).data)
