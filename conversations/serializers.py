"""Serializers of the conversations API: conversations, package lines (with the package's
``version`` on every write), packages with their priced lines and totals (a page priced in
one batch), and the bodies of the package actions."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from ipvb.api.base import TenantModelSerializer

from .models import CONVERSATION_FIELDS, Conversation, Package, PackageLine
from .pricing import PackagePricing, price_package, price_packages

VERSION_REQUIRED = _lazy("Stuur de versie (lock_version) van het pakket mee die u het laatst hebt gelezen.")
VERSION_HELP = "Required: the package's lock_version as last read (missing: 400; stale: 409)."


class ConversationSerializer(TenantModelSerializer):
    class Meta:
        model = Conversation
        fields = [
            "id",
            "client",
            *CONVERSATION_FIELDS,
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]
        extra_kwargs = {"professionals": {"required": False}, "contact_persons": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["client"].read_only = True
        return fields


class PackageLineSerializer(TenantModelSerializer):
    cost_per_week = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    monthly_cost = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    version = serializers.IntegerField(
        write_only=True,
        required=True,
        error_messages={"required": VERSION_REQUIRED},
        help_text="Required on every write: the package's lock_version as last read (missing: 400; stale: 409).",
    )

    class Meta:
        model = PackageLine
        fields = [
            "id",
            "activity",
            "addon_item",
            "minutes",
            "occurrences_per_week",
            "staff_level",
            "quantity_per_month",
            "funding",
            "wanted",
            "necessary",
            "wlz_eligible",
            "note",
            "cost_per_week",
            "monthly_cost",
            "version",
        ]


def _shared(serializer: serializers.BaseSerializer) -> dict[str, Any]:
    """The context dict that a page's serializers share as a cache (DRF types it read-only)."""
    return cast(dict[str, Any], serializer.context)


class TotalsSerializer(serializers.Serializer):
    personal_budget = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2)
    utilisation_pct = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    private_per_month = serializers.DecimalField(max_digits=12, decimal_places=2)
    latitude = serializers.CharField()


class PackageListSerializer(serializers.ListSerializer):
    """Prices a whole page of packages at once (a constant number of queries per page)."""

    def to_representation(self, data: Any) -> list[Any]:
        packages = list(data.all() if hasattr(data, "all") else data)
        organisation = self.context.get("organisation")
        if packages and organisation is not None:
            cache = _shared(self).setdefault("_pricing", {})
            todo = [package for package in packages if package.pk not in cache]
            if todo:
                cache.update(price_packages(packages=todo, organisation=organisation))
        return super().to_representation(packages)


class PackageSerializer(TenantModelSerializer):
    lines = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = [
            "id",
            "client",
            "version",
            "status",
            "start_date",
            "end_date",
            "conversation",
            "overrun_reason",
            "review_date",
            "agreed_by",
            "agreed_at",
            "approved_by",
            "approved_at",
            "sent_back_reason",
            "lock_version",
            "lines",
            "totals",
        ]
        read_only_fields = [f for f in fields if f != "client"]
        list_serializer_class = PackageListSerializer

    def _pricing(self, package: Package) -> PackagePricing:
        cache = _shared(self).setdefault("_pricing", {})
        if package.pk not in cache:
            cache[package.pk] = price_package(package=package, lines=list(package.lines.all()))
        return cache[package.pk]

    def get_lines(self, package: Package) -> list[dict[str, Any]]:
        rows = []
        # One line serializer for every line of the page: its fields (and their scoped
        # querysets) are built once, not per line.
        line_serializer = self.context.get("_line_serializer")
        if line_serializer is None:
            line_serializer = _shared(self)["_line_serializer"] = PackageLineSerializer(context=self.context)
        for priced in self._pricing(package).lines:
            data = line_serializer.to_representation(priced.line)
            data["cost_per_week"] = None if priced.cost_per_week is None else str(priced.cost_per_week)
            data["monthly_cost"] = None if priced.monthly_cost is None else str(priced.monthly_cost)
            rows.append(data)
        return rows

    def get_totals(self, package: Package) -> dict[str, Any]:
        pricing = self._pricing(package)
        totals = pricing.totals
        return {
            "personal_budget": str(totals.budget),
            "total": str(totals.total),
            "balance": str(totals.balance),
            "utilisation_pct": None if totals.utilisation_pct is None else str(totals.utilisation_pct),
            "private_per_month": str(totals.private_per_month),
            "latitude": pricing.latitude.value,
        }


class PackageStartSerializer(TenantModelSerializer):
    """The body of "start a draft": only the client. No uniqueness validator: a client who already
    has an open package gets that package back (200), not an error."""

    class Meta:
        model = Package
        fields = ["client"]
        validators: list[Any] = []


class AgreeSerializer(TenantModelSerializer):
    version = serializers.IntegerField(
        required=True, error_messages={"required": VERSION_REQUIRED}, help_text=VERSION_HELP
    )

    class Meta:
        model = Package
        fields = ["conversation", "start_date", "review_date", "overrun_reason", "version"]
        extra_kwargs = {"start_date": {"required": False}, "conversation": {"required": True}}


class DecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=True, error_messages={"required": VERSION_REQUIRED}, help_text=VERSION_HELP
    )
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
