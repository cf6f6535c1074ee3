"""The composer's pricing in one round trip (issue 16): the package's lines and every input of
its budget and prices (the indication in force, its tariff, the year settings, the rate card in
force, the department's group-bound care, the add-on prices) and, for the level choice, the
organisation's staff levels, read by ``ipvb.db_batch.fetch_together`` as one statement instead
of nine. The figures are those of ``price_package`` with its own lookups: the same querysets
(the selectors' own) feed the same ``budget_for_client`` and ``price_package``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Subquery

from costing.budget import BudgetLookups, budget_for_client
from costing.selectors import RateCard, _in_force, _levels, _rates, group_care_of, group_share_from_rows
from ipvb.db_batch import BatchTemplate

from .models import Package, PackageLine
from .pricing import PackagePricing, PricingInputs, _tolerance, is_frozen, pick_addon_prices, price_package
from .selectors import package_lines

if TYPE_CHECKING:
    from costing.models import StaffLevel


@dataclass
class ComposerData:
    lines: list[PackageLine]
    pricing: PackagePricing
    staff_levels: list[StaffLevel]
    activity_choices: list[tuple[int, str]] = field(default_factory=list)
    addon_choices: list[tuple[int, str]] = field(default_factory=list)


def _querysets(
    shape: tuple[bool, bool, bool],
    *,
    organisation: int,
    package: int,
    client: int,
    on_date: datetime.date,
    year: int,
    department: int = 0,
) -> list[Any]:
    """The composer's querysets (the selectors' own, by id): the lines, the indication in
    force, its tariff, the year settings, the model in force, the rate card's levels, the
    add-on prices, and by ``shape`` (has a department, wants the staff levels) the
    department's group-bound care, the staff levels and the add forms' options."""
    from catalog.models import AddOnPrice
    from clients.selectors import indication_in_force_of
    from costing.models import OrganisationYearSettings, StaffLevel, Tariff

    from .forms import activity_choice_rows, addon_choice_rows

    with_department, staff_levels, add_form_options = shape
    lines = package_lines(organisation=organisation, package=package)
    indication = indication_in_force_of(organisation=organisation, client=client, on_date=on_date)[:1]
    tariff = (
        Tariff.objects.filter(
            year=year,
            care_profile=Subquery(indication.values("care_profile")),
            with_treatment=Subquery(indication.values("with_treatment")),
            with_day_activities=Subquery(indication.values("with_day_activities")),
        )
        .select_related("source_import")
        .order_by("pk")[:1]
    )
    settings = (
        OrganisationYearSettings.objects.for_organisation(organisation)
        .filter(year=year)
        .select_related("reference_level")
        .order_by("pk")[:1]
    )
    in_force = _in_force(organisation, on_date)
    levels = _levels(organisation).filter(model=Subquery(in_force.values("pk")[:1])).select_related("model")
    addon_items = (
        PackageLine.objects.for_organisation(organisation)
        .filter(package_id=package, addon_item__isnull=False)
        .values("addon_item_id")
    )
    prices = (
        AddOnPrice.objects.for_organisation(organisation)
        .filter(item_id__in=addon_items, valid_from__lte=on_date)
        .order_by("item_id", "-valid_from")
    )
    querysets: list[Any] = [lines, indication, tariff, settings, in_force[:1], levels, prices]
    if with_department:
        querysets.append(group_care_of(organisation=organisation, department=department, year=year))
    if staff_levels:
        querysets.append(StaffLevel.objects.for_organisation(organisation).order_by("order", "name"))
    if add_form_options:
        querysets += [activity_choice_rows(organisation, on_date), addon_choice_rows(organisation, on_date)]
    return querysets


# Built and compiled once per process and shape; each call sends only its values.
_COMPOSER = BatchTemplate(_querysets)


def composer_data(*, package: Package, staff_levels: bool, add_form_options: bool = False) -> ComposerData:
    """The lines, their pricing, (with ``staff_levels``) the staff levels and (with
    ``add_form_options``) the add forms' activities and add-on items of ``package`` (its client
    and department loaded with it), in one query."""
    from .forms import activity_labels

    organisation = package.organisation_id
    on_date = package.start_date
    year = on_date.year
    client = package.client
    department = getattr(client, "department", None)
    values: dict[str, Any] = {
        "organisation": organisation,
        "package": package.pk,
        "client": client.pk,
        "on_date": on_date,
        "year": year,
    }
    if department is not None:
        values["department"] = department.pk
    results = iter(_COMPOSER.fetch((department is not None, staff_levels, add_form_options), **values))
    lines, indications, tariffs, settings_rows, models, level_rows, prices = (next(results) for _ in range(7))
    group_rows = next(results) if department is not None else []
    levels = next(results) if staff_levels else []
    options = (activity_labels(next(results)), list(next(results))) if add_form_options else ([], [])
    for line in lines:
        line.package = package  # as lines_of's callers expect: the package is the one priced

    if is_frozen(package, lines):  # an agreed version: its own frozen figures, no inputs needed
        return ComposerData(lines, price_package(package=package, lines=lines), levels, *options)
    indication = indications[0] if indications else None
    settings = settings_rows[0] if settings_rows else None
    card = None
    if level_rows:
        card = RateCard(model=level_rows[0].model, levels=_rates(level_rows, level_rows[0].model))
    elif models:
        card = RateCard(model=models[0], levels={})
    lookups = BudgetLookups(on_date=on_date, indications={client.pk: indication})
    lookups.preload(("settings", organisation, year), settings)
    lookups.preload(("card", organisation), card)
    if indication is not None:
        key = (
            "tariff",
            year,
            indication.care_profile,
            indication.with_treatment,
            indication.with_day_activities,
        )
        lookups.preload(key, tariffs[0] if tariffs else None)
    if department is not None and card is not None:
        lookups.preload(
            ("group", department.pk, year),
            group_share_from_rows(department=department, year=year, card=card, rows=group_rows),
        )
    budget = budget_for_client(client=client, on_date=on_date, lookups=lookups)
    item_ids = {line.addon_item_id for line in lines if line.addon_item_id}
    inputs = PricingInputs(
        card=card,
        tolerance=_tolerance(settings),
        addon_prices=pick_addon_prices(prices, item_ids=item_ids, dates=[on_date])[on_date],
    )
    return ComposerData(
        lines, price_package(package=package, lines=lines, budget=budget, inputs=inputs), levels, *options
    )
