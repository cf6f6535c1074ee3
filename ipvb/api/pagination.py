"""Page-number pagination whose ``count`` does not grow with the table: for the access log,
which only ever grows (issue 16: counting every entry of the organisation on every page was a
scan of the whole log). The answer keeps its shape (count, next, previous, results)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from rest_framework.pagination import PageNumberPagination

COUNT_LIMIT = 10_000


class BoundedCountPage(Page):
    """A page that knows from its own query whether another page follows (one row more was
    read), so ``next`` works past the counted rows."""

    more = False

    def has_next(self) -> bool:
        paginator: Any = self.paginator
        return self.more if paginator.capped else super().has_next()


class BoundedCountPaginator(Paginator):
    """``count`` is exact up to ``limit`` rows and ``limit`` for a longer list: the count reads
    at most ``limit + 1`` rows (no ordering), whatever the size of the table. The pages past
    the counted ones are still served, each read with one row more to know whether a next one
    follows; a page past the end is refused as Django's paginator refuses it."""

    limit = COUNT_LIMIT

    @cached_property
    def counted(self) -> int:
        """The rows up to ``limit + 1`` (more than ``limit``: the list is longer)."""
        rows: Any = self.object_list  # a queryset (the API's lists)
        return int(rows.order_by()[: self.limit + 1].count())

    @cached_property
    def count(self) -> int:  # type: ignore[override]  # a cached_property in Django too
        return min(self.counted, self.limit)

    @property
    def capped(self) -> bool:
        return self.counted > self.limit

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return super().validate_number(number)
        # Django's checks without the last page (unknown here): an integer, at least 1.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            value = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if value < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return value

    def page(self, number: Any) -> Page:
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        page = self._get_page(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page

    def _get_page(self, *args: Any, **kwargs: Any) -> BoundedCountPage:
        return BoundedCountPage(*args, **kwargs)


class BoundedCountPagination(PageNumberPagination):
    django_paginator_class = BoundedCountPaginator
