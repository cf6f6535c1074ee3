"""Mixins of the client screens: a client from the URL, the clients a user may see, and the
records in a client's file (contact persons, indications) written by a service."""

from __future__ import annotations

from functools import cached_property
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from ipvb.views.base import ServiceFormMixin, TenantRequiredMixin

from ..models import Client
from ..selectors import clients_for, restrict_to_visible
from ..visibility import VisibleThroughClientMixin


class ClientScopedMixin(TenantRequiredMixin):
    """For views under /clienten/<client_pk>/: the client, if this user may see it, else 404."""

    client_kwarg = "client_pk"
    kwargs: dict[str, Any]

    @cached_property
    def client(self) -> Client:
        visible = clients_for(membership=self.membership).select_related("department")
        return get_object_or_404(visible, pk=self.kwargs[self.client_kwarg])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]  # the view's own
        context["client"] = self.client
        return context

    def client_url(self) -> str:
        return reverse("client_detail", kwargs={"pk": self.client.pk})


class ClientVisibleMixin(TenantRequiredMixin):
    """Views of one client (``pk`` in the URL): only the clients this user may see."""

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return restrict_to_visible(queryset, membership=self.membership).select_related("department")


class ChildVisibleMixin(VisibleThroughClientMixin):
    """Views of a record in a client's file: only those of clients this user may see."""

    object: Any  # the record of the view (a contact person or an indication)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]  # the view's own
        context["client"] = self.object.client
        return context


class ClientRecordFormMixin(ServiceFormMixin):
    """Create/update/delete of a record in a client's file (contact person, indication),
    written by a service; afterwards back to the client file."""

    template_name: str | None = "clients/form.html"
    access_log_client: ClassVar[str | None] = "client"
    title: Any = ""
    object: Any  # the record of the view (a contact person or an indication)

    def get_title(self) -> str:
        return str(self.title)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]  # the view's own
        context["title"] = self.get_title()
        return context

    def get_success_url(self) -> str:
        # After a delete the record is gone from the database but still knows its client.
        return reverse("client_detail", kwargs={"pk": self.object.client_id})
