"""Maintenance of both catalogues by financial staff: lists with filters and search, forms,
activate/deactivate, import and export as XLSX, new add-on prices from a date."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormMixin

from ipvb import spreadsheets
from ipvb.roles import Role
from ipvb.views.base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDetailView,
    TenantFormView,
    TenantListView,
    TenantTemplateView,
    TenantUpdateView,
)

from .. import selectors
from ..activities import activity_create, activity_set_active, activity_update
from ..addons import addon_item_create, addon_item_set_active, addon_item_update, addon_price_set
from ..exports import activities_export, addons_export
from ..forms import (
    ActivityForm,
    AddOnItemCreateForm,
    AddOnItemForm,
    AddOnPriceForm,
    FilterForm,
    ImportForm,
)
from ..imports import ImportResult, activities_import, addons_import
from ..models import Activity, AddOnItem, active_on_q
from ..spreadsheets import ACTIVITY_COLUMNS, ADDON_COLUMNS

FINANCIAL = frozenset({Role.FINANCIAL})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


# Maintenance (financial staff) -------------------------------------------------------------


class FilteredListMixin:
    """Filters of the maintenance lists, read from the query string."""

    kind: ClassVar[str] = "activity"
    request: HttpRequest

    def filter_form(self) -> FilterForm:
        if not hasattr(self, "_filter_form"):
            self._filter_form = FilterForm(self.request.GET or None, kind=self.kind)
            self._filter_form.is_valid()
        return self._filter_form

    def on_date(self) -> datetime.date:
        return self.filter_form().value("date", timezone.localdate())

    def status(self) -> str:
        return self.filter_form().value("status", selectors.STATUS_ALL)

    def filter_context(self) -> dict[str, Any]:
        return {"filter_form": self.filter_form(), "on_date": self.on_date()}

    def apply_filters(self, queryset: QuerySet, search_fields: tuple[str, ...]) -> QuerySet:
        form = self.filter_form()
        on_date = self.on_date()
        status = self.status()
        if status == selectors.STATUS_ACTIVE:
            queryset = queryset.filter(active_on_q(on_date))
        elif status == selectors.STATUS_INACTIVE:
            queryset = queryset.exclude(active_on_q(on_date))
        category = form.value("category")
        if category:
            queryset = queryset.filter(category=category)
        search = (form.value("q") or "").strip()
        if search:
            condition = Q()
            for field in search_fields:
                condition |= Q(**{f"{field}__icontains": search})
            queryset = queryset.filter(condition)
        return queryset


class ActivityListView(FilteredListMixin, TenantListView):
    model = Activity
    allowed_roles = FINANCIAL
    template_name = "catalog/activity_list.html"
    kind = "activity"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = queryset.select_related("default_level").order_by("category", "code")
        return self.apply_filters(queryset, ("code", "name", "description"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        comparison = selectors.price_comparison(organisation=self.organisation, on_date=self.on_date())
        context["rows"] = selectors.activity_rows(activities=context["object_list"], comparison=comparison)
        context["comparison"] = comparison
        context.update(self.filter_context())
        return context


class ActivityCreateView(ServiceFormMixin, TenantCreateView):
    model = Activity
    form_class = ActivityForm
    allowed_roles = FINANCIAL
    template_name = "catalog/activity_form.html"
    success_message = gettext_lazy("Activiteit %(name)s toegevoegd.")

    def save(self, form: ActivityForm) -> Activity:
        return activity_create(organisation=self.organisation, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_activity_list")


class ActivityUpdateView(ServiceFormMixin, TenantUpdateView):
    model = Activity
    form_class = ActivityForm
    allowed_roles = FINANCIAL
    template_name = "catalog/activity_form.html"
    success_message = gettext_lazy("Activiteit %(name)s opgeslagen.")

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("default_level")

    def save(self, form: ActivityForm) -> Activity:
        return activity_update(activity=self.object, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_activity_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        saved = (
            Activity.objects.for_organisation(self.organisation)
            .select_related("default_level")
            .get(pk=self.object.pk)
        )
        comparison = selectors.price_comparison(organisation=self.organisation, on_date=timezone.localdate())
        (row,) = selectors.activity_rows(activities=[saved], comparison=comparison)
        weekly = []
        if row.quote is not None:
            for times in (1, 2, 3, 7, 14):
                quote = selectors.quote_with_card(
                    activity=saved, card=comparison.card, on_date=comparison.on_date, occurrences=times
                )
                weekly.append((times, quote.price if quote else None))
        context.update(row=row, comparison=comparison, saved=saved, weekly=weekly)
        return context


class ToggleView(ServiceFormMixin, TenantDetailView):
    """POST active=1 activates, active=0 deactivates (from today)."""

    http_method_names = ["post"]
    list_url_name: ClassVar[str] = ""
    active = False

    def set_active(self, obj: Any, active: bool) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_success_url(self) -> str:
        return _safe_next(self.request, reverse(self.list_url_name))

    def get_success_message(self, result: Any) -> str:
        if self.active:
            return _("%(name)s is actief.") % {"name": result}
        return _("%(name)s is niet meer actief vanaf %(date)s. Bestaande pakketten houden hun regels.") % {
            "name": result,
            "date": timezone.localdate().strftime("%d-%m-%Y"),
        }

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.active = request.POST.get("active") == "1"
        return self.service_action(lambda: self.set_active(obj, self.active))


class ActivityToggleView(ToggleView):
    model = Activity
    allowed_roles = FINANCIAL
    list_url_name = "catalog_activity_list"

    def set_active(self, obj: Any, active: bool) -> Any:
        return activity_set_active(activity=obj, active=active)


class ImportView(ServiceFormMixin, TenantFormView):
    """Reads an uploaded file; a refused file shows the page again with every row's error in a
    list above the form."""

    form_class = ImportForm
    allowed_roles = FINANCIAL
    template_name = "catalog/import.html"
    list_url_name: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    columns: ClassVar[list[tuple[str, str]]] = []

    def run(self, content: bytes) -> ImportResult:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            columns=[label for label, _f in self.columns],
            list_url=reverse(self.list_url_name),
        )
        return context

    def save(self, form: ImportForm) -> ImportResult:
        return self.run(spreadsheets.read_upload(form.cleaned_data["file"]))

    def service_failed(self, exc: ValidationError, form: Any = None) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, import_errors=exc.messages))

    def get_success_message(self, result: ImportResult) -> str:
        return _(
            "Bestand ingelezen: %(created)s nieuw, %(updated)s gewijzigd, %(unchanged)s ongewijzigd."
        ) % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }

    def get_success_url(self) -> str:
        return reverse(self.list_url_name)


class ActivityImportView(ImportView):
    list_url_name = "catalog_activity_list"
    title = gettext_lazy("Activiteiten inlezen")
    columns = ACTIVITY_COLUMNS

    def run(self, content: bytes) -> ImportResult:
        return activities_import(organisation=self.organisation, content=content)


class ExportView(TenantTemplateView):
    allowed_roles = FINANCIAL
    file_stem: ClassVar[str] = ""

    def content(self, on_date: datetime.date) -> bytes:  # pragma: no cover - overridden
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        today = timezone.localdate()
        response = HttpResponse(self.content(today), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.file_stem}-{today:%Y-%m-%d}.xlsx"
        )
        return response


class ActivityExportView(ExportView):
    file_stem = "activiteiten"

    def content(self, on_date: datetime.date) -> bytes:
        return activities_export(organisation=self.organisation, on_date=on_date)


# Add-on catalogue maintenance --------------------------------------------------------------


class AddOnListView(FilteredListMixin, TenantListView):
    model = AddOnItem
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_list.html"
    kind = "addon"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = self.apply_filters(queryset, ("name", "description"))
        return selectors.annotate_prices(queryset, organisation=self.organisation, on_date=self.on_date())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context())
        return context


class AddOnCreateView(ServiceFormMixin, TenantCreateView):
    model = AddOnItem
    form_class = AddOnItemCreateForm
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_form.html"
    success_message = gettext_lazy("Bijkoopartikel %(name)s toegevoegd.")

    def save(self, form: AddOnItemCreateForm) -> AddOnItem:
        return addon_item_create(organisation=self.organisation, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_addon_list")


class AddOnUpdateView(ServiceFormMixin, TenantUpdateView):
    model = AddOnItem
    form_class = AddOnItemForm
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_form.html"
    success_message = gettext_lazy("Bijkoopartikel %(name)s opgeslagen.")

    def save(self, form: AddOnItemForm) -> AddOnItem:
        return addon_item_update(item=self.object, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_addon_update", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.addon_price_history(item=self.object)
        context["today"] = timezone.localdate()
        context["current"] = selectors.addon_price(item=self.object, on_date=context["today"])
        return context


class AddOnPriceCreateView(ServiceFormMixin, FormMixin, TenantDetailView):
    """A new price from a date: the price in force ends that day; the past stays."""

    model = AddOnItem
    form_class = AddOnPriceForm
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_price_form.html"
    http_method_names = ["get", "post"]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.addon_price_history(item=self.object)
        context["today"] = timezone.localdate()
        return context

    def save(self, form: AddOnPriceForm) -> AddOnItem:
        self.price = addon_price_set(item=self.object, **form.cleaned_data)
        return self.object

    def get_success_message(self, result: Any) -> str:
        return _("Nieuwe prijs voor %(name)s vastgelegd, geldig vanaf %(date)s.") % {
            "name": result,
            "date": self.price.valid_from.strftime("%d-%m-%Y"),
        }

    def get_success_url(self) -> str:
        return reverse("catalog_addon_update", args=[self.object.pk])


class AddOnToggleView(ToggleView):
    model = AddOnItem
    allowed_roles = FINANCIAL
    list_url_name = "catalog_addon_list"

    def set_active(self, obj: Any, active: bool) -> Any:
        return addon_item_set_active(item=obj, active=active)


class AddOnImportView(ImportView):
    list_url_name = "catalog_addon_list"
    title = gettext_lazy("Bijkoopartikelen inlezen")
    columns = ADDON_COLUMNS

    def run(self, content: bytes) -> ImportResult:
        return addons_import(organisation=self.organisation, content=content)


class AddOnExportView(ExportView):
    file_stem = "bijkoop"

    def content(self, on_date: datetime.date) -> bytes:
        return addons_export(organisation=self.organisation, on_date=on_date)
