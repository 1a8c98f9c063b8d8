"""Cursor pagination for every list: pages stay stable while rows arrive, and no page counts the table."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class DeskCursorPagination(CursorPagination):
    """A cursor the API did not hand out is invalid input (400), not a missing page."""

    page_size_query_param = "page_size"

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: ["This cursor is not one the API gave; follow `next` or `previous`."]}
            ) from None


class IdCursorPagination(DeskCursorPagination):
    """Newest first by id; `?page_size=` up to 200, links in `next` and `previous`."""

    ordering = "-pk"
    page_size = 50
    max_page_size = 200


class OldestFirstPagination(IdCursorPagination):
    ordering = "pk"
