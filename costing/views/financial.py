"""Pages of financial staff: staff levels, year settings and the versioned cost-price models
(their transparent build-up, levels, publication, versions, comparison and XLSX). Financial
staff write; managers and org admins read."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic.edit import FormMixin

from ipvb import spreadsheets
from ipvb.http import MemberRequest
from ipvb.models import User
from ipvb.roles import Role
from ipvb.views.base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDetailView,
    TenantListView,
    TenantObjectMixin,
    TenantRequiredMixin,
    TenantUpdateView,
)

from .. import cost_models, selectors, services, xlsx
from ..forms import (
    CostModelForm,
    ModelLevelsForm,
    NewVersionForm,
    StaffLevelForm,
    XlsxUploadForm,
    YearSettingsForm,
)
from ..models import CostPriceModel, ModelLevel, OrganisationYearSettings, StaffLevel
from ..roles import FIN, READ


class CostingFormMixin(ServiceFormMixin, TenantRequiredMixin):
    """A form or action of financial staff, written by a service; ``self.user`` is the acting user."""

    @property
    def user(self) -> User:
        return cast(MemberRequest, self.request).user


# Staff levels ---------------------------------------------------------------------------------


class StaffLevelListView(TenantListView):
    model = StaffLevel
    allowed_roles = READ
    template_name = "costing/stafflevel_list.html"


class StaffLevelCreateView(CostingFormMixin, TenantCreateView):
    model = StaffLevel
    form_class = StaffLevelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Nieuw functieniveau")}
    success_message = gettext_lazy("Functieniveau opgeslagen.")
    success_url = reverse_lazy("stafflevel_list")

    def save(self, form: StaffLevelForm) -> StaffLevel:
        data = form.cleaned_data
        return services.staff_level_save(
            organisation=self.organisation, code=data["code"], name=data["name"], order=data["order"]
        )


class StaffLevelUpdateView(CostingFormMixin, TenantUpdateView):
    object: StaffLevel
    model = StaffLevel
    form_class = StaffLevelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Functieniveau wijzigen")}
    success_message = gettext_lazy("Functieniveau opgeslagen.")
    success_url = reverse_lazy("stafflevel_list")

    def save(self, form: StaffLevelForm) -> StaffLevel:
        data = form.cleaned_data
        return services.staff_level_save(
            organisation=self.organisation,
            code=data["code"],
            name=data["name"],
            order=data["order"],
            level=self.object,
        )


# Year settings ---------------------------------------------------------------------------------


class YearSettingsListView(TenantListView):
    model = OrganisationYearSettings
    allowed_roles = READ
    template_name = "costing/yearsettings_list.html"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("reference_level", "updated_by")


class YearSettingsSaveMixin(CostingFormMixin):
    success_message = gettext_lazy("Jaarinstellingen opgeslagen.")

    def save(self, form: YearSettingsForm) -> OrganisationYearSettings:
        values = {key: value for key, value in form.cleaned_data.items() if key != "year"}
        return services.year_settings_save(
            organisation=self.organisation,
            user=self.user,
            year=form.cleaned_data["year"],
            values=values,
            settings=getattr(self, "object", None),
        )


class YearSettingsCreateView(YearSettingsSaveMixin, TenantCreateView):
    model = OrganisationYearSettings
    form_class = YearSettingsForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    success_url = reverse_lazy("yearsettings_list")
    extra_context = {"title": _("Nieuwe jaarinstellingen")}

    def get_initial(self) -> dict[str, Any]:
        return {"year": timezone.localdate().year}


class YearSettingsUpdateView(YearSettingsSaveMixin, TenantUpdateView):
    model = OrganisationYearSettings
    form_class = YearSettingsForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    success_url = reverse_lazy("yearsettings_list")
    extra_context = {"title": _("Jaarinstellingen wijzigen")}


# Cost-price models -------------------------------------------------------------------------------


def _is_financial(request: HttpRequest) -> bool:
    return cast(MemberRequest, request).membership.has_role(Role.FINANCIAL)


class CostModelListView(TenantListView):
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_list.html"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("published_by", "created_by", "based_on").order_by("-year", "-version")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["in_force"] = selectors.model_in_force(organisation=self.organisation, on_date=today)
        context["today"] = today
        context["can_edit"] = _is_financial(self.request)
        return context


def _model_inputs(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in cost_models.MODEL_INPUT_FIELDS if name in data}


class CostModelCreateView(CostingFormMixin, TenantCreateView):
    model = CostPriceModel
    form_class = CostModelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {
        "title": _("Nieuw kostprijsmodel"),
        "intro": _("Een nieuw model begint als concept. Voeg daarna de functieniveaus toe en publiceer het."),
    }
    success_message = gettext_lazy("Concept opgeslagen. Voeg nu de functieniveaus toe.")

    def get_initial(self) -> dict[str, Any]:
        year = timezone.localdate().year
        return {"year": year, "effective_from": datetime.date(year, 1, 1), "paid_hours_per_fte": 1878}

    def save(self, form: CostModelForm) -> CostPriceModel:
        data = form.cleaned_data
        return cost_models.cost_model_create(
            organisation=self.organisation,
            user=self.user,
            year=data["year"],
            effective_from=data["effective_from"],
            change_note=data.get("change_note", ""),
            inputs=_model_inputs(data),
        )

    def get_success_url(self) -> str:
        return reverse("costmodel_levels", kwargs={"pk": self.object.pk})


class DraftModelMixin(CostingFormMixin, TenantObjectMixin):
    """A form about a draft model: a published one is refused with a clear message (GET and
    POST); afterwards back to the model page."""

    object: CostPriceModel

    def load_object(self) -> None:
        self.object = cast(CostPriceModel, self.get_object())

    def refusal(self) -> HttpResponse | None:
        if not self.object.is_published:
            return None
        messages.error(
            self.request,
            _(
                "Een gepubliceerd kostprijsmodel wordt nooit gewijzigd. Maak een nieuwe versie met een ingangsdatum."
            ),
        )
        return redirect("costmodel_detail", pk=self.object.pk)

    def get_success_url(self) -> str:
        return reverse("costmodel_detail", kwargs={"pk": self.object.pk})


class CostModelUpdateView(DraftModelMixin, TenantUpdateView):
    model = CostPriceModel
    form_class = CostModelForm
    allowed_roles = FIN
    template_name = "costing/form.html"
    extra_context = {"title": _("Concept-kostprijsmodel wijzigen")}
    success_message = gettext_lazy("Concept opgeslagen.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_object()
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_object()
        return self.refusal() or super().post(request, *args, **kwargs)

    def save(self, form: CostModelForm) -> CostPriceModel:
        data = form.cleaned_data
        return cost_models.cost_model_update(
            model=self.object,
            user=self.user,
            inputs=_model_inputs(data),
            effective_from=data["effective_from"],
            change_note=data.get("change_note", ""),
        )


class CostModelDetailView(TenantDetailView):
    object: CostPriceModel
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_detail.html"

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.select_related("published_by", "created_by", "updated_by", "based_on")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        model = self.object
        context.update(
            inputs=model.inputs,
            levels=list(selectors.level_rates(model=model).values()),
            can_edit=_is_financial(self.request) and not model.is_published,
            can_version=_is_financial(self.request) and model.is_published,
            versions=selectors.models_for(organisation=self.organisation),
            in_force=selectors.model_in_force(organisation=self.organisation, on_date=timezone.localdate()),
        )
        return context


class ModelPageFormView(DraftModelMixin, FormMixin, TenantDetailView):
    """A form on the page of one model (its levels, a new version, an import): GET shows it,
    POST runs the service; a refused form answers 400. Drafts only unless ``drafts_only`` is
    False."""

    model = CostPriceModel
    allowed_roles = FIN
    invalid_status = 400
    drafts_only = True

    def refusal(self) -> HttpResponse | None:
        return super().refusal() if self.drafts_only else None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_object()
        return self.refusal() or self.render_to_response(self.get_context_data())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.load_object()
        refused = self.refusal()
        if refused is not None:
            return refused
        form = self.get_form()
        return self.form_valid(form) if form.is_valid() else self.form_invalid(form)


class CostModelLevelsView(ModelPageFormView):
    template_name = "costing/costmodel_levels.html"
    form_class = ModelLevelsForm
    success_message = gettext_lazy("Functieniveaus opgeslagen.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "organisation": self.organisation, "model": self.object}

    def save(self, form: ModelLevelsForm) -> None:
        cost_models.cost_model_levels_replace(model=self.object, user=self.user, rows=form.included)
        for level in form.excluded:
            cost_models.cost_model_level_remove(model=self.object, user=self.user, staff_level=level)


class CostModelNewVersionView(ModelPageFormView):
    template_name = "costing/costmodel_new_version.html"
    form_class = NewVersionForm
    drafts_only = False

    def get_initial(self) -> dict[str, Any]:
        return {
            "effective_from": max(
                timezone.localdate(), self.object.effective_from + datetime.timedelta(days=1)
            )
        }

    def save(self, form: NewVersionForm) -> CostPriceModel:
        return cost_models.cost_model_new_version(
            model=self.object,
            user=self.user,
            effective_from=form.cleaned_data["effective_from"],
            change_note=form.cleaned_data["change_note"],
        )

    def get_success_message(self, result: CostPriceModel) -> str:
        return _("Nieuwe versie %(version)s aangemaakt als concept.") % {"version": result.version}


class CostModelImportView(ModelPageFormView):
    """Level inputs from an XLSX file (HR salary data): all valid or nothing saved."""

    template_name = "costing/costmodel_import.html"
    form_class = XlsxUploadForm

    def save(self, form: XlsxUploadForm) -> list[ModelLevel]:
        content = spreadsheets.read_upload(form.cleaned_data["file"])
        rows = xlsx.level_import_rows(model=self.object, content=content)
        return cost_models.cost_model_levels_replace(model=self.object, user=self.user, rows=rows)

    def get_success_message(self, result: list[ModelLevel]) -> str:
        return _("%(count)s functieniveaus ingelezen.") % {"count": len(result)}


class CostModelPublishView(CostingFormMixin, TenantDetailView):
    object: CostPriceModel
    model = CostPriceModel
    allowed_roles = FIN
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = cast(CostPriceModel, self.get_object())
        return self.service_action(lambda: cost_models.cost_model_publish(model=self.object, user=self.user))

    def get_success_message(self, result: CostPriceModel) -> str:
        return _("Model gepubliceerd; het geldt vanaf %(date)s.") % {
            "date": result.effective_from.strftime("%d-%m-%Y")
        }

    def get_success_url(self) -> str:
        return reverse("costmodel_detail", kwargs={"pk": self.object.pk})


class CostModelCompareView(TenantDetailView):
    object: CostPriceModel
    model = CostPriceModel
    allowed_roles = READ
    template_name = "costing/costmodel_compare.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        versions = selectors.models_for(organisation=self.organisation).exclude(pk=self.object.pk)
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
    object: CostPriceModel
    model = CostPriceModel
    allowed_roles = READ

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        model = self.object = cast(CostPriceModel, self.get_object())
        disposition = content_disposition_header(True, f"kostprijsmodel-{model.year}-v{model.version}.xlsx")
        assert disposition is not None  # an attachment always has one
        response = HttpResponse(
            xlsx.model_workbook(model=model),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = disposition
        return response
