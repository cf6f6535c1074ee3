"""PostgreSQL row-level security: the second wall between organisations (docs/security.md).

Every tenant table (every model of ``ipvb.tenancy.TenantModel``, i.e. ``is_tenant_model``, and
the many-to-many tables between tenant models) has ROW LEVEL SECURITY enabled and forced, and
one policy ``ipvb_tenant`` that admits a row only when

* its ``organisation_id`` is the organisation set for the current transaction
  (``ipvb.organisation``), or
* the cross-organisation setting is on (``ipvb.cross_organisation``): only through
  :func:`allow_cross_organisation` / :func:`cross_organisation`, used by ``reporting/`` (the
  reporting party, via ``TenantQuerySet.dangerously_unscoped``) and nowhere else (a test
  checks), or
* for ``ipvb_membership``: the row is the current user's own membership (``ipvb.user``), and
  for ``ipvb_membershipinvitation``: the invitation is addressed to the current user's e-mail
  address; that is how a user's memberships and invitations across organisations are found.

A many-to-many table without an organisation column admits a row when its tenant parent row
is visible (the parent's own policy decides). A new tenant table is covered without any extra
line: the ``migrate`` command applies :func:`apply_policies` to every table
:func:`tenant_tables` finds after the migrations ran (idempotent), and
``tests/ipvb/test_rls.py`` fails when a tenant table lacks its policy. A model that is not a
tenant model but hangs under one (a child table without organisation key) names its parent
with ``rls_parent = "<foreign key field>"`` on the model class.

The settings are transaction-local (``set_config(..., true)``): the request middleware
(``ipvb.tenancy.ActiveOrganisationMiddleware``) runs each request in a transaction, sets them
from the resolved membership (``attach_membership``) and restores the previous values after
the response; nothing a request sends can set them. Celery tasks and management commands that
work on one organisation use :func:`organisation_context`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, models
from django.db import connection as default_connection

if TYPE_CHECKING:
    from .models import Organisation

ORGANISATION = "ipvb.organisation"
USER = "ipvb.user"
CROSS_ORGANISATION = "ipvb.cross_organisation"
# The hash of a family invitation link being opened (family.services.invitation_for_token).
FAMILY_TOKEN = "ipvb.family_token"
SETTINGS = (ORGANISATION, USER, CROSS_ORGANISATION, FAMILY_TOKEN)
POLICY = "ipvb_tenant"

# Each setting is read in a sub-select, so PostgreSQL evaluates it once per statement (an
# InitPlan) instead of once per row, and `organisation_id = (SELECT ...)` can use an index.
_ORG = f"(SELECT NULLIF(current_setting('{ORGANISATION}', true), '')::bigint)"
_USER = f"(SELECT NULLIF(current_setting('{USER}', true), '')::bigint)"
_CROSS = f"(SELECT current_setting('{CROSS_ORGANISATION}', true)) = 'on'"

# Extra clauses (reviewed one by one) for the tables a user must find across organisations.
EXTRA_CLAUSES: dict[str, str] = {
    # A user's own memberships: how the active organisation is found at login (tenancy).
    "ipvb_membership": f"user_id = {_USER}",
    # The departments named in the user's own memberships and in invitations to them (their
    # names are shown to the invitee and in the organisation switcher).
    "ipvb_department": (
        "EXISTS (SELECT 1 FROM ipvb_membership_departments md JOIN ipvb_membership m "  # noqa: S608 constants
        f"ON m.id = md.membership_id WHERE md.department_id = ipvb_department.id AND m.user_id = {_USER}) "
        "OR EXISTS (SELECT 1 FROM ipvb_membershipinvitation_departments idp JOIN ipvb_membershipinvitation i "
        "ON i.id = idp.membershipinvitation_id WHERE idp.department_id = ipvb_department.id "
        f"AND lower(i.email) = (SELECT lower(u.email) FROM ipvb_user u WHERE u.id = {_USER}))"
    ),
    # Invitations addressed to the user's own e-mail address (the invitee accepts them).
    "ipvb_membershipinvitation": (
        f"lower(email) = (SELECT lower(u.email) FROM ipvb_user u WHERE u.id = {_USER})"  # noqa: S608 constants
    ),
    # A contact person's own family access (family app), and the one invitation whose link
    # (its hash) is being opened.
    "family_familyaccess": (
        f"user_id = {_USER} OR token_hash = (SELECT NULLIF(current_setting('{FAMILY_TOKEN}', true), ''))"
    ),
}


@dataclass(frozen=True)
class TenantTable:
    table: str
    # The organisation column, or (for a child table) the parent table and the two columns.
    organisation_column: str | None = None
    parent_table: str | None = None
    parent_column: str | None = None
    parent_pk: str | None = None

    def expression(self) -> str:
        if self.organisation_column:
            clauses = [f"{self.organisation_column} = {_ORG}", _CROSS]
            extra = EXTRA_CLAUSES.get(self.table)
            if extra:
                clauses.append(extra)
            return " OR ".join(f"({clause})" for clause in clauses)
        return (
            f"({_CROSS}) OR EXISTS (SELECT 1 FROM {self.parent_table} p "  # noqa: S608 model names
            f"WHERE p.{self.parent_pk} = {self.table}.{self.parent_column})"
        )


def enabled() -> bool:
    return bool(getattr(settings, "IPVB_RLS", True)) and default_connection.vendor == "postgresql"


def _is_tenant(model: type[models.Model]) -> bool:
    from .tenancy import is_tenant_model

    return is_tenant_model(model)


def tenant_tables() -> list[TenantTable]:
    """Every table row-level security must cover, derived from the models."""
    from django.apps import apps

    found: dict[str, TenantTable] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        if _is_tenant(model):
            column = model._meta.get_field("organisation").column  # type: ignore[union-attr]  # a tenant model: a concrete FK
            found[meta.db_table] = TenantTable(meta.db_table, organisation_column=column)
            continue
        parent_field = getattr(model, "rls_parent", None)
        if parent_field is None and meta.auto_created:
            # A many-to-many table: hangs under the first tenant side.
            for field in meta.concrete_fields:
                if field.is_relation and field.related_model is not None and _is_tenant(field.related_model):
                    parent_field = field.name
                    break
        if parent_field is None:
            continue
        parent_link: Any = meta.get_field(parent_field)
        parent: Any = parent_link.related_model
        found[meta.db_table] = TenantTable(
            meta.db_table,
            parent_table=parent._meta.db_table,
            parent_column=parent_link.column,
            parent_pk=parent._meta.pk.column,
        )
    return sorted(found.values(), key=lambda t: t.table)


def uncovered_child_models() -> list[str]:
    """Models that are neither tenant models nor declared children but point at a tenant model:
    candidates for a missing wall (the check test lists them). The access log's client link
    and platform tables that only point at organisations are not tenant children."""
    from django.apps import apps

    covered = {t.table for t in tenant_tables()}
    result = []
    for model in apps.get_models():
        if model._meta.db_table in covered or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None and _is_tenant(field.related_model):
                result.append(f"{model._meta.label}.{field.name}")
    return result


def apply_policies(connection: Any = None) -> list[str]:
    """ENABLE + FORCE ROW LEVEL SECURITY and (re)create the policy on every tenant table.
    Idempotent; run by the owner (``migrate`` does it after the migrations)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    done = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        existing = {row[0] for row in cursor.fetchall()}
        for table in tenant_tables():
            if table.table not in existing:
                continue
            name = connection.ops.quote_name(table.table)
            expression = table.expression()
            cursor.execute(f"ALTER TABLE {name} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {name}")
            cursor.execute(f"CREATE POLICY {POLICY} ON {name} USING ({expression}) WITH CHECK ({expression})")
            done.append(table.table)
    return done


def remove_policies(connection: Any = None) -> list[str]:
    """IPVB_RLS=false: the tables without row-level security again (``migrate`` does it)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    done = []
    with connection.cursor() as cursor:
        for name, state in policies(connection).items():
            if state["rls"] or state["policy"]:
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {quoted}")
                cursor.execute(f"ALTER TABLE {quoted} NO FORCE ROW LEVEL SECURITY")
                cursor.execute(f"ALTER TABLE {quoted} DISABLE ROW LEVEL SECURITY")
                done.append(name)
    return done


def policies(connection: Any = None) -> dict[str, dict[str, Any]]:
    """What the database holds: table -> {rls, force, policy}."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                      (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = %s)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')""",
            [POLICY],
        )
        return {
            name: {"rls": rls, "force": force, "policy": count > 0}
            for name, rls, force, count in cursor.fetchall()
        }


# The transaction settings ----------------------------------------------------------------------


def _set(name: str, value: str, connection: Any = None, local: bool = True) -> None:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, %s)", [name, value, local])


def _set_many(values: dict[str, str], connection: Any = None, local: bool = True) -> None:
    """Several settings in one round trip."""
    connection = connection or default_connection
    if connection.vendor != "postgresql" or not values:
        return
    params: list[Any] = []
    for name, value in values.items():
        params += [name, value, local]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join("set_config(%s, %s, %s)" for _ in values), params)


def plan_each_statement(connection: Any = None) -> None:
    """For the rest of the transaction PostgreSQL plans every statement for its parameters,
    prepared or not (issue 16). A prepared statement's generic plan cannot know how large the
    organisation in its parameters is: an organisation-wide list of the largest organisation
    in a database of very unequal ones ran 2.6 times slower with it. Lookups by id keep the
    cached generic plans (the composer's lookup is not planned again on every request)."""
    _set("plan_cache_mode", "force_custom_plan", connection)


def current(connection: Any = None) -> dict[str, str]:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("coalesce(current_setting(%s, true), '')" for _ in SETTINGS),
            list(SETTINGS),
        )
        row = cursor.fetchone()
    return dict(zip(SETTINGS, row, strict=True))


def restore(values: dict[str, str], connection: Any = None) -> None:
    _set_many(values, connection)


def reset_for_request(connection: Any = None, user_id: int | None = None) -> None:
    """Start of a request: no organisation, no cross-organisation access, no family link, and
    the given user (None: no user) whose own memberships become visible; one round trip."""
    values = {name: "off" if name == CROSS_ORGANISATION else "" for name in SETTINGS}
    if user_id is not None:
        values[USER] = str(int(user_id))
    _set_many(values, connection)


def set_user(user_id: int | None) -> None:
    """The user whose own memberships and invitations are visible (``attach_membership``)."""
    _set(USER, "" if user_id is None else str(int(user_id)))


def _organisation_id(organisation: Organisation | int | None) -> int | None:
    if organisation is None or isinstance(organisation, int):
        return organisation
    return organisation.pk


def set_user_and_organisation(user_id: int | None, organisation: Organisation | int | None) -> None:
    organisation_id = _organisation_id(organisation)
    _set_many(
        {
            USER: "" if user_id is None else str(int(user_id)),
            ORGANISATION: "" if organisation_id is None else str(int(organisation_id)),
        }
    )


def set_organisation(organisation: Organisation | int | None) -> None:
    """The organisation of the current transaction (None: no tenant row at all)."""
    organisation_id = _organisation_id(organisation)
    _set(ORGANISATION, "" if organisation_id is None else str(int(organisation_id)))


def set_family_token(token_hash: str | None) -> None:
    """The family invitation (by the hash of its link) that may be read in this transaction."""
    _set(FAMILY_TOKEN, token_hash or "")


def allow_cross_organisation() -> None:
    """Opens the wall for every organisation until the end of the current transaction (the
    request). Only for the reporting party's aggregates (``reporting/``), through
    ``TenantQuerySet.dangerously_unscoped``; a test keeps it there."""
    _set(CROSS_ORGANISATION, "on")


@contextmanager
def _settings(values: dict[str, str]) -> Iterator[None]:
    """The given settings for a block, then the previous ones again. Inside a transaction (a
    request, a test) they are transaction-local; outside one (a Celery worker, a management
    command) they are set for the session and reset afterwards, so the block keeps its own
    transactions (progress written as it goes, a failure recorded)."""
    connection = default_connection
    if connection.vendor != "postgresql":
        yield
        return
    local = connection.in_atomic_block
    previous = current()
    _set_many(values, local=local)
    try:
        yield
    finally:
        try:
            _set_many(previous, local=local)
        except DatabaseError:
            if not local:
                connection.close()  # never hand a session with this organisation to anyone
                raise
            # A broken transaction rolls back, and its local settings with it.


def organisation_context(organisation: Organisation | int | None) -> AbstractContextManager[None]:
    """Work on one organisation outside a request (Celery task, management command)."""
    organisation_id = _organisation_id(organisation)
    return _settings(
        {
            ORGANISATION: "" if organisation_id is None else str(int(organisation_id)),
            USER: "",
            CROSS_ORGANISATION: "off",
        }
    )


def cross_organisation() -> Any:
    """Every organisation for a block: reporting/ only (platform jobs of the reporting party,
    e.g. queueing the monthly transparency reports)."""
    return _settings({CROSS_ORGANISATION: "on"})
