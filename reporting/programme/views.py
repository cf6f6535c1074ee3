"""Pages of the programme (domain page section 10).

The organisation's side (``/programma/``): its programme status (screening outcome, package,
pilot status, involvement of every level), the screening (org admin, save and continue later),
the self-pay package choice, internal meetings and its position in the benchmark.

The reporting party's side (``/vilans/programma/``): the overview of every participating
organisation, every screening with its answers, questionnaire versions, package prices and the
XLSX export, national and regional meetings, programme reports and the named benchmark."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View, generic

from ipvb.forms import apply_errors
from ipvb.pdf import render_pdf
from ipvb.roles import Role
from ipvb.views.base import TenantTemplateView
from reporting import charts
from reporting.parties import consenting_organisations
from reporting.transparency_views import ReportingPartyRequiredMixin

from . import benchmark as bench
from . import services
from .forms import (
    InternalMeetingForm,
    PackageChoiceForm,
    PackagePricesForm,
    ProgrammeMeetingForm,
    ProgrammeReportForm,
    QuestionnaireForm,
)
from .formulas import question_codes
from .models import (
    LEVELS,
    InternalMeeting,
    PackagePart,
    ProgrammeMeeting,
    ProgrammeReport,
    ProgrammeReportBuild,
    QuestionnaireVersion,
    Screening,
)
from .report import programme_build_request
from .selectors import (
    all_screenings,
    involvement,
    package_rows,
    programme_overview,
    programme_status,
    screening_for_party,
)

STATUS_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD})
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
BENCHMARK_ROLES = frozenset({Role.ORG_ADMIN, Role.MANAGER, Role.BOARD, Role.FINANCIAL})
PART_LABELS = dict(PackagePart.choices)


def screening_rows(screening: Screening) -> list[dict[str, Any]]:
    """The questionnaire of a screening with its answers, area by area."""
    scores = {a["code"]: a for a in screening.area_scores}
    return [
        {
            "code": area["code"],
            "title": area["title"],
            "score": scores.get(area["code"]),
            "weak": area["code"] in screening.weakest_areas,
            "questions": [
                {"code": q["code"], "text": q["text"], "answer": screening.answers.get(q["code"])}
                for q in area["questions"]
            ],
        }
        for area in screening.questionnaire.areas
    ]


def amount_lines(amount: Any) -> list[dict[str, Any]]:
    if amount is None:
        return []
    return [
        {
            "part": line.part,
            "label": PART_LABELS.get(line.part, line.part),
            "amount": line.amount,
            "deducted": line.deducted,
        }
        for line in amount.lines
    ]


def weakest_titles(screening: Screening | None) -> list[str]:
    if screening is None:
        return []
    titles = {a["code"]: a["title"] for a in screening.questionnaire.areas}
    return [titles.get(code, code) for code in screening.weakest_areas]


# The organisation's side -------------------------------------------------------------------------


class ProgrammeHomeView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.request.organisation  # type: ignore[attr-defined]
        status = programme_status(organisation=organisation)
        return super().get_context_data(
            status=status,
            weakest=weakest_titles(status.screening),
            package_lines=amount_lines(status.amount),
            meetings=InternalMeeting.objects.for_organisation(organisation)[:10],
            is_admin=self.request.membership.has_role(Role.ORG_ADMIN),  # type: ignore[attr-defined]
            **kwargs,
        )


class ScreeningView(TenantTemplateView):
    allowed_roles = ADMIN_ROLES
    template_name = "reporting/programme/screening_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.request.organisation  # type: ignore[attr-defined]
        current = services.screening_current(organisation=organisation)
        version = current.questionnaire if current else services.questionnaire_in_force()
        values = kwargs.pop("values", None)
        if values is None:
            values = {
                "answers": {k: str(v) for k, v in (current.answers if current else {}).items()},
                "own_software": current.own_software if current else False,
                "own_software_name": current.own_software_name if current else "",
            }
        areas = [
            {
                "code": area["code"],
                "title": area["title"],
                "questions": [
                    {
                        "code": q["code"],
                        "text": q["text"],
                        "selected": str(values["answers"].get(q["code"], "")),
                    }
                    for q in area["questions"]
                ],
            }
            for area in (version.areas if version else [])
        ]
        return super().get_context_data(
            current=current,
            version=version,
            values=values,
            areas=areas,
            scale=("0", "1", "2", "3"),
            history=Screening.objects.for_organisation(organisation)
            .filter(status=Screening.Status.COMPLETED)
            .select_related("questionnaire"),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = request.organisation  # type: ignore[attr-defined]
        current = services.screening_current(organisation=organisation)
        version = current.questionnaire if current else services.questionnaire_in_force()
        codes = question_codes(version.areas) if version else []
        answers = {code: request.POST.get(f"q_{code}", "") for code in codes}
        own_software = request.POST.get("own_software") == "on"
        name = request.POST.get("own_software_name", "")
        complete = request.POST.get("action") == "complete"
        try:
            screening = services.screening_save(
                organisation=organisation,
                user=request.user,
                answers=answers,
                own_software=own_software,
                own_software_name=name,
                complete=complete,
            )
        except ValidationError as exc:
            values = {"answers": answers, "own_software": own_software, "own_software_name": name}
            return self.render_to_response(
                self.get_context_data(values=values, errors=exc.messages), status=400
            )
        if complete:
            messages.success(
                request,
                _("De screening is afgerond: %(outcome)s.") % {"outcome": screening.get_outcome_display()},
            )
            return redirect("programme_screening_detail", pk=screening.pk)
        messages.success(request, _("De screening is opgeslagen; u kunt later verdergaan."))
        return redirect("programme_screening")


class ScreeningDetailView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/screening_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        screening = (
            Screening.objects.for_organisation(self.request.organisation)  # type: ignore[attr-defined]
            .select_related("questionnaire", "organisation")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if screening is None:
            raise Http404
        return super().get_context_data(
            screening=screening,
            rows=screening_rows(screening),
            weakest=weakest_titles(screening),
            back=reverse("programme_home"),
            **kwargs,
        )


class PackageChoiceView(TenantTemplateView):
    allowed_roles = ADMIN_ROLES
    template_name = "reporting/programme/package_form.html"

    def year(self) -> int:
        try:
            return (
                int(self.request.GET.get("jaar") or self.request.POST.get("year") or 0)
                or timezone.localdate().year
            )
        except ValueError:
            return timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.request.organisation  # type: ignore[attr-defined]
        year = self.year()
        status = programme_status(organisation=organisation, year=year)
        prices = services.package_prices(year=year)
        form = kwargs.pop("form", None) or PackageChoiceForm(
            initial={"year": year, "additions": status.choice.additions if status.choice else []}
        )
        return super().get_context_data(
            form=form,
            year=year,
            status=status,
            prices=[(part, label, prices.get(part)) for part, label in PackagePart.choices],
            has_prices="base" in prices,
            package_lines=amount_lines(status.amount),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PackageChoiceForm(request.POST)
        if form.is_valid():
            try:
                services.package_choose(
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    year=form.cleaned_data["year"],
                    additions=form.cleaned_data["additions"],
                    user=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De keuze voor het zelf-betaal-pakket is vastgelegd."))
                return redirect(f"{reverse('programme_package')}?jaar={form.cleaned_data['year']}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class MeetingsView(TenantTemplateView):
    allowed_roles = STATUS_ROLES
    template_name = "reporting/programme/meetings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        organisation = self.request.organisation  # type: ignore[attr-defined]
        return super().get_context_data(
            involvement=involvement(organisation=organisation),
            meetings=InternalMeeting.objects.for_organisation(organisation).select_related("recorded_by")[
                :100
            ],
            levels=LEVELS,
            form=kwargs.pop("form", None) or InternalMeetingForm(),
            is_admin=self.request.membership.has_role(Role.ORG_ADMIN),  # type: ignore[attr-defined]
            **kwargs,
        )


class MeetingRecordView(TenantTemplateView):
    allowed_roles = ADMIN_ROLES
    http_method_names = ("post",)
    template_name = "reporting/programme/meetings.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = InternalMeetingForm(request.POST)
        if form.is_valid():
            try:
                services.internal_meeting_record(
                    organisation=request.organisation,  # type: ignore[attr-defined]
                    user=request.user,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De bijeenkomst is vastgelegd."))
                return redirect("programme_meetings")
        view = MeetingsView(request=request, kwargs={})
        return render(request, self.template_name, view.get_context_data(form=form), status=400)


def benchmark_charts(groups: list[dict[str, Any]], *, named: bool) -> list[dict[str, Any]]:
    """One SVG bar chart per group: the organisations' values (named for the reporting party;
    for an organisation: itself and the others unnamed)."""
    out = []
    for i, group in enumerate(groups):
        if named:
            labels = [row["organisation"] for row in group["values"]]
            values = [Decimal(row["value"]) for row in group["values"]]
        elif group["shown"]:
            own = Decimal(group["own"])
            others = [Decimal(v) for v in group["others"]]
            labels = [_("Uw organisatie")] + [
                _("Andere organisatie %(n)s") % {"n": n + 1} for n in range(len(others))
            ]
            values = [own, *others]
        else:
            out.append({**group, "chart": None})
            continue
        chart = charts.bar_chart(
            title=f"{bench.METRICS[group['metric']]}: {group['group']}",
            labels=labels,
            series=[charts.Series(str(bench.METRICS[group["metric"]]), values)],
            chart_id=f"benchmark-{i}",
            table_id=f"benchmark-table-{i}",
        )
        out.append({**group, "chart": chart, "index": i})
    return out


class BenchmarkView(TenantTemplateView):
    allowed_roles = BENCHMARK_ROLES
    template_name = "reporting/programme/benchmark.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        data = bench.benchmark_for_organisation(self.request.organisation)  # type: ignore[attr-defined]
        return super().get_context_data(
            data=data,
            groups=benchmark_charts(data["groups"], named=False),
            metrics=bench.METRICS,
            named=False,
            can_home=self.request.membership.has_role(*STATUS_ROLES),  # type: ignore[attr-defined]
            **kwargs,
        )


# The reporting party's side ---------------------------------------------------------------------


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


class PartyQuestionnairesView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/questionnaires.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        services.questionnaire_in_force()  # the default set, should the table be empty
        return super().get_context_data(versions=QuestionnaireVersion.objects.order_by("-number"), **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            version = services.questionnaire_new_draft(user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("programme_party_questionnaires")
        messages.success(request, _("Versie %(n)s is aangemaakt als concept.") % {"n": version.number})
        return redirect("programme_party_questionnaire", pk=version.pk)


class PartyQuestionnaireView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/questionnaire.html"

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
                "text": services.questionnaire_text(version.areas),
                "ready_pct": version.ready_pct,
                "conditions_pct": version.conditions_pct,
                "area_min_pct": version.area_min_pct,
                "note": version.note,
            }
        )
        return super().get_context_data(version=version, form=form, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = self.version()
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            try:
                services.questionnaire_update(version=version, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het concept is opgeslagen."))
                return redirect("programme_party_questionnaire", pk=version.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PartyQuestionnairePublishView(ReportingPartyRequiredMixin, View):
    http_method_names = ("post",)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        version = QuestionnaireVersion.objects.filter(pk=pk).first()
        if version is None:
            raise Http404
        try:
            services.questionnaire_publish(version=version, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Versie %(n)s is gepubliceerd; nieuwe screenings gebruiken die.") % {"n": version.number},
            )
        return redirect("programme_party_questionnaire", pk=pk)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("jaar") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


class PartyPackagesView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/party_packages.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        year = _year(self.request)
        prices = services.package_prices(year=year)
        form = kwargs.pop("form", None) or PackagePricesForm(initial={"year": year, **prices})
        return super().get_context_data(
            year=year, form=form, rows=package_rows(year=year), part_labels=PART_LABELS, **kwargs
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PackagePricesForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            year = data.pop("year")
            try:
                services.package_prices_set(year=year, amounts=data, user=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("De pakketprijzen voor %(year)s zijn vastgelegd.") % {"year": year}
                )
                return redirect(f"{reverse('programme_party_packages')}?jaar={year}")
        return self.render_to_response(self.get_context_data(form=form), status=400)


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


class PartyMeetingsView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/party_meetings.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        values = kwargs.pop("attendance_values", {})
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
            form=kwargs.pop("form", None) or ProgrammeMeetingForm(),
            org_rows=org_rows,
            levels=LEVELS,
            meetings=ProgrammeMeeting.objects.prefetch_related("attendance")[:100],
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeMeetingForm(request.POST)
        organisations = list(consenting_organisations())
        attendance = {
            o.pk: {code: request.POST.get(f"att_{o.pk}_{code}", "") for code, _label in LEVELS}
            for o in organisations
        }
        if form.is_valid():
            try:
                services.programme_meeting_record(
                    user=request.user, attendance=attendance, organisations=organisations, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("De bijeenkomst is vastgelegd."))
                return redirect("programme_party_meetings")
        values = {f"att_{o}_{c}": v for o, levels in attendance.items() for c, v in levels.items()}
        return self.render_to_response(self.get_context_data(form=form, attendance_values=values), status=400)


class PartyReportsView(ReportingPartyRequiredMixin, generic.TemplateView):
    template_name = "reporting/programme/party_reports.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        builds = list(ProgrammeReportBuild.objects.select_related("requested_by")[:50])
        reports = {r.build_id: r for r in ProgrammeReport.objects.filter(build__in=[b.pk for b in builds])}
        return super().get_context_data(
            builds=[(b, reports.get(b.pk)) for b in builds],
            running=any(
                b.status in (ProgrammeReportBuild.Status.QUEUED, ProgrammeReportBuild.Status.RUNNING)
                for b in builds
            ),
            form=kwargs.pop("form", None) or ProgrammeReportForm(),
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProgrammeReportForm(request.POST)
        if form.is_valid():
            try:
                programme_build_request(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Het programmarapport wordt op de achtergrond gemaakt."))
                return redirect("programme_party_reports")
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
