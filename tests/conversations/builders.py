"""The domain page's worked example end to end (sections 4-6): a 5VV client on
"De Boomgaard" (16 places, 98 h verzorgende IG + 63 h helpende group-bound care) with a
personal budget of 819.73 per week, and the five example activities."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from catalog.models import ActivityCategory
from clients import services as client_services
from clients.formulas import bsn_is_valid
from clients.models import Indication
from costing import services as costing_services
from costing.models import Tariff
from ipvb.models import Department
from tests.catalog import builders as cat

D = Decimal
START = datetime.date(2026, 2, 2)
ACTIVITIES = {
    # code: (name, minutes, level code, category)
    "OCH": ("Ochtendzorg: wassen en aankleden", 25, "verzorgende-ig", ActivityCategory.PERSONAL_CARE),
    "AVO": ("Avondzorg", 20, "verzorgende-ig", ActivityCategory.PERSONAL_CARE),
    "MED": ("Medicatie toedienen", 5, "verpleegkundige-4", ActivityCategory.NURSING),
    "WAN": ("Wandeling onder begeleiding", 45, "welzijnsmedewerker", ActivityCategory.WELLBEING),
    "DOU": ("Douchen", 30, "verzorgende-ig", ActivityCategory.PERSONAL_CARE),
}
EXAMPLE_LINES = [("OCH", 25, 7), ("AVO", 20, 7), ("MED", 5, 14), ("WAN", 45, 2), ("DOU", 30, 2)]

_seq = iter(range(10_000))


def _bsn(n: int) -> str:
    """A valid BSN (11-check), different for every n."""
    candidate = 200000000 + n * 1000
    while not bsn_is_valid(f"{candidate:09d}"):
        candidate += 1
    return f"{candidate:09d}"


def tariff_2026() -> None:
    Tariff.objects.get_or_create(
        year=2026,
        care_profile="5VV",
        with_treatment=False,
        with_day_activities=True,
        defaults={"care_per_day": D("238.50"), "nhc_per_day": D("20.00"), "nic_per_day": D("5.00")},
    )
    Tariff.objects.get_or_create(
        year=2026,
        care_profile="7VV",
        with_treatment=False,
        with_day_activities=True,
        defaults={"care_per_day": D("300.00"), "nhc_per_day": D("20.00"), "nic_per_day": D("5.00")},
    )


def organisation_setup(org: Any, department: Department) -> dict[str, Any]:
    """Published model, year settings and group-bound care of the worked example."""
    cat.published_model(org)
    levels = cat.levels(org)
    tariff_2026()
    costing_services.year_settings_save(
        organisation=org,
        user=None,
        year=2026,
        values={
            "contract_percentage": D("97.0"),
            "hotel_costs_per_day": D("32.00"),
            "overrun_tolerance_pct": D("5"),
            "reference_level": levels["verzorgende-ig"],
        },
    )
    department.places = 16
    department.save()
    costing_services.group_care_save(
        department=department,
        year=2026,
        hours={levels["verzorgende-ig"]: D("98"), levels["helpende"]: D("63")},
    )
    activities = {
        code: cat.activity(
            org, code=code, name=name, default_minutes=minutes, default_level=level, category=category
        )
        for code, (name, minutes, level, category) in ACTIVITIES.items()
    }
    addon = cat.addon(org, name="Kapper", price_incl_vat=D("24.50"))
    return {"levels": levels, "activities": activities, "addon": addon}


def client(org: Any, department: Department, profile: str = "5VV", **fields: Any) -> Any:
    n = next(_seq)
    person = client_services.client_create(
        organisation=org,
        department=department,
        given_name=fields.get("given_name", "Anna"),
        family_name=fields.get("family_name", f"Jansen {n}"),
        date_of_birth=datetime.date(1938, 3, 4),
        bsn=_bsn(n + (0 if org.pk % 2 else 5000)),
        admission_date=datetime.date(2025, 6, 1),
    )
    client_services.indication_create(
        client=person,
        decision_number=f"CIZ-{n:05d}",
        care_profile=profile,
        with_treatment=False,
        with_day_activities=True,
        grondslag=Indication._meta.get_field("grondslag").choices[0][0],
        start_date=datetime.date(2025, 6, 1),
        end_date=None,
    )
    return person


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
