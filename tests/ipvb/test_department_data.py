"""Team leaders set the department data of their own departments (issue 13, item 2; domain
page, section 2): places and group-bound day care on /afdelingen/<id>/ and through the API.
Name, location and pilot status stay with the org admin."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ipvb.models import Department
from ipvb.roles import Role

pytestmark = pytest.mark.django_db


def _api(world: Any, role: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(role))
    return client


def test_team_leader_sees_edit_link_for_own_departments_only(world: Any) -> None:
    page = world.client(Role.TEAM_LEADER).get(reverse("department_list")).content.decode()
    assert reverse("department_update", args=[world.dept_a.pk]) in page
    assert reverse("department_update", args=[world.dept_a2.pk]) not in page
    assert reverse("department_create") not in page


def test_team_leader_sets_places_and_kind_of_own_department(world: Any) -> None:
    client = world.client(Role.TEAM_LEADER)
    url = reverse("department_update", args=[world.dept_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert set(form.fields) == {"kind", "places"}
    # The related department data this team leader may open: group-bound care (and formatie).
    year = timezone.localdate().year
    assert reverse("groupcare_edit", kwargs={"pk": world.dept_a.pk, "year": year}) in page.content.decode()
    with contextlib.suppress(NoReverseMatch):  # actual staffing: linked once its entry page exists
        assert reverse("reporting_formatie_entry") in page.content.decode()
    response = client.post(
        url, {"kind": Department.Kind.WITHOUT_GROUP_CARE, "places": 18, "name": "Gekaapt", "is_pilot": ""}
    )
    assert response.status_code == 302
    world.dept_a.refresh_from_db()
    assert (world.dept_a.places, world.dept_a.kind) == (18, Department.Kind.WITHOUT_GROUP_CARE)
    assert world.dept_a.name == "A-groep" and world.dept_a.is_pilot  # not the team leader's to change


def test_team_leader_gets_404_for_another_department(world: Any) -> None:
    client = world.client(Role.TEAM_LEADER)
    url = reverse("department_update", args=[world.dept_a2.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": Department.Kind.WITH_GROUP_CARE, "places": 3}).status_code == 404
    world.dept_a2.refresh_from_db()
    assert world.dept_a2.places == 20


def test_team_leader_bad_places_is_refused_with_message(world: Any) -> None:
    url = reverse("department_update", args=[world.dept_a.pk])
    response = world.client(Role.TEAM_LEADER).post(
        url, {"kind": Department.Kind.WITH_GROUP_CARE, "places": 0}
    )
    assert response.status_code == 200
    assert "minstens één plaats" in response.content.decode()
    world.dept_a.refresh_from_db()
    assert world.dept_a.places == 16


def test_org_admin_keeps_the_full_form_for_every_department(world: Any) -> None:
    client = world.client(Role.ORG_ADMIN)
    page = client.get(reverse("department_update", args=[world.dept_a2.pk]))
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {"name", "location_name", "kind", "places", "is_pilot"}
    # Group-bound care hours are edited by team leaders and financials, not the org admin.
    assert page.context["related_links"] == []
    response = client.post(
        reverse("department_update", args=[world.dept_a2.pk]),
        {
            "name": "A-nieuw",
            "location_name": "Hoofdlocatie",
            "kind": Department.Kind.WITHOUT_GROUP_CARE,
            "places": 21,
            "is_pilot": "on",
        },
    )
    assert response.status_code == 302
    world.dept_a2.refresh_from_db()
    assert (world.dept_a2.name, world.dept_a2.places) == ("A-nieuw", 21)


@pytest.mark.parametrize("role", [Role.CARE_PROFESSIONAL, Role.MANAGER, Role.FINANCIAL, Role.BOARD])
def test_other_roles_may_not_edit_departments(world: Any, role: str) -> None:
    assert world.client(role).get(reverse("department_update", args=[world.dept_a.pk])).status_code == 403
    assert (
        _api(world, role)
        .patch(f"/api/v1/departments/{world.dept_a.pk}/", {"places": 3}, format="json")
        .status_code
        == 403
    )


def test_api_team_leader_patches_places_of_own_department(world: Any) -> None:
    client = _api(world, Role.TEAM_LEADER)
    response = client.patch(f"/api/v1/departments/{world.dept_a.pk}/", {"places": 17}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["places"] == 17
    assert (
        client.patch(f"/api/v1/departments/{world.dept_a2.pk}/", {"places": 3}, format="json").status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/departments/",
            {"name": "X", "location_name": "L", "kind": "with_group_care", "places": 3},
            format="json",
        ).status_code
        == 403
    )
    assert client.delete(f"/api/v1/departments/{world.dept_a.pk}/").status_code == 403


def test_api_team_leader_may_not_rename_a_department(world: Any) -> None:
    response = _api(world, Role.TEAM_LEADER).patch(
        f"/api/v1/departments/{world.dept_a.pk}/", {"name": "Gekaapt", "places": 5}, format="json"
    )
    assert response.status_code == 400
    assert "functioneel beheerder" in str(response.json())
    world.dept_a.refresh_from_db()
    assert (world.dept_a.name, world.dept_a.places) == ("A-groep", 16)
