"""Who sees which clients: own departments for care staff, everything for managers and org
admins, nothing for financial staff; the same on the screens and in the API."""

import pytest
from django.urls import reverse

from clients.models import Client
from clients.selectors import clients_for
from ipvb.roles import Role

from .builders import make_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(world):  # type: ignore[no-untyped-def]
    mine = make_client(world, given_name="Anna", family_name="Eigen")
    other = make_client(world, department=world.dept_a2, given_name="Otto", family_name="Ander")
    return mine, other


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.CARE_PROFESSIONAL, {"Eigen"}),
        (Role.TEAM_LEADER, {"Eigen"}),
        (Role.MANAGER, {"Eigen", "Ander"}),
        (Role.ORG_ADMIN, {"Eigen", "Ander"}),
        (Role.FINANCIAL, set()),
    ],
)
def test_clients_for(world, two_departments, role, expected) -> None:  # type: ignore[no-untyped-def]
    membership = world.membership(role)
    assert {c.family_name for c in clients_for(membership=membership)} == expected


@pytest.mark.parametrize("role", [Role.CARE_PROFESSIONAL, Role.TEAM_LEADER])
def test_department_bound_roles_on_screens_and_api(world, two_departments, role) -> None:  # type: ignore[no-untyped-def]
    mine, other = two_departments
    browser = world.client(role)
    page = browser.get(reverse("client_list")).content.decode()
    assert "Eigen" in page and "Ander" not in page
    assert browser.get(reverse("client_detail", args=[mine.pk])).status_code == 200
    assert browser.get(reverse("client_detail", args=[other.pk])).status_code == 404
    assert browser.get(reverse("client_update", args=[other.pk])).status_code == 404
    assert browser.get(reverse("contactperson_create", args=[other.pk])).status_code == 404
    api = browser.get("/api/v1/clients/").json()
    assert [c["family_name"] for c in api["results"]] == ["Eigen"]
    assert browser.get(f"/api/v1/clients/{other.pk}/").status_code == 404


def test_manager_sees_all_but_cannot_edit_or_reveal(world, two_departments) -> None:  # type: ignore[no-untyped-def]
    _mine, other = two_departments
    browser = world.client(Role.MANAGER)
    page = browser.get(reverse("client_list")).content.decode()
    assert "Eigen" in page and "Ander" in page
    detail = browser.get(reverse("client_detail", args=[other.pk])).content.decode()
    assert "******" in detail and other.bsn not in detail and "Toon BSN" not in detail
    assert browser.post(reverse("client_bsn", args=[other.pk])).status_code == 403
    assert browser.get(reverse("client_update", args=[other.pk])).status_code == 403


def test_financial_sees_no_client_data(world, two_departments) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.FINANCIAL)
    assert browser.get(reverse("client_list")).status_code == 403
    assert browser.get("/api/v1/clients/").status_code == 403
    assert browser.get("/api/v1/indications/").status_code == 403


def test_care_professional_cannot_create_in_a_foreign_department(world) -> None:  # type: ignore[no-untyped-def]
    browser = world.client(Role.CARE_PROFESSIONAL)
    response = browser.post(
        reverse("client_create"),
        {
            "given_name": "Nieuw",
            "family_name": "Mens",
            "date_of_birth": "1940-01-01",
            "bsn": "123456782",
            "department": world.dept_a2.pk,
            "admission_date": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Client.objects.for_organisation(world.org_a).exists()


def test_list_shows_masked_bsn_and_search_by_bsn(world, two_departments) -> None:  # type: ignore[no-untyped-def]
    mine, _other = two_departments
    browser = world.client(Role.ORG_ADMIN)
    page = browser.get(reverse("client_list")).content.decode()
    assert mine.masked_bsn in page and mine.bsn not in page
    # A BSN typed in the list's (GET) search is not searched on: the page points to the
    # BSN search, which posts the number.
    typed = browser.get(reverse("client_list"), {"q": mine.bsn}).content.decode()
    assert "Eigen" not in typed and "Zoeken op BSN" in typed
    found = browser.post(reverse("client_bsn_search"), {"bsn": mine.bsn}).content.decode()
    assert "Eigen" in found and "Ander" not in found and mine.bsn not in found
    by_name = browser.get(reverse("client_list"), {"q": "ott"}).content.decode()
    assert "Ander" in by_name and "Eigen" not in by_name
    by_dept = browser.get(reverse("client_list"), {"department": world.dept_a2.pk}).content.decode()
    assert "Ander" in by_dept and "Eigen" not in by_dept
