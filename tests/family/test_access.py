"""The route matrix for the contact person (built from the URL resolver, tests/routing.py):
every staff page and API route refuses a contact person; their own pages are covered by the
generic matrix of tests/ipvb/test_access.py through tests/family/routes.py."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.ipvb.test_access import ROUTES, _call, _url

STAFF_ROUTES = [r for r in ROUTES if not r.public and "family" not in r.extra]


def test_contact_person_never_gets_a_staff_route(world: Any) -> None:
    """One world for all routes (nothing changes: every answer is a refusal)."""
    browser = world.client("contact_person")
    wrong, skipped, checked = [], [], 0
    for route in STAFF_ROUTES:
        try:
            with transaction.atomic():
                url = _url(route, world)
                if route.data:
                    route.data(world)
        except (IntegrityError, ValidationError):  # two apps' builders clash in one shared world
            skipped.append(route.name)
            continue
        response = _call(browser, route, url, world)
        checked += 1
        if route.name in ("organisation_switch", "home"):  # home: on to the family page
            expected: tuple[int, ...] = (302,)
        elif route.name in ("api-schema", "api-docs"):  # the API's shape, no data of anyone
            expected = (200,)
        elif "without_membership" in route.extra:
            # The user's own account pages (choose an organisation, invitations): nothing of a client.
            expected = (route.extra["without_membership"],)
        elif route.api:
            expected = (401, 403)
        else:
            expected = (403, 404)
        if response.status_code not in expected:
            wrong.append((route.name, response.status_code))
    assert not wrong, wrong
    assert checked > 100 and len(skipped) < len(STAFF_ROUTES) // 4, skipped


def test_family_routes_are_in_the_matrix() -> None:
    names = {r.name for r in ROUTES if "family" in r.extra}
    assert {"family_home", "family_versions", "family_package", "family_wish"} <= names


def test_unknown_invitation_link_answers_like_a_used_one(world: Any) -> None:
    response = world.client(None).get(reverse("family_invitation", args=["onbekend"]))
    assert response.status_code == 404
