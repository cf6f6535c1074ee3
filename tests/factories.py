from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import factory

from clients.formulas import bsn_is_valid
from clients.models import Client, Indication
from costing.models import CostPriceModel, OrganisationYearSettings, StaffLevel, Tariff, TariffImport
from ipvb.models import Department, Membership, Organisation, User
from ipvb.roles import Role
from tests import examples as ex


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Zorgorganisatie {n}")
    agb_code = factory.Sequence(lambda n: f"{70000000 + n:08d}")
    zorgkantoor_code = "5512"
    takes_part_in_reporting = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Afdeling {n}")
    location_name = "Hoofdlocatie"
    kind = Department.Kind.WITH_GROUP_CARE
    places = 16


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.django.Password("test-password-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    roles = factory.LazyFunction(lambda: [Role.CARE_PROFESSIONAL])

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.departments.set(extracted)


def api_key(user, organisation=None, days: int = 30) -> str:  # type: ignore[no-untyped-def]
    """A personal API key (django-rest-knox) for the user, bound to ``organisation`` (as one
    made in the web application is); returns the key to send as ``Authorization: Token``."""
    from datetime import timedelta

    from ipvb.models import ApiToken

    _token, key = ApiToken.objects.create(
        user=user, expiry=timedelta(days=days), name="test", organisation=organisation
    )
    return key


# Builders that go through the services, so test data is valid by construction. The figures
# are the domain page's worked examples (tests/examples.py).

_bsn_numbers = itertools.count(500_000_000)  # above the fixed BSNs that tests type themselves


def next_bsn() -> str:
    """A valid BSN (11-check), never handed out twice in a test session."""
    while True:
        candidate = f"{next(_bsn_numbers):09d}"
        if bsn_is_valid(candidate):
            return candidate


def client(
    department: Department,
    *,
    given_name: str = "Johanna",
    family_name: str = "de Jong",
    date_of_birth: datetime.date = datetime.date(1940, 5, 17),
    bsn: str | None = None,
    admission_date: datetime.date = datetime.date(2024, 1, 1),
    wishes: str = "",
    profile: str | None = None,
    indication_start: datetime.date | None = None,
    with_treatment: bool = False,
    with_day_activities: bool = True,
    grondslag: str = "psychogeriatric",
    decision_number: str = "",
    organisation: Organisation | None = None,
) -> Client:
    """A client in care on ``department`` (with its first placement, as every real client),
    with an indication of ``profile`` from ``indication_start`` (default: the admission date)
    when a profile is given. ``organisation`` defaults to the department's."""
    from clients import services as client_services

    person = client_services.client_create(
        organisation=organisation or department.organisation,
        department=department,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        bsn=bsn or next_bsn(),
        admission_date=admission_date,
        wishes=wishes,
    )
    if profile is not None:
        indication(
            person,
            profile=profile,
            start=indication_start or admission_date,
            number=decision_number or f"CIZ-{person.pk}",
            with_treatment=with_treatment,
            with_day_activities=with_day_activities,
            grondslag=grondslag,
        )
    return person


def indication(
    client: Client,
    *,
    profile: str = "5VV",
    start: datetime.date = datetime.date(2024, 1, 1),
    end: datetime.date | None = None,
    number: str = "CIZ-1",
    with_treatment: bool = False,
    with_day_activities: bool = True,
    grondslag: str = "psychogeriatric",
) -> Indication:
    """A CIZ indication of ``client`` (through the service, which checks overlaps)."""
    from clients import services as client_services

    return client_services.indication_create(
        client=client,
        decision_number=number,
        care_profile=profile,
        with_treatment=with_treatment,
        with_day_activities=with_day_activities,
        grondslag=grondslag,
        start_date=start,
        end_date=end,
    )


def staff_level(org: Organisation, code: str) -> StaffLevel:
    """The organisation's level ``code`` (named as in the worked example), made if missing."""
    from costing.services import staff_level_save

    existing = StaffLevel.objects.for_organisation(org).filter(code=code).first()
    if existing is not None:
        return existing
    name, order = ex.LEVELS[code][:2] if code in ex.LEVELS else (code.title(), 99)
    return staff_level_save(organisation=org, code=code, name=name, order=order)


def staff_levels(org: Organisation) -> dict[str, StaffLevel]:
    return {code: staff_level(org, code) for code in ex.LEVELS}


def cost_model(
    org: Organisation,
    *,
    effective_from: datetime.date = ex.JAN_2026,
    level_codes: tuple[str, ...] = tuple(ex.LEVELS),
    salary_factor: Decimal = Decimal(1),
    publish: bool = True,
    user: User | None = None,
) -> CostPriceModel:
    """The worked example's cost-price model (salaries times ``salary_factor``), published
    unless ``publish`` is false."""
    from costing import cost_models

    model = cost_models.cost_model_create(
        organisation=org,
        user=user,
        year=effective_from.year,
        effective_from=effective_from,
        inputs=ex.MODEL_INPUTS,
    )
    for code in level_codes:
        _name, _order, salary, irregular = ex.LEVELS[code]
        cost_models.cost_model_level_set(
            model=model,
            user=user,
            staff_level=staff_level(org, code),
            inputs={**ex.LEVEL_INPUTS, "salary": salary * salary_factor, "irregular_pct": irregular},
        )
    return cost_models.cost_model_publish(model=model, user=user) if publish else model


def year_settings(org: Organisation, year: int = 2026) -> OrganisationYearSettings:
    """Contract percentage, hotel costs and reference level of the worked example."""
    from costing.services import year_settings_save

    existing = OrganisationYearSettings.objects.for_organisation(org).filter(year=year).first()
    if existing is not None:
        return existing
    return year_settings_save(
        organisation=org,
        user=None,
        year=year,
        values={
            "contract_percentage": ex.CONTRACT_PCT,
            "hotel_costs_per_day": ex.HOTEL_PER_DAY,
            "reference_level": staff_level(org, ex.REFERENCE_LEVEL),
        },
    )


def group_care(department: Department, year: int = 2026) -> None:
    """The group-bound care of De Boomgaard on ``department``."""
    from costing.services import group_care_save

    hours = {staff_level(department.organisation, code): h for code, h in ex.GROUP_CARE_HOURS.items()}
    group_care_save(department=department, year=year, hours=hours)


def tariff(
    *,
    year: int = 2026,
    profile: str = "5VV",
    treatment: bool = False,
    day: bool = False,
    care_per_day: Decimal = ex.CARE_PER_DAY,
) -> Tariff:
    """A national tariff (illustrative; written directly: the national table is imported from
    a file, tests/costing/test_services.py covers that path)."""
    record, _ = TariffImport.objects.get_or_create(
        year=year, file_name=f"test-{year}.csv", defaults={"is_illustrative": True}
    )
    obj, _ = Tariff.objects.get_or_create(
        year=year,
        care_profile=profile,
        with_treatment=treatment,
        with_day_activities=day,
        defaults={
            "care_per_day": care_per_day,
            "nhc_per_day": ex.NHC_PER_DAY,
            "nic_per_day": ex.NIC_PER_DAY,
            "source_import": record,
        },
    )
    return obj
