"""Pricing of a package: every line priced through the catalogue and the rate card in force on
the package's start date, the totals against the client's budget, and the latitude (within
budget, within the tolerance, beyond it). Agreed packages keep the prices frozen on them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from catalog.selectors import addon_price, quote_with_card
from costing.budget import Budget, BudgetLookups, budget_for_client
from costing.selectors import year_settings

from . import formulas
from .models import Package, PackageLine
from .selectors import lines_of

if TYPE_CHECKING:
    from catalog.models import Activity, AddOnItem, AddOnPrice
    from costing.models import OrganisationYearSettings
    from costing.selectors import RateCard
    from ipvb.models import Organisation

DEFAULT_TOLERANCE = Decimal("5")


@dataclass
class PricedLine:
    line: PackageLine
    rate: Decimal | None
    cost_per_week: Decimal | None  # budget lines and private activity lines
    monthly_cost: Decimal | None  # private lines
    problem: str = ""

    @property
    def is_budget(self) -> bool:
        return self.line.funding == PackageLine.Funding.BUDGET


@dataclass
class PackagePricing:
    package: Package
    on_date: datetime.date
    budget: Budget | None
    lines: list[PricedLine]
    totals: formulas.Totals
    tolerance_pct: Decimal
    problems: list[str] = field(default_factory=list)

    @property
    def latitude(self) -> formulas.Latitude:
        return formulas.latitude(
            total=self.totals.total, budget=self.totals.budget, tolerance_pct=self.tolerance_pct
        )

    @property
    def tolerance_limit(self) -> Decimal:
        return formulas.round2(self.totals.budget * (1 + self.tolerance_pct / 100))

    @property
    def meter_state(self) -> str:
        state = self.latitude
        if state is formulas.Latitude.WITHIN_BUDGET:
            return "ok"
        return "warn" if state is formulas.Latitude.WITHIN_TOLERANCE else "bad"

    @property
    def meter_width(self) -> int:
        pct = self.totals.utilisation_pct
        return 0 if pct is None else int(min(pct, Decimal(100)))


def tolerance_for(*, organisation: Organisation | int, on_date: datetime.date) -> Decimal:
    return _tolerance(year_settings(organisation=organisation, year=on_date.year))


def _tolerance(settings: OrganisationYearSettings | None) -> Decimal:
    if settings is None or settings.overrun_tolerance_pct is None:
        return DEFAULT_TOLERANCE
    return settings.overrun_tolerance_pct


@dataclass
class PricingInputs:
    """What ``price_package`` would otherwise look up per package (``price_packages`` loads
    them for a whole page at once): the rate card, the tolerance and the add-on prices."""

    card: RateCard | None
    tolerance: Decimal
    addon_prices: dict[
        int, AddOnPrice | None
    ]  # add-on item id -> its AddOnPrice on the package's date (or None)


def price_package(
    *,
    package: Package,
    lines: list[PackageLine] | None = None,
    budget: Budget | None = None,
    inputs: PricingInputs | None = None,
) -> PackagePricing:
    """Prices every line at the package's start date. Agreed packages use the snapshot taken
    when they were agreed, so history never changes when prices do."""
    on_date = package.start_date
    lines = lines_of(package=package) if lines is None else lines
    frozen = is_frozen(package, lines)
    # One set of lookups for the budget, the rate card and the tolerance: the rate card and the
    # year settings are read once per pricing, not twice (issue 16).
    lookups = BudgetLookups(on_date=on_date)  # not used (no query) when ``inputs`` are given
    if budget is None and not (frozen and package.personal_budget is not None):
        budget = budget_for_client(client=package.client, on_date=on_date, lookups=lookups)
    card: RateCard | None = None
    addon_prices = inputs.addon_prices if inputs else None
    if not frozen:
        card = inputs.card if inputs else lookups.card(package.organisation_id)
        if addon_prices is None:  # every add-on line's price in one query, not one per line
            addon_prices = addon_prices_on(
                organisation=package.organisation_id,
                item_ids={line.addon_item_id for line in lines if line.addon_item_id},
                dates=[on_date],
            )[on_date]
    priced: list[PricedLine] = []
    problems: list[str] = []
    for line in lines:
        if frozen:
            priced.append(PricedLine(line, line.rate, line.cost_per_week, line.monthly_cost))
            continue
        priced.append(_price_line(line, card, on_date, addon_prices))
        if priced[-1].problem:
            problems.append(priced[-1].problem)
    if frozen and package.personal_budget is not None:
        personal_budget = package.personal_budget
    else:
        personal_budget = (
            budget.personal_budget if budget and budget.personal_budget is not None else Decimal("0.00")
        )
    totals = formulas.package_totals(
        budget=personal_budget,
        budget_line_costs=[p.cost_per_week for p in priced if p.is_budget and p.cost_per_week is not None],
        budget_line_minutes=[p.line.minutes_per_week for p in priced if p.is_budget],
        private_monthly_costs=[p.monthly_cost for p in priced if p.monthly_cost is not None],
    )
    tolerance = (
        package.tolerance_pct
        if frozen and package.tolerance_pct is not None
        else (
            inputs.tolerance
            if inputs
            else _tolerance(lookups.settings(package.organisation_id, on_date.year))
        )
    )
    return PackagePricing(
        package=package,
        on_date=on_date,
        budget=budget,
        lines=priced,
        totals=totals,
        tolerance_pct=tolerance,
        problems=problems,
    )


def _price_line(
    line: PackageLine,
    card: RateCard | None,
    on_date: datetime.date,
    addon_prices: dict[int, AddOnPrice | None] | None = None,
) -> PricedLine:
    from django.utils.translation import gettext as _

    if line.addon_item_id is not None:
        if addon_prices is not None and line.addon_item_id in addon_prices:
            price = addon_prices[line.addon_item_id]
        else:
            # An add-on line has its item (constraint package_line_activity_or_addon).
            price = addon_price(item=cast("AddOnItem", line.addon_item), on_date=on_date)
        if price is None:
            return PricedLine(
                line,
                None,
                None,
                None,
                _("%(item)s heeft geen prijs op %(date)s.")
                % {"item": line.addon_item, "date": on_date.strftime("%d-%m-%Y")},
            )
        return PricedLine(
            line, None, None, formulas.round2(price.price_incl_vat * cast(Decimal, line.quantity_per_month))
        )
    # An activity line has its activity, minutes and occurrences (package_line_activity_or_addon).
    quote = quote_with_card(
        activity=cast("Activity", line.activity),
        card=card,
        on_date=on_date,
        minutes=line.minutes,
        occurrences=cast(int, line.occurrences_per_week),
        level=line.staff_level,
    )
    if quote is None:
        return PricedLine(
            line,
            None,
            None,
            None,
            _(
                "Voor %(activity)s is geen tarief op %(date)s: het kostprijsmodel in kracht "
                "kent dit niveau niet of er is geen gepubliceerd model."
            )
            % {"activity": line.activity, "date": on_date.strftime("%d-%m-%Y")},
        )
    monthly = None if line.funding == PackageLine.Funding.BUDGET else formulas.weekly_to_monthly(quote.price)
    return PricedLine(line, quote.rate, quote.price, monthly)


def needs_budget_inputs(package: Package, *, frozen: bool) -> bool:
    """Whether pricing reads the budget's inputs (client, rate card, year settings): priced
    live, or frozen without a stored budget or tolerance."""
    return not frozen or package.personal_budget is None or package.tolerance_pct is None


def is_frozen(package: Package, lines: list[PackageLine]) -> bool:
    """Priced from the snapshot taken at agreement: not editable, and every line has its
    frozen price."""
    return not package.is_editable and all(
        line.cost_per_week is not None or line.monthly_cost is not None for line in lines
    )


def addon_prices_on(
    *, organisation: Organisation | int, item_ids: set[int], dates: list[datetime.date]
) -> dict[datetime.date, dict[int, AddOnPrice | None]]:
    """The price in force of every add-on item of ``item_ids`` on each of ``dates`` (None when
    it has none), in one query (none without items): the latest ``valid_from`` on or before
    the date whose ``valid_until`` is after it, as ``catalog.selectors.addon_price``."""
    from catalog.models import AddOnPrice

    if not item_ids or not dates:
        return {on_date: dict.fromkeys(item_ids) for on_date in dates}
    prices = (
        AddOnPrice.objects.for_organisation(organisation)
        .filter(item_id__in=item_ids, valid_from__lte=max(dates))
        .order_by("item_id", "-valid_from")
    )
    return pick_addon_prices(prices, item_ids=item_ids, dates=dates)


def pick_addon_prices(
    prices: Iterable[AddOnPrice], *, item_ids: set[int], dates: list[datetime.date]
) -> dict[datetime.date, dict[int, AddOnPrice | None]]:
    """From ``prices`` (by item, latest ``valid_from`` first) the one in force per item and date."""
    history: dict[int, list[AddOnPrice]] = {}
    for price in prices:
        history.setdefault(price.item_id, []).append(price)
    return {
        on_date: {
            item_id: next(
                (
                    p
                    for p in history.get(item_id, ())
                    if p.valid_from <= on_date and (p.valid_until is None or p.valid_until > on_date)
                ),
                None,
            )
            for item_id in item_ids
        }
        for on_date in dates
    }


def price_packages(*, packages: list[Package], organisation: Organisation | int) -> dict[int, PackagePricing]:
    """``price_package`` for a page of packages of one organisation (lines prefetched as
    ``lines``, clients with their department) in a constant number of queries: the budgets,
    rate cards and year settings of every package come from one preloaded batch
    (``costing.batch``), the add-on prices from one query."""
    from costing.batch import BudgetInputs, organisation_scope

    lines = {package.pk: list(package.lines.all()) for package in packages}
    live = [package for package in packages if not is_frozen(package, lines[package.pk])]
    needs_inputs = [
        package for package in packages if needs_budget_inputs(package, frozen=package not in live)
    ]
    inputs = BudgetInputs(
        clients=[package.client for package in needs_inputs],
        dates=[package.start_date for package in needs_inputs],
        scope=organisation_scope(organisation),
    )
    item_ids = {line.addon_item_id for package in live for line in lines[package.pk] if line.addon_item_id}
    prices = addon_prices_on(
        organisation=organisation, item_ids=item_ids, dates=[package.start_date for package in live]
    )
    result: dict[int, PackagePricing] = {}
    for package in packages:
        on_date = package.start_date
        frozen = package not in live
        budget = None
        settings = None
        card = None
        if package in needs_inputs:
            lookups = inputs.lookups(on_date)
            settings = lookups.settings(package.organisation_id, on_date.year)
            card = lookups.card(package.organisation_id)
            if not (frozen and package.personal_budget is not None):
                budget = budget_for_client(client=package.client, on_date=on_date, lookups=lookups)
        in_force = prices.get(on_date, {})
        addon_prices = {
            item_id: in_force.get(item_id)
            for item_id in {line.addon_item_id for line in lines[package.pk] if line.addon_item_id}
        }
        tolerance = (
            settings.overrun_tolerance_pct
            if settings is not None and settings.overrun_tolerance_pct is not None
            else DEFAULT_TOLERANCE
        )
        result[package.pk] = price_package(
            package=package,
            lines=lines[package.pk],
            budget=budget,
            inputs=PricingInputs(card=card, tolerance=tolerance, addon_prices=addon_prices),
        )
    return result
