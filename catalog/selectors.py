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
from typing import TYPE_CHECKING

from django.db.models import OuterRef, Q, QuerySet, Subquery

from costing.selectors import rate_card

from .formulas import activity_cost
from .models import Activity, AddOnItem, AddOnPrice, active_on_q, price_in_force_q

if TYPE_CHECKING:
    from costing.models import CostPriceModel, StaffLevel
    from costing.selectors import RateCard
    from ipvb.models import Organisation


@dataclass(frozen=True)
class ActivityQuote:
    """A derived price and where it came from."""

    price: Decimal  # for `occurrences` times, per participant
    rate: Decimal  # integral hourly rate K of the level
    level: StaffLevel
    model: CostPriceModel  # in force on `on_date`
    minutes: int
    occurrences: int
    group_size: int
    on_date: datetime.date


def quote_with_card(
    *,
    activity: Activity,
    card: RateCard | None,
    on_date: datetime.date,
    minutes: int | None = None,
    occurrences: int = 1,
    level: StaffLevel | None = None,
) -> ActivityQuote | None:
    """``activity_quote`` with a rate card already looked up (lists price many activities)."""
    level = level if level is not None else activity.default_level
    rate = card.rate(level) if card is not None else None
    if card is None or rate is None:
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
    level: StaffLevel | None = None,
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
    level: StaffLevel | None = None,
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
    level: StaffLevel | None = None,
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
    organisation: Organisation,
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
    card: RateCard | None
    compare_date: datetime.date | None
    compare_card: RateCard | None
    compare_is_future: bool


def price_comparison(*, organisation: Organisation, on_date: datetime.date) -> PriceComparison:
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


def published_model_dates(*, organisation: Organisation) -> list[datetime.date]:
    """Effective dates of the organisation's published cost-price models."""
    from costing.models import CostPriceModel

    return list(
        CostPriceModel.objects.for_organisation(organisation)
        .filter(status=CostPriceModel.Status.PUBLISHED)
        .values_list("effective_from", flat=True)
    )


def model_change_near(
    *, organisation: Organisation, on_date: datetime.date
) -> tuple[datetime.date | None, bool]:
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
        .filter(price_in_force_q(on_date), item=item)
        .order_by("-valid_from")
        .first()
    )


def addon_price_history(*, item: AddOnItem) -> QuerySet[AddOnPrice]:
    """Every price of the item, newest first."""
    return AddOnPrice.objects.for_organisation(item.organisation_id).filter(item=item).order_by("-valid_from")


def _price_subquery(
    organisation: Organisation, on_date: datetime.date, field: str, *, upcoming: bool
) -> Subquery:
    """``field`` of the item's price in force on ``on_date``, or of its next announced price
    (``upcoming``), for every row in one query."""
    prices = AddOnPrice.objects.for_organisation(organisation).filter(item=OuterRef("pk"))
    if upcoming:
        prices = prices.filter(valid_from__gt=on_date).order_by("valid_from")
    else:
        prices = prices.filter(price_in_force_q(on_date)).order_by("-valid_from")
    return Subquery(prices.values(field)[:1])


def addon_items_for(
    *,
    organisation: Organisation,
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


def annotate_prices(
    queryset: QuerySet[AddOnItem], *, organisation: Organisation, on_date: datetime.date
) -> QuerySet:
    """Adds, in SQL, the price in force on ``on_date`` (``current_price``, ``current_vat_rate``,
    ``current_from``) and the next announced price (``next_price``, ``next_vat_rate``,
    ``next_from``) to every item."""
    return queryset.annotate(
        current_price=_price_subquery(organisation, on_date, "price_incl_vat", upcoming=False),
        current_vat_rate=_price_subquery(organisation, on_date, "vat_rate", upcoming=False),
        current_from=_price_subquery(organisation, on_date, "valid_from", upcoming=False),
        next_price=_price_subquery(organisation, on_date, "price_incl_vat", upcoming=True),
        next_vat_rate=_price_subquery(organisation, on_date, "vat_rate", upcoming=True),
        next_from=_price_subquery(organisation, on_date, "valid_from", upcoming=True),
    )
