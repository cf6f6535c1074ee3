"""API of the catalogues: everyone in the organisation reads, financial staff write.

* ``/api/v1/catalog/activities/``: activities with their price per occurrence on ``?date=``
  (default today) and the cost-price model it came from.
* ``/api/v1/catalog/addon-items/``: add-on items with the price in force on ``?date=``;
  ``/prices/`` lists an item's price history (GET) or adds a new price from a date (POST).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from costing.selectors import rate_card
from ipvb.api.base import FlatRowMixin, ServiceWriteMixin, TenantModelSerializer, TenantViewSet
from ipvb.api.query import CareDateField, query_params
from ipvb.roles import Role

from . import selectors
from .activities import activity_create, activity_update
from .addons import addon_item_create, addon_item_update, addon_price_set
from .models import (
    ACTIVITY_FIELDS,
    ADDON_FIELDS,
    Activity,
    AddOnItem,
    AddOnPrice,
    VatRate,
    active_on_q,
    price_in_force_q,
)

FINANCIAL = frozenset({Role.FINANCIAL})

DATE_PARAM = OpenApiParameter(
    "date", OpenApiTypes.DATE, description="Peildatum van de prijzen (standaard vandaag), JJJJ-MM-DD."
)
STATUS_PARAM = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=["active", "inactive", "all"],
    description="Alleen actieve, alleen niet-actieve of alle regels op de peildatum (standaard alle).",
)

VAT_ERRORS: dict[str, Any] = {"invalid_choice": _("Kies een Nederlands btw-tarief: 0, 9 of 21 %.")}
PRICE_ERRORS: dict[str, Any] = {
    "invalid": _("Vul een bedrag in, bijvoorbeeld 24.50."),
    "min_value": _("Een prijs kan niet negatief zijn."),
    "max_decimal_places": _("Een prijs heeft hooguit twee cijfers achter de komma."),
}


class PriceQuerySerializer(serializers.Serializer):
    """The query string of both catalogues: the date of the prices and which rows."""

    date = CareDateField(required=False)
    status = serializers.ChoiceField(
        choices=["active", "inactive", "all"],
        required=False,
        error_messages={"invalid_choice": _("Kies active, inactive of all.")},
    )


class CatalogueViewSet(ServiceWriteMixin, TenantViewSet):
    # Prices on ?date= (default today); the list filtered on ?status= (default all); writes
    # through the services. (A comment: drf-spectacular copies docstrings into the schema.)

    @cached_property
    def price_query(self) -> dict[str, Any]:
        return query_params(PriceQuerySerializer, self.request)

    @property
    def price_date(self) -> datetime.date:
        return self.price_query.get("date") or timezone.localdate()

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return queryset
        status = self.price_query.get("status") or "all"
        if status == "active":
            return queryset.filter(active_on_q(self.price_date))
        if status == "inactive":
            return queryset.exclude(active_on_q(self.price_date))
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["price_date"] = self.price_date
        return context


# Activities ---------------------------------------------------------------------------------

# One field object each to format the nested prices of a list row by row (a serializer per row
# costs more than the row itself).
_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2)
_DATE = serializers.DateField()


class PriceModelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    effective_from = serializers.DateField()


class ActivityPriceSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="De peildatum.")
    per_occurrence = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Prijs per keer (per deelnemer bij een groepsactiviteit)."
    )
    hourly_rate = serializers.DecimalField(
        max_digits=12, decimal_places=2, help_text="Integraal uurtarief K van het niveau."
    )
    staff_level = serializers.IntegerField()
    group_size = serializers.IntegerField(help_text="Waarover de kosten zijn verdeeld (1 zonder groep).")
    model = PriceModelSerializer(help_text="Het gepubliceerde kostprijsmodel waaruit de prijs komt.")


class ActivitySerializer(FlatRowMixin, TenantModelSerializer):
    is_active = serializers.SerializerMethodField()
    price = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", *ACTIVITY_FIELDS, "is_active", "price"]
        extra_kwargs = {
            "default_minutes": {
                "min_value": 1,
                "error_messages": {"min_value": _("Het aantal minuten moet minstens 1 zijn.")},
            },
            "group_size": {
                "min_value": 2,
                "error_messages": {"min_value": _("Een groep heeft minstens 2 deelnemers.")},
            },
        }

    def get_is_active(self, obj: Activity) -> bool:
        return obj.is_active_on(self.context.get("price_date") or timezone.localdate())

    @extend_schema_field(ActivityPriceSerializer(allow_null=True))
    def get_price(self, obj: Activity) -> dict[str, Any] | None:
        on_date = self.context.get("price_date") or timezone.localdate()
        card = self.context.get("price_card", "lookup")
        if card == "lookup":
            quote = selectors.activity_quote(activity=obj, on_date=on_date)
        else:
            quote = selectors.quote_with_card(activity=obj, card=card, on_date=on_date)
        if quote is None:
            return None
        # Formatted here by the declared fields of ActivityPriceSerializer (the same output as
        # ActivityPriceSerializer(...).data without building a serializer per row).
        return {
            "date": _DATE.to_representation(on_date),
            "per_occurrence": _MONEY.to_representation(quote.price),
            "hourly_rate": _MONEY.to_representation(quote.rate),
            "staff_level": quote.level.pk,
            "group_size": quote.group_size,
            "model": {
                "id": quote.model.pk,
                "year": quote.model.year,
                "version": quote.model.version,
                "effective_from": _DATE.to_representation(quote.model.effective_from),
            },
        }


@extend_schema_view(
    list=extend_schema(parameters=[DATE_PARAM, STATUS_PARAM]),
    retrieve=extend_schema(parameters=[DATE_PARAM]),
)
class ActivityViewSet(CatalogueViewSet):
    """Activities of the catalogue with their derived price. Prices are never written: they
    follow from the published cost-price model. Deactivate by setting ``active_until``."""

    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer
    read_roles = None
    write_roles = FINANCIAL
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["category", "is_group", "wlz_eligible", "default_level"]
    search_fields = ["code", "name", "description"]
    ordering_fields = ["code", "name", "category", "default_minutes"]
    ordering = ["category", "code"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        return super().restrict_queryset(queryset.select_related("default_level"))

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.action == "list" and not getattr(self, "swagger_fake_view", False):
            context["price_card"] = rate_card(organisation=self.organisation, on_date=self.price_date)
        return context

    def create_object(self, data: dict[str, Any]) -> Activity:
        return activity_create(organisation=self.organisation, **data)

    def update_object(self, instance: Activity, data: dict[str, Any]) -> Activity:
        return activity_update(activity=instance, **data)


# Add-on catalogue ---------------------------------------------------------------------------


class AddOnPriceSerializer(serializers.ModelSerializer):
    price_excl_vat = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = AddOnPrice
        fields = ["id", "valid_from", "valid_until", "price_incl_vat", "vat_rate", "price_excl_vat"]
        read_only_fields = fields


class AddOnPriceInputSerializer(serializers.Serializer):
    valid_from = serializers.DateField(help_text="Ingangsdatum: vandaag of later.")
    valid_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Alleen voor een tijdelijke prijs: eerste dag niet meer geldig.",
    )
    price_incl_vat = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, error_messages=PRICE_ERRORS
    )
    vat_rate = serializers.ChoiceField(choices=VatRate.choices, error_messages=VAT_ERRORS)


class AddOnItemSerializer(TenantModelSerializer):
    is_active = serializers.SerializerMethodField()
    current_price = serializers.SerializerMethodField()
    price_incl_vat = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        write_only=True,
        required=False,
        error_messages=PRICE_ERRORS,
        help_text="Eerste prijs (alleen bij aanmaken), inclusief btw.",
    )
    vat_rate = serializers.ChoiceField(
        choices=VatRate.choices,
        write_only=True,
        required=False,
        error_messages=VAT_ERRORS,
        help_text="Btw-tarief van de eerste prijs (alleen bij aanmaken).",
    )
    price_from = serializers.DateField(
        write_only=True,
        required=False,
        help_text="Ingangsdatum van de eerste prijs (standaard actief vanaf).",
    )

    class Meta:
        model = AddOnItem
        fields = [
            "id",
            *ADDON_FIELDS,
            "is_active",
            "current_price",
            "price_incl_vat",
            "vat_rate",
            "price_from",
        ]

    def get_is_active(self, obj: AddOnItem) -> bool:
        return obj.is_active_on(self.context.get("price_date") or timezone.localdate())

    @extend_schema_field(AddOnPriceSerializer(allow_null=True))
    def get_current_price(self, obj: AddOnItem) -> dict[str, Any] | None:
        in_force = getattr(obj, "prices_in_force", None)  # prefetched by the list (one query a page)
        if in_force is not None:
            price = in_force[0] if in_force else None
        else:
            price = selectors.addon_price(
                item=obj, on_date=self.context.get("price_date") or timezone.localdate()
            )
        if price is None:
            return None
        return {  # AddOnPriceSerializer's fields, formatted without a serializer per row
            "id": price.pk,
            "valid_from": _DATE.to_representation(price.valid_from),
            "valid_until": _DATE.to_representation(price.valid_until) if price.valid_until else None,
            "price_incl_vat": _MONEY.to_representation(price.price_incl_vat),
            "vat_rate": price.vat_rate,
            "price_excl_vat": _MONEY.to_representation(price.price_excl_vat),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        price_fields = {"price_incl_vat", "vat_rate", "price_from"} & set(attrs)
        if self.instance is not None and price_fields:
            raise serializers.ValidationError(
                {
                    field: [_("Een prijs wijzigt u met een nieuwe prijs vanaf een datum (…/prices/).")]
                    for field in price_fields
                }
            )
        if self.instance is None:
            missing = {
                field: [_("Verplicht bij een nieuw artikel.")]
                for field in ("price_incl_vat", "vat_rate")
                if field not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


@extend_schema_view(
    list=extend_schema(parameters=[DATE_PARAM, STATUS_PARAM]),
    retrieve=extend_schema(parameters=[DATE_PARAM]),
)
class AddOnItemViewSet(CatalogueViewSet):
    """The add-on catalogue (bijkoop) with the price in force. A price change is a new price
    from a date (``prices``), never an edit of the past."""

    queryset = AddOnItem.objects.none()
    serializer_class = AddOnItemSerializer
    read_roles = None
    write_roles = FINANCIAL
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["category", "unit"]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "category"]
    ordering = ["category", "name"]

    def restrict_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().restrict_queryset(queryset)
        if getattr(self, "swagger_fake_view", False) or self.action != "list":
            return queryset
        # The price in force on the date for the whole page in one query (periods never overlap,
        # so at most one row per item; newest first like selectors.addon_price).
        prices = (
            AddOnPrice.objects.for_organisation(self.organisation)
            .filter(price_in_force_q(self.price_date))
            .order_by("-valid_from")
        )
        return queryset.prefetch_related(Prefetch("prices", queryset=prices, to_attr="prices_in_force"))

    def create_object(self, data: dict[str, Any]) -> AddOnItem:
        return addon_item_create(organisation=self.organisation, **data)

    def update_object(self, instance: AddOnItem, data: dict[str, Any]) -> AddOnItem:
        return addon_item_update(item=instance, **data)

    @extend_schema(
        methods=["GET"],
        responses=AddOnPriceSerializer(many=True),
        description="Prijshistorie van het artikel, nieuwste eerst.",
    )
    @extend_schema(
        methods=["POST"],
        request=AddOnPriceInputSerializer,
        responses={201: AddOnPriceSerializer},
        description="Nieuwe prijs vanaf een datum (alleen financieel medewerkers).",
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def prices(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        if request.method == "GET":
            history = selectors.addon_price_history(item=item)
            return Response(AddOnPriceSerializer(history, many=True).data)
        serializer = AddOnPriceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        price = addon_price_set(item=item, **serializer.validated_data)
        return Response(AddOnPriceSerializer(price).data, status=status.HTTP_201_CREATED)
