"""Dashboards and worklists per level (domain page section 11), formatie (section 8), the
weekly signal history of a client and the evidence pack (section 7). Thin: selectors read,
the service writes, templates render. Every dashboard table exports to XLSX with
``?export=<table>`` through the shared spreadsheet writer."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.models import Client
from clients.selectors import restrict_to_visible
from conversations.models import Conversation
from conversations.selectors import lines_of, package_in_force
from costing.selectors import budget_for_client
from ipvb import accesslog
from ipvb.forms import apply_errors
from ipvb.pdf import render_pdf
from ipvb.roles import Role
from ipvb.views.base import TenantDetailView, TenantFormView, TenantTemplateView
from ipvb.xlsx import append_row

from . import charts, selectors, services
from .forms import ActualStaffingForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOARD_ROLES = frozenset({Role.BOARD, Role.MANAGER})
MANAGEMENT_ROLES = frozenset({Role.MANAGER, Role.FINANCIAL})
LEADER_ROLES = frozenset({Role.TEAM_LEADER})
CARE_ROLES = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER})
FORMATIE_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER, Role.FINANCIAL, Role.BOARD})
SIGNAL_ROLES = frozenset({Role.TEAM_LEADER, Role.MANAGER})
BAND_LABELS = (
    ("lt70", "< 70 %"),
    ("70_90", "70–90 %"),
    ("90_100", "90–100 %"),
    ("100_110", "100–110 %"),
    ("gt110", "> 110 %"),
)


def _week_label(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def workbook_response(
    *, title: str, headers: Sequence[Any], rows: Sequence[Sequence[Any]], filename: str
) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]
    append_row(sheet, [str(h) for h in headers])
    for row in rows:
        append_row(sheet, list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def summary_table(rows: list[selectors.SummaryRow], first: str) -> tuple[list[str], list[list[Any]]]:
    headers = [
        first,
        _("Cliënten"),
        _("Op iPVB"),
        _("Budget per week"),
        _("Pakket per week"),
        _("Benutting %"),
        _("Overschrijdingen"),
        _("Herindicatie"),
        _("Structureel tekort"),
        _("Meerzorg"),
    ]
    body = [
        [
            r.label,
            r.clients,
            r.on_ipvb,
            r.budget,
            r.total,
            r.utilisation_pct,
            r.overrun,
            r.reindication,
            r.structural_deficit,
            r.meerzorg,
        ]
        for r in rows
    ]
    return headers, body


def bands_table(rows: list[selectors.SummaryRow], first: str) -> tuple[list[str], list[list[Any]]]:
    headers = [first, *[label for _code, label in BAND_LABELS]]
    return headers, [[r.label, *[r.bands.get(code, 0) for code, _label in BAND_LABELS]] for r in rows]


def formatie_table(items: list[selectors.DepartmentFormatie]) -> tuple[list[str], list[list[Any]]]:
    headers = [
        _("Afdeling"),
        _("Functieniveau"),
        _("Uren pakketten"),
        _("Uren groepsgebonden"),
        _("Benodigde fte"),
        _("Werkelijke fte"),
        _("Verschil fte"),
    ]
    body = []
    for item in items:
        for line in item.lines:
            body.append(
                [
                    item.department.name,
                    line.level.name,
                    selectors.formulas.round2(line.package_hours),
                    line.group_hours,
                    line.required_fte,
                    line.actual_fte,
                    line.gap,
                ]
            )
        body.append(
            [item.department.name, _("Totaal"), None, None, item.required_fte, item.actual_fte, item.gap]
        )
    return headers, body


class ExportMixin:
    """``?export=<name>`` answers the named table of ``export_tables()`` as XLSX."""

    request: HttpRequest
    export_stem: ClassVar[str] = "rapportage"

    def export_tables(self) -> dict[str, tuple[Any, list[str], list[list[Any]]]]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.GET.get("export")
        if name:
            tables = self.export_tables()
            if name not in tables:
                raise Http404(_("Deze tabel bestaat niet."))
            title, headers, rows = tables[name]
            return workbook_response(
                title=title,
                headers=headers,
                rows=rows,
                filename=f"{self.export_stem}-{name}-{timezone.localdate():%Y-%m-%d}.xlsx",
            )
        return super().get(request, *args, **kwargs)  # type: ignore[misc]


class ReportingView(ExportMixin, TenantTemplateView):
    _data: dict[str, Any]

    @property
    def organisation(self) -> Any:
        return self.request.organisation  # type: ignore[attr-defined]

    @property
    def membership(self) -> Any:
        return self.request.membership  # type: ignore[attr-defined]

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()

    @property
    def week(self) -> datetime.date | None:
        if not hasattr(self, "_week"):
            self._week = selectors.latest_week(organisation=self.organisation, on_or_before=self.today)
        return self._week


def trend_chart(points: list[selectors.TrendPoint], chart_id: str, table_id: str) -> Any:
    return charts.line_chart(
        title=_("Budget tegenover pakket per week"),
        labels=[_week_label(p.week) for p in points],
        series=[
            charts.Series(_("Budget (€ per week)"), [p.budget for p in points]),
            charts.Series(_("Pakket (€ per week)"), [p.total for p in points]),
        ],
        chart_id=chart_id,
        table_id=table_id,
    )


class BoardDashboardView(ReportingView):
    """The organisation at a glance: figures per department, never a client's name."""

    allowed_roles = BOARD_ROLES
    template_name = "reporting/board.html"
    export_stem = "bestuur"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        departments = selectors.department_totals(organisation=self.organisation, week=self.week)
        points = selectors.trend(organisation=self.organisation, weeks=52, until=self.today)
        staffing = selectors.formatie(organisation=self.organisation, on_date=self.today)
        self._data = {
            "departments": departments,
            "total": selectors.summary_total(departments),
            "trend": points,
            "formatie": staffing,
        }
        return self._data

    def export_tables(self) -> dict[str, Any]:
        data = self.data()
        trend_rows = [
            [
                _week_label(p.week),
                p.budget,
                p.total,
                p.utilisation_pct,
                p.on_ipvb,
                p.reindication,
                p.meerzorg,
                p.structural_deficit,
            ]
            for p in data["trend"]
        ]
        return {
            "afdelingen": (_("Afdelingen"), *summary_table(data["departments"], _("Afdeling"))),
            "trend": (
                _("Trend"),
                [
                    _("Week"),
                    _("Budget"),
                    _("Pakket"),
                    _("Benutting %"),
                    _("Op iPVB"),
                    _("Herindicatie"),
                    _("Meerzorg"),
                    _("Structureel tekort"),
                ],
                trend_rows,
            ),
            "formatie": (_("Formatie"), *formatie_table(data["formatie"])),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.data()
        departments = data["departments"]
        from reporting.pilot import pilot_status

        context.update(data)
        context.update(
            {
                "week": self.week,
                "pilot": pilot_status(
                    organisation=self.organisation, week=self.week, departments=departments
                ),
                "trend_chart": trend_chart(data["trend"], "board-trend", "board-trend-table"),
                "department_chart": charts.bar_chart(
                    title=_("Budget en pakket per afdeling (€ per week)"),
                    labels=[d.label for d in departments],
                    series=[
                        charts.Series(_("Budget"), [d.budget for d in departments]),
                        charts.Series(_("Pakket"), [d.total for d in departments]),
                    ],
                    chart_id="board-departments",
                    table_id="board-departments-table",
                ),
            }
        )
        return context


class ManagementDashboardView(ReportingView):
    """Per department and profile: budget, package, utilisation distribution; add-on revenue;
    and the effect of a draft cost-price model on the packages in force."""

    allowed_roles = MANAGEMENT_ROLES
    template_name = "reporting/management.html"
    export_stem = "management"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        departments = selectors.summary_by_department(organisation=self.organisation, week=self.week)
        profiles = selectors.summary_by_profile(organisation=self.organisation, week=self.week)
        self._data = {
            "departments": departments,
            "profiles": profiles,
            "department_total": selectors.summary_total(departments),
            "addons": selectors.addon_revenue(organisation=self.organisation, on_date=self.today),
        }
        return self._data

    def what_if(self) -> tuple[Any, Any, str]:
        """Re-pricing every package in force is work: done when a draft is chosen (``?model=``)."""
        drafts = list(selectors.draft_models(organisation=self.organisation))
        chosen = self.request.GET.get("model")
        model = None
        error = ""
        if chosen:
            model = next((m for m in drafts if str(m.pk) == chosen), None)
            if model is None:
                error = _("Dit concept-kostprijsmodel bestaat niet (meer) of is al gepubliceerd.")
        effect = (
            selectors.draft_model_effect(organisation=self.organisation, model=model, on_date=self.today)
            if model
            else None
        )
        return drafts, effect, error

    def export_tables(self) -> dict[str, Any]:
        data = self.data()
        return {
            "afdelingen": (_("Afdelingen"), *summary_table(data["departments"], _("Afdeling"))),
            "profielen": (_("Zorgprofielen"), *summary_table(data["profiles"], _("Zorgprofiel"))),
            "benutting-afdeling": (
                _("Benutting per afdeling"),
                *bands_table(data["departments"], _("Afdeling")),
            ),
            "benutting-profiel": (
                _("Benutting per profiel"),
                *bands_table(data["profiles"], _("Zorgprofiel")),
            ),
            "bijkoop": (
                _("Bijkoop"),
                [_("Artikel"), _("Regels"), _("Omzet per maand")],
                [[a["item"], a["lines"], a["revenue"]] for a in data["addons"]],
            ),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        data = self.data()
        drafts, effect, error = self.what_if()
        profiles = data["profiles"]
        context.update(data)
        context.update(
            {
                "week": self.week,
                "drafts": drafts,
                "effect": effect,
                "what_if_error": error,
                "band_labels": BAND_LABELS,
                "profile_chart": charts.bar_chart(
                    title=_("Budget en pakket per zorgprofiel (€ per week)"),
                    labels=[p.label for p in profiles],
                    series=[
                        charts.Series(_("Budget"), [p.budget for p in profiles]),
                        charts.Series(_("Pakket"), [p.total for p in profiles]),
                    ],
                    chart_id="mgmt-profiles",
                    table_id="mgmt-profiles-table",
                ),
            }
        )
        return context


class TeamLeaderWorklistView(ReportingView):
    allowed_roles = LEADER_ROLES
    template_name = "reporting/team_leader.html"
    export_stem = "werklijst-teamleider"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        candidates = selectors.signal_rows(membership=self.membership, week=self.week)
        history = selectors.histories(
            organisation=self.organisation, client_ids=[c.client_id for c in candidates], until=self.today
        )
        departments = list(selectors.departments_for(membership=self.membership))
        self._data = {
            "approvals": selectors.approvals_waiting(membership=self.membership),
            "reviews": selectors.reviews(membership=self.membership, today=self.today),
            "candidates": [{"row": c, "history": history.get(c.client_id, [])} for c in candidates],
            "formatie": selectors.formatie(
                organisation=self.organisation, on_date=self.today, departments=departments
            ),
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
                "reviews": selectors.reviews(membership=self.membership, today=self.today),
                "drafts": selectors.drafts_in_progress(membership=self.membership),
                "without": selectors.clients_without_package(membership=self.membership, today=self.today),
                "today": self.today,
            }
        )
        return context


class FormatieView(ReportingView):
    allowed_roles = FORMATIE_ROLES
    template_name = "reporting/formatie.html"
    export_stem = "formatie"

    def data(self) -> dict[str, Any]:
        if hasattr(self, "_data"):
            return self._data
        departments = list(selectors.departments_for(membership=self.membership))
        self._data = {
            "formatie": selectors.formatie(
                organisation=self.organisation, on_date=self.today, departments=departments
            ),
            "history": selectors.staffing_history(
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


class ActualStaffingEntryView(TenantFormView):
    allowed_roles = LEADER_ROLES
    form_class = ActualStaffingForm
    template_name = "reporting/formatie_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.request.membership  # type: ignore[attr-defined]
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"effective_from": timezone.localdate()}

    def form_valid(self, form: ActualStaffingForm) -> HttpResponse:
        from django.core.exceptions import ValidationError

        data = form.cleaned_data
        try:
            entry = services.actual_staffing_record(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                membership=self.request.membership,  # type: ignore[attr-defined]
                department=data["department"],
                staff_level=data["staff_level"],
                fte=data["fte"],
                effective_from=data["effective_from"],
                note=data.get("note", ""),
                by=self.request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "De werkelijke formatie van %(department)s (%(level)s) is vastgelegd: "
                "%(fte)s fte vanaf %(date)s."
            )
            % {
                "department": entry.department.name,
                "level": entry.staff_level.name,
                "fte": str(entry.fte).replace(".", ","),
                "date": entry.effective_from.strftime("%d-%m-%Y"),
            },
        )
        return redirect("reporting_formatie")


class ClientSignalsMixin(TenantDetailView):
    """A client the membership may see (managers all, team leaders their departments)."""

    model = Client
    pk_url_kwarg = "client_pk"
    allowed_roles = SIGNAL_ROLES
    access_log_client = "self"

    def restrict_queryset(self, queryset: Any) -> Any:
        return restrict_to_visible(queryset, membership=self.request.membership)  # type: ignore[attr-defined]

    def history_context(self) -> dict[str, Any]:
        client = self.object
        today = timezone.localdate()
        history = selectors.client_history(client=client, weeks=26, until=today)
        chart = charts.line_chart(
            title=_("Budget tegenover pakket, laatste 26 weken"),
            labels=[_week_label(h.week_start) for h in history],
            series=[
                charts.Series(_("Budget B (€ per week)"), [h.budget for h in history]),
                charts.Series(_("Pakket (€ per week)"), [h.package_total for h in history]),
            ],
            chart_id="client-history",
            table_id="client-history-table",
        )
        latest = history[-1] if history else None
        return {
            "client": client,
            "history": history,
            "chart": chart,
            "latest": latest,
            "today": today,
            "week_label": _week_label,
        }


class ClientSignalsView(ClientSignalsMixin):
    template_name = "reporting/client_signals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **self.history_context()}


class EvidencePackView(ClientSignalsMixin):
    """The evidence pack for the CIZ (re-indication) or the zorgkantoor (meerzorg), as PDF.
    Printing it is an access-log event."""

    template_name = "reporting/evidence_pack.html"
    access_log_action = accesslog.PRINT

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        context = self.history_context()
        client = self.object
        today = context["today"]
        package = package_in_force(client=client, on_date=today)
        start = today - datetime.timedelta(weeks=26)
        conversations = (
            Conversation.objects.for_organisation(client.organisation_id)
            .filter(client=client, held_at__date__gte=start)
            .prefetch_related("professionals", "contact_persons")
            .order_by("held_at")
        )
        budget = budget_for_client(client=client, on_date=today)
        context.update(
            {
                "organisation": request.organisation,  # type: ignore[attr-defined]
                "budget": budget,
                "package": package,
                "lines": lines_of(package=package) if package else [],
                "conversations": list(conversations),
                "printed_at": timezone.localtime(),
                "indication": budget.indication,
                "purpose": (
                    "meerzorg" if context["latest"] and context["latest"].meerzorg else "reindication"
                ),
            }
        )
        rendered = render_pdf(self.template_name, context, request=request)
        response = HttpResponse(rendered.pdf, content_type="application/pdf")
        filename = f"bewijsstukken-{client.pk}-{today:%Y-%m-%d}.pdf"
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response


TITLE = gettext_lazy("Rapportage")
ZERO = Decimal("0")
