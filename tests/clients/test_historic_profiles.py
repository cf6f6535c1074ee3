"""Historic care profiles (issue 13, item 8; domain page, section 3): 1VV-3VV ended with the
AWBZ (last start 31-12-2014). A new indication with one of them starting later is refused with
a clear message, in the service, so forms, API and import all refuse it; the tariff importer
refuses their tariffs after 2014, and a budget of a legacy indication does not advise importing
a tariff that cannot exist."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from clients import importing, services
from clients.models import Indication
from clients.profiles import HISTORIC_LAST_START, historic_profile_ended
from costing import tariffs
from costing.budget import budget_for_client
from ipvb.roles import Role
from tests import factories

from .builders import make_client

pytestmark = pytest.mark.django_db
D = datetime.date
MESSAGE = "historisch zorgprofiel"


def test_rule_reference() -> None:
    assert D(2014, 12, 31) == HISTORIC_LAST_START
    assert historic_profile_ended("3VV", D(2015, 1, 1)) and historic_profile_ended("1VV", D(2026, 2, 1))
    assert not historic_profile_ended("3VV", D(2014, 12, 31))
    assert not historic_profile_ended("4VV", D(2026, 2, 1))


@pytest.mark.parametrize("profile", ["1VV", "2VV", "3VV"])
def test_service_refuses_new_historic_indication_after_the_end(world: Any, profile: str) -> None:
    client = make_client(world)
    with pytest.raises(ValidationError) as info:
        factories.indication(client, profile=profile, start=D(2026, 1, 5))
    message = " ".join(info.value.message_dict["care_profile"])
    assert (
        f"{profile} is een {MESSAGE}" in message
        and "31-12-2014" in message
        and "4VV tot en met 10VV" in message
    )
    assert not client.indications.exists()


def test_historic_indication_that_started_in_time_is_fine_and_stays_editable(world: Any) -> None:
    client = make_client(world)
    old = factories.indication(client, profile="3VV", start=D(2014, 6, 1), end=D(2015, 6, 30))
    # Correcting the end date of the existing indication is fine ...
    services.indication_update(indication=old, end_date=D(2015, 12, 31))
    old.refresh_from_db()
    assert old.end_date == D(2015, 12, 31)
    # ... moving its start past the end of the historic profiles is not.
    with pytest.raises(ValidationError) as info:
        services.indication_update(indication=old, start_date=D(2015, 2, 1))
    assert MESSAGE in " ".join(info.value.message_dict["care_profile"])
    old.refresh_from_db()
    assert old.start_date == D(2014, 6, 1)


def test_changing_a_current_profile_to_a_historic_one_is_refused(world: Any) -> None:
    indication = factories.indication(make_client(world), profile="5VV", start=D(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.indication_update(indication=indication, care_profile="2VV")
    indication.refresh_from_db()
    assert indication.care_profile == "5VV"


def test_form_refuses_with_the_message_and_saves_nothing(world: Any) -> None:
    client = make_client(world)
    response = world.client(Role.CARE_PROFESSIONAL).post(
        reverse("indication_create", args=[client.pk]),
        {
            "decision_number": "CIZ-9",
            "care_profile": "3VV",
            "with_day_activities": "on",
            "grondslag": "somatic",
            "start_date": "2026-01-05",
        },
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not client.indications.exists()


def test_web_update_of_a_historic_start_date_is_refused(world: Any) -> None:
    """The update form changes the instance before the service sees it; the rule still holds."""
    client = make_client(world)
    old = factories.indication(client, profile="3VV", start=D(2014, 6, 1), end=D(2015, 6, 30))
    response = world.client(Role.TEAM_LEADER).post(
        reverse("indication_update", args=[old.pk]),
        {
            "decision_number": "CIZ-1",
            "care_profile": "3VV",
            "with_day_activities": "on",
            "grondslag": "somatic",
            "start_date": "2015-03-01",
            "end_date": "2015-06-30",
        },
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    old.refresh_from_db()
    assert old.start_date == D(2014, 6, 1)


def test_api_refuses_with_400_and_saves_nothing(world: Any) -> None:
    client = make_client(world)
    api = APIClient()
    api.force_authenticate(world.user(Role.CARE_PROFESSIONAL))
    response = api.post(
        "/api/v1/indications/",
        {
            "client": client.pk,
            "decision_number": "CIZ-9",
            "care_profile": "1VV",
            "with_treatment": False,
            "with_day_activities": True,
            "grondslag": "somatic",
            "start_date": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 400
    assert MESSAGE in str(response.json())
    assert not Indication.objects.for_organisation(world.org_a).exists()


def test_import_refuses_the_row_with_the_message(world: Any) -> None:
    header = (
        "voornaam;achternaam;geboortedatum;bsn;afdeling;opnamedatum;besluitnummer;zorgprofiel;"
        "met behandeling;met dagbesteding;grondslag;ingangsdatum;einddatum"
    )
    rows = [
        "Johanna;de Jong;17-05-1938;111222333;A-groep;01-02-2024;CIZ-1;3VV;nee;ja;somatisch;01-02-2024;",
        "Cornelis;Bakker;1935-03-02;123456782;A-groep;2014-06-01;CIZ-2;3VV;nee;ja;somatisch;2014-06-01;2015-05-31",
    ]
    preview = importing.import_preview(
        organisation=world.org_a, name="export.csv", content=("\n".join([header, *rows]) + "\n").encode()
    )
    assert not preview.ok
    first, second = preview.rows
    assert any(MESSAGE in error for error in first.errors)
    assert not any(MESSAGE in error for error in second.errors)


def test_tariff_importer_refuses_historic_profiles_after_2014() -> None:
    header = "jaar,zorgprofiel,behandeling,dagbesteding,zorgtarief_per_dag,nhc_per_dag,nic_per_dag\n"
    current = ["4VV", "5VV", "6VV", "7VV", "8VV", "9VV B", "10VV"]
    rows = [f"2026,{p},nee,nee,238.50,24.95,6.40" for p in [*current, "3VV"]]
    preview = tariffs.tariff_import_preview(
        content=(header + "\n".join(rows) + "\n").encode(), file_name="tarieven-2026.csv"
    )
    assert not preview.is_valid
    assert any("3VV is een historisch zorgprofiel" in error and "2014" in error for error in preview.errors)


def test_budget_of_a_legacy_historic_indication_does_not_advise_a_tariff_import(world: Any) -> None:
    """Data from before this rule (or another system) may still hold one: the budget says what
    to do (record the current indication), not "import the tariff"."""
    client = make_client(world)
    Indication.objects.create(  # bypasses the service on purpose: legacy data
        organisation=world.org_a,
        client=client,
        decision_number="OUD",
        care_profile="3VV",
        with_treatment=False,
        with_day_activities=True,
        grondslag="somatic",
        start_date=D(2026, 1, 5),
    )
    budget = budget_for_client(client=client, on_date=D(2026, 2, 2))
    text = " ".join(budget.missing)
    assert "3VV is een historisch zorgprofiel" in text and "importeren" not in text
    assert "care" in {m.who for m in budget.missing_detail}
    assert "platform" not in {m.who for m in budget.missing_detail}
