"""Forms on the screens: bad input gets a clear Dutch message and saves nothing."""

import datetime

import pytest
from django.urls import reverse

from clients.models import Client, Placement
from ipvb.roles import Role
from tests import factories

from .builders import make_client

pytestmark = pytest.mark.django_db


def _client_form(**extra):  # type: ignore[no-untyped-def]
    data = {
        "given_name": "Nieuw",
        "family_name": "Mens",
        "date_of_birth": "1940-01-01",
        "bsn": "123456789",
        "admission_date": "2024-01-01",
    }
    data.update(extra)
    return data


def test_create_with_wrong_and_duplicate_bsn(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.CARE_PROFESSIONAL)
    response = browser.post(reverse("client_create"), _client_form(department=world.dept_a.pk))
    assert response.status_code == 200
    assert "voldoet niet aan de elfproef" in response.content.decode()
    make_client(world, bsn="123456782")
    response = browser.post(
        reverse("client_create"), _client_form(department=world.dept_a.pk, bsn="123456782")
    )
    assert "Er is al een cliënt met dit BSN in uw organisatie." in response.content.decode()
    assert Client.objects.for_organisation(world.org_a).count() == 1


def test_create_then_detail_shows_everything(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.CARE_PROFESSIONAL)
    response = browser.post(
        reverse("client_create"), _client_form(department=world.dept_a.pk, bsn="111222333")
    )
    client = Client.objects.for_organisation(world.org_a).get()
    assert response["Location"] == reverse("client_detail", args=[client.pk])
    factories.indication(
        client, profile="3VV", number="OUD", start=datetime.date(2014, 1, 1), end=datetime.date(2015, 6, 30)
    )
    page = browser.get(response["Location"]).content.decode()
    assert "Persoonsgegevens" in page and "******333" in page and "111222333" not in page
    assert "historisch profiel" in page and "Plaatsingen" in page and "Toon BSN" in page


def test_discharge_before_admission_on_the_form(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    browser = world.client(Role.TEAM_LEADER)
    response = browser.post(
        reverse("client_discharge", args=[client.pk]), {"discharge_date": "2023-12-01", "reason": "Verhuisd"}
    )
    assert response.status_code == 200
    assert "De datum van uitschrijving ligt vóór de opnamedatum (01-01-2024)." in response.content.decode()
    client.refresh_from_db()
    assert client.is_active
    response = browser.post(
        reverse("client_discharge", args=[client.pk]), {"discharge_date": "2025-01-31", "reason": "Verhuisd"}
    )
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.status == "discharged"
    page = browser.get(reverse("client_detail", args=[client.pk])).content.decode()
    assert "Uitschrijven" not in page.split("<main")[1].split("Persoonsgegevens")[0]


def test_move_on_the_form(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    browser = world.client(Role.ORG_ADMIN)
    response = browser.post(
        reverse("client_move", args=[client.pk]), {"department": world.dept_a2.pk, "on_date": "2023-01-01"}
    )
    assert "De verhuisdatum moet na 01-01-2024 liggen" in response.content.decode()
    response = browser.post(
        reverse("client_move", args=[client.pk]), {"department": world.dept_a2.pk, "on_date": "2024-03-01"}
    )
    assert response.status_code == 302
    assert Placement.objects.for_organisation(world.org_a).filter(client=client).count() == 2


def test_indication_form_overlap_and_reversed_dates(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    factories.indication(client, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    browser = world.client(Role.CARE_PROFESSIONAL)
    data = {
        "decision_number": "C-2",
        "care_profile": "6VV",
        "grondslag": "somatic",
        "with_day_activities": "on",
        "start_date": "2024-10-01",
    }
    response = browser.post(reverse("indication_create", args=[client.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Deze indicatie overlapt met indicatie 5VV van 01-01-2024 tot 31-12-2024." in page
    response = browser.post(
        reverse("indication_create", args=[client.pk]),
        {**data, "start_date": "2025-05-01", "end_date": "2025-04-01"},
    )
    assert "De einddatum ligt vóór de ingangsdatum." in response.content.decode()
    response = browser.post(
        reverse("indication_create", args=[client.pk]), {**data, "start_date": "2025-01-01"}
    )
    assert response.status_code == 302
    assert client.indications.count() == 2


def test_edit_form_never_shows_the_full_bsn(world) -> None:  # type: ignore[no-untyped-def]
    client = make_client(world)
    browser = world.client(Role.CARE_PROFESSIONAL)
    page = browser.get(reverse("client_update", args=[client.pk])).content.decode()
    assert client.bsn not in page and "BSN corrigeren" in page
    response = browser.post(
        reverse("client_update", args=[client.pk]),
        {
            "given_name": "J",
            "family_name": "d J",
            "date_of_birth": "1940-05-17",
            "admission_date": "2024-01-01",
            "new_bsn": "123456789",
        },
    )
    assert "elfproef" in response.content.decode()
