"""Builders for catalogue tests: the domain page's worked cost-price model (section 4), built
through costing's services, and catalogue objects built through catalog's services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from catalog.activities import activity_create
from catalog.addons import addon_item_create
from catalog.models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnUnit
from costing import cost_models
from costing import services as costing_services
from costing.models import StaffLevel

D = Decimal
JAN_2026 = datetime.date(2026, 1, 1)

MODEL_INPUTS = {
    "paid_hours_per_fte": D("1878"),
    "leave_pct": D("10.5"),
    "sickness_pct": D("6.5"),
    "training_pct": D("2.0"),
    "client_bound_pct": D("80"),
    "overhead_pct": D("22"),
}
# code: (name, salary S, irregular r) -> K of the worked example
LEVELS = {
    "helpende": ("Helpende niveau 2", D("2890"), D("7")),
    "verzorgende-ig": ("Verzorgende IG niveau 3", D("3130"), D("7")),
    "verpleegkundige-4": ("Verpleegkundige niveau 4", D("3610"), D("7")),
    "welzijnsmedewerker": ("Welzijnsmedewerker", D("2990"), D("2")),
}
EXPECTED_K = {
    "helpende": D("54.46"),
    "verzorgende-ig": D("58.98"),
    "verpleegkundige-4": D("68.02"),
    "welzijnsmedewerker": D("54.06"),
}


def staff_level(org: Any, code: str) -> StaffLevel:
    existing = StaffLevel.objects.for_organisation(org).filter(code=code).first()
    if existing is not None:
        return existing
    name = LEVELS.get(code, (code.title(),))[0]
    order = list(LEVELS).index(code) if code in LEVELS else 99
    return costing_services.staff_level_save(organisation=org, code=code, name=name, order=order)


def levels(org: Any) -> dict[str, StaffLevel]:
    return {code: staff_level(org, code) for code in LEVELS}


def published_model(
    org: Any,
    *,
    effective_from: datetime.date = JAN_2026,
    level_codes: tuple[str, ...] = tuple(LEVELS),
    salary_factor: Decimal = Decimal(1),
    user: Any = None,
) -> Any:
    """Publishes the worked example model (optionally with salaries times ``salary_factor``)."""
    model = cost_models.cost_model_create(
        organisation=org,
        user=user,
        year=effective_from.year,
        effective_from=effective_from,
        inputs=MODEL_INPUTS,
    )
    for code in level_codes:
        _name, salary, irregular = LEVELS[code]
        cost_models.cost_model_level_set(
            model=model,
            user=user,
            staff_level=staff_level(org, code),
            inputs={
                "salary": salary * salary_factor,
                "holiday_pct": D("8"),
                "year_end_pct": D("8.33"),
                "irregular_pct": irregular,
                "employer_charges_pct": D("27"),
            },
        )
    return cost_models.cost_model_publish(model=model, user=user)


def activity(org: Any, code: str = "PV-01", **overrides: Any) -> Activity:
    values: dict[str, Any] = {
        "organisation": org,
        "code": code,
        "name": "Ochtendzorg: wassen en aankleden",
        "description": "Hulp bij wassen en aankleden in de ochtend.",
        "category": ActivityCategory.PERSONAL_CARE,
        "default_minutes": 25,
        "default_level": staff_level(org, "verzorgende-ig"),
        "active_from": JAN_2026,
        "today": JAN_2026,
    }
    values.update(overrides)
    if isinstance(values["default_level"], str):
        values["default_level"] = staff_level(org, values["default_level"])
    return activity_create(**values)


def addon(org: Any, name: str = "Kapper: knippen", **overrides: Any) -> AddOnItem:
    values: dict[str, Any] = {
        "organisation": org,
        "name": name,
        "description": "Knippen door de kapper in huis.",
        "category": AddOnCategory.HAIRDRESSER,
        "unit": AddOnUnit.PER_TIME,
        "active_from": JAN_2026,
        "price_incl_vat": D("24.50"),
        "vat_rate": 21,
    }
    values.update(overrides)
    return addon_item_create(**values)


def catalog_a(world: Any) -> dict[str, Any]:
    """Org A: the worked model, one activity and one add-on item (cached on the world)."""

    def build(w: Any) -> dict[str, Any]:
        published_model(w.org_a)
        return {"activity": activity(w.org_a), "addon": addon(w.org_a)}

    return world.get("catalog_a", build)


def catalog_b(world: Any) -> dict[str, Any]:
    def build(w: Any) -> dict[str, Any]:
        published_model(w.org_b)
        return {"activity": activity(w.org_b, code="B-01"), "addon": addon(w.org_b, name="Pedicure B")}

    return world.get("catalog_b", build)
