"""The API's filter backend: every model-choice filter of a tenant model (``?client=``,
``?department=``...) only accepts objects of the active organisation, like the serializers
do. Another organisation's id is "not a valid choice" (400), never a leak or a server error.

A request that sets none of the filterset's parameters (most list pages) skips the filterset
when it is inert without them (issue 16: building and validating its form was a millisecond of
every list page); the filterset made from a view's ``filterset_fields`` is built once per view,
not per request."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django_filters import FilterSet
from django_filters.filters import ChoiceFilter, Filter
from django_filters.rest_framework import DjangoFilterBackend

from ..tenancy import is_tenant_model

# Filter.filter and ChoiceFilter.filter return the queryset unchanged for an empty value, as a
# filter with ``method=`` does (django-filter's FilterMethod).
_INERT_FILTER_METHODS = (Filter.filter, ChoiceFilter.filter)


def inert_without_parameters(filterset_class: type[FilterSet]) -> bool:
    """Whether a filterset given none of its parameters leaves the queryset as it is: its
    set-up, form and filtering are django-filter's own, no filter is required, and every filter
    does nothing with an empty value."""
    own = (
        filterset_class.__init__ is FilterSet.__init__
        and filterset_class.filter_queryset is FilterSet.filter_queryset
        and filterset_class.qs is FilterSet.qs
        and filterset_class._meta.form is forms.Form
    )
    if not own:
        return False
    for filter_ in filterset_class.base_filters.values():
        if filter_.extra.get("required"):
            return False
        if getattr(filter_, "method", None) is None and type(filter_).filter not in _INERT_FILTER_METHODS:
            return False
    return True


class TenantFilterBackend(DjangoFilterBackend):
    _auto_classes: ClassVar[dict[tuple[type, type], Any]] = {}
    _inert: ClassVar[dict[type, bool]] = {}

    def get_filterset_class(self, view: Any, queryset: Any = None) -> Any:
        if getattr(view, "filterset_class", None) is not None or queryset is None:
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model)  # filterset_fields: a class of its own, made once
        if key not in self._auto_classes:
            self._auto_classes[key] = super().get_filterset_class(view, queryset)
        return self._auto_classes[key]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return queryset
        names = filterset_class.base_filters
        given = any(
            key == name or key.startswith(f"{name}_") for key in request.query_params for name in names
        )
        if not given:
            if filterset_class not in self._inert:
                self._inert[filterset_class] = inert_without_parameters(filterset_class)
            if self._inert[filterset_class]:
                return queryset
        return super().filter_queryset(request, queryset, view)

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
