"""Screens of the client registry, the import and the access log."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from ipvb import accesslog, downloads, spreadsheets
from ipvb.forms import apply_errors
from ipvb.models import AccessLogEntry
from ipvb.roles import Role
from ipvb.views.base import (
    ServiceFormMixin,
    TenantCreateView,
    TenantDeleteView,
    TenantDetailView,
    TenantFormView,
    TenantListView,
    TenantTemplateView,
    TenantUpdateView,
)

from . import importing, services
from .forms import (
    AccessLogFilterForm,
    BsnSearchForm,
    ClientCreateForm,
    ClientFilterForm,
    ClientUpdateForm,
    ContactPersonForm,
    DischargeForm,
    ImportForm,
    IndicationForm,
    MoveForm,
)
from .formulas import normalise_bsn
from .models import Client, ContactPerson, Indication
from .selectors import (
    BSN_SEARCH_CRITERIA,
    clients_for,
    clients_with_bsn,
    indication_in_force,
    restrict_to_visible,
)
from .visibility import VisibleThroughClientMixin

# Who may do what (docs/clients.md).
READERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.MANAGER, Role.ORG_ADMIN})
WRITERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.ORG_ADMIN})
LEADERS = frozenset({Role.TEAM_LEADER, Role.ORG_ADMIN})
BSN_VIEWERS = frozenset({Role.CARE_PROFESSIONAL, Role.TEAM_LEADER, Role.ORG_ADMIN})
ADMIN = frozenset({Role.ORG_ADMIN})
LOG_READERS = frozenset({Role.TEAM_LEADER, Role.ORG_ADMIN})
# The client list as CSV: for those who plan care and report on it. Not the functional
# administrator: it holds client data their work (users, departments, settings) does not need.
EXPORTERS = frozenset({Role.TEAM_LEADER, Role.MANAGER})


def _has(request: HttpRequest, roles: frozenset[str]) -> bool:
    return request.membership.has_role(*roles)  # type: ignore[attr-defined]


class ClientScopedMixin:
    """For views under /clienten/<client_pk>/: the client, if this user may see it, else 404."""

    client_kwarg = "client_pk"
    request: HttpRequest
    kwargs: dict[str, Any]

    @cached_property
    def client(self) -> Client:
        visible = clients_for(membership=self.request.membership).select_related("department")  # type: ignore[attr-defined]
        return get_object_or_404(visible, pk=self.kwargs[self.client_kwarg])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["client"] = self.client
        return context

    def client_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.client.pk})


# Clients ---------------------------------------------------------------------------------


class ClientListView(TenantListView):
    model = Client
    allowed_roles = READERS
    template_name = "clients/client_list.html"
    access_log_client = accesslog.SELF  # a list: logged as a search

    @cached_property
    def filter_form(self) -> ClientFilterForm:
        return ClientFilterForm(self.request.GET or None, membership=self.request.membership)  # type: ignore[attr-defined]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        today = timezone.localdate()
        in_force = Indication.objects.filter(
            organisation=OuterRef("organisation"), client=OuterRef("pk"), start_date__lte=today
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        queryset = (
            restrict_to_visible(queryset, membership=self.request.membership)  # type: ignore[attr-defined]
            .select_related("department")
            .annotate(current_profile=Subquery(in_force.order_by("-start_date").values("care_profile")[:1]))
        )
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        status = data.get("status") or "active"
        if status != "all":
            queryset = queryset.filter(status=status)
        if data.get("department"):
            queryset = queryset.filter(department=data["department"])
        if data.get("profile"):
            queryset = queryset.filter(current_profile=data["profile"])
        query = (data.get("q") or "").strip()
        if query:
            bsn = normalise_bsn(query)
            if len(bsn) == 9 and bsn.isdigit():
                # A BSN never travels in a URL (web server logs): the list does not search on it
                # and points to the BSN search (a POST form, for the roles that may see a BSN).
                self.bsn_in_query = True
                queryset = queryset.none()
            else:
                for word in query.split()[:5]:
                    queryset = queryset.filter(
                        Q(given_name__icontains=word)
                        | Q(name_prefix__iexact=word)
                        | Q(family_name__icontains=word)
                    )
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        context["can_create"] = _has(self.request, WRITERS)
        context["can_search_bsn"] = _has(self.request, BSN_VIEWERS)
        context["bsn_in_query"] = getattr(self, "bsn_in_query", False)
        context["can_import"] = _has(self.request, ADMIN)
        context["can_export"] = _has(self.request, EXPORTERS)
        return context


class ClientVisibleMixin:
    request: HttpRequest

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return restrict_to_visible(queryset, membership=self.request.membership).select_related("department")  # type: ignore[attr-defined]


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
            can_edit=_has(self.request, WRITERS) and client.is_active,
            can_edit_any=_has(self.request, WRITERS),
            can_lead=_has(self.request, LEADERS) and client.is_active,
            can_reveal=_has(self.request, BSN_VIEWERS),
            can_see_log=_has(self.request, LOG_READERS),
        )
        if type(self) is ClientDetailView:
            from family.views import staff_panel_context  # the family's view: accesses, wishes

            context.update(staff_panel_context(request=self.request, client=client))
        return context


class ClientPrintView(ClientDetailView):
    """A printable summary of the file; logged as a print."""

    template_name = "clients/client_print.html"
    access_log_action = accesslog.PRINT


class ClientExportView(ClientListView):
    """The (filtered) client list as CSV, without BSN; one export row per client in the log."""

    allowed_roles = EXPORTERS
    access_log_client = None  # type: ignore[assignment]  # logged per client below
    paginate_by = None  # type: ignore[assignment]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        import csv

        clients = list(context["object_list"])
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = downloads.attachment("clienten.csv")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Achternaam"),
                _("Tussenvoegsel"),
                _("Voornaam"),
                _("Geboortedatum"),
                _("Afdeling"),
                _("Zorgprofiel"),
                _("Status"),
            ]
        )
        for c in clients:
            writer.writerow(
                [
                    _csv_safe(c.family_name),
                    _csv_safe(c.name_prefix),
                    _csv_safe(c.given_name),
                    c.date_of_birth.strftime("%d-%m-%Y"),
                    _csv_safe(c.department.name),
                    c.current_profile or "",
                    c.get_status_display(),
                ]
            )
        accesslog.record_many(
            request=self.request, action=accesslog.EXPORT, clients=clients, object_type="clients.Client"
        )
        return response


def _csv_safe(value: str) -> str:
    """Cells that a spreadsheet would run as a formula get a leading quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class ClientBsnSearchView(TenantFormView):
    """Exact search on a BSN, in a POST body (never in a URL), for the roles that may see a
    BSN. The access log records the search and the client found, never the number."""

    form_class = BsnSearchForm
    allowed_roles = BSN_VIEWERS
    template_name = "clients/bsn_search.html"

    def form_valid(self, form: BsnSearchForm) -> HttpResponse:
        try:
            found = clients_with_bsn(
                membership=self.request.membership,  # type: ignore[attr-defined]
                bsn=form.cleaned_data["bsn"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
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

    def form_invalid(self, form: BsnSearchForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


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


class ClientCreateView(TenantCreateView):
    model = Client
    form_class = ClientCreateForm
    allowed_roles = WRITERS
    template_name = "clients/form.html"
    access_log_client = accesslog.SELF
    extra_context = {"title": _("Nieuwe cliënt")}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["membership"] = self.request.membership  # type: ignore[attr-defined]
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            self.object = services.client_create(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                department=data["department"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                name_prefix=data.get("name_prefix", ""),
                date_of_birth=data["date_of_birth"],
                bsn=data["bsn"],
                admission_date=data["admission_date"],
                wishes=data.get("wishes", ""),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Cliënt %(name)s is opgeslagen.") % {"name": self.object.full_name})
        return redirect("client_detail", pk=self.object.pk)


class ClientUpdateView(ClientVisibleMixin, TenantUpdateView):
    model = Client
    form_class = ClientUpdateForm
    allowed_roles = WRITERS
    template_name = "clients/form.html"
    access_log_client = accesslog.SELF

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Gegevens wijzigen: %(name)s") % {"name": self.object.full_name}
        context["client"] = self.object
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        fresh = Client.objects.for_organisation(self.request.organisation).get(pk=self.object.pk)  # type: ignore[attr-defined]
        try:
            self.object = services.client_update(
                client=fresh,
                given_name=data["given_name"],
                family_name=data["family_name"],
                name_prefix=data.get("name_prefix", ""),
                date_of_birth=data["date_of_birth"],
                admission_date=data["admission_date"],
                wishes=data.get("wishes", ""),
                bsn=data.get("new_bsn") or None,
            )
        except ValidationError as exc:
            apply_errors(form, exc, rename={"bsn": "new_bsn"})
            return self.form_invalid(form)
        messages.success(self.request, _("Gegevens opgeslagen."))
        return redirect("client_detail", pk=self.object.pk)


class ClientDischargeView(ClientScopedMixin, TenantFormView):
    form_class = DischargeForm
    allowed_roles = LEADERS
    template_name = "clients/form.html"
    access_log_client = "client"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Uitschrijven: %(name)s") % {"name": self.client.full_name}
        context["submit_label"] = _("Uitschrijven")
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.client_discharge(
                client=self.client,
                discharge_date=form.cleaned_data["discharge_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s is uitgeschreven.") % {"name": self.client.full_name})
        return redirect(self.client_url())


class ClientMoveView(ClientScopedMixin, TenantFormView):
    form_class = MoveForm
    allowed_roles = LEADERS
    template_name = "clients/form.html"
    access_log_client = "client"

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

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.client_move(
                client=self.client,
                department=form.cleaned_data["department"],
                on_date=form.cleaned_data["on_date"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("De cliënt is verplaatst; de vorige plaatsing blijft in de geschiedenis.")
        )
        return redirect(self.client_url())


# Contact persons -------------------------------------------------------------------------


class ChildVisibleMixin(VisibleThroughClientMixin):
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["client"] = self.object.client  # type: ignore[attr-defined]
        return context


class ClientRecordFormMixin(ServiceFormMixin):
    """Create/update/delete of a record in a client's file (contact person, indication),
    written by a service; afterwards back to the client file."""

    template_name = "clients/form.html"
    access_log_client = "client"
    title: Any = ""

    def get_title(self) -> str:
        return str(self.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["title"] = self.get_title()
        return context

    def get_success_url(self) -> str:
        # After a delete the record is gone from the database but still knows its client.
        return reverse("client_detail", kwargs={"pk": self.object.client_id})  # type: ignore[attr-defined]


class ContactPersonCreateView(ClientRecordFormMixin, ClientScopedMixin, TenantCreateView):
    model = ContactPerson
    form_class = ContactPersonForm
    allowed_roles = WRITERS
    success_message = _lazy("Contactpersoon %(name)s is toegevoegd.")

    def get_title(self) -> str:
        return _("Contactpersoon toevoegen voor %(name)s") % {"name": self.client.full_name}

    def save(self, form: Any) -> ContactPerson:
        return services.contact_person_create(client=self.client, **form.cleaned_data)


class ContactPersonUpdateView(ClientRecordFormMixin, ChildVisibleMixin, TenantUpdateView):
    model = ContactPerson
    form_class = ContactPersonForm
    allowed_roles = WRITERS
    title = _lazy("Contactpersoon wijzigen")
    success_message = _lazy("Contactpersoon opgeslagen.")

    def save(self, form: Any) -> ContactPerson:
        return services.contact_person_update(contact=self.object, **form.cleaned_data)


class ContactPersonDeleteView(ClientRecordFormMixin, ChildVisibleMixin, TenantDeleteView):
    model = ContactPerson
    allowed_roles = WRITERS
    template_name = "clients/confirm_delete.html"
    success_message = _lazy("Contactpersoon verwijderd.")

    def save(self, form: Any) -> None:
        services.contact_person_delete(contact=self.object)


# Indications -----------------------------------------------------------------------------


class IndicationCreateView(ClientRecordFormMixin, ClientScopedMixin, TenantCreateView):
    model = Indication
    form_class = IndicationForm
    allowed_roles = WRITERS
    success_message = _lazy("Indicatie opgeslagen.")

    def get_title(self) -> str:
        return _("Indicatie toevoegen voor %(name)s") % {"name": self.client.full_name}

    def save(self, form: Any) -> Indication:
        return services.indication_create(client=self.client, **form.cleaned_data)


class IndicationUpdateView(ClientRecordFormMixin, ChildVisibleMixin, TenantUpdateView):
    model = Indication
    form_class = IndicationForm
    allowed_roles = WRITERS
    title = _lazy("Indicatie wijzigen")
    success_message = _lazy("Indicatie opgeslagen.")

    def save(self, form: Any) -> Indication:
        return services.indication_update(indication=self.object, **form.cleaned_data)


class IndicationDeleteView(ClientRecordFormMixin, ChildVisibleMixin, TenantDeleteView):
    model = Indication
    allowed_roles = LEADERS
    template_name = "clients/confirm_delete.html"
    success_message = _lazy("Indicatie verwijderd.")

    def save(self, form: Any) -> None:
        services.indication_delete(indication=self.object)


# Import ----------------------------------------------------------------------------------


class ClientImportView(TenantFormView):
    """Step 1: upload; the response is the preview with every row's errors."""

    form_class = ImportForm
    allowed_roles = ADMIN
    template_name = "clients/import.html"

    def form_valid(self, form: Any) -> HttpResponse:
        upload = form.cleaned_data["file"]
        try:
            content = spreadsheets.read_upload(upload)
        except ValidationError as exc:
            preview = importing.ImportPreview(file_errors=exc.messages)
        else:
            preview = importing.import_preview(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                name=upload.name or "",
                content=content,
            )
        token = (
            importing.make_token(
                organisation=self.request.organisation,  # type: ignore[attr-defined]
                user=self.request.user,
                preview=preview,
            )
            if preview.ok
            else ""
        )
        return self.render_to_response(self.get_context_data(form=form, preview=preview, token=token))


class ClientImportConfirmView(TenantTemplateView):
    """Step 2: save every row of the checked preview in one transaction, or nothing."""

    allowed_roles = ADMIN
    template_name = "clients/import.html"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = request.organisation  # type: ignore[attr-defined]
        try:
            rows = importing.read_token(
                token=request.POST.get("token", ""), organisation=organisation, user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("client_import")
        preview, created = importing.import_confirm(organisation=organisation, rows=rows)
        if not created:
            context = self.get_context_data(form=ImportForm(), preview=preview, token="")
            return self.render_to_response(context)
        accesslog.record_many(
            request=request, action=accesslog.CREATE, clients=created, object_type="clients.Client"
        )
        messages.success(
            request,
            _("%(clients)s cliënten en %(indications)s indicaties zijn ingelezen.")
            % {"clients": len(created), "indications": preview.indication_count},
        )
        return redirect("client_list")


# Access log ------------------------------------------------------------------------------


class AccessLogListView(TenantListView):
    """The organisation's access log, filterable (org admins)."""

    model = AccessLogEntry
    allowed_roles = ADMIN
    template_name = "ipvb/accesslog_list.html"
    paginate_by = 100
    access_log_client = "client"  # the page names clients: one row per client shown

    @cached_property
    def filter_form(self) -> AccessLogFilterForm:
        return AccessLogFilterForm(self.request.GET or None)

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = queryset.select_related("client", "user")
        form = self.filter_form
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if data.get("user"):
            term = data["user"].strip()
            queryset = queryset.filter(
                Q(user_email__icontains=term)
                | Q(user__first_name__icontains=term)
                | Q(user__last_name__icontains=term)
            )
        if data.get("client_name"):
            for word in data["client_name"].split():
                queryset = queryset.filter(
                    Q(client__given_name__icontains=word) | Q(client__family_name__icontains=word)
                )
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("channel"):
            queryset = queryset.filter(channel=data["channel"])
        if data.get("client"):
            queryset = queryset.filter(client_id=data["client"])
        if data.get("date_from"):
            queryset = queryset.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            queryset = queryset.filter(created_at__date__lte=data["date_to"])
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["object_list"] = accesslog.describe(context["object_list"])
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context


class ClientAccessLogView(ClientScopedMixin, TenantListView):
    """Who looked at this file (org admins; team leaders for their departments)."""

    model = AccessLogEntry
    allowed_roles = LOG_READERS
    template_name = "ipvb/accesslog_client.html"
    paginate_by = 100
    access_log_client = "client"  # the client of this page (view.client)

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(client_id=self.client.pk).select_related("user")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = accesslog.describe(context["object_list"])
        return context
