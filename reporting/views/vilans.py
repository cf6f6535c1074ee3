"""The reporting party's portal (Vilans): organisations with consent, their transparency
reports and PDF, a rebuild on request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View, generic

from ipvb.http import TenantRequest
from ipvb.models import Organisation
from ipvb.views.base import ServiceFormMixin

from ..models import MonthlyReport, ReportBuild
from ..parties import consenting_organisations, is_reporting_party, visible_reports
from ..transparency_services import build_request
from .transparency import pdf_response, report_context


class ReportingPartyRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_reporting_party(request.user):
            if getattr(request, "membership", None) is None:
                return render(request, "ipvb/no_membership.html", status=403)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PartyHomeView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/transparency/party_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisations = list(consenting_organisations())
        reports: dict[int, list[MonthlyReport]] = {}
        for report in visible_reports():
            reports.setdefault(report.organisation_id, []).append(report)
        builds: dict[int, ReportBuild] = {}
        for build in (
            ReportBuild.objects.dangerously_unscoped()
            .filter(organisation__in=[o.pk for o in organisations])
            .order_by("organisation_id", "-requested_at")
        ):
            builds.setdefault(build.organisation_id, build)
        rows = []
        for organisation in organisations:
            mine = reports.get(organisation.pk, [])
            latest = mine[0] if mine else None
            rows.append(
                {
                    "organisation": organisation,
                    "latest": latest,
                    "pilot": latest.data["usage"]["pilot_status"] if latest else None,
                    "build": builds.get(organisation.pk),
                    "reports": mine,
                }
            )
        return super().get_context_data(rows=rows, **kwargs)


def _party_report(pk: int) -> MonthlyReport:
    report = visible_reports().filter(pk=pk).first() or (
        MonthlyReport.objects.dangerously_unscoped()
        .filter(pk=pk, organisation__in=consenting_organisations().values("pk"))
        .select_related("organisation")
        .first()
    )
    if report is None:
        raise Http404
    return report


class PartyReportView(ReportingPartyRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, pdf: bool = False) -> HttpResponse:
        report = _party_report(pk)
        if pdf:
            return pdf_response(report)
        return render(
            request,
            "reporting/transparency/report_page.html",
            {**report_context(report), "back": reverse("reporting_party_home")},
        )


class PartyRebuildView(ServiceFormMixin, ReportingPartyRequiredMixin, View):
    http_method_names = ["post"]
    success_message = gettext_lazy("Het rapport wordt op de achtergrond gemaakt.")

    def get_success_url(self) -> str:
        return reverse("reporting_party_home")

    def post(self, request: TenantRequest, org_pk: int) -> HttpResponse:
        organisation = consenting_organisations().filter(pk=org_pk).first()
        if organisation is None:
            raise Http404
        return self.service_action(
            lambda: build_request(
                organisation=Organisation.objects.get(pk=org_pk),
                month=request.POST.get("month", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
                trigger=ReportBuild.Trigger.REPORTING_PARTY,
            )
        )
