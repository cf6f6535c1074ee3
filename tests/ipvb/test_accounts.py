import pytest
from allauth.mfa.models import Authenticator

from ipvb.roles import Role


@pytest.mark.django_db
class TestLogin:
    def test_login_page_renders_in_dutch(self, client) -> None:  # type: ignore[no-untyped-def]
        html = client.get("/accounts/login/").content.decode()
        assert "Aanmelden" in html
        assert 'type="email"' in html

    def test_email_login(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        client = world.client(None)
        response = client.post("/accounts/login/", {"login": user.email, "password": "test-password-123"})
        assert response.status_code == 302
        assert client.get("/").status_code == 200

    def test_failed_logins_are_throttled(self, world) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        client = world.client(None)
        for _ in range(5):
            client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
        response = client.post("/accounts/login/", {"login": user.email, "password": "test-password-123"})
        assert response.status_code == 429 or "Te veel" in response.content.decode()
        assert client.get("/").status_code == 302

    def test_signup_is_closed(self, client) -> None:  # type: ignore[no-untyped-def]
        response = client.get("/accounts/signup/")
        assert "gesloten" in response.content.decode().lower() or response.status_code in (403, 404)

    def test_password_reset_sends_mail(self, world, mailoutbox) -> None:  # type: ignore[no-untyped-def]
        user = world.user(Role.MANAGER)
        world.client(None).post("/accounts/password/reset/", {"email": user.email})
        assert len(mailoutbox) == 1


@pytest.mark.django_db
class TestRequiredMfa:
    def test_user_without_totp_is_sent_to_enrolment(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        response = world.client(Role.CARE_PROFESSIONAL).get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"

    def test_user_with_totp_passes(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = True
        user = world.user(Role.CARE_PROFESSIONAL)
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        assert world.client(Role.CARE_PROFESSIONAL).get("/").status_code == 200

    def test_off_in_demo(self, world, settings) -> None:  # type: ignore[no-untyped-def]
        settings.IPVB_REQUIRE_MFA = False
        assert world.client(Role.CARE_PROFESSIONAL).get("/").status_code == 200
