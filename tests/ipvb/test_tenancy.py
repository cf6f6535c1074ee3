import pytest
from django.core.exceptions import ImproperlyConfigured

from ipvb.api.base import TenantViewSet
from ipvb.models import Department, Membership
from ipvb.roles import Role
from ipvb.tenancy import SESSION_KEY, UnscopedQueryError
from ipvb.views.base import TenantListView
from tests.factories import DepartmentFactory, MembershipFactory, OrganisationFactory


@pytest.mark.django_db
class TestFailClosedManager:
    def test_unscoped_query_refuses_to_run(self) -> None:
        DepartmentFactory()
        with pytest.raises(UnscopedQueryError):
            list(Department.objects.all())
        with pytest.raises(UnscopedQueryError):
            Department.objects.count()
        with pytest.raises(UnscopedQueryError):
            Department.objects.filter(name="x").exists()
        with pytest.raises(UnscopedQueryError):
            Department.objects.update(places=3)
        with pytest.raises(UnscopedQueryError):
            Department.objects.all().delete()

    def test_or_with_organisation_is_not_scoped(self) -> None:
        from django.db.models import Q

        department = DepartmentFactory()
        with pytest.raises(UnscopedQueryError):
            list(Department.objects.filter(Q(organisation=department.organisation) | Q(places=16)))

    def test_scoped_queries_run_and_only_see_their_organisation(self) -> None:
        a = DepartmentFactory(name="A")
        b = DepartmentFactory(name="B")
        assert list(Department.objects.for_organisation(a.organisation)) == [a]
        assert list(Department.objects.filter(organisation=b.organisation)) == [b]
        assert Department.objects.dangerously_unscoped().count() == 2

    def test_related_manager_of_loaded_object_is_scoped(self) -> None:
        department = DepartmentFactory()
        membership = MembershipFactory(organisation=department.organisation, departments=[department])
        assert list(membership.departments.all()) == [department]

    def test_escape_hatch_only_used_in_reporting(self) -> None:
        import pathlib

        root = pathlib.Path(__file__).resolve().parents[2]
        offenders = []
        for path in root.glob("*/**/*.py"):
            rel = path.relative_to(root)
            if rel.parts[0] in {".venv", "tests", "reporting"} or rel.as_posix() == "ipvb/tenancy.py":
                continue
            if "dangerously_unscoped(" in path.read_text():
                offenders.append(str(rel))
        assert offenders == []


def test_views_cannot_override_scoping() -> None:
    with pytest.raises(ImproperlyConfigured):

        class Wide(TenantListView):
            def get_queryset(self):  # type: ignore[no-untyped-def]
                return Department.objects.dangerously_unscoped()

    with pytest.raises(ImproperlyConfigured):

        class WideApi(TenantViewSet):
            def get_object(self):  # type: ignore[no-untyped-def]
                return None


@pytest.mark.django_db
class TestActiveOrganisation:
    def test_switch_to_own_second_organisation(self, client) -> None:  # type: ignore[no-untyped-def]
        m1 = MembershipFactory(roles=[Role.MANAGER], organisation=OrganisationFactory(name="Alfa"))
        m2 = MembershipFactory(
            roles=[Role.MANAGER], user=m1.user, organisation=OrganisationFactory(name="Beta")
        )
        client.force_login(m1.user)
        # Two memberships, no choice yet: asked, never a default picked by name.
        assert client.get("/")["Location"].startswith("/organisatie/kiezen/")
        response = client.post("/organisatie/wisselen/", {"organisation": m2.organisation_id})
        assert response.status_code == 302
        assert client.session[SESSION_KEY] == m2.organisation_id
        assert client.get("/").context["active_organisation"] == m2.organisation
        m1.user.refresh_from_db()
        assert m1.user.last_organisation_id == m2.organisation_id

    def test_switch_to_foreign_organisation_changes_nothing(self, client) -> None:  # type: ignore[no-untyped-def]
        mine = MembershipFactory(roles=[Role.MANAGER])
        foreign = OrganisationFactory()
        client.force_login(mine.user)
        response = client.post("/organisatie/wisselen/", {"organisation": foreign.pk}, follow=True)
        assert SESSION_KEY not in client.session
        assert "geen lid van die organisatie" in response.content.decode()
        assert response.context["active_organisation"] == mine.organisation

    def test_switch_with_garbage_changes_nothing(self, client) -> None:  # type: ignore[no-untyped-def]
        mine = MembershipFactory(roles=[Role.MANAGER])
        client.force_login(mine.user)
        response = client.post("/organisatie/wisselen/", {"organisation": "abc"})
        assert response.status_code == 302
        assert SESSION_KEY not in client.session

    def test_disabled_membership_is_not_used(self, client) -> None:  # type: ignore[no-untyped-def]
        membership = MembershipFactory(roles=[Role.MANAGER], is_active=False)
        client.force_login(membership.user)
        response = client.get("/")
        assert response.status_code == 403
        assert "Geen actief lidmaatschap" in response.content.decode()

    def test_switch_to_disabled_membership_changes_nothing(self, client) -> None:  # type: ignore[no-untyped-def]
        m1 = MembershipFactory(roles=[Role.MANAGER])
        m2 = MembershipFactory(roles=[Role.MANAGER], user=m1.user, is_active=False)
        client.force_login(m1.user)
        client.post("/organisatie/wisselen/", {"organisation": m2.organisation_id})
        assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_membership_model_counts() -> None:
    membership = MembershipFactory(roles=[Role.TEAM_LEADER, Role.FINANCIAL])
    assert membership.has_role(Role.FINANCIAL)
    assert not membership.has_role(Role.ORG_ADMIN)
    assert Membership.objects.for_user(membership.user).count() == 1


@pytest.mark.django_db
def test_membership_is_resolved_with_one_query_per_request(client) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    m1 = MembershipFactory(roles=[Role.MANAGER], organisation=OrganisationFactory(name="Alfa"))
    MembershipFactory(roles=[Role.MANAGER], user=m1.user, organisation=OrganisationFactory(name="Beta"))
    m1.user.last_organisation = m1.organisation
    m1.user.save()
    client.force_login(m1.user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert 'id="org-switch"' in html  # the switcher lists both organisations
    membership_queries = [q for q in queries.captured_queries if 'FROM "ipvb_membership"' in q["sql"]]
    assert len(membership_queries) == 1


@pytest.mark.django_db
def test_membership_lookup_sql_equals_the_orm() -> None:
    """``active_memberships`` reads with SQL compiled once per process (issue 16): the same
    memberships, in the same order, with the same fields, organisation and department ids as
    the ORM query it replaces, under the row-level security of the user's own memberships."""
    from ipvb import rls
    from ipvb.tenancy import active_memberships

    user = MembershipFactory(
        roles=[Role.TEAM_LEADER, Role.FINANCIAL], organisation=OrganisationFactory(name="Beta")
    ).user
    alfa = OrganisationFactory(name="Alfa")
    d2, d1 = (
        DepartmentFactory(organisation=alfa, name="Twee"),
        DepartmentFactory(organisation=alfa, name="Een"),
    )
    MembershipFactory(user=user, organisation=alfa, roles=[Role.CARE_PROFESSIONAL], departments=[d2, d1])
    MembershipFactory(user=user, is_active=False)  # not active: left out
    MembershipFactory(
        user=user, organisation=OrganisationFactory(name="Aaa", is_active=False)
    )  # inactive organisation
    MembershipFactory(organisation=alfa)  # someone else's

    rls.reset_for_request(user_id=user.pk)
    found = active_memberships(user)
    expected = list(
        Membership.objects.for_user(user)
        .filter(is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    assert [m.pk for m in found] == [m.pk for m in expected] and len(found) == 2
    for got, want in zip(found, expected, strict=True):
        fields = [f.attname for f in Membership._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(want, f) for f in fields]
        org_fields = [f.attname for f in type(want.organisation)._meta.concrete_fields]
        assert [getattr(got.organisation, f) for f in org_fields] == [
            getattr(want.organisation, f) for f in org_fields
        ]
        assert got.department_ids() == sorted(want.departments.values_list("pk", flat=True))
        assert not got._state.adding and got._state.db == "default"
    assert found[0].organisation.name == "Alfa" and found[0].department_ids() == sorted([d1.pk, d2.pk])
    assert found[1].roles == [Role.TEAM_LEADER, Role.FINANCIAL]
