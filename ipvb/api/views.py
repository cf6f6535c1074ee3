from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import services
from ..models import Department, Membership
from ..roles import Role
from .base import TenantAPIView, TenantViewSet
from .serializers import DepartmentSerializer, MembershipSerializer, OrganisationSerializer

ADMIN = frozenset({Role.ORG_ADMIN})


class OrganisationView(TenantAPIView):
    """The organisation of the active membership."""

    serializer_class = OrganisationSerializer
    read_roles = None
    write_roles = ADMIN

    @extend_schema(responses=OrganisationSerializer)
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(self.organisation).data)

    @extend_schema(request=OrganisationSerializer, responses=OrganisationSerializer)
    def patch(self, request: Request) -> Response:
        serializer = self.get_serializer(self.organisation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


class DepartmentViewSet(TenantViewSet):
    queryset = Department.objects.none()
    serializer_class = DepartmentSerializer
    read_roles = None
    write_roles = ADMIN
    filterset_fields = ["kind", "is_pilot"]
    search_fields = ["name", "location_name"]
    ordering_fields = ["name", "places"]
    ordering = ["name"]


class MembershipViewSet(TenantViewSet):
    queryset = Membership.objects.none()
    serializer_class = MembershipSerializer
    read_roles = ADMIN
    write_roles = ADMIN
    filterset_fields = ["is_active"]
    search_fields = ["user__email", "user__last_name"]
    ordering = ["user__email"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset.select_related("user").prefetch_related("departments")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.membership_create(
            organisation=self.organisation,
            email=data["user"]["email"],
            first_name=data["user"].get("first_name", ""),
            last_name=data["user"].get("last_name", ""),
            roles=data["roles"],
            departments=data.get("departments", []),
            request=request._request,
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = self.get_object()
        serializer = self.get_serializer(membership, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.membership_update(
            membership=membership,
            acting=self.membership,
            roles=data.get("roles", membership.roles),
            departments=data.get("departments", list(membership.departments.all())),
            is_active=data.get("is_active", membership.is_active),
        )
        return Response(self.get_serializer(membership).data)
