"""Demo clients of both demo organisations: 30 and 28 fictional residents across both
departments, with contact persons and CIZ indications (4VV-8VV; a few ending soon, some with
an earlier indication, one with a historic 3VV profile, two discharged, one moved).
Deterministic and idempotent: existing clients (by BSN) are left as they are."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from ipvb.models import Department, Organisation

from . import services
from .models import Client
from .profiles import Grondslag

GIVEN = (
    "Johanna", "Cornelis", "Maria", "Hendrik", "Geertruida", "Jan", "Wilhelmina", "Pieter", "Anna",
    "Gerrit", "Elisabeth", "Willem", "Catharina", "Dirk", "Hendrika", "Jacobus", "Aaltje", "Klaas",
    "Grietje", "Teun", "Trijntje", "Bernard", "Riek", "Fatima", "Mohamed", "Siem", "Lies", "Ton",
    "Nel", "Harm",
)  # fmt: skip
FAMILY = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "El Amrani", "Kok", "Jacobs", "de Haan", "Vermeulen",
)  # fmt: skip
RELATIONS = (
    ("Dochter", "first_contact"),
    ("Zoon", "first_contact"),
    ("Partner", "first_contact"),
    ("Mentor", "legal_representative"),
    ("Nicht", "other"),
    ("Schoonzoon", "other"),
)
WISHES = (
    "Houdt van muziek uit de jaren vijftig en zingt graag mee.",
    "Wil 's ochtends uitslapen en ontbijt liefst pas om tien uur.",
    "Wandelt graag in de tuin, ook bij slecht weer.",
    "Gelovig; bezoekt graag de viering op zondag.",
    "Heeft moeite met drukte; liever activiteiten in een kleine groep.",
    "Kookte vroeger veel en helpt graag mee in de keuken.",
    "",
)
PROFILE_WEIGHTS = (("4VV", 2), ("5VV", 6), ("6VV", 5), ("7VV", 2), ("8VV", 1))
# Demo organisation (AGB code) -> number of clients per department (in department order).
# De Zonnehof meets the programme's pilot conditions (50 clients on iPVB); Het Lindehuis not yet.
PLAN = {"73730001": (14, 16, 40), "73730002": (12, 16, 3)}
# Department name -> the profiles of its clients, in order, where the demo needs them fixed:
# De Hoeve's 4VV residents have a negative raw budget (structural deficit, section 7).
FIXED_PROFILES = {"De Hoeve": ("4VV", "5VV", "4VV")}


def demo_bsn(rng: random.Random) -> str:
    """A random 9-digit number that passes the 11-check (fictional)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True))
        check = total % 11
        if check < 10:
            return "".join(map(str, [*digits, check]))


def _grondslag(profile: str, rng: random.Random) -> str:
    if profile in {"5VV", "7VV"}:
        return Grondslag.PSYCHOGERIATRIC
    if profile in {"6VV", "8VV"}:
        return Grondslag.SOMATIC
    return rng.choice([Grondslag.SOMATIC, Grondslag.PSYCHOGERIATRIC])


def _profile(rng: random.Random) -> str:
    profiles = [profile for profile, _weight in PROFILE_WEIGHTS]
    weights = [weight for _profile, weight in PROFILE_WEIGHTS]
    return rng.choices(profiles, weights=weights)[0]


def _load_org(org: Organisation, counts: tuple[int, ...], out: Any) -> int:
    departments = list(Department.objects.for_organisation(org).order_by("pk"))
    if len(departments) < len(counts):
        return 0
    today = timezone.localdate()
    created = 0
    number = 0
    for department, count in zip(departments, counts, strict=False):
        fixed = FIXED_PROFILES.get(department.name, ())
        for position in range(count):
            number += 1
            # One generator per client: skipping an existing client does not shift the others.
            rng = random.Random(f"ipvb-demo-client-{org.agb_code}-{number}")
            bsn = demo_bsn(rng)
            given = rng.choice(GIVEN)
            family = rng.choice(FAMILY)
            age = rng.randint(72, 97)
            born = today.replace(year=today.year - age) - datetime.timedelta(days=rng.randint(0, 364))
            admitted = today - datetime.timedelta(days=rng.randint(60, 5 * 365))
            wishes = rng.choice(WISHES)
            profile = _profile(rng)
            if position < len(fixed):
                profile = fixed[position]
            plan = rng.random()
            contacts = [rng.choice(RELATIONS) for _ in range(rng.randint(1, 2))]
            if Client.objects.for_organisation(org).with_bsn(bsn).exists():
                continue
            client = services.client_create(
                organisation=org,
                department=department,
                given_name=given,
                family_name=family,
                date_of_birth=born,
                bsn=bsn,
                admission_date=admitted,
                wishes=wishes,
            )
            created += 1
            _indications(
                client, profile=profile, admitted=admitted, today=today, plan=plan, number=number, rng=rng
            )
            for index, (relation, role) in enumerate(contacts):
                first = rng.choice(GIVEN)
                services.contact_person_create(
                    client=client,
                    name=f"{first} {family}" if relation != "Mentor" else f"{first} {rng.choice(FAMILY)}",
                    relation=relation,
                    role=role,
                    phone=f"06-{rng.randint(10000000, 99999999)}",
                    email=f"{first.lower()}.{number}.{index}@example.nl",
                    takes_part_in_conversations=role != "other",
                )
            if number == 5 and len(departments) > 1:
                services.client_move(
                    client=client,
                    department=departments[1] if department != departments[1] else departments[0],
                    on_date=admitted + (today - admitted) // 2,
                )
            if number in {9, 21}:
                services.client_discharge(
                    client=client,
                    discharge_date=today - datetime.timedelta(days=rng.randint(5, 40)),
                    reason="Overleden" if number == 9 else "Verhuisd naar een andere zorgaanbieder",
                )
    if out is not None and created:
        out.write(f"  {org.name}: {created} demo clients")
    return created


def _indications(
    client: Client,
    *,
    profile: str,
    admitted: datetime.date,
    today: datetime.date,
    plan: float,
    number: int,
    rng: random.Random,
) -> None:
    decision = f"CIZ-{client.organisation_id:02d}{number:03d}"
    start = admitted
    if number == 3:
        # The historic one: a 3VV indication granted under the AWBZ (1VV-3VV ended with 2014)
        # that ran out in the transition years, long before this admission.
        services.indication_create(
            client=client,
            decision_number=f"{decision}-H",
            care_profile="3VV",
            with_treatment=False,
            with_day_activities=True,
            grondslag=Grondslag.SOMATIC,
            start_date=datetime.date(2014, 7, 1),
            end_date=min(datetime.date(2015, 12, 31), admitted - datetime.timedelta(days=1)),
        )
    elif plan < 0.3 and (today - admitted).days > 200:
        # An earlier, lighter indication that ended when the care need grew.
        earlier = {"5VV": "4VV", "6VV": "4VV", "7VV": "5VV", "8VV": "6VV"}.get(profile, "4VV")
        old_end = admitted + datetime.timedelta(days=(today - admitted).days // 2)
        services.indication_create(
            client=client,
            decision_number=f"{decision}-A",
            care_profile=earlier,
            with_treatment=False,
            with_day_activities=True,
            grondslag=_grondslag(earlier, rng),
            start_date=admitted,
            end_date=old_end,
        )
        start = old_end + datetime.timedelta(days=1)
    end = None
    if plan > 0.85:
        end = today + datetime.timedelta(days=rng.randint(14, 90))  # ending soon (reassessment)
    services.indication_create(
        client=client,
        decision_number=decision,
        care_profile=profile,
        with_treatment=profile in {"7VV", "8VV"} or plan > 0.7,
        with_day_activities=plan < 0.8,
        grondslag=_grondslag(profile, rng),
        start_date=start,
        end_date=end,
    )


def load(out: Any = None) -> None:
    for agb_code, counts in PLAN.items():
        org = Organisation.objects.filter(agb_code=agb_code).first()
        if org is not None:
            _load_org(org, counts, out)
