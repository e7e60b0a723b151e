from rest_framework.pagination import CursorPagination


def query_without_page(request) -> str:
    """The request's query string without ``page``, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class KeysetPagination(CursorPagination):
    """API lists page by keyset, newest first: each page is one indexed range read however long
    the list, and no ``COUNT(*)`` over a million rows. A client follows ``next`` and
    ``previous``; ``?ordering=`` still sorts by a view's ordering fields."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
