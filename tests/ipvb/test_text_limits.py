"""Free text has a sensible maximum length everywhere (issue 13.6: 6,000+ characters were
accepted in "Wensen en voorkeuren"), on the web and in the API, with a clear message."""

import pytest

from clients.models import Client
from ipvb.forms import TEXT_MAX
from ipvb.roles import Role
from tests.clients.builders import client_a

pytestmark = pytest.mark.django_db


def test_web_form_refuses_too_long_text_and_shows_the_limit(world) -> None:  # type: ignore[no-untyped-def]
    client = client_a(world)
    browser = world.client(Role.TEAM_LEADER)
    form_page = browser.get(f"/clienten/{client.pk}/wijzigen/").content.decode()
    assert f'maxlength="{TEXT_MAX}"' in form_page
    response = browser.post(
        f"/clienten/{client.pk}/wijzigen/",
        {
            "given_name": client.given_name,
            "family_name": client.family_name,
            "date_of_birth": client.date_of_birth.isoformat(),
            "admission_date": client.admission_date.isoformat(),
            "wishes": "x" * 6000,
        },
    )
    assert response.status_code == 200
    assert f"Gebruik hoogstens {TEXT_MAX} tekens." in response.content.decode()
    assert Client.objects.for_organisation(world.org_a).get(pk=client.pk).wishes == "Houdt van muziek."


def test_api_refuses_too_long_text(world) -> None:  # type: ignore[no-untyped-def]
    client = client_a(world)
    response = world.client(Role.TEAM_LEADER).patch(
        f"/api/v1/clients/{client.pk}/", {"wishes": "x" * 6000}, content_type="application/json"
    )
    assert response.status_code == 400
    assert f"Gebruik hoogstens {TEXT_MAX} tekens." in response.json()["wishes"][0]
    assert Client.objects.for_organisation(world.org_a).get(pk=client.pk).wishes == "Houdt van muziek."
