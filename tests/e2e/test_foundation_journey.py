import pytest

from ipvb.roles import Role

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_roles_log_in_and_see_their_home_pages(page, world) -> None:  # type: ignore[no-untyped-def]
    care = world.user(Role.CARE_PROFESSIONAL)
    admin = world.user(Role.ORG_ADMIN)

    login(page, care.email)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welkom")
    assert page.locator(".role-list").inner_text().startswith("Zorgprofessional")
    assert page.get_by_role("link", name="Gebruikers").count() == 0
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/")

    login(page, admin.email)
    assert "Functioneel beheerder" in page.locator(".role-list").inner_text()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Gebruikers").click()
    page.wait_for_url("**/gebruikers/")
    assert page.get_by_role("cell", name=care.email, exact=True).is_visible()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Taal").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Users"
