"""Two database roles (ipvb.db_roles): the tests connect as the app role, which owns nothing and
may neither truncate, alter, disable triggers, skip them, nor change or delete access log rows."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ipvb import accesslog, db_roles
from ipvb.models_accesslog import AccessLogEntry

pytestmark = pytest.mark.django_db

TWO_ROLES = pytest.mark.skipif(not db_roles.two_roles(), reason="one database role (no DATABASE_OWNER_URL)")


def _refused(sql: str, params: list | None = None) -> str:
    with pytest.raises(DatabaseError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(excinfo.value)


def _entry(world) -> AccessLogEntry:  # type: ignore[no-untyped-def]
    member = world.membership("care_professional")
    return AccessLogEntry.objects.create(
        organisation=world.org_a, user=member.user, action=accesslog.READ, object_type="test"
    )


@TWO_ROLES
def test_the_app_role_owns_nothing_and_bypasses_nothing():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypassrls, createrole, createdb = cursor.fetchone()
        assert user == connection.settings_dict["USER"]
        assert not (superuser or bypassrls or createrole or createdb)
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) = current_user"
        )
        assert cursor.fetchone()[0] == 0


@TWO_ROLES
@pytest.mark.parametrize("table", ["ipvb_accesslogentry", "clients_client", "ipvb_organisation"])
def test_the_app_role_cannot_truncate(world, table):
    assert "permission denied" in _refused(f"TRUNCATE {table} CASCADE")


@TWO_ROLES
@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE ipvb_accesslogentry DISABLE TRIGGER ipvb_accesslog_append_only",
        "ALTER TABLE ipvb_accesslogentry DISABLE TRIGGER ALL",
        "ALTER TABLE clients_client DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE clients_client NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE clients_client ADD COLUMN x integer",
        "DROP POLICY ipvb_tenant ON clients_client",
        "DROP TRIGGER ipvb_accesslog_append_only ON ipvb_accesslogentry",
        "CREATE TABLE ipvb_intruder (id integer)",
    ],
)
def test_the_app_role_cannot_alter_tables_or_triggers(sql):
    message = _refused(sql)
    assert "must be owner" in message or "permission denied" in message


@TWO_ROLES
def test_the_app_role_cannot_skip_triggers_with_session_replication_role():
    assert "permission denied" in _refused("SET session_replication_role = replica")
    assert "permission denied" in _refused("SET LOCAL session_replication_role = replica")


@TWO_ROLES
def test_the_access_log_is_insert_and_select_only(world):
    entry = _entry(world)
    assert AccessLogEntry.objects.for_organisation(world.org_a).filter(pk=entry.pk).exists()
    assert "permission denied" in _refused(
        "UPDATE ipvb_accesslogentry SET object_type = 'x' WHERE id = %s", [entry.pk]
    )
    assert "permission denied" in _refused("DELETE FROM ipvb_accesslogentry WHERE id = %s", [entry.pk])
    with connection.cursor() as cursor:
        cursor.execute("SELECT object_type FROM ipvb_accesslogentry WHERE id = %s", [entry.pk])
        assert cursor.fetchone() == ("test",)


@TWO_ROLES
def test_the_app_role_reads_but_does_not_write_the_migration_history():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0
    assert "permission denied" in _refused("DELETE FROM django_migrations")


@TWO_ROLES
def test_grants_are_idempotent():
    """setup_db_roles / migrate can run again; the app role's rights stay the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'ipvb_accesslogentry', 'UPDATE'), "
            "has_table_privilege(current_user, 'ipvb_accesslogentry', 'INSERT'), "
            "has_table_privilege(current_user, 'clients_client', 'DELETE'), "
            "has_table_privilege(current_user, 'clients_client', 'TRUNCATE')"
        )
        assert cursor.fetchone() == (False, True, True, False)


def test_one_role_without_an_owner_url(settings):
    settings.IPVB_DATABASE_OWNER = None
    assert not db_roles.two_roles()
    assert db_roles.setup() is None


@TWO_ROLES
def test_setup_db_roles_runs_with_server_side_binding(tmp_path):
    """`manage.py setup_db_roles` (make migrate) on the owner connection with parameters bound
    by the server (DATABASE_SERVER_SIDE_BINDING, the default): a utility statement such as
    ALTER ROLE ... PASSWORD takes no bound parameter, so the password goes in as a literal.
    Run as its own process against this test database, with the app role's own password."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings as django_settings

    app = connection.settings_dict
    owner = db_roles.owner_settings() or {}
    name = app["NAME"]
    host = app.get("HOST") or "127.0.0.1"
    port = app.get("PORT") or 5432
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{app['USER']}:{app['PASSWORD']}@{host}:{port}/{name}",
        "DATABASE_OWNER_URL": f"postgres://{owner.get('USER') or 'postgres'}"
        + (f":{owner['PASSWORD']}" if owner.get("PASSWORD") else "")
        + f"@{host}:{port}/{name}",
        "DATABASE_SERVER_SIDE_BINDING": "true",
        "DJANGO_SETTINGS_MODULE": "ipvb.settings.dev",
    }
    env.pop("TEST_DATABASE_NAME", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "setup_db_roles"],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ipvb_app" in result.stdout or app["USER"] in result.stdout
