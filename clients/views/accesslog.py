"""The access log on screen: the organisation's (org admins, filtered by
``clients.filters.AccessLogListFilter``) and one client's ("wie heeft dit dossier ingezien")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ipvb import accesslog_labels
from ipvb.models import AccessLogEntry
from ipvb.views.base import TenantListView

from ..filters import AccessLogListFilter
from ..roles import ADMIN, LOG_READERS
from .mixins import ClientScopedMixin


class AccessLogListView(TenantListView):
    """The organisation's access log, filterable (org admins)."""

    model = AccessLogEntry
    allowed_roles = ADMIN
    template_name = "ipvb/accesslog_list.html"
    paginate_by = 100
    access_log_client = "client"  # the page names clients: one row per client shown

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        self.filterset = AccessLogListFilter(
            self.request.GET, queryset=queryset.select_related("client", "user")
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filterset.form
        context["object_list"] = accesslog_labels.describe(context["object_list"])
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
        context["object_list"] = accesslog_labels.describe(context["object_list"])
        return context
