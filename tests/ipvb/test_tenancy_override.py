"""A request that tries to set the tenancy itself (issue 14, bad input) is refused in words,
changes nothing and never reaches a view: the organisation comes only from the user's own
membership, the database wall's settings only from the server."""

from __future__ import annotations

from typing import Any

import pytest

from clients.models import Client
from ipvb.roles import Role
from tests.clients.builders import make_client


@pytest.mark.parametrize(
    ("how", "kwargs"),
    [
        ("header", {"HTTP_X_ORGANISATION": "2"}),
        ("header", {"HTTP_X_IPVB_ORGANISATION": "2"}),
        ("header", {"HTTP_IPVB_CROSS_ORGANISATION": "on"}),
        ("query", {"data": {"ipvb.organisation": "2"}}),
        ("query", {"data": {"x-tenant": "2"}}),
    ],
)
def test_web_and_api_refuse_a_tenancy_override(world: Any, how: str, kwargs: dict[str, Any]) -> None:
    make_client(world, org="b")
    client = world.client(Role.CARE_PROFESSIONAL)
    page = client.get("/clienten/", **kwargs)
    assert page.status_code == 400
    assert "lidmaatschap" in page.content.decode()
    api = client.get("/api/v1/clients/", **kwargs)
    assert api.status_code == 400 and "lidmaatschap" in api.json()["detail"]


def test_a_form_post_with_a_tenancy_field_changes_nothing(world: Any) -> None:
    client = world.client(Role.CARE_PROFESSIONAL)
    before = Client.objects.dangerously_unscoped().count()
    response = client.post(
        "/organisatie/wisselen/", {"organisation": world.org_a.pk, "ipvb_cross_organisation": "on"}
    )
    assert response.status_code == 400
    assert Client.objects.dangerously_unscoped().count() == before


def test_ordinary_requests_pass(world: Any) -> None:
    client = world.client(Role.CARE_PROFESSIONAL)
    assert client.get("/clienten/", {"q": "Jansen"}).status_code == 200
    assert client.get("/api/v1/clients/", HTTP_ACCEPT_LANGUAGE="nl").status_code == 200


def test_platform_staff_deactivate_people_instead_of_deleting_them(world: Any) -> None:
    """A user's memberships sit behind the database wall, so the admin never offers a delete
    that would fail there: people are deactivated (and stay named in the access log)."""
    from tests.factories import UserFactory

    member = world.membership(Role.CARE_PROFESSIONAL, "a").user
    admin = world.client(None)
    admin.force_login(UserFactory(email="super@example.org", is_staff=True, is_superuser=True))
    change = admin.get(f"/beheer/ipvb/user/{member.pk}/change/")
    assert change.status_code == 200 and "/delete/" not in change.content.decode()
    assert admin.get(f"/beheer/ipvb/user/{member.pk}/delete/").status_code == 403
    assert admin.post(f"/beheer/ipvb/user/{member.pk}/delete/", {"post": "yes"}).status_code == 403
    member.refresh_from_db()
    assert member.is_active
