"""Reports: the public documents (with schema.org ClaimReview) and what editors send to publish them."""

from __future__ import annotations

from rest_framework import serializers

from reviews.models import Report
from reviews.publishing.services import HEADLINE_MAX


class ClaimReviewSerializer(serializers.Serializer):
    """A schema.org ClaimReview (https://schema.org/ClaimReview), exactly as embedded in the report page."""

    context = serializers.CharField(source="@context")
    type = serializers.CharField(source="@type")
    url = serializers.CharField()
    claimReviewed = serializers.CharField()  # noqa: N815 - schema.org's property name
    datePublished = serializers.DateField(required=False)  # noqa: N815
    author = serializers.DictField()
    reviewRating = serializers.DictField()  # noqa: N815
    itemReviewed = serializers.DictField()  # noqa: N815

    def to_representation(self, instance):
        return instance  # already the document; this class only describes it


class ReportDocumentReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The public report page.")
    status = serializers.ChoiceField(Report.Status.choices)
    headline = serializers.CharField()
    summary = serializers.CharField()
    datePublished = serializers.DateField(allow_null=True)  # noqa: N815
    dateModified = serializers.DateField(allow_null=True)  # noqa: N815


class ReportDocumentArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    author = serializers.CharField()
    siteName = serializers.CharField()  # noqa: N815
    datePublished = serializers.DateField(allow_null=True)  # noqa: N815


class ReportDocumentSerializer(serializers.Serializer):
    """The report as /reviews/reports/<id>.json gives it: the report, its article, one ClaimReview per claim."""

    report = ReportDocumentReportSerializer()
    article = ReportDocumentArticleSerializer()
    claimReviews = ClaimReviewSerializer(many=True)  # noqa: N815

    def to_representation(self, instance):
        return instance


class ReportListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    headline = serializers.CharField()
    article_id = serializers.IntegerField()
    article_title = serializers.CharField(source="article.title")
    article_url = serializers.CharField(source="article.url")
    site_name = serializers.CharField(source="article.site_name")
    first_published_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField()
    tally = serializers.SerializerMethodField(help_text="[verdict, number of claims] from True to Unverifiable.")

    def get_tally(self, obj) -> list[list]:
        return [[verdict, count] for verdict, count in self.context["tally"](obj)]


class PublicSourceSerializer(serializers.Serializer):
    url = serializers.CharField()
    note = serializers.CharField()


class PublicStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    text = serializers.CharField()
    verdict = serializers.CharField()
    verdict_label = serializers.CharField()
    explained_by_editor = serializers.BooleanField()
    explanation = serializers.ListField(child=serializers.CharField())
    sources = PublicSourceSerializer(many=True)


class EditorReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Report.Status.choices)
    headline = serializers.CharField()
    summary = serializers.CharField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ArticleReportSerializer(serializers.Serializer):
    """An article's report for editors, in any status, with the statements it shows (or will show)."""

    report = EditorReportSerializer(allow_null=True)
    statements = PublicStatementSerializer(many=True)


class ReportWriteSerializer(serializers.Serializer):
    headline = serializers.CharField(max_length=HEADLINE_MAX)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)


class WithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class VerdictExportRowSerializer(serializers.Serializer):
    """One settled statement in the JSON export."""

    article_id = serializers.IntegerField()
    article_title = serializers.CharField()
    article_url = serializers.CharField()
    statement_id = serializers.IntegerField()
    statement = serializers.CharField()
    final_verdict = serializers.CharField()
    final_verdict_label = serializers.CharField()
    ratings = serializers.IntegerField()
    consensus = serializers.CharField()
    settled_by = serializers.CharField()
    published = serializers.BooleanField(help_text="Its article's report is published.")
