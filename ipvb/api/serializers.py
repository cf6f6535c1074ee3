from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Department, Membership, MembershipInvitation, Organisation
from ..roles import Role
from .base import LinkedIdsListSerializer, LinkedIdsMixin, TenantModelSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "agb_code", "zorgkantoor_code", "takes_part_in_reporting"]
        read_only_fields = ["id", "takes_part_in_reporting"]


class DepartmentSerializer(TenantModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "location_name", "kind", "places", "is_pilot"]


class MembershipSerializer(LinkedIdsMixin, TenantModelSerializer):
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name", required=False, allow_blank=True)
    last_name = serializers.CharField(source="user.last_name", required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)

    class Meta:
        model = Membership
        fields = ["id", "email", "first_name", "last_name", "roles", "departments", "is_active"]
        extra_kwargs = {"departments": {"required": False}}
        # A page's department ids in one query, not every department of every row (issue 16:
        # a member of every department held a hundred of them).
        list_serializer_class = LinkedIdsListSerializer
        linked_ids = ["departments"]

    def validate_roles(self, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError(_("Elke rol mag maar één keer voorkomen."))
        return value

    def to_internal_value(self, data: Any) -> Any:
        if self.instance is not None and isinstance(data, dict) and "email" in data:
            raise serializers.ValidationError(
                {"email": [_("Het e-mailadres van een bestaand lid kan hier niet worden gewijzigd.")]}
            )
        return super().to_internal_value(data)


class InvitationOutcomeSerializer(serializers.Serializer):
    """The answer to adding a person: only what the organisation sent itself. The same for a new
    address, an existing account of any organisation and platform staff."""

    email = serializers.EmailField(read_only=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), read_only=True)
    departments = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    status = serializers.ChoiceField(choices=MembershipInvitation.Status.choices, read_only=True)


class MembershipInvitationSerializer(LinkedIdsMixin, TenantModelSerializer):
    """An open or answered invitation as the inviting organisation sees it: the e-mail address
    it typed, the roles and departments it chose, dates and status; nothing of the account."""

    status = serializers.ChoiceField(choices=MembershipInvitation.Status.choices, read_only=True)

    class Meta:
        model = MembershipInvitation
        fields = ["id", "email", "roles", "departments", "status", "created_at", "expires_at"]
        read_only_fields = fields
        list_serializer_class = LinkedIdsListSerializer
        linked_ids = ["departments"]
