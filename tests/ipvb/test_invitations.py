"""Adding the e-mail address of an existing account invites; it never attaches the person,
never reveals them, and a user's active organisation is only ever their own choice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from ipvb import services
from ipvb.models import Membership, MembershipInvitation
from ipvb.roles import Role
from ipvb.tenancy import SESSION_KEY
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, api_key

pytestmark = pytest.mark.django_db

OUTCOME_KEYS = {"email", "roles", "departments", "status"}


def admin_api(world: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(Role.ORG_ADMIN))
    return client


def token_api(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return client


def named_user_of_b(world: Any) -> Any:
    user = world.user(Role.MANAGER, "b")
    user.first_name, user.last_name = "Geheime", "Persoon"
    user.save()
    return user


def invite(world: Any, email: str, roles: list[str] | None = None) -> Any:
    return admin_api(world).post(
        "/api/v1/memberships/",
        {
            "email": email,
            "first_name": "Getypt",
            "last_name": "Door Beheerder",
            "roles": roles or [Role.MANAGER],
            "departments": [world.dept_a.pk],
        },
        format="json",
    )


def invitations_of(organisation: Any) -> list[MembershipInvitation]:
    return list(MembershipInvitation.objects.for_organisation(organisation))


class TestAddingAnExistingAccount:
    def test_user_of_other_organisation_is_invited_not_attached_and_not_revealed(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        other = named_user_of_b(world)
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(world, other.email.upper())
        assert response.status_code == 201, response.content
        body = response.json()
        assert body == {
            "email": other.email,
            "roles": [Role.MANAGER],
            "departments": [world.dept_a.pk],
            "status": "invited",
        }
        text = response.content.decode()
        assert "Geheime" not in text and "Persoon" not in text
        # Not attached: no membership in A, the person's account untouched.
        assert not Membership.objects.for_user(other).filter(organisation=world.org_a).exists()
        other.refresh_from_db()
        assert (other.first_name, other.last_name, other.last_organisation_id) == ("Geheime", "Persoon", None)
        # An open invitation and a notice to the person.
        [invitation] = invitations_of(world.org_a)
        assert (invitation.email, invitation.roles, invitation.status) == (
            other.email,
            [Role.MANAGER],
            "invited",
        )
        assert invitation.invited_by == world.user(Role.ORG_ADMIN)
        assert len(mailoutbox) == 1 and mailoutbox[0].to == [other.email]
        assert "Organisatie A" in mailoutbox[0].subject and "/uitnodigingen/" in mailoutbox[0].body

    def test_user_of_b_still_works_in_b_after_being_invited(self, world) -> None:  # type: ignore[no-untyped-def]
        other = world.user(Role.MANAGER, "b")
        assert invite(world, other.email).status_code == 201
        response = token_api(other).get("/api/v1/departments/")
        assert response.status_code == 200
        assert [d["name"] for d in response.json()["results"]] == ["B-groep"]
        assert token_api(other).get("/api/v1/organisation/").json()["name"] == "Organisatie B"

    def test_answer_is_the_same_for_a_new_and_an_existing_address(self, world) -> None:  # type: ignore[no-untyped-def]
        new = invite(world, "nog.niemand@example.org")
        existing = invite(world, world.user(Role.MANAGER, "b").email)
        assert new.status_code == existing.status_code == 201
        assert set(new.json()) == set(existing.json()) == OUTCOME_KEYS
        assert new.json()["status"] == existing.json()["status"] == "invited"
        # The new address became a member at once (as before).
        assert (
            Membership.objects.for_organisation(world.org_a)
            .filter(user__email="nog.niemand@example.org")
            .exists()
        )

    def test_inviting_twice_renews_one_open_invitation(self, world) -> None:  # type: ignore[no-untyped-def]
        email = world.user(Role.MANAGER, "b").email
        invite(world, email, [Role.MANAGER])
        assert invite(world, email, [Role.FINANCIAL]).status_code == 201
        [invitation] = invitations_of(world.org_a)
        assert invitation.roles == [Role.FINANCIAL]

    def test_unknown_role_for_existing_account_is_refused_and_nothing_saved(self, world) -> None:  # type: ignore[no-untyped-def]
        response = admin_api(world).post(
            "/api/v1/memberships/",
            {"email": world.user(Role.MANAGER, "b").email, "roles": ["baas"]},
            format="json",
        )
        assert response.status_code == 400 and "roles" in response.json()
        assert invitations_of(world.org_a) == []

    def test_web_form_gives_one_neutral_message_and_lists_the_invitation(self, world) -> None:  # type: ignore[no-untyped-def]
        other = named_user_of_b(world)
        client = world.client(Role.ORG_ADMIN)
        response = client.post(
            "/gebruikers/nieuw/",
            {"email": other.email, "first_name": "X", "last_name": "Y", "roles": [Role.MANAGER]},
            follow=True,
        )
        html = response.content.decode()
        assert f"{other.email} is uitgenodigd" in html
        assert "Geheime" not in html and "Persoon" not in html
        assert "Openstaande uitnodigingen" in html
        assert not Membership.objects.for_user(other).filter(organisation=world.org_a).exists()
        # A new address gets exactly the same message.
        response = client.post(
            "/gebruikers/nieuw/",
            {"email": "vers@example.org", "first_name": "V", "last_name": "W", "roles": [Role.MANAGER]},
            follow=True,
        )
        assert "vers@example.org is uitgenodigd" in response.content.decode()


class TestPlatformStaff:
    def test_staff_get_the_same_answer_but_no_mail_and_no_membership(
        self, world, mailoutbox, django_capture_on_commit_callbacks
    ) -> None:  # type: ignore[no-untyped-def]
        staff = UserFactory(email="platform@example.org", is_staff=True, first_name="Pieter")
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(world, staff.email)
        assert response.status_code == 201
        assert set(response.json()) == OUTCOME_KEYS and response.json()["status"] == "invited"
        assert "Pieter" not in response.content.decode()
        assert mailoutbox == []
        [invitation] = invitations_of(world.org_a)
        with pytest.raises(ValidationError, match="platformbeheerder"):
            services.invitation_accept(invitation=invitation, user=staff)
        assert not Membership.objects.for_user(staff).exists()

    def test_staff_cannot_accept_through_the_web(self, world) -> None:  # type: ignore[no-untyped-def]
        staff = UserFactory(email="super@example.org", is_superuser=True)
        invite(world, staff.email)
        [invitation] = invitations_of(world.org_a)
        client = world.client(None)
        client.force_login(staff)
        page = client.get("/uitnodigingen/").content.decode()
        assert "platformbeheerder" in page and "Accepteren" not in page
        response = client.post(f"/uitnodigingen/{invitation.pk}/accepteren/", follow=True)
        assert "platformbeheerder" in response.content.decode()
        assert not Membership.objects.for_user(staff).exists()

    def test_membership_of_staff_is_refused_and_ignored(self, world) -> None:  # type: ignore[no-untyped-def]
        staff = UserFactory(is_staff=True)
        with pytest.raises(ValidationError):
            Membership(organisation=world.org_a, user=staff, roles=[Role.MANAGER]).full_clean()
        # Even a stored (legacy) membership never makes staff act inside an organisation.
        MembershipFactory(organisation=world.org_a, user=staff, roles=[Role.ORG_ADMIN])
        client = APIClient()
        client.force_authenticate(staff)
        assert client.get("/api/v1/memberships/").status_code == 403


class TestAnsweringAnInvitation:
    def test_accept_creates_the_membership_and_keeps_the_active_organisation(self, world) -> None:  # type: ignore[no-untyped-def]
        other = world.user(Role.MANAGER, "b")
        invite(world, other.email, [Role.TEAM_LEADER])
        [invitation] = invitations_of(world.org_a)
        client = world.client(Role.MANAGER, "b")
        home = client.get("/").content.decode()
        assert "openstaande uitnodiging" in home
        page = client.get("/uitnodigingen/").content.decode()
        assert "Organisatie A" in page and "Teamleider" in page and "A-groep" in page
        response = client.post(f"/uitnodigingen/{invitation.pk}/accepteren/", follow=True)
        assert "U bent nu lid van Organisatie A" in response.content.decode()
        membership = Membership.objects.for_user(other).get(organisation=world.org_a)
        assert membership.roles == [Role.TEAM_LEADER]
        assert list(membership.departments.all()) == [world.dept_a]
        invitation.refresh_from_db()
        assert invitation.status == "accepted"
        # Still working for B: in the web, through the API token, and remembered.
        assert client.get("/").context["active_organisation"] == world.org_b
        other.refresh_from_db()
        assert other.last_organisation_id == world.org_b.pk
        body = token_api(other).get("/api/v1/departments/").json()
        assert [d["name"] for d in body["results"]] == ["B-groep"]
        # The inviting organisation now sees the member; the invitation is no longer open.
        members = admin_api(world).get("/api/v1/memberships/").json()["results"]
        assert other.email in [m["email"] for m in members]
        assert admin_api(world).get(f"/api/v1/invitations/{invitation.pk}/").json()["status"] == "accepted"

    def test_accepting_does_not_touch_other_users(self, world) -> None:  # type: ignore[no-untyped-def]
        bystander = world.user(Role.FINANCIAL, "b")
        other = world.user(Role.MANAGER, "b")
        invite(world, other.email)
        [invitation] = invitations_of(world.org_a)
        services.invitation_accept(invitation=invitation, user=other)
        bystander.refresh_from_db()
        assert bystander.last_organisation_id is None
        assert not Membership.objects.for_user(bystander).filter(organisation=world.org_a).exists()

    def test_decline(self, world) -> None:  # type: ignore[no-untyped-def]
        other = world.user(Role.MANAGER, "b")
        invite(world, other.email)
        [invitation] = invitations_of(world.org_a)
        response = world.client(Role.MANAGER, "b").post(
            f"/uitnodigingen/{invitation.pk}/afwijzen/", follow=True
        )
        assert "Uitnodiging afgewezen" in response.content.decode()
        invitation.refresh_from_db()
        assert invitation.status == "declined"
        assert not Membership.objects.for_user(other).filter(organisation=world.org_a).exists()
        # Declined: it cannot be accepted afterwards.
        with pytest.raises(ValidationError):
            services.invitation_accept(invitation=invitation, user=other)

    def test_someone_elses_invitation_is_not_found_and_nothing_changes(self, world) -> None:  # type: ignore[no-untyped-def]
        invite(world, world.user(Role.MANAGER, "b").email)
        [invitation] = invitations_of(world.org_a)
        intruder = world.client(Role.FINANCIAL, "b")
        assert intruder.post(f"/uitnodigingen/{invitation.pk}/accepteren/").status_code == 404
        assert intruder.post(f"/uitnodigingen/{invitation.pk}/afwijzen/").status_code == 404
        assert "Organisatie A" not in intruder.get("/uitnodigingen/").content.decode()
        invitation.refresh_from_db()
        assert invitation.status == "invited"

    def test_expired_invitation_cannot_be_accepted(self, world) -> None:  # type: ignore[no-untyped-def]
        other = world.user(Role.MANAGER, "b")
        invite(world, other.email)
        [invitation] = invitations_of(world.org_a)
        MembershipInvitation.objects.for_organisation(world.org_a).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        response = world.client(Role.MANAGER, "b").post(
            f"/uitnodigingen/{invitation.pk}/accepteren/", follow=True
        )
        assert "niet meer geldig" in response.content.decode()
        assert not Membership.objects.for_user(other).filter(organisation=world.org_a).exists()

    def test_user_without_membership_finds_the_invitation(self, world) -> None:  # type: ignore[no-untyped-def]
        loner = UserFactory(email="los@example.org")
        invite(world, loner.email)
        client = world.client(None)
        client.force_login(loner)
        assert "uitgenodigd" in client.get("/").content.decode()  # the no-membership page links it
        [invitation] = invitations_of(world.org_a)
        client.post(f"/uitnodigingen/{invitation.pk}/accepteren/")
        assert client.get("/").context["active_organisation"] == world.org_a


class TestInvitationsApi:
    def test_create_and_read_back(self, world) -> None:  # type: ignore[no-untyped-def]
        other = named_user_of_b(world)
        assert invite(world, other.email, [Role.FINANCIAL]).status_code == 201
        listing = admin_api(world).get("/api/v1/invitations/").json()
        assert listing["count"] == 1
        [row] = listing["results"]
        assert set(row) == {"id", "email", "roles", "departments", "status", "created_at", "expires_at"}
        assert (row["email"], row["roles"], row["departments"], row["status"]) == (
            other.email,
            [Role.FINANCIAL],
            [world.dept_a.pk],
            "invited",
        )
        detail = admin_api(world).get(f"/api/v1/invitations/{row['id']}/")
        assert detail.status_code == 200 and detail.json() == row
        assert "Geheime" not in str(listing)
        # Not a member (yet), so not in the membership list.
        assert other.email not in str(admin_api(world).get("/api/v1/memberships/").json())

    def test_other_organisation_sees_nothing_and_can_revoke_nothing(self, world) -> None:  # type: ignore[no-untyped-def]
        invite(world, world.user(Role.FINANCIAL, "b").email)
        [invitation] = invitations_of(world.org_a)
        admin_b = APIClient()
        admin_b.force_authenticate(world.user(Role.ORG_ADMIN, "b"))
        assert admin_b.get("/api/v1/invitations/").json()["count"] == 0
        assert admin_b.delete(f"/api/v1/invitations/{invitation.pk}/").status_code == 404
        assert admin_api(world).delete(f"/api/v1/invitations/{invitation.pk}/").status_code == 204
        assert invitations_of(world.org_a) == []

    def test_revoke_in_the_web(self, world) -> None:  # type: ignore[no-untyped-def]
        invite(world, world.user(Role.FINANCIAL, "b").email)
        [invitation] = invitations_of(world.org_a)
        response = world.client(Role.ORG_ADMIN).post(
            f"/gebruikers/uitnodigingen/{invitation.pk}/intrekken/", follow=True
        )
        assert "Uitnodiging ingetrokken" in response.content.decode()
        assert invitations_of(world.org_a) == []


class TestChoosingTheOrganisation:
    @pytest.fixture
    def two(self, world):  # type: ignore[no-untyped-def]
        user = UserFactory(email="twee@example.org")
        a = MembershipFactory(user=user, organisation=OrganisationFactory(name="Alfa"), roles=[Role.MANAGER])
        b = MembershipFactory(user=user, organisation=OrganisationFactory(name="Beta"), roles=[Role.MANAGER])
        return user, a, b

    def test_web_asks_when_several_memberships_and_no_choice(self, client, two) -> None:  # type: ignore[no-untyped-def]
        user, _a, b = two
        client.force_login(user)
        response = client.get("/afdelingen/")
        assert response.status_code == 302
        assert response["Location"] == "/organisatie/kiezen/?next=%2Fafdelingen%2F"
        page = client.get(response["Location"]).content.decode()
        assert "Alfa" in page and "Beta" in page
        response = client.post(
            "/organisatie/wisselen/", {"organisation": b.organisation_id, "next": "/afdelingen/"}
        )
        assert response["Location"] == "/afdelingen/"
        assert client.get("/afdelingen/").status_code == 200
        user.refresh_from_db()
        assert user.last_organisation_id == b.organisation_id

    def test_remembered_choice_survives_a_new_login(self, client, two) -> None:  # type: ignore[no-untyped-def]
        user, _a, b = two
        client.force_login(user)
        client.post("/organisatie/wisselen/", {"organisation": b.organisation_id})
        client.logout()
        client.force_login(user)
        assert SESSION_KEY not in client.session
        assert client.get("/").context["active_organisation"] == b.organisation

    def test_api_token_asks_to_choose_in_the_web_app(self, two) -> None:  # type: ignore[no-untyped-def]
        user, a, _b = two
        api = token_api(user)
        response = api.get("/api/v1/organisation/")
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/json")
        assert "webapplicatie" in response.json()["detail"]
        assert response.json()["code"] == "organisation_choice_required"
        services.active_organisation_remember(user=user, organisation=a.organisation)
        assert api.get("/api/v1/organisation/").json()["name"] == "Alfa"

    def test_remembered_organisation_no_longer_active_falls_back(self, client, two) -> None:  # type: ignore[no-untyped-def]
        user, a, b = two
        services.active_organisation_remember(user=user, organisation=a.organisation)
        Membership.objects.for_user(user).filter(pk=a.pk).update(is_active=False)
        client.force_login(user)
        assert client.get("/").context["active_organisation"] == b.organisation

    def test_switch_to_foreign_organisation_is_not_remembered(self, client, two) -> None:  # type: ignore[no-untyped-def]
        user, _a, _b = two
        client.force_login(user)
        client.post("/organisatie/wisselen/", {"organisation": OrganisationFactory().pk})
        user.refresh_from_db()
        assert user.last_organisation_id is None
