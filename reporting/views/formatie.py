"""Formatie (domain page section 8): required against actual staffing per department and level,
and the team leader's entry of the actual staffing."""

from __future__ import annotations

from typing import Any, cast

from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb.http import MemberRequest
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantFormView

from .. import services
from ..forms import ActualStaffingForm
from ..models import ActualStaffing
from ..selectors.formatie import formatie, staffing_history
from ..selectors.snapshots import departments_for
from .base import FORMATIE_ROLES, LEADER_ROLES, ReportingView
from .exports import formatie_table


class FormatieView(ReportingView):
    allowed_roles = FORMATIE_ROLES
    template_name = "reporting/formatie.html"
    export_stem = "formatie"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        departments = list(departments_for(membership=self.membership))
        self._data = {
            "formatie": formatie(organisation=self.organisation, on_date=self.today, departments=departments),
            "history": staffing_history(
                organisation=self.organisation, departments=[d.pk for d in departments]
            ),
        }
        return self._data

    def export_tables(self) -> dict[str, Any]:
        return {"formatie": (_("Formatie"), *formatie_table(self.data()["formatie"]))}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.data())
        context["can_enter"] = self.membership.has_role(Role.TEAM_LEADER)
        return context


class ActualStaffingEntryView(ServiceFormMixin, TenantFormView):
    allowed_roles = LEADER_ROLES
    form_class = ActualStaffingForm
    template_name = "reporting/formatie_form.html"
    success_url = reverse_lazy("reporting_formatie")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"effective_from": timezone.localdate()}

    def save(self, form: ActualStaffingForm) -> ActualStaffing:
        data = form.cleaned_data
        return services.actual_staffing_record(
            organisation=self.organisation,
            membership=self.membership,
            department=data["department"],
            staff_level=data["staff_level"],
            fte=data["fte"],
            effective_from=data["effective_from"],
            note=data.get("note", ""),
            by=cast(MemberRequest, self.request).user,
        )

    def get_success_message(self, result: ActualStaffing) -> str:
        return _(
            "De werkelijke formatie van %(department)s (%(level)s) is vastgelegd: %(fte)s fte vanaf %(date)s."
        ) % {
            "department": result.department.name,
            "level": result.staff_level.name,
            "fte": str(result.fte).replace(".", ","),
            "date": result.effective_from.strftime("%d-%m-%Y"),
        }
