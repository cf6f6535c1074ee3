"""The client list (filtered by ``clients.filters.ClientListFilter``) and its CSV export."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvb import accesslog, downloads
from ipvb.views.base import TenantListView

from ..filters import ClientListFilter
from ..models import Client
from ..roles import ADMIN, BSN_VIEWERS, EXPORTERS, READERS, WRITERS
from ..selectors import profile_in_force, restrict_to_visible


@dataclass(frozen=True)
class ClientRow:
    """One row of the client list, formatted once in Python (as the department overview's
    rows): per-row tags and filters were most of the page's time (issue 16, load)."""

    url: str
    sort_name: str
    date_of_birth: str
    masked_bsn: str
    department: str
    profile: str
    status: str
    is_active: bool

    @classmethod
    def of(cls, client: Client) -> ClientRow:
        return cls(
            url=reverse("client_detail", args=[client.pk]),
            sort_name=client.sort_name,
            date_of_birth=client.date_of_birth.strftime("%d-%m-%Y"),
            masked_bsn=client.masked_bsn,
            department=client.department.name,
            profile=getattr(client, "current_profile", None) or "",  # the annotation of restrict_queryset
            status=client.get_status_display(),
            is_active=client.is_active,
        )


class ClientListView(TenantListView):
    model = Client
    allowed_roles = READERS
    template_name = "clients/client_list.html"
    access_log_client: ClassVar[str | None] = accesslog.SELF  # a list: logged as a search

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = (
            restrict_to_visible(queryset, membership=self.membership)
            .select_related("department")
            .annotate(current_profile=profile_in_force(on_date=timezone.localdate()))
        )
        self.filterset = ClientListFilter(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        has_role = self.membership.has_role
        context.update(
            rows=[ClientRow.of(client) for client in context["object_list"]],
            filter_form=self.filterset.form,
            can_create=has_role(*WRITERS),
            can_search_bsn=has_role(*BSN_VIEWERS),
            bsn_in_query=self.filterset.bsn_in_query,
            can_import=has_role(*ADMIN),
            can_export=has_role(*EXPORTERS),
        )
        return context


class ClientExportView(ClientListView):
    """The (filtered) client list as CSV, without BSN; one export row per client in the log."""

    allowed_roles = EXPORTERS
    access_log_client = None  # logged per client below
    paginate_by = None  # type: ignore[assignment]  # the whole list (TenantListView pages by 50)

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
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
