"""Catalogue objects built through catalog's services (the cost-price model they are priced
from comes from tests/factories.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from catalog.activities import activity_create
from catalog.addons import addon_item_create
from catalog.models import Activity, ActivityCategory, AddOnCategory, AddOnItem, AddOnUnit
from tests.examples import JAN_2026
from tests.factories import cost_model, staff_level


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
        "price_incl_vat": Decimal("24.50"),
        "vat_rate": 21,
    }
    values.update(overrides)
    return addon_item_create(**values)


def catalog_a(world: Any) -> dict[str, Any]:
    """Org A: the worked model, one activity and one add-on item (cached on the world)."""

    def build(w: Any) -> dict[str, Any]:
        cost_model(w.org_a)
        return {"activity": activity(w.org_a), "addon": addon(w.org_a)}

    return world.get("catalog_a", build)


def catalog_b(world: Any) -> dict[str, Any]:
    def build(w: Any) -> dict[str, Any]:
        cost_model(w.org_b)
        return {"activity": activity(w.org_b, code="B-01"), "addon": addon(w.org_b, name="Pedicure B")}

    return world.get("catalog_b", build)
