from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from ipvb.api.base import TenantModelSerializer

from .cost_models import MODEL_INPUT_FIELDS
from .models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, StaffLevel, Tariff


def plain(value: Decimal) -> str:
    """A decimal string without trailing zeros or exponent (1216.944, not 1216.94400000)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class TariffSerializer(serializers.ModelSerializer):
    is_illustrative = serializers.BooleanField(read_only=True)

    class Meta:
        model = Tariff
        fields = [
            "id",
            "year",
            "care_profile",
            "with_treatment",
            "with_day_activities",
            "care_per_day",
            "nhc_per_day",
            "nic_per_day",
            "is_illustrative",
        ]


class StaffLevelSerializer(TenantModelSerializer):
    class Meta:
        model = StaffLevel
        fields = ["id", "code", "name", "order"]


class ModelLevelSerializer(TenantModelSerializer):
    staff_level_code = serializers.CharField(source="staff_level.code", read_only=True)
    employer_cost = serializers.SerializerMethodField()
    direct_cost = serializers.SerializerMethodField()
    integral_rate = serializers.SerializerMethodField()

    class Meta:
        model = ModelLevel
        fields = [
            "id",
            "model",
            "staff_level",
            "staff_level_code",
            "salary",
            "holiday_pct",
            "year_end_pct",
            "irregular_pct",
            "employer_charges_pct",
            "employer_cost",
            "direct_cost",
            "integral_rate",
        ]

    def get_employer_cost(self, obj: ModelLevel) -> str:
        """E per year, unrounded (as a decimal string)."""
        return plain(obj.build_up().employer_cost)

    def get_direct_cost(self, obj: ModelLevel) -> str:
        """D per client-bound hour, unrounded (as a decimal string)."""
        return plain(obj.build_up().direct_cost)

    def get_integral_rate(self, obj: ModelLevel) -> str:
        """K, half-up to cents."""
        return str(obj.build_up().integral_rate)


class CostPriceModelSerializer(TenantModelSerializer):
    levels = ModelLevelSerializer(many=True, read_only=True)
    available_hours = serializers.SerializerMethodField()
    client_bound_hours = serializers.SerializerMethodField()

    class Meta:
        model = CostPriceModel
        fields = [
            "id",
            "year",
            "version",
            "status",
            "effective_from",
            "change_note",
            "based_on",
            *MODEL_INPUT_FIELDS,
            "available_hours",
            "client_bound_hours",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
            "published_at",
            "published_by",
            "levels",
        ]
        read_only_fields = [
            "version",
            "status",
            "based_on",
            "created_at",
            "created_by",
            "updated_at",
            "updated_by",
            "published_at",
            "published_by",
        ]

    def get_available_hours(self, obj: CostPriceModel) -> str:
        return plain(obj.inputs.available_hours)

    def get_client_bound_hours(self, obj: CostPriceModel) -> str:
        return plain(obj.inputs.client_bound_hours)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "year" in attrs and attrs["year"] != self.instance.year:
            raise serializers.ValidationError({"year": "Het jaar van een model kan niet worden gewijzigd."})
        return attrs


class NewVersionSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class YearSettingsSerializer(TenantModelSerializer):
    class Meta:
        model = OrganisationYearSettings
        fields = [
            "id",
            "year",
            "contract_percentage",
            "hotel_costs_per_day",
            "overrun_tolerance_pct",
            "reindication_threshold_pct",
            "reindication_weeks",
            "review_interval_months",
            "reference_level",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list[Any] = []


class GroupCareSerializer(TenantModelSerializer):
    class Meta:
        model = GroupCare
        fields = ["id", "department", "year", "staff_level", "hours_per_week"]


class BudgetSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    date = serializers.DateField()
    care_revenue = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hotel_deduction = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    group_share = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    personal_budget = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    raw_budget = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hours_at_reference = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    reference_level = serializers.IntegerField(allow_null=True)
    tariff = serializers.IntegerField(allow_null=True)
    model = serializers.IntegerField(allow_null=True)
    indication = serializers.IntegerField(allow_null=True)
    missing = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(child=serializers.CharField())
