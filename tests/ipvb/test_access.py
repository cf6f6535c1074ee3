"""Access rules of every route, generated from the URL resolver and the route registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from ipvb.roles import Role
from tests.routing import Route, all_routes, project_route_names

ROUTES = all_routes()
BY_NAME = {route.name: route for route in ROUTES}


def _url(route: Route, world: Any, other: bool = False) -> str:
    builder = route.other_kwargs if other else route.kwargs
    url = reverse(route.name, kwargs=builder(world) if builder else None)
    return url + (f"?{route.query}" if route.query else "")


def _call(client: Any, route: Route, url: str, world: Any) -> Any:
    data = route.data(world) if route.data else {}
    if route.method == "get":
        return client.get(url, data or None)
    if route.api:
        return getattr(client, route.method)(url, data, content_type="application/json")
    return getattr(client, route.method)(url, data)


def test_every_route_is_covered() -> None:
    names = project_route_names()
    missing = sorted(names - set(BY_NAME))
    assert not missing, f"Routes without an access spec in tests/<app>/routes.py: {missing}"
    stale = sorted(set(BY_NAME) - names)
    assert not stale, f"Specs for routes that do not exist: {stale}"


def test_route_names_are_unique() -> None:
    assert len(BY_NAME) == len(ROUTES)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous(route: Route, world: Any) -> None:
    response = _call(world.client(None), route, _url(route, world), world)
    if route.public:
        assert response.status_code == route.ok_status
    elif route.api:
        assert response.status_code == 401, response.content
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("route", [r for r in ROUTES if r.roles is not None], ids=str)
def test_wrong_role_is_forbidden(route: Route, world: Any) -> None:
    outsiders = [role for role in Role.values if role not in route.roles]
    assert outsiders, f"{route.name}: every role is allowed; set roles=None"
    for role in outsiders:
        response = _call(world.client(role), route, _url(route, world), world)
        assert response.status_code == 403, (role, response.status_code)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if not r.public and "reporting_party" not in r.extra], ids=str
)
def test_allowed_role_gets_in(route: Route, world: Any) -> None:
    """Every allowed role (any member: a care professional), each on the same data: a write is
    rolled back before the next role tries it."""
    roles = sorted(route.roles) if route.roles else [Role.CARE_PROFESSIONAL]
    url = _url(route, world)
    for role in roles:
        with transaction.atomic():
            response = _call(world.client(role), route, url, world)
            transaction.set_rollback(True)
        assert response.status_code == route.ok_status, (role, response.content[:500])


@pytest.mark.parametrize("route", [r for r in ROUTES if r.other_kwargs], ids=str)
def test_other_organisation_object_is_not_found(route: Route, world: Any) -> None:
    role = sorted(route.roles)[0] if route.roles else Role.CARE_PROFESSIONAL
    response = _call(world.client(role), route, _url(route, world, other=True), world)
    assert response.status_code == 404


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.public and not r.api], ids=str)
def test_user_without_membership_gets_clear_page(route: Route, world: Any) -> None:
    from tests.factories import UserFactory

    client = world.client(None)
    client.force_login(UserFactory(email="lost@example.org"))
    response = _call(client, route, _url(route, world), world)
    if route.name == "organisation_switch":
        assert response.status_code == 302
    elif "without_membership" in route.extra:
        # The user's own account pages (choose an organisation, answer invitations).
        assert response.status_code == route.extra["without_membership"]
    else:
        assert response.status_code == 403
        assert "Geen actief lidmaatschap" in response.content.decode()
