"""PostgreSQL prepares the statements a connection repeats (issue 16): Django leaves psycopg's
preparing off unless ``prepare_threshold`` is set, and the hot paths' lookups were planned on
every request (about 4 ms of planning for the composer's line lookup)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from ipvb.models import Organisation


@pytest.mark.django_db
def test_a_repeated_query_is_prepared_and_a_one_off_is_not() -> None:
    assert connection.vendor == "postgresql"  # the suite runs on PostgreSQL (tests/conftest.py)
    assert settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] == 1
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 1

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    list(Organisation.objects.filter(pk=-1, name="once"))
    assert not any('"name" = $' in sql for sql in prepared())
    for pk in (-2, -3):
        list(Organisation.objects.filter(pk=pk, agb_code="twice"))
    statements = prepared()
    assert any('"ipvb_organisation"' in sql and '"agb_code" = $' in sql for sql in statements), statements


@pytest.mark.django_db
def test_an_api_list_plans_its_statements_for_its_organisation(world) -> None:  # type: ignore[no-untyped-def]
    """An organisation-wide API list asks PostgreSQL for custom plans for the rest of its
    transaction (``rls.plan_each_statement``): a generic plan cannot know the organisation's
    size (issue 16: the package lines of the largest of very unequal organisations ran 2.6
    times slower with it). ``set_config(..., true)``: the setting ends with the transaction."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from ipvb import rls
    from ipvb.roles import Role

    client = world.client(Role.MANAGER)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/package-lines/").status_code == 200
    assert any(
        "set_config" in q["sql"] and "plan_cache_mode" in str(q["sql"]) for q in queries.captured_queries
    )

    def mode() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('plan_cache_mode')")
            return str(cursor.fetchone()[0])

    with transaction.atomic():
        rls.plan_each_statement()
        assert mode() == "force_custom_plan"
