"""Reads of the catalogues. Every function takes the organisation or an object of it.

Public interface for other apps:

* ``activity_price(*, activity, on_date, minutes=None, occurrences=1, level=None)``:
  price per occurrence (or for ``occurrences`` times) from the rate card in force on
  ``on_date``, divided over the group for a group activity; ``None`` when no published model
  is in force or the model has no rate for the level.
* ``activity_price_per_week(*, activity, on_date, occurrences_per_week, minutes=None, level=None)``
* ``activity_quote(...)``: the same with the rate, level and model it came from.
* ``addon_price(*, item, on_date) -> AddOnPrice | None``: the price row in force.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from costing.selectors import rate_card

from .formulas import activity_cost
from .models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnPrice, AddOnUnit, active_on_q


@dataclass(frozen=True)
class ActivityQuote:
    """A derived price and where it came from."""

    price: Decimal  # for `occurrences` times, per participant
    rate: Decimal  # integral hourly rate K of the level
    level: Any  # costing.StaffLevel
    model: Any  # costing.CostPriceModel in force on `on_date`
    minutes: int
    occurrences: int
    group_size: int
    on_date: datetime.date


def _card_rate(card: Any, level: Any) -> Decimal | None:
    if card is None or level is None:
        return None
    return card.rate(level)


def quote_with_card(
    *,
    activity: Activity,
    card: Any,
    on_date: datetime.date,
    minutes: int | None = None,
    occurrences: int = 1,
    level: Any = None,
) -> ActivityQuote | None:
    """``activity_quote`` with a rate card already looked up (lists price many activities)."""
    level = level if level is not None else activity.default_level
    rate = _card_rate(card, level)
    if rate is None:
        return None
    minutes = activity.default_minutes if minutes is None else minutes
    return ActivityQuote(
        price=activity_cost(rate, minutes, occurrences, activity.divisor),
        rate=rate,
        level=level,
        model=card.model,
        minutes=minutes,
        occurrences=occurrences,
        group_size=activity.divisor,
        on_date=on_date,
    )


def activity_quote(
    *,
    activity: Activity,
    on_date: datetime.date,
    minutes: int | None = None,
    occurrences: int = 1,
    level: Any = None,
) -> ActivityQuote | None:
    card = rate_card(organisation=activity.organisation, on_date=on_date)
    return quote_with_card(
        activity=activity, card=card, on_date=on_date, minutes=minutes, occurrences=occurrences, level=level
    )


def activity_price(
    *,
    activity: Activity,
    on_date: datetime.date,
    minutes: int | None = None,
    occurrences: int = 1,
    level: Any = None,
) -> Decimal | None:
    """Price of ``occurrences`` times the activity (default once) on ``on_date``.

    round2(K × minutes × occurrences / 60), divided by the group size for a group activity
    before the rounding. ``None`` if no published model is in force or it lacks the level."""
    quote = activity_quote(
        activity=activity, on_date=on_date, minutes=minutes, occurrences=occurrences, level=level
    )
    return quote.price if quote else None


def activity_price_per_week(
    *,
    activity: Activity,
    on_date: datetime.date,
    occurrences_per_week: int,
    minutes: int | None = None,
    level: Any = None,
) -> Decimal | None:
    """Price per week at ``occurrences_per_week`` (the package's line cost for this activity)."""
    return activity_price(
        activity=activity, on_date=on_date, minutes=minutes, occurrences=occurrences_per_week, level=level
    )


# Lists ------------------------------------------------------------------------------------


STATUS_ACTIVE = "active"
STATUS_INACTIVE = "inactive"
STATUS_ALL = "all"


def _status_filter(queryset: QuerySet, status: str, on_date: datetime.date) -> QuerySet:
    if status == STATUS_ACTIVE:
        return queryset.filter(active_on_q(on_date))
    if status == STATUS_INACTIVE:
        return queryset.exclude(active_on_q(on_date))
    return queryset


def activities_for(
    *,
    organisation: Any,
    on_date: datetime.date,
    status: str = STATUS_ACTIVE,
    category: str | None = None,
    search: str | None = None,
) -> QuerySet[Activity]:
    queryset = Activity.objects.for_organisation(organisation).select_related("default_level")
    queryset = _status_filter(queryset, status, on_date)
    if category:
        queryset = queryset.filter(category=category)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(code__icontains=search) | Q(description__icontains=search)
        )
    return queryset.order_by("category", "code")


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    quote: ActivityQuote | None  # on the date asked
    compare: ActivityQuote | None  # on the comparison date (another model), if any

    @property
    def price(self) -> Decimal | None:
        return self.quote.price if self.quote else None

    @property
    def compare_price(self) -> Decimal | None:
        return self.compare.price if self.compare else None

    @property
    def changed(self) -> bool:
        return self.compare_price is not None and self.compare_price != self.price


@dataclass(frozen=True)
class PriceComparison:
    """Which two models the catalogue shows side by side."""

    on_date: datetime.date
    card: Any
    compare_date: datetime.date | None
    compare_card: Any
    compare_is_future: bool


def price_comparison(*, organisation: Any, on_date: datetime.date) -> PriceComparison:
    """The model in force on ``on_date`` and, to compare, the next published model (from its
    effective date) or else the one before it (the day before the current one took effect)."""
    card = rate_card(organisation=organisation, on_date=on_date)
    compare_date, future = model_change_near(organisation=organisation, on_date=on_date)
    compare_card = rate_card(organisation=organisation, on_date=compare_date) if compare_date else None
    if compare_card is not None and card is not None and compare_card.model.pk == card.model.pk:
        compare_card, compare_date = None, None
    return PriceComparison(
        on_date=on_date,
        card=card,
        compare_date=compare_date if compare_card else None,
        compare_card=compare_card,
        compare_is_future=future,
    )


def published_model_dates(*, organisation: Any) -> list[datetime.date]:
    """Effective dates of the organisation's published cost-price models."""
    from costing.models import CostPriceModel

    return list(
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.PUBLISHED)
        .values_list("effective_from", flat=True)
    )


def model_change_near(*, organisation: Any, on_date: datetime.date) -> tuple[datetime.date | None, bool]:
    """(date, is_future): the effective date of the next published model after ``on_date``, or
    the last day of the model before the one in force. (None, False) if there is neither."""
    dates = sorted(set(published_model_dates(organisation=organisation)))
    later = [d for d in dates if d > on_date]
    if later:
        return later[0], True
    current = [d for d in dates if d <= on_date]
    if len(current) >= 2:
        return current[-1] - datetime.timedelta(days=1), False
    return None, False


def activity_rows(
    *, activities: Iterable[Activity], comparison: PriceComparison, occurrences: int = 1
) -> list[ActivityRow]:
    """Rows with the price on the date asked and on the comparison date. Two rate-card look-ups
    for the whole list, not one per activity."""
    rows = []
    for activity in activities:
        quote = quote_with_card(
            activity=activity, card=comparison.card, on_date=comparison.on_date, occurrences=occurrences
        )
        compare = None
        if comparison.compare_card is not None and comparison.compare_date is not None:
            compare = quote_with_card(
                activity=activity,
                card=comparison.compare_card,
                on_date=comparison.compare_date,
                occurrences=occurrences,
            )
        rows.append(ActivityRow(activity=activity, quote=quote, compare=compare))
    return rows


# Add-on catalogue -------------------------------------------------------------------------


def addon_price(*, item: AddOnItem, on_date: datetime.date) -> AddOnPrice | None:
    """The price row of ``item`` in force on ``on_date`` (price incl. VAT, VAT rate), or None."""
    return (
        AddOnPrice.objects.for_organisation(item.organisation_id)
        .filter(item=item, valid_from__lte=on_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on_date))
        .order_by("-valid_from")
        .first()
    )


def addon_price_history(*, item: AddOnItem) -> QuerySet[AddOnPrice]:
    """Every price of the item, newest first."""
    return AddOnPrice.objects.for_organisation(item.organisation_id).filter(item=item).order_by("-valid_from")


def _price_subquery(organisation: Any, on_date: datetime.date, field: str) -> Subquery:
    prices = (
        AddOnPrice.objects.for_organisation(organisation)
        .filter(item=OuterRef("pk"), valid_from__lte=on_date)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on_date))
        .order_by("-valid_from")
    )
    return Subquery(prices.values(field)[:1])


def _next_price_subquery(organisation: Any, on_date: datetime.date, field: str) -> Subquery:
    prices = (
        AddOnPrice.objects.for_organisation(organisation)
        .filter(item=OuterRef("pk"), valid_from__gt=on_date)
        .order_by("valid_from")
    )
    return Subquery(prices.values(field)[:1])


def addon_items_for(
    *,
    organisation: Any,
    on_date: datetime.date,
    status: str = STATUS_ACTIVE,
    category: str | None = None,
    search: str | None = None,
) -> QuerySet[AddOnItem]:
    """Add-on items annotated (in SQL) with the price in force on ``on_date``
    (``current_price``, ``current_vat_rate``) and the next announced price, if any
    (``next_price``, ``next_vat_rate``, ``next_from``)."""
    queryset = AddOnItem.objects.for_organisation(organisation)
    queryset = _status_filter(queryset, status, on_date)
    if category:
        queryset = queryset.filter(category=category)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return annotate_prices(queryset, organisation=organisation, on_date=on_date).order_by("category", "name")


def annotate_prices(queryset: QuerySet[AddOnItem], *, organisation: Any, on_date: datetime.date) -> QuerySet:
    """Adds, in SQL, the price in force on ``on_date`` (``current_price``, ``current_vat_rate``,
    ``current_from``) and the next announced price (``next_price``, ``next_vat_rate``,
    ``next_from``) to every item."""
    return queryset.annotate(
        current_price=_price_subquery(organisation, on_date, "price_incl_vat"),
        current_vat_rate=_price_subquery(organisation, on_date, "vat_rate"),
        current_from=_price_subquery(organisation, on_date, "valid_from"),
        next_price=_next_price_subquery(organisation, on_date, "price_incl_vat"),
        next_vat_rate=_next_price_subquery(organisation, on_date, "vat_rate"),
        next_from=_next_price_subquery(organisation, on_date, "valid_from"),
    )


# Exports (XLSX, the layout the imports read) ---------------------------------------------


def activities_export(*, organisation: Any, on_date: datetime.date) -> bytes:
    """Every activity (active or not) with its price per occurrence on ``on_date``."""
    from .spreadsheets import ACTIVITY_COLUMNS, ACTIVITY_EXPORT_EXTRA, workbook_bytes

    activities = activities_for(organisation=organisation, on_date=on_date, status=STATUS_ALL)
    comparison = price_comparison(organisation=organisation, on_date=on_date)
    labels = dict(ActivityCategory.choices)
    rows = []
    for row in activity_rows(activities=activities, comparison=comparison):
        a = row.activity
        rows.append(
            [
                a.code,
                a.name,
                a.description,
                str(labels[a.category]),
                a.default_minutes,
                a.default_level.code,
                "ja" if a.wlz_eligible else "nee",
                "ja" if a.is_group else "nee",
                a.group_size,
                a.active_from,
                a.active_until,
                row.price,
                str(row.quote.model) if row.quote else "",
                row.quote.rate if row.quote else None,
            ]
        )
    headers = [label for label, _field in ACTIVITY_COLUMNS] + ACTIVITY_EXPORT_EXTRA
    return workbook_bytes(title="Activiteiten", headers=headers, rows=rows)


def addons_export(*, organisation: Any, on_date: datetime.date) -> bytes:
    """Every add-on item with the price in force on ``on_date`` (and the date it started)."""
    from .formulas import excl_vat
    from .spreadsheets import ADDON_COLUMNS, ADDON_EXPORT_EXTRA, workbook_bytes

    items = addon_items_for(organisation=organisation, on_date=on_date, status=STATUS_ALL)
    categories = dict(AddOnCategory.choices)
    units = dict(AddOnUnit.choices)
    rows = []
    item: Any
    for item in items:
        # An item whose first price lies ahead is exported with that price and its date.
        if item.current_price is not None:
            price, vat_rate, valid_from = item.current_price, item.current_vat_rate, item.current_from
        else:
            price, vat_rate, valid_from = item.next_price, item.next_vat_rate, item.next_from
        rows.append(
            [
                item.name,
                item.description,
                str(categories[item.category]),
                str(units[item.unit]),
                price,
                vat_rate,
                valid_from,
                item.active_from,
                item.active_until,
                excl_vat(price, vat_rate) if price is not None else None,
            ]
        )
    headers = [label for label, _field in ADDON_COLUMNS] + ADDON_EXPORT_EXTRA
    return workbook_bytes(title="Bijkoop", headers=headers, rows=rows)


def category_choices(kind: str) -> list[tuple[str, Any]]:
    return list((ActivityCategory if kind == "activity" else AddOnCategory).choices)
