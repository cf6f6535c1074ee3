"""The client import (org admins): upload and preview, then confirm (``clients.importing``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from ipvb import accesslog, spreadsheets
from ipvb.views.base import ServiceFormMixin, TenantFormView, TenantTemplateView

from .. import importing
from ..forms import ImportForm
from ..import_checks import ImportPreview
from ..models import Client
from ..roles import ADMIN


class ClientImportView(TenantFormView):
    """Step 1: upload; the response is the preview with every row's errors."""

    form_class = ImportForm
    allowed_roles = ADMIN
    template_name = "clients/import.html"

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        # Reading the file is parsing, not a service call: an unreadable file is an error of
        # the preview (shown with it), not of the form.
        try:
            content = spreadsheets.read_upload(upload)
        except ValidationError as exc:
            preview = ImportPreview(file_errors=exc.messages)
        else:
            preview = importing.import_preview(
                organisation=self.organisation,
                name=upload.name or "",
                content=content,
            )
        token = (
            importing.make_token(
                organisation=self.organisation,
                user=self.request.user,
                preview=preview,
            )
            if preview.ok
            else ""
        )
        return self.render_to_response(self.get_context_data(form=form, preview=preview, token=token))


class ClientImportConfirmView(ServiceFormMixin, TenantTemplateView):
    """Step 2: save every row of the checked preview in one transaction, or nothing. An
    expired or foreign preview goes back to step 1 with the message; a row that fails shows
    the preview again with its errors."""

    allowed_roles = ADMIN
    template_name = "clients/import.html"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.service_action(self.confirm)

    def confirm(self) -> tuple[ImportPreview, list[Client]]:
        rows = importing.read_token(
            token=self.request.POST.get("token", ""), organisation=self.organisation, user=self.request.user
        )
        return importing.import_confirm(organisation=self.organisation, rows=rows)

    def service_succeeded(self, result: tuple[ImportPreview, list[Client]]) -> HttpResponse:
        preview, created = result
        if not created:
            context = self.get_context_data(form=ImportForm(), preview=preview, token="")
            return self.render_to_response(context)
        accesslog.record_many(
            request=self.request, action=accesslog.CREATE, clients=created, object_type="clients.Client"
        )
        return super().service_succeeded(result)

    def get_success_message(self, result: tuple[ImportPreview, list[Client]]) -> str:
        preview, created = result
        return _("%(clients)s cliënten en %(indications)s indicaties zijn ingelezen.") % {
            "clients": len(created),
            "indications": preview.indication_count,
        }

    def get_success_url(self) -> str:
        return reverse("client_list")

    def get_failure_url(self) -> str:
        return reverse("client_import")
