from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from .. import services
from ..http import MemberAPIRequest
from ..models import Department, Membership, MembershipInvitation
from ..roles import Role
from .base import TenantAPIView, TenantViewSet
from .serializers import (
    DepartmentSerializer,
    InvitationOutcomeSerializer,
    MembershipInvitationSerializer,
    MembershipSerializer,
    OrganisationSerializer,
)

ADMIN = frozenset({Role.ORG_ADMIN})
# As on the web (ipvb.views.core): team leaders set places and group-bound day care of their
# own departments; everything else about departments is the org admin's.
DEPARTMENT_EDITORS = frozenset({Role.ORG_ADMIN, Role.TEAM_LEADER})
DEPARTMENT_DATA_FIELDS = frozenset({"kind", "places"})
ADMIN_ONLY_FIELD = _(
    "Alleen een functioneel beheerder wijzigt dit veld; een teamleider wijzigt soort en plaatsen."
)


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
    action_roles = {"partial_update": DEPARTMENT_EDITORS}
    filterset_fields = ["kind", "is_pilot"]
    search_fields = ["name", "location_name"]
    ordering_fields = ["name", "places"]
    ordering = ["name"]

    def restrict_queryset(self, queryset: Any) -> Any:
        if self.action == "partial_update":  # a team leader changes their own departments only
            return self.membership.restrict_departments(queryset)
        return queryset

    def perform_update(self, serializer: Any) -> None:
        if not self.membership.has_role(*ADMIN):
            locked = sorted(set(self.request.data) - DEPARTMENT_DATA_FIELDS - {"id"})
            if locked:
                raise serializers.ValidationError({name: [ADMIN_ONLY_FIELD] for name in locked})
        super().perform_update(serializer)


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
        queryset = queryset.select_related("user")
        # A list reads its rows' department ids in one query (serializers.MembershipSerializer).
        return queryset if self.action == "list" else queryset.prefetch_related("departments")

    @extend_schema(
        request=MembershipSerializer,
        responses={201: InvitationOutcomeSerializer},
        description=(
            "Adds a person by e-mail address. A new address gets an account, the membership and a "
            "link to set a password; the address of an existing account gets an invitation that "
            "the person accepts after logging in (see /api/v1/invitations/). The answer is the "
            "same in both cases and contains only what was sent (status `invited`)."
        ),
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        outcome = services.membership_create(
            organisation=self.organisation,
            email=data["user"]["email"],
            first_name=data["user"].get("first_name", ""),
            last_name=data["user"].get("last_name", ""),
            roles=data["roles"],
            departments=data.get("departments", []),
            request=request._request,
            invited_by=cast(MemberAPIRequest, request).user,
        )
        return Response(InvitationOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)

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


class MembershipInvitationViewSet(TenantViewSet):
    """The organisation's invitations of existing accounts (created through POST
    /api/v1/memberships/). Read and withdraw only; the invited person answers in the web app."""

    queryset = MembershipInvitation.objects.none()
    serializer_class = MembershipInvitationSerializer
    read_roles = ADMIN
    write_roles = ADMIN
    search_fields = ["email"]
    ordering_fields = ["created_at", "email", "expires_at"]
    ordering = ["-created_at"]
    http_method_names = ["get", "delete", "head", "options"]

    def restrict_queryset(self, queryset: Any) -> Any:
        return queryset if self.action == "list" else queryset.prefetch_related("departments")

    def perform_destroy(self, instance: MembershipInvitation) -> None:
        services.invitation_revoke(invitation=instance)
