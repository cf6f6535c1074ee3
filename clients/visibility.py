"""One mixin for base views and viewsets whose records hang off a client (contact persons,
indications, conversations, packages, package lines): it narrows the tenant-scoped queryset
to records of clients the membership may see (``clients.selectors.restrict_to_visible``)."""

from __future__ import annotations

from django.db.models import QuerySet

from .selectors import restrict_to_visible


class VisibleThroughClientMixin:
    client_path = "client__"  # lookup path from the record to its client

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        request = self.request  # type: ignore[attr-defined]  # set by the view or viewset it is mixed into
        membership = getattr(request, "_request", request).membership
        related = self.client_path.rstrip("_")
        return restrict_to_visible(
            queryset.select_related(related), membership=membership, client_path=self.client_path
        )
