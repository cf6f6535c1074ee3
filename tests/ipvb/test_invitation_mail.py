"""A new user gets a real invitation (not allauth's stock reset mail), and the login page does
not offer a sign-up that is closed."""

import re

import pytest

from ipvb.roles import Role

pytestmark = pytest.mark.django_db


def test_new_user_gets_a_bilingual_invitation_with_a_working_link(
    world, mailoutbox, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = world.user(Role.ORG_ADMIN)
    admin.first_name, admin.last_name = "Anna", "Beheer"
    admin.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(Role.ORG_ADMIN).post(
            "/gebruikers/nieuw/",
            {
                "email": "nieuw@example.org",
                "first_name": "N",
                "last_name": "W",
                "roles": [Role.CARE_PROFESSIONAL],
                "departments": [world.dept_a.pk],
            },
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == "Uitnodiging voor iPVB van Organisatie A / Invitation to iPVB from Organisatie A"
    assert not mail.subject.startswith("[")  # no host-name prefix
    body = mail.body
    assert "Anna Beheer nodigt u uit om in iPVB te werken voor Organisatie A, als Zorgprofessional" in body
    assert "Anna Beheer invites you to work in iPVB for Organisatie A" in body
    assert "De link is geldig tot" in body and "The link is valid until" in body
    assert "negeer" not in body.lower() and "ignore" not in body.lower()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body)
    assert link is not None
    page = world.client(None).get(link.group(1), follow=True)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


def test_login_page_has_no_sign_up_link(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/signup/" not in page
    assert "functioneel beheerder van uw organisatie nodigt u uit" in page
