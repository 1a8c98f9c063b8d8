"""Cursor pagination for every list: pages stay stable while rows arrive, and no page counts the table."""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Newest first by id; `?page_size=` up to 200, links in `next` and `previous`."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OldestFirstPagination(IdCursorPagination):
    ordering = "pk"
