"""Schemathesis over the reporting party's part of the committed OpenAPI schema, authenticated
as the reporting party with an OAuth2 token (scope reports:read): no server errors, and every
response matches the schema."""

import datetime
import pathlib

import hypothesis
import pytest
import schemathesis
from django.utils import timezone
from schemathesis.checks import not_a_server_error

from tests.reporting.builders import transparency_world

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SCHEMA).include(
    path_regex=r"^/api/v1/reporting/(organisations|reports)/"
)


@pytest.fixture
def party_token(world):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group
    from oauth2_provider.models import AccessToken, Application

    from reporting.parties import GROUP_NAME, SCOPE
    from tests.factories import UserFactory

    transparency_world(world)
    transparency_world(world, "b")
    user = UserFactory(email="vilans-fuzz@example.org")
    user.groups.add(Group.objects.get_or_create(name=GROUP_NAME)[0])
    app = Application.objects.create(
        name="fuzz", user=user, client_type="confidential", authorization_grant_type="client-credentials"
    )
    AccessToken.objects.create(
        application=app, token="fuzz-token", scope=SCOPE, expires=timezone.now() + datetime.timedelta(hours=1)
    )
    return "fuzz-token"


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@hypothesis.settings(
    max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_reporting_party_api_has_no_server_errors(case, live_server, party_token) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=live_server.url, headers={"Authorization": f"Bearer {party_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
