"""Costing scenarios: the worked example of the domain page (sections 4 and 5) in one
organisation, built with the shared builders of tests/factories.py."""

from __future__ import annotations

import datetime
from typing import Any

from clients.models import Client
from costing.models import CostPriceModel
from tests import factories

BASE_DATE = datetime.date(2026, 3, 2)


def client(department: Any, *, bsn: str | None = None, profile: str = "5VV", day: bool = False) -> Client:
    """A client of ``department`` with a 5VV indication without treatment since 2025-01-01."""
    return factories.client(
        department,
        given_name="Jan",
        family_name=f"Boomgaard {department.pk}",
        date_of_birth=datetime.date(1938, 5, 1),
        bsn=bsn,
        admission_date=datetime.date(2024, 6, 1),
        profile=profile,
        indication_start=datetime.date(2025, 1, 1),
        with_day_activities=day,
        grondslag="somatic",
    )


def example_world(org: Any, department: Any, *, bsn: str | None = None) -> dict[str, Any]:
    """Everything for the worked example of section 5 in one organisation."""
    m = factories.cost_model(org)
    settings = factories.year_settings(org)
    t = factories.tariff()
    factories.group_care(department)
    c = client(department, bsn=bsn)
    return {"model": m, "settings": settings, "tariff": t, "client": c, "levels": factories.staff_levels(org)}


def world_a(w: Any) -> dict[str, Any]:
    return w.get("costing_a", lambda w: example_world(w.org_a, w.dept_a, bsn="111222333"))


def world_b(w: Any) -> dict[str, Any]:
    return w.get("costing_b", lambda w: example_world(w.org_b, w.dept_b, bsn="123456782"))


def _draft(org: Any) -> CostPriceModel:
    return factories.cost_model(org, effective_from=datetime.date(2026, 7, 1), publish=False)


def draft_a(w: Any) -> CostPriceModel:
    return w.get("costing_draft_a", lambda w: _draft(w.org_a))


def draft_b(w: Any) -> CostPriceModel:
    return w.get("costing_draft_b", lambda w: _draft(w.org_b))
