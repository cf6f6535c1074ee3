import pytest
from rest_framework.test import APIClient

from ipvb.models import Membership, Organisation, User
from ipvb.roles import Role
from tests.factories import api_key


def api(world, role, org="a"):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(world.user(role, org))
    return client


@pytest.mark.django_db
class TestMembershipsApi:
    def test_create_membership_creates_user_and_sends_mail(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        with django_capture_on_commit_callbacks(execute=True):
            response = api(world, Role.ORG_ADMIN).post(
                "/api/v1/memberships/",
                {
                    "email": "Nieuw@Example.org",
                    "first_name": "Nina",
                    "last_name": "Nieuw",
                    "roles": [Role.CARE_PROFESSIONAL],
                    "departments": [world.dept_a.pk],
                },
                format="json",
            )
        assert response.status_code == 201, response.json()
        membership = Membership.objects.for_organisation(world.org_a).get(user__email="nieuw@example.org")
        assert membership.roles == [Role.CARE_PROFESSIONAL]
        assert list(membership.departments.all()) == [world.dept_a]
        assert len(mailoutbox) == 1 and "nieuw@example.org" in mailoutbox[0].to

    def test_foreign_department_id_is_refused_and_nothing_saved(self, world) -> None:  # type: ignore[no-untyped-def]
        client = api(world, Role.ORG_ADMIN)
        users_before = User.objects.count()
        response = client.post(
            "/api/v1/memberships/",
            {"email": "x@example.org", "roles": [Role.CARE_PROFESSIONAL], "departments": [world.dept_b.pk]},
            format="json",
        )
        assert response.status_code == 400
        assert "departments" in response.json()
        assert User.objects.count() == users_before

    def test_unknown_role_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        response = api(world, Role.ORG_ADMIN).post(
            "/api/v1/memberships/", {"email": "y@example.org", "roles": ["boss"]}, format="json"
        )
        assert response.status_code == 400
        assert "roles" in response.json()

    def test_admin_cannot_remove_own_admin_role(self, world) -> None:  # type: ignore[no-untyped-def]
        own = world.membership(Role.ORG_ADMIN)
        response = api(world, Role.ORG_ADMIN).patch(
            f"/api/v1/memberships/{own.pk}/", {"roles": [Role.MANAGER]}, format="json"
        )
        assert response.status_code == 400
        own.refresh_from_db()
        assert own.roles == [Role.ORG_ADMIN]

    def test_existing_member_twice_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        existing = world.user(Role.MANAGER)
        response = api(world, Role.ORG_ADMIN).post(
            "/api/v1/memberships/", {"email": existing.email, "roles": [Role.FINANCIAL]}, format="json"
        )
        assert response.status_code == 400
        assert "al lid" in str(response.json())


@pytest.mark.django_db
class TestOrganisationApi:
    def test_bad_codes_change_nothing(self, world) -> None:  # type: ignore[no-untyped-def]
        client = api(world, Role.ORG_ADMIN)
        response = client.patch(
            "/api/v1/organisation/", {"agb_code": "1234", "zorgkantoor_code": "9999"}, format="json"
        )
        assert response.status_code == 400
        body = response.json()
        assert "8 cijfers" in str(body["agb_code"])
        assert "5501" in str(body["zorgkantoor_code"])
        org = Organisation.objects.get(pk=world.org_a.pk)
        assert org.agb_code == world.org_a.agb_code

    def test_read_own_organisation(self, world) -> None:  # type: ignore[no-untyped-def]
        response = api(world, Role.CARE_PROFESSIONAL).get("/api/v1/organisation/")
        assert response.json()["name"] == "Organisatie A"

    def test_token_auth_scopes_to_token_users_organisation(self, world) -> None:  # type: ignore[no-untyped-def]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(world.user(Role.MANAGER, 'b'))}")
        response = client.get("/api/v1/departments/")
        assert response.status_code == 200
        assert [d["name"] for d in response.json()["results"]] == ["B-groep"]

    def test_department_list_is_paginated_and_scoped(self, world) -> None:  # type: ignore[no-untyped-def]
        body = api(world, Role.MANAGER).get("/api/v1/departments/").json()
        assert body["count"] == 2
        assert {d["name"] for d in body["results"]} == {"A-groep", "A-zonder"}

    def test_department_write_needs_admin(self, world) -> None:  # type: ignore[no-untyped-def]
        data = {"name": "Nieuw", "location_name": "L", "kind": "with_group_care", "places": 10}
        assert api(world, Role.MANAGER).post("/api/v1/departments/", data, format="json").status_code == 403
        response = api(world, Role.ORG_ADMIN).post("/api/v1/departments/", data, format="json")
        assert response.status_code == 201
        assert response.json()["name"] == "Nieuw"

    def test_department_zero_places_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        data = {"name": "Leeg", "location_name": "L", "kind": "with_group_care", "places": 0}
        response = api(world, Role.ORG_ADMIN).post("/api/v1/departments/", data, format="json")
        assert response.status_code == 400


@pytest.mark.django_db
def test_membership_and_invitation_lists_show_department_ids_in_constant_queries(world) -> None:  # type: ignore[no-untyped-def]
    """A page reads its rows' department ids from the link table in one query (not every
    department of every member; issue 16), in the departments' order, as DRF showed them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework import serializers

    from ipvb import services
    from ipvb.api.serializers import MembershipInvitationSerializer, MembershipSerializer
    from ipvb.models import MembershipInvitation
    from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

    admin = api(world, Role.ORG_ADMIN)

    def lists() -> tuple[int, int]:
        counts = []
        for url in ("/api/v1/memberships/", "/api/v1/invitations/"):
            with CaptureQueriesContext(connection) as queries:
                assert admin.get(url).status_code == 200
            counts.append(len(queries))
        return counts[0], counts[1]

    UserFactory(email="elders@example.org")  # an account elsewhere: invited, not added
    services.membership_create(
        organisation=world.org_a,
        email="elders@example.org",
        roles=[Role.MANAGER],
        departments=[world.dept_a2],
    )
    lists()  # warm up
    few = lists()
    extra = [DepartmentFactory(organisation=world.org_a, name=f"Z-afdeling {n}") for n in range(3)]
    for n in range(4):
        MembershipFactory(
            organisation=world.org_a,
            user=UserFactory(email=f"lid{n}@example.org"),
            roles=[Role.CARE_PROFESSIONAL],
            departments=[*extra, world.dept_a2, world.dept_a][n:],
        )
        UserFactory(email=f"ander{n}@example.org")
        services.membership_create(
            organisation=world.org_a,
            email=f"ander{n}@example.org",
            roles=[Role.CARE_PROFESSIONAL],
            departments=[*extra, world.dept_a][n:],
        )
    assert lists() == few
    body = admin.get("/api/v1/memberships/").json()
    assert body["count"] == 5
    by_id = {
        m.pk: m for m in Membership.objects.for_organisation(world.org_a).prefetch_related("departments")
    }
    for row in body["results"]:
        drf = serializers.Serializer.to_representation(MembershipSerializer(), by_id[row["id"]])
        assert list(row.items()) == list(drf.items())
    assert any(len(row["departments"]) == 5 for row in body["results"])
    invitations = admin.get("/api/v1/invitations/").json()["results"]
    assert len(invitations) == 5
    for row in invitations:
        invitation = MembershipInvitation.objects.for_organisation(world.org_a).get(pk=row["id"])
        drf = serializers.Serializer.to_representation(MembershipInvitationSerializer(), invitation)
        assert list(row.items()) == list(drf.items())
    detail = admin.get(f"/api/v1/memberships/{body['results'][0]['id']}/").json()
    assert detail == body["results"][0]


def test_filterset_skipped_only_when_inert_without_parameters() -> None:
    """A list request without any filter parameter skips the filterset only when nothing of it
    would filter without them (ipvb.api.filters; issue 16)."""
    import django_filters

    from clients.filters import AccessLogFilter, ClientFilter
    from ipvb.api.filters import inert_without_parameters

    class Required(django_filters.FilterSet):
        user = django_filters.NumberFilter(field_name="user_id", required=True)

        class Meta:
            model = Membership
            fields = ["user"]

    class Defaulted(django_filters.FilterSet):
        class Meta:
            model = Membership
            fields = ["is_active"]

        def filter_queryset(self, queryset):  # type: ignore[no-untyped-def]
            return super().filter_queryset(queryset).filter(is_active=True)

    class Empty(django_filters.Filter):
        def filter(self, qs, value):  # type: ignore[no-untyped-def]
            return qs.none()

    class Custom(django_filters.FilterSet):
        odd = Empty(field_name="roles")

        class Meta:
            model = Membership
            fields = ["odd"]

    assert inert_without_parameters(ClientFilter) and inert_without_parameters(AccessLogFilter)
    assert not any(inert_without_parameters(c) for c in (Required, Defaulted, Custom))


@pytest.mark.django_db
def test_filters_still_apply_and_refuse_bad_values(world) -> None:  # type: ignore[no-untyped-def]
    admin = api(world, Role.ORG_ADMIN)
    world.membership(Role.MANAGER)
    Membership.objects.for_organisation(world.org_a).filter(roles=[Role.MANAGER]).update(is_active=False)
    everyone = admin.get("/api/v1/memberships/").json()["count"]
    active = admin.get("/api/v1/memberships/?is_active=true").json()["count"]
    assert everyone == active + 1
    assert admin.get("/api/v1/departments/?kind=nonsense").status_code == 400
