"""Pages of the transparency reports: the organisation's own page ("what Vilans sees", build
history, participation agreement, rebuild with reason) and the reporting party's portal
(organisations with consent, their reports, PDF). The report page and its PDF render the same
template from the stored JSON, with the SVG charts of the dashboards."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View, generic

from ipvb.forms import apply_errors
from ipvb.models import Organisation
from ipvb.pdf import RenderedPdf, render_pdf
from ipvb.roles import Role
from ipvb.views.base import TenantTemplateView

from . import charts
from .forms import ParticipationForm, ReportRequestForm
from .models import MonthlyReport, ParticipationRecord, ReportBuild
from .parties import consenting_organisations, is_reporting_party, participation_in_force, visible_reports
from .transparency_services import build_request, participation_record

VIEW_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
BAND_LABELS = (
    ("lt70", "< 70 %"),
    ("70_90", "70–90 %"),
    ("90_100", "90–100 %"),
    ("100_110", "100–110 %"),
    ("gt110", "> 110 %"),
)


def report_context(report: MonthlyReport) -> dict[str, Any]:
    """The template context of a stored report: its JSON and the SVG chart of the utilisation
    per profile (P10, median, mean, P90 of the groups that are not suppressed)."""
    data = report.data
    shown = [row for row in data["usage"]["utilisation"] if not row["suppressed"] and row["mean_pct"]]
    chart = None
    if shown:
        chart = charts.bar_chart(
            title=_("Benutting per zorgprofiel (%)"),
            labels=[row["profile"] for row in shown],
            series=[
                charts.Series(label, [Decimal(row[key]) if row[key] is not None else None for row in shown])
                for key, label in (
                    ("p10_pct", "P10"),
                    ("median_pct", _("Mediaan")),
                    ("mean_pct", _("Gemiddeld")),
                    ("p90_pct", "P90"),
                )
            ],
            table_id="utilisation-table",
            chart_id="utilisation-chart",
        )
    return {"report": report, "data": data, "band_labels": BAND_LABELS, "chart": chart}


def render_report_pdf(report: MonthlyReport) -> RenderedPdf:
    return render_pdf("reporting/transparency/report_document.html", report_context(report))


def pdf_response(report: MonthlyReport) -> HttpResponse:
    response = HttpResponse(render_report_pdf(report).pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True,
        f"transparantierapport-{report.organisation.agb_code}-{report.month:%Y-%m}-v{report.version}.pdf",
    )
    return response


# The organisation's side -------------------------------------------------------------------------


class TransparencyView(TenantTemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "reporting/transparency/organisation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.request.organisation  # type: ignore[attr-defined]
        builds = list(
            ReportBuild.objects.for_organisation(organisation).select_related("requested_by", "report")[:50]
        )
        record = participation_in_force(organisation)
        initial = {}
        if record is not None:
            initial = {name: getattr(record, name) for name in ParticipationForm.base_fields}
        return super().get_context_data(
            participation=record,
            history=ParticipationRecord.objects.for_organisation(organisation).select_related("recorded_by"),
            reports=MonthlyReport.objects.for_organisation(organisation).order_by("-month", "-version"),
            builds=builds,
            running=any(b.status in (ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING) for b in builds),
            is_admin=self.request.membership.has_role(Role.ORG_ADMIN),  # type: ignore[attr-defined]
            participation_form=kwargs.pop("participation_form", None) or ParticipationForm(initial=initial),
            request_form=kwargs.pop("request_form", None) or ReportRequestForm(),
            **kwargs,
        )


class ParticipationRecordView(TenantTemplateView):
    allowed_roles = ADMIN_ROLES
    http_method_names: ClassVar[list[str]] = ["post"]
    template_name = "reporting/transparency/organisation.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ParticipationForm(request.POST)
        if form.is_valid():
            try:
                participation_record(
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De deelnameovereenkomst is vastgelegd."))
                return redirect("reporting_transparency")
        view = TransparencyView(request=request, kwargs={})
        return render(request, self.template_name, view.get_context_data(participation_form=form), status=400)


class ReportRequestView(TenantTemplateView):
    allowed_roles = ADMIN_ROLES
    http_method_names: ClassVar[list[str]] = ["post"]
    template_name = "reporting/transparency/organisation.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReportRequestForm(request.POST)
        if form.is_valid():
            try:
                build_request(
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    month=form.cleaned_data["month"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    trigger=ReportBuild.Trigger.ORG_ADMIN,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het rapport wordt op de achtergrond gemaakt."))
                return redirect("reporting_transparency")
        view = TransparencyView(request=request, kwargs={})
        return render(request, self.template_name, view.get_context_data(request_form=form), status=400)


class OrganisationReportView(TenantTemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "reporting/transparency/report_page.html"

    def report(self) -> MonthlyReport:
        report = (
            MonthlyReport.objects.for_organisation(self.request.organisation)  # type: ignore[attr-defined]
            .select_related("organisation")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if report is None:
            raise Http404
        return report

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = self.report()
        if kwargs.get("pdf"):
            return pdf_response(report)
        return render(
            request, self.template_name, {**report_context(report), "back": reverse("reporting_transparency")}
        )


# The reporting party's side ---------------------------------------------------------------------


class ReportingPartyRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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


class PartyRebuildView(ReportingPartyRequiredMixin, View):
    http_method_names: ClassVar[list[str]] = ["post"]

    def post(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        organisation = consenting_organisations().filter(pk=org_pk).first()
        if organisation is None:
            raise Http404
        try:
            build_request(
                organisation=Organisation.objects.get(pk=org_pk),
                month=request.POST.get("month", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
                trigger=ReportBuild.Trigger.REPORTING_PARTY,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het rapport wordt op de achtergrond gemaakt."))
        return redirect("reporting_party_home")
