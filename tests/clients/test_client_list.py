"""The client list on the web filters like the API (one FilterSet): the profile filter matches
the indication in force today, the status is "in care" by default, and the pager and the
export link keep the filters (``{% querystring %}``)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clients import services
from ipvb.roles import Role
from tests import factories

from .builders import make_client

D = datetime.date


def _names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {client.given_name for client in response.context["object_list"]}


@pytest.fixture
def clients(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    current = make_client(world, given_name="Huidig")
    factories.indication(current, profile="4VV", start=D(2024, 1, 1), end=today - datetime.timedelta(days=30))
    factories.indication(current, profile="6VV", start=today - datetime.timedelta(days=29), number="CIZ-2")
    expired = make_client(world, given_name="Verlopen")
    factories.indication(expired, profile="6VV", start=D(2024, 1, 1), end=today - datetime.timedelta(days=1))
    other_department = make_client(world, given_name="Elders", department=world.dept_a2)
    factories.indication(other_department, profile="6VV", start=D(2024, 1, 1))
    gone = make_client(world, given_name="Vertrokken")
    factories.indication(gone, profile="6VV", start=D(2024, 1, 1))
    services.client_discharge(client=gone, discharge_date=today, reason="Verhuisd")
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CARE_PROFESSIONAL, Role.TEAM_LEADER])
def test_web_list_filters_like_the_api(clients, role) -> None:  # type: ignore[no-untyped-def]
    browser = clients.client(role)
    url = reverse("client_list")
    assert _names(browser.get(url)) == {"Huidig", "Verlopen"}  # own department, in care
    assert _names(browser.get(url, {"status": "all"})) == {"Huidig", "Verlopen", "Vertrokken"}
    assert _names(browser.get(url, {"status": "discharged"})) == {"Vertrokken"}
    assert _names(browser.get(url, {"profile": "6VV"})) == {"Huidig"}  # in force today
    assert _names(browser.get(url, {"profile": "4VV"})) == set()  # ended
    assert _names(browser.get(url, {"q": "huid"})) == {"Huidig"}
    assert _names(browser.get(url, {"department": clients.dept_a.pk})) == {"Huidig", "Verlopen"}
    response = browser.get(url, {"q": "123456782"})
    assert _names(response) == set() and response.context["bsn_in_query"]
    api = browser.get("/api/v1/clients/", {"profile": "6VV", "status": "active"})
    assert {row["given_name"] for row in api.json()["results"]} == {"Huidig"}


@pytest.mark.django_db
def test_pager_and_export_keep_the_filters(world) -> None:  # type: ignore[no-untyped-def]
    for index in range(51):
        make_client(world, given_name=f"Naam{index:02d}")
    browser = world.client(Role.TEAM_LEADER)
    content = browser.get(reverse("client_list"), {"q": "naam", "status": "active"}).content.decode()
    assert 'href="?q=naam&amp;status=active&amp;page=2"' in content
    assert 'href="/clienten/export/?q=naam&amp;status=active"' in content
    second = browser.get(reverse("client_list"), {"q": "naam", "status": "active", "page": 2})
    assert len(second.context["object_list"]) == 1
    assert 'href="/clienten/export/?q=naam&amp;status=active"' in second.content.decode()
