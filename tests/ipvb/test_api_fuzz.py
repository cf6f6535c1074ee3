"""Schemathesis over the committed OpenAPI schema against a live server: generated requests
(valid and invalid) for every operation, authenticated as a user with every role, must never
get a server error."""

import pathlib

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error

from ipvb.roles import Role
from tests.conversations import builders

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SCHEMA)


@pytest.fixture
def api_token(world):  # type: ignore[no-untyped-def]
    from tests.factories import api_key

    builders.scenario(world)
    builders.scenario(world, "b")
    membership = world.membership(Role.ORG_ADMIN)
    membership.roles = list(Role.values)
    membership.save()
    membership.departments.set([world.dept_a, world.dept_a2])
    return api_key(membership.user, membership.organisation)


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@hypothesis.settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_no_server_errors(case, live_server, api_token) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=live_server.url, headers={"Authorization": f"Token {api_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
