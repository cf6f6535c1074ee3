"""A department's clients at a glance: budget, package total, utilisation, review due."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone

from clients.selectors import clients_for
from ipvb.models import Department
from ipvb.views.base import TenantDetailView

from ..departments import department_rows
from ..roles import READERS

OVERVIEW_PAGE = 100


class DepartmentOverviewView(TenantDetailView):
    """Per client of a department: budget, package total, utilisation, review due."""

    model = Department
    allowed_roles = READERS
    template_name = "conversations/department_overview.html"

    def access_log_shown_clients(self, context: dict[str, Any]) -> list[int]:
        return [row.client.pk for row in context.get("rows", [])]

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
        # A page of rows at a time (issue 16: a department of 1,000 clients built every row).
        paginator = Paginator(
            clients.order_by("family_name", "given_name", "pk").values_list("pk", flat=True), OVERVIEW_PAGE
        )
        page = paginator.get_page(self.request.GET.get("page"))
        context["rows"] = department_rows(
            clients=clients.filter(pk__in=list(page.object_list)), department=self.object, on_date=today
        )
        context["page_obj"] = page
        context["is_paginated"] = page.has_other_pages()
        context["today"] = today
        return context
