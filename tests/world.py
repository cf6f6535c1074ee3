"""Two organisations side by side, and a logged-in test client for every role of the first.

Every app extends the world lazily through ``world.get(name, builder)`` so route specs can ask
for "a client of org A" and "a client of org B" without each test building them again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.test import Client

from ipvb.models import Department
from ipvb.roles import Role

from .factories import DepartmentFactory, MembershipFactory, OrganisationFactory, UserFactory


class World:
    def __init__(self) -> None:
        self.org_a = OrganisationFactory(name="Organisatie A")
        self.org_b = OrganisationFactory(name="Organisatie B")
        self.dept_a = DepartmentFactory(
            organisation=self.org_a, name="A-groep", kind=Department.Kind.WITH_GROUP_CARE, places=16
        )
        self.dept_a2 = DepartmentFactory(
            organisation=self.org_a, name="A-zonder", kind=Department.Kind.WITHOUT_GROUP_CARE, places=20
        )
        self.dept_b = DepartmentFactory(organisation=self.org_b, name="B-groep")
        self._members: dict[tuple[str, str], Any] = {}
        self._cache: dict[str, Any] = {}
        # Session keys of logged-in users, kept only by a world shared across tests whose
        # sessions outlive each test (tests/ipvb/test_access.py); None: log in for every client.
        self._sessions: dict[tuple[str, str], str] | None = None

    def membership(self, role: str, org: str = "a") -> Any:
        key = (role, org)
        if key not in self._members:
            organisation = self.org_a if org == "a" else self.org_b
            departments = [self.dept_a] if org == "a" else [self.dept_b]
            self._members[key] = MembershipFactory(
                organisation=organisation,
                user=UserFactory(email=f"{role}.{org}@example.org"),
                roles=[role],
                departments=departments,
            )
        return self._members[key]

    def user(self, role: str, org: str = "a") -> Any:
        return self.membership(role, org).user

    def client(self, role: str | None, org: str = "a") -> Client:
        client = Client()
        if role is None:
            return client
        session = self._sessions.get((role, org)) if self._sessions is not None else None
        if session is not None:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
            return client
        login = LOGINS_WITHOUT_MEMBERSHIP.get(role)
        client.force_login(login(self, org) if login else self.user(role, org))
        if self._sessions is not None:
            self._sessions[(role, org)] = client.session.session_key
        return client

    def share(self) -> None:
        """Keep the logins of this world for every test that shares it (see ``client``)."""
        self._sessions = {}

    def snapshot(self) -> tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any] | None]:
        """What a test may add lazily; ``restore`` forgets what it added, because the test's
        rows are rolled back with it."""
        sessions = dict(self._sessions) if self._sessions is not None else None
        return dict(self._members), dict(self._cache), sessions

    def restore(self, snapshot: tuple[dict[Any, Any], dict[Any, Any], dict[Any, Any] | None]) -> None:
        self._members, self._cache, self._sessions = snapshot

    def get(self, name: str, builder: Callable[[World], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = builder(self)
        return self._cache[name]


def _contact_person(world: World, org: str) -> Any:
    from tests.family.builders import family_user

    return family_user(world, org)


# Users who log in without a staff membership, by the pseudo-role the route specs name: a
# contact person of one client (the family's view, tests/family/routes.py).
LOGINS_WITHOUT_MEMBERSHIP: dict[str, Callable[[World, str], Any]] = {"contact_person": _contact_person}

ROLES = list(Role.values)
