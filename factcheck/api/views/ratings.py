"""Ratings: a reviewer creates and updates their own, blind: the others' ratings of a statement appear only
once theirs is in (reviews.selectors.ratings decides, as on the pages)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from factcheck.accounts import policy
from reviews.selectors import assignments as assignment_selectors
from reviews.selectors import ratings as selectors
from reviews.services import ratings as services

from ..pagination import IdCursorPagination
from ..serializers.reviews import (
    OwnRatingSerializer,
    RatingCreateSerializer,
    RatingDetailSerializer,
    RatingPatchSerializer,
    RatingWriteSerializer,
)
from .base import ApiView


class AlreadyRated(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "already_rated"


def _submit(request, assignment, values: dict):
    evidence = [services.Evidence(url=e["url"], note=e.get("note", "")) for e in values.get("evidence", [])]
    return services.rating_submit(
        assignment=assignment,
        reviewer=request.user,
        verdict=values["verdict"],
        confidence=values["confidence"],
        rationale=values.get("rationale", ""),
        evidence=evidence,
    )


def _detail(request, rating_id: int) -> dict:
    rating = get_object_or_404(selectors.ratings_of(user=request.user), pk=rating_id)
    others = selectors.other_ratings_visible_to(user=request.user, statement_id=rating.statement_id)
    if others:
        services.rating_saw_others(reviewer=request.user, statement_id=rating.statement_id)
    return RatingDetailSerializer(rating, context={"other_ratings": others}).data


class RatingListView(ApiView, generics.ListCreateAPIView):
    """Your own ratings, newest first."""

    policy = {"GET": policy.can_rate, "POST": policy.can_rate}
    serializer_class = OwnRatingSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return selectors.ratings_of(user=self.request.user)

    @extend_schema(
        summary="Rate a statement assigned to you",
        description="One rating per statement: a second one is a 409; change yours with PUT or PATCH.",
        request=RatingCreateSerializer,
        responses={201: RatingDetailSerializer, 409: None},
    )
    def post(self, request, *args, **kwargs):
        serializer = RatingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        assignment = assignment_selectors.assignments_of(user=request.user).filter(pk=values["assignment"]).first()
        if assignment is None:
            raise ValidationError({"assignment": ["You have no assignment with this id."]})
        mine = selectors.own_rating(user=request.user, statement_id=assignment.statement_id)
        if mine is not None:
            raise AlreadyRated(f"You have rated this statement already; change it with PUT /api/v1/ratings/{mine.pk}/.")
        rating = _submit(request, assignment, values)
        return Response(_detail(request, rating.pk), status=status.HTTP_201_CREATED)


class RatingDetailView(ApiView):
    policy = {"GET": policy.can_rate, "PUT": policy.can_rate, "PATCH": policy.can_rate}
    serializer_class = RatingDetailSerializer

    def get(self, request, pk: int):
        """Your rating, and the other reviewers' ratings of the statement (visible since you rated it)."""
        return Response(_detail(request, pk))

    def _update(self, request, pk: int, serializer_class):
        rating = get_object_or_404(selectors.ratings_of(user=request.user), pk=pk)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        stored = {
            "verdict": rating.verdict,
            "confidence": rating.confidence,
            "rationale": rating.rationale,
            "evidence": [{"url": e.url, "note": e.note} for e in rating.evidence.all()],
        }
        values = stored | serializer.validated_data
        whole = RatingWriteSerializer(data=values)
        whole.is_valid(raise_exception=True)
        assignment = (
            assignment_selectors.assignments_of(user=request.user).filter(statement_id=rating.statement_id).first()
        )
        if assignment is None:
            raise Http404("You no longer have this statement assigned.")
        _submit(request, assignment, whole.validated_data)
        return Response(_detail(request, pk))

    @extend_schema(
        summary="Replace your rating", request=RatingWriteSerializer, responses={200: RatingDetailSerializer}
    )
    def put(self, request, pk: int):
        return self._update(request, pk, RatingWriteSerializer)

    @extend_schema(
        summary="Change part of your rating", request=RatingPatchSerializer, responses={200: RatingDetailSerializer}
    )
    def patch(self, request, pk: int):
        return self._update(request, pk, RatingPatchSerializer)
