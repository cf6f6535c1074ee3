"""The board and management dashboards (domain page section 11): figures per department and
profile, never a client's name; the management page also shows the effect of a draft
cost-price model."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .. import charts
from ..selectors.dashboards import (
    TrendPoint,
    addon_revenue,
    department_totals,
    summary_by_department,
    summary_by_profile,
    summary_total,
    trend,
)
from ..selectors.formatie import formatie
from ..selectors.what_if import draft_model_effect, draft_models
from .base import BOARD_ROLES, MANAGEMENT_ROLES, ReportingView, week_label
from .exports import BAND_LABELS, bands_table, formatie_table, summary_table


def trend_chart(points: list[TrendPoint], chart_id: str, table_id: str) -> Any:
    return charts.line_chart(
        title=_("Budget tegenover pakket per week"),
        labels=[week_label(p.week) for p in points],
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
        departments = department_totals(organisation=self.organisation, week=self.week)
        points = trend(organisation=self.organisation, weeks=52, until=self.today)
        staffing = formatie(organisation=self.organisation, on_date=self.today)
        self._data = {
            "departments": departments,
            "total": summary_total(departments),
            "trend": points,
            "formatie": staffing,
        }
        return self._data

    def export_tables(self) -> dict[str, Any]:
        data = self.data()
        trend_rows = [
            [
                week_label(p.week),
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
        departments = summary_by_department(organisation=self.organisation, week=self.week)
        profiles = summary_by_profile(organisation=self.organisation, week=self.week)
        self._data = {
            "departments": departments,
            "profiles": profiles,
            "department_total": summary_total(departments),
            "addons": addon_revenue(organisation=self.organisation, on_date=self.today),
        }
        return self._data

    def what_if(self) -> tuple[Any, Any, str]:
        """Re-pricing every package in force is work: done when a draft is chosen (``?model=``)."""
        drafts = list(draft_models(organisation=self.organisation))
        chosen = self.request.GET.get("model")
        model = None
        error = ""
        if chosen:
            model = next((m for m in drafts if str(m.pk) == chosen), None)
            if model is None:
                error = _("Dit concept-kostprijsmodel bestaat niet (meer) of is al gepubliceerd.")
        effect = (
            draft_model_effect(organisation=self.organisation, model=model, on_date=self.today)
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
