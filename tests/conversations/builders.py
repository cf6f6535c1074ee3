"""The domain page's worked example end to end (sections 4-6): a 5VV client on
"De Boomgaard" (16 places, 98 h verzorgende IG + 63 h helpende group-bound care) with a
personal budget of 819.73 per week, and the five example activities."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from clients.models import Client
from ipvb.models import Department
from tests import factories
from tests.catalog import builders as cat
from tests.examples import ACTIVITIES, EXAMPLE_LINES

START = datetime.date(2026, 2, 2)
_seq = iter(range(10_000))


def tariff_2026() -> None:
    factories.tariff(day=True)
    factories.tariff(profile="7VV", day=True, care_per_day=Decimal("300.00"))


def organisation_setup(org: Any, department: Department) -> dict[str, Any]:
    """Published model, year settings and group-bound care of the worked example."""
    factories.cost_model(org)
    levels = factories.staff_levels(org)
    tariff_2026()
    factories.year_settings(org)
    factories.group_care(department)
    activities = {
        code: cat.activity(
            org, code=code, name=name, default_minutes=minutes, default_level=level, category=category
        )
        for code, (name, minutes, level, category) in ACTIVITIES.items()
    }
    addon = cat.addon(org, name="Kapper", price_incl_vat=Decimal("24.50"))
    return {"levels": levels, "activities": activities, "addon": addon}


def client(org: Any, department: Department, profile: str = "5VV", **fields: Any) -> Client:
    n = next(_seq)
    return factories.client(
        department,
        given_name=fields.get("given_name", "Anna"),
        family_name=fields.get("family_name", f"Jansen {n}"),
        date_of_birth=datetime.date(1938, 3, 4),
        admission_date=datetime.date(2025, 6, 1),
        profile=profile,
        decision_number=f"CIZ-{n:05d}",
        grondslag="somatic",
    )


def setup_a(world: Any) -> dict[str, Any]:
    def build(w: Any) -> dict[str, Any]:
        data = organisation_setup(w.org_a, w.dept_a)
        data["client"] = client(w.org_a, w.dept_a)
        return data

    return world.get("conversations_a", build)


def setup_b(world: Any) -> dict[str, Any]:
    def build(w: Any) -> dict[str, Any]:
        data = organisation_setup(w.org_b, w.dept_b)
        data["client"] = client(w.org_b, w.dept_b)
        return data

    return world.get("conversations_b", build)


def scenario(world: Any, org: str = "a") -> dict[str, Any]:
    """A client with a completed conversation and a draft package with the example lines."""
    from django.utils import timezone

    from conversations.models import Conversation
    from conversations.packages import package_line_add, package_start_draft
    from conversations.services import conversation_save
    from ipvb.roles import Role

    def build(w: Any) -> dict[str, Any]:
        data = dict(setup_a(w) if org == "a" else setup_b(w))
        membership = w.membership(Role.TEAM_LEADER, org)
        data["conversation"] = conversation_save(
            client=data["client"],
            by=membership.user,
            data={
                "held_at": timezone.make_aware(datetime.datetime(2026, 2, 1, 10, 0)),
                "kind": Conversation.Kind.INTAKE,
                "outcome": Conversation.Outcome.AGREED,
            },
        )
        draft = package_start_draft(client=data["client"], by=membership.user, start_date=START)
        for code, minutes, occ in EXAMPLE_LINES:
            package_line_add(
                package=draft,
                membership=membership,
                expected_version=draft.lock_version,
                activity=data["activities"][code],
                minutes=minutes,
                occurrences_per_week=occ,
            )
        draft.refresh_from_db()
        data["package"] = draft
        data["line"] = draft.lines.order_by("position").first()
        return data

    return world.get(f"scenario_{org}", build)
