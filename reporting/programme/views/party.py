"""The reporting party's side of the programme (``/vilans/programma/``): the overview of every
participating organisation, every screening with its answers, questionnaire versions, package
prices and the XLSX export, national and regional meetings, programme reports and the named
benchmark."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, generic

from ipvb.http import TenantRequest
from ipvb.pdf import render_pdf
from ipvb.views.base import ServiceFormMixin
from reporting import charts
from reporting.parties import consenting_organisations
from reporting.views.vilans import ReportingPartyRequiredMixin

from .. import benchmark as bench
from .. import meetings, questionnaires, services
from ..forms import (
    PackagePricesForm,
    ProgrammeMeetingForm,
    ProgrammeReportForm,
    QuestionnaireForm,
)
from ..models import (
    LEVELS,
    PackagePart,
    PackagePrice,
    ProgrammeMeeting,
    ProgrammeReport,
    ProgrammeReportBuild,
    QuestionnaireVersion,
)
from ..report import programme_build_request
from ..selectors import (
    all_screenings,
    package_rows,
    programme_overview,
    screening_for_party,
)
from .display import PART_LABELS, benchmark_charts, screening_rows, weakest_titles


class PartyProgrammeView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/party_home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows = programme_overview()
        return super().get_context_data(
            rows=[{"status": s, "weakest": weakest_titles(s.screening)} for s in rows],
            met=sum(1 for s in rows if s.pilot.status.met),
            screenings=all_screenings(),
            part_labels=PART_LABELS,
            **kwargs,
        )


class PartyScreeningView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/screening_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        screening = screening_for_party(self.kwargs["pk"])
        if screening is None:
            raise Http404
        return super().get_context_data(
            screening=screening,
            rows=screening_rows(screening),
            weakest=weakest_titles(screening),
            back=reverse("programme_party_home"),
            party=True,
            **kwargs,
        )


class PartyQuestionnairesView(ServiceFormMixin, ReportingPartyRequiredMixin, generic.TemplateView):
    """The versions; POST starts a new draft (copied from the latest version)."""

    template_name = "reporting/programme/questionnaires.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        questionnaires.questionnaire_in_force()  # the default set, should the table be empty
        return super().get_context_data(versions=QuestionnaireVersion.objects.order_by("-number"), **kwargs)

    def post(self, request: TenantRequest) -> HttpResponse:
        return self.service_action(lambda: questionnaires.questionnaire_new_draft(user=request.user))

    def get_success_message(self, result: QuestionnaireVersion) -> str:
        return _("Versie %(n)s is aangemaakt als concept.") % {"n": result.number}

    def get_success_url(self) -> str:
        return reverse("programme_party_questionnaire", kwargs={"pk": self.object.pk})

    def get_failure_url(self) -> str:
        return reverse("programme_party_questionnaires")


class PartyQuestionnaireView(ServiceFormMixin, ReportingPartyRequiredMixin, generic.FormView):
    template_name = "reporting/programme/questionnaire.html"
    form_class = QuestionnaireForm
    invalid_status = 400
    success_message = gettext_lazy("Het concept is opgeslagen.")

    def version(self) -> QuestionnaireVersion:
        version = QuestionnaireVersion.objects.filter(pk=self.kwargs["pk"]).first()
        if version is None:
            raise Http404
        return version

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        version = self.version()
        form = kwargs.pop("form", None) or QuestionnaireForm(
            initial={
                "title": version.title,
                "text": questionnaires.questionnaire_text(version.areas),
                "ready_pct": version.ready_pct,
                "conditions_pct": version.conditions_pct,
                "area_min_pct": version.area_min_pct,
                "note": version.note,
            }
        )
        return super().get_context_data(version=version, form=form, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.draft = self.version()
        return super().post(request, *args, **kwargs)

    def save(self, form: QuestionnaireForm) -> QuestionnaireVersion:
        return questionnaires.questionnaire_update(version=self.draft, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("programme_party_questionnaire", kwargs={"pk": self.draft.pk})


class PartyQuestionnairePublishView(ServiceFormMixin, ReportingPartyRequiredMixin, View):
    http_method_names = ("post",)

    def post(self, request: TenantRequest, pk: int) -> HttpResponse:
        version = QuestionnaireVersion.objects.filter(pk=pk).first()
        if version is None:
            raise Http404
        return self.service_action(
            lambda: questionnaires.questionnaire_publish(version=version, user=request.user)
        )

    def get_success_message(self, result: QuestionnaireVersion) -> str:
        return _("Versie %(n)s is gepubliceerd; nieuwe screenings gebruiken die.") % {"n": result.number}

    def get_success_url(self) -> str:
        return reverse("programme_party_questionnaire", kwargs={"pk": self.kwargs["pk"]})


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("jaar") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class PartyPackagesView(ServiceFormMixin, ReportingPartyRequiredMixin, generic.FormView):
    template_name = "reporting/programme/party_packages.html"
    form_class = PackagePricesForm
    invalid_status = 400

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year = _year(self.request)
        prices = services.package_prices(year=year)
        form = kwargs.pop("form", None) or PackagePricesForm(initial={"year": year, **prices})
        return super().get_context_data(
            year=year, form=form, rows=package_rows(year=year), part_labels=PART_LABELS, **kwargs
        )

    def save(self, form: PackagePricesForm) -> list[PackagePrice]:
        amounts = dict(form.cleaned_data)
        self.saved_year = amounts.pop("year")
        return services.package_prices_set(
            year=self.saved_year, amounts=amounts, user=cast(TenantRequest, self.request).user
        )

    def get_success_message(self, result: list[PackagePrice]) -> str:
        return _("De pakketprijzen voor %(year)s zijn vastgelegd.") % {"year": self.saved_year}

    def get_success_url(self) -> str:
        return f"{reverse('programme_party_packages')}?jaar={self.saved_year}"


class PartyPackagesExportView(ReportingPartyRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        from openpyxl import Workbook

        from ipvb.xlsx import append_row

        year = _year(request)
        book = Workbook()
        sheet = book.active
        sheet.title = str(year)
        append_row(
            sheet,
            [
                _("Organisatie"),
                _("AGB-code"),
                *[str(PART_LABELS[p]) for p in PackagePart.values],
                _("Aftrek software"),
                _("Totaal"),
                _("Gekozen op"),
            ],
        )
        for row in package_rows(year=year):
            amount, choice = row["amount"], row["choice"]
            chosen = {line.part: line.amount for line in amount.lines} if amount else {}
            append_row(
                sheet,
                [
                    row["organisation"].name,
                    row["organisation"].agb_code,
                    *[chosen.get(p) for p in PackagePart.values],
                    amount.deduction if amount else None,
                    amount.total if amount else None,
                    timezone.localtime(choice.chosen_at).strftime("%Y-%m-%d %H:%M") if choice else None,
                ],
            )
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells[2:9]:
                cell.number_format = "#,##0.00"
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"zelf-betaal-pakketten-{year}.xlsx"
        )
        return response


class PartyMeetingsView(ServiceFormMixin, ReportingPartyRequiredMixin, generic.FormView):
    """National and regional meetings; a refused record shows the posted attendance again."""

    template_name = "reporting/programme/party_meetings.html"
    form_class = ProgrammeMeetingForm
    invalid_status = 400
    success_url = reverse_lazy("programme_party_meetings")
    success_message = gettext_lazy("De bijeenkomst is vastgelegd.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        values = self.request.POST if self.request.method == "POST" else {}
        org_rows = [
            {
                "organisation": o,
                "cells": [
                    {
                        "name": f"att_{o.pk}_{code}",
                        "label": label,
                        "value": values.get(f"att_{o.pk}_{code}", ""),
                    }
                    for code, label in LEVELS
                ],
            }
            for o in consenting_organisations()
        ]
        return super().get_context_data(
            org_rows=org_rows,
            levels=LEVELS,
            meetings=ProgrammeMeeting.objects.prefetch_related("attendance")[:100],
            **kwargs,
        )

    def save(self, form: ProgrammeMeetingForm) -> ProgrammeMeeting:
        request = cast(TenantRequest, self.request)
        organisations = list(consenting_organisations())
        attendance = {
            o.pk: {code: request.POST.get(f"att_{o.pk}_{code}", "") for code, _label in LEVELS}
            for o in organisations
        }
        return meetings.programme_meeting_record(
            user=request.user, attendance=attendance, organisations=organisations, **form.cleaned_data
        )


class PartyReportsView(ServiceFormMixin, ReportingPartyRequiredMixin, generic.FormView):
    template_name = "reporting/programme/party_reports.html"
    form_class = ProgrammeReportForm
    invalid_status = 400
    success_url = reverse_lazy("programme_party_reports")
    success_message = gettext_lazy("Het programmarapport wordt op de achtergrond gemaakt.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        builds = list(ProgrammeReportBuild.objects.select_related("requested_by")[:50])
        reports = {r.build_id: r for r in ProgrammeReport.objects.filter(build__in=[b.pk for b in builds])}
        return super().get_context_data(
            builds=[(b, reports.get(b.pk)) for b in builds],
            running=any(
                b.status in (ProgrammeReportBuild.Status.QUEUED, ProgrammeReportBuild.Status.RUNNING)
                for b in builds
            ),
            **kwargs,
        )

    def save(self, form: ProgrammeReportForm) -> ProgrammeReportBuild:
        return programme_build_request(user=cast(TenantRequest, self.request).user, **form.cleaned_data)


def programme_report_context(report: ProgrammeReport) -> dict[str, Any]:
    data = report.data
    months = [m for m in data["months"] if not m["suppressed"] and m["clients_on_ipvb"] != "< 5"]
    chart = None
    if months:
        chart = charts.bar_chart(
            title=_("Cliënten op iPVB per maand (deelnemende organisaties)"),
            labels=[m["month"] for m in months],
            series=[charts.Series(_("Cliënten op iPVB"), [Decimal(m["clients_on_ipvb"]) for m in months])],
            chart_id="programme-clients",
            table_id="programme-months",
        )
    return {"report": report, "data": data, "chart": chart, "levels": LEVELS}


class PartyReportView(ReportingPartyRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, pdf: bool = False) -> HttpResponse:
        report = ProgrammeReport.objects.filter(pk=pk).first()
        if report is None:
            raise Http404
        context = programme_report_context(report)
        if pdf:
            rendered = render_pdf("reporting/programme/report_document.html", context)
            response = HttpResponse(rendered.pdf, content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(
                True, f"programmarapport-{report.first_month:%Y-%m}-{report.last_month:%Y-%m}-{report.pk}.pdf"
            )
            return response
        return render(
            request,
            "reporting/programme/report_page.html",
            {**context, "back": reverse("programme_party_reports")},
        )


class PartyBenchmarkView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/benchmark.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = bench.benchmark_for_party()
        return super().get_context_data(
            data=data,
            groups=benchmark_charts(data["groups"], named=True),
            metrics=bench.METRICS,
            named=True,
            **kwargs,
        )
