"""Row-level security (ipvb.rls): the database's own wall between organisations.

The tests connect as the app role (tests/conftest.py); test set-up runs with the
cross-organisation setting on, so these tests switch it off (``_wall``) to see what a query
that forgot its scope would get."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, transaction

from ipvb import db_roles, rls
from ipvb.models import Membership, MembershipInvitation, Organisation
from ipvb.tenancy import SESSION_KEY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not (db_roles.two_roles() and rls.enabled()), reason="row-level security needs PostgreSQL, two roles"
    ),
]


@contextmanager
def _wall(organisation: object = None, user: object = None) -> Iterator[None]:
    """A transaction as the application would run it: no bypass, the given settings."""
    with transaction.atomic():
        previous = rls.current()
        rls.reset_for_request()
        rls.set_organisation(organisation)
        rls.set_user(getattr(user, "pk", user))
        try:
            yield
        finally:
            rls.restore(previous)


def _rows(table: str, column: str = "organisation_id") -> list:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {connection.ops.quote_name(table)}")
        return [row[0] for row in cursor.fetchall()]


def _org_of_child(table: rls.TenantTable) -> list:
    """The organisations of a child table's rows, through the parent (seen with the bypass)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.organisation_id FROM {table.table} c JOIN {table.parent_table} p "
            f"ON p.{table.parent_pk} = c.{table.parent_column}"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def demo(demo) -> list[Organisation]:  # type: ignore[no-untyped-def]
    """The demo data (loaded once per session, tests/demo.py), and its organisations."""
    return list(Organisation.objects.order_by("pk"))


# The check: every tenant table has its wall -------------------------------------------------


def test_every_tenant_table_has_row_level_security_forced_and_its_policy() -> None:
    held = rls.policies()
    missing = [
        table.table
        for table in rls.tenant_tables()
        if held.get(table.table) != {"rls": True, "force": True, "policy": True}
    ]
    assert missing == [], f"tenant tables without row-level security: {missing}"


def test_every_table_under_a_tenant_model_is_covered() -> None:
    """A model that points at a tenant model without being one (a child table without its own
    organisation key) must name its parent with ``rls_parent``."""
    assert rls.uncovered_child_models() == []


def test_the_registry_finds_the_tenant_models_and_leaves_platform_tables_out() -> None:
    tables = {table.table for table in rls.tenant_tables()}
    assert {"clients_client", "ipvb_membership", "ipvb_accesslogentry", "conversations_packageline"} <= tables
    assert "ipvb_membership_departments" in tables  # a many-to-many table, via its parent
    assert tables.isdisjoint({"ipvb_organisation", "ipvb_user", "costing_tariff", "costing_tariffimport"})


# The wall itself ------------------------------------------------------------------------------


def test_without_the_setting_every_tenant_table_returns_nothing(demo) -> None:  # type: ignore[no-untyped-def]
    populated = {table.table: len(_rows(table.table, "1")) for table in rls.tenant_tables()}
    assert sum(populated.values()) > 0
    with _wall():
        seen = {table.table: len(_rows(table.table, "1")) for table in rls.tenant_tables()}
    assert seen == dict.fromkeys(populated, 0)


def test_with_organisation_a_never_a_row_of_b(demo) -> None:  # type: ignore[no-untyped-def]
    org_a, org_b = demo[0], demo[1]
    checked = 0
    for table in rls.tenant_tables():
        if table.organisation_column:
            everything = _rows(table.table)
            with _wall(org_a):
                seen = _rows(table.table)
        else:
            everything = _org_of_child(table)
            with _wall(org_a):
                seen = _org_of_child(table)
        assert set(seen) <= {org_a.pk}, table.table
        assert seen.count(org_a.pk) == everything.count(org_a.pk), table.table
        checked += bool(everything.count(org_b.pk))
    assert checked >= 10  # the demo fills most tables of both organisations


def test_a_row_of_another_organisation_cannot_be_written(world) -> None:  # type: ignore[no-untyped-def]
    from ipvb.models import Department

    with _wall(world.org_a):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Department.objects.create(organisation=world.org_b, name="Binnengesmokkeld", places=3)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ipvb_department SET name = 'x' WHERE organisation_id = %s", [world.org_b.pk]
            )
            assert cursor.rowcount == 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM ipvb_department WHERE organisation_id = %s", [world.org_b.pk])
            assert cursor.rowcount == 0
    assert Department.objects.for_organisation(world.org_b).count() == 1


def test_a_user_finds_their_own_memberships_across_organisations_only(world) -> None:  # type: ignore[no-untyped-def]
    mine_a = world.membership("manager", "a")
    mine_b = Membership.objects.create(organisation=world.org_b, user=mine_a.user, roles=["manager"])
    other = world.membership("manager", "b")
    with _wall(None, mine_a.user):
        assert set(Membership.objects.for_user(mine_a.user).values_list("pk", flat=True)) == {
            mine_a.pk,
            mine_b.pk,
        }
        assert set(_rows("ipvb_membership", "id")) == {mine_a.pk, mine_b.pk}
        assert other.pk not in _rows("ipvb_membership", "id")


def test_an_invitee_sees_only_invitations_to_their_own_address(world) -> None:  # type: ignore[no-untyped-def]
    user = world.user("manager", "a")
    to_me = MembershipInvitation.objects.create(
        organisation=world.org_b, email=user.email.upper(), roles=["manager"]
    )
    MembershipInvitation.objects.create(
        organisation=world.org_b, email="iemand@example.org", roles=["manager"]
    )
    with _wall(None, user):
        assert _rows("ipvb_membershipinvitation", "id") == [to_me.pk]


def test_the_cross_organisation_setting_opens_the_wall_for_the_transaction_only(world) -> None:  # type: ignore[no-untyped-def]
    with _wall():
        assert _rows("ipvb_department") == []
        with rls.cross_organisation():
            assert len(_rows("ipvb_department")) == 3
        assert _rows("ipvb_department") == []


# Requests -----------------------------------------------------------------------------------


def test_a_request_runs_with_its_own_organisation_and_restores_the_settings(world) -> None:  # type: ignore[no-untyped-def]
    before = rls.current()
    client = world.client("manager", "a")
    assert client.get("/api/v1/departments/").status_code == 200
    assert rls.current() == before


def test_a_request_cannot_choose_another_organisation(world) -> None:  # type: ignore[no-untyped-def]
    """Neither a header, a parameter nor a session value for an organisation the user is not a
    member of changes the organisation: the settings come only from the resolved membership."""
    client = world.client("manager", "a")
    session = client.session
    session[SESSION_KEY] = world.org_b.pk
    session.save()
    # A session value for a foreign organisation and a plain filter parameter are ignored.
    response = client.get(f"/api/v1/departments/?organisation={world.org_b.pk}")
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    assert names == {"A-groep", "A-zonder"}
    # Naming the tenancy settings themselves is refused outright (ipvb.security).
    refused = client.get(
        f"/api/v1/departments/?ipvb.organisation={world.org_b.pk}",
        HTTP_X_IPVB_ORGANISATION=str(world.org_b.pk),
        HTTP_X_IPVB_CROSS_ORGANISATION="on",
    )
    assert refused.status_code == 400 and "lidmaatschap" in refused.json()["detail"]


def test_middleware_sets_the_settings_from_the_membership(rf, world) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.backends.db import SessionStore

    from ipvb.tenancy import ActiveOrganisationMiddleware

    seen = {}

    def view(request):  # type: ignore[no-untyped-def]
        seen.update(rls.current())
        from django.http import HttpResponse

        return HttpResponse("ok")

    member = world.membership("manager", "a")
    request = rf.get("/", HTTP_X_IPVB_ORGANISATION=str(world.org_b.pk))
    request.user = member.user
    request.session = SessionStore()
    ActiveOrganisationMiddleware(view)(request)
    assert {key: seen[key] for key in (rls.ORGANISATION, rls.USER, rls.CROSS_ORGANISATION)} == {
        rls.ORGANISATION: str(world.org_a.pk),
        rls.USER: str(member.user.pk),
        rls.CROSS_ORGANISATION: "off",
    }


# Review: the way in stays in reporting/ ----------------------------------------------------------


def test_cross_organisation_only_from_reporting() -> None:
    root = pathlib.Path(__file__).resolve().parents[2]
    allowed = {
        "ipvb/rls.py",
        "ipvb/db_roles.py",
        "ipvb/tenancy.py",
        "ipvb/management/commands/load_demo.py",
        "scripts/benchmark_accesslog.py",  # its own scratch database
    }
    offenders = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in {".venv", "tests", "reporting"} or rel.as_posix() in allowed:
            continue
        text = path.read_text()
        if "cross_organisation(" in text or "CROSS_ORGANISATION" in text or "ipvb.cross_organisation" in text:
            offenders.append(str(rel))
    assert offenders == []
