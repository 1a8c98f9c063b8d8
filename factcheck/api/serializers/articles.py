"""Articles, statements and their summaries as the API shows them to editors, and the list filters."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Statement
from reviews import verdicts
from reviews.models import VERDICT_CHOICES, Report

CONSENSUS_CHOICES = [*VERDICT_CHOICES, (verdicts.PENDING, "Pending"), (verdicts.DISPUTED, "Disputed")]


class ReviewerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class StatementSummarySerializer(serializers.Serializer):
    rating_count = serializers.IntegerField()
    consensus = serializers.ChoiceField(
        CONSENSUS_CHOICES, help_text="From the ratings: a verdict, pending or disputed."
    )
    settled = serializers.BooleanField()
    editor_verdict = serializers.CharField(help_text="An editor's settlement; empty when the reviewers agreed.")
    final_verdict = serializers.CharField(help_text="The editor's verdict if there is one, else the consensus.")
    settle_note = serializers.CharField()
    updated_at = serializers.DateTimeField()


class ArticleSummarySerializer(serializers.Serializer):
    rated_count = serializers.IntegerField()
    settled_count = serializers.IntegerField()
    disputed_count = serializers.IntegerField()
    distribution = serializers.DictField(child=serializers.IntegerField(), help_text="final verdict → statements")


class ReportStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Report.Status.choices)
    headline = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


def _summary(obj, serializer):
    summary = getattr(obj, "summary", None)
    return serializer(summary).data if summary is not None else None


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    site_name = serializers.CharField()
    published = serializers.DateField(allow_null=True)


class StatementListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = ArticleRefSerializer()
    position = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Check-worthiness, 0 to 1.")
    score_reasons = serializers.ListField(child=serializers.CharField())
    scored_by = serializers.CharField(help_text="The scoring model's name.")
    checkability = serializers.ChoiceField(Statement.Checkability.choices)
    review_status = serializers.ChoiceField(Statement.ReviewStatus.choices)
    summary = serializers.SerializerMethodField()

    @extend_schema_field(StatementSummarySerializer(allow_null=True))
    def get_summary(self, obj):
        return _summary(obj, StatementSummarySerializer)


class AssignmentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = ReviewerSerializer()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class EvidenceSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.IntegerField(source="statement_id")
    reviewer = ReviewerSerializer()
    verdict = serializers.ChoiceField(VERDICT_CHOICES)
    confidence = serializers.IntegerField(min_value=1, max_value=5)
    rationale = serializers.CharField()
    evidence = EvidenceSerializer(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class StatementDetailSerializer(StatementListSerializer):
    start = serializers.IntegerField(help_text="Offset of the sentence in the article's body.")
    end = serializers.IntegerField()
    assignments = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()

    @extend_schema_field(AssignmentBriefSerializer(many=True))
    def get_assignments(self, obj):
        return AssignmentBriefSerializer(self.context.get("assignments", []), many=True).data

    @extend_schema_field(RatingSerializer(many=True))
    def get_ratings(self, obj):
        return RatingSerializer(self.context.get("ratings", []), many=True).data


class ArticleStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField()
    score_reasons = serializers.ListField(child=serializers.CharField())
    scored_by = serializers.CharField()
    checkability = serializers.ChoiceField(Statement.Checkability.choices)
    review_status = serializers.ChoiceField(Statement.ReviewStatus.choices)
    summary = serializers.SerializerMethodField()
    assignments = AssignmentBriefSerializer(many=True, source="assignments.all")

    @extend_schema_field(StatementSummarySerializer(allow_null=True))
    def get_summary(self, obj):
        return _summary(obj, StatementSummarySerializer)


class ArticleListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    author = serializers.CharField()
    published = serializers.DateField(allow_null=True)
    site_name = serializers.CharField()
    created_at = serializers.DateTimeField(help_text="When it was imported.")
    statement_count = serializers.IntegerField()
    summary = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()

    @extend_schema_field(ArticleSummarySerializer(allow_null=True))
    def get_summary(self, obj):
        return _summary(obj, ArticleSummarySerializer)

    @extend_schema_field(ReportStatusSerializer(allow_null=True))
    def get_report(self, obj):
        report = getattr(obj, "report", None)
        return ReportStatusSerializer(report).data if report is not None else None


class ArticleDetailSerializer(ArticleListSerializer):
    body = serializers.CharField(help_text="The cleaned text; statements point into it by offsets.")
    statements = ArticleStatementSerializer(many=True, source="ordered_statements")


class ArticleFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Words in the title or site name.")
    site = serializers.CharField(required=False, max_length=200, help_text="Site name contains this.")
    published_after = serializers.DateField(required=False, help_text="Published on or after (YYYY-MM-DD).")
    published_before = serializers.DateField(required=False, help_text="Published on or before.")
    imported_after = serializers.DateField(required=False, help_text="Imported on or after.")
    imported_before = serializers.DateField(required=False, help_text="Imported on or before.")
    has_report = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, data):
        for low, high in (("published_after", "published_before"), ("imported_after", "imported_before")):
            if data.get(low) and data.get(high) and data[low] > data[high]:
                raise serializers.ValidationError({high: f"Must not be before {low}."})
        return data


class StatementFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, help_text="Words in the statement's text.")
    review_status = serializers.MultipleChoiceField(
        choices=Statement.ReviewStatus.choices, required=False, help_text="One or more, repeated: new, assigned, …"
    )
    consensus = serializers.ChoiceField(CONSENSUS_CHOICES, required=False, help_text="e.g. disputed.")
    final_verdict = serializers.ChoiceField(VERDICT_CHOICES, required=False, help_text="Settled with this verdict.")
    checkability = serializers.ChoiceField(Statement.Checkability.choices, required=False)
    score_min = serializers.FloatField(required=False, min_value=0, max_value=1)
    score_max = serializers.FloatField(required=False, min_value=0, max_value=1)
    article = serializers.IntegerField(required=False, min_value=1, help_text="Only this article's statements.")
    site = serializers.CharField(required=False, max_length=200, help_text="The article's site name contains this.")
    published_after = serializers.DateField(required=False, help_text="Article published on or after.")
    published_before = serializers.DateField(required=False, help_text="Article published on or before.")
    imported_after = serializers.DateField(required=False, help_text="Article imported on or after.")
    imported_before = serializers.DateField(required=False, help_text="Article imported on or before.")

    def validate(self, data):
        low, high = data.get("score_min"), data.get("score_max")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"score_max": "Must not be below score_min."})
        for low, high in (("published_after", "published_before"), ("imported_after", "imported_before")):
            if data.get(low) and data.get(high) and data[low] > data[high]:
                raise serializers.ValidationError({high: f"Must not be before {low}."})
        return data


class SettleSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(VERDICT_CHOICES)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
