"""Check-worthiness of any sentences with the desk's active model: the ClaimBuster-style service."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from articles.services.scoring import score_texts
from factcheck.accounts import policy

from ..serializers.scoring import ScoreRequestSerializer, ScoreResponseSerializer
from .base import ApiView


class ScoreView(ApiView):
    policy = {"POST": policy.can_view_articles}
    throttle_scope = "score"
    serializer_class = ScoreRequestSerializer

    @extend_schema(
        summary="Score sentences for check-worthiness",
        description="Scores with the active model (a desk-trained classifier, else the rules), as imports do. "
        "Nothing is stored.",
        request=ScoreRequestSerializer,
        responses={200: ScoreResponseSerializer},
    )
    def post(self, request):
        serializer = ScoreRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        texts = serializer.validated_data["texts"]
        scores, model = score_texts(texts)
        rows = [
            {"text": text, "score": round(min(1.0, max(0.0, float(s.score))), 4), "reasons": list(s.reasons)}
            for text, s in zip(texts, scores, strict=True)
        ]
        return Response({"model": model, "scores": rows})
