"""Reads of the conversations app: packages in force, pricing of a package, diffs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from catalog.selectors import addon_price, quote_with_card
from costing.selectors import (
    Budget,
    BudgetLookups,
    budget_for_client,
    budgets_for_clients,
    year_settings,
)

from . import formulas
from .models import Conversation, Package, PackageLine

DEFAULT_TOLERANCE = Decimal("5")


def packages_in_force(*, organisation: Any, on_date: datetime.date) -> QuerySet[Package]:
    """Agreed packages (agreed or since superseded) that run on ``on_date``."""
    return (
        Package.objects.for_organisation(organisation)
        .filter(status__in=[Package.Status.AGREED, Package.Status.SUPERSEDED], start_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
    )


def package_in_force(*, client: Any, on_date: datetime.date) -> Package | None:
    """The agreed package of ``client`` that runs on ``on_date``."""
    return (
        packages_in_force(organisation=client.organisation_id, on_date=on_date)
        .filter(client=client)
        .order_by("-start_date")
        .first()
    )


def current_agreed(*, client: Any) -> Package | None:
    """The latest agreed package (the one a new draft starts from)."""
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client, status=Package.Status.AGREED)
        .order_by("-start_date", "-version")
        .first()
    )


def open_package(*, client: Any) -> Package | None:
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client, status__in=Package.OPEN_STATUSES)
        .first()
    )


def packages_of(*, client: Any) -> QuerySet[Package]:
    return (
        Package.objects.for_organisation(client.organisation_id)
        .filter(client=client)
        .select_related("agreed_by", "approved_by", "submitted_by", "conversation")
        .order_by("-version")
    )


def conversations_of(*, client: Any) -> QuerySet[Conversation]:
    return Conversation.objects.for_organisation(client.organisation_id).filter(client=client)


def lines_of(*, package: Package) -> list[PackageLine]:
    return list(
        PackageLine.objects.for_organisation(package.organisation_id)
        .filter(package=package)
        .select_related("activity", "activity__default_level", "addon_item", "staff_level")
        .order_by("position", "pk")
    )


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


def tolerance_for(*, organisation: Any, on_date: datetime.date) -> Decimal:
    return _tolerance(year_settings(organisation=organisation, year=on_date.year))


def _tolerance(settings: Any) -> Decimal:
    if settings is None or settings.overrun_tolerance_pct is None:
        return DEFAULT_TOLERANCE
    return settings.overrun_tolerance_pct


@dataclass
class PricingInputs:
    """What ``price_package`` would otherwise look up per package (``price_packages`` loads
    them for a whole page at once): the rate card, the tolerance and the add-on prices."""

    card: Any
    tolerance: Decimal
    addon_prices: dict[int, Any]  # add-on item id -> its AddOnPrice on the package's date (or None)


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
    frozen = not package.is_editable and all(
        line.cost_per_week is not None or line.monthly_cost is not None for line in lines
    )
    # One set of lookups for the budget, the rate card and the tolerance: the rate card and the
    # year settings are read once per pricing, not twice (issue 16).
    lookups = BudgetLookups(on_date=on_date)  # not used (no query) when ``inputs`` are given
    if budget is None and not (frozen and package.personal_budget is not None):
        budget = budget_for_client(client=package.client, on_date=on_date, lookups=lookups)
    card: Any = None
    if not frozen:
        card = inputs.card if inputs else lookups.card(package.organisation_id)
    priced: list[PricedLine] = []
    problems: list[str] = []
    for line in lines:
        if frozen:
            priced.append(PricedLine(line, line.rate, line.cost_per_week, line.monthly_cost))
            continue
        priced.append(_price_line(line, card, on_date, inputs.addon_prices if inputs else None))
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
    line: PackageLine, card: Any, on_date: datetime.date, addon_prices: dict[int, Any] | None = None
) -> PricedLine:
    from django.utils.translation import gettext as _

    if line.addon_item_id is not None:
        if addon_prices is not None and line.addon_item_id in addon_prices:
            price = addon_prices[line.addon_item_id]
        else:
            price = addon_price(item=line.addon_item, on_date=on_date)
        if price is None:
            return PricedLine(
                line,
                None,
                None,
                None,
                _("%(item)s heeft geen prijs op %(date)s.")
                % {"item": line.addon_item, "date": on_date.strftime("%d-%m-%Y")},
            )
        return PricedLine(line, None, None, formulas.round2(price.price_incl_vat * line.quantity_per_month))
    quote = quote_with_card(
        activity=line.activity,
        card=card,
        on_date=on_date,
        minutes=line.minutes,
        occurrences=line.occurrences_per_week,
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


def _is_frozen(package: Package, lines: list[PackageLine]) -> bool:
    return not package.is_editable and all(
        line.cost_per_week is not None or line.monthly_cost is not None for line in lines
    )


def price_packages(*, packages: list[Package], organisation: Any) -> dict[int, PackagePricing]:
    """``price_package`` for a page of packages of one organisation (lines prefetched as
    ``lines``, clients with their department) in a constant number of queries: the budgets,
    rate cards and year settings of every package come from one preloaded batch
    (``costing.batch``), the add-on prices from one query."""
    from catalog.models import AddOnPrice
    from costing.batch import BudgetInputs, organisation_scope

    lines = {package.pk: list(package.lines.all()) for package in packages}
    live = [package for package in packages if not _is_frozen(package, lines[package.pk])]
    needs_inputs = [
        package
        for package in packages
        if package in live or package.personal_budget is None or package.tolerance_pct is None
    ]
    inputs = BudgetInputs(
        clients=[package.client for package in needs_inputs],
        dates=[package.start_date for package in needs_inputs],
        scope=organisation_scope(organisation),
    )
    item_ids = {line.addon_item_id for package in live for line in lines[package.pk] if line.addon_item_id}
    prices: dict[int, list[Any]] = {}
    if item_ids:
        last = max(package.start_date for package in live)
        for price in (
            AddOnPrice.objects.for_organisation(organisation)
            .filter(item_id__in=item_ids, valid_from__lte=last)
            .order_by("item_id", "-valid_from")
        ):
            prices.setdefault(price.item_id, []).append(price)
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
        addon_prices = {
            item_id: next(
                (
                    p
                    for p in prices.get(item_id, ())
                    if p.valid_from <= on_date and (p.valid_until is None or p.valid_until > on_date)
                ),
                None,
            )
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


@dataclass(frozen=True)
class LineChange:
    kind: str  # added / removed / changed
    label: str
    before: str = ""
    after: str = ""


def _line_key(line: PackageLine) -> tuple[str, int]:
    return ("activity", line.activity_id) if line.activity_id else ("addon", line.addon_item_id or 0)


def _line_label(line: PackageLine) -> str:
    return line.activity.name if line.activity_id else line.addon_item.name


def _line_summary(line: PackageLine) -> str:
    if line.is_addon:
        return f"{line.quantity_per_month} × / maand"
    funding = line.get_funding_display()
    return f"{line.minutes} min × {line.occurrences_per_week}/wk, {line.staff_level}, {funding}"


def package_diff(*, old: Package | None, new: Package) -> list[LineChange]:
    """What changed between two versions, line by line (matched on activity / add-on item)."""
    old_lines = {_line_key(line): line for line in lines_of(package=old)} if old else {}
    new_lines = {_line_key(line): line for line in lines_of(package=new)}
    changes: list[LineChange] = []
    for key, line in new_lines.items():
        previous = old_lines.get(key)
        if previous is None:
            changes.append(LineChange("added", _line_label(line), after=_line_summary(line)))
        elif _line_summary(previous) != _line_summary(line):
            changes.append(
                LineChange("changed", _line_label(line), _line_summary(previous), _line_summary(line))
            )
    for key, line in old_lines.items():
        if key not in new_lines:
            changes.append(LineChange("removed", _line_label(line), before=_line_summary(line)))
    return changes


def previous_version(*, package: Package) -> Package | None:
    return (
        Package.objects.for_organisation(package.organisation_id)
        .filter(
            client_id=package.client_id,
            version__lt=package.version,
            status__in=[Package.Status.AGREED, Package.Status.SUPERSEDED],
        )
        .order_by("-version")
        .first()
    )


@dataclass
class DepartmentRow:
    client: Any
    budget: Decimal | None
    total: Decimal | None
    utilisation_pct: Decimal | None
    review_date: datetime.date | None
    review_due: bool
    overrun: bool
    pending: bool


def department_rows(*, clients: QuerySet, department: Any, on_date: datetime.date) -> list[DepartmentRow]:
    """One row per client: the budget on ``on_date``, the package in force, utilisation and
    review. Budgets share one rate card, year settings and group share (costing's batch)."""
    clients = list(clients.select_related("organisation", "department").order_by("family_name", "given_name"))
    budgets = budgets_for_clients(clients=clients, on_date=on_date)
    in_force: dict[int, Package] = {}
    packages = (
        packages_in_force(organisation=department.organisation_id, on_date=on_date)
        .filter(client__in=clients)
        .order_by("client_id", "-start_date")
    )
    for package in packages:
        in_force.setdefault(package.client_id, package)
    pending = set(
        Package.objects.for_organisation(department.organisation_id)
        .filter(client__in=clients, status=Package.Status.PENDING_APPROVAL)
        .values_list("client_id", flat=True)
    )
    rows = []
    for client in clients:
        budget = budgets.get(client.pk)
        amount = budget.personal_budget if budget is not None else None
        package = in_force.get(client.pk)
        total = package.total if package else None
        utilisation = formulas.round2(total / amount * 100) if total is not None and amount else None
        review = package.review_date if package else None
        rows.append(
            DepartmentRow(
                client=client,
                budget=amount,
                total=total,
                utilisation_pct=utilisation,
                review_date=review,
                review_due=review is not None and review <= on_date,
                overrun=total is not None and amount is not None and total > amount,
                pending=client.pk in pending,
            )
        )
    return rows
