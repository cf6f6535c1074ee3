"""Demo data of the tenancy core: two fictional organisations, two or three departments each (one with
and one without group-bound day care) and a user for every role. Idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress

from .models import Department, Membership, Organisation, User
from .roles import Role

DEMO_PASSWORD = "ipvb-demo-2026"


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    agb_code: str
    zorgkantoor_code: str
    departments: tuple[tuple[str, str, str, int], ...]


ORGS = (
    DemoOrg(
        "zonnehof",
        "Zorggroep De Zonnehof (demo)",
        "73730001",
        "5512",
        (
            ("De Boomgaard", "Locatie Zonnehof", Department.Kind.WITH_GROUP_CARE, 16),
            ("De Vlinder", "Locatie Zonnehof", Department.Kind.WITHOUT_GROUP_CARE, 24),
            ("De Hof", "Locatie Zonnehof", Department.Kind.WITHOUT_GROUP_CARE, 42),
        ),
    ),
    DemoOrg(
        "lindehuis",
        "Stichting Het Lindehuis (demo)",
        "73730002",
        "5520",
        (
            ("De Linde", "Locatie Lindehof", Department.Kind.WITH_GROUP_CARE, 14),
            ("Het Atrium", "Locatie Lindehof", Department.Kind.WITHOUT_GROUP_CARE, 20),
            # Small-scale living: a staffed living room for six residents, whose group-bound
            # care a light profile does not carry (the structural-deficit signal).
            ("De Hoeve", "Kleinschalig wonen Hoevelaan", Department.Kind.WITH_GROUP_CARE, 6),
        ),
    ),
)

# Fictional addresses, printed on the package PDF.
ADDRESSES = {
    "73730001": {"address": "Zonnehoflaan 12", "postal_code": "3811 AB", "city": "Amersfoort"},
    "73730002": {"address": "Lindeplein 3", "postal_code": "6822 CD", "city": "Arnhem"},
}

ROLE_USERS = (
    ("zorg", "Sanne", "de Vries", [Role.CARE_PROFESSIONAL], "all"),
    ("teamleider", "Ahmed", "Bakker", [Role.TEAM_LEADER], "first"),
    ("financieel", "Petra", "Jansen", [Role.FINANCIAL], "none"),
    ("manager", "Willem", "Visser", [Role.MANAGER], "none"),
    ("beheer", "Ingrid", "Smit", [Role.ORG_ADMIN], "none"),
    ("bestuur", "Margreet", "Hoekstra", [Role.BOARD], "none"),
)


def demo_logins() -> list[tuple[str, str, str]]:
    """(e-mail, organisation, roles) of every demo login."""
    rows = []
    for org in ORGS:
        for prefix, _first, _last, roles, _deps in ROLE_USERS:
            rows.append(
                (f"{prefix}@{org.slug}.example", org.name, ", ".join(str(Role(r).label) for r in roles))
            )
    rows.append(("regio@ipvb.example", " + ".join(o.name for o in ORGS), str(Role.MANAGER.label)))
    rows.append(("platform@ipvb.example", "-", "platform staff (tariff tables)"))
    rows.append(("vilans@ipvb.example", "-", "reporting party (Vilans, transparency reports)"))
    rows.append(("familie@demo.ipvb.nl", ORGS[0].name, "contact person (family view, one client)"))
    return rows


def _user(email: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _membership(org: Organisation, user: User, roles: Sequence[str], departments: list[Department]) -> None:
    membership, _ = Membership.objects.get_or_create(
        organisation=org, user=user, defaults={"roles": list(roles)}
    )
    membership.departments.set(departments)


def load(out: Any = None) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGS:
        org, _ = Organisation.objects.update_or_create(
            agb_code=spec.agb_code,
            defaults={
                "name": spec.name,
                "zorgkantoor_code": spec.zorgkantoor_code,
                "takes_part_in_reporting": True,
                **ADDRESSES.get(spec.agb_code, {}),
            },
        )
        organisations[spec.slug] = org
        departments = []
        for name, location, kind, places in spec.departments:
            department, _ = Department.objects.for_organisation(org).update_or_create(
                organisation=org,
                name=name,
                defaults={"location_name": location, "kind": kind, "places": places},
            )
            departments.append(department)
        for prefix, first, last, roles, deps in ROLE_USERS:
            user = _user(f"{prefix}@{spec.slug}.example", first, last)
            chosen = {"all": departments, "first": departments[:1], "none": []}[deps]
            _membership(org, user, roles, chosen)
    regio = _user("regio@ipvb.example", "Femke", "de Groot")
    for org in organisations.values():
        _membership(org, regio, [Role.MANAGER], [])
    # Platform staff: maintains the national tariff tables (no organisation membership).
    platform = _user("platform@ipvb.example", "Pieter", "Platform")
    if not platform.is_staff:
        platform.is_staff = True
        platform.save(update_fields=["is_staff"])
    return organisations
