"""Personal API keys (ipvb.api_tokens, django-rest-knox): named, expiring, hashed, shown once,
listed with last use, revocable by the user and the organisation admin, bound to the
organisation they were made in, revoked on a password change and when the membership ends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ipvb import services
from ipvb.models import ApiToken, Membership
from ipvb.roles import Role
from tests.factories import MembershipFactory, api_key

pytestmark = pytest.mark.django_db


def bearer(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def create_in_web(web: Any, name: str = "Koppeling", days: str = "30") -> Any:
    return web.post("/api-sleutel/", {"action": "create", "name": name, "days": days})


class TestCreate:
    def test_named_expiring_hashed_shown_once(self, world) -> None:  # type: ignore[no-untyped-def]
        web = world.client(Role.MANAGER)
        response = create_in_web(web, "Rapportagesysteem", "30")
        assert response.status_code == 200
        key = response.context["new_key"]
        assert key.startswith("ipvb_")
        token = ApiToken.objects.get(user=world.user(Role.MANAGER))
        assert token.name == "Rapportagesysteem"
        assert token.organisation == world.org_a
        assert timedelta(days=29) < token.expiry - timezone.now() <= timedelta(days=30)
        # Only a hash and a short prefix are stored; the key is never in the table.
        assert key not in {token.digest, token.token_key} and len(token.digest) == 128
        page = web.get("/api-sleutel/").content.decode()
        assert "Rapportagesysteem" in page and key not in page
        assert bearer(key).get("/api/v1/organisation/").json()["name"] == "Organisatie A"

    @pytest.mark.parametrize(
        ("name", "days", "message"),
        [
            ("", "30", "Geef de sleutel een naam"),
            ("   ", "30", "Geef de sleutel een naam"),
            ("x" * 101, "30", "hoogstens 100 tekens"),
            ("Koppeling", "5000", "Kies een geldigheidsduur"),
            ("Koppeling", "abc", "Kies een geldigheidsduur"),
            ("Koppeling", "", "Kies een geldigheidsduur"),
        ],
    )
    def test_bad_input_is_refused_clearly(self, world, name, days, message) -> None:  # type: ignore[no-untyped-def]
        response = create_in_web(world.client(Role.MANAGER), name, days)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not ApiToken.objects.exists()

    def test_last_use_is_recorded_and_listed(self, world) -> None:  # type: ignore[no-untyped-def]
        web = world.client(Role.MANAGER)
        key = create_in_web(web).context["new_key"]
        token = ApiToken.objects.get()
        assert token.last_used_at is None
        assert "nog niet" in web.get("/api-sleutel/").content.decode()
        assert bearer(key).get("/api/v1/departments/").status_code == 200
        token.refresh_from_db()
        assert token.last_used_at is not None
        assert "nog niet" not in web.get("/api-sleutel/").content.decode()


class TestRefused:
    def test_tampered_key_is_401_json(self, world) -> None:  # type: ignore[no-untyped-def]
        key = api_key(world.user(Role.MANAGER), world.org_a)
        for bad in (key[:-1] + ("0" if key[-1] != "0" else "1"), key + "x", "ipvb_", "nonsense", "é" * 20):
            response = bearer(bad).get("/api/v1/departments/")
            assert response.status_code == 401, bad
            assert "Ongeldige, verlopen of ingetrokken API-sleutel" in response.json()["detail"]

    def test_non_utf8_header_is_401_not_500(self, world) -> None:  # type: ignore[no-untyped-def]
        api = APIClient()
        response = api.get("/api/v1/departments/", HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"))
        assert response.status_code == 401

    def test_expired_key_is_refused(self, world) -> None:  # type: ignore[no-untyped-def]
        key = api_key(world.user(Role.MANAGER), world.org_a)
        ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
        response = bearer(key).get("/api/v1/departments/")
        assert response.status_code == 401
        assert "verlopen" in response.json()["detail"]

    def test_password_change_revokes_every_key(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        key = api_key(user, world.org_a)
        api_key(user, world.org_a)
        user.set_password("een-nieuw-wachtwoord-123")
        user.save()
        assert not ApiToken.objects.filter(user=user).exists()
        assert bearer(key).get("/api/v1/departments/").status_code == 401

    def test_deactivated_account_loses_its_keys(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        key = api_key(user, world.org_a)
        user.is_active = False
        user.save()
        assert not ApiToken.objects.filter(user=user).exists()
        assert bearer(key).get("/api/v1/departments/").status_code == 401

    def test_other_user_saves_do_not_revoke(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        api_key(user, world.org_a)
        user.first_name = "Ander"
        user.save()
        user.save(update_fields=["last_login"])
        assert ApiToken.objects.filter(user=user).count() == 1

    def test_password_change_through_allauth_revokes(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        user.set_password("oud-wachtwoord-123")
        user.save()
        api_key(user, world.org_a)
        web = world.client(Role.MANAGER)
        response = web.post(
            "/accounts/password/change/",
            {
                "oldpassword": "oud-wachtwoord-123",
                "password1": "nieuw-Wachtwoord-456",
                "password2": "nieuw-Wachtwoord-456",
            },
        )
        assert response.status_code == 302
        assert not ApiToken.objects.filter(user=user).exists()

    def test_membership_end_revokes_that_organisations_keys(self, world) -> None:  # type: ignore[no-untyped-def]
        member = world.membership(Role.MANAGER)
        other = MembershipFactory(user=member.user, organisation=world.org_b, roles=[Role.MANAGER])
        key_a = api_key(member.user, world.org_a)
        key_b = api_key(member.user, world.org_b)
        services.membership_update(
            membership=member,
            acting=world.membership(Role.ORG_ADMIN),
            roles=[Role.MANAGER],
            departments=[],
            is_active=False,
        )
        assert bearer(key_a).get("/api/v1/organisation/").status_code == 401
        assert bearer(key_b).get("/api/v1/organisation/").json()["name"] == "Organisatie B"
        assert list(ApiToken.objects.values_list("organisation", flat=True)) == [other.organisation_id]

    def test_ended_membership_refused_even_if_key_survived(self, world) -> None:  # type: ignore[no-untyped-def]
        member = world.membership(Role.MANAGER)
        key = api_key(member.user, world.org_a)
        # A bulk update bypasses the signals; the authentication still refuses.
        Membership.objects.for_organisation(world.org_a).filter(pk=member.pk).update(is_active=False)
        response = bearer(key).get("/api/v1/organisation/")
        assert response.status_code == 401
        assert "lidmaatschap" in response.json()["detail"]

    def test_membership_deleted_revokes(self, world) -> None:  # type: ignore[no-untyped-def]
        member = world.membership(Role.MANAGER)
        api_key(member.user, world.org_a)
        member.delete()
        assert not ApiToken.objects.exists()


class TestBoundToOrganisation:
    def test_key_acts_in_its_own_organisation_not_the_chosen_one(self, world) -> None:  # type: ignore[no-untyped-def]
        member = world.membership(Role.MANAGER)
        MembershipFactory(user=member.user, organisation=world.org_b, roles=[Role.MANAGER])
        key_b = api_key(member.user, world.org_b)
        services.active_organisation_remember(user=member.user, organisation=world.org_a)
        assert bearer(key_b).get("/api/v1/organisation/").json()["name"] == "Organisatie B"
        names = [d["name"] for d in bearer(key_b).get("/api/v1/departments/").json()["results"]]
        assert names == ["B-groep"]


class TestRevoke:
    def test_user_revokes_own_key_only(self, world) -> None:  # type: ignore[no-untyped-def]
        key = api_key(world.user(Role.MANAGER), world.org_a)
        api_key(world.user(Role.CARE_PROFESSIONAL), world.org_a)
        foreign = ApiToken.objects.get(user=world.user(Role.CARE_PROFESSIONAL))
        web = world.client(Role.MANAGER)
        assert (
            web.post("/api-sleutel/", {"action": "revoke", "token": str(foreign.public_id)}).status_code
            == 404
        )
        assert web.post("/api-sleutel/", {"action": "revoke", "token": "geen-uuid"}).status_code == 404
        assert ApiToken.objects.count() == 2
        own = ApiToken.objects.get(user=world.user(Role.MANAGER))
        assert web.post("/api-sleutel/", {"action": "revoke", "token": str(own.public_id)}).status_code == 302
        assert bearer(key).get("/api/v1/departments/").status_code == 401

    def test_org_admin_sees_and_revokes_own_organisations_keys(self, world) -> None:  # type: ignore[no-untyped-def]
        key_a = api_key(world.user(Role.CARE_PROFESSIONAL), world.org_a)
        api_key(world.user(Role.CARE_PROFESSIONAL, "b"), world.org_b)
        token_a = ApiToken.objects.get(organisation=world.org_a)
        token_a.name = "Koppeling A"
        token_a.save()
        admin = world.client(Role.ORG_ADMIN)
        page = admin.get("/gebruikers/api-sleutels/").content.decode()
        assert "Koppeling A" in page and world.user(Role.CARE_PROFESSIONAL).email in page
        assert world.user(Role.CARE_PROFESSIONAL, "b").email not in page
        assert key_a not in page and token_a.digest not in page
        response = admin.post(f"/gebruikers/api-sleutels/{token_a.public_id}/intrekken/")
        assert response.status_code == 302
        assert bearer(key_a).get("/api/v1/departments/").status_code == 401
        assert ApiToken.objects.filter(organisation=world.org_b).count() == 1
