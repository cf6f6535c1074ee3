"""Demo data of costing: ILLUSTRATIVE tariffs for 2025 and 2026 (from the labelled files in
demo_data/), staff levels, year settings, a published cost-price model per year for every demo
organisation (2026 = the worked example of the domain page) and group-bound care for every
department, so every demo client has a budget. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ipvb.models import Department, Organisation

from . import tariffs
from .models import CostPriceModel, GroupCare, ModelLevel, OrganisationYearSettings, StaffLevel, Tariff

DATA = Path(__file__).resolve().parent / "demo_data"
TARIFF_FILES = {2025: "tarieven_2025_illustratief.csv", 2026: "tarieven_2026_illustratief.csv"}

LEVELS = (
    ("helpende", "Helpende niveau 2", 10),
    ("verzorgende-ig", "Verzorgende IG niveau 3", 20),
    ("verpleegkundige-4", "Verpleegkundige niveau 4", 30),
    ("verpleegkundige-5", "Verpleegkundige niveau 5", 40),
    ("welzijnsmedewerker", "Welzijnsmedewerker", 50),
)

MODEL_INPUTS = {
    "paid_hours_per_fte": Decimal("1878"),
    "leave_pct": Decimal("10.5"),
    "sickness_pct": Decimal("6.5"),
    "training_pct": Decimal("2.0"),
    "client_bound_pct": Decimal("80"),
    "overhead_pct": Decimal("22"),
}
# code -> (S 2026, r); h = 8, y = 8.33, e = 27 for every level (domain page section 4).
SALARIES_2026 = {
    "helpende": (Decimal("2890"), Decimal("7")),
    "verzorgende-ig": (Decimal("3130"), Decimal("7")),
    "verpleegkundige-4": (Decimal("3610"), Decimal("7")),
    "verpleegkundige-5": (Decimal("3980"), Decimal("5")),
    "welzijnsmedewerker": (Decimal("2990"), Decimal("2")),
}
SALARY_FACTOR = {2025: Decimal("0.97"), 2026: Decimal("1")}
YEAR_SETTINGS = {
    2025: {"contract_percentage": Decimal("96.5"), "hotel_costs_per_day": Decimal("31.00")},
    2026: {"contract_percentage": Decimal("97.0"), "hotel_costs_per_day": Decimal("32.00")},
}
# department name -> hours per week per level (group-bound care).
GROUP_CARE = {
    "De Boomgaard": {"verzorgende-ig": Decimal("98"), "helpende": Decimal("63")},
    "De Vlinder": {"verzorgende-ig": Decimal("56")},
    "De Hof": {"verzorgende-ig": Decimal("77")},
    "De Linde": {"verzorgende-ig": Decimal("91"), "helpende": Decimal("56")},
    "Het Atrium": {"verzorgende-ig": Decimal("56")},
    "De Hoeve": {"verzorgende-ig": Decimal("112"), "helpende": Decimal("28")},
}


def _tariffs(out: Any) -> None:
    for year, file_name in TARIFF_FILES.items():
        if Tariff.objects.filter(year=year, source_import__file_name=file_name).exists():
            continue
        preview = tariffs.tariff_import_preview(content=(DATA / file_name).read_bytes(), file_name=file_name)
        if not preview.is_valid:
            raise RuntimeError(f"Demo tariff file {file_name} is invalid: {preview.errors}")
        tariffs.store_tariffs(preview=preview, user=None)
        if out is not None:
            out.write(f"  tariffs {year}: {len(preview.rows)} rows (illustrative)\n")


def _levels(org: Organisation) -> dict[str, StaffLevel]:
    levels = {}
    for code, name, order in LEVELS:
        level, _ = StaffLevel.objects.for_organisation(org).get_or_create(
            organisation=org, code=code, defaults={"name": name, "order": order}
        )
        levels[code] = level
    return levels


def _model(org: Organisation, year: int, levels: dict[str, StaffLevel]) -> CostPriceModel:
    existing = CostPriceModel.objects.for_organisation(org).filter(year=year, version=1).first()
    if existing is not None:
        return existing
    published_at = datetime.datetime(year - 1, 12, 15, 10, 0, tzinfo=datetime.UTC)
    model = CostPriceModel.objects.create(
        organisation=org,
        year=year,
        version=1,
        status=CostPriceModel.Status.PUBLISHED,
        effective_from=datetime.date(year, 1, 1),
        change_note="Demomodel (illustratieve cijfers).",
        published_at=published_at,
        **MODEL_INPUTS,
    )
    for code, (salary, irregular) in SALARIES_2026.items():
        ModelLevel.objects.create(
            organisation=org,
            model=model,
            staff_level=levels[code],
            salary=(salary * SALARY_FACTOR[year]).quantize(Decimal("0.01")),
            holiday_pct=Decimal("8"),
            year_end_pct=Decimal("8.33"),
            irregular_pct=irregular,
            employer_charges_pct=Decimal("27"),
        )
    return model


def load(out: Any = None) -> None:
    _tariffs(out)
    for org in Organisation.objects.filter(agb_code__in=["73730001", "73730002"]):
        levels = _levels(org)
        for year, values in YEAR_SETTINGS.items():
            OrganisationYearSettings.objects.for_organisation(org).get_or_create(
                organisation=org,
                year=year,
                defaults={**values, "reference_level": levels["verzorgende-ig"]},
            )
            _model(org, year, levels)
            for department in Department.objects.for_organisation(org):
                for code, hours in GROUP_CARE.get(department.name, {}).items():
                    GroupCare.objects.for_organisation(org).get_or_create(
                        organisation=org,
                        department=department,
                        year=year,
                        staff_level=levels[code],
                        defaults={"hours_per_week": hours},
                    )
