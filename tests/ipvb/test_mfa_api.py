"""MFA applies to every channel: the API refuses session and token users who must have MFA
and have not enrolled, and an API key is only issued in a session that passed MFA."""

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.urls import get_resolver
from rest_framework.test import APIClient

from ipvb.mfa import MFAEnrolled
from ipvb.models import ApiToken
from ipvb.roles import Role
from tests.clients.builders import client_a
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def _enrol(user) -> None:  # type: ignore[no-untyped-def]
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})


def _token_client(user) -> APIClient:  # type: ignore[no-untyped-def]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return api


class TestApiRefusesWithoutMFA:
    def test_session_user_without_totp_gets_403_json(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        client = world.get("client_a", client_a)
        api = world.client(Role.TEAM_LEADER)
        for url in ("/api/v1/clients/", f"/api/v1/clients/{client.pk}/bsn/", "/api/v1/organisation/"):
            response = api.get(url)
            assert response.status_code == 403, url
            assert response["Content-Type"].startswith("application/json")
            body = response.json()
            assert body["detail"].startswith("Tweestapsverificatie is verplicht")
            assert client.bsn not in response.content.decode()

    def test_token_user_without_totp_gets_403(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        world.get("client_a", client_a)
        api = _token_client(world.user(Role.TEAM_LEADER))
        response = api.get("/api/v1/clients/")
        assert response.status_code == 403
        assert "Tweestapsverificatie" in response.json()["detail"]
        assert api.get("/api/v1/schema/").status_code == 403

    def test_enrolled_user_is_served(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        world.get("client_a", client_a)
        user = world.user(Role.TEAM_LEADER)
        _enrol(user)
        assert _token_client(user).get("/api/v1/clients/").status_code == 200

    def test_session_shows_enrolment_once_then_again_after_removal(self, settings) -> None:  # type: ignore[no-untyped-def]
        """A session's API calls check the authenticator once, as its web pages do (issue 16);
        removing the authenticator makes the session check again."""
        from types import SimpleNamespace

        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from ipvb.mfa import SESSION_FLAG, forget_enrolment
        from tests.factories import MembershipFactory

        settings.IPVB_REQUIRE_MFA = True
        user = MembershipFactory(roles=[Role.TEAM_LEADER]).user
        authenticator = Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
        )
        web = Client()
        web.force_login(user)

        def authenticator_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert web.get("/api/v1/clients/").status_code == 200
            return sum('"mfa_authenticator"' in q["sql"] for q in queries.captured_queries)

        assert authenticator_queries() == 1
        assert web.session[SESSION_FLAG] is True
        assert authenticator_queries() == 0

        session = web.session
        forget_enrolment(sender=Authenticator, request=SimpleNamespace(session=session))
        session.save()
        authenticator.delete()
        response = web.get("/api/v1/clients/")
        assert response.status_code == 403
        assert "Tweestapsverificatie" in response.json()["detail"]

    def test_demo_without_mfa_requirement_serves(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = False
        assert _token_client(world.user(Role.TEAM_LEADER)).get("/api/v1/clients/").status_code == 200

    def test_every_api_view_checks_mfa(self) -> None:
        """Built from the URL resolver: a new API view without the MFA permission fails here."""
        missing = []

        def walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
            for pattern in patterns:
                if hasattr(pattern, "url_patterns"):
                    walk(pattern.url_patterns, prefix + str(pattern.pattern))
                    continue
                path = prefix + str(pattern.pattern)
                if not path.startswith("api/"):
                    continue
                view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
                if view is None:
                    missing.append(path)
                    continue
                classes = getattr(view, "permission_classes", [])
                if not any(isinstance(c, type) and issubclass(c, MFAEnrolled) for c in classes):
                    missing.append(path)

        walk(get_resolver().url_patterns)
        assert missing == []


class TestApiKeyNeedsMFA:
    def test_key_refused_without_mfa_session(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        user = world.user(Role.CARE_PROFESSIONAL)
        _enrol(user)  # enrolled, but this session did not pass the second factor
        web = world.client(Role.CARE_PROFESSIONAL)
        page = web.get("/api-sleutel/")
        assert "alleen worden aangemaakt na inloggen met tweestapsverificatie" in page.content.decode()
        response = web.post("/api-sleutel/", {"action": "create", "name": "Koppeling", "days": "30"})
        assert response.status_code == 403
        assert not ApiToken.objects.filter(user=user).exists()

    def test_key_issued_after_mfa_login_shown_once(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        user = world.user(Role.CARE_PROFESSIONAL)
        _enrol(user)
        web = world.client(Role.CARE_PROFESSIONAL)
        session = web.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password"},
            {"method": "mfa", "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
        response = web.post("/api-sleutel/", {"action": "create", "name": "Koppeling", "days": "30"})
        assert response.status_code == 200
        key = response.context["new_key"]
        token = ApiToken.objects.get(user=user)
        assert key in response.content.decode()
        assert key not in web.get("/api-sleutel/").content.decode()
        assert token.digest != key and key not in token.digest  # only a hash is stored
        response = web.post("/api-sleutel/", {"action": "revoke", "token": str(token.public_id)})
        assert response.status_code == 302
        assert not ApiToken.objects.filter(user=user).exists()

    def test_staff_cannot_mint_keys_in_admin(self) -> None:
        from django.contrib import admin
        from knox.models import AuthToken

        assert not admin.site.is_registered(AuthToken)
        assert not admin.site.is_registered(ApiToken)
