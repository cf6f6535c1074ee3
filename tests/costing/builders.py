"""Builders for costing objects: the worked example of the domain page (sections 4 and 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from costing.models import (
    CostPriceModel,
    GroupCare,
    ModelLevel,
    OrganisationYearSettings,
    StaffLevel,
    Tariff,
    TariffImport,
)

EXAMPLE_INPUTS = {
    "paid_hours_per_fte": Decimal("1878"),
    "leave_pct": Decimal("10.5"),
    "sickness_pct": Decimal("6.5"),
    "training_pct": Decimal("2.0"),
    "client_bound_pct": Decimal("80"),
    "overhead_pct": Decimal("22"),
}
# code -> (name, order, S, r)
EXAMPLE_LEVELS = {
    "helpende": ("Helpende", 10, Decimal("2890"), Decimal("7")),
    "verzorgende-ig": ("Verzorgende IG", 20, Decimal("3130"), Decimal("7")),
    "verpleegkundige-4": ("Verpleegkundige 4", 30, Decimal("3610"), Decimal("7")),
    "welzijnsmedewerker": ("Welzijnsmedewerker", 40, Decimal("2990"), Decimal("2")),
}
EXAMPLE_RATES = {
    "helpende": Decimal("54.46"),
    "verzorgende-ig": Decimal("58.98"),
    "verpleegkundige-4": Decimal("68.02"),
    "welzijnsmedewerker": Decimal("54.06"),
}
BASE_DATE = datetime.date(2026, 3, 2)


def levels(org: Any) -> dict[str, StaffLevel]:
    out = {}
    for code, (name, order, _s, _r) in EXAMPLE_LEVELS.items():
        out[code], _ = StaffLevel.objects.for_organisation(org).get_or_create(
            organisation=org, code=code, defaults={"name": name, "order": order}
        )
    return out


def model(
    org: Any,
    *,
    year: int = 2026,
    version: int = 1,
    effective_from: datetime.date | None = None,
    published: bool = True,
    salary_factor: Decimal = Decimal(1),
    **overrides: Any,
) -> CostPriceModel:
    lv = levels(org)
    m = CostPriceModel.objects.create(
        organisation=org,
        year=year,
        version=version,
        status=CostPriceModel.Status.PUBLISHED if published else CostPriceModel.Status.DRAFT,
        effective_from=effective_from or datetime.date(year, 1, 1),
        published_at=timezone.now() if published else None,
        **{**EXAMPLE_INPUTS, **overrides},
    )
    for code, (_name, _order, salary, irregular) in EXAMPLE_LEVELS.items():
        ModelLevel.objects.create(
            organisation=org,
            model=m,
            staff_level=lv[code],
            salary=salary * salary_factor,
            holiday_pct=Decimal("8"),
            year_end_pct=Decimal("8.33"),
            irregular_pct=irregular,
            employer_charges_pct=Decimal("27"),
        )
    return m


def year_settings(org: Any, year: int = 2026) -> OrganisationYearSettings:
    lv = levels(org)
    obj, _ = OrganisationYearSettings.objects.for_organisation(org).get_or_create(
        organisation=org,
        year=year,
        defaults={
            "contract_percentage": Decimal("97.0"),
            "hotel_costs_per_day": Decimal("32.00"),
            "reference_level": lv["verzorgende-ig"],
        },
    )
    return obj


def tariff(year: int = 2026, profile: str = "5VV", treatment: bool = False, day: bool = False) -> Tariff:
    record, _ = TariffImport.objects.get_or_create(
        year=year, file_name=f"test-{year}.csv", defaults={"is_illustrative": True}
    )
    obj, _ = Tariff.objects.get_or_create(
        year=year,
        care_profile=profile,
        with_treatment=treatment,
        with_day_activities=day,
        defaults={
            "care_per_day": Decimal("238.50"),
            "nhc_per_day": Decimal("24.95"),
            "nic_per_day": Decimal("6.40"),
            "source_import": record,
        },
    )
    return obj


def group_care(department: Any, year: int = 2026) -> None:
    lv = levels(department.organisation)
    for code, hours in (("verzorgende-ig", Decimal("98")), ("helpende", Decimal("63"))):
        GroupCare.objects.for_organisation(department.organisation).get_or_create(
            organisation=department.organisation,
            department=department,
            year=year,
            staff_level=lv[code],
            defaults={"hours_per_week": hours},
        )


_bsn_counter = [300000000]


def next_bsn() -> str:
    """A fresh BSN that passes the 11-check."""
    while True:
        _bsn_counter[0] += 1
        digits = f"{_bsn_counter[0]:09d}"
        total = sum(int(c) * w for c, w in zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1], strict=True))
        if total > 0 and total % 11 == 0:
            return digits


def client(department: Any, *, bsn: str | None = None, profile: str = "5VV", day: bool = False) -> Any:
    """A client of ``department`` with a 5VV indication without treatment since 2025-01-01."""
    from clients.models import Client, Indication

    c = Client.objects.create(
        organisation=department.organisation,
        given_name="Jan",
        family_name=f"Boomgaard {department.pk}",
        date_of_birth=datetime.date(1938, 5, 1),
        bsn=bsn or next_bsn(),
        department=department,
        admission_date=datetime.date(2024, 6, 1),
    )
    Indication.objects.create(
        organisation=department.organisation,
        client=c,
        decision_number=f"CIZ-{c.pk}",
        care_profile=profile,
        with_treatment=False,
        with_day_activities=day,
        grondslag="somatic",
        start_date=datetime.date(2025, 1, 1),
    )
    return c


def example_world(org: Any, department: Any, *, bsn: str | None = None) -> dict[str, Any]:
    """Everything for the worked example of section 5 in one organisation."""
    m = model(org)
    settings = year_settings(org)
    t = tariff()
    group_care(department)
    c = client(department, bsn=bsn)
    return {"model": m, "settings": settings, "tariff": t, "client": c, "levels": levels(org)}


def world_a(w: Any) -> dict[str, Any]:
    return w.get("costing_a", lambda w: example_world(w.org_a, w.dept_a, bsn="111222333"))


def world_b(w: Any) -> dict[str, Any]:
    return w.get("costing_b", lambda w: example_world(w.org_b, w.dept_b, bsn="123456782"))


def draft_a(w: Any) -> CostPriceModel:
    return w.get(
        "costing_draft_a",
        lambda w: model(w.org_a, version=2, published=False, effective_from=datetime.date(2026, 7, 1)),
    )


def draft_b(w: Any) -> CostPriceModel:
    return w.get(
        "costing_draft_b",
        lambda w: model(w.org_b, version=2, published=False, effective_from=datetime.date(2026, 7, 1)),
    )
