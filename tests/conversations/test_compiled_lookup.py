"""The composer's object lookup compiled once per process and shape (issue 16,
``TenantObjectMixin.compiled_lookup``): it sees exactly what the usual lookup sees. A care
professional of another department, another organisation's package, a line id that does not
exist: 404; moving the professional's department in or out takes effect on the next request
(the departments are read in the statement); a membership with roles whose lookup does not use
the membership (team leader and manager) takes the usual path and still gets the composer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conversations.views.composer import PackageComposerView, PackageLineUpdateView
from ipvb.roles import Role
from ipvb.views.base import _LOOKUPS
from tests.conversations import builders
from tests.factories import MembershipFactory, UserFactory

HX = {"HTTP_HX_REQUEST": "true"}


def _change(client: Client, line: Any, version: int) -> Any:
    return client.post(
        f"/pakketregels/{line.pk}/",
        {"minutes": line.minutes, "occurrences_per_week": 5, "funding": "budget", "wanted": "on",
         "necessary": "on", "wlz_eligible": "on", "version": version},
        **HX,
    )  # fmt: skip


def _compiled(view: type, roles: tuple[str, ...]) -> bool:
    template = _LOOKUPS.get(view)
    return template is not None and template._templates.get((view, roles)) not in (None, False)


@pytest.mark.django_db
def test_the_compiled_lookup_sees_what_the_membership_may_see(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    package, line = data["package"], data["line"]
    own = world.client(Role.CARE_PROFESSIONAL)
    assert own.get(f"/pakketten/{package.pk}/samenstellen/").status_code == 200
    assert _change(own, line, package.lock_version).status_code == 200
    assert _compiled(PackageComposerView, (Role.CARE_PROFESSIONAL,))
    assert _compiled(PackageLineUpdateView, (Role.CARE_PROFESSIONAL,))

    elsewhere = MembershipFactory(
        organisation=world.org_a, user=UserFactory(email="elders@example.org"),
        roles=[Role.CARE_PROFESSIONAL], departments=[world.dept_a2],
    )  # fmt: skip
    other = Client()
    other.force_login(elsewhere.user)
    assert other.get(f"/pakketten/{package.pk}/samenstellen/").status_code == 404
    assert _change(other, line, package.lock_version + 1).status_code == 404
    elsewhere.departments.add(world.dept_a)  # read in the statement: visible on the next request
    assert other.get(f"/pakketten/{package.pk}/samenstellen/").status_code == 200
    elsewhere.departments.remove(world.dept_a)
    assert other.get(f"/pakketten/{package.pk}/samenstellen/").status_code == 404

    foreign = world.client(Role.CARE_PROFESSIONAL, org="b")
    assert foreign.get(f"/pakketten/{package.pk}/samenstellen/").status_code == 404
    assert _change(foreign, line, package.lock_version + 1).status_code == 404
    assert own.get("/pakketten/999999999/samenstellen/").status_code == 404
    assert _change(own, type(line)(pk=999999999, minutes=30), 1).status_code == 404


@pytest.mark.django_db
def test_a_lookup_without_the_membership_takes_the_usual_path(world) -> None:  # type: ignore[no-untyped-def]
    data = builders.scenario(world)
    both = MembershipFactory(
        organisation=world.org_a, user=UserFactory(email="beide@example.org"),
        roles=[Role.TEAM_LEADER, Role.MANAGER], departments=[],
    )  # fmt: skip
    client = Client()
    client.force_login(both.user)
    roles = tuple(sorted(both.roles))
    assert client.get(f"/pakketten/{data['package'].pk}/samenstellen/").status_code == 200
    assert not _compiled(PackageComposerView, roles)  # a manager sees every client: no membership value
    assert _change(client, data["line"], data["package"].lock_version).status_code == 200
