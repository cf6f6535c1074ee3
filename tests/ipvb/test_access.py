"""Access rules of every route, generated from the URL resolver and the route registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from ipvb.roles import Role
from tests.routing import Route, all_routes, project_route_names
from tests.world import LOGINS_WITHOUT_MEMBERSHIP, World

ROUTES = all_routes()
BY_NAME = {route.name: route for route in ROUTES}


class AppWorlds:
    """One world per app for the ~800 tests of this module (they run app by app: see
    ``tests/conftest.py``). The world of an app is built in a transaction that stays open while
    that app's tests run and is then rolled back: the objects of all the app's routes and every
    role's membership and login are made once, and each test runs in a savepoint inside it (the
    ``db`` fixture), so what a test writes is gone before the next one. Apps get a world each
    because their route builders are not made to live side by side (two apps each publish a
    cost model for the same year)."""

    def __init__(self, blocker: Any) -> None:
        self.blocker = blocker
        self.app = ""
        self.world: World | None = None
        self.atomic: Any = None

    def for_app(self, app: str) -> World:
        if self.world is None or app != self.app:
            self.close()
            with self.blocker.unblock():
                self.atomic = transaction.atomic()
                self.atomic.__enter__()
                self.app, self.world = app, self._build(app)
        return self.world

    @staticmethod
    def _build(app: str) -> World:
        world = World()
        world.share()
        routes = [route for route in ROUTES if route.app == app]
        for route in routes:
            for build in (route.kwargs, route.other_kwargs, route.data):
                if build is not None:
                    build(world)
        # Logins without a membership (a contact person) only where the app's routes name them.
        named = {role for route in routes for role in route.roles or ()}
        for org in ("a", "b"):
            for role in [*Role.values, *(named & set(LOGINS_WITHOUT_MEMBERSHIP))]:
                world.client(role, org)
        return world

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic, self.world, self.app = None, None, ""


@pytest.fixture(scope="module")
def app_worlds(django_db_setup: None, django_db_blocker: Any) -> Iterator[AppWorlds]:
    worlds = AppWorlds(django_db_blocker)
    yield worlds
    worlds.close()


@pytest.fixture
def app_world(app_worlds: AppWorlds, request: pytest.FixtureRequest) -> World:
    """The world of the test's route's app; requested before ``db`` so that the app's
    transaction is opened outside the test's savepoint."""
    return app_worlds.for_app(request.node.callspec.params["route"].app)


@pytest.fixture
def world(app_world: World, db: None) -> Iterator[World]:
    snapshot = app_world.snapshot()
    yield app_world
    app_world.restore(snapshot)


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
