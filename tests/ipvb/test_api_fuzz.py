"""Schemathesis over the committed OpenAPI schema: generated requests (valid and invalid) for
every operation, authenticated as a user with every role, must never get a server error.

The requests go through Django's WSGI application in-process (the handler the live server runs,
with every middleware), inside the test's transaction: both organisations' scenarios are built
once for the module and each operation's requests are rolled back after it. Work deferred to
the commit (``transaction.on_commit``: e-mails, Celery tasks run eagerly) is run after each
request, so a failure there still fails the test."""

from __future__ import annotations

import pathlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import TestCase
from schemathesis.checks import not_a_server_error

from ipvb.roles import Role
from tests.conversations import builders
from tests.world import World

SCHEMA = pathlib.Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_path(SCHEMA)
BASE_URL = "http://testserver"  # a host the test settings allow


class InTestTransaction:
    """Django's WSGI application; what a request leaves for the commit runs when it is done."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        return [body]


@pytest.fixture(scope="module")
def api_token(django_db_setup, django_db_blocker) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Both organisations' scenarios and an API key of a member with every role, in a
    transaction held for the module (each test's own transaction is a savepoint in it)."""
    from tests.factories import api_key

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = World()
            builders.scenario(world)
            builders.scenario(world, "b")
            membership = world.membership(Role.ORG_ADMIN)
            membership.roles = list(Role.values)
            membership.save()
            membership.departments.set([world.dept_a, world.dept_a2])
            key = api_key(membership.user, membership.organisation)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    # Requests run on the test's connection: the handler must not close it between requests
    # (as Django's test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield key
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def app() -> InTestTransaction:
    return InTestTransaction()


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_no_server_errors(case, app, api_token) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=BASE_URL, app=app, headers={"Authorization": f"Token {api_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    assert response.status_code < 500
