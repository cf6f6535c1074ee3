"""The client file: the page and its print, the BSN (reveal and search), and the forms of the
client itself (new, edit, discharge, move)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ipvb import accesslog
from ipvb.models import AccessLogEntry
from ipvb.views.base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDetailView,
    TenantFormView,
    TenantUpdateView,
)

from .. import services
from ..forms import BsnSearchForm, ClientCreateForm, ClientUpdateForm, DischargeForm, MoveForm
from ..models import Client
from ..roles import BSN_VIEWERS, LEADERS, LOG_READERS, READERS, WRITERS
from ..selectors import BSN_SEARCH_CRITERIA, clients_with_bsn, indication_in_force
from .mixins import ClientScopedMixin, ClientVisibleMixin


class ClientDetailView(ClientVisibleMixin, TenantDetailView):
    model = Client
    allowed_roles = READERS
    template_name = "clients/client_detail.html"
    access_log_client = accesslog.SELF

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        client: Client = self.object
        today = timezone.localdate()
        current = indication_in_force(client=client, on_date=today)
        context.update(
            today=today,
            placements=client.placements.select_related("department").order_by("-start_date"),
            contacts=client.contact_persons.order_by("name"),
            indications=client.indications.order_by("-start_date"),
            current_indication=current,
            can_edit=self.membership.has_role(*WRITERS) and client.is_active,
            can_edit_any=self.membership.has_role(*WRITERS),
            can_lead=self.membership.has_role(*LEADERS) and client.is_active,
            can_reveal=self.membership.has_role(*BSN_VIEWERS),
            can_see_log=self.membership.has_role(*LOG_READERS),
        )
        if type(self) is ClientDetailView:
            from family.views.staff import staff_panel_context  # the family's view: accesses, wishes

            context.update(staff_panel_context(request=self.request, client=client))
        return context


class ClientPrintView(ClientDetailView):
    """A printable summary of the file; logged as a print."""

    template_name = "clients/client_print.html"
    access_log_action = accesslog.PRINT


class ClientBsnSearchView(ServiceFormMixin, TenantFormView):
    """Exact search on a BSN, in a POST body (never in a URL), for the roles that may see a
    BSN. The access log records the search and the client found, never the number."""

    form_class = BsnSearchForm
    allowed_roles = BSN_VIEWERS
    template_name = "clients/bsn_search.html"
    invalid_status = 400

    def save(self, form: BsnSearchForm) -> list[Client]:
        return clients_with_bsn(membership=self.membership, bsn=form.cleaned_data["bsn"])

    def service_succeeded(self, found: list[Client]) -> HttpResponse:
        accesslog.record_many(
            request=self.request,
            action=accesslog.SEARCH,
            clients=found,
            object_type="clients.Client",
            criteria=BSN_SEARCH_CRITERIA,
            channel=AccessLogEntry.Channel.WEB,
            keep_empty=True,
        )
        # A fresh, empty form: the number is not echoed back into the page.
        return self.render_to_response(
            self.get_context_data(form=BsnSearchForm(), results=found, searched=True)
        )


class ClientBsnView(ClientVisibleMixin, TenantDetailView):
    """Shows the full BSN on request ("toon BSN"); the reveal itself is logged."""

    model = Client
    allowed_roles = BSN_VIEWERS
    http_method_names = ["post"]
    access_log_client = accesslog.SELF
    access_log_action = accesslog.REVEAL_BSN

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        context = {"client": self.object}
        if request.headers.get("HX-Request"):
            return render(request, "clients/_bsn.html", context)
        return render(request, "clients/bsn.html", context)


class ClientCreateView(ServiceFormMixin, TenantCreateView):
    model = Client
    form_class = ClientCreateForm
    allowed_roles = WRITERS
    template_name = "clients/form.html"
    access_log_client = accesslog.SELF
    extra_context = {"title": _("Nieuwe cliënt")}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.membership
        return kwargs

    def save(self, form: Any) -> Client:
        data = form.cleaned_data
        return services.client_create(
            organisation=self.organisation,
            department=data["department"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            name_prefix=data.get("name_prefix", ""),
            date_of_birth=data["date_of_birth"],
            bsn=data["bsn"],
            admission_date=data["admission_date"],
            wishes=data.get("wishes", ""),
        )

    def get_success_message(self, result: Client) -> str:
        return _("Cliënt %(name)s is opgeslagen.") % {"name": result.full_name}

    def get_success_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.object.pk})


class ClientUpdateView(ServiceFormMixin, ClientVisibleMixin, TenantUpdateView):
    model = Client
    form_class = ClientUpdateForm
    allowed_roles = WRITERS
    template_name = "clients/form.html"
    access_log_client = accesslog.SELF
    success_message = _lazy("Gegevens opgeslagen.")
    error_fields = {"bsn": "new_bsn"}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Gegevens wijzigen: %(name)s") % {"name": self.object.full_name}
        context["client"] = self.object
        return context

    def save(self, form: Any) -> Client:
        data = form.cleaned_data
        # The form has already copied its data onto self.object: the service gets it fresh.
        fresh = Client.objects.for_organisation(self.organisation).get(pk=self.object.pk)
        return services.client_update(
            client=fresh,
            given_name=data["given_name"],
            family_name=data["family_name"],
            name_prefix=data.get("name_prefix", ""),
            date_of_birth=data["date_of_birth"],
            admission_date=data["admission_date"],
            wishes=data.get("wishes", ""),
            bsn=data.get("new_bsn") or None,
        )

    def get_success_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.object.pk})


class ClientDischargeView(ServiceFormMixin, ClientScopedMixin, TenantFormView):
    form_class = DischargeForm
    allowed_roles = LEADERS
    template_name = "clients/form.html"
    access_log_client = "client"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Uitschrijven: %(name)s") % {"name": self.client.full_name}
        context["submit_label"] = _("Uitschrijven")
        return context

    def save(self, form: DischargeForm) -> None:
        # Returns nothing: the view has no object of its own (the access log records the client).
        services.client_discharge(
            client=self.client,
            discharge_date=form.cleaned_data["discharge_date"],
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, result: None) -> str:
        return _("%(name)s is uitgeschreven.") % {"name": self.client.full_name}

    def get_success_url(self) -> str:
        return self.client_url()


class ClientMoveView(ServiceFormMixin, ClientScopedMixin, TenantFormView):
    form_class = MoveForm
    allowed_roles = LEADERS
    template_name = "clients/form.html"
    access_log_client = "client"
    success_message = _lazy("De cliënt is verplaatst; de vorige plaatsing blijft in de geschiedenis.")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["client"] = self.client
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Verplaatsen naar een andere afdeling: %(name)s") % {
            "name": self.client.full_name
        }
        return context

    def save(self, form: MoveForm) -> None:
        # Returns nothing: the new placement is not the view's object (the access log records
        # the client).
        services.client_move(
            client=self.client,
            department=form.cleaned_data["department"],
            on_date=form.cleaned_data["on_date"],
        )

    def get_success_url(self) -> str:
        return self.client_url()
