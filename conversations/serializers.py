"""Serializers of the conversations API: conversations, package lines (with the package's
``version`` on every write), packages with their priced lines and totals (a page priced in
one batch), and the bodies of the package actions.

Conversations, packages and package lines are read far more than written (a page of 50
packages holds some 350 lines): their ``to_representation`` writes each field out explicitly
instead of walking DRF's fields per row (issue 16). The output is DRF's own (a test compares
them field by field): ids of related objects, choices and text as strings, dates, datetimes
and decimals through DRF's field classes. The declared fields still describe the OpenAPI
schema and parse the writes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from ipvb.api.base import LINKED_IDS, LinkedIdsListSerializer, TenantModelSerializer

from .models import CONVERSATION_FIELDS, Conversation, Package, PackageLine
from .pricing import PackagePricing, is_frozen, needs_budget_inputs, price_package, price_packages

VERSION_REQUIRED = _lazy("Stuur de versie (lock_version) van het pakket mee die u het laatst hebt gelezen.")
VERSION_HELP = "Required: the package's lock_version as last read (missing: 400; stale: 409)."


def _linked_ids(serializer: serializers.BaseSerializer, conversation: Conversation, name: str) -> list[int]:
    """The ids of a conversation's contact persons or professionals: from the page's link
    tables when the list serializer read them (``LinkedIdsListSerializer``: two queries for a
    page, no model instance per person; issue 16), else from the relation."""
    page = serializer.context.get(LINKED_IDS)
    if page is not None:
        return list(page[name].get(conversation.pk, ()))
    return [related.pk for related in getattr(conversation, name).all()]


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
        list_serializer_class = LinkedIdsListSerializer
        linked_ids = ["contact_persons", "professionals"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["client"].read_only = True
        return fields

    def to_representation(self, instance: Conversation) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "client": instance.client_id,
            "held_at": _formatted(_DATETIME, instance.held_at),
            "kind": _text(instance.kind),
            "client_present": instance.client_present,
            "contact_persons": _linked_ids(self, instance, "contact_persons"),
            "professionals": _linked_ids(self, instance, "professionals"),
            "wishes": _text(instance.wishes),
            "assessment": _text(instance.assessment),
            "agreements": _text(instance.agreements),
            "outcome": _text(instance.outcome),
            "outcome_reason": _text(instance.outcome_reason),
            "next_review_date": _formatted(_DATE, instance.next_review_date),
            "status": _text(instance.status),
            "created_at": _formatted(_DATETIME, instance.created_at),
        }


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

    def to_representation(self, instance: PackageLine) -> dict[str, Any]:
        data = line_fields(instance)
        data["cost_per_week"] = _formatted(_MONEY, instance.cost_per_week)
        data["monthly_cost"] = _formatted(_MONEY, instance.monthly_cost)
        return data


# How DRF shows these values (the same field classes and arguments that the serializers
# declare or that ModelSerializer builds from the model), shared by every row.
_MONEY = serializers.DecimalField(max_digits=12, decimal_places=2)  # cost_per_week, monthly_cost
_QUANTITY = serializers.DecimalField(max_digits=8, decimal_places=2)  # PackageLine.quantity_per_month
_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()


def _formatted(field: serializers.Field, value: Any) -> Any:
    """A decimal, date or datetime as its DRF field shows it (decimal places, ISO format, the
    active time zone); None stays None, as in DRF."""
    return None if value is None else field.to_representation(value)


def _text(value: Any) -> str | None:
    """A text or choice field as DRF shows it (a choice member as its stored value)."""
    return None if value is None else str(value)


def line_fields(line: PackageLine) -> dict[str, Any]:
    """The stored fields of a package line as the API shows them, in the order of
    ``PackageLineSerializer.Meta.fields`` (without the costs, which the callers add)."""
    return {
        "id": line.pk,
        "activity": line.activity_id,
        "addon_item": line.addon_item_id,
        "minutes": line.minutes,
        "occurrences_per_week": line.occurrences_per_week,
        "staff_level": line.staff_level_id,
        "quantity_per_month": _formatted(_QUANTITY, line.quantity_per_month),
        "funding": _text(line.funding),
        "wanted": line.wanted,
        "necessary": line.necessary,
        "wlz_eligible": line.wlz_eligible,
        "note": _text(line.note),
    }


def with_pricing_inputs(packages: Iterable[Package]) -> None:
    """Loads what pricing reads beyond the packages and their lines, only where it reads it,
    in at most four queries for any number of packages. The lines of a package priced live
    (a draft, or lines without frozen prices) get their activity (with its default level),
    staff level and add-on item; a package whose budget is computed (priced live, or no
    frozen budget or tolerance) gets its client with organisation and department. An agreed
    package (most of a page) needs neither: its prices and budget are frozen on it.
    The frozen rule is ``pricing.is_frozen``, as in ``price_package`` / ``price_packages``."""
    from catalog.models import Activity, AddOnItem
    from clients.models import Client
    from costing.models import StaffLevel

    live_lines: list[PackageLine] = []
    budgeted: list[Package] = []
    for package in packages:
        lines = list(package.lines.all())
        frozen = is_frozen(package, lines)
        if not frozen:
            live_lines.extend(lines)
        if needs_budget_inputs(package, frozen=frozen):
            budgeted.append(package)
    if budgeted:
        prefetch_related_objects(
            budgeted,
            Prefetch(
                "client",
                queryset=Client.objects.for_organisation(budgeted[0].organisation_id)
                .select_related("organisation", "department")
                .defer("bsn"),  # not shown: no decryption per row
            ),
        )
    if live_lines:
        organisation = live_lines[0].organisation_id
        prefetch_related_objects(
            live_lines,
            Prefetch(
                "activity",
                queryset=Activity.objects.for_organisation(organisation).select_related("default_level"),
            ),
            Prefetch("staff_level", queryset=StaffLevel.objects.for_organisation(organisation)),
            Prefetch("addon_item", queryset=AddOnItem.objects.for_organisation(organisation)),
        )


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


class FrozenLine(NamedTuple):
    """A line of a package priced from its snapshot (``pricing.is_frozen``: agreed or
    superseded, every line with its frozen price), read for a list page as a row of stored
    values, not as a model instance (a page of 50 packages holds some 350 lines; issue 16).
    It has the attributes that ``line_fields`` and the frozen branch of ``price_package`` read."""

    id: int
    package_id: int
    activity_id: int | None
    addon_item_id: int | None
    minutes: int | None
    occurrences_per_week: int | None
    staff_level_id: int | None
    quantity_per_month: Decimal | None
    funding: str
    wanted: bool
    necessary: bool
    wlz_eligible: bool
    note: str
    rate: Decimal | None
    cost_per_week: Decimal | None
    monthly_cost: Decimal | None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def minutes_per_week(self) -> int:
        return cast(int, PackageLine.minutes_per_week.fget(self))  # type: ignore[attr-defined]  # the model's own rule


def price_page(packages: list[Package], organisation: Any) -> dict[int, PackagePricing]:
    """The pricing of a page of packages. A package that is not editable is read with its
    lines as ``FrozenLine`` rows in one query for the page; when those rows are frozen and the
    package has its stored budget and tolerance (most of a page), ``price_package`` prices them
    without a query and without a model instance per line. The others (drafts, and a package
    whose lines lack a frozen price or that has no stored budget) get their lines as model
    instances (one query) and their pricing inputs, and are priced together by
    ``price_packages``. Packages whose lines are already prefetched go the second way too."""
    result: dict[int, PackagePricing] = {}
    rows: dict[int, list[FrozenLine]] = {}
    candidates = [
        package
        for package in packages
        if not package.is_editable and "lines" not in getattr(package, "_prefetched_objects_cache", {})
    ]
    if candidates:
        for row in (
            PackageLine.objects.for_organisation(organisation)
            .filter(package_id__in=[package.pk for package in candidates])
            .order_by("package_id", "position", "pk")
            .values_list(*FrozenLine._fields)
        ):
            line = FrozenLine._make(row)
            rows.setdefault(line.package_id, []).append(line)
    live: list[Package] = []
    read = {package.pk for package in candidates}
    for package in packages:
        lines = cast(list[PackageLine], rows.get(package.pk, []))  # FrozenLine rows: see its docstring
        if package.pk in read and is_frozen(package, lines) and not needs_budget_inputs(package, frozen=True):
            result[package.pk] = price_package(package=package, lines=lines)
        else:
            live.append(package)
    if live:
        unprefetched = [p for p in live if "lines" not in getattr(p, "_prefetched_objects_cache", {})]
        if unprefetched:
            prefetch_related_objects(
                unprefetched,
                Prefetch(
                    "lines",
                    queryset=PackageLine.objects.for_organisation(organisation).order_by("position", "pk"),
                ),
            )
        with_pricing_inputs(live)
        result.update(price_packages(packages=live, organisation=organisation))
    return result


class PackageListSerializer(serializers.ListSerializer):
    """Prices a whole page of packages at once (a constant number of queries per page:
    ``price_page``)."""

    def to_representation(self, data: Any) -> list[Any]:
        packages = list(data.all() if hasattr(data, "all") else data)
        organisation = self.context.get("organisation")
        if packages and organisation is not None:
            cache = _shared(self).setdefault("_pricing", {})
            todo = [package for package in packages if package.pk not in cache]
            if todo:
                cache.update(price_page(todo, organisation))
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
            with_pricing_inputs([package])
            cache[package.pk] = price_package(package=package, lines=list(package.lines.all()))
        return cache[package.pk]

    def to_representation(self, instance: Package) -> dict[str, Any]:
        return {
            "id": instance.pk,
            "client": instance.client_id,
            "version": instance.version,
            "status": _text(instance.status),
            "start_date": _formatted(_DATE, instance.start_date),
            "end_date": _formatted(_DATE, instance.end_date),
            "conversation": instance.conversation_id,
            "overrun_reason": _text(instance.overrun_reason),
            "review_date": _formatted(_DATE, instance.review_date),
            "agreed_by": instance.agreed_by_id,
            "agreed_at": _formatted(_DATETIME, instance.agreed_at),
            "approved_by": instance.approved_by_id,
            "approved_at": _formatted(_DATETIME, instance.approved_at),
            "sent_back_reason": _text(instance.sent_back_reason),
            "lock_version": instance.lock_version,
            "lines": self.get_lines(instance),
            "totals": self.get_totals(instance),
        }

    def get_lines(self, package: Package) -> list[dict[str, Any]]:
        rows = []
        for priced in self._pricing(package).lines:
            data = line_fields(priced.line)
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
