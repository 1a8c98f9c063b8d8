"""Reports: the published ones and their ClaimReview, public and read-only; an article's report for editors,
saved as a draft, published and withdrawn."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from factcheck.accounts import policy
from reviews.publishing import selectors, services
from reviews.publishing.claimreview import report_claim_reviews, report_document
from reviews.selectors.desk import desk_articles

from ..pagination import DeskCursorPagination
from ..permissions import PUBLIC
from ..serializers.publishing import (
    ArticleReportSerializer,
    ClaimReviewSerializer,
    ReportDocumentSerializer,
    ReportListSerializer,
    ReportWriteSerializer,
    WithdrawSerializer,
)
from .base import ApiView


class ReportPagination(DeskCursorPagination):
    ordering = ("-published_at", "-pk")
    page_size = 20
    max_page_size = 100


def _document_urls(request, report) -> dict:
    return {
        "page_url": request.build_absolute_uri(reverse("reviews:report_detail", args=[report.pk])),
        "publisher_name": settings.PUBLISHER_NAME,
        "publisher_url": settings.PUBLISHER_URL or request.build_absolute_uri("/"),
    }


def _public(request, pk: int):
    public = selectors.published_report(pk=pk, viewer=request.user)
    if public is None:
        raise Http404("No published report here.")
    return public


class ReportListView(ApiView, generics.ListAPIView):
    """Published fact-checks, newest first. Public."""

    policy = {"GET": PUBLIC}
    serializer_class = ReportListSerializer
    pagination_class = ReportPagination

    def get_queryset(self):
        return selectors.published_reports()

    def get_serializer_context(self):
        return super().get_serializer_context() | {"tally": selectors.report_tally}


class ReportDetailView(ApiView):
    policy = {"GET": PUBLIC}
    serializer_class = ReportDocumentSerializer

    def get(self, request, pk: int):
        """A published report as a document: the report, its article, one ClaimReview per claim (the same as
        /reviews/reports/<id>.json). Editors also see drafts and withdrawn reports. Public."""
        public = _public(request, pk)
        return Response(report_document(public=public, **_document_urls(request, public.report)))


class ReportClaimReviewView(ApiView):
    policy = {"GET": PUBLIC}
    serializer_class = ClaimReviewSerializer

    @extend_schema(responses={200: ClaimReviewSerializer(many=True)})
    def get(self, request, pk: int):
        """The report's schema.org ClaimReview list, as embedded in its page. Public."""
        public = _public(request, pk)
        return Response(report_claim_reviews(public=public, **_document_urls(request, public.report)))


def _article(pk: int):
    return get_object_or_404(desk_articles(), pk=pk)


def _article_report(article) -> dict:
    report = selectors.report_for_article(article_id=article.pk)
    return ArticleReportSerializer(
        {
            "report": report,
            "byline": selectors.report_byline(report=report) if report else None,
            "claims": selectors.report_editor_claims(article=article),
        }
    ).data


class ArticleReportView(ApiView):
    policy = {"GET": policy.can_publish, "PUT": policy.can_publish}
    serializer_class = ArticleReportSerializer

    def get(self, request, pk: int):
        """The article's report in any status (null before the first draft), its byline, and a claim per settled
        statement: saved ones as saved, the others prefilled from the statement, the article and the agreeing
        rationales (or the settle note). Send them back, edited, with PUT or publish: readers see only saved,
        included claims."""
        return Response(_article_report(_article(pk)))

    @extend_schema(
        summary="Save the report's draft",
        description="Creates or edits an unpublished report: headline, introduction, byline choice and claims (the "
        "claims given replace the saved ones; omitted, the saved ones stay). A published report changes only by "
        "publishing an update.",
        request=ReportWriteSerializer,
        responses={200: ArticleReportSerializer},
    )
    def put(self, request, pk: int):
        article = _article(pk)
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.report_draft_save(article=article, editor=request.user, **serializer.service_arguments())
        return Response(_article_report(article))


class ArticleReportPublishView(ApiView):
    policy = {"POST": policy.can_publish}
    serializer_class = ReportWriteSerializer

    @extend_schema(
        summary="Publish the article's report (or an update of it)",
        description="Publishes the claims given (or, omitted, the saved ones): at least one included, each "
        "included one with its explanation. Answers with the public document.",
        request=ReportWriteSerializer,
        responses={200: ReportDocumentSerializer},
    )
    def post(self, request, pk: int):
        article = _article(pk)
        serializer = ReportWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_publish(article=article, editor=request.user, **serializer.service_arguments())
        public = _public(request, report.pk)
        return Response(report_document(public=public, **_document_urls(request, report)))


class ArticleReportWithdrawView(ApiView):
    policy = {"POST": policy.can_publish}
    serializer_class = WithdrawSerializer

    @extend_schema(
        summary="Withdraw the article's published report",
        description="Readers no longer see it; it can be published again.",
        request=WithdrawSerializer,
        responses={200: ArticleReportSerializer},
    )
    def post(self, request, pk: int):
        article = _article(pk)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = selectors.report_for_article(article_id=article.pk)
        if report is None:
            raise Http404("This article has no report to withdraw.")
        services.report_withdraw(report=report, editor=request.user, note=serializer.validated_data["note"])
        return Response(_article_report(article))
