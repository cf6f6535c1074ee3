"""The base API views. They own queryset and object lookup (always within the active
organisation), role checks, and setting the organisation on create. Subclasses narrow with
``restrict_queryset`` and never override ``get_queryset``/``get_object``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.generics import GenericAPIView

from ..tenancy import is_tenant_model
from .permissions import HasViewRole, IsTenantMember

PROTECTED_METHODS = ("get_queryset", "get_object")


class TenantAPIMixin:
    permission_classes: ClassVar[list[Any]] = [
        permissions.IsAuthenticated,
        IsTenantMember,
        HasViewRole,
    ]
    read_roles: ClassVar[frozenset[str] | None] = None
    write_roles: ClassVar[frozenset[str] | None] = frozenset()
    action_roles: ClassVar[dict[str, frozenset[str]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__module__ != __name__:
            for name in PROTECTED_METHODS:
                if name in cls.__dict__:
                    raise ImproperlyConfigured(
                        f"{cls.__name__} overrides {name}(); narrow scope with restrict_queryset()."
                    )

    @property
    def organisation(self) -> Any:
        return self.request._request.organisation  # type: ignore[attr-defined]

    @property
    def membership(self) -> Any:
        return self.request._request.membership  # type: ignore[attr-defined]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_queryset(self) -> QuerySet:
        model = self.queryset.model  # type: ignore[attr-defined]
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        base = model.objects.for_organisation(self.organisation)
        return self.restrict_queryset(base).filter(organisation=self.organisation)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["organisation"] = None if getattr(self, "swagger_fake_view", False) else self.organisation
        return context

    def perform_create(self, serializer: Any) -> None:
        serializer.save(organisation=self.organisation)


class TenantViewSet(TenantAPIMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]


class TenantReadOnlyViewSet(TenantAPIMixin, viewsets.ReadOnlyModelViewSet):
    pass


class TenantGenericViewSet(TenantAPIMixin, viewsets.GenericViewSet):
    pass


class TenantAPIView(TenantAPIMixin, GenericAPIView):
    pass


class TenantModelSerializer(serializers.ModelSerializer):
    """Every related field of a tenant model only accepts objects of the active organisation;
    another organisation's id gets the same answer as one that does not exist."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        organisation = self.context.get("organisation")
        for field in fields.values():
            relation = getattr(field, "child_relation", field)
            queryset = getattr(relation, "queryset", None)
            if queryset is not None and is_tenant_model(queryset.model):
                relation.queryset = (
                    queryset.model.objects.for_organisation(organisation)
                    if organisation is not None
                    else queryset.model.objects.none()
                )
        return fields


__all__ = [
    "TenantAPIView",
    "TenantGenericViewSet",
    "TenantModelSerializer",
    "TenantReadOnlyViewSet",
    "TenantViewSet",
    "mixins",
]
