"""Assignments, a reviewer's queue and ratings as the API shows them. What a reviewer sees of a statement
never includes other reviewers' verdicts or the consensus before their own rating (blind review)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import VERDICT_CHOICES, Assignment

from .articles import EvidenceSerializer, RatingSerializer, ReviewerSerializer


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.IntegerField(source="statement_id")
    reviewer = ReviewerSerializer()
    status = serializers.ChoiceField(Assignment.Status.choices)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)


class AssignmentFilterSerializer(serializers.Serializer):
    statement = serializers.IntegerField(required=False, min_value=1)
    article = serializers.IntegerField(required=False, min_value=1)
    reviewer = serializers.IntegerField(required=False, min_value=1)
    status = serializers.ChoiceField(Assignment.Status.choices, required=False)


class AssignmentCreateSerializer(serializers.Serializer):
    statements = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)
    reviewers = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=100)


class AutoAssignSerializer(serializers.Serializer):
    article = serializers.IntegerField(required=False, min_value=1, help_text="All of this article's statements…")
    statements = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000, help_text="…or these."
    )
    per_statement = serializers.IntegerField(min_value=1, max_value=10, default=2)
    only_checkable = serializers.BooleanField(
        default=True, help_text="With `article`: only statements marked checkable."
    )
    dry_run = serializers.BooleanField(default=False, help_text="Only say what would be assigned (a preview).")

    def validate(self, data):
        if bool(data.get("article")) == bool(data.get("statements")):
            raise serializers.ValidationError("Give either `article` or `statements`.")
        return data


class PairSerializer(serializers.Serializer):
    statement = serializers.IntegerField()
    reviewer = serializers.IntegerField()


class AssignmentsCreatedSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="New assignments; existing pairs are left alone.")
    dry_run = serializers.BooleanField()
    pairs = PairSerializer(many=True, help_text="With dry_run: the (statement, reviewer) pairs it would make.")


class QueueFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(Assignment.Status.choices, required=False)


class QueueStatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    score = serializers.FloatField()
    article_id = serializers.IntegerField()
    article_title = serializers.CharField(source="article.title")
    article_url = serializers.CharField(source="article.url")
    site_name = serializers.CharField(source="article.site_name")


class QueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Assignment.Status.choices)
    created_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    statement = QueueStatementSerializer()


class OwnRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.IntegerField(source="statement_id")
    verdict = serializers.ChoiceField(VERDICT_CHOICES)
    confidence = serializers.IntegerField()
    rationale = serializers.CharField()
    evidence = EvidenceSerializer(many=True, source="evidence.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class QueueItemDetailSerializer(QueueItemSerializer):
    context_before = serializers.CharField(help_text="The article's text before the statement.")
    context_after = serializers.CharField(help_text="The article's text after the statement.")
    locked = serializers.BooleanField(help_text="The statement is settled: its ratings can no longer change.")
    my_rating = serializers.SerializerMethodField()
    other_ratings = serializers.SerializerMethodField(
        help_text="Other reviewers' ratings: empty until you have submitted your own (blind review)."
    )

    @extend_schema_field(OwnRatingSerializer(allow_null=True))
    def get_my_rating(self, obj):
        rating = self.context.get("my_rating")
        return OwnRatingSerializer(rating).data if rating else None

    @extend_schema_field(RatingSerializer(many=True))
    def get_other_ratings(self, obj):
        return RatingSerializer(self.context.get("other_ratings", []), many=True).data


class RatingWriteSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(VERDICT_CHOICES)
    confidence = serializers.IntegerField(min_value=1, max_value=5, help_text="1 = a guess, 5 = certain.")
    rationale = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, help_text="Required unless not_checkable."
    )
    evidence = EvidenceSerializer(many=True, required=False, default=list)

    def validate_evidence(self, evidence):
        if len(evidence) > 20:
            raise serializers.ValidationError("At most 20 evidence links.")
        return evidence

    def validate(self, data):
        if data.get("verdict") != "not_checkable" and not (data.get("rationale") or "").strip():
            raise serializers.ValidationError(
                {"rationale": "Explain your verdict (only 'not_checkable' may leave this empty)."}
            )
        return data


class RatingCreateSerializer(RatingWriteSerializer):
    assignment = serializers.IntegerField(min_value=1, help_text="Your assignment of the statement you rate.")


class RatingPatchSerializer(RatingWriteSerializer):
    verdict = serializers.ChoiceField(VERDICT_CHOICES, required=False)
    confidence = serializers.IntegerField(min_value=1, max_value=5, required=False)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    evidence = EvidenceSerializer(many=True, required=False)

    def validate(self, data):
        return data  # completed with the stored rating, then checked as a whole


class RatingDetailSerializer(OwnRatingSerializer):
    other_ratings = serializers.SerializerMethodField(
        help_text="Other reviewers' ratings of the statement, visible now that you have rated it."
    )

    @extend_schema_field(RatingSerializer(many=True))
    def get_other_ratings(self, obj):
        return RatingSerializer(self.context.get("other_ratings", []), many=True).data
