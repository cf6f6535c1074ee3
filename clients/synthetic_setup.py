"""The organisation a synthetic run starts from (``clients.synthetic``): departments, staff
levels, published cost-price models with their year settings and group-bound care, and the
activity and add-on catalogues with prices."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from ipvb.models import Department, Organisation

CLIENTS_PER_DEPARTMENT = 24


def setup_organisation(org: Organisation, *, n_clients: int, rng: random.Random) -> dict[str, Any]:
    from catalog import demo as catalog_demo
    from catalog.models import Activity, AddOnItem, AddOnPrice
    from costing import demo as costing_demo
    from costing.models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, StaffLevel

    n_departments = max(2, -(-n_clients // CLIENTS_PER_DEPARTMENT))
    departments = Department.objects.bulk_create(
        [
            Department(
                organisation=org,
                name=f"Afdeling {k + 1:02d}",
                location_name=f"Locatie {k // 4 + 1}",
                kind=Department.Kind.WITHOUT_GROUP_CARE if k % 3 == 1 else Department.Kind.WITH_GROUP_CARE,
                places=rng.choice((16, 20, 24, 28)),
            )
            for k in range(n_departments)
        ]
    )
    levels = {
        level.code: level
        for level in StaffLevel.objects.bulk_create(
            [
                StaffLevel(organisation=org, code=c, name=name, order=order)
                for c, name, order in costing_demo.LEVELS
            ]
        )
    }
    models = []
    for year in (2025, 2026):
        models.append(
            CostPriceModel(
                organisation=org,
                year=year,
                version=1,
                status=CostPriceModel.Status.PUBLISHED,
                effective_from=datetime.date(year, 1, 1),
                change_note="Synthetisch model.",
                published_at=datetime.datetime(year - 1, 12, 15, 10, 0, tzinfo=datetime.UTC),
                **costing_demo.MODEL_INPUTS,
            )
        )
    CostPriceModel.objects.bulk_create(models)
    ModelLevel.objects.bulk_create(
        [
            ModelLevel(
                organisation=org,
                model=model,
                staff_level=levels[c],
                salary=(salary * costing_demo.SALARY_FACTOR[model.year]).quantize(Decimal("0.01")),
                holiday_pct=Decimal("8"),
                year_end_pct=Decimal("8.33"),
                irregular_pct=irregular,
                employer_charges_pct=Decimal("27"),
            )
            for model in models
            for c, (salary, irregular) in costing_demo.SALARIES_2026.items()
        ]
    )
    OrganisationYearSettings.objects.bulk_create(
        [
            OrganisationYearSettings(
                organisation=org, year=year, reference_level=levels["verzorgende-ig"], **values
            )
            for year, values in costing_demo.YEAR_SETTINGS.items()
        ]
    )
    GroupCare.objects.bulk_create(
        [
            GroupCare(
                organisation=org,
                department=department,
                year=year,
                staff_level=levels[c],
                hours_per_week=(hours * department.places / 16).quantize(Decimal("0.01")),
            )
            for department in departments
            if department.kind == Department.Kind.WITH_GROUP_CARE
            for year in (2025, 2026)
            for c, hours in (("verzorgende-ig", Decimal("98")), ("helpende", Decimal("63")))
        ]
    )
    activities = Activity.objects.bulk_create(
        [
            Activity(
                organisation=org,
                code=c,
                name=name,
                description=description,
                category=category,
                default_minutes=minutes,
                default_level=levels[level],
                wlz_eligible=wlz,
                is_group=group_size is not None,
                group_size=group_size,
                active_from=catalog_demo.START,
            )
            for c, name, description, category, minutes, level, wlz, group_size in catalog_demo.ACTIVITIES
        ]
    )
    items = AddOnItem.objects.bulk_create(
        [
            AddOnItem(
                organisation=org,
                name=name,
                description=description,
                category=category,
                unit=unit,
                active_from=catalog_demo.START,
            )
            for name, description, category, unit, _prices in catalog_demo.ADDONS
        ]
    )
    prices = []
    for item, (*_rest, history) in zip(items, catalog_demo.ADDONS, strict=True):
        for k, (valid_from, price, vat_rate) in enumerate(history):
            prices.append(
                AddOnPrice(
                    organisation=org,
                    item=item,
                    valid_from=valid_from,
                    valid_until=history[k + 1][0] if k + 1 < len(history) else None,
                    price_incl_vat=Decimal(price),
                    vat_rate=vat_rate,
                )
            )
    AddOnPrice.objects.bulk_create(prices)
    return {
        "departments": departments,
        "levels": levels,
        "activities": [a for a in activities if not a.is_group],
        "items": items,
    }
