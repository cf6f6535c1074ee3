"""Pages of costing: tariffs, staff levels, year settings, cost-price models (with their
transparent build-up, versions and comparison), group-bound care and the client budget."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import generic

from clients.models import Client
from clients.selectors import clients_for
from ipvb import spreadsheets
from ipvb.forms import apply_errors
from ipvb.models import Department
from ipvb.roles import Role
from ipvb.validators import CARE_DATE_MAX, CARE_DATE_MIN
from ipvb.views.base import (
    TenantCreateView,
    TenantDetailView,
    TenantListView,
    TenantUpdateView,
)

from . import selectors, services, xlsx
from .forms import (
    CostModelForm,
    GroupCareForm,
    ModelLevelsForm,
    NewVersionForm,
    StaffLevelForm,
    UploadForm,
    XlsxUploadForm,
    YearSettingsForm,
)
from .models import CostPriceModel, OrganisationYearSettings, StaffLevel

FIN = frozenset({Role.FINANCIAL})
READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN})
GROUP_READ = frozenset({Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN, Role.TEAM_LEADER})
GROUP_EDIT = frozenset({Role.FINANCIAL, Role.TEAM_LEADER})
CLIENT_READ = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
SESSION_TARIFF_PREVIEW = "costing_tariff_preview"


def today() -> datetime.date:
    return timezone.localdate()


def _year_param(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("jaar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _is_financial(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.has_role(Role.FINANCIAL))


# Tariffs (national reference data) ---------------------------------------------------------------


class StaffOrMemberMixin:
    """Tariffs are national: every member may read them; platform staff also without membership."""

    staff_only = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff:
            if getattr(request, "membership", None) is None:
                return render(request, "ipvb/no_membership.html", status=403)
            if self.staff_only:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class TariffListView(StaffOrMemberMixin, generic.TemplateView):
    template_name = "costing/tariff_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        years = selectors.tariff_years()
        year = _year_param(self.request, years[0] if years else today().year)
        rows = list(selectors.tariffs(year=year))
        context.update(
            years=years,
            year=year,
            tariffs=rows,
            illustrative=any(row.is_illustrative for row in rows),
            imports={row.source_import for row in rows if row.source_import},
            can_import=self.request.user.is_staff,
        )
        return context


class TariffImportView(StaffOrMemberMixin, generic.FormView):
    """Upload -> preview with every problem listed -> confirm. Nothing is saved before the
    confirmation, and nothing at all when the file has a problem."""

    staff_only = True
    template_name = "costing/tariff_import.html"
    form_class = UploadForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm"):
            data = request.session.get(SESSION_TARIFF_PREVIEW)
            if not data:
                messages.error(request, _("Er is geen gecontroleerd bestand meer; upload het opnieuw."))
                return redirect("tariff_import")
            preview = services.TariffPreview(
                file_name=data["file_name"],
                rows=[services.TariffRow.from_dict(row) for row in data["rows"]],
                source=data["source"],
                is_illustrative=data["is_illustrative"],
            )
            try:
                record = services.tariff_import_apply(preview=preview, user=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("tariff_import")
            request.session.pop(SESSION_TARIFF_PREVIEW, None)
            messages.success(
                request,
                _("Tarieven %(year)s geïmporteerd: %(count)s regels.")
                % {"year": record.year, "count": record.row_count},
            )
            return redirect(f"{reverse('tariff_list')}?jaar={record.year}")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            content = spreadsheets.read_upload(upload)
        except ValidationError as exc:
            preview = services.TariffPreview(file_name=upload.name or "", errors=exc.messages)
        else:
            preview = services.tariff_import_preview(content=content, file_name=upload.name)
        if preview.is_valid:
            self.request.session[SESSION_TARIFF_PREVIEW] = {
                "file_name": preview.file_name,
                "rows": [row.as_dict() for row in preview.rows],
                "source": preview.source,
                "is_illustrative": preview.is_illustrative,
            }
        else:
            self.request.session.pop(SESSION_TARIFF_PREVIEW, None)
        return self.render_to_response(self.get_context_data(form=form, preview=preview))


# Staff levels ---------------------------------------------------------------------------------


class StaffLevelListView(TenantListView):
    model = StaffLevel
    allowed_roles = READ
    template_name = "costing/stafflevel_list.html"


class StaffLevelCreateView(TenantCreateView):
    model = StaffLevel
    form_class = StaffLevelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Nieuw functieniveau")}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.staff_level_save(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Functieniveau opgeslagen."))
        return redirect("stafflevel_list")


class StaffLevelUpdateView(TenantUpdateView):
    model = StaffLevel
    form_class = StaffLevelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Functieniveau wijzigen")}

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.staff_level_save(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
                level=self.object,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Functieniveau opgeslagen."))
        return redirect("stafflevel_list")


# Year settings ---------------------------------------------------------------------------------


class YearSettingsListView(TenantListView):
    model = OrganisationYearSettings
    allowed_roles = READ
    template_name = "costing/yearsettings_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("reference_level", "updated_by")


class _YearSettingsSave:
    def form_valid(self, form: Any) -> HttpResponse:
        values = {key: form.cleaned_data[key] for key in form.cleaned_data if key != "year"}
        try:
            services.year_settings_save(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                user=self.request.user,  # type: ignore[attr-defined]
                year=form.cleaned_data["year"],
                values=values,
                settings=getattr(self, "object", None),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, _("Jaarinstellingen opgeslagen."))  # type: ignore[attr-defined]
        return redirect("yearsettings_list")


class YearSettingsCreateView(_YearSettingsSave, TenantCreateView):
    model = OrganisationYearSettings
    form_class = YearSettingsForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Nieuwe jaarinstellingen")}

    def get_initial(self) -> dict[str, Any]:
        return {"year": today().year}


class YearSettingsUpdateView(_YearSettingsSave, TenantUpdateView):
    model = OrganisationYearSettings
    form_class = YearSettingsForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Jaarinstellingen wijzigen")}


# Cost-price models -------------------------------------------------------------------------------


class CostModelListView(TenantListView):
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("published_by", "created_by", "based_on").order_by("-year", "-version")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["in_force"] = selectors.model_in_force(
            organisation=self.request.organisation,  # type: ignore[attr-defined]
            on_date=today(),
        )
        context["today"] = today()
        context["can_edit"] = _is_financial(self.request)
        return context


class CostModelCreateView(TenantCreateView):
    model = CostPriceModel
    form_class = CostModelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {
        "title": _("Nieuw kostprijsmodel"),
        "intro": _("Een nieuw model begint als concept. Voeg daarna de functieniveaus toe en publiceer het."),
    }

    def get_initial(self) -> dict[str, Any]:
        year = today().year
        return {"year": year, "effective_from": datetime.date(year, 1, 1), "paid_hours_per_fte": 1878}

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            model = services.cost_model_create(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                user=self.request.user,
                year=data["year"],
                effective_from=data["effective_from"],
                change_note=data.get("change_note", ""),
                inputs={f: data[f] for f in services.MODEL_INPUT_FIELDS},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Concept opgeslagen. Voeg nu de functieniveaus toe."))
        return redirect("costmodel_levels", pk=model.pk)


class _DraftOnlyMixin:
    """Editing a published model is refused with a clear message (GET and POST)."""

    def published_refusal(self) -> HttpResponse:
        messages.error(
            self.request,  # type: ignore[attr-defined]
            _(
                "Een gepubliceerd kostprijsmodel wordt nooit gewijzigd. Maak een nieuwe versie met een ingangsdatum."
            ),
        )
        return redirect("costmodel_detail", pk=self.object.pk)  # type: ignore[attr-defined]


class CostModelUpdateView(_DraftOnlyMixin, TenantUpdateView):
    object: Any
    model = CostPriceModel
    form_class = CostModelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Concept-kostprijsmodel wijzigen")}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.cost_model_update(
                model=self.object,
                user=self.request.user,
                inputs={f: data[f] for f in services.MODEL_INPUT_FIELDS},
                effective_from=data["effective_from"],
                change_note=data.get("change_note", ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Concept opgeslagen."))
        return redirect("costmodel_detail", pk=self.object.pk)


class CostModelDetailView(TenantDetailView):
    object: Any
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_detail.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("published_by", "created_by", "updated_by", "based_on")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        model = self.object
        context.update(
            inputs=model.inputs,
            levels=list(selectors.level_rates(model=model).values()),
            can_edit=_is_financial(self.request) and not model.is_published,
            can_version=_is_financial(self.request) and model.is_published,
            versions=selectors.models_for(organisation=self.request.organisation),  # type: ignore[attr-defined]
            in_force=selectors.model_in_force(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                on_date=today(),
            ),
        )
        return context


class CostModelLevelsView(_DraftOnlyMixin, TenantDetailView):
    object: Any
    model = CostPriceModel
    allowed_roles = FIN
    template_name = "costing/costmodel_levels.html"

    def _form(self, data: Any = None) -> ModelLevelsForm:
        return ModelLevelsForm(data, organisation=self.request.organisation, model=self.object)  # type: ignore[attr-defined]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.cost_model_levels_replace(model=self.object, user=request.user, rows=form.included)
                for level in form.excluded:
                    services.cost_model_level_remove(model=self.object, user=request.user, staff_level=level)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Functieniveaus opgeslagen."))
                return redirect("costmodel_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CostModelPublishView(TenantDetailView):
    model = CostPriceModel
    allowed_roles = FIN
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model: Any = self.get_object()
        try:
            services.cost_model_publish(model=model, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Model gepubliceerd; het geldt vanaf %(date)s.")
                % {"date": model.effective_from.strftime("%d-%m-%Y")},
            )
        return redirect("costmodel_detail", pk=model.pk)


class CostModelNewVersionView(TenantDetailView):
    object: Any
    model = CostPriceModel
    allowed_roles = FIN
    template_name = "costing/costmodel_new_version.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        initial = {"effective_from": max(today(), self.object.effective_from + datetime.timedelta(days=1))}
        return self.render_to_response(self.get_context_data(form=NewVersionForm(initial=initial)))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = NewVersionForm(request.POST)
        if form.is_valid():
            try:
                new = services.cost_model_new_version(
                    model=self.object,
                    user=request.user,
                    effective_from=form.cleaned_data["effective_from"],
                    change_note=form.cleaned_data["change_note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request, _("Nieuwe versie %(version)s aangemaakt als concept.") % {"version": new.version}
                )
                return redirect("costmodel_detail", pk=new.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CostModelCompareView(TenantDetailView):
    object: Any
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        versions = selectors.models_for(organisation=self.request.organisation).exclude(pk=self.object.pk)  # type: ignore[attr-defined]
        other = None
        wanted = self.request.GET.get("met")
        if wanted and wanted.isdigit():
            other = versions.filter(pk=int(wanted)).first()
        if other is None:
            other = self.object.based_on
        context.update(versions=versions, other=other)
        if other is not None:
            context["diff"] = selectors.model_diff(old=other, new=self.object)
        return context


class CostModelExportView(TenantDetailView):
    model = CostPriceModel
    allowed_roles = READ

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model: Any = self.get_object()
        response = HttpResponse(
            xlsx.model_workbook(model=model),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"kostprijsmodel-{model.year}-v{model.version}.xlsx"
        )
        return response


class CostModelImportView(_DraftOnlyMixin, TenantDetailView):
    object: Any
    model = CostPriceModel
    allowed_roles = FIN
    template_name = "costing/costmodel_import.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        return self.render_to_response(self.get_context_data(form=XlsxUploadForm()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        if self.object.is_published:
            return self.published_refusal()
        form = XlsxUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                content = spreadsheets.read_upload(form.cleaned_data["file"])
                rows = xlsx.level_import_rows(model=self.object, content=content)
                services.cost_model_levels_replace(model=self.object, user=request.user, rows=rows)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("%(count)s functieniveaus ingelezen.") % {"count": len(rows)})
                return redirect("costmodel_detail", pk=self.object.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


# Group-bound care ------------------------------------------------------------------------------


def _department_scope(request: HttpRequest, queryset: Any) -> Any:
    membership = request.membership  # type: ignore[attr-defined]
    if membership.has_role(Role.FINANCIAL, Role.MANAGER, Role.ORG_ADMIN):
        return queryset
    return queryset.filter(pk__in=membership.department_ids())


class GroupCareListView(TenantListView):
    model = Department
    allowed_roles = GROUP_READ
    template_name = "costing/groupcare_list.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return _department_scope(self.request, queryset)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = _year_param(self.request, today().year)
        on_date = selectors.reference_date(year=year, today=today())
        card = selectors.rate_card(organisation=self.request.organisation, on_date=on_date)  # type: ignore[attr-defined]
        context.update(
            year=year,
            years=[today().year - 1, today().year, today().year + 1],
            on_date=on_date,
            card=card,
            shares=[
                selectors.group_share_for_department(department=d, year=year, card=card)
                for d in context["object_list"]
            ],
            can_edit=self.request.membership.has_role(*GROUP_EDIT),  # type: ignore[attr-defined]
        )
        return context


class GroupCareEditView(TenantDetailView):
    object: Any
    model = Department
    allowed_roles = GROUP_EDIT
    template_name = "costing/groupcare_edit.html"

    def restrict_queryset(self, queryset: Any) -> Any:
        return _department_scope(self.request, queryset)

    def _form(self, data: Any = None) -> GroupCareForm:
        existing = {
            row.staff_level_id: row.hours_per_week
            for row in selectors.group_care_rows(department=self.object, year=self.kwargs["year"])
        }
        return GroupCareForm(data, organisation=self.request.organisation, existing=existing)  # type: ignore[attr-defined]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.group_care_save(department=self.object, year=self.kwargs["year"], hours=form.hours())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Groepsgebonden zorg opgeslagen."))
                return redirect(f"{reverse('groupcare_list')}?jaar={self.kwargs['year']}")
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        card = selectors.rate_card(
            organisation=self.request.organisation,  # type: ignore[attr-defined]
            on_date=selectors.reference_date(year=year, today=today()),
        )
        context.update(
            year=year,
            share=selectors.group_share_for_department(department=self.object, year=year, card=card),
        )
        return context


# The client's weekly budget ---------------------------------------------------------------------


def parse_date(value: str | None, default: datetime.date) -> datetime.date:
    if not value:
        return default
    try:
        parsed = datetime.date.fromisoformat(value)
    except ValueError:
        return default
    return parsed if CARE_DATE_MIN <= parsed <= CARE_DATE_MAX else default


def waterfall_bars(budget: selectors.Budget) -> list[dict[str, Any]]:
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
    *, request: HttpRequest, client: Any, on_date: datetime.date | None = None
) -> dict[str, Any]:
    """Context for ``{% include "costing/_budget_waterfall.html" %}`` on a client page:
    ``context.update(budget_context(request=request, client=client))``."""
    on_date = on_date or parse_date(request.GET.get("budgetdatum"), today())
    budget = selectors.budget_for_client(client=client, on_date=on_date)
    membership = getattr(request, "membership", None)
    return {
        "budget": budget,
        "budget_date": on_date,
        "budget_bars": waterfall_bars(budget),
        "budget_can_see_models": bool(membership and membership.has_role(*READ)),
    }


class ClientBudgetView(TenantDetailView):
    object: Any
    """The weekly budget of one client on a chosen date, with every source."""

    allowed_roles = CLIENT_READ
    template_name = "costing/client_budget.html"
    context_object_name = "client"
    access_log_client = "self"

    model = Client

    def restrict_queryset(self, queryset: Any) -> Any:
        visible = clients_for(membership=self.request.membership)  # type: ignore[attr-defined]
        return queryset.filter(pk__in=visible.values("pk")).select_related("department")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(budget_context(request=self.request, client=self.object))
        return context
