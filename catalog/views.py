"""Screens of the catalogues.

* Everyone with a role: the browsable catalogue and its printable, large-type version.
* Financial staff: maintenance of both catalogues (filters, search, activate/deactivate,
  import and export as XLSX, new add-on prices from a date)."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipvb import spreadsheets
from ipvb.forms import apply_errors
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

from . import selectors, services
from .forms import (
    ActivityForm,
    AddOnItemCreateForm,
    AddOnItemForm,
    AddOnPriceForm,
    BrowseForm,
    FilterForm,
    ImportForm,
)
from .models import Activity, ActivityCategory, AddOnCategory, AddOnItem, active_on_q
from .spreadsheets import ACTIVITY_COLUMNS, ADDON_COLUMNS

FINANCIAL = frozenset({Role.FINANCIAL})
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _org(request: Any) -> Any:
    """The active organisation (set by ipvb.tenancy.ActiveOrganisationMiddleware)."""
    return request.organisation


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _grouped(rows: list[Any], category_of: Any, choices: Any) -> list[tuple[str, list[Any]]]:
    labels = dict(choices)
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(category_of(row), []).append(row)
    return [(labels[code], groups[code]) for code in labels if code in groups]


# Read-only catalogue (every role) ----------------------------------------------------------


class CatalogueMixin:
    request: HttpRequest

    def catalogue(
        self, *, search: str = "", activity_category: str = "", addon_category: str = "", which: str = ""
    ) -> dict[str, Any]:
        organisation = _org(self.request)
        today = timezone.localdate()
        comparison = selectors.price_comparison(organisation=organisation, on_date=today)
        context: dict[str, Any] = {"today": today, "comparison": comparison}
        if which in ("", "a"):
            activities = selectors.activities_for(
                organisation=organisation,
                on_date=today,
                category=activity_category or None,
                search=search or None,
            )
            rows = selectors.activity_rows(activities=activities, comparison=comparison)
            context["activity_groups"] = _grouped(
                rows, lambda r: r.activity.category, ActivityCategory.choices
            )
            context["activity_count"] = len(rows)
        if which in ("", "b"):
            items = list(
                selectors.addon_items_for(
                    organisation=organisation,
                    on_date=today,
                    category=addon_category or None,
                    search=search or None,
                )
            )
            context["addon_groups"] = _grouped(items, lambda i: i.category, AddOnCategory.choices)
            context["addon_count"] = len(items)
        return context


class CatalogueBrowseView(CatalogueMixin, TenantTemplateView):
    """The catalogue as care staff and families see it: what a client can choose, in plain
    language, with today's prices; large type."""

    template_name = "catalog/browse.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = BrowseForm(self.request.GET or None)
        search, category = "", ""
        if form.is_bound and form.is_valid():
            search = form.cleaned_data["q"].strip()
            category = form.cleaned_data["category"]
        which, _sep, code = category.partition(":")
        context.update(
            self.catalogue(
                search=search,
                activity_category=code if which == "a" else "",
                addon_category=code if which == "b" else "",
                which=which,
            )
        )
        context["form"] = form
        context["filtered"] = bool(search or category)
        return context


class CataloguePrintView(CatalogueMixin, TenantTemplateView):
    """Everything active today, grouped, in large type, laid out for paper."""

    template_name = "catalog/print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.catalogue())
        return context


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
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            "filter_form": self.filter_form(),
            "on_date": self.on_date(),
            "querystring": query.urlencode(),
        }

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
        comparison = selectors.price_comparison(organisation=_org(self.request), on_date=self.on_date())
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
        return services.activity_create(organisation=_org(self.request), **form.cleaned_data)

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
        return services.activity_update(activity=self.object, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_activity_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        saved = (
            Activity.objects.for_organisation(_org(self.request))
            .select_related("default_level")
            .get(pk=self.object.pk)
        )
        comparison = selectors.price_comparison(organisation=_org(self.request), on_date=timezone.localdate())
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


class ToggleView(TenantDetailView):
    """POST active=1 activates, active=0 deactivates (from today)."""

    http_method_names = ["post"]
    list_url_name: ClassVar[str] = ""

    def set_active(self, obj: Any, active: bool) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        active = request.POST.get("active") == "1"
        try:
            obj = self.set_active(obj, active)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if active:
                messages.success(request, _("%(name)s is actief.") % {"name": obj})
            else:
                messages.success(
                    request,
                    _("%(name)s is niet meer actief vanaf %(date)s. Bestaande pakketten houden hun regels.")
                    % {"name": obj, "date": timezone.localdate().strftime("%d-%m-%Y")},
                )
        return redirect(_safe_next(request, reverse(self.list_url_name)))


class ActivityToggleView(ToggleView):
    model = Activity
    allowed_roles = FINANCIAL
    list_url_name = "catalog_activity_list"

    def set_active(self, obj: Any, active: bool) -> Any:
        return services.activity_set_active(activity=obj, active=active)


class ImportView(TenantFormView):
    form_class = ImportForm
    allowed_roles = FINANCIAL
    template_name = "catalog/import.html"
    list_url_name: ClassVar[str] = ""
    title: ClassVar[Any] = ""
    columns: ClassVar[list[tuple[str, str]]] = []

    def run(self, content: bytes) -> services.ImportResult:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            columns=[label for label, _f in self.columns],
            list_url=reverse(self.list_url_name),
        )
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            result = self.run(spreadsheets.read_upload(upload))
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(form=form, import_errors=exc.messages))
        messages.success(
            self.request,
            _("Bestand ingelezen: %(created)s nieuw, %(updated)s gewijzigd, %(unchanged)s ongewijzigd.")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect(self.list_url_name)


class ActivityImportView(ImportView):
    list_url_name = "catalog_activity_list"
    title = gettext_lazy("Activiteiten inlezen")
    columns = ACTIVITY_COLUMNS

    def run(self, content: bytes) -> services.ImportResult:
        return services.activities_import(organisation=_org(self.request), content=content)


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
        return selectors.activities_export(organisation=_org(self.request), on_date=on_date)


# Add-on catalogue maintenance --------------------------------------------------------------


class AddOnListView(FilteredListMixin, TenantListView):
    model = AddOnItem
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_list.html"
    kind = "addon"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = self.apply_filters(queryset, ("name", "description"))
        return selectors.annotate_prices(queryset, organisation=_org(self.request), on_date=self.on_date())

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
        return services.addon_item_create(organisation=_org(self.request), **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_addon_list")


class AddOnUpdateView(ServiceFormMixin, TenantUpdateView):
    model = AddOnItem
    form_class = AddOnItemForm
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_form.html"
    success_message = gettext_lazy("Bijkoopartikel %(name)s opgeslagen.")

    def save(self, form: AddOnItemForm) -> AddOnItem:
        return services.addon_item_update(item=self.object, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("catalog_addon_update", args=[self.object.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.addon_price_history(item=self.object)
        context["today"] = timezone.localdate()
        context["current"] = selectors.addon_price(item=self.object, on_date=context["today"])
        return context


class AddOnPriceCreateView(TenantDetailView):
    """A new price from a date: the price in force ends that day; the past stays."""

    model = AddOnItem
    allowed_roles = FINANCIAL
    template_name = "catalog/addon_price_form.html"
    http_method_names = ["get", "post"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AddOnPriceForm(organisation=_org(self.request)))
        context["history"] = selectors.addon_price_history(item=self.object)
        context["today"] = timezone.localdate()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = AddOnPriceForm(request.POST, organisation=_org(request))
        if form.is_valid():
            try:
                price = services.addon_price_set(item=self.object, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Nieuwe prijs voor %(name)s vastgelegd, geldig vanaf %(date)s.")
                    % {"name": self.object, "date": price.valid_from.strftime("%d-%m-%Y")},
                )
                return redirect("catalog_addon_update", self.object.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AddOnToggleView(ToggleView):
    model = AddOnItem
    allowed_roles = FINANCIAL
    list_url_name = "catalog_addon_list"

    def set_active(self, obj: Any, active: bool) -> Any:
        return services.addon_item_set_active(item=obj, active=active)


class AddOnImportView(ImportView):
    list_url_name = "catalog_addon_list"
    title = gettext_lazy("Bijkoopartikelen inlezen")
    columns = ADDON_COLUMNS

    def run(self, content: bytes) -> services.ImportResult:
        return services.addons_import(organisation=_org(self.request), content=content)


class AddOnExportView(ExportView):
    file_stem = "bijkoop"

    def content(self, on_date: datetime.date) -> bytes:
        return selectors.addons_export(organisation=_org(self.request), on_date=on_date)
