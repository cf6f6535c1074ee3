"""A department's clients at a glance: budget, package total, utilisation, review due."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from clients.selectors import clients_for
from ipvb import formatting
from ipvb.models import Department
from ipvb.views.base import TenantDetailView

from ..departments import DepartmentRow, department_rows
from ..roles import READERS

# Rows a page (issue 16: a department of 1,000 clients; 50 like the API's pages).
OVERVIEW_PAGE = 50


@dataclass(frozen=True)
class OverviewRow:
    """One client's row with its figures formatted once, in Python, for the active language
    (the template only places them: per-row filters and tags were most of the page's time)."""

    client_id: int
    name: str
    url: str
    budget: str | None  # None: no budget (no indication or tariff on the date)
    total: str
    utilisation: str
    review: str
    review_due: bool
    overrun: bool
    pending: bool

    @classmethod
    def of(cls, row: DepartmentRow) -> OverviewRow:
        client = row.client
        return cls(
            client_id=client.pk,
            name=client.full_name,
            url=reverse("client_detail", args=[client.pk]),
            budget=None if row.budget is None else formatting.money(row.budget),
            total=formatting.money(row.total),
            utilisation=formatting.percent(row.utilisation_pct),
            review=formatting.DASH if row.review_date is None else row.review_date.strftime("%d-%m-%Y"),
            review_due=row.review_due,
            overrun=row.overrun,
            pending=row.pending,
        )


class DepartmentOverviewView(TenantDetailView):
    """Per client of a department: budget, package total, utilisation, review due."""

    model = Department
    allowed_roles = READERS
    template_name = "conversations/department_overview.html"

    def access_log_shown_clients(self, context: dict[str, Any]) -> list[int]:
        return [row.client_id for row in context.get("rows", [])]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.membership.restrict_departments(queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        clients = (
            clients_for(membership=self.membership)
            .filter(department=self.object, status="active")
            .defer("bsn")  # not shown: no decryption per row
        )
        # A page of rows at a time: only that page's budgets and packages are computed.
        paginator = Paginator(
            clients.order_by("family_name", "given_name", "pk").values_list("pk", flat=True), OVERVIEW_PAGE
        )
        page = paginator.get_page(self.request.GET.get("page"))
        shown = list(page.object_list)
        rows = department_rows(clients=clients.filter(pk__in=shown), department=self.object, on_date=today)
        # In the page's order (namesakes by their key), so every page shows the same rows.
        position = {pk: index for index, pk in enumerate(shown)}
        rows.sort(key=lambda row: position[row.client.pk])
        context["rows"] = [OverviewRow.of(row) for row in rows]
        context["page_obj"] = page
        context["is_paginated"] = page.has_other_pages()
        context["today"] = today
        return context
