from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Department, Membership, Organisation
from ..roles import Role
from .base import TenantModelSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "agb_code", "zorgkantoor_code", "takes_part_in_reporting"]
        read_only_fields = ["id", "takes_part_in_reporting"]


class DepartmentSerializer(TenantModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "location_name", "kind", "places", "is_pilot"]


class MembershipSerializer(TenantModelSerializer):
    email = serializers.EmailField(source="user.email")
    first_name = serializers.CharField(source="user.first_name", required=False, allow_blank=True)
    last_name = serializers.CharField(source="user.last_name", required=False, allow_blank=True)
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), allow_empty=False)

    class Meta:
        model = Membership
        fields = ["id", "email", "first_name", "last_name", "roles", "departments", "is_active"]
        extra_kwargs = {"departments": {"required": False}}

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
