import pytest

from ipvb.models import Membership, Organisation
from ipvb.roles import Role


@pytest.mark.django_db
class TestOrganisationEdit:
    def test_bad_codes_show_messages_and_change_nothing(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        response = client.post("/organisatie/", {"name": "X", "agb_code": "12ab", "zorgkantoor_code": "5600"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "precies 8 cijfers" in html
        assert "5600 bestaat niet" in html
        assert Organisation.objects.get(pk=world.org_a.pk).name == "Organisatie A"

    def test_valid_edit(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        response = client.post(
            "/organisatie/", {"name": "Nieuwe naam", "agb_code": "12345678", "zorgkantoor_code": "5501"}
        )
        assert response.status_code == 302
        assert Organisation.objects.get(pk=world.org_a.pk).name == "Nieuwe naam"


@pytest.mark.django_db
class TestMembers:
    def test_admin_adds_user_with_role_and_department(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        response = client.post(
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
        assert (
            Membership.objects.for_organisation(world.org_a).filter(user__email="nieuw@example.org").exists()
        )

    def test_care_professional_needs_department(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        response = client.post(
            "/gebruikers/nieuw/",
            {
                "email": "nieuw@example.org",
                "first_name": "N",
                "last_name": "W",
                "roles": [Role.CARE_PROFESSIONAL],
            },
        )
        assert response.status_code == 200
        assert "Kies minstens één afdeling" in response.content.decode()

    def test_foreign_department_is_not_a_valid_choice(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        response = client.post(
            "/gebruikers/nieuw/",
            {
                "email": "nieuw@example.org",
                "first_name": "N",
                "last_name": "W",
                "roles": [Role.CARE_PROFESSIONAL],
                "departments": [world.dept_b.pk],
            },
        )
        assert response.status_code == 200
        assert (
            not Membership.objects.for_organisation(world.org_a)
            .filter(user__email="nieuw@example.org")
            .exists()
        )

    def test_disable_member(self, world) -> None:  # type: ignore[no-untyped-def]
        target = world.membership(Role.MANAGER)
        client = world.client(Role.ORG_ADMIN)
        response = client.post(f"/gebruikers/{target.pk}/", {"roles": [Role.MANAGER]})
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.is_active is False
        lost = world.client(Role.MANAGER)
        assert lost.get("/").status_code == 403

    def test_admin_cannot_disable_self(self, world) -> None:  # type: ignore[no-untyped-def]
        own = world.membership(Role.ORG_ADMIN)
        client = world.client(Role.ORG_ADMIN)
        response = client.post(f"/gebruikers/{own.pk}/", {"roles": [Role.ORG_ADMIN]})
        assert response.status_code == 200
        assert "eigen beheerdersrol" in response.content.decode()
        own.refresh_from_db()
        assert own.is_active


@pytest.mark.django_db
class TestHomeAndNavigation:
    @pytest.mark.parametrize(
        ("role", "visible", "hidden"),
        [
            (Role.CARE_PROFESSIONAL, ["/afdelingen/"], ["/gebruikers/"]),
            (Role.FINANCIAL, [], ["/gebruikers/", "/afdelingen/"]),
            (Role.ORG_ADMIN, ["/gebruikers/", "/afdelingen/"], []),
            (Role.MANAGER, ["/afdelingen/"], ["/gebruikers/"]),
        ],
    )
    def test_home_shows_what_the_role_can_do(self, world, role, visible, hidden) -> None:  # type: ignore[no-untyped-def]
        html = world.client(role).get("/").content.decode()
        assert str(Role(role).label) in html
        for url in visible:
            assert f'href="{url}"' in html
        for url in hidden:
            assert f'href="{url}"' not in html

    def test_english_is_available(self, world) -> None:  # type: ignore[no-untyped-def]
        client = world.client(Role.ORG_ADMIN)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        html = client.get("/").content.decode()
        assert 'lang="en"' in html
        assert "Users" in html

    def test_healthz_and_readyz(self, client) -> None:  # type: ignore[no-untyped-def]
        assert client.get("/healthz").json() == {"status": "ok"}
        body = client.get("/readyz").json()
        assert body["checks"]["database"] == "ok"
        assert body["status"] == "ok"


@pytest.mark.django_db
def test_care_professional_sees_only_own_departments(world) -> None:  # type: ignore[no-untyped-def]
    html = world.client(Role.CARE_PROFESSIONAL).get("/afdelingen/").content.decode()
    assert "A-groep" in html
    assert "A-zonder" not in html


@pytest.mark.django_db
def test_platform_staff_without_membership_lands_on_tariffs(client) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="staff@example.org", is_staff=True))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/tarieven/"
