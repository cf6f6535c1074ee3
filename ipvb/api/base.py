"""The base API views. They own queryset and object lookup (always within the active
organisation), role checks, and setting the organisation on create. Subclasses narrow with
``restrict_queryset`` and never override ``get_queryset``/``get_object``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.generics import GenericAPIView

from .. import accesslog
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
    # Client data: the path from the object to its Client ("self" for a Client), see
    # ipvb.accesslog; custom @action names map to a log action in access_log_actions.
    access_log_client: ClassVar[str | None] = None
    access_log_actions: ClassVar[dict[str, str]] = {}

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

    def get_object(self) -> Any:
        obj = super().get_object()  # type: ignore[misc]
        self.remember_for_access_log(obj)
        return obj

    def remember_for_access_log(self, obj: Any) -> None:
        """The object this request concerns (the access log takes its id and client)."""
        if self.access_log_client is not None and obj is not None:
            self._access_log_object = obj
            self._access_log_object_id = obj.pk
            self._access_log_client = accesslog.resolve_client(obj, self.access_log_client)

    def finalize_response(self, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        if self.access_log_client is not None:
            accesslog.log_api(self, request, response)
        return response

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["organisation"] = None if getattr(self, "swagger_fake_view", False) else self.organisation
        return context

    def perform_create(self, serializer: Any) -> None:
        serializer.save(organisation=self.organisation)
        self.remember_for_access_log(serializer.instance)


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
