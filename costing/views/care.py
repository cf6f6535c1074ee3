"""Pages for the care side: the group-bound care of departments (financial staff and team
leaders of their own departments write; managers and org admins read) and the weekly budget
of a client (care professionals, team leaders, managers, org admins)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormMixin

from clients.models import Client
from clients.selectors import clients_for
from ipvb.models import Department, Membership
from ipvb.views.base import ServiceFormMixin, TenantDetailView, TenantListView

from .. import selectors, services
from ..budget import Budget, budget_for_client
from ..forms import GroupCareForm
from ..models import GroupCare
from ..roles import CLIENT_READ, GROUP_EDIT, GROUP_READ, READ
from .params import date_param, year_param

# Group-bound care ------------------------------------------------------------------------------


def _department_scope(membership: Membership, queryset: QuerySet) -> QuerySet:
    if membership.has_role(*READ):
        return queryset
    return queryset.filter(pk__in=membership.department_ids())


class GroupCareListView(TenantListView):
    model = Department
    allowed_roles = GROUP_READ
    template_name = "costing/groupcare_list.html"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return _department_scope(self.membership, queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        year = year_param(self.request, today.year)
        on_date = selectors.reference_date(year=year, today=today)
        card = selectors.rate_card(organisation=self.organisation, on_date=on_date)
        context.update(
            year=year,
            years=[today.year - 1, today.year, today.year + 1],
            on_date=on_date,
            card=card,
            shares=[
                selectors.group_share_for_department(department=d, year=year, card=card)
                for d in context["object_list"]
            ],
            can_edit=self.membership.has_role(*GROUP_EDIT),
        )
        return context


class GroupCareEditView(ServiceFormMixin, FormMixin, TenantDetailView):
    """The hours per week per level of one department and year; a refused form answers 400."""

    object: Department
    model = Department
    allowed_roles = GROUP_EDIT
    template_name = "costing/groupcare_edit.html"
    form_class = GroupCareForm
    invalid_status = 400
    success_message = gettext_lazy("Groepsgebonden zorg opgeslagen.")

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return _department_scope(self.membership, queryset)

    def get_form_kwargs(self) -> dict[str, Any]:
        existing = {
            row.staff_level_id: row.hours_per_week
            for row in selectors.group_care_rows(department=self.object, year=self.kwargs["year"])
        }
        return {**super().get_form_kwargs(), "organisation": self.organisation, "existing": existing}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = cast(Department, self.get_object())
        return self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = cast(Department, self.get_object())
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def save(self, form: GroupCareForm) -> list[GroupCare]:
        return services.group_care_save(department=self.object, year=self.kwargs["year"], hours=form.hours())

    def get_success_url(self) -> str:
        return f"{reverse('groupcare_list')}?jaar={self.kwargs['year']}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        card = selectors.rate_card(
            organisation=self.organisation,
            on_date=selectors.reference_date(year=year, today=timezone.localdate()),
        )
        context.update(
            year=year,
            share=selectors.group_share_for_department(department=self.object, year=year, card=card),
        )
        return context


# The client's weekly budget ---------------------------------------------------------------------


def waterfall_bars(budget: Budget) -> list[dict[str, Any]]:
    """Horizontal waterfall geometry in percent of the care revenue R."""
    r = budget.care_revenue
    if not r or r <= 0 or budget.hotel_deduction is None or budget.group_share is None:
        return []
    h, g = budget.hotel_deduction, budget.group_share
    b = budget.personal_budget or Decimal(0)

    def pct(value: Decimal) -> str:
        return f"{max(Decimal(0), min(Decimal(100), value / r * 100)):.2f}"

    after_hotel = r - h
    return [
        {"key": "r", "left": "0", "width": pct(r)},
        {"key": "h", "left": pct(after_hotel), "width": pct(min(h, r))},
        {
            "key": "g",
            "left": pct(max(after_hotel - g, Decimal(0))),
            "width": pct(min(g, max(after_hotel, Decimal(0)))),
        },
        {"key": "b", "left": "0", "width": pct(b)},
    ]


def budget_context(
    *, request: HttpRequest, client: Client, on_date: datetime.date | None = None
) -> dict[str, Any]:
    """Context for ``{% include "costing/_budget_waterfall.html" %}`` on a client page:
    ``context.update(budget_context(request=request, client=client))``."""
    on_date = on_date or date_param(request.GET.get("budgetdatum"), timezone.localdate())
    budget = budget_for_client(client=client, on_date=on_date)
    membership = getattr(request, "membership", None)
    return {
        "budget": budget,
        "budget_date": on_date,
        "budget_bars": waterfall_bars(budget),
        "budget_can_see_models": bool(membership and membership.has_role(*READ)),
    }


class ClientBudgetView(TenantDetailView):
    """The weekly budget of one client on a chosen date, with every source."""

    object: Client
    allowed_roles = CLIENT_READ
    template_name = "costing/client_budget.html"
    context_object_name = "client"
    access_log_client = "self"

    model = Client

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        visible = clients_for(membership=self.membership)
        return queryset.filter(pk__in=visible.values("pk")).select_related("department")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(budget_context(request=self.request, client=self.object))
        return context
