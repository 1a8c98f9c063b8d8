"""Reports: the public documents (with schema.org ClaimReview) and what editors send to publish them."""

from __future__ import annotations

from rest_framework import serializers

from reviews.models import VERDICT_CHOICES, Report, ReportClaim
from reviews.publishing.services import (
    CLAIM_TEXT_MAX,
    CLAIMANT_MAX,
    EXPLANATION_MAX,
    HEADLINE_MAX,
    SOURCE_NOTE_MAX,
    SOURCES_MAX,
    ClaimInput,
    SourceInput,
)


class ClaimReviewSerializer(serializers.Serializer):
    """A schema.org ClaimReview (https://schema.org/ClaimReview), exactly as embedded in the report page."""

    context = serializers.CharField(source="@context")
    type = serializers.CharField(source="@type")
    url = serializers.CharField()
    claimReviewed = serializers.CharField(help_text="The claim in the words the editor approved.")  # noqa: N815
    datePublished = serializers.DateField(required=False)  # noqa: N815
    author = serializers.ListField(
        child=serializers.DictField(),
        help_text="The byline: the publishing organisation, then the editor and the reviewers it names.",
    )
    publisher = serializers.DictField()
    reviewRating = serializers.DictField()  # noqa: N815
    reviewBody = serializers.CharField(required=False, help_text="The explanation the editor approved.")  # noqa: N815
    itemReviewed = serializers.DictField(  # noqa: N815
        help_text="The Claim: its author (the claimant), datePublished and appearance when known."
    )
    citation = serializers.ListField(child=serializers.DictField(), required=False, help_text="The sources.")

    def to_representation(self, instance):
        return instance  # already the document; this class only describes it


class BylineSerializer(serializers.Serializer):
    editor = serializers.CharField(help_text="The editor who published the report (empty before publishing).")
    reviewers = serializers.ListField(
        child=serializers.CharField(),
        help_text="Reviewers whose verdicts the report carries and who agreed to be named, if the editor credits them.",
    )


class ReportDocumentReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The public report page.")
    status = serializers.ChoiceField(Report.Status.choices)
    headline = serializers.CharField()
    summary = serializers.CharField()
    datePublished = serializers.DateField(allow_null=True)  # noqa: N815
    dateModified = serializers.DateField(allow_null=True)  # noqa: N815
    byline = BylineSerializer()


class ReportDocumentArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    author = serializers.CharField()
    siteName = serializers.CharField()  # noqa: N815
    datePublished = serializers.DateField(allow_null=True)  # noqa: N815


class ReportDocumentSerializer(serializers.Serializer):
    """The report as /reviews/reports/<id>.json gives it: the report and its byline, its article, one ClaimReview
    per included claim."""

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


class SourceSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, help_text="An http(s) link.")
    note = serializers.CharField(max_length=SOURCE_NOTE_MAX, required=False, allow_blank=True, default="")


class EditorClaimSerializer(serializers.Serializer):
    """A settled statement on the report editor: its live verdict and the claim's values, saved or prefilled."""

    statement_id = serializers.IntegerField()
    position = serializers.IntegerField()
    statement_text = serializers.CharField(help_text="The statement as the article has it.")
    verdict = serializers.ChoiceField(VERDICT_CHOICES, help_text="The statement's final verdict now.")
    verdict_label = serializers.CharField()
    saved = serializers.BooleanField(help_text="The report has this claim saved; otherwise the values are a prefill.")
    saved_verdict = serializers.CharField(help_text="The verdict the claim was saved for ('' when not saved).")
    verdict_changed = serializers.BooleanField(help_text="Saved for another verdict than the one it has now.")
    settled_how = serializers.ChoiceField(["consensus", "editor"])
    included = serializers.BooleanField(source="values.included")
    claim_text = serializers.CharField(source="values.claim_text")
    claimant = serializers.CharField(source="values.claimant")
    claimant_type = serializers.ChoiceField(ReportClaim.ClaimantType.choices, source="values.claimant_type")
    appearance_url = serializers.CharField(source="values.appearance_url")
    appearance_date = serializers.DateField(source="values.appearance_date", allow_null=True)
    explanation = serializers.CharField(source="values.explanation")
    sources = SourceSerializer(many=True, source="values.sources")


class EditorReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(Report.Status.choices)
    headline = serializers.CharField()
    summary = serializers.CharField()
    credit_reviewers = serializers.BooleanField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ArticleReportSerializer(serializers.Serializer):
    """An article's report for editors, in any status (null before the first draft), with a claim per settled
    statement: the saved ones as saved, the others prefilled. Readers see only what is saved and included."""

    report = EditorReportSerializer(allow_null=True)
    byline = BylineSerializer(allow_null=True, help_text="As the public page shows it, from the saved claims.")
    claims = EditorClaimSerializer(many=True)


def claim_input(data: dict) -> ClaimInput:
    """A validated claim as the publishing services take it."""
    return ClaimInput(
        statement_id=data["statement_id"],
        included=data["included"],
        claim_text=data["claim_text"],
        claimant=data["claimant"],
        claimant_type=data["claimant_type"],
        appearance_url=data["appearance_url"],
        appearance_date=data["appearance_date"],
        explanation=data["explanation"],
        sources=tuple(SourceInput(url=s["url"], note=s["note"]) for s in data["sources"]),
        verdict_seen=data["verdict"],
    )


class ClaimWriteSerializer(serializers.Serializer):
    statement_id = serializers.IntegerField()
    included = serializers.BooleanField(default=True)
    claim_text = serializers.CharField(max_length=CLAIM_TEXT_MAX, allow_blank=True)
    claimant = serializers.CharField(max_length=CLAIMANT_MAX, required=False, allow_blank=True, default="")
    claimant_type = serializers.ChoiceField(
        ReportClaim.ClaimantType.choices, required=False, default=ReportClaim.ClaimantType.PERSON
    )
    appearance_url = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="An http(s) link, or empty."
    )
    appearance_date = serializers.DateField(required=False, allow_null=True, default=None)
    explanation = serializers.CharField(
        max_length=EXPLANATION_MAX, required=False, allow_blank=True, default="",
        help_text="Needed to publish an included claim.",
    )  # fmt: skip
    sources = SourceSerializer(many=True, required=False, default=list, max_length=SOURCES_MAX)
    verdict = serializers.ChoiceField(
        VERDICT_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text="The verdict the claim was written for: if it is no longer the final verdict, the save is refused.",
    )


class ReportWriteSerializer(serializers.Serializer):
    headline = serializers.CharField(max_length=HEADLINE_MAX)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000)
    credit_reviewers = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="Omitted: keep the report's choice (new: yes)."
    )
    claims = ClaimWriteSerializer(
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="Every claim the report should have (the others are removed), as GET gives them. Omitted: "
        "keep the saved claims; publishing needs some.",
    )

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        claims = data.pop("claims")
        if claims is not None:
            data["claims"] = [claim_input(claim) for claim in claims]
        return data


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
    published = serializers.BooleanField(help_text="Readers see it: its claim is included in a published report.")
    claim_reviewed = serializers.CharField(help_text="The claim's public wording, when published ('' otherwise).")
    claimant = serializers.CharField(help_text="Who made the claim, as published ('' otherwise).")
