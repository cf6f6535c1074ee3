"""A care professional finds a client, opens the file, reveals the BSN and adds a contact
person, on a tablet; everything shows up in the access log."""

import re

import pytest

from clients.models import ContactPerson
from ipvb.models import AccessLogEntry
from ipvb.roles import Role
from tests import factories
from tests.clients.builders import make_client

from .conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_care_professional_finds_client_and_adds_contact_person(tablet_page, world) -> None:  # type: ignore[no-untyped-def]
    page = tablet_page
    client = make_client(world, given_name="Johanna", family_name="de Jong", bsn="123456782")
    factories.indication(client, profile="5VV")
    make_client(world, department=world.dept_a2, given_name="Otto", family_name="Ander")
    care = world.user(Role.CARE_PROFESSIONAL)

    login(page, care.email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cliënten").click()
    page.wait_for_url("**/clienten/")
    assert page.get_by_role("link", name="Ander, Otto").count() == 0  # another department

    page.get_by_role("searchbox", name="Zoeken").fill("jong")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url(re.compile(r".*/clienten/\?q=jong.*"))
    row = page.get_by_role("row", name=re.compile("Jong, Johanna de"))
    assert "******782" in row.inner_text() and "5VV" in row.inner_text()
    row.get_by_role("link", name="Jong, Johanna de").click()

    page.wait_for_url(f"**/clienten/{client.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Johanna de Jong"
    assert "123456782" not in page.content()
    page.get_by_role("button", name="Toon BSN").click()
    page.get_by_text("123456782").wait_for()

    page.get_by_role("link", name="Contactpersoon toevoegen").click()
    page.wait_for_url(f"**/clienten/{client.pk}/contactpersonen/nieuw/")
    page.get_by_label("Naam").fill("Marieke de Jong")
    page.get_by_label("Relatie").fill("Dochter")
    page.get_by_label("Rol").select_option("first_contact")
    page.get_by_label("Telefoon").fill("06-12345678")
    page.get_by_label("Neemt deel aan gesprekken").check()
    button = page.get_by_role("button", name="Opslaan")
    assert button.bounding_box()["height"] >= 44
    button.click()

    page.wait_for_url(f"**/clienten/{client.pk}/")
    assert page.locator(".messages").inner_text().strip() == "Contactpersoon Marieke de Jong is toegevoegd."
    assert page.get_by_role("cell", name="Marieke de Jong", exact=True).is_visible()
    contact = ContactPerson.objects.for_organisation(world.org_a).get()
    assert (contact.relation, contact.role, contact.takes_part_in_conversations) == (
        "Dochter",
        "first_contact",
        True,
    )

    actions = list(
        AccessLogEntry.objects.for_organisation(world.org_a)
        .filter(user=care)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[:3] == ["search", "search", "read"]
    assert {"reveal_bsn", "create"} <= set(actions)
