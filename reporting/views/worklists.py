"""The worklists of team leaders and care professionals (domain page section 11): signals,
approvals, reviews and drafts. They name clients, so every client shown is access-logged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from ipvb import accesslog

from ..selectors.formatie import formatie
from ..selectors.signals import histories, signal_rows
from ..selectors.snapshots import departments_for
from ..selectors.worklists import approvals_waiting, clients_without_package, drafts_in_progress, reviews
from .base import CARE_ROLES, LEADER_ROLES, ReportingView
from .exports import formatie_table


class TeamLeaderWorklistView(ReportingView):
    allowed_roles = LEADER_ROLES
    template_name = "reporting/team_leader.html"
    export_stem = "werklijst-teamleider"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        candidates = signal_rows(membership=self.membership, week=self.week)
        history = histories(
            organisation=self.organisation, client_ids=[c.client_id for c in candidates], until=self.today
        )
        departments = list(departments_for(membership=self.membership))
        self._data = {
            "approvals": approvals_waiting(membership=self.membership),
            "reviews": reviews(membership=self.membership, today=self.today),
            "candidates": [{"row": c, "history": history.get(c.client_id, [])} for c in candidates],
            "formatie": formatie(organisation=self.organisation, on_date=self.today, departments=departments),
        }
        return self._data

    def export_tables(self) -> dict[str, Any]:
        data = self.data()
        return {
            "kandidaten": (
                _("Kandidaten"),
                [
                    _("Cliënt"),
                    _("Afdeling"),
                    _("Profiel"),
                    _("Budget"),
                    _("Pakket"),
                    _("Weken boven drempel"),
                    _("Herindicatie"),
                    _("Meerzorg"),
                    _("Structureel tekort"),
                ],
                [
                    [
                        c["row"].client.full_name,
                        c["row"].department.name,
                        c["row"].care_profile,
                        c["row"].budget,
                        c["row"].package_total,
                        c["row"].weeks_over_threshold,
                        c["row"].reindication,
                        c["row"].meerzorg,
                        c["row"].structural_deficit,
                    ]
                    for c in data["candidates"]
                ],
            ),
            "evaluaties": (
                _("Evaluaties"),
                [_("Cliënt"), _("Evaluatiedatum"), _("Status")],
                [[r["client"].full_name, r["package"].review_date, r["state"]] for r in data["reviews"]],
            ),
            "formatie": (_("Formatie"), *formatie_table(data["formatie"])),
        }

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        exported = {
            "kandidaten": [c["row"].client_id for c in self.data()["candidates"]],
            "evaluaties": [r["client"].pk for r in self.data()["reviews"]],
        }.get(request.GET.get("export", ""))
        if exported is not None and response.status_code == 200:
            accesslog.record_many(
                request=request,
                action=accesslog.EXPORT,
                clients=exported,
                object_type="reporting.worklist",
                keep_empty=True,
            )
        return response

    def access_log_shown_clients(self, context: dict[str, Any]) -> list[int]:
        """The worklist names clients: one access-log row per client shown."""
        return [
            *(c["row"].client_id for c in context.get("candidates", [])),
            *(r["client"].pk for r in context.get("reviews", [])),
            *(p.client_id for p in context.get("approvals", [])),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.data())
        context["week"] = self.week
        context["today"] = self.today
        return context


class CareWorklistView(ReportingView):
    allowed_roles = CARE_ROLES
    template_name = "reporting/care.html"
    export_stem = "werklijst"

    def access_log_shown_clients(self, context: dict[str, Any]) -> list[int]:
        """The worklist names clients: one access-log row per client shown."""
        return [
            *(r["client"].pk for r in context.get("reviews", [])),
            *(p.client_id for p in context.get("drafts", [])),
            *(c.pk for c in context.get("without", [])),
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "reviews": reviews(membership=self.membership, today=self.today),
                "drafts": drafts_in_progress(membership=self.membership),
                "without": clients_without_package(membership=self.membership, today=self.today),
                "today": self.today,
            }
        )
        return context
