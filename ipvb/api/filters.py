"""The API's filter backend: every model-choice filter of a tenant model (``?client=``,
``?department=``...) only accepts objects of the active organisation, like the serializers
do. Another organisation's id is "not a valid choice" (400), never a leak or a server error."""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend

from ..tenancy import is_tenant_model


class TenantFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        organisation = getattr(getattr(request, "_request", request), "organisation", None)
        for name, filter_ in filterset.filters.items():
            choices = filter_.extra.get("queryset")
            model = getattr(choices, "model", None)
            if model is not None and is_tenant_model(model):
                scoped = (
                    model.objects.for_organisation(organisation) if organisation else model.objects.none()
                )
                filter_.queryset = scoped
                filter_.extra["queryset"] = scoped
                filterset.filters[name] = filter_
        return filterset
