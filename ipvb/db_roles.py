"""Two database roles on PostgreSQL (docs/security.md).

* The **owner** role (``DATABASE_OWNER_URL``) owns every table: ``migrate`` (and ``flush``)
  run as the owner, whatever the process connects as otherwise.
* The **app** role (``DATABASE_URL``) owns nothing. It may SELECT/INSERT/UPDATE/DELETE the
  application's tables, only INSERT and SELECT the access log, only SELECT
  ``django_migrations``; it may not TRUNCATE, ALTER, DISABLE TRIGGER or change
  ``session_replication_role`` (superuser only), and it is subject to row-level security
  (NOSUPERUSER NOBYPASSRLS).

Without ``DATABASE_OWNER_URL`` (the SQLite demo, or one PostgreSQL URL) everything runs as the
one role, as before. ``manage.py setup_db_roles`` creates (or corrects) the app role and its
grants, idempotently; ``migrate`` re-applies the grants after every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

ACCESS_LOG_TABLE = "ipvb_accesslogentry"
CREATE_PARTITIONS_FUNCTION = "ipvb_accesslog_create_partitions"
# Tables the app role may only read (and, for the access log, append to).
READ_ONLY_TABLES = ("django_migrations",)
APPEND_ONLY_TABLES = (ACCESS_LOG_TABLE,)
# The owner's sessions see every organisation (data migrations run before and after the
# row-level security policies exist).
OWNER_OPTIONS = "-c ipvb.cross_organisation=on"
_SWAPPED_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_settings() -> dict[str, Any] | None:
    owner = getattr(settings, "IPVB_DATABASE_OWNER", None)
    return dict(owner) if owner else None


def app_user(alias: str = "default") -> str:
    return str(
        getattr(connections[alias], "_ipvb_app_user", None) or connections[alias].settings_dict["USER"]
    )


def two_roles(alias: str = "default") -> bool:
    """True when the owner and the app are different PostgreSQL roles."""
    owner = owner_settings()
    connection = connections[alias]
    return bool(
        owner
        and connection.vendor == "postgresql"
        and owner.get("USER")
        and owner.get("USER") != connection.settings_dict.get("USER")
    )


def _swap(alias: str, values: dict[str, Any], options: str | None) -> dict[str, Any]:
    connection = connections[alias]
    connection.close()
    settings_dicts: list[Any] = [connection.settings_dict]
    if settings.DATABASES[alias] is not connection.settings_dict:
        settings_dicts.append(settings.DATABASES[alias])
    previous = {key: connection.settings_dict.get(key) for key in _SWAPPED_KEYS}
    previous["OPTIONS"] = dict(connection.settings_dict.get("OPTIONS") or {})
    for settings_dict in settings_dicts:
        for key in _SWAPPED_KEYS:
            if values.get(key) not in (None, ""):
                settings_dict[key] = values[key]
            elif key in ("USER", "PASSWORD"):
                settings_dict[key] = values.get(key) or ""
        new_options = (
            dict(values["OPTIONS"]) if "OPTIONS" in values else dict(settings_dict.get("OPTIONS") or {})
        )
        if options is not None:
            new_options["options"] = options
        settings_dict["OPTIONS"] = new_options
    return previous


@contextmanager
def as_owner(alias: str = "default") -> Iterator[None]:
    """Runs the block on the owner role (same database), then back to the app role."""
    if not two_roles(alias):
        yield
        return
    connection = connections[alias]
    app = connection.settings_dict["USER"]
    previous = _swap(alias, owner_settings() or {}, OWNER_OPTIONS)
    connection._ipvb_app_user = app  # type: ignore[attr-defined]  # our marker on the connection
    try:
        yield
    finally:
        del connection._ipvb_app_user  # type: ignore[attr-defined]  # our marker on the connection
        _swap(alias, previous, None)


def switch_to_app(alias: str, app: dict[str, Any], options: str | None = None) -> dict[str, Any]:
    """The test suite: after the owner created and migrated the test database."""
    return _swap(alias, app, options)


def ensure_app_role(user: str, password: str | None, alias: str = "default") -> None:
    """Creates the app role (LOGIN, owns nothing, no superuser/createdb/createrole/bypassrls),
    or corrects its attributes and password. Runs on the owner connection, which needs
    CREATEROLE (the docker-compose owner is the database superuser)."""
    connection = connections[alias]
    quoted = connection.ops.quote_name(user)
    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [user])
        if cursor.fetchone() is None:
            try:
                cursor.execute(f"CREATE ROLE {quoted} {attributes}")
            except Exception:  # another process created it at the same moment
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [user])
                if cursor.fetchone() is None:
                    raise
        cursor.execute(f"ALTER ROLE {quoted} {attributes}")
        if password:
            # A utility statement takes no bound parameters (server-side binding, see
            # DATABASE_SERVER_SIDE_BINDING): the password goes in as a literal quoted by psycopg.
            from psycopg import sql

            literal = sql.Literal(password).as_string(cursor.cursor.connection)
            cursor.execute(f"ALTER ROLE {quoted} PASSWORD {literal}")


def role_exists(user: str, alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [user])
        return cursor.fetchone() is not None


def grant_app_privileges(user: str, alias: str = "default") -> None:
    """The app role's grants on the current database (idempotent; run as the owner)."""
    connection = connections[alias]
    quoted = connection.ops.quote_name(user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
        )
        tables = {row[0] for row in cursor.fetchall()}
        for table in READ_ONLY_TABLES:
            if table in tables:
                name = connection.ops.quote_name(table)
                cursor.execute(f"REVOKE ALL ON {name} FROM {quoted}")
                cursor.execute(f"GRANT SELECT ON {name} TO {quoted}")
        for table in APPEND_ONLY_TABLES:
            if table in tables:
                name = connection.ops.quote_name(table)
                cursor.execute(f"REVOKE ALL ON {name} FROM {quoted}")
                cursor.execute(f"GRANT SELECT, INSERT ON {name} TO {quoted}")
        # Partitions of the access log are reached only through the partitioned table.
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [ACCESS_LOG_TABLE],
        )
        for (partition,) in cursor.fetchall():
            cursor.execute(f"REVOKE ALL ON {connection.ops.quote_name(partition)} FROM {quoted}")
        # The one function the app role may call: creating next months' partitions.
        cursor.execute("SELECT to_regprocedure(%s)", [f"{CREATE_PARTITIONS_FUNCTION}(integer)"])
        if cursor.fetchone()[0] is not None:
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {CREATE_PARTITIONS_FUNCTION}(integer) TO {quoted}")


def setup(alias: str = "default", create_role: bool = True) -> str | None:
    """Creates the app role (when asked) and grants its privileges. Returns the role name, or
    None with one role only."""
    if not two_roles(alias):
        return None
    connection = connections[alias]
    user = connection.settings_dict["USER"]
    password = connection.settings_dict.get("PASSWORD") or None
    with as_owner(alias):
        if create_role:
            ensure_app_role(user, password, alias)
        if role_exists(user, alias):
            grant_app_privileges(user, alias)
            return str(user)
    return None
