"""The family's view on a phone (390×844): a care professional invites a contact person; the
contact person takes the link from the e-mail, sets a password and an authenticator app
(TOTP), reads the package, leaves a wish and signs; the professional then sees the signature
and the wish. Screenshots in /tmp/shots/family/."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.core import mail

from family.models import PackageSignature
from ipvb.roles import Role
from tests.family import builders as fb

from .conftest import login, totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = pathlib.Path("/tmp/shots/family")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_family_journey_on_a_phone(browser, live_server, world, settings) -> None:  # type: ignore[no-untyped-def]
    person = fb.contact(world)
    package = fb.agreed(world)["package"]
    staff_context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    staff = staff_context.new_page()
    staff.set_default_timeout(15000)
    # 1. The care professional invites the contact person, recording consent.
    login(staff, world.user(Role.CARE_PROFESSIONAL).email)
    staff.goto(f"/clienten/{person.client_id}/")
    staff.get_by_role("link", name="Contactpersoon uitnodigen").click()
    staff.wait_for_url(f"**/familie/clienten/{person.client_id}/uitnodigen/")
    staff.get_by_label("E-mailadres").fill("marieke@example.org")
    staff.get_by_label("De wettelijk vertegenwoordiger").check()
    staff.get_by_label("De cliënt of de vertegenwoordiger heeft toestemming gegeven", exact=False).check()
    staff.get_by_role("button", name="Uitnodiging versturen").click()
    staff.wait_for_url(f"**/clienten/{person.client_id}/")
    assert "is uitgenodigd voor de familiepagina" in staff.content()
    link = re.search(r"https?://\S+/familie/uitnodiging/\S+/", mail.outbox[-1].body).group(0)

    # 2. The contact person, on a phone: the link, a password, an authenticator app.
    settings.IPVB_REQUIRE_MFA = True
    phone_context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}, has_touch=True
    )
    phone = phone_context.new_page()
    phone.set_default_timeout(15000)
    phone.goto(link)
    _shot(phone, "01-invitation")
    phone.locator("#id_password1").fill(fb.PASSWORD)
    phone.locator("#id_password2").fill(fb.PASSWORD)
    phone.get_by_role("button", name="Wachtwoord instellen").click()
    phone.wait_for_load_state()
    _shot(phone, "01b-after-password")
    phone.wait_for_url("**/accounts/2fa/totp/activate/")
    _shot(phone, "02-totp")
    secret = phone.locator("#authenticator_secret").input_value()
    phone.locator("input[name=code]").fill(totp_code(secret))
    phone.locator("main form button[type=submit]").last.click()
    phone.wait_for_load_state()
    phone.goto("/")
    phone.wait_for_url("**/familie/")
    _shot(phone, "03-home")
    content = phone.content()
    assert person.client.full_name in content
    assert "Ochtendzorg: wassen en aankleden" in content and "819,73" in content
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone

    # 3. A wish for the next conversation.
    phone.get_by_label("Uw wens voor het volgende gesprek").fill("Graag op zondag een wandeling.")
    phone.get_by_role("button", name="Wens doorgeven").click()
    phone.wait_for_url("**/familie/")
    assert "Uw wens is doorgegeven" in phone.content()

    # 4. Read the exact version and sign it.
    phone.get_by_role("link", name="Lezen en ondertekenen").click()
    phone.wait_for_url(re.compile(rf".*/familie/pakket/{package.pk}/#ondertekenen$"))
    phone.get_by_label("Ik heb deze versie gelezen en ga ermee akkoord.").check()
    phone.get_by_label("Uw volledige naam").fill("Marieke de Jong")
    _shot(phone, "04-sign")
    phone.get_by_role("button", name="Ondertekenen").click()
    phone.wait_for_selector("text=U heeft versie")
    assert "U heeft versie" in phone.content()
    _shot(phone, "05-signed")
    signature = PackageSignature.objects.for_organisation(world.org_a).get()
    assert signature.signed_name == "Marieke de Jong" and signature.package_id == package.pk

    # Large type for reading.
    phone.get_by_role("button", name="Grote letters").click()
    phone.wait_for_selector("text=Gewone letters")
    _shot(phone, "06-large-type")

    # 5. The care professional sees the signature and the wish.
    settings.IPVB_REQUIRE_MFA = False
    staff.goto(f"/pakketten/{package.pk}/")
    assert "Marieke de Jong" in staff.content()
    staff.goto(f"/clienten/{person.client_id}/")
    assert "Graag op zondag een wandeling." in staff.content()
    _shot(staff, "07-staff-client")
    phone_context.close()
    staff_context.close()
