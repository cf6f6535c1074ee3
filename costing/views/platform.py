"""Pages of the national tariff table: every member reads it; platform staff (``is_staff``,
also without a membership) import a year's table."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from ipvb.http import TenantRequest
from ipvb.views.base import ServiceFormMixin

from .. import tariffs
from ..forms import UploadForm
from ..models import TariffImport
from .params import year_param

SESSION_TARIFF_PREVIEW = "costing_tariff_preview"


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
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # the view's dispatch


class TariffListView(StaffOrMemberMixin, generic.TemplateView):
    template_name = "costing/tariff_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        years = tariffs.tariff_years()
        year = year_param(self.request, years[0] if years else timezone.localdate().year)
        rows = list(tariffs.tariffs(year=year))
        context.update(
            years=years,
            year=year,
            tariffs=rows,
            illustrative=any(row.is_illustrative for row in rows),
            imports={row.source_import for row in rows if row.source_import},
            can_import=self.request.user.is_staff,
        )
        return context


class TariffImportView(ServiceFormMixin, StaffOrMemberMixin, generic.FormView):
    """Upload -> preview with every problem listed -> confirm. Nothing is saved before the
    confirmation, and nothing at all when the file has a problem."""

    object: TariffImport
    staff_only = True
    template_name = "costing/tariff_import.html"
    form_class = UploadForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("confirm"):
            return self.service_action(self.confirm)
        return super().post(request, *args, **kwargs)

    def confirm(self) -> TariffImport:
        data = self.request.session.get(SESSION_TARIFF_PREVIEW)
        if not data:
            raise ValidationError(_("Er is geen gecontroleerd bestand meer; upload het opnieuw."))
        record = tariffs.tariff_import_apply(
            preview=tariffs.TariffPreview.from_dict(data), user=cast(TenantRequest, self.request).user
        )
        self.request.session.pop(SESSION_TARIFF_PREVIEW, None)
        return record

    def get_success_message(self, result: TariffImport) -> str:
        return _("Tarieven %(year)s geïmporteerd: %(count)s regels.") % {
            "year": result.year,
            "count": result.row_count,
        }

    def get_success_url(self) -> str:
        return f"{reverse('tariff_list')}?jaar={self.object.year}"

    def get_failure_url(self) -> str:
        return reverse("tariff_import")

    def form_valid(self, form: UploadForm) -> HttpResponse:
        """The upload step: the preview is shown (and kept in the session when it is valid)."""
        preview = tariffs.tariff_import_preview_upload(upload=form.cleaned_data["file"])
        if preview.is_valid:
            self.request.session[SESSION_TARIFF_PREVIEW] = preview.as_dict()
        else:
            self.request.session.pop(SESSION_TARIFF_PREVIEW, None)
        return self.render_to_response(self.get_context_data(form=form, preview=preview))
