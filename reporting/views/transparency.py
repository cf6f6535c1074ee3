"""The organisation's transparency pages: "what Vilans sees", build history, participation
agreement, rebuild with reason. The report page and its PDF render the same template from the
stored JSON, with the SVG charts of the dashboards (also used by ``vilans``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipvb.http import MemberRequest
from ipvb.pdf import RenderedPdf, render_pdf
from ipvb.roles import Role
from ipvb.views.base import ServiceFormMixin, TenantFormView, TenantTemplateView

from .. import charts
from ..forms import ParticipationForm, ReportRequestForm
from ..models import MonthlyReport, ParticipationRecord, ReportBuild
from ..parties import participation_in_force
from ..transparency_services import build_request, participation_record
from .exports import BAND_LABELS

VIEW_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})


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


REPORT_TEMPLATE = "reporting/transparency/report_document.html"


def render_report_pdf(report: MonthlyReport) -> RenderedPdf:
    return render_pdf(REPORT_TEMPLATE, report_context(report))


def report_pdf(report: MonthlyReport) -> bytes:
    """The report's PDF in the active language: the one the monthly batch stored, or rendered
    and stored now (``reporting.stored_pdf``; a report never changes, so neither does its PDF)."""
    from ..models import MonthlyReportPdf
    from ..stored_pdf import stored_or_rendered

    return stored_or_rendered(
        model=MonthlyReportPdf,
        organisation_id=report.organisation_id,
        owner={"report": report},
        template_name=REPORT_TEMPLATE,
        context=lambda moment: report_context(report),
    )


def pdf_response(report: MonthlyReport) -> HttpResponse:
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True,
        f"transparantierapport-{report.organisation.agb_code}-{report.month:%Y-%m}-v{report.version}.pdf",
    )
    return response


class TransparencyView(TenantTemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "reporting/transparency/organisation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.organisation
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
            is_admin=self.membership.has_role(Role.ORG_ADMIN),
            participation_form=kwargs.pop("participation_form", None) or ParticipationForm(initial=initial),
            request_form=kwargs.pop("request_form", None) or ReportRequestForm(),
            **kwargs,
        )


class TransparencyFormView(ServiceFormMixin, TenantFormView):
    """A form posted from the transparency page (org admin): refused, the whole page again with
    the form's errors (400)."""

    allowed_roles = ADMIN_ROLES
    http_method_names = ["post"]
    template_name = "reporting/transparency/organisation.html"
    success_url = reverse_lazy("reporting_transparency")
    invalid_status = 400
    form_context_name: ClassVar[str] = ""  # the form's name in TransparencyView's context

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        view = TransparencyView(request=self.request, kwargs={})
        return view.get_context_data(**{self.form_context_name: kwargs["form"]})


class ParticipationRecordView(TransparencyFormView):
    form_class = ParticipationForm
    form_context_name = "participation_form"
    success_message = gettext_lazy("De deelnameovereenkomst is vastgelegd.")

    def save(self, form: ParticipationForm) -> ParticipationRecord:
        return participation_record(
            organisation=self.organisation,
            user=cast(MemberRequest, self.request).user,
            **form.cleaned_data,
        )


class ReportRequestView(TransparencyFormView):
    form_class = ReportRequestForm
    form_context_name = "request_form"
    success_message = gettext_lazy("Het rapport wordt op de achtergrond gemaakt.")

    def save(self, form: ReportRequestForm) -> ReportBuild:
        return build_request(
            organisation=self.organisation,
            month=form.cleaned_data["month"],
            user=cast(MemberRequest, self.request).user,
            reason=form.cleaned_data["reason"],
            trigger=ReportBuild.Trigger.ORG_ADMIN,
        )


class OrganisationReportView(TenantTemplateView):
    allowed_roles = VIEW_ROLES
    template_name = "reporting/transparency/report_page.html"

    def report(self) -> MonthlyReport:
        report = (
            MonthlyReport.objects.for_organisation(self.organisation)
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
